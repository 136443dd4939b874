"""Shared helpers: run the whole pipeline on a text, or the CLI in-process."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from perfrules import pipeline
from perfrules.cli import main
from perfrules.findings import Finding
from perfrules.plan.model import Plan
from perfrules.scoring.result import IndicatorResult, Result
from perfrules.settings import Settings
from perfrules.syntax import parse

# The language server speaks the language of LC_ALL/LC_MESSAGES/LANG when its client sends none: the tests' servers
# must not speak the developer's. "C.UTF-8" names no language and keeps the text UTF-8.
for _name in ("LC_ALL", "LC_MESSAGES", "LANG"):
    if os.environ.get(_name, "").split(".")[0] not in ("", "C", "POSIX"):
        os.environ[_name] = "C.UTF-8"

# perfrules.cache writes to the user's cache directory: the tests (and the processes they start) keep theirs in a
# folder of their own, made private, removed at the end, so that a test run leaves nothing in ~/.cache/perfrules.
if "XDG_CACHE_HOME" not in os.environ:
    import atexit
    import shutil
    import tempfile

    _CACHE = tempfile.mkdtemp(prefix="perfrules-tests-cache-")
    os.environ["XDG_CACHE_HOME"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, True)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "rulesets" / "examples"
SEED = EXAMPLES / "retiree-services-2023.perf"
SCHEMAS = ROOT / "docs" / "schemas"


@dataclass
class Loaded:
    plan: Plan
    result: Result
    findings: list[Finding]

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def ind(self, name: str) -> IndicatorResult:
        (found,) = [i for i in self.result.indicators() if i.name == name or i.key == name]
        return found


def load(text: str, file: str = "test.perf") -> Loaded:
    """Parse, compile, evaluate and check `text` (dedented) through the pipeline; findings of every stage together.

    Unlike the CLI this evaluates and checks even a file with input errors, and keeps what a broken line
    may have caused (`cascades`), so tests can see every finding; the settings are the defaults (no
    settings file is looked for).
    """
    run = pipeline.analyse_text(textwrap.dedent(text), file, settings=Settings(), cascades=True)
    assert run.plan is not None and run.result is not None
    return Loaded(run.plan, run.result, run.findings)


def syntax(text: str) -> list[Finding]:
    return parse(textwrap.dedent(text), "test.perf")[1]


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> dict:  # type: ignore[type-arg]
        return json.loads(self.stdout)  # type: ignore[no-any-return]


def cli(*args: str) -> CliResult:
    """Run `perfrules ARGS` in-process; a Python exception fails the test (never a traceback)."""
    runner = CliRunner()
    result = runner.invoke(main, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return CliResult(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a (dedented) file under tmp_path and return its path as a string."""

    def _write(name: str, text: str | bytes) -> str:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return str(path)

    return _write


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--campaign", choices=("default", "long"), default=None,
                     help="size of the hostile-input campaign in tests/test_campaign.py (long: 10-50x the examples;"
                          " also PERFRULES_CAMPAIGN=long)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "campaign: the outside-in stress campaign (tests/test_campaign.py)")
    size = config.getoption("--campaign")
    if size is not None:  # test_campaign.py sizes its hypothesis settings from this when it is imported
        import os

        os.environ["PERFRULES_CAMPAIGN"] = size


def lsp_diagnostics(path: Path, text: str, timeout: float = 30.0) -> list[dict[str, Any]]:
    """Open `text` in `perfrules lsp` (stdio) and return the first diagnostics it publishes for it."""
    proc = subprocess.Popen([sys.executable, "-m", "perfrules.cli", "lsp"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONUTF8": "1"})
    assert proc.stdin is not None and proc.stdout is not None
    buffer = b""
    deadline = time.monotonic() + timeout

    def send(message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert proc.stdin is not None
        proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        proc.stdin.flush()

    def receive() -> dict[str, Any]:
        nonlocal buffer
        assert proc.stdout is not None
        while True:
            head, sep, rest = buffer.partition(b"\r\n\r\n")
            if sep:
                found = re.search(rb"Content-Length: *(\d+)", head, re.I)
                assert found is not None
                length = int(found[1])
                if len(rest) >= length:
                    buffer = rest[length:]
                    return json.loads(rest[:length])  # type: ignore[no-any-return]
            ready, _, _ = select.select([proc.stdout], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                raise TimeoutError("perfrules lsp published no diagnostics")
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                raise EOFError("perfrules lsp exited")
            buffer += chunk

    uri = path.as_uri()
    try:
        send({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        while receive().get("id") != 1:
            pass
        send({"method": "initialized", "params": {}})
        send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "perfrules", "version": 1, "text": text}}})
        while True:
            message = receive()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                diagnostics: list[dict[str, Any]] = message["params"]["diagnostics"]
                return diagnostics
    finally:
        proc.kill()
        proc.wait()
