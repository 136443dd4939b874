"""Language-server requests on a large file, measured from the client (issue 14, the trial's rpc/t10.py and t17.py):

- completion and hover asked every 20 ms from the first diagnostics on, and while the analysis of an edit of the
  ruleset's rounding runs (every row scored again; an edit of the year compiles only the date rows again): the
  slowest answer (goal: at once, under 20 ms);
- documentSymbol: the first one, one after an edit, and the same analysis asked again (goal: under 100 ms from
  the last analysis);
- formatting the whole file, against `perfrules fmt` on the same file (goal: as fast as fmt).

    python bench/lsp_requests.py [--indicators 10000] [--server-path DIR]

Figures vary with the machine's load by a factor of two or more: compare before/after on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate


class Client:
    def __init__(self, env: dict[str, str], cwd: Path) -> None:  # not this checkout's folder: `-m` would import it
        self.process = subprocess.Popen([sys.executable, "-m", "perfrules.cli", "lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        self.inbox: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
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
            body = stream.read(length)
            self.inbox.put((time.perf_counter(), json.loads(body)))

    def send(self, **message: Any) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}, ensure_ascii=False).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def wait(self, test: Any, timeout: float = 120) -> tuple[float, dict[str, Any]]:
        end = time.perf_counter() + timeout
        while True:
            when, message = self.inbox.get(timeout=max(end - time.perf_counter(), 0.001))
            if test(message):
                return when, message

    def request(self, method: str, params: Any) -> tuple[float, Any]:
        """The time to the answer (seconds) and the result."""
        self.ident += 1
        ident = self.ident
        started = time.perf_counter()
        self.send(id=ident, method=method, params=params)
        when, message = self.wait(lambda m: m.get("id") == ident and "method" not in m)
        return when - started, message.get("result")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=10000)
    parser.add_argument("--server-path", default=None)
    args = parser.parse_args()
    env = dict(os.environ)
    if args.server_path:
        env["PYTHONPATH"] = os.pathsep.join([args.server_path, env.get("PYTHONPATH", "")])
    text = generate.generate(args.indicators, 0)
    lines = text.splitlines()
    folder = Path(tempfile.mkdtemp())
    path = folder / "big.perf"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    row = next(i for i, t in enumerate(lines) if ">=" in t and "{" not in t)
    name_at = len(lines[row]) - len(lines[row].lstrip())
    rounding = next(i for i, t in enumerate(lines) if t.strip().startswith("rounding "))
    at = lines[rounding].index("rounding ") + len("rounding ")
    document = {"uri": uri}
    client = Client(env, folder)
    client.send(id=0, method="initialize", params={"processId": None, "rootUri": None, "capabilities": {}})
    client.wait(lambda m: m.get("id") == 0)
    client.send(method="initialized", params={})
    client.send(method="textDocument/didOpen",
                params={"textDocument": {"uri": uri, "languageId": "perfrules", "version": 1, "text": text}})
    client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")

    def ask_for(seconds: float) -> tuple[float, float]:
        slowest_completion = slowest_hover = 0.0
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            took, _ = client.request("textDocument/completion", {"textDocument": document,
                                                                 "position": {"line": row, "character": name_at}})
            slowest_completion = max(slowest_completion, took)
            took, _ = client.request("textDocument/hover", {"textDocument": document,
                                                            "position": {"line": row, "character": name_at + 1}})
            slowest_hover = max(slowest_hover, took)
            time.sleep(0.02)
        return slowest_completion, slowest_hover

    completion, hover = ask_for(1.5)
    print(f"{args.indicators} indicators; after the first diagnostics (1.5 s): slowest completion "
          f"{completion * 1000:.0f} ms, hover {hover * 1000:.0f} ms")
    took, _ = client.request("textDocument/documentSymbol", {"textDocument": document})
    print(f"documentSymbol, the first: {took * 1000:.0f} ms")
    for version, written in ((2, "3"), (3, "4")):
        client.send(method="textDocument/didChange", params={
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": rounding, "character": at},
                                          "end": {"line": rounding, "character": at + 1}}, "text": written}]})
        completion, hover = ask_for(0.8)
        print(f"while the rounding edit is analysed (0.8 s): slowest completion {completion * 1000:.0f} ms, "
              f"hover {hover * 1000:.0f} ms")
        time.sleep(1.5)
        took, _ = client.request("textDocument/documentSymbol", {"textDocument": document})
        again, _ = client.request("textDocument/documentSymbol", {"textDocument": document})
        print(f"documentSymbol after the edit: {took * 1000:.0f} ms, asked again {again * 1000:.0f} ms")
    took, edits = client.request("textDocument/formatting", {"textDocument": document,
                                                             "options": {"tabSize": 2, "insertSpaces": True}})
    print(f"formatting: {took * 1000:.0f} ms ({len(edits or [])} edit)")
    client.send(id=999, method="shutdown", params=None)
    client.wait(lambda m: m.get("id") == 999)
    client.send(method="exit")
    client.process.wait(timeout=10)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "perfrules.cli", "fmt", "--diff", str(path)], env=env, capture_output=True,
                   check=False, cwd=folder)
    print(f"perfrules fmt --diff on the same file: {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
