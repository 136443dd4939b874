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
    assert (check.left, check.right, check.passed) == ("40.00 万元", "50.00 万元", True)


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
    assert (check.left, check.passed) == ("655.58 万元", True)


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
