"""Stage 2: compile a Document into a Plan (resolved names, base units, checked structure).

`perfrules.plan.compile.compile_document` builds a Plan; `perfrules.plan.serialize` writes it
to JSON and reads it back without the grammar (this package imports nothing heavy).
"""
