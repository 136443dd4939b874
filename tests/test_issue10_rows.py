"""Issue 10, items 3 and 5: rounding where the table rounds, and what a printed row holds.

Item 3: `rounding N [mode]` on a dimension, group or indicator (innermost wins, the mode inherited), the new mode
`up` (进一法); subtotals are exact sums of the rounded rows, the total keeps the ruleset's rounding.
Item 5: `review N` (复核分), `score ?`, `rate P` (执行率), evidence text after the actual, `weight N inferred` (推定):
parsed, kept in the plan, audited (PR301/PR305/PR306 on the review score, PR302 bounds, PR309) and shown in
every report. Each at its boundaries, and each documented example run as documented.
"""

from __future__ import annotations

import json
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from perfrules import pipeline
from perfrules.fmt import format_text, plan_fingerprint
from perfrules.plan.serialize import dump_plan, load_plan
from perfrules.render.html import render_html
from perfrules.render.markdown import render_markdown
from perfrules.scoring.evaluate import evaluate
from perfrules.syntax import ast, parse

from conftest import ROOT, SEED, cli, load, syntax

D = Decimal

# ---------------------------------------------------------------- helpers


def _documented(heading: str) -> tuple[str, str]:
    """The first perf block and the text block after it, under `heading` of docs/language.md."""
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    section = page[page.index(heading):]
    perf = re.search(r"```perf\n(.*?)```", section, re.S)
    text = re.search(r"```text\n(.*?)```", section, re.S)
    assert perf is not None and text is not None
    return perf[1], text[1]


def _eval_shows(tmp_path: Path, heading: str, name: str, exit_code: int) -> str:
    """Run the documented example under `heading` as `name` (the file name the docs show); every documented line
    is in the output, as written."""
    perf, text = _documented(heading)
    path = tmp_path / name
    path.write_text(perf, encoding="utf-8")
    import os

    here = os.getcwd()
    os.chdir(tmp_path)  # the findings name the file as the docs do
    try:
        outcome = cli("eval", name)
    finally:
        os.chdir(here)
    assert outcome.exit_code == exit_code, outcome.stdout + outcome.stderr
    shown = [line.rstrip() for line in (outcome.stdout + outcome.stderr).splitlines()]
    for line in text.strip("\n").splitlines():
        assert line.rstrip() in shown, (line, outcome.stdout)
    return outcome.stdout


def _scores(text: str) -> dict[str, Decimal | None]:
    loaded = load(text)
    return {i.name: i.score for i in loaded.result.all_indicators}


def _pr0(loaded: object) -> list[str]:
    return [f.key for f in loaded.findings if f.code.startswith("PR0")]  # type: ignore[attr-defined]


def _run(tmp_path: Path, text: str, name: str = "t.perf") -> pipeline.Run:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return pipeline.analyse(path)


# ---------------------------------------------------------------- item 3: rounding where the table rounds

TABLE = """\
ruleset "按表舍入" { year 2023 }
dimension 产出 weight 40 rounding 0 half-up {
  a >= 500 人 weight 10
  b >= 20 场 weight 10
  c >= 100% weight 10 rounding 0 down
  d >= 100% weight 10 rounding 0 up
}
dimension 效益 weight 60 {
  e >= 80% weight 30
  f >= 90% weight 30
}
actuals {
  a = 431 人
  b = 17 场
  c = 98%
  d = 90.1%
  e = 75.3%
  f = 88.8%
}
"""


def test_a_dimension_in_whole_points_rounds_each_row_and_the_total_keeps_two_places() -> None:
    loaded = load(TABLE)
    assert _pr0(loaded) == []
    scores = {i.name: i.score for i in loaded.result.all_indicators}
    assert scores == {"a": D(9), "b": D(9), "c": D(9), "d": D(10), "e": D("28.24"), "f": D("29.60")}
    # 8.62 -> 9 and 8.5 -> 9 (half up), 98% of 10 = 9.8 -> 9 (down), 9.01 -> 10 (up)
    dims = {d.name: d.score for d in loaded.result.dimensions()}
    assert dims == {"产出": D(37), "效益": D("57.84")} and str(dims["产出"]) == "37.00"
    assert loaded.result.total == D("94.84") and str(loaded.result.total) == "94.84"
    assert loaded.result.grade == "优"


@pytest.mark.parametrize("mode, actual, expected", [
    ("half-up", "85%", "9"),      # 8.5 -> 9
    ("half-up", "84.9%", "8"),    # 8.49 -> 8
    ("四舍五入", "86.2%", "9"),
    ("down", "99.9%", "9"),       # 9.99 -> 9
    ("截断", "98%", "9"),
    ("up", "90.1%", "10"),        # 9.01 -> 10
    ("up", "90%", "9"),           # 9.00 stays 9
    ("进一法", "90.01%", "10"),
    ("向上取整", "0.01%", "1"),   # 0.001 -> 1
    ("up", "0%", "0"),            # nothing to round up
    ("half-even", "85%", "8"),    # 8.5 -> 8 (to even)
    ("银行家舍入", "95%", "10"),  # 9.5 -> 10 (to even)
])
def test_each_mode_at_its_boundary(mode: str, actual: str, expected: str) -> None:
    scores = _scores(f"x >= 100% weight 10 rounding 0 {mode}\ny >= 1 个 weight 90\n"
                     f"actuals {{\n  x = {actual}\n  y = 1 个\n}}\n")
    assert scores["x"] == D(expected) and str(scores["x"]) == expected


