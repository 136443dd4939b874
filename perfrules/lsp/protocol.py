"""The JSON-RPC vocabulary the language server and its helpers share: a message's JSON, and a request's error."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


class RequestError(Exception):
    """A request answered with a JSON-RPC error."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL_ERROR = -32700, -32600, -32601, -32602, -32603
SERVER_NOT_INITIALIZED = -32002
