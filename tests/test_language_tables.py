"""The language speaks every real table (issue 10): names as printed, weight 0, percent weights,
scoped rounding, verbal grades. Each construct at its boundaries and its documented example."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from test_fastpath import same_as_lark

from conftest import ROOT, cli, load, syntax

D = Decimal


def _documented(heading: str) -> tuple[str, str]:
    """The first perf block and the text block after it, under `heading` of docs/language.md."""
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    section = page[page.index(heading):]
    perf = re.search(r"```perf\n(.*?)```", section, re.S)
    text = re.search(r"```text\n(.*?)```", section, re.S)
    assert perf is not None and text is not None
    return perf[1], text[1]


def _eval_shows(tmp_path: Path, heading: str, *args: str, exit_code: int = 0) -> None:
    perf, text = _documented(heading)
    path = tmp_path / "doc.perf"
    path.write_text(perf, encoding="utf-8")
    outcome = cli("eval", str(path), *args)
    assert outcome.exit_code == exit_code, outcome.stdout + outcome.stderr
    shown = [line.rstrip() for line in outcome.stdout.splitlines()]
    for line in text.strip("\n").splitlines():
        assert line.rstrip() in shown, (line, outcome.stdout)


# ---------------------------------------------------------------- 1. names as tables write them


@pytest.mark.parametrize("line, name", [
    ("指标1 >= 10 人 weight 5", "指标1"),
    ("指标00001 >= 1001 人 weight 1", "指标00001"),
    ("完成率2023 >= 1 weight 1", "完成率2023"),
    ("落实《条例》情况 >= 1 weight 1", "落实《条例》情况"),
    ("台账·记录、归档 >= 1 weight 1", "台账·记录、归档"),
    ("第1.5期完成率 >= 1 weight 1", "第1.5期完成率"),
    ("财预〔2020〕10号执行 >= 1 weight 1", "财预〔2020〕10号执行"),
    ("指标_1 >= 1 weight 1", "指标_1"),
])
def test_bare_names_keep_digits_and_punctuation(line: str, name: str) -> None:
    loaded = load(f"{line}\nactuals {{\n  {name} = 1\n}}\n")
    assert [f.code for f in loaded.findings if f.code.startswith("PR0")] == []
    assert loaded.ind(name).name == name
    same_as_lark(line, "section_line")  # when the fast path reads it, lark reads it the same way


def test_a_section_name_with_a_digit() -> None:
    loaded = load("dimension 年度绩效目标1 weight 100 {\n  a >= 1 weight 100\n}\nactuals {\n  a = 1\n}\n")
    assert [f.code for f in loaded.findings if f.code.startswith("PR0")] == []
    assert loaded.plan.body[0].name == "年度绩效目标1"


def test_a_keyword_followed_by_a_digit_is_still_the_keyword() -> None:
    loaded = load("a >= 5 人 权重5\nb >= 5 人 weight95\nactuals {\n  a = 5 人\n  b = 5 人\n}\n")
    assert [f.code for f in loaded.findings if f.code.startswith("PR0")] == []
    assert loaded.ind("a").weight == D(5) and loaded.ind("b").weight == D(95)


@pytest.mark.parametrize("line", [
    "a >= 5 weight3",
    "指标1 >= 10 人 weight 5",
    "dimension 年度绩效目标1 weight 40 {",
    "第1.5期完成率 >= 100% weight 25",
])
def test_the_fast_path_reads_names_as_lark_does(line: str) -> None:
    start = "top_line" if line.startswith("dimension") else "section_line"
    same_as_lark(line, start)


@pytest.mark.parametrize("line", [
    "指标 1 >= 10 人 weight 5",  # a space is not part of a bare name
    "1指标 >= 10 人 weight 5",  # nor may it start with a digit
    "指标. >= 10 人 weight 5",  # a `.` only between digits
    "收入-1 >= 10 人 weight 5",  # `-` is an operator
])
def test_what_still_needs_quotes(line: str) -> None:
    assert [f.code for f in syntax(line + "\n")] == ["PR001"]


@pytest.mark.parametrize("eq", ["﹦", "═", "=", "＝"])
def test_equals_signs_seen_on_forms(eq: str) -> None:
    loaded = load(f"a {eq} 100% weight 100\nactuals {{\n  a {eq} 100%\n}}\n")
    assert [f.code for f in loaded.findings if f.code.startswith("PR0")] == []
    assert loaded.ind("a").score == D("100.00")


@pytest.mark.parametrize("ge, le", [("≧", "≦"), ("≥", "≤")])
def test_comparators_seen_on_forms(ge: str, le: str) -> None:
    loaded = load(f"a {ge} 10 人 weight 50\nb {le} 2% weight 50\nactuals {{\n  a = 10 人\n  b = 4%\n}}\n")
    assert loaded.ind("a").score == D("50.00") and loaded.ind("b").score == D("25.00")


def test_the_documented_names_example(tmp_path: Path) -> None:
    _eval_shows(tmp_path, "### 表上的名称")


# ---------------------------------------------------------------- 9. weight 0


@pytest.mark.parametrize("zero", ["0", "０", "0.00"])
def test_weight_zero_is_a_finding(zero: str) -> None:
    loaded = load(f"a >= 1 weight 100\nb >= 1 weight {zero}\nactuals {{\n  a = 1\n  b = 1\n}}\n")
    (found,) = [f for f in loaded.findings if f.key == "PR014.zero"]
    assert found.severity == "warning" and found.span is not None and found.span.line == 2
    assert found.message() == "权重不能为 0：b 写了 weight 0，这一行不计分。不计分的指标请删除，或写出表上的分值"


def test_weight_zero_on_a_section_and_not_on_a_small_weight() -> None:
    loaded = load("dimension 产出 weight 0 {\n  a >= 1 weight 0.5\n}\nactuals {\n  a = 1\n}\n")
    assert [f.span.line for f in loaded.findings if f.key == "PR014.zero" and f.span] == [1]


def test_weight_zero_does_not_block_evaluation(tmp_path: Path) -> None:
    path = tmp_path / "z.perf"
    path.write_text("a >= 1 weight 100\nb >= 1 weight 0\nactuals {\n  a = 1\n  b = 1\n}\n", encoding="utf-8")
    outcome = cli("eval", str(path))
    assert outcome.exit_code == 0 and "PR014" in outcome.stdout


# ---------------------------------------------------------------- 6. verbal grades

VERBAL = """\
a >= 10 个 weight 100
actuals {{
  a = 10 个
}}
expect {{
  total 100
  grade {grade}
}}
"""


@pytest.mark.parametrize("grade", ['"实施比较顺利"', "“实施 比较顺利”"])
def test_a_verbal_grade_is_text_not_a_band(grade: str) -> None:
    loaded = load(VERBAL.format(grade=grade))
    assert "PR308" not in loaded.codes()
    (found,) = [f for f in loaded.findings if f.code == "PR303"]
    assert found.key == "PR303.verbal" and found.severity == "info"
    (row,) = [r for r in loaded.result.expect if r.target == "grade"]
    assert (row.label(), row.published_text(), row.computed_text(), row.equal) == \
        ("等级 grade", grade.strip('"“”'), "优（文字等级，不比较）", None)  # None: not compared


def test_an_unquoted_grade_that_is_no_band_is_a_warning_not_a_verbal_grade() -> None:
    """A bare name is a band's name (tests/test_issue10_trial.py): unknown, it is a warning and is not compared."""
    loaded = load(VERBAL.format(grade="实施比较顺利"))
    assert "PR308" not in loaded.codes()
    (found,) = [f for f in loaded.findings if f.code == "PR303"]
    assert found.key == "PR303.unknown_far" and found.severity == "warning"
    (row,) = [r for r in loaded.result.expect if r.target == "grade"]
    assert (row.computed_text(), row.equal) == ("优（不是分数段，不比较）", None)


