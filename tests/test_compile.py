"""Compiling to a Plan: names, units, weights, grades, frameworks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfrules.plan.units import parse_unit

from conftest import load

D = Decimal


def keys(text: str) -> list[str]:
    return [f.key for f in load(text).findings]


def test_units_convert_money() -> None:
    assert parse_unit("万元").to_base(D("662.77")) == D("6627700")
    assert parse_unit("亿元").to_base(D(1)) == parse_unit("万元").to_base(D(10000))
    assert parse_unit("%").to_base(D(95)) == D("0.95")
    assert parse_unit("元/人/年").dims == (("人", -1), ("元", 1))  # "/年": per evaluation year
    assert not parse_unit("人").compatible(parse_unit("场"))
    assert parse_unit("万人").to_base(D(2)) == D(20000) and parse_unit("万人").compatible(parse_unit("人"))


def test_money_actual_in_another_money_unit_converts() -> None:
    loaded = load("预算 >= 100 万元 weight 10\nactuals {\n  预算 = 1000000 元\n}\n")
    assert loaded.ind("预算").score == D("10.00") and loaded.ind("预算").completion == 1


def test_a_count_unit_that_differs_is_an_error_never_mixed() -> None:
    loaded = load("场次 >= 4 场 weight 10\nactuals {\n  场次 = 12 人\n}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR013"]
    assert finding.severity.value == "error" and finding.span is not None and finding.span.line == 3
    assert "场" in finding.message() and "人" in finding.message()


def test_a_bare_actual_takes_the_targets_unit() -> None:
    loaded = load("满意度 >= 95% weight 10\nactuals {\n  满意度 = 95\n}\n")
    assert loaded.ind("满意度").score == D("10.00")


def test_formula_units_must_match_the_target() -> None:
    assert "PR013" in keys("facts {\n  a = 5 人\n  b = 2 万元\n}\nr = a / b >= 100% weight 100\n")
    assert "PR013" in keys("facts {\n  a = 5 人\n  b = 2 万元\n}\nr = a + b >= 1 weight 100\n")


def test_duplicate_names_in_one_group() -> None:
    findings = load("""\
        group 数量 {
          a >= 1 weight 50
          a >= 2 weight 50
        }
        """).findings
    (dup,) = [f for f in findings if f.code == "PR010"]
    assert dup.span is not None and dup.span.line == 3 and dup.arg("first") == 2


def test_same_name_in_two_groups_needs_a_path() -> None:
    text = """\
        group 过程 {
          资金到位率 >= 100% weight 50
        }
        group 产出 {
          资金到位率 >= 100% weight 50
        }
        actuals {
          NAME = 100%
        }
        """
    assert "PR012" in keys(text.replace("NAME", "资金到位率"))
    loaded = load(text.replace("NAME", '"产出/资金到位率"'))
    assert not [f for f in loaded.findings if f.code.startswith("PR01")]
    assert loaded.ind("产出/资金到位率").score == D("50.00")
    assert loaded.ind("过程/资金到位率").status == "missing"


def test_unknown_reference_suggests_a_name() -> None:
    (finding,) = [f for f in load("facts {\n  到位资金 = 1 万元\n}\nr = 到位资金额 / 到位资金 >= 1 weight 100\n").findings
                  if f.code == "PR011"]
    assert finding.arg("name") == "到位资金额" and "到位资金" in finding.hint()


def test_unknown_actual_name() -> None:
    assert "PR020" in [f.code for f in load("a >= 1 weight 100\nactuals {\n  b = 1\n}\n").findings]


def test_weights_that_do_not_add_up_are_a_finding_and_the_file_still_evaluates() -> None:
    loaded = load("""\
        dimension 产出 weight 40 {
          a >= 1 weight 30
        }
        dimension 效益 weight 60 {
          b >= 1 weight 60
        }
        actuals {
          a = 1
          b = 1
        }
        """)
    (finding,) = [f for f in loaded.findings if f.code == "PR103"]
    assert finding.severity.value == "warning" and finding.arg("actual") == D(30) and finding.span.line == 1  # type: ignore[union-attr]
    assert loaded.result.total == D("90.00")


def test_total_weight_is_configurable() -> None:
    text = 'ruleset "r" {\n  total 50\n}\na >= 1 weight 50\n'
    assert "PR103.total" not in keys(text)
    assert "PR103.total" in keys("a >= 1 weight 50\n")


def test_groups_without_weight_take_their_childrens_sum() -> None:
    loaded = load("dimension 产出 weight 100 {\n  group 数量 {\n    a >= 1 weight 100\n  }\n}\n")
    assert loaded.plan.sections()[1].weight == D(100)
    assert "PR103" not in loaded.codes()


@pytest.mark.parametrize("bands, problem", [
    ("优 >= 80  良 >= 90  差 otherwise", "从高到低"),
    ("优 >= 90  良 >= 80", "otherwise"),
    ("优 >= 90  优 >= 80  差 otherwise", "重复"),
    ("优 >= 190  差 otherwise", "之间"),
])
def test_grade_bands_are_validated(bands: str, problem: str) -> None:
    findings = [f for f in load(f"grades {{ {bands} }}\na >= 1 weight 100\n").findings if f.code == "PR015"]
    assert any(problem in f.message() for f in findings)


def test_default_grades_are_the_official_ones() -> None:
    plan = load("a >= 1 weight 100\n").plan
    assert [(b.name, b.threshold) for b in plan.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", None)]


def test_indicator_without_weight() -> None:
    assert "PR017.weight" in keys("a >= 1\n")


def test_formula_without_target() -> None:
    assert "PR017.target" in keys("facts {\n  x = 1 万元\n}\nr = x / x weight 100\n")


def test_unknown_method_and_kind() -> None:
    assert "PR014" in keys("a >= 1 weight 100 method magic\n")
    assert "PR014.method" in keys("a >= 1 weight 100 method linear\n")
    assert "PR014" in keys('ruleset "r" {\n  kind 审计\n}\na >= 1 weight 100\n')


def test_use_standard_framework_merges_groups(tmp_path: object) -> None:
    loaded = load("""\
        use std/self_evaluation
        facts {
          全年预算数 = 100 万元
          全年执行数 = 90 万元
          年初预算数 = 100 万元
        }
        dimension 产出 {
          group 数量指标 weight 50 {
            a >= 10 人 weight 50
          }
        }
        dimension 效益 {
          group 社会效益指标 weight 30 {
            b qualitative weight 30
          }
        }
        dimension 满意度 {
          group 服务对象满意度指标 weight 10 {
            c >= 90% weight 10
          }
        }
        actuals {
          a = 10 人
          b = 达成
          c = 95%
        }
        """)
    assert loaded.plan.kind == "自评"
    assert [s.key for s in loaded.plan.sections() if s.kind == "dimension"] == ["产出", "效益", "满意度"]
    assert loaded.ind("预算执行率").score == D("9.00")
    assert loaded.result.total == D("99.00")
    assert [(f.code, f.span.line) for f in loaded.findings if f.severity.value != "info"] == [("PR202", 1)]  # type: ignore[union-attr]


def test_use_of_an_unknown_framework() -> None:
    (finding,) = [f for f in load("use std/nothing\na >= 1 weight 100\n").findings if f.code == "PR016"]
    assert "std/evaluation" in finding.message()


def test_a_name_with_a_slash_is_found_by_its_name() -> None:
    loaded = load('"人均费用(元/人)" <= 260 元/人 weight 100\nactuals {\n  "人均费用(元/人)" = 250 元/人\n}\n')
    assert loaded.ind("人均费用(元/人)").score == D("100.00")


def test_section_clauses_other_than_weight_are_refused() -> None:
    assert "PR014.section" in keys("dimension 产出 weight 100 na {\n  a >= 1 个 weight 100\n}\n")


def test_ruleset_tiers_are_reported_once() -> None:
    text = 'ruleset "x" {\n  tiers 60% 80%\n}\na qualitative weight 50\nb qualitative weight 50\n'
    assert keys(text).count("PR014.tiers") == 1


def test_use_keeps_the_frameworks_rounding(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from perfrules import pipeline

    (tmp_path / "base.perf").write_text('ruleset "base" {\n  rounding 1 down\n}\n', encoding="utf-8")
    (tmp_path / "p.perf").write_text('use "base.perf"\nruleset "p" {\n  year 2023\n}\na >= 100 个 weight 100\n',
                                     encoding="utf-8")
    run = pipeline.compile_file(tmp_path / "p.perf")
    assert run.plan is not None and (run.plan.places, run.plan.rounding) == (1, "ROUND_DOWN")
