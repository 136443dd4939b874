"""Shared helpers: run the whole pipeline on a text, or the CLI in-process."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfrules import pipeline
from perfrules.cli import main
from perfrules.findings import Finding
from perfrules.plan.model import Plan
from perfrules.scoring.result import IndicatorResult, Result
from perfrules.settings import Settings
from perfrules.syntax import parse

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
