"""Escapes in straight-quoted text: what an imported multi-line cell writes comes back as it was."""

from __future__ import annotations

import pytest

from perfrules.syntax.tokens import unquote


@pytest.mark.parametrize("written, meant", [
    (r'"a\"b"', 'a"b'),
    (r'"a\\b"', "a\\b"),
    (r'"第一行\n第二行"', "第一行\n第二行"),
    (r'"甲\t乙"', "甲\t乙"),
    (r'"\u4e2d\u2028"', "中\u2028"),
    (r'"\ud800"', "\\ud800"),  # a lone surrogate is not made: kept as written
    (r'"c:\path"', "c:\\path"),  # any other backslash stays
    (r'"a\\nb"', "a\\nb"),  # an escaped backslash before n is a backslash and an n
    ("“不\\n转义”", "不\\n转义"),
])
def test_unquote(written: str, meant: str) -> None:
    assert unquote(written) == meant


def test_an_imported_multi_line_reason_keeps_its_line_break(tmp_path: object) -> None:
    from perfrules import pipeline

    run = pipeline.evaluate_run(pipeline.compile_text('甲 >= 1 人 weight 100\nactuals {\n  甲 = 2 人 reason "一\\n二"\n}\n',
                                                      "q.perf"))
    assert run.result is not None
    assert [i.reason for i in run.result.indicators()] == ["一\n二"]
