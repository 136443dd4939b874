"""Every scoring rule at its boundaries, through the whole pipeline (text in, scores out)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import load

D = Decimal


def score_of(indicator: str, actual: str) -> Decimal | None:
    """The score of one indicator line given one actual (written as in a rule file)."""
    name = indicator.split()[0]
    loaded = load(f"{indicator}\nactuals {{\n  {name} = {actual}\n}}\n")
    blocking = [f for f in loaded.findings if f.code.startswith("PR0")]
    assert not blocking, [f.message() for f in blocking]
    return loaded.ind(name).score


@pytest.mark.parametrize("actual, expected", [
    ("60000", "5.00"),      # exactly met
    ("80646", "5.00"),      # over-completion capped at the weight
    ("30000", "2.50"),      # half done: w·a/t
    ("0", "0.00"),          # an actual of 0
    ("59999", "5.00"),      # 4.99991... rounds half up to 5.00
    ("59940", "5.00"),      # exactly 4.995 rounds half up
    ("59820", "4.99"),      # 4.985 → 4.99
    ("59810", "4.98"),      # 4.98416... → 4.98
])
def test_positive_ratio(actual: str, expected: str) -> None:
    assert score_of("资格认证人数 >= 60000 weight 5", actual) == D(expected)


def test_half_up_not_bankers_rounding() -> None:
    # 5 × 2.5% = 0.125: half up gives 0.13 where banker's rounding would give 0.12
    assert score_of("资金拨付及时率 >= 100% weight 5", "2.5%") == D("0.13")


def test_reverse_ratio_is_the_default_for_at_most() -> None:
    score = score_of("户均费用 <= 5300 元/户 weight 10", "5830 元/户")
    assert score == (D(10) * D(5300) / D(5830)).quantize(D("0.01"))
    assert score == D("9.09")
    assert score_of("户均费用 <= 5300 元/户 weight 10", "5300") == D("10.00")
    assert score_of("户均费用 <= 5300 元/户 weight 10", "0") == D("10.00")  # an actual of 0 meets a ceiling


def test_reverse_linear() -> None:
    assert score_of("费用 <= 100 元 weight 10 method linear", "150 元") == D("5.00")
    assert score_of("费用 <= 100 元 weight 10 method linear", "200 元") == D("0.00")
    assert score_of("费用 <= 100 元 weight 10 method linear", "250 元") == D("0.00")
    assert score_of("费用 <= 100 元 weight 10 method linear", "80 元") == D("10.00")


def test_equal() -> None:
    assert score_of("达标率 = 100% weight 4", "100%") == D("4.00")
    assert score_of("达标率 = 100% weight 4", "110%") == D("4.00")
    assert score_of("达标率 = 100% weight 4", "90%") == D("3.60")


def test_zero_target_never_crashes() -> None:
    assert score_of("事故数 = 0 起 weight 5", "0") == D("5.00")
    assert score_of("事故数 = 0 起 weight 5", "1") == D("0.00")
    assert score_of("事故数 <= 0 起 weight 5", "0") == D("5.00")
    assert score_of("事故数 <= 0 起 weight 5", "2") == D("0.00")
    assert score_of("新增数 >= 0 个 weight 5", "0") == D("5.00")
    loaded = load("新增数 >= 0 个 weight 5\nactuals {\n  新增数 = 3\n}\n")
    assert loaded.ind("新增数").completion is None  # no finite completion rate over a zero target


def test_execution_rate() -> None:
    assert score_of("执行率 >= 100% weight 10 method execution", "97.02%") == D("9.70")
    assert score_of("执行率 >= 100% weight 10 method execution", "120%") == D("10.00")


def test_range() -> None:
    line = "满意度 in 90% ~ 100% weight 10"
    assert score_of(line, "95%") == D("10.00")
    assert score_of(line, "90%") == D("10.00")
    assert score_of(line, "100%") == D("10.00")
    assert score_of(line, "81%") == D("9.00")
    assert score_of(line, "125%") == D("8.00")


def test_steps() -> None:
    line = "满意度 >= 90% weight 10 steps 100%:10 95%:9 90%:80% otherwise 6"
    assert score_of(line, "90%") == D("10.00")     # completion exactly 100%
    assert score_of(line, "85.5%") == D("9.00")    # completion exactly 95%
    assert score_of(line, "81%") == D("8.00")      # completion exactly 90%: 80% of the weight
    assert score_of(line, "80%") == D("6.00")      # below every step


def test_linear_deduction_until_nothing_is_left() -> None:
    line = "及时率 >= 100% weight 15 deduct 1 per 3%"
    assert score_of(line, "100%") == D("15.00")
    assert score_of(line, "91%") == D("12.00")     # 9 points short: 3 × 1
    assert score_of(line, "50%") == D("0.00")      # 扣满为止
    assert score_of("人数 >= 100 人 weight 10 deduct 1 per 10%", "90") == D("9.00")  # relative to the target


def test_cap_limits_over_completion() -> None:
    assert score_of("场次 >= 4 场 weight 4", "12") == D("4.00")               # default cap 100%
    assert score_of("场次 >= 4 场 weight 4 cap 120%", "12") == D("4.80")
    assert score_of("场次 >= 4 场 weight 4 cap 120%", "4.4") == D("4.40")


def test_qualitative_tiers() -> None:
    assert score_of("幸福感 qualitative weight 10", "达成") == D("10.00")
    assert score_of("幸福感 qualitative weight 10", "达成 80%") == D("8.00")
    assert score_of("幸福感 qualitative weight 10", "部分达成 60%") == D("6.00")
    assert score_of("幸福感 qualitative weight 10", "未达成 0%") == D("0.00")
    assert score_of("幸福感 qualitative weight 10", "部分达成年度指标并具有一定效果 79%") == D("7.90")


@pytest.mark.parametrize("actual, key", [
    ("达成 70%", "PR018.tier"),
    ("部分达成 80%", "PR018.tier"),   # 80% belongs to 达成
    ("未达成 60%", "PR018.tier"),
    ("部分达成", "PR018.tier_needs_rate"),
    ("80646 人", "PR018.kind"),
])
def test_qualitative_scores_outside_their_tier_are_rejected(actual: str, key: str) -> None:
    loaded = load(f"幸福感 qualitative weight 10\nactuals {{\n  幸福感 = {actual}\n}}\n")
    assert key in [f.key for f in loaded.findings]


def test_custom_tiers() -> None:
    assert score_of("幸福感 qualitative weight 10 tiers 80% 50%", "部分达成 50%") == D("5.00")


def test_not_applicable_rescales_the_total() -> None:
    loaded = load("""\
        dimension 产出 weight 100 {
          a >= 10 人 weight 60
          b >= 10 人 weight 40
        }
        actuals {
          a = 5 人
          b = 不适用
        }
        """)
    assert loaded.ind("b").score is None and loaded.ind("b").status == "na"
    assert loaded.ind("a").score == D("30.00")
    assert loaded.result.total == D("50.00") and loaded.result.rescaled   # 30 / 60 × 100
    (dimension,) = loaded.result.dimensions()
    assert dimension.rate == D("0.5")


def test_missing_actual_scores_zero_with_a_finding() -> None:
    loaded = load("a >= 10 人 weight 100\n")
    assert loaded.ind("a").score == D(0) and loaded.ind("a").status == "missing"
    assert "PR021" in loaded.codes()


@pytest.mark.parametrize("total, grade", [("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"),
                                          ("60", "中"), ("59.99", "差"), ("0", "差"), ("100", "优")])
def test_grade_boundaries_are_inclusive(total: str, grade: str) -> None:
    loaded = load(f"a >= 100 weight 100\nactuals {{\n  a = {total}\n}}\n")
    assert loaded.result.total == D(total).quantize(D("0.01"))
    assert loaded.result.grade == grade


def test_custom_grade_bands_with_strict_bound() -> None:
    text = "grades { 优 > 90  良 >= 70  差 otherwise }\na >= 100 weight 100\nactuals {\n  a = {v}\n}\n"
    assert load(text.replace("{v}", "90")).result.grade == "良"
    assert load(text.replace("{v}", "90.01")).result.grade == "优"
    assert load(text.replace("{v}", "70")).result.grade == "良"


def test_rounding_mode_and_places() -> None:
    text = 'ruleset "r" {\n  rounding MODE\n}\na >= 100% weight 5\nactuals {\n  a = 2.5%\n}\n'
    assert load(text.replace("MODE", "2 half-even")).ind("a").score == D("0.12")
    assert load(text.replace("MODE", "2 half-up")).ind("a").score == D("0.13")
    assert load(text.replace("MODE", "1 down")).ind("a").score == D("0.1")


def test_subtotals_add_rounded_indicator_scores() -> None:
    loaded = load("""\
        dimension 产出 weight 10 {
          a >= 100% weight 5
          b >= 100% weight 5
        }
        actuals {
          a = 2.5%
          b = 100%
        }
        """)
    (dimension,) = loaded.result.dimensions()
    assert dimension.score == D("5.13")  # 0.13 + 5.00, not round(5.125)


def test_derived_formula_over_facts() -> None:
    loaded = load("""\
        facts {
          到位资金 = 662.77 万元
          执行数 = 166.7 千元
        }
        预算执行率 = 执行数 / 到位资金 >= 100% weight 4
        """)
    ind = loaded.ind("预算执行率")
    assert ind.score == D("0.10")
    assert ind.completion is not None and ind.completion.quantize(D("0.0001")) == D("0.0252")


def test_division_by_zero_in_a_formula_is_a_finding() -> None:
    loaded = load("facts {\n  a = 0 万元\n  b = 1 万元\n}\nr = b / a >= 100% weight 100\n")
    assert "PR022" in loaded.codes()
    assert loaded.ind("r").score == D(0)


def test_check_assertions() -> None:
    loaded = load("""\
        facts {
          预算 = 662.77 万元
        }
        人数 >= 80000 人 weight 50
        标准 <= 260 元/人/年 weight 50
        check 成本与预算匹配: 标准 * 人数 <= 预算
        actuals {
          人数 = 87411 人
          标准 = 260 元/人/年
        }
        """)
    (check,) = loaded.result.checks
    assert check.passed is False
    assert check.texts() == ("2272.69 万元", "662.77 万元")
    assert (check.left, check.right) == (D("22726860"), D("6627700.00"))  # values in 元, shown in 万元
    (finding,) = [f for f in loaded.findings if f.code == "PR110"]
    assert finding.severity.value == "error" and finding.span is not None and finding.span.line == 6


def test_check_tolerance() -> None:
    text = "facts {\n  a = 104 元\n  b = 100 元\n}\ncheck t: a <= b tolerance {tol}\n"
    assert load(text.replace("{tol}", "5%")).result.checks[0].passed is True
    assert load(text.replace("{tol}", "3%")).result.checks[0].passed is False


def test_expect_mismatch_is_reported() -> None:
    loaded = load("a >= 100 weight 100\nactuals {\n  a = 50\n}\nexpect { total 60  grade 中 }\n")
    assert [f.code for f in loaded.findings if f.code == "PR308"] == ["PR308", "PR308"]


def test_default_grades_follow_the_total() -> None:
    text = 'ruleset "十分制" {\n  total 10\n}\n满意度 >= 90% weight 10\nactuals {\n  满意度 = 95%\n}\n'
    assert load(text).result.grade == "优"


def test_absolute_check_tolerance() -> None:
    text = "facts {\n  a = 700 万元\n  b = 662.77 万元\n}\ncheck t: a = b tolerance TOL\n"
    assert load(text.replace("TOL", "1 万元")).result.checks[0].passed is False
    assert load(text.replace("TOL", "40 万元")).result.checks[0].passed is True
    assert "PR013" in load(text.replace("TOL", "3 人")).codes()


def test_range_deduction_counts_from_the_nearer_bound() -> None:
    assert score_of("调整率 in 95% ~ 105% weight 20 deduct 1 per 1%", "110%") == D("15.00")
    assert score_of("调整率 in 95% ~ 105% weight 20 deduct 1 per 1%", "93%") == D("18.00")


def test_division_by_zero_is_located() -> None:
    loaded = load("facts {\n  a = 0 万元\n  b = 1 万元\n}\nr = b / a >= 100% weight 100\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR022"]
    assert finding.span is not None and finding.span.line == 5


def test_range_multiplies_before_dividing_so_round_down_keeps_the_cent() -> None:
    text = 'ruleset "r" {\n  rounding 2 down\n}\n比率 in 42% ~ 50% weight 7\nactuals {\n  比率 = 5.1%\n}\n'
    assert load(text).ind("比率").score == D("0.85")  # 7 × 5.1 / 42 = 0.85 exactly
