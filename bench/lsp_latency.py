"""Language-server latency, measured from the client: `perfrules lsp` driven over stdio by a raw JSON-RPC client.

For each file (the seed example and generated files of N indicators) it measures

- start-up: from starting the process to the `initialize` response;
- open: from `didOpen` to the first diagnostics;
- burst: ten one-character edits typed 30 ms apart into one line (`--bursts` times; `--edit number` types them
  into an indicator's weight, so that every keystroke changes scores and findings), then the time from the last
  keystroke to the diagnostics of the last version, and how many diagnostics were published for
  the burst (one analysis per burst: 1);
- hover and completion sent while the analysis of an edit is running: the time to their answer.

Goals: diagnostics within 100 ms of the last keystroke at 2,000 indicators and 300 ms at 10,000;
hover and completion at once (under 20 ms).

    python bench/lsp_latency.py [--indicators 2000 10000] [--server-path DIR] [--bursts N]
        [--edit comment|number|newline|newrow]

`--bursts N` types N bursts into each file and shows the median (and the best): a busy machine
makes a single burst's figure vary by a factor of two.

`--server-path` puts DIR first on PYTHONPATH (e.g. an older checkout, for before/after figures).
"""

from __future__ import annotations

import argparse
import json
import queue
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
SEED = ROOT / "rulesets" / "examples" / "retiree-services-2023.perf"


class Client:
    def __init__(self, server_path: str | None = None) -> None:
        command = [sys.executable, "-m", "perfrules.cli", "lsp"]
        if server_path:  # an editable install's finder comes before sys.path: take it out
            command = [sys.executable, "-c", "import sys; sys.meta_path[:] = [f for f in sys.meta_path if "
                       "'editable' not in type(f).__module__.lower()]; sys.path.insert(0, sys.argv[1]); "
                       "sys.argv[1:] = ['lsp']; from perfrules.cli import main; main()", server_path]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.messages: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        stream = self.process.stdout
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if not line.strip():
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            self.messages.put((time.perf_counter(), json.loads(stream.read(length))))

    def send(self, message: dict[str, Any]) -> float:
        assert self.process.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return time.perf_counter()

    def request(self, method: str, params: dict[str, Any]) -> tuple[float, Any]:
        """(seconds to the response, its result)."""
        self.next_id += 1
        ident = self.next_id
        sent = self.send({"id": ident, "method": method, "params": params})
        while True:
            at, message = self.messages.get(timeout=60)
            if message.get("id") == ident and "method" not in message:
                return at - sent, message.get("result")

    def notify(self, method: str, params: dict[str, Any]) -> float:
        return self.send({"method": method, "params": params})

    def diagnostics(self, quiet: float = 1.5, version: int | None = None) -> list[float]:
        """The times of the diagnostics published until one for `version` (or `quiet` seconds without any)."""
        times = []
        while True:
            try:
                at, message = self.messages.get(timeout=quiet)
            except queue.Empty:
                return times
            if message.get("method") == "textDocument/publishDiagnostics":
                times.append(at)
                if version is not None and message["params"].get("version") == version:
                    return times

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()


NEW_LINES = {"newline": "# 新的一行", "newrow": "  新增指标 >= 5 人 weight 1"}
"""What `--edit newline` and `--edit newrow` type on the line they open."""


def new_line_place(text: str, edit: str) -> tuple[int, int]:
    """Where `--edit newline|newrow` presses Enter (line, utf-8 column: the end of the line): after the first statement
    line (`newline`) or the first indicator line with a weight (`newrow`, near the top: the first group)."""
    lines = text.splitlines()
    if edit == "newline":
        line = next(i for i, t in enumerate(lines) if t.strip() and not t.strip().startswith("#") and "{" not in t)
    else:
        line = next(i for i, t in enumerate(lines) if " weight " in t and "{" not in t and "=" not in t.split(" weight ")[0])
    return line, len(lines[line].encode("utf-8"))


def edit_place(text: str, edit: str) -> tuple[int, int, list[str]]:
    """Where the burst types (line, utf-8 column) and the ten keystrokes: `comment` types "  # 123456789" at the end
    of the first statement line (a change no later stage sees), `number` types five digits into the weight of an
    indicator in the middle of the file and deletes them again (its score, its group's sums and their findings
    change on every keystroke). A key "" is a backspace."""
    lines = text.splitlines()
    if edit == "comment":
        line = next(i for i, t in enumerate(lines) if t.strip() and not t.strip().startswith("#") and "{" not in t)
        return line, len(lines[line].encode("utf-8")), [" #", *"123456789"]
    middle = len(lines) // 2
    line = next(i for i in range(middle, len(lines)) if " weight " in lines[i] and ">=" in lines[i]
                and "{" not in lines[i])
    found = re.search(r" weight (\d+(?:\.\d+)?)", lines[line])
    assert found is not None
    column = len(lines[line][: found.end(1)].encode("utf-8"))
    return line, column, [*"12345", *[""] * 5]  # five digits, then five backspaces: the weight as it was


