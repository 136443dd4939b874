"""What compile and evaluate take again from the last analysis (unchanged lines of an edited document) gives
exactly what a fresh analysis gives: the same plan, result and findings after every kind of edit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from perfrules import pipeline
from perfrules.syntax.parser import LineCache

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate

TEXT = generate(300, seed=3)
LINES = TEXT.split("\n")


def _analyse(text: str, cache: LineCache | None) -> pipeline.Run:
    run = pipeline.compile_text(text, "/tmp/reuse.perf", cache)
    return pipeline.check_run(pipeline.evaluate_run(run, partial=True), partial=True)


def _fresh(text: str) -> pipeline.Run:
    _analyse("ruleset \"x\" {}\n", None)  # another document in between: nothing of the edited one is kept
    return _analyse(text, None)


def _line(predicate: str) -> int:
    return next(i for i, line in enumerate(LINES) if predicate in line)


def _edit(index: int, old: str, new: str) -> str:
    lines = list(LINES)
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new, 1)
    return "\n".join(lines)


ACTUAL = next(i for i, line in enumerate(LINES) if line.strip().endswith(" 人") and " = " in line)
REASON = _line("reason ")
TIER = next(i for i, line in enumerate(LINES) if "= 部分达成" in line or "= 达成" in line)
WEIGHT = next(i for i, line in enumerate(LINES) if ">=" in line and " weight " in line and "=" not in line.split(">=")[0])


@pytest.mark.parametrize("edited", [
    pytest.param(_edit(ACTUAL, " 人", " 万人"), id="actual-unit"),
    pytest.param(_edit(ACTUAL, " = ", " = 1"), id="actual-value"),
    pytest.param(_edit(REASON, "reason \"", "reason \"改："), id="reason"),
    pytest.param(_edit(TIER, "达成", "未达成"), id="tier"),
    pytest.param(_edit(WEIGHT, " weight ", " weight 1"), id="weight"),
    pytest.param(_edit(WEIGHT, " weight ", " cap 150% weight "), id="cap"),
    pytest.param(_edit(WEIGHT, ">=", "<="), id="comparator"),
    pytest.param(_edit(WEIGHT, ">=", ">= )"), id="syntax-error"),
    pytest.param(TEXT.replace(" rounding 3 ", " rounding 2 ", 1), id="rounding"),
])
def test_an_edit_analysed_from_the_last_analysis_is_a_fresh_analysis(edited: str) -> None:
    assert edited != TEXT
    cache = LineCache()
    _analyse(TEXT, cache)
    again = _analyse(edited, cache)
    assert cache.hits > 0  # the unchanged lines were taken from the last parse
    fresh = _fresh(edited)
    assert repr(again.plan) == repr(fresh.plan)
    assert repr(again.result) == repr(fresh.result)
    assert again.sorted_findings() == fresh.sorted_findings()
    back = _analyse(TEXT, cache)  # and back to the original text
    assert repr(back.result) == repr(_fresh(TEXT).result)
