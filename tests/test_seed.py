"""The first acceptance case: the seed evaluation report, reproduced to the cent."""

from __future__ import annotations

import re
from decimal import Decimal

from perfrules import pipeline

from conftest import SEED, cli


def seed_run() -> pipeline.Run:
    return pipeline.evaluate_run(pipeline.compile_file(SEED))


def test_seed_reproduces_every_published_figure() -> None:
    run = seed_run()
    assert run.result is not None and not run.blocked
    result = run.result
    assert {d.name: d.score for d in result.dimensions()} == {
        "决策": Decimal("20.00"), "过程": Decimal("16.10"), "产出": Decimal("35.13"), "效益": Decimal("20.00"),
    }
    assert result.total == Decimal("91.23") and result.grade == "优"
    rates = {d.name: (d.rate * 100).quantize(Decimal("0.01"), "ROUND_HALF_UP") for d in result.dimensions() if d.rate is not None}
    assert rates == {"决策": Decimal("100.00"), "过程": Decimal("80.50"), "产出": Decimal("87.83"), "效益": Decimal("100.00")}


def test_seed_completion_rates() -> None:
    result = seed_run().result
    assert result is not None
    completion = {i.name: (i.completion * 100).quantize(Decimal("0.01"), "ROUND_HALF_UP") for i in result.indicators() if i.completion}
    assert completion["退休人员社会化管理人数"] == Decimal("109.26")
    assert completion["资格认证人数"] == Decimal("134.41")
    assert completion["组织开展退休人员活动场次"] == Decimal("300.00")
    assert completion["资金拨付及时率"] == Decimal("2.50")
    assert completion["预算执行率"] == Decimal("2.52")


def test_seed_expect_block_passes_and_the_cost_check_fails() -> None:
    run = seed_run()
    assert run.result is not None
    assert all(row.equal for row in run.result.expect) and len(run.result.expect) == 6
    assert [f.code for f in run.findings] == []  # evaluation alone: the catalogue runs in check_run
    (check,) = run.result.checks
    assert (check.texts(), check.passed) == (("2272.69 万元", "662.77 万元"), False)


def test_seed_cli_table() -> None:
    out = cli("eval", str(SEED))
    assert out.exit_code == 0
    assert "总分 91.23 / 100   等级 优" in out.stdout
    assert "134.41%" in out.stdout and "300.00%" in out.stdout


def test_seed_lint_finds_the_reports_faults() -> None:
    run = pipeline.analyse(SEED)
    found = {(f.code, f.severity.value, f.span.line if f.span else 0) for f in run.findings}
    text = SEED.read_text(encoding="utf-8").splitlines()

    def line_of(pattern: str) -> int:
        (number,) = [n for n, line in enumerate(text, 1) if re.match(r"\s*" + pattern, line)]
        return number

    lines = {name: line_of(pattern) for name, pattern in (
        ("资格认证人数 >=", r"资格认证人数\s+>="), ("组织开展退休人员活动场次 >=", r"组织开展退休人员活动场次\s+>="),
        ("预算执行率 =", r"预算执行率\s+="), ("资金拨付及时率 >=", r"资金拨付及时率\s+>="),
        ("退休人员幸福感 qualitative", r"退休人员幸福感\s+qualitative"),
        ("资金到位率 >= 100% weight 4   #", r"资金到位率\s+>= 100%.*#"), ("check 成本", r"check 成本"))}
    assert ("PR201", "warning", lines["组织开展退休人员活动场次 >="]) in found      # 300%
    assert ("PR201", "info", lines["资格认证人数 >="]) in found                     # 134.41%
    assert ("PR204", "error", lines["预算执行率 ="]) in found                      # 2.52%
    assert ("PR203", "warning", lines["资金拨付及时率 >="]) in found               # 2.5%
    assert ("PR101", "warning", lines["退休人员幸福感 qualitative"]) in found       # 逐步提高
    assert ("PR106", "warning", lines["资金到位率 >= 100% weight 4   #"]) in found  # 资金到位率 twice
    assert ("PR110", "warning", lines["check 成本"]) in found                       # 2272.69 万元 > 662.77 万元
