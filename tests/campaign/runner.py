"""Run `perfrules ARGS` in-process (click's CliRunner) inside a disposable child process.

Each example runs in a child forked from a clean, single-threaded fork server that has
perfrules imported already, so a run costs a few milliseconds more than calling the CLI
directly, and a hang or a memory bomb cannot take the test session with it: the child is
killed at a hard time limit and its address space is capped. What the child saw (exit code,
output, the exception that escaped, how long it took) comes back to the parent as an `Outcome`.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

HARD_SECONDS = 10.0
"""A run still going after this long is killed and reported as a hang."""

MEMORY_BYTES = 3 * 1024 * 1024 * 1024
"""Address space a run may use; past it an allocation fails (MemoryError) instead of eating the machine."""

_CONTEXT: Any = None


@dataclass
class Outcome:
    args: tuple[str, ...]
    exit_code: int | None
    stdout: str
    stderr: str
    exception: str | None  # "Type: message" of an exception other than SystemExit, or None
    traceback: str | None  # the formatted traceback of that exception
    seconds: float
    timed_out: bool = False
    died: str | None = None  # the child ended without reporting (signal, os._exit)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def describe(self) -> str:
        text = f"perfrules {' '.join(self.args)}\nexit={self.exit_code} seconds={self.seconds:.2f}"
        if self.timed_out:
            text += f" TIMED OUT after {HARD_SECONDS} s"
        if self.died:
            text += f" DIED: {self.died}"
        if self.exception:
            text += f"\nexception: {self.exception}\n{self.traceback}"
        return text + f"\n--- stdout ---\n{self.stdout[-3000:]}\n--- stderr ---\n{self.stderr[-3000:]}"


def _context() -> Any:
    """The fork server, started once, with perfrules imported and every command run once."""
    global _CONTEXT
    if _CONTEXT is None:
        from multiprocessing import forkserver

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["perfrules.cli", "click.testing", "campaign.runner", "campaign.warm"])
        # the server imports the preloaded modules with its own sys.path (Python 3.11 ignores ours): tell it tests/
        old = os.environ.get("PYTHONPATH")
        tests = str(Path(__file__).resolve().parents[1])
        os.environ["PYTHONPATH"] = tests + (os.pathsep + old if old else "")
        try:
            forkserver.ensure_running()
        finally:
            if old is None:
                del os.environ["PYTHONPATH"]
            else:
                os.environ["PYTHONPATH"] = old
        _CONTEXT = context
    return _CONTEXT


def _child(conn: Connection, args: tuple[str, ...], cwd: str | None, stdin: bytes | None) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    if cwd is not None:
        os.chdir(cwd)
    from click.testing import CliRunner

    from perfrules.cli import main

    start = time.perf_counter()
    exception = tb = None
    try:
        result = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=True)
        exit_code, stdout, stderr = result.exit_code, result.stdout, result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            exception = f"{type(result.exception).__name__}: {str(result.exception)[:500]}"
            tb = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else None  # type: ignore[misc]
    except BaseException as error:
        exit_code, stdout, stderr = None, "", ""
        exception = f"{type(error).__name__}: {str(error)[:500]}"
        tb = traceback.format_exc()
    seconds = time.perf_counter() - start
    conn.send(Outcome(args, exit_code, stdout, stderr, exception, tb, seconds))
    conn.close()


def run(*args: str, cwd: str | None = None, stdin: bytes | None = None) -> Outcome:
    """`perfrules ARGS` in a fresh child; never raises for what the child does."""
    context = _context()
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, tuple(args), cwd, stdin), daemon=False)
    start = time.perf_counter()
    process.start()
    child.close()
    outcome: Outcome | None = None
    try:
        if parent.poll(HARD_SECONDS):
            try:
                outcome = parent.recv()
            except EOFError:
                outcome = None
    finally:
        parent.close()
    if outcome is None:
        timed_out = process.is_alive()
        if timed_out:
            process.kill()
        process.join(5)
        died = None if timed_out else f"exit code {process.exitcode}"
        return Outcome(tuple(args), None, "", "", None, None, time.perf_counter() - start, timed_out, died)
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join(5)
    return outcome
