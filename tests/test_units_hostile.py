"""No silently wrong score: units through formulas, negative actuals, decimal edge cases (issue 9)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfrules.messages import CODES

from conftest import load

D = Decimal

FACTS = """\
facts {
  预算 = 100 万元
  支出 = 60 万元
  结余 = 预算 - 支出
}
"""


def blocking(text: str) -> list[tuple[str, str, int]]:
    return [(f.code, f.key, f.span.line if f.span else 0) for f in load(text).findings
            if f.code in CODES and CODES[f.code].blocking]


# ---------------------------------------------------------------- units carried by formulas


def test_a_formula_fact_keeps_its_money_unit_against_a_head_count() -> None:
    loaded = load(FACTS + "受益人数 = 结余 >= 50 人 weight 50\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR013"]
    assert finding.span is not None and finding.span.line == 6
    assert finding.message() == "受益人数 的单位不一致：元 与 人"


def test_a_check_comparing_a_formula_fact_with_a_head_count_is_refused() -> None:
    loaded = load(FACTS + "x >= 1 weight 100\ncheck 结余检查: 结余 <= 10 人\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR013"]
    assert finding.span is not None and finding.span.line == 7
    assert finding.message() == "结余检查 的单位不一致：元 与 人"
    assert loaded.result.checks == ()


def test_a_ratio_of_like_units_is_plain_and_scores() -> None:
    loaded = load(FACTS + "结余率 = 结余 / 预算 >= 1% weight 10\n")
    assert blocking(FACTS + "结余率 = 结余 / 预算 >= 1% weight 10\n") == []
    result = loaded.ind("结余率")
    assert result.actual == D(40) and result.unit == "%"
    assert result.completion == D(40) and result.score == D("10.00")


def test_a_ratio_below_its_target_scores_proportionally() -> None:
    result = load(FACTS + "结余率 = 结余 / 预算 >= 80% weight 10\n").ind("结余率")
    assert result.completion == D("0.5") and result.score == D("5.00")


def test_a_formula_fact_shows_and_converts_in_its_operands_unit() -> None:
    loaded = load(FACTS + "x >= 1 weight 100\ncheck 结余检查: 结余 <= 50 万元\n")
    fact = next(f for f in loaded.plan.facts if f.name == "结余")
    assert fact.unit.text == "万元" and fact.unit.dims == (("元", 1),)
    (check,) = loaded.result.checks
    assert (check.texts(), check.passed) == (("40.00 万元", "50.00 万元"), True)


def test_money_units_convert_inside_formulas() -> None:
    text = "facts {\n  甲 = 1 亿元\n  乙 = 2000 万元\n  丙 = 甲 - 乙\n}\n占比 = 乙 / 甲 >= 20% weight 10\n" \
           "check 丙检查: 丙 = 80000000 元\n"
    loaded = load(text)
    assert blocking(text) == []
    assert loaded.ind("占比").score == D("10.00")
    (check,) = loaded.result.checks
    assert check.passed is True


def test_a_sum_of_different_dimensions_is_refused() -> None:
    text = "facts {\n  预算 = 100 万元\n  人数 = 50 人\n  乱 = 预算 + 人数\n}\nx >= 1 weight 100\n"
    assert blocking(text) == [("PR013", "PR013", 4)]


def test_a_ratio_of_unlike_units_is_not_a_percentage() -> None:
    text = "facts {\n  预算 = 100 万元\n  人数 = 50 人\n}\n人均 = 预算 / 人数 >= 80% weight 10\n"
    loaded = load(text)
    (finding,) = [f for f in loaded.findings if f.code == "PR013"]
    assert finding.message() == "人均 的单位不一致：元/人 与 %"


def test_cost_times_count_is_money_and_compares_with_the_budget() -> None:
    text = ("facts {\n  全年预算数 = 662.77 万元\n  人数 = 87411 人\n  标准 = 75 元/人/年\n  总成本 = 标准 * 人数\n}\n"
            "x >= 1 weight 100\ncheck 匹配: 总成本 <= 全年预算数\n")
    loaded = load(text)
    assert blocking(text) == []
    fact = next(f for f in loaded.plan.facts if f.name == "总成本")
    assert fact.unit.dims == (("元", 1),)
    (check,) = loaded.result.checks
    assert (check.texts()[0], check.passed) == ("655.58 万元", True)


def test_a_product_the_algebra_cannot_name_mismatches_only_against_another_dimension() -> None:
    head = "facts {\n  预算 = 100 万元\n  人数 = 50 人\n  怪 = 预算 * 人数\n}\nx >= 1 weight 100\n"
    assert blocking(head) == []
    assert blocking(head + "check c: 怪 <= 预算\n") == [("PR013", "PR013", 7)]
    assert blocking(head + "check c: 怪 / 人数 <= 预算\n") == []


def test_bare_numbers_are_pure_factors_and_unknown_units_never_mismatch() -> None:
    head = "facts {\n  预算 = 100 万元\n  人数 = 50\n  双倍 = 预算 * 2\n  人均 = 预算 / 人数\n}\nx >= 1 weight 100\n"
    assert blocking(head + "check a: 双倍 <= 300 万元\ncheck b: 人均 <= 3 万元\ncheck c: 人均 <= 3 人\n") == []
    assert blocking(head + "check d: 双倍 <= 3 人\n") == [("PR013", "PR013", 8)]


def test_units_flow_through_facts_declared_in_any_order() -> None:
    text = "facts {\n  结余率 = 结余 / 预算\n  结余 = 预算 - 支出\n  预算 = 100 万元\n  支出 = 60 万元\n}\n" \
           "x >= 1 weight 100\ncheck c: 结余率 <= 5 人\n"
    assert blocking(text) == [("PR013", "PR013", 8)]


def test_a_long_chain_of_formula_facts_neither_recurses_nor_loses_its_unit() -> None:
    lines = [f"  f{i} = f{i - 1} + 1 万元" for i in range(3000, 0, -1)] + ["  f0 = 1 万元"]
    text = "facts {\n" + "\n".join(lines) + "\n}\nx >= 1 weight 100\ncheck c: f3000 = 3001 万元\n"
    loaded = load(text)
    assert blocking(text) == []
    (check,) = loaded.result.checks
    assert check.passed is True


def test_a_money_formula_against_a_bare_target_asks_for_the_unit() -> None:
    loaded = load(FACTS + "结余额 = 结余 >= 30 weight 10\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR013"]
    assert finding.key == "PR013.formula_plain" and finding.span is not None and finding.span.line == 6
    assert finding.message() == "结余额 的公式得出 元，目标却没有单位：请给目标写上单位（如 >= 30 万元）"


@pytest.mark.parametrize("text, lines", [
    ("facts {\n  甲 = 乙 + 1\n  乙 = 甲 * 2\n}\nx >= 1 weight 100\n", [2, 3]),
    ("x = x * 2 >= 1 weight 100\n", [1]),
    ("facts {\n  甲 = x + 1\n}\nx = 甲 * 2 >= 1 weight 100\n", [2, 4]),
])
def test_a_formula_that_uses_itself_is_refused_not_a_traceback(text: str, lines: list[int]) -> None:
    assert sorted(set(blocking(text))) == [("PR014", "PR014.cycle", line) for line in lines]


# ---------------------------------------------------------------- negative actuals and `signed`


def _same_as_lark(code: str, start: str) -> None:
    """The fast path reads the line, and exactly as lark reads it."""
    from perfrules.syntax import fastpath, parser

    fast = fastpath.parse_line(code, start, "<t>", 3)
    slow, findings = parser.lark_read(code, start, "<t>", 3)
    assert fast is not None and not findings
    assert repr(fast) == repr(slow) and fast == slow


@pytest.mark.parametrize("code, start", [
    ("营业收入增长率 >= 5% weight 5 signed", "section_line"),
    ("营业收入增长率 >= 5% 可为负 weight 5", "section_line"),
    ("a = b / c >= 5% signed weight 5", "top_line"),
    ("营业收入增长率 = -3.2%", "actuals_line"),
    ("营业收入增长率 = - 3.2 % reason \"下降\"", "actuals_line"),
    ("户均 = -500 元/户", "actuals_line"),
    ("-500 元 / 户", "value_line"),
    ("-0.5", "value_line"),
])
def test_signed_and_negative_values_read_the_same_on_both_paths(code: str, start: str) -> None:
    _same_as_lark(code, start)


def test_signed_is_in_the_clauses_and_the_plan() -> None:
    from perfrules.plan.serialize import dump_plan, load_plan

    loaded = load("营业收入增长率 >= 5% weight 5 signed\n其他 >= 1 weight 95\n")
    (ind, other) = loaded.plan.indicators()
    assert ind.signed is True and other.signed is False
    data = dump_plan(loaded.plan)
    assert [n["signed"] for n in data["body"]] == [True, False]
    assert load_plan(data).indicators()[0].signed is True


def test_a_negative_rule_file_actual_is_refused_unless_signed() -> None:
    text = "户均 <= 5300 元/户 weight 50\nx >= 1 weight 50\nactuals {\n  户均 = -500 元/户\n  x = 1\n}\n"
    loaded = load(text)
    (finding,) = [f for f in loaded.findings if f.key == "PR018.negative"]
    assert finding.span is not None and (finding.span.line, finding.span.column) == (4, 8)
    assert finding.message() == ("户均 的实际值 -500 元/户 为负数：完成值通常不会小于零，请检查数据或符号；"
                                 "若该指标可以为负（如增长率），在指标后写 signed（可为负）")
    assert loaded.ind("户均").score == D("0.00") and loaded.ind("户均").status == "missing"


def test_a_negative_growth_rate_is_scored_when_signed() -> None:
    loaded = load("营业收入增长率 >= 5% weight 5 signed\nactuals {\n  营业收入增长率 = -3.2%\n}\n")
    assert [f.key for f in loaded.findings if f.code.startswith("PR01")] == []
    result = loaded.ind("营业收入增长率")
    assert (result.actual, result.completion, result.score) == (D("-3.2"), D("-0.64"), D("0.00"))


@pytest.mark.parametrize("indicator, actual, expected", [
    ("g >= 5% weight 10 signed", "-3.2%", "0.00"),      # below zero against a positive target: nothing
    ("g >= 5% weight 10 signed", "0%", "0.00"),
    ("g >= 5% weight 10 signed", "2.5%", "5.00"),
    ("g >= 5% weight 10 signed", "5%", "10.00"),
    ("g >= 5% weight 10 signed cap 120%", "-50%", "0.00"),
    ("g >= 5% weight 10 signed cap 120%", "50%", "12.00"),  # never above weight × cap
    ("g <= 3% weight 10 signed", "-2%", "10.00"),        # a cost that fell: the target is met
    ("g <= 3% weight 10 signed", "6%", "5.00"),
    ("g <= 3% weight 10 signed method linear", "-2%", "10.00"),
    ("g <= 3% weight 10 signed cap 120%", "-2%", "12.00"),
    ("g = 0% weight 10 signed", "-1%", "10.00"),         # 等于 with a zero target: at most zero is met
    ("g = 5% weight 10 signed", "-1%", "0.00"),
    ("g in 1% ~ 5% weight 10 signed", "-1%", "0.00"),
    ("g >= 5% weight 10 signed steps 100%:10 50%:5", "-1%", "0.00"),
    ("g >= 5% weight 10 signed deduct 1 per 1%", "-3%", "2.00"),  # 8 points short of 5%
    ("g >= 5% weight 10 signed method execution", "-3%", "0.00"),
])
def test_signed_scores_stay_between_zero_and_the_weight(indicator: str, actual: str, expected: str) -> None:
    loaded = load(f"{indicator}\nactuals {{\n  g = {actual}\n}}\n")
    assert [f.key for f in loaded.findings if f.code.startswith("PR01")] == []
    assert loaded.ind("g").score == D(expected)


def test_signed_on_a_qualitative_indicator_is_refused() -> None:
    assert blocking("q qualitative weight 10 signed\n") == [("PR014", "PR014.signed", 1)]


@pytest.mark.parametrize("suffix, text", [
    ("json", '{"户均": -500}'),
    ("yaml", "户均: -500\n"),
    ("json", '{"户均": "-500 元/户"}'),
    ("json", '{"户均": {"value": -500, "unit": "元/户"}}'),
    ("csv", "指标名称,实际完成值\n户均,-500\n"),
])
def test_a_negative_data_file_value_is_refused_by_the_same_rule(tmp_path, suffix: str, text: str) -> None:  # type: ignore[no-untyped-def]
    from conftest import cli

    rules = tmp_path / "p.perf"
    rules.write_text("户均 <= 5300 元/户 weight 100\n", encoding="utf-8")
    data = tmp_path / f"a.{suffix}"
    data.write_text(text, encoding="utf-8")
    outcome = cli("eval", str(rules), "--data", str(data))
    assert outcome.exit_code == 2
    assert f"{data}:" in outcome.stderr + outcome.stdout
    assert "户均 的实际值 -500" in outcome.stderr + outcome.stdout and "signed" in outcome.stderr + outcome.stdout


def test_a_negative_data_file_value_scores_when_signed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import cli

    rules = tmp_path / "p.perf"
    rules.write_text("增长率 >= 5% weight 100 signed\n", encoding="utf-8")
    data = tmp_path / "a.json"
    data.write_text('{"增长率": -3.2}', encoding="utf-8")
    outcome = cli("eval", str(rules), "--data", str(data), "--format", "json")
    assert outcome.exit_code in (0, 1)
    (ind,) = outcome.json()["indicators"]
    assert (ind["actual"], ind["score"]) == (-3.2, 0)


def test_a_plan_files_negative_actual_is_refused_too() -> None:
    from dataclasses import replace

    from perfrules.plan.model import Actual
    from perfrules.plan.units import parse_unit
    from perfrules.scoring.evaluate import evaluate

    plan = load("户均 <= 5300 元/户 weight 100\n").plan
    bad = Actual("户均", "quantity", D(-500), parse_unit("元/户"), text="-500 元/户")
    result = evaluate(replace(plan, actuals=(bad,)))
    assert [f.key for f in result.findings] == ["PR018.negative"]
    assert result.indicators()[0].score == D(0)


def test_fmt_writes_signed_and_negative_values_canonically() -> None:
    from perfrules.fmt import format_text

    text = "成本增长率 <= 3% weight 50 可为负\nactuals {\n  成本增长率 = - 2 %\n}\n"
    formatted, findings = format_text(text)
    assert findings == []
    assert formatted == "成本增长率 <= 3% weight 50 可为负\nactuals {\n  成本增长率 = -2%\n}\n"


# ---------------------------------------------------------------- decimal edge cases


@pytest.mark.parametrize("indicator, actual", [
    ("x >= 0.0000000000001 weight 10", "999999999999999"),
    ("x <= 999999999999999 weight 10", "0.0000000000001"),
    ("x >= 0.000000000000001 weight 10", "999999999999999.999999999999999"),
    ("x in 0.000000000000001 ~ 0.000000000000002 weight 10", "999999999999999"),
    ("x <= 0.000000000000001 weight 10 method linear", "999999999999999"),
    ("x = 0.000000000000001 weight 10", "999999999999999"),
    ("x >= 0.000000000000001 weight 10 deduct 1 per 0.000000000000001", "0"),
    ("x >= 0.000000000000001 weight 10 steps 100%:10 50%:5", "999999999999999"),
    ("x >= 0.000000000000001 weight 10 method execution", "999999999999999"),
])
def test_extreme_ratios_stay_in_range(indicator: str, actual: str) -> None:
    loaded = load(f"{indicator}\nactuals {{\n  x = {actual}\n}}\n")
    result = loaded.ind("x")
    assert result.score is not None and D(0) <= result.score <= D(10)
    assert result.completion is None or abs(result.completion) <= D(10) ** 15
    for finding in loaded.findings:
        finding.message()  # every message can be shown (percentages of huge rates included)


def test_the_huge_completion_of_a_tiny_target_is_bounded_and_scores_full_marks() -> None:
    result = load("x >= 0.0000000000001 weight 10\nactuals {\n  x = 999999999999999\n}\n").ind("x")
    assert result.score == D("10.00") and result.completion == D(10) ** 15


@pytest.mark.parametrize("weight, actual, expected", [
    ("0", "100", "0.00"), ("0.000000000000001", "100", "0.00"), ("0.005", "100", "0.01"), ("0.005", "50", "0.00"),
    ("999999999999999", "100", "999999999999999.00"), ("999999999999999", "50", "499999999999999.50"),
])
def test_tiny_zero_and_huge_weights(weight: str, actual: str, expected: str) -> None:
    result = load(f"x >= 100 weight {weight}\nactuals {{\n  x = {actual}\n}}\n").ind("x")
    assert result.score == D(expected)


@pytest.mark.parametrize("indicator, actual, expected", [
    ("x >= 0 weight 10", "0", "10.00"), ("x >= 0 weight 10", "5", "10.00"),
    ("x <= 0 weight 10", "0", "10.00"), ("x <= 0 weight 10", "5", "0.00"),
    ("x = 0 weight 10", "0", "10.00"), ("x = 0 weight 10", "1", "0.00"),
    ("x <= 0 weight 10 method linear", "5", "0.00"),
    ("x >= 0 weight 10 method execution", "0", "10.00"),
    ("x in 0 ~ 0 weight 10", "1", "0.00"), ("x in 0 ~ 0 weight 10", "0", "10.00"),
    ("x >= 0 weight 10 steps 100%:10 50%:5", "0", "10.00"),
    ("x >= 0 weight 10 deduct 1 per 1", "0", "10.00"),
])
def test_zero_targets_with_every_method(indicator: str, actual: str, expected: str) -> None:
    loaded = load(f"{indicator}\nactuals {{\n  x = {actual}\n}}\n")
    assert loaded.ind("x").score == D(expected)


def test_fifteen_fraction_digits_keep_their_exact_ratio() -> None:
    result = load("x >= 0.333333333333333 weight 3\nactuals {\n  x = 0.111111111111111\n}\n").ind("x")
    assert result.score == D("1.00") and result.completion == D("0." + "3" * 60)  # 60 digits, not the global 28


def test_the_global_decimal_context_is_neither_used_nor_changed() -> None:
    import decimal

    from perfrules.plan.compile import compile_document
    from perfrules.scoring.evaluate import evaluate
    from perfrules.syntax import parse

    text = "x >= 60000 万元 weight 5\nactuals {\n  x = 59810.123456789012345 万元\n}\n"
    doc, _ = parse(text, "t.perf")
    with decimal.localcontext() as tight:
        tight.prec = 6
        tight.traps[decimal.Inexact] = True
        plan, findings = compile_document(doc)
        result = evaluate(plan)
        assert decimal.getcontext().prec == 6
    assert findings == [] and result.indicators()[0].score == D("4.98")
    assert plan.actuals[0].value == D("598101234.56789012345")  # exact: 20 digits under a 6-digit global context


def test_a_formula_beyond_the_number_limits_is_a_located_finding() -> None:
    text = ("facts {\n  a = 999999999999999\n  b = a * a * a\n}\nx = b >= 1 weight 10\n"
            "y = a / 0.000000000000001 >= 1 weight 10\n")
    loaded = load(text)
    found = sorted((f.key, f.span.line if f.span else 0) for f in loaded.findings if f.code == "PR022")
    assert found == [("PR022.big", 3), ("PR022.big", 6)]
    assert loaded.ind("x").score == D("0.00") and loaded.ind("y").score == D("0.00")


# ---------------------------------------------------------------- the documented examples


def _documented(heading: str) -> tuple[str, str]:
    """The first perf block and the text block after it, under `heading` of docs/language.md."""
    import re

    from conftest import ROOT

    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    section = page[page.index(heading):]
    perf = re.search(r"```perf\n(.*?)```", section, re.S)
    text = re.search(r"```text\n(.*?)```", section, re.S)
    assert perf is not None and text is not None
    return perf[1], text[1]


def test_the_documented_formula_units_example(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    from conftest import cli

    perf, text = _documented("### 公式中的单位")
    (tmp_path / "units-formula.perf").write_text(perf, encoding="utf-8")
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        outcome = cli("check", "units-formula.perf")
    finally:
        os.chdir(here)
    assert outcome.exit_code == 2
    assert (outcome.stdout + outcome.stderr).strip() == text.split("\n", 1)[1].strip()


def test_the_documented_signed_example(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import cli

    perf, text = _documented("### 17.15 可为负 signed")
    path = tmp_path / "signed.perf"
    path.write_text(perf, encoding="utf-8")
    outcome = cli("eval", str(path))
    assert outcome.exit_code == 0
    shown = [line.rstrip() for line in outcome.stdout.splitlines()]
    for line in text.strip().splitlines():
        assert line.rstrip() in shown
