"""What a docs-only user trial of issue 10 found (/work/notes/briefs3/b-trial.md): each defect as a class,
with the tests that failed before its fix."""

from __future__ import annotations

import pytest

from conftest import syntax

# ---------------------------------------------------------------- 2. block items: the error at the item, a hint that says what is allowed


def _one(text: str) -> tuple[int, int, str, str]:
    (finding,) = syntax(text)
    return finding.span.line, finding.span.column, finding.message(), finding.hint()


def test_an_unreadable_expect_total_is_at_the_question_mark_with_what_to_write() -> None:
    line, column, message, hint = _one("a >= 1 个 weight 100\nexpect { total ? }\n")
    assert (line, column) == (2, 16)
    assert message == "此处不应出现「?」，应为数字"
    assert "写报告公布的数字，如 total 90.5" in hint and "是不是" not in hint
    # the same inside a block of several lines
    assert _one("a >= 1 个 weight 100\nexpect {\n  total ?\n}\n")[:2] == (3, 9)
    assert "如 total 90.5" in _one("a >= 1 个 weight 100\nexpect {\n  total ?\n}\n")[3]


@pytest.mark.parametrize(("line", "column"), [
    ('ruleset "x" { year 2023 total abc }', 31),
    ("grades { 优 >= 90 良 80 中 >= 60 差 otherwise }", 20),
    ("expect { 产出 abc }", 13),
    ("dimension 产出 weight abc {\n  a >= 1 个 weight 1\n}", 21),
    ("check 匹配: a <= 1 个 ?", 20),
])
def test_a_keyword_spelt_right_is_never_the_error_nor_guessed_as_a_typo(line: str, column: int) -> None:
    """A line that starts with its keyword spelt right had its error at column 1 and the hint 「是不是 <that keyword>？」."""
    (finding,) = syntax(f"a >= 1 个 weight 1\n{line}\n")
    assert (finding.span.line, finding.span.column) == (2, column)
    assert "是不是" not in finding.hint()


def test_misspelt_block_keywords_are_still_guessed() -> None:
    (finding,) = syntax('rulset "x" {\n}\n')
    assert finding.hint() == "是不是 ruleset？"


@pytest.mark.parametrize(("text", "hint"), [
    ("grades { 优 >= 90 良 80 差 otherwise }\n", "分数段写成 名称 >= 分数，如 良 >= 80；最低一档写 差 otherwise"),
    ("facts {\n  预算数 100 万元\n}\n", "基础数据写成 名称 = 数值，如 预算数 = 100 万元"),
    ("grades { 优 >= 90 良 >= ? 差 otherwise }\n", "? 只用于实际值行上无法辨认的公布得分（score ? 或 review ?）：这里请写数字"),
    ("facts {\n  预算数 = ?\n}\n", "? 只用于实际值行上无法辨认的公布得分（score ? 或 review ?）：这里请写数字"),
])
def test_block_items_get_the_hint_of_their_block(text: str, hint: str) -> None:
    (finding,) = syntax(text)
    assert finding.hint() == hint


def test_the_english_hint_for_an_unreadable_expect_figure() -> None:
    (finding,) = syntax("expect { total ? }\n")
    assert finding.hint("en").startswith("expect holds the figures the report publishes, e.g. total 90.5")