def test_the_innermost_rounding_wins_and_a_mode_not_written_is_the_scope_s() -> None:
    text = """\
    ruleset "r" { year 2023 rounding 2 down }
    dimension 产出 weight 100 rounding 1 half-up {
      group 数量 {
        a >= 100% weight 10
        b >= 100% weight 10 rounding 0
      }
      group 质量 rounding 0 up {
        c >= 100% weight 10
        d >= 100% weight 70 rounding 2
      }
    }
    actuals {
      a = 86.26%
      b = 86.26%
      c = 86.26%
      d = 86.26%
    }
    """
    loaded = load(text)
    scores = {i.name: i.score for i in loaded.result.all_indicators}
    # a: the dimension's 1 place half-up; b: 0 places, the dimension's mode (half-up); c: the group's 0 up;
    # d: 2 places, the group's mode (up): 60.382 -> 60.39
    assert scores == {"a": D("8.6"), "b": D(9), "c": D(9), "d": D("60.39")}
    plan = {i.name: (i.places, i.rounding) for i in loaded.plan.all_indicators}
    assert plan == {"a": (1, "ROUND_HALF_UP"), "b": (0, "ROUND_HALF_UP"), "c": (0, "ROUND_UP"), "d": (2, "ROUND_UP")}
    assert loaded.result.total == D("86.99")  # 8.6 + 9 + 9 + 60.39, kept at the ruleset's two places


def test_a_subtotal_is_the_exact_sum_even_when_a_row_is_finer_than_the_ruleset() -> None:
    text = """\
    dimension 产出 weight 100 {
      a >= 100% weight 50 rounding 3
      b >= 100% weight 50 rounding 3
    }
    actuals {
      a = 90.005%
      b = 90.005%
    }
    """
    loaded = load(text)
    (dim,) = loaded.result.dimensions()
    assert [i.score for i in loaded.result.all_indicators] == [D("45.003"), D("45.003")]
    assert dim.score == D("90.006") and str(dim.score) == "90.006"  # exact, not rounded to two places
    assert loaded.result.total == D("90.01")  # the total keeps the ruleset's rounding


def test_without_scoped_rounding_nothing_changes() -> None:
    loaded = load("a >= 100% weight 100\nactuals {\n  a = 12.5%\n}\n")
    assert loaded.result.all_indicators[0].score == D("12.50") and loaded.result.total == D("12.50")
    assert all(i.places is None and i.rounding is None for i in loaded.plan.all_indicators)


@pytest.mark.parametrize("line, where", [
    ("dimension 产出 weight 100 rounding 7 {", "产出"),
    ("dimension 产出 weight 100 {\n  a >= 1 个 weight 100 rounding 9", "a"),
])
def test_places_outside_0_to_6_are_located_and_the_scope_s_rounding_is_kept(line: str, where: str) -> None:
    body = line if "a >=" in line else line + "\n  a >= 1 个 weight 100"
    loaded = load(body + "\n}\nactuals {\n  a = 1 个\n}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR014"]
    assert finding.message() == f"{where} 的舍入位数 rounding 的取值 {9 if where == 'a' else 7} 无效，可选：0–6"
    assert finding.span is not None and finding.span.line == (2 if where == "a" else 1)
    assert loaded.plan.all_indicators[0].places is None


def test_rounding_on_a_section_is_no_longer_refused_but_cap_still_is() -> None:
    loaded = load("dimension 产出 weight 100 rounding 0 cap 120% {\n  a >= 1 个 weight 100\n}\n"
                  "actuals {\n  a = 1 个\n}\n")
    assert [f.key for f in loaded.findings if f.code == "PR014"] == ["PR014.section"]
    assert "cap" in next(f for f in loaded.findings if f.code == "PR014").message()


def test_ruleset_mode_up() -> None:
    loaded = load('ruleset "r" { rounding 2 up }\na >= 100% weight 100\nactuals {\n  a = 12.501%\n}\n')
    assert loaded.plan.rounding == "ROUND_UP" and loaded.result.total == D("12.51")


def test_scoped_rounding_in_the_plan_json_and_back() -> None:
    loaded = load(TABLE)
    data = json.loads(json.dumps(dump_plan(loaded.plan)))
    nodes = {n["name"]: n for d in data["body"] for n in [d, *d["children"]]}
    assert (nodes["产出"]["places"], nodes["产出"]["rounding"]) == (0, "ROUND_HALF_UP")
    assert (nodes["c"]["places"], nodes["c"]["rounding"]) == (0, "ROUND_DOWN")
    assert (nodes["d"]["places"], nodes["d"]["rounding"]) == (0, "ROUND_UP")
    assert "places" not in nodes["效益"] and "places" not in nodes["e"]
    again = evaluate(load_plan(data))
    assert [i.score for i in again.all_indicators] == [i.score for i in loaded.result.all_indicators]
    assert again.total == D("94.84")


