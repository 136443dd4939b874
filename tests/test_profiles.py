"""Issue 10 item 7: the provincial profiles in rulesets/std, found by short names, weights that sum, examples."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfrules import pipeline
from perfrules.findings import Finding
from perfrules.plan.frameworks import ALIASES, apply_uses, std_names
from perfrules.syntax import parse

from conftest import EXAMPLES, ROOT, cli, load

STD = ROOT / "rulesets" / "std"
PROFILES = {  # file stem: (short names, first-level weights)
    "self_evaluation_20": (("budget20", "预算执行20分"), {"预算执行率": 20, "产出指标": 40, "效益指标": 40}),
    "self_evaluation_sichuan": (("sichuan", "四川", "四川自评"), {"预算执行情况": 10, "绩效指标": 90}),
    "self_evaluation_dmoe": (("dmoe", "决策管理", "决策管理产出效益"), {"决策": 10, "管理": 25, "产出": 30, "效益": 35}),
    "evaluation_criteria": (("criteria", "国际评价", "oecd"), {"相关性": 20, "效率": 25, "效果": 35, "可持续性": 20}),
    "self_evaluation_80": (("grades80", "等级80"), {"预算执行率": 10, "产出": 50, "效益": 30, "满意度": 10}),
}
EXAMPLE = {"self_evaluation_20": "budget20", "self_evaluation_sichuan": "sichuan", "self_evaluation_dmoe": "dmoe",
           "evaluation_criteria": "criteria", "self_evaluation_80": "grades80"}


def test_std_names_are_plain_and_every_profile_is_shipped() -> None:
    names = std_names()
    assert set(PROFILES) <= set(names)
    assert all(n.isascii() and n.replace("_", "").isalnum() for n in names)


@pytest.mark.parametrize("stem", sorted(PROFILES))
def test_profile_says_what_it_encodes_and_where(stem: str) -> None:
    head = (STD / f"{stem}.perf").read_text(encoding="utf-8").splitlines()[:5]
    assert any(line.startswith("# 依据：") for line in head), head


@pytest.mark.parametrize("stem", sorted(PROFILES))
def test_short_names_find_the_profile(stem: str) -> None:
    aliases, weights = PROFILES[stem]
    for alias in aliases:
        assert ALIASES[alias] == stem
        assert "PR016" not in load(f'use "std/{alias}"\n').codes()
        assert _first_level(f'use "std/{alias}"\n') == {k: Decimal(v) for k, v in weights.items()}
    assert sum(weights.values()) == 100


def _first_level(text: str) -> dict[str, Decimal | None]:
    """The framework's first-level weights as written (empty groups are dropped from a plan, not from here)."""
    findings: list[Finding] = []
    doc, _ = parse(text, str(ROOT / "x.perf"))
    merged = apply_uses(doc, findings)
    assert findings == []
    return {n.name.text: n.clauses.weight for n in merged.body}


@pytest.mark.parametrize("stem", sorted(PROFILES))
def test_profile_alone_has_no_finding(stem: str) -> None:
    out = cli("check", str(STD / f"{stem}.perf"))
    assert out.exit_code == 0, out.stdout
    assert "发现 0 个问题" in out.stderr


@pytest.mark.parametrize("stem", sorted(PROFILES))
def test_example_scores_as_the_profile_says(stem: str) -> None:
    (path,) = EXAMPLES.glob(f"{EXAMPLE[stem]}-*.perf")
    assert f"std/{EXAMPLE[stem]}" in path.read_text(encoding="utf-8")
    run = pipeline.analyse(path)
    assert not run.blocked
    assert [f.code for f in run.findings if f.severity.value == "error"] == []  # every expect holds (no PR308)
    assert cli("eval", str(path)).exit_code == 0


def test_budget20_scores_20_times_the_execution_rate() -> None:
    run = pipeline.analyse(next(EXAMPLES.glob("budget20-*.perf")))
    assert run.result is not None
    (row,) = [i for i in run.result.indicators() if i.name == "预算执行率"]
    assert (row.weight, row.completion, row.score) == (Decimal(20), Decimal("0.98"), Decimal("19.60"))


def test_dmoe_budget_row_sits_inside_management() -> None:
    loaded = load("use std/dmoe\n")
    (row,) = [i for i in loaded.plan.all_indicators if i.name == "预算执行率"]
    assert row.path == ("管理", "预算执行率") and row.weight == Decimal(10)


def test_criteria_reproduce_the_weighted_total() -> None:
    text = ("use std/criteria\nactuals {\n  相关性得分 = 85%\n  效率得分 = 80%\n  效果得分 = 83.5%\n  可持续性得分 = 81%\n}\n")
    loaded = load(text)
    assert loaded.result.total == Decimal("82.43")  # 82.425 half-up
    assert loaded.result.grade == "良"
    assert not {"PR104", "PR202", "PR203"} & set(loaded.codes())


@pytest.mark.parametrize("total, grade", [("80", "优"), ("79.99", "良"), ("70", "良"), ("69.99", "中"), ("60", "中"),
                                          ("59.99", "差")])
def test_grades80_band_boundaries(total: str, grade: str) -> None:
    text = ("use std/grades80\nfacts {\n  年初预算数 = 1 万元\n  全年预算数 = 1 万元\n  全年执行数 = 1 万元\n}\n"
            "dimension 产出 {\n  group 数量指标 weight 50 {\n    甲 >= 100 个 weight 50\n  }\n}\n"
            "dimension 效益 {\n  group 社会效益指标 weight 30 {\n    乙 >= 100 个 weight 30\n  }\n}\n"
            "dimension 满意度 {\n  group 服务对象满意度指标 weight 10 {\n    丙 >= 100 个 weight 10\n  }\n}\n"
            "actuals {\n  甲 = {a} 个\n  乙 = 100 个\n  丙 = 100 个\n}\n")
    # 10 (budget) + 30 + 10 = 50 fixed; 甲 scores 50 × a / 100, so a = 2 × (total − 50)
    a = (Decimal(total) - 50) * 2
    loaded = load(text.replace("{a}", str(a)))
    assert loaded.result.total == Decimal(total)
    assert loaded.result.grade == grade
