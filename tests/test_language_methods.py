"""Issue 10: scoring rules tables use (item 4) and checks that know their table (item 8)."""

from __future__ import annotations

from decimal import Decimal

from perfrules import pipeline

from conftest import load


def _found(text: str, code: str) -> list[tuple[str, str, str]]:
    return [(f.code, f.severity.value, f.message()) for f in load(text).findings if f.code == code]


# ---------------------------------------------------------------- item 8: checks that know their table

EVALUATION_10 = """\
ruleset 评价 {
  kind 评价
}
dimension 决策 weight 30 {
  立项依据充分性 qualitative weight 30
}
dimension 过程 weight 30 {
  资金到位率 >= 100% weight 30
}
dimension 产出 weight 20 {
  完成数量 >= 10 个 weight 20
}
dimension 效益 weight 20 {
  满意度 >= 90% weight 20
}
"""

CRITERIA = """\
ruleset 国际评价 {
  kind 评价
}
dimension 相关性 weight 20 {
  相关性得分 qualitative weight 20
}
dimension 效率 weight 25 {
  效率得分 qualitative weight 25
}
dimension 效果 weight 30 {
  效果得分 qualitative weight 30
}
dimension 可持续性 weight 25 {
  可持续性得分 qualitative weight 25
}
actuals {
  相关性得分 = 85%
  效率得分 = 55%
  效果得分 = 70%
  可持续性得分 = 90%
}
"""


def test_pr104_on_the_2020_10_framework() -> None:
    assert _found(EVALUATION_10, "PR104") == [
        ("PR104", "warning", "产出与效益的分值合计 40/100（40.00%），低于 60.00%")]


def test_pr104_silent_on_an_evaluation_of_another_framework() -> None:
    assert _found(CRITERIA, "PR104") == []


def test_pr104_silent_on_a_self_evaluation_with_the_same_dimensions() -> None:
    assert _found(EVALUATION_10.replace("kind 评价", "kind 自评"), "PR104") == []


def test_pr201_on_a_le_target_says_too_loose() -> None:
    text = "投诉率 <= 2% weight 100\nactuals {\n  投诉率 = 1%\n}\n"
    (finding,) = [f for f in load(text).findings if f.code == "PR201"]
    assert finding.severity.value == "warning"
    assert finding.message() == "投诉率 完成率 200.00%（上限 <= 2%，实际 1%）：目标可能设置过松"
    assert "偏低" not in finding.message()


def test_pr201_on_a_ge_target_still_says_too_low() -> None:
    text = "场次 >= 4 场 weight 100\nactuals {\n  场次 = 12 场\n}\n"
    assert _found(text, "PR201") == [
        ("PR201", "warning", "场次 完成率 300.00%（目标 >= 4 场，实际 12 场）：目标可能设置偏低")]


def test_pr201_le_boundary_below_the_info_threshold() -> None:
    text = "投诉率 <= 2% weight 100\nactuals {\n  投诉率 = 1.7%\n}\n"  # 2 / 1.7 = 117.6% < 120%
    assert _found(text, "PR201") == []
    assert [s for _, s, _ in _found(text.replace("1.7%", "1.6%"), "PR201")] == ["info"]  # 125%


def test_pr202_pr203_silent_on_rows_without_a_target() -> None:
    loaded = load(CRITERIA)
    assert loaded.ind("效率得分").score == Decimal("13.75")
    assert not {"PR202", "PR203"} & set(loaded.codes())


def test_pr202_pr203_still_on_a_qualitative_row_with_a_target() -> None:
    text = '完成 qualitative "有效保障" weight 100\nactuals {\n  完成 = 70%\n}\n'
    assert {"PR202", "PR203"} <= set(load(text).codes())


def test_pr206_is_information_when_every_target_is_100_percent() -> None:
    text = ("按时完成率 >= 100% weight 40\n达标率 >= 100% weight 30\n覆盖率 = 100% weight 30\n"
            "actuals {\n  按时完成率 = 100%\n  达标率 = 100%\n  覆盖率 = 100%\n}\n")
    assert _found(text, "PR206") == [("PR206", "info", "全部 3 个定量指标的目标都是 100%，实际值也都是 100%："
                                                      "多为「是否完成」的指标，请核实佐证材料")]


def test_pr206_stays_a_warning_when_a_target_is_not_100_percent() -> None:
    text = ("按时完成率 >= 100% weight 40\n达标率 >= 100% weight 30\n覆盖率 >= 90% weight 30\n"
            "actuals {\n  按时完成率 = 100%\n  达标率 = 100%\n  覆盖率 = 90%\n}\n")
    assert [s for _, s, _ in _found(text, "PR206")] == ["warning"]


USER_CHECK = """\
facts {
  预算 = 662.77 万元
}
人数 >= 80000 人 weight 50
标准 <= 75 元/人/年 weight 50
check 执行率过低: 预算 >= 700 万元 severity warning
actuals {
  人数 = 87411 人
  标准 = 75 元/人/年
}
"""


def test_a_failing_check_is_pr110_with_its_name() -> None:
    loaded = load(USER_CHECK)
    (finding,) = [f for f in loaded.findings if f.code == "PR110"]
    assert finding.severity.value == "warning" and finding.span is not None and finding.span.line == 6
    assert finding.message() == "校验 执行率过低 不成立：左边 662.77 万元，右边 700.00 万元"
    assert "PR107" not in loaded.codes()


def test_pr107_keeps_the_cost_times_quantity_test() -> None:
    text = USER_CHECK.replace("75 元/人/年", "260 元/人/年").replace("check 执行率过低: 预算 >= 700 万元 severity warning\n", "")
    assert [c for c in load(text).codes() if c in ("PR107", "PR110")] == ["PR107"]


def test_an_error_check_fails_eval() -> None:
    findings = load(USER_CHECK.replace(" severity warning", "")).findings
    assert [f.severity.value for f in findings if f.code == "PR110"] == ["error"]
    assert pipeline.eval_failed(findings)
    assert not pipeline.eval_failed([f for f in findings if f.code != "PR110"])


def test_pr110_has_its_own_title() -> None:
    from perfrules.checks.static.PR110 import FailingCheck

    assert (FailingCheck.title, FailingCheck.severity.value) == ("自定义校验不成立", "error")


# ---------------------------------------------------------------- item 4: method actual

BUDGET20 = "预算执行率 >= 95% weight 20 method actual\nactuals {\n  预算执行率 = {a}\n}\n"


def test_method_actual_scores_weight_times_the_actual_rate() -> None:
    assert load(BUDGET20.replace("{a}", "98%")).ind("预算执行率").score == Decimal("19.60")  # met, yet 19.6


def test_method_actual_boundaries() -> None:
    scores = {a: load(BUDGET20.replace("{a}", a)).ind("预算执行率").score for a in ("0%", "50%", "95%", "100%", "130%")}
    assert scores == {"0%": Decimal("0.00"), "50%": Decimal("10.00"), "95%": Decimal("19.00"),
                      "100%": Decimal("20.00"), "130%": Decimal("20.00")}


def test_method_actual_chinese_names() -> None:
    for word in ("按实际", "实际值"):
        assert load(BUDGET20.replace("method actual", f"method {word}").replace("{a}", "98%")).ind("预算执行率").score == Decimal("19.60")


def test_method_actual_on_a_le_target_is_pr014() -> None:
    assert "PR014" in load("投诉率 <= 5% weight 100 method actual\n").codes()
