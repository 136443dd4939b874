"""Data files never guess silently: a bare number is read in the target's unit and shown with it, a value that looks
written in another unit (0.95 for 95%, 元 for 万元) is a PR026 warning with the intended value in its hint, thousands
separators are read, and 合计/小计/总分 and title rows of a data sheet are skipped with a notice. Scores never change
silently: each case asserts the exact score the value gives as read."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from perfrules import pipeline
from perfrules.findings import Finding
from perfrules.scoring.result import IndicatorResult

from conftest import cli

RULES = """\
ruleset "测试" {
  year 2023
}
dimension 产出 weight 100 {
  group 成本 {
    项目总成本 <= 90 万元 weight 50
    满意度 >= 95% weight 30
    补助标准 >= 70000 元 weight 20
  }
}
"""


def run(tmp_path: Path, name: str, data: str | bytes | None = None) -> pipeline.Run:
    rules = tmp_path / "p.perf"
    rules.write_text(RULES, encoding="utf-8")
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif data is not None:
        path.write_text(data, encoding="utf-8")
    return pipeline.evaluate_run(pipeline.compile_file(rules), path)


def row(result: pipeline.Run, name: str) -> IndicatorResult:
    assert result.result is not None
    return next(i for i in result.result.indicators() if i.name == name)


def pr026(result: pipeline.Run) -> list[Finding]:
    return [f for f in result.findings if f.code == "PR026"]


def test_a_bare_amount_is_read_in_the_targets_unit_shown_with_it_and_doubted(tmp_path: Path) -> None:
    result = run(tmp_path, "d.json", json.dumps({"项目总成本": 899740}))
    cost = row(result, "项目总成本")
    assert cost.actual_text == "899740 万元"  # shown with the unit it is read in
    assert cost.score == Decimal("0.01")  # 90 / 899740 × 50, as read: no silent change
    (finding,) = pr026(result)
    assert finding.severity.value == "warning" and finding.key == "PR026.magnitude"
    assert finding.message() == ("项目总成本 的实际值 899740 没有写单位，按目标的单位读作 899740 万元，"
                                 "与目标「<= 90 万元」相差约 10,000 倍")
    assert finding.hint() == "是不是 89.974 万元（899740 元）？写上单位即可消除此警告"
    assert finding.message("en").startswith("the actual of 项目总成本, 899740, has no unit")
    assert (finding.span.file, finding.span.line) == (str(tmp_path / "d.json"), 1)  # type: ignore[union-attr]
    assert not pipeline.eval_failed(result.findings)  # a warning: never blocking


def test_an_amount_written_in_wan_yuan_against_a_yuan_target(tmp_path: Path) -> None:
    result = run(tmp_path, "d.json", json.dumps({"补助标准": 7.289}))
    assert row(result, "补助标准").actual_text == "7.289 元" and row(result, "补助标准").score == Decimal("0.00")
    (finding,) = pr026(result)
    assert finding.hint() == "是不是 72890 元（7.289 万元）？写上单位即可消除此警告"


@pytest.mark.parametrize("value", ["89.974", "899740 元", "89.974 万元", 120, 45])
def test_amounts_in_the_targets_range_or_with_a_unit_are_not_doubted(tmp_path: Path, value: Any) -> None:
    result = run(tmp_path, "d.json", json.dumps({"项目总成本": value}))
    assert pr026(result) == []
    assert row(result, "项目总成本").actual_text.endswith("万元") or row(result, "项目总成本").actual_text.endswith("元")


def test_a_ratio_for_a_percentage_target(tmp_path: Path) -> None:
    result = run(tmp_path, "d.json", json.dumps({"满意度": 0.95}))
    satisfaction = row(result, "满意度")
    assert satisfaction.actual_text == "0.95%" and satisfaction.score == Decimal("0.30")  # 0.95 / 95 × 30, as read
    (finding,) = pr026(result)
    assert finding.key == "PR026.percent" and finding.severity.value == "warning"
    assert finding.message() == "满意度 的实际值 0.95 没有写 %，按目标的单位读作 0.95%，而目标是「>= 95%」"
    assert finding.hint() == "是不是 95%？写上 % 即可消除此警告"


@pytest.mark.parametrize("value", ["95%", 96, "0.95%"])
def test_percentages_written_as_such_are_not_doubted(tmp_path: Path, value: Any) -> None:
    assert pr026(run(tmp_path, "d.json", json.dumps({"满意度": value}))) == []


def test_a_small_percentage_target_takes_small_values(tmp_path: Path) -> None:
    rules = tmp_path / "r.perf"
    rules.write_text("差错率 <= 1% weight 10\n", encoding="utf-8")
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"差错率": 0.5}), encoding="utf-8")
    result = pipeline.evaluate_run(pipeline.compile_file(rules), data)
    assert pr026(result) == [] and row(result, "差错率").actual_text == "0.5%"


@pytest.mark.parametrize("written", ["72,890元", "72,890 元", "72，890元", "72,890"])
def test_thousands_separators_in_json_strings(tmp_path: Path, written: str) -> None:
    result = run(tmp_path, "d.json", json.dumps({"补助标准": written}))
    standard = row(result, "补助标准")
    assert standard.status == "scored" and standard.actual == Decimal(72890)
    assert standard.score == Decimal("20.00") and standard.actual_text == "72890 元"
    assert [f.code for f in result.findings if f.code in ("PR023", "PR026")] == []


def test_a_broken_group_is_not_a_thousands_separator(tmp_path: Path) -> None:
    result = run(tmp_path, "d.json", json.dumps({"补助标准": "72,89元"}))
    assert row(result, "补助标准").status == "text" and [f.code for f in result.findings if f.code == "PR023"] == ["PR023"]


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_csv_totals_thousands_and_doubts(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    write_csv(path, [["指标名称", "实际完成值"], ["项目总成本", "899740"], ["满意度", "0.95"], ["补助标准", "72,890元"],
                     ["合计", "100"], ["小计（产出）", "20"], ["总分", "95"]])
    result = run(tmp_path, "d.csv")
    assert [f.code for f in result.findings if f.code == "PR020"] == []
    notices = [f for f in pr026(result) if f.severity.value == "info"]
    assert [(f.key, f.span.line, f.message()) for f in notices] == [  # type: ignore[union-attr]
        ("PR026.total", 5, "第 5 行第 1 列「合计」是合计行，不是指标：已跳过"),
        ("PR026.total", 6, "第 6 行第 1 列「小计（产出）」是合计行，不是指标：已跳过"),
        ("PR026.total", 7, "第 7 行第 1 列「总分」是合计行，不是指标：已跳过"),
    ]
    assert notices[0].hint() == "合计、小计由 perfrules 计算，数据表中每个指标一行即可"
    warnings = [(f.key, f.span.line) for f in pr026(result) if f.severity.value == "warning"]  # type: ignore[union-attr]
    assert warnings == [("PR026.magnitude", 2), ("PR026.percent", 3)]
    assert result.result is not None and result.result.total == Decimal("20.31")  # 0.01 + 0.30 + 20
    out = cli("eval", str(tmp_path / "p.perf"), "--data", str(path))
    assert out.exit_code == 0 and "PR020" not in out.stdout + out.stderr
    assert "899740 万元" in out.stdout and "提示：是不是 89.974 万元（899740 元）？" in out.stdout + out.stderr


def test_xlsx_title_rows_totals_and_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "实际值"
    sheet.append(["2023年度实际完成情况表"])
    sheet.merge_cells("A1:C1")
    sheet.append(["指标名称", "实际完成值", "偏差原因"])
    sheet.append(["项目总成本", 899740])
    sheet.append(["一、效益指标"])
    sheet.merge_cells("A4:C4")
    sheet.append(["满意度", "95%"])
    sheet.append(["补助标准", "72,890元"])
    sheet.append(["合  计", 100])
    path = tmp_path / "d.xlsx"
    book.save(path)
    result = run(tmp_path, "d.xlsx")
    found = [(f.key, f.severity.value, f.span.line) for f in pr026(result)]  # type: ignore[union-attr]
    assert found == [("PR026.title", "info", 1), ("PR026.magnitude", "warning", 3), ("PR026.title", "info", 4),
                     ("PR026.total", "info", 7)]
    assert next(f for f in pr026(result) if f.span.line == 4).message() == \
        "实际值!A4「一、效益指标」是标题行，不是指标：已跳过"  # type: ignore[union-attr]
    assert [f.code for f in result.findings if f.code in ("PR020", "PR023")] == []
    assert row(result, "补助标准").score == Decimal("20.00") and row(result, "满意度").score == Decimal("30.00")


def test_a_known_indicator_named_like_a_total_is_read(tmp_path: Path) -> None:
    rules = tmp_path / "r.perf"
    rules.write_text("合计完成户数 >= 100 户 weight 10\n", encoding="utf-8")
    path = tmp_path / "d.csv"
    write_csv(path, [["指标名称", "实际完成值"], ["合计完成户数", "120"]])
    result = pipeline.evaluate_run(pipeline.compile_file(rules), path)
    assert pr026(result) == [] and row(result, "合计完成户数").score == Decimal("10.00")


def test_a_rule_files_bare_actual_is_shown_with_its_unit(tmp_path: Path) -> None:
    rules = tmp_path / "r.perf"
    rules.write_text("项目总成本 <= 90 万元 weight 10\nactuals {\n  项目总成本 = 899740\n}\n", encoding="utf-8")
    result = pipeline.evaluate_run(pipeline.compile_file(rules))
    assert row(result, "项目总成本").actual_text == "899740 万元"
    (finding,) = pr026(result)
    assert finding.span is not None and (finding.span.file, finding.span.line) == (str(rules), 3)