def test_the_seed_plan_has_no_new_keys() -> None:
    run = pipeline.analyse(SEED)
    assert run.result is not None and run.result.total == D("91.23") and run.result.grade == "优"
    text = json.dumps(dump_plan(run.plan), ensure_ascii=False)
    for key in ('"places": 0', '"weight_inferred"', '"review"', '"score_unreadable"', '"evidence"', '"rate"'):
        assert key not in text


def test_xlsx_rounds_each_row_by_its_own_rule(tmp_path: Path) -> None:
    path = tmp_path / "t.perf"
    path.write_text(TABLE, encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert cli("eval", str(path), "--format", "xlsx", "-o", str(out)).exit_code == 0
    ws = load_workbook(out).active
    rows = {ws.cell(r, 3).value: r for r in range(1, ws.max_row + 1)}
    assert ws.cell(rows["a"], 12).value == f"=ROUND(K{rows['a']}+1E-9,0)"
    assert ws.cell(rows["c"], 12).value == f"=ROUNDDOWN(K{rows['c']}+1E-9,0)"
    assert ws.cell(rows["d"], 12).value == f"=ROUNDUP(MAX(0,K{rows['d']}-1E-9),0)"
    assert ws.cell(rows["e"], 12).value == f"=ROUND(K{rows['e']}+1E-9,2)"
    assert ws.cell(rows["a"], 12).number_format == "0" and ws.cell(rows["e"], 12).number_format == "0.00"
    notes = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert any(isinstance(n, str) and n.startswith("· 写了 rounding 的维度") for n in notes)


def test_the_documented_scoped_rounding_example(tmp_path: Path) -> None:
    _eval_shows(tmp_path, "### 17.13 舍入", "舍入.perf", exit_code=0)


# ---------------------------------------------------------------- method actual needs a rate


def test_method_actual_on_a_count_is_a_located_finding() -> None:
    loaded = load("a >= 100 人 weight 20 method actual\nactuals {\n  a = 120 人\n}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR014"]
    assert finding.key == "PR014.actual_unit" and finding.severity.value == "error"
    assert finding.message() == ("按实际值计分（method actual）须用于以 % 计的比率指标，而 a 的单位是 人："
                                 "得分 = 分值 × 实际值 没有意义")
    assert finding.span is not None and (finding.span.line, finding.span.column) == (1, 29)  # the method's name


def test_method_actual_on_a_rate_stays_silent(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.perf", "a >= 95% weight 20 method actual\nb >= 1 个 weight 80\n"
                           "actuals {\n  a = 98%\n  b = 1 个\n}\n")
    out = cli("eval", path, "--format", "json")
    assert out.exit_code == 0
    assert [i["score"] for i in out.json()["indicators"]] == [19.6, 80]
    assert not [f for f in out.json()["findings"] if f["code"] == "PR014"]


def test_method_actual_on_a_count_exits_2(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.perf", "a >= 100 人 weight 100 method actual\nactuals {\n  a = 120 人\n}\n")
    out = cli("eval", path)
    assert out.exit_code == 2 and "PR014 错误 按实际值计分（method actual）须用于以 % 计的比率指标" in out.stderr


# ---------------------------------------------------------------- item 5: syntax of a printed row


def _actual(text: str) -> ast.Actual:
    doc, findings = parse(text, "t.perf")
    assert findings == []
    (actual,) = doc.actuals
    return actual


def test_review_unreadable_score_rate_and_evidence_parse() -> None:
    actual = _actual('a qualitative weight 10\nactuals {\n  a = 达成 90% "人均补助提高了5%，覆盖2216户" score ? review 9\n}\n')
    assert actual.score is None and actual.extra is not None
    assert actual.extra.score_unreadable and actual.extra.review == D(9)
    assert actual.extra.evidence == "人均补助提高了5%，覆盖2216户"
    note = _actual("a = b / c >= 100% weight 10\nactuals {\n  a 执行率 95.3% 得分 9.53 复核分 9\n}\n")
    assert note.value is None and note.score == D("9.53")
    assert note.extra is not None and note.extra.review == D(9) and str(note.extra.rate) == "95.3%"


def test_the_extras_on_continuation_lines() -> None:
    actual = _actual("a >= 100% weight 10\nactuals {\n  a = 90%\n    review ?\n    rate 90%\n    得分 ？\n}\n")
    assert actual.extra is not None
    assert actual.extra.review_unreadable and actual.extra.score_unreadable and str(actual.extra.rate) == "90%"


def test_a_review_given_twice_over_lines_is_pr005() -> None:
    findings = syntax("a >= 100% weight 10\nactuals {\n  a = 90% review 9\n    review 8\n}\n")
    assert [(f.code, f.message()) for f in findings] == [("PR005", "子句 review 重复出现")]


def test_an_indicator_named_like_the_rate_keyword() -> None:
    loaded = load("执行率 >= 90% weight 100\nactuals {\n  执行率 = 95% rate 95%\n}\n")
    assert _pr0(loaded) == [] and loaded.result.total == D(100)
    assert loaded.result.all_indicators[0].printed_rate_text == "95%"


def test_the_weight_inferred_clause() -> None:
    loaded = load("a >= 1 个 weight 10 inferred\nb >= 1 个 权重 90 推定\nactuals {\n  a = 1 个\n  b = 1 个\n}\n")
    assert [i.weight_inferred for i in loaded.plan.all_indicators] == [True, True]
    (info,) = [f for f in loaded.findings if f.code == "PR027"]
    assert info.severity.value == "info" and info.span is not None and info.span.line == 1
    assert info.message() == "2 个权重是推定的（表上没有印出）：a 10、b 90；请与原表核对"
    assert loaded.result.total == D(100)


def test_no_inferred_weight_no_pr027() -> None:
    assert "PR027" not in load("a >= 1 个 weight 100\nactuals {\n  a = 1 个\n}\n").codes()


FULL = """\
ruleset "x" { year 2023 rounding 2 up }
dimension 产出 weight 100 rounding 0 {
  group g rounding 1 down {
    a >= 100 人 weight 10 inferred rounding 0 up
    b >= 100% weight 90 method actual
  }
}
actuals {
  a = 86.2 人 "证据 文字" score ? review 9
  b = 98% rate 98%
    review ?
}
"""


def test_fmt_keeps_every_new_clause_and_reformatting_is_stable() -> None:
    formatted, findings = format_text(FULL)
    assert findings == [] and formatted is not None
    assert "    a >= 100 人 weight 10 inferred rounding 0 up" in formatted
    assert '  a = 86.2 人 "证据 文字" score ? review 9' in formatted
    assert "    review ?" in formatted and "group g rounding 1 down {" in formatted
    assert plan_fingerprint(formatted) == plan_fingerprint(FULL)
    assert format_text(formatted)[0] == formatted


def test_fmt_leaves_an_actual_named_like_the_rate_keyword_at_its_depth() -> None:
    text = "执行率 >= 90% weight 100\nactuals {\n  执行率 = 95%\n    执行率 95%\n}\n"
    assert format_text(text)[0] == text


def test_the_extras_in_the_plan_json_and_back() -> None:
    loaded = load(FULL)
    data = json.loads(json.dumps(dump_plan(loaded.plan)))
    by_key = {a["key"]: a for a in data["actuals"]}
    assert by_key["产出/g/a"]["score_unreadable"] is True and by_key["产出/g/a"]["review"] == "9"
    assert by_key["产出/g/a"]["evidence"] == "证据 文字"
    assert by_key["产出/g/b"]["rate"] == "0.98" and by_key["产出/g/b"]["rate_text"] == "98%"
    assert by_key["产出/g/b"]["review_unreadable"] is True
    again = load_plan(data)
    assert again.actuals == loaded.plan.actuals
    assert [i.weight_inferred for i in again.all_indicators] == [True, False]


# ---------------------------------------------------------------- the review score is audited


def test_a_review_score_off_the_rule_says_it_is_the_review_score() -> None:
    loaded = load("a <= 5300 元/户 weight 10\nb >= 1 个 weight 90\nactuals {\n"
                  "  a = 5830 元/户 score 9.09 review 10\n  b = 1 个 score 90 review 90\n}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR301"]
    assert finding.key == "PR301.review"
    assert finding.message() == "a 复核分 10，按规则（比例法）应得 9.09"


def test_both_scores_off_give_two_findings() -> None:
    loaded = load("a <= 5300 元/户 weight 10\nactuals {\n  a = 5830 元/户 score 10 review 9.5\n}\n")
    assert [f.key for f in loaded.findings if f.code == "PR301"] == ["PR301", "PR301.review"]


def test_a_missed_target_with_a_full_review_score() -> None:
    loaded = load("a >= 100% weight 5\nactuals {\n  a = 60% score 3 review 5\n}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR305"]
    assert finding.key == "PR305.review" and "复核分却是满分 5" in finding.message()


def test_a_qualitative_review_score_outside_its_tier() -> None:
    loaded = load("a qualitative weight 10\nactuals {\n  a = 部分达成 70% score 7 review 9\n}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR306"]
    assert finding.key == "PR306.review"
    assert finding.message() == "a 评为「部分达成」，复核分 9 不在 6–8 分之间"


# ---------------------------------------------------------------- score ?: PR302 still bounds the total

BOUND = """\
a >= 100 人 weight 40
b >= 100 人 weight 30
c >= 100 人 weight 30
actuals {{
  a = 100 人 score 40
  b = 80 人 score ?
  c = 80 人 score 24
}}
expect {{ total {total} }}
"""


@pytest.mark.parametrize("total, key", [
    ("98", "PR302.bound"),   # the rows allow at most 40 + 30 + 24 = 94
    ("94", None),            # the most they allow
    ("64", None),            # the least: the unreadable row scored 0
    ("63.99", "PR302.bound"),
    ("88", None),
])
def test_an_unreadable_score_bounds_the_published_total(total: str, key: str | None) -> None:
    loaded = load(BOUND.format(total=total))
    found = [f for f in loaded.findings if f.code == "PR302"]
    assert [f.key for f in found] == ([key] if key else [])
    if key:
        assert found[0].severity.value == "error"
        assert found[0].message() == (f"公布总分 {total}，而各行公布得分之和只能在 64–94 之间（1 行得分无法辨认：b）")


def test_the_bound_counts_a_cap() -> None:
    loaded = load(BOUND.replace("b >= 100 人 weight 30", "b >= 100 人 weight 30 cap 120%").format(total="98"))
    assert "PR302" not in loaded.codes()  # b may score up to 36: at most 100


def test_a_row_without_any_published_score_still_skips_pr302() -> None:
    loaded = load(BOUND.replace("  c = 80 人 score 24\n", "  c = 80 人\n").format(total="98"))
    assert "PR302" not in loaded.codes()


def test_all_rows_readable_is_the_sum_as_before() -> None:
    loaded = load(BOUND.replace("score ?", "score 24").format(total="89"))
    (finding,) = [f for f in loaded.findings if f.code == "PR302"]
    assert finding.key == "PR302" and finding.message() == "公布总分 89，而各行公布得分之和为 88"


# ---------------------------------------------------------------- rate: the printed 执行率

RATE = """\
facts {{
  全年预算数 = 600 万元
  全年执行数 = 571.6 万元
}}
预算执行率 = 全年执行数 / 全年预算数 >= 100% weight 10 method execution
b >= 1 个 weight 90
actuals {{
  预算执行率 rate {rate}
  b = 1 个
}}
"""


@pytest.mark.parametrize("rate, wrong", [
    ("95.27%", False),  # computed 95.2666…%
    ("95.3%", False),   # rounded half up to one place
    ("95%", False),
    ("95.26%", False),  # truncated
    ("95.2%", False),
    ("95.4%", True),
    ("95.25%", True),
    ("96%", True),
    ("95.3", False),    # a bare number is read in %
    ("952.7‰", False),
    ("98.5%", True),
])
def test_a_printed_rate_against_the_computed_one(rate: str, wrong: bool) -> None:
    loaded = load(RATE.format(rate=rate))
    found = [f for f in loaded.findings if f.code == "PR309"]
    assert len(found) == int(wrong)
    if wrong:
        assert found[0].severity.value == "error" and found[0].span is not None and found[0].span.line == 5
        assert found[0].message() == (f"预算执行率 印出的执行率 {rate} 与计算值 95.27% 不符（按所印位数四舍五入或截断后仍不同）")


def test_a_rate_on_a_row_that_is_not_a_rate_is_pr014() -> None:
    loaded = load("a >= 100 人 weight 100\nactuals {\n  a = 95 人 rate 95%\n}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR014"]
    assert finding.key == "PR014.rate_unit" and finding.span is not None and finding.span.line == 3
    assert "执行率 rate 只用于以 % 计的指标" in finding.message()


def test_a_rate_in_another_unit_is_pr014() -> None:
    loaded = load("a >= 100% weight 100\nactuals {\n  a = 95% rate 95 人\n}\n")
    assert [f.key for f in loaded.findings if f.code == "PR014"] == ["PR014"]


# ---------------------------------------------------------------- every report shows them

SHOWN = """\
ruleset "表" { year 2023 }
a >= 100 人 weight 40 inferred
b qualitative weight 30
c >= 100% weight 30
actuals {
  a = 90 人 score ? review 36
  b = 达成 90% "人均补助提高了5%，覆盖2216户" score 27
  c = 95% rate 95% score 28.5
}
"""


def test_text_shows_what_the_row_prints(write) -> None:  # type: ignore[no-untyped-def]
    out = cli("eval", write("t.perf", SHOWN))
    assert out.exit_code == 0
    lines = [line.rstrip() for line in out.stdout.splitlines()]
    assert "a     40（推定）  >= 100 人  90 人       90.00%  36.00" in lines
    assert "表上的其他内容：" in lines
    assert "  a  公布得分 ?（无法辨认）；复核分 36" in lines
    assert "  b  佐证「人均补助提高了5%，覆盖2216户」" in lines
    assert "  c  表上执行率 95%" in lines


def test_text_in_english(write) -> None:  # type: ignore[no-untyped-def]
    out = cli("eval", write("t.perf", SHOWN), "--lang", "en")
    assert "also printed on the form:" in out.stdout and "  a  published ? (unreadable); review 36" in out.stdout
    assert "40 (inferred)" in out.stdout


def test_json_shows_what_the_row_prints(write) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    out = cli("eval", write("t.perf", SHOWN), "--format", "json")
    data = out.json()
    jsonschema.validate(data, json.loads((ROOT / "docs" / "schemas" / "result.schema.json").read_text("utf-8")))
    a, b, c = data["indicators"]
    assert a["published_score"] is None and a["published_unreadable"] is True and a["review_score"] == 36
    assert a["weight_inferred"] is True and "evidence" not in a
    assert b["evidence"] == "人均补助提高了5%，覆盖2216户" and "review_score" not in b
    assert c["printed_rate"] == "95%" and c["published_score"] == 28.5
    assert [f["code"] for f in data["findings"] if f["code"] == "PR027"] == ["PR027"]


def test_json_of_a_file_without_them_is_unchanged(write) -> None:  # type: ignore[no-untyped-def]
    out = cli("eval", str(SEED), "--format", "json")
    for key in ("review_score", "published_unreadable", "printed_rate", "evidence", "weight_inferred", "places"):
        assert f'"{key}"' not in out.stdout


def test_markdown_and_html_columns(tmp_path: Path) -> None:
    run = _run(tmp_path, SHOWN)
    assert run.result is not None
    table = [[c.strip() for c in line.split("|")[1:-1]]
             for line in render_markdown(run.result, run.sorted_findings(), "zh", run.plan).splitlines()
             if line.startswith("| ")]
    head = table[0]
    assert head[3] == "分值" and head[8:12] == ["公布得分", "复核分", "偏差原因", "佐证"]
    rows = {r[0]: r for r in table[1:]}
    assert rows["a"][3] == "40（推定）" and rows["a"][8:10] == ["?（无法辨认）", "36"]
    assert rows["b"][11] == "人均补助提高了5%，覆盖2216户" and rows["c"][11] == "表上执行率 95%"
    page = render_html(run.result, run.sorted_findings(), "zh", run.plan)
    assert "<th>复核分</th>" in page.replace(' class="num"', "") or "复核分</th>" in page
    assert "40（推定）" in page and "?（无法辨认）" in page and "人均补助提高了5%，覆盖2216户" in page
    assert "表上执行率 95%" in page


def test_markdown_of_the_seed_has_no_new_columns() -> None:
    run = pipeline.analyse(SEED)
    assert run.result is not None
    text = render_markdown(run.result, run.sorted_findings(), "zh", run.plan)
    assert "复核分" not in text and "佐证" not in text and "推定" not in text


def test_xlsx_columns(tmp_path: Path) -> None:
    path = tmp_path / "t.perf"
    path.write_text(SHOWN, encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert cli("eval", str(path), "--format", "xlsx", "-o", str(out)).exit_code == 0
    ws = load_workbook(out).active
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "一级指标")
    names = [ws.cell(header, c).value for c in range(1, ws.max_column + 1)]
    assert names[14:19] == ["公布得分", "复核分", "偏差原因", "佐证", "问题"]
    rows = {ws.cell(r, 1).value: r for r in range(header + 1, ws.max_row + 1)}
    a, b, c = rows["a"], rows["b"], rows["c"]
    assert ws.cell(a, 4).value == 40 and ws.cell(a, 4).number_format == 'General"（推定）"'
    assert ws.cell(a, 15).value == "?（无法辨认）" and ws.cell(a, 16).value == 36
    assert ws.cell(b, 18).value == "人均补助提高了5%，覆盖2216户" and ws.cell(c, 18).value == "表上执行率 95%"


def test_the_report_annex_and_sentences(write) -> None:  # type: ignore[no-untyped-def]
    out = cli("report", write("t.perf", SHOWN), "--format", "markdown")
    assert "实际完成值：达成，指标完成率90%。佐证：人均补助提高了5%，覆盖2216户。" in out.stdout
    assert "| a |  |  | 40（推定） |" in out.stdout or "40（推定）" in out.stdout
    assert "达成（佐证：人均补助提高了5%，覆盖2216户）" in out.stdout
    assert "标「推定」的分值表上没有印出，是推定的：a。" in out.stdout


def test_hover_shows_the_printed_row() -> None:
    from perfrules.lsp.analysis import analyse, hover

    analysis = analyse(SHOWN, "t.perf")
    text = hover(analysis, 2, 1)
    assert text is not None and "- 权重：40（推定：表上没有印出）" in text
    assert "- 公布得分：?（无法辨认）" in text and "- 复核分：36" in text
    text = hover(analysis, 4, 1)
    assert text is not None and "- 表上执行率：95%" in text


def test_hover_shows_a_row_s_own_rounding() -> None:
    from perfrules.lsp.analysis import analyse, hover

    text = hover(analyse(TABLE, "t.perf"), 5, 3)
    assert text is not None and "- 舍入：0 位小数 截断" in text


# ---------------------------------------------------------------- the documented examples


def test_the_documented_printed_row_example(tmp_path: Path) -> None:
    _eval_shows(tmp_path, "### 表上的其他内容", "表上.perf", exit_code=1)


def test_the_documented_inferred_weight_example(tmp_path: Path) -> None:
    _eval_shows(tmp_path, "### 推定的权重", "推定.perf", exit_code=0)


def test_the_documented_pr309_sentence() -> None:
    perf, _text = _documented("### 表上的其他内容")
    loaded = load(perf.replace("执行率 95.3%", "执行率 98.5%"))
    (finding,) = [f for f in loaded.findings if f.code == "PR309"]
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    assert f"`PR309 错误 {finding.message()}`" in page


# ---------------------------------------------------------------- the 自评表 importer writes what the row prints

FORM = """\
一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分,复核分
产出指标,数量指标,培训人次,≥1000人次,1200人次,50,50,48
效益指标,满意度指标,满意度,≥90%,95%,50,模糊,50
合计,,,,,100,98,
"""


def test_import_writes_review_and_an_unreadable_score_and_the_audit_points_at_the_review_cell(tmp_path: Path) -> None:
    from perfrules.audit import audit

    path = tmp_path / "form.csv"
    path.write_text(FORM, encoding="utf-8")
    out = tmp_path / "form.perf"
    assert cli("import", str(path), "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "  培训人次 = 1200 人次 score 50 review 48\n" in text
    assert "  满意度   = 95%       score ? review 50  # 无法识别 第 3 行第 7 列「模糊」" in text
    run, _rows = audit(path)
    found = {(f.key, f.span.line, f.span.column) for f in run.findings if f.code.startswith("PR3") and f.span}
    # the review score 48 is off (column 8, the 复核分 cell); 98 is within 50–100, so PR302 stays silent
    assert found == {("PR301.review", 2, 8), ("PR308", 4, 7)}


def test_the_audit_table_and_json_show_the_review_score_and_an_unreadable_score(tmp_path: Path) -> None:
    import jsonschema

    path = tmp_path / "form.csv"
    path.write_text(FORM, encoding="utf-8")
    out = cli("audit", str(path))
    lines = [line.rstrip() for line in out.stdout.splitlines()]
    assert "指标                  分值       公布得分  复核分  重算得分  差异  位置            问题" in lines
    assert "满意度                  50  ?（无法辨认）      50     50.00        第 3 行第 7 列  PR024" in lines
    data = json.loads(cli("audit", str(path), "--format", "json").stdout)
    jsonschema.validate(data, json.loads((ROOT / "docs" / "schemas" / "audit.schema.json").read_text("utf-8")))
    first, second = data["audits"][0]["rows"]
    assert first["review"] == 48 and "published_unreadable" not in first
    assert second["published"] is None and second["published_unreadable"] is True and second["review"] == 50


def test_the_audit_table_without_review_scores_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "form.csv"
    path.write_text("一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分\n"
                    "产出指标,数量指标,培训人次,≥1000人次,1200人次,50,50\n"
                    "效益指标,满意度指标,满意度,≥90%,95%,50,50\n合计,,,,,100,100\n", encoding="utf-8")
    out = cli("audit", str(path))
    header = out.stdout.splitlines()[1]
    assert header.split() == ["指标", "分值", "公布得分", "重算得分", "差异", "位置", "问题"]


def test_hover_on_a_section_shows_its_rounding() -> None:
    from perfrules.lsp.analysis import analyse, hover

    text = hover(analyse(TABLE, "t.perf"), 2, 11)
    assert text is not None and "- 舍入：0 位小数 四舍五入" in text
    assert hover(analyse(TABLE, "t.perf"), 8, 11) is not None
    assert "舍入" not in (hover(analyse(TABLE, "t.perf"), 8, 11) or "")


def test_method_actual_on_a_formula_ratio_with_a_bare_target_is_allowed_but_a_bare_count_is_not() -> None:
    ratio = load("facts {\n  预算数 = 100 万元\n  执行数 = 98 万元\n}\n"
                 "预算执行率 = 执行数 / 预算数 >= 1 weight 20 method actual\nactuals {\n}\n")
    assert "PR014" not in ratio.codes() and ratio.result.all_indicators[0].score == D("19.60")
    bare = load("a >= 100 weight 20 method actual\nactuals {\n  a = 98\n}\n")
    assert [f.key for f in bare.findings if f.code == "PR014"] == ["PR014.actual_unit"]
    assert "的单位是 （无单位）" in next(f for f in bare.findings if f.code == "PR014").message()


# ---------------------------------------------------------------- with dates and checklists (issue 10, item 4)

COMBINED = """\
ruleset "合并" { year 2023 total 15 }
dimension 产出 weight 15 rounding 0 down {
  完成时间   <= 2023-12-31 weight 5 deduct 1.5 per 天 rounding 1 up
  验收时间   <= 2023-12-31 weight 5 inferred deduct 1.5 per 天
  制度健全性 elements ①:40% ②③④:20% weight 5 inferred
}
actuals {
  完成时间   = 2024-01-01 "验收报告" score 3.5 review 5
  验收时间   = 2024-01-01 score ?
  制度健全性 = 具备 ① ②   "制度文件" score 3 review 4
}
"""


def test_a_date_row_is_rounded_by_its_own_and_its_section_s_rounding() -> None:
    loaded = load(COMBINED)
    # one day late, 1.5 off: 3.5; its own rounding 1 up keeps 3.5, the dimension's 0 down makes the other 3
    assert [(i.name, i.score) for i in loaded.result.all_indicators] == [
        ("完成时间", D("3.5")), ("验收时间", D("3")), ("制度健全性", D("3"))]
    assert str(loaded.ind("完成时间").score) == "3.5" and str(loaded.ind("验收时间").score) == "3"
    assert loaded.result.total == D("9.50")  # the exact sum of the rounded rows, in the ruleset's 2 places


def test_review_scores_and_inferred_weights_on_date_and_checklist_rows() -> None:
    loaded = load(COMBINED)
    said = sorted((f.key, f.message()) for f in loaded.findings if f.code in ("PR027", "PR301", "PR305"))
    assert said == sorted([
        ("PR301.review", "完成时间 复核分 5，按规则（日期）应得 3.5"),
        ("PR305.review", "完成时间 未完成目标（实际 2024-01-01（逾期 1 天），目标 <= 2023-12-31），复核分却是满分 5"),
        ("PR027", "2 个权重是推定的（表上没有印出）：验收时间 5、制度健全性 5；请与原表核对"),
        ("PR301.review", "制度健全性 复核分 4，按规则（要素）应得 3"),
    ])
    row = loaded.ind("制度健全性")
    assert (row.review, row.evidence, row.actual_text) == (D(4), "制度文件", "具备 ①②")
    assert loaded.ind("验收时间").published_unreadable is True


def test_a_rate_or_method_actual_on_a_date_or_checklist_row_is_located() -> None:
    loaded = load('ruleset "x" { year 2023 }\n完成时间 <= 2023-12-31 weight 50 method actual\n'
                  "制度 elements ①:50% ②:50% weight 50\nactuals {\n  完成时间 = 2023-12-01 rate 95%\n"
                  "  制度 = 具备 ① rate 50%\n}\n")
    found = [(f.key, f.span.line) for f in loaded.findings if f.code == "PR014" and f.span is not None]
    assert found == [("PR014.date_clause", 2), ("PR014.rate_unit", 5), ("PR014.rate_unit", 6)]


def test_fmt_plan_json_and_schema_keep_the_combination(tmp_path: Path) -> None:
    import jsonschema

    from conftest import SCHEMAS

    formatted, findings = format_text(COMBINED)
    assert findings == [] and formatted == COMBINED  # written as fmt writes it, and so stable
    loaded = load(COMBINED)
    data = json.loads(json.dumps(dump_plan(loaded.plan)))
    jsonschema.validate(data, json.loads((SCHEMAS / "plan.schema.json").read_text(encoding="utf-8")),
                        cls=jsonschema.Draft202012Validator)
    first, second, third = data["body"][0]["children"]
    assert (first["kind"], first["places"], first["rounding"], first["deduct_period"]) == \
        ("date", 1, "ROUND_UP", "day")
    assert (second["places"], second["rounding"], second["weight_inferred"]) == (0, "ROUND_DOWN", True)
    assert third["method"] == "elements" and third["weight_inferred"] is True
    by_key = {a["key"]: a for a in data["actuals"]}
    assert by_key["产出/完成时间"]["value"] == "2024-01-01" and by_key["产出/完成时间"]["review"] == "5"
    assert by_key["产出/制度健全性"]["elements"] == ["①", "②"] and by_key["产出/制度健全性"]["evidence"] == "制度文件"
    again = load_plan(data)
    assert again.actuals == loaded.plan.actuals
    assert [i.score for i in evaluate(again).all_indicators] == [D("3.5"), D("3"), D("3")]


@pytest.mark.parametrize(("clause", "said"), [
    ("score 5", "score"), ("reason \"已追加\"", "reason"), ("review 3", "review"), ("score ?", "score ?"),
])
def test_a_row_clause_on_a_fact_is_reported_not_dropped(tmp_path: Path, clause: str, said: str) -> None:
    """A fact has no score, review score or reason: written on its actual line, it is a located PR014, never ignored."""
    rules = tmp_path / "f.perf"
    rules.write_text("facts {\n  全年预算数 = 100 万元\n}\n培训人数 >= 100 人 weight 100\n"
                     f"actuals {{\n  全年预算数 = 90 万元 {clause}\n  培训人数 = 120 人\n}}\n", encoding="utf-8")
    out = cli("check", str(rules))
    assert out.exit_code == 2
    assert f"f.perf:6:3: PR014 错误 基础数据 全年预算数 不是指标，不能写 {said}：" in out.stdout + out.stderr


def test_a_fact_without_row_clauses_still_counts(tmp_path: Path) -> None:
    rules = tmp_path / "f.perf"
    rules.write_text("facts {\n  全年预算数 = 100 万元\n}\n培训人数 >= 100 人 weight 100\n"
                     "actuals {\n  全年预算数 = 90 万元\n  培训人数 = 120 人\n}\n", encoding="utf-8")
    out = cli("check", str(rules))
    assert out.exit_code == 0 and "PR014" not in out.stdout + out.stderr


@pytest.mark.parametrize(("line", "code", "said"), [
    ("指标1 = 12 人 score ? score 3", "PR005", "子句 score 重复出现"),
    ("指标1 = 12 人 review 100 review 3", "PR005", "子句 review 重复出现"),
    ("指标1 = 12 人 reason \"a\" reason \"b\"", "PR005", "子句 reason 重复出现"),
    ("指标1 = 12 人 score 100\n  指标1 score 3", "PR010", "名称 指标1 重复定义（首次定义在第 3 行）"),
    ("指标1 = 12 人 review 9\n  指标1 review 3", "PR010", "名称 指标1 重复定义（首次定义在第 3 行）"),
])
def test_a_published_figure_given_twice_is_an_error_not_a_silent_choice(tmp_path: Path, line: str, code: str,
                                                                        said: str) -> None:
    rules = tmp_path / "d.perf"
    rules.write_text(f"指标1 >= 10 人 weight 100\nactuals {{\n  {line}\n}}\n", encoding="utf-8")
    out = cli("check", str(rules))
    assert out.exit_code == 2
    assert f"{code} 错误 {said}" in out.stdout + out.stderr


def test_a_note_that_adds_a_figure_the_row_lacks_still_joins_it(tmp_path: Path) -> None:
    rules = tmp_path / "d.perf"
    rules.write_text("指标1 >= 10 人 weight 100\nactuals {\n  指标1 = 12 人 score 100\n  指标1 reason \"超额\"\n}\n",
                     encoding="utf-8")
    out = cli("eval", str(rules), "--format", "json")
    assert out.exit_code == 0
    assert '"reason": "超额"' in out.stdout and '"published_score": 100' in out.stdout and "PR010" not in out.stdout
