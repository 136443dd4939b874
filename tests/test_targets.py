"""`perfrules targets`: the suggested target by its documented rule, the table and the patch."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

from test_history import PREVIOUS

from perfrules.history.model import Past, Point, Series
from perfrules.history.suggest import suggested
from perfrules.plan.units import parse_unit

from conftest import ROOT, cli

SEED = ROOT / "rulesets" / "examples" / "retiree-services-2023.perf"


def series(comparator: str, target: str, actuals: list[str], places: int = 0, unit: str = "场") -> Series:
    u = parse_unit(unit)
    past = tuple(Past(Point(2020 + i, "x", "x", comparator, Decimal(target), Decimal(a), u, None, "f"), "path",
                      Decimal(target), Decimal(a), True) for i, a in enumerate(actuals))
    return Series("x", "x", comparator, Decimal(target), None, u, None, past, places)


def test_the_rule_not_below_last_years_actual_nor_the_mean() -> None:
    assert suggested(series(">=", "4", ["10"])) == Decimal("10")
    assert suggested(series(">=", "4", ["14", "12", "10"])) == Decimal("12")  # the mean 12 above the last 10
    assert suggested(series(">=", "4", ["9", "10", "12"])) == Decimal("12")
    assert suggested(series(">=", "4", ["10", "11", "11"])) == Decimal("11")  # mean 10.67, last 11
    assert suggested(series(">=", "4", ["11", "10", "10"])) == Decimal("11")  # mean 10.33 rounded up: whole 场
    assert suggested(series(">=", "4", ["11", "10", "10"], places=1)) == Decimal("10.4")
    assert suggested(series(">=", "20", ["10"])) == Decimal("20")  # a target above the history stands
    assert suggested(series(">=", "4", [])) == Decimal("4")
    assert suggested(series(">=", "4", ["10"]), margin=Decimal("0.05")) == Decimal("11")  # 10.5 up
    assert suggested(series(">=", "4", ["14", "12", "10"]), years=1) == Decimal("10")
    assert suggested(series("<=", "300", ["250", "240"], unit="元")) == Decimal("240")  # the mirror: the lowest
    assert suggested(series("<=", "300", ["250", "241"], unit="元")) == Decimal("241")


def test_targets_suggests_at_least_ten_for_the_seed(tmp_path: Path) -> None:
    previous = tmp_path / "2022.perf"
    previous.write_text(PREVIOUS, encoding="utf-8")
    result = cli("targets", str(SEED), "--history", str(previous), "--format", "json")
    assert result.exit_code == 0
    rows = {row["indicator"].rsplit("/", 1)[-1]: row for row in json.loads(result.stdout)}
    row = rows["组织开展退休人员活动场次"]
    assert (row["target"], row["suggested"], row["raise"]) == ("4", "10", True)
    assert row["history"] == [{"year": 2022, "target": "4", "actual": "10", "unit": "场", "source": str(previous),
                               "matched_by": "path"}]
    assert rows["资格认证人数"]["history"][0]["matched_by"] == "normalised"
    assert (rows["资格认证人数"]["suggested"], rows["资格认证人数"]["raise"]) == ("60000", False)
    assert (rows["活动每人标准"]["suggested"], rows["活动每人标准"]["raise"]) == ("250", True)
    table = cli("targets", str(SEED), "--history", str(previous))
    line = next(x for x in table.stdout.splitlines() if x.startswith("组织开展退休人员活动场次"))
    assert line.split() == ["组织开展退休人员活动场次", ">=", "4", "场", "12", "场", "2022:", "4", "场", "/", "10", "场",
                            "10", "场"]


def test_diff_and_write_change_only_the_targets_number(tmp_path: Path) -> None:
    previous = tmp_path / "2022.perf"
    previous.write_text(PREVIOUS, encoding="utf-8")
    rules = tmp_path / "2023.perf"
    shutil.copy(SEED, rules)
    before = rules.read_text(encoding="utf-8")
    diff = cli("targets", str(rules), "--history", str(previous), "--diff")
    assert diff.exit_code == 0
    changed = [x for x in diff.stdout.splitlines() if x[:1] in "+-" and not x.startswith(("+++", "---"))]
    assert changed == ["-    组织开展退休人员活动场次 >= 4 场     weight 4", "+    组织开展退休人员活动场次 >= 10 场     weight 4",
                       "-    活动每人标准 <= 260 元/人/年 weight 5", "+    活动每人标准 <= 250 元/人/年 weight 5"]
    assert rules.read_text(encoding="utf-8") == before  # --diff writes nothing
    written = cli("targets", str(rules), "--history", str(previous), "--write")
    assert written.exit_code == 0
    after = rules.read_text(encoding="utf-8")
    assert after == before.replace("组织开展退休人员活动场次 >= 4 场", "组织开展退休人员活动场次 >= 10 场").replace(
        "活动每人标准 <= 260 元/人/年", "活动每人标准 <= 250 元/人/年")
    assert "# 与「过程/资金管理/资金到位率」重复计分" in after  # comments kept
    again = cli("lint", str(rules), "--history", str(previous), "--select", "PR401")
    assert "PR401" not in again.stdout


def test_targets_from_the_history_block(tmp_path: Path) -> None:
    rules = tmp_path / "x.perf"
    rules.write_text("活动场次 >= 4 场 weight 10\nhistory {\n  2022 活动场次 >= 4 场 actual 10 场\n}\n", encoding="utf-8")
    result = cli("targets", str(rules), "--format", "json")
    assert [(r["target"], r["suggested"]) for r in json.loads(result.stdout)] == [("4", "10")]


def test_targets_without_history_is_a_usage_error(tmp_path: Path) -> None:
    result = cli("targets", str(SEED))
    assert result.exit_code == 2 and "没有往年数据" in result.stderr


def test_targets_with_a_whole_previous_year_including_computed_rates(tmp_path: Path) -> None:
    """Last year's rule file with its formula rates (预算执行率 = 16.67 / 662.77 carries 28 digits): no crash,
    a suggestion at the precision the values are written with."""
    previous = tmp_path / "2022.perf"
    text = SEED.read_text(encoding="utf-8").replace("year 2023", "year 2022")
    previous.write_text(text.replace("组织开展退休人员活动场次 = 12 场", "组织开展退休人员活动场次 = 10 场"), encoding="utf-8")
    result = cli("targets", str(SEED), "--history", str(previous), "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["indicator"].rsplit("/", 1)[-1]: row for row in json.loads(result.stdout)}
    assert rows["组织开展退休人员活动场次"]["suggested"] == "10"
    assert rows["资格认证人数"]["suggested"] == "80646"