def test_a_band_name_is_still_compared() -> None:
    loaded = load(VERBAL.format(grade="良"))
    assert [f.key for f in loaded.findings if f.code in ("PR303", "PR308")] == ["PR303", "PR308"]


def test_named_bands_are_compared_by_their_names() -> None:
    text = "grades {\n  实施顺利 >= 90\n  实施比较顺利 >= 60\n  不顺利 otherwise\n}\n" + VERBAL.format(grade='"实施比较顺利"')
    loaded = load(text)
    assert [f.key for f in loaded.findings if f.code in ("PR303", "PR308")] == ["PR303", "PR308"]
    ok = load(text.replace('"实施比较顺利"', "实施顺利"))
    assert [f.key for f in ok.findings if f.code in ("PR303", "PR308")] == []


def test_a_verbal_grade_is_formatted_as_written(tmp_path: Path) -> None:
    path = tmp_path / "g.perf"
    path.write_text(VERBAL.format(grade='"实施比较顺利"'), encoding="utf-8")
    assert cli("fmt", "--check", str(path)).exit_code == 0


def test_the_documented_verbal_grade_example(tmp_path: Path) -> None:
    _eval_shows(tmp_path, "### 文字等级")


# ---------------------------------------------------------------- 2. percentage weights

CRITERIA = """\
ruleset "按准则评价" {{ year 2023 {total} }}
dimension 评价准则 weight {dim} {{
  相关性 >= 100 分 weight 20%
  效率 >= 100 分 weight 25%
  效果 >= 100 分 weight 35%
  可持续性 >= 100 分 weight {last}
}}
actuals {{
  相关性 = 90 分
  效率 = 80 分
  效果 = 83.5 分
  可持续性 = 77.25 分
}}
"""


