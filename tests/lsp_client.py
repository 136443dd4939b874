"""A raw JSON-RPC client for `perfrules lsp` over stdio, shared by the language-server tests.

It can send any bytes (a malformed header, a body that is not JSON) and keeps every message the server sent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from queue import Empty, Queue
from typing import Any

SERVER = [sys.executable, "-m", "perfrules", "lsp"]  # as the `perfrules` script starts it (perfrules.__main__.run)


class Client:
    """The server started with `args`, in this environment without the locale variables (the server reads them when
    its client sends no locale) and with `env` on top."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        environment = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "PERFRULES_LANG")}
        environment.update(env or {})
        self.process = subprocess.Popen([*SERVER, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=environment)
        self.inbox: Queue[dict[str, Any]] = Queue()
        self.seen: list[dict[str, Any]] = []
        self.ident = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while (line := stream.readline()).strip():
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if not line:
                return
            self.inbox.put(json.loads(stream.read(length)))

    def write(self, data: bytes) -> None:
        """These bytes as they are (a header of one's own, or none)."""
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send_body(self, body: bytes) -> None:
        """`body` (JSON or not) with its Content-Length header."""
        self.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send(self, **message: Any) -> None:
        self.send_body(json.dumps({"jsonrpc": "2.0", **message}, ensure_ascii=False).encode())

    def next(self, timeout: float = 20) -> dict[str, Any]:
        message = self.inbox.get(timeout=timeout)
        self.seen.append(message)
        return message

    def response(self, ident: object, timeout: float = 20) -> dict[str, Any]:
        while True:
            message = self.next(timeout)
            if "method" not in message and message.get("id") == ident:
                return message

    def request(self, method: str, params: Any, timeout: float = 20) -> dict[str, Any]:
        self.ident += 1
        self.send(id=self.ident, method=method, params=params)
        return self.response(self.ident, timeout)

    def publish(self, timeout: float = 20) -> dict[str, Any]:
        while True:
            message = self.next(timeout)
            if message.get("method") == "textDocument/publishDiagnostics":
                return message["params"]  # type: ignore[no-any-return]

    def publishes(self, quiet: float) -> list[dict[str, Any]]:
        """Every diagnostics notification until the server has been quiet for `quiet` seconds."""
        out = []
        while True:
            try:
                message = self.next(quiet)
            except Empty:
                return out
            if message.get("method") == "textDocument/publishDiagnostics":
                out.append(message["params"])

    def initialize(self, **params: Any) -> dict[str, Any]:
        result = self.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}, **params})["result"]
        self.send(method="initialized", params={})
        return result  # type: ignore[no-any-return]

    def open(self, uri: str, text: str, wait: bool = True) -> list[dict[str, Any]]:
        """didOpen; with `wait`, the diagnostics the server publishes for it (else none are read)."""
        self.send(method="textDocument/didOpen",
                  params={"textDocument": {"uri": uri, "languageId": "perfrules", "version": 1, "text": text}})
        return self.publish()["diagnostics"] if wait else []  # type: ignore[no-any-return]

    def close(self) -> int:
        self.request("shutdown", None)
        self.send(method="exit")
        return self.process.wait(timeout=10)