def measure(text: str, server_path: str | None, repeat: int = 1, edit: str = "comment") -> dict[str, float]:
    client = Client(server_path)
    started = client.started
    spent, _ = client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {
        "general": {"positionEncodings": ["utf-8", "utf-16"]}}})
    startup = time.perf_counter() - started
    client.notify("initialized", {})
    uri = "file:///tmp/bench.perf"
    opened = client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "perfrules", "version": 1, "text": text}})
    first = client.diagnostics(quiet=30, version=1)
    open_time = first[-1] - opened if first else float("nan")
    client.diagnostics(quiet=0.3)  # drain
    line, end, keys = edit_place(text, edit)
    version = 1
    bursts: list[float] = []
    publishes: list[int] = []
    deletes: list[float] = []
    if edit in NEW_LINES:
        line, end = new_line_place(text, edit)
        typed = NEW_LINES[edit]
    for _burst in range(repeat):
        if edit in NEW_LINES:  # Enter, then the new line typed a character at a time; then the line deleted again
            keys = ["\n", *typed]
            positions = [(line, end)] + [(line + 1, len(typed[:i].encode("utf-8"))) for i in range(len(typed))]
            for char, (at_line, at) in zip(keys, positions, strict=True):
                version += 1
                here = {"line": at_line, "character": at}
                last = client.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": here, "end": here}, "text": char}]})
                time.sleep(0.03)
            published = client.diagnostics(quiet=max(3.0, open_time * 3), version=version)
            bursts.append(published[-1] - last if published else float("nan"))
            publishes.append(len(published))
            client.diagnostics(quiet=0.3)
            version += 1
            last = client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": end},
                                              "end": {"line": line + 1, "character": len(typed.encode("utf-8"))}},
                                    "text": ""}]})
            published = client.diagnostics(quiet=max(3.0, open_time * 3), version=version)
            deletes.append(published[-1] - last if published else float("nan"))
            client.diagnostics(quiet=0.3)
            continue
        last = 0.0
        for char in keys:  # ten keystrokes into one line, 30 ms apart
            version += 1
            start = {"line": line, "character": end - (0 if char else 1)}  # "": a backspace
            stop = {"line": line, "character": end}
            end += len(char) if char else -1
            last = client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": start, "end": stop}, "text": char}]})
            time.sleep(0.03)
        published = client.diagnostics(quiet=max(3.0, open_time * 3), version=version)
        bursts.append(published[-1] - last if published else float("nan"))
        publishes.append(len(published))
        client.diagnostics(quiet=0.3)  # the analysis's indexing and collection, before the next burst
    burst = statistics.median(bursts)
    # a request while an analysis runs: one more edit, and a hover and a completion 60 ms later
    version += 1
    position = {"line": line, "character": end}
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                             "contentChanges": [{"range": {"start": position, "end": position},
                                                                 "text": "x"}]})
    time.sleep(0.06)
    hover, _ = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": {"line": line, "character": 3}})
    completion, _ = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                               "position": {"line": line, "character": 0}})
    client.diagnostics(quiet=max(3.0, open_time * 3), version=version)
    client.close()
    return {"startup": startup, "initialize": spent, "open": open_time, "burst": burst, "best": min(bursts),
            "burst_publishes": float(max(publishes)), "hover": hover, "completion": completion,
            "delete": statistics.median(deletes) if deletes else float("nan"),
            "delete_best": min(deletes) if deletes else float("nan")}


def main(argv: list[str] | None = None) -> int:
    from generate import generate

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indicators", type=int, nargs="*", default=[2000, 10000])
    parser.add_argument("--server-path", default=None)
    parser.add_argument("--bursts", type=int, default=1, help="bursts per file: the median and the best are shown")
    parser.add_argument("--edit", choices=("comment", "number", "newline", "newrow"), default="comment",
                        help="what the bursts type: a comment (the default), digits into an indicator's weight, or "
                             "a new line near the top (a comment line, or an indicator line), deleted again")
    args = parser.parse_args(argv)
    goals = {2000: 0.100, 10000: 0.300}
    rows = [("seed example", SEED.read_text(encoding="utf-8"), 0.100)]
    rows += [(f"{n} indicators", generate(n, 0), goals.get(n, 0.300)) for n in args.indicators]
    for name, text, goal in rows:
        m = measure(text, args.server_path, args.bursts, args.edit)
        slowest = max(m["burst"], m["delete"]) if args.edit in NEW_LINES else m["burst"]
        verdict = "PASS" if slowest < goal else "FAIL"
        deleted = (f"; the line deleted -> diagnostics {m['delete'] * 1000:6.0f} ms (best {m['delete_best'] * 1000:.0f})"
                   if args.edit in NEW_LINES else "")
        print(f"{name:>18}: start-up {m['startup'] * 1000:5.0f} ms (initialize {m['initialize'] * 1000:4.0f})  "
              f"open {m['open'] * 1000:6.0f} ms  last keystroke -> diagnostics {m['burst'] * 1000:6.0f} ms "
              f"(best {m['best'] * 1000:.0f} of {args.bursts}){deleted} "
              f"({int(m['burst_publishes'])} published for 10 edits; goal < {goal * 1000:.0f} ms: {verdict})  "
              f"hover {m['hover'] * 1000:5.1f} ms  completion {m['completion'] * 1000:5.1f} ms", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