def test_percent_weights_reproduce_a_published_total() -> None:
    loaded = load(CRITERIA.format(total="", dim="100%", last="20%"))
    assert [f.code for f in loaded.findings if f.code.startswith(("PR0", "PR103"))] == []
    assert [loaded.ind(n).weight for n in ("相关性", "效率", "效果", "可持续性")] == [D(20), D(25), D(35), D(20)]
    assert loaded.ind("效果").score == D("29.23")  # 83.5 × 35% = 29.225
    assert loaded.result.total == D("82.68")  # 82.675 → 82.68


def test_percent_weights_are_shares_of_the_ruleset_total() -> None:
    loaded = load(CRITERIA.format(total="total 10", dim="100%", last="20%"))
    assert [loaded.ind(n).weight for n in ("相关性", "效率", "效果", "可持续性")] == [D(2), D("2.5"), D("3.5"), D(2)]


def test_percent_weights_that_do_not_sum_to_100_are_pr103() -> None:
    loaded = load(CRITERIA.format(total="", dim="100%", last="10%"))
    assert "PR103" in loaded.codes()


@pytest.mark.parametrize("zero", ["0%", "０％"])
def test_a_zero_percent_weight_is_a_finding(zero: str) -> None:
    loaded = load(f"a >= 1 weight 100%\nb >= 1 weight {zero}\nactuals {{\n  a = 1\n  b = 1\n}}\n")
    assert [f.key for f in loaded.findings if f.code == "PR014"] == ["PR014.zero"]


def test_percent_weight_lines_are_read_by_lark_and_formatted_as_written(tmp_path: Path) -> None:
    assert same_as_lark("a >= 1 weight 20%", "section_line") is False  # lark's: the fast path leaves it
    path = tmp_path / "p.perf"
    path.write_text("a >= 1 weight 100%\nactuals {\n  a = 1\n}\n", encoding="utf-8")
    assert cli("fmt", "--check", str(path)).exit_code == 0


def test_the_documented_percent_weight_example(tmp_path: Path) -> None:
    _eval_shows(tmp_path, "### 百分比权重")
