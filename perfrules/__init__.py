"""perfrules: a rule language and validator for budget performance indicator systems.

The pipeline, one stage per package, each importing only the stages before it:

    text --syntax.parse--> Document --plan.compile--> Plan --scoring.evaluate--> Result

Every stage reports problems as `perfrules.findings.Finding` values instead of raising.
"""

__version__ = "0.1.0"
