"""The language server face: `perfrules lsp` (stdio).

`analysis` answers editor questions (hover, definition, completion, outline, code actions)
from the same pipeline the CLI uses, in plain data; `server` only translates LSP messages
(JSON-RPC over stdio, in plain dicts) to and from those answers.
"""
