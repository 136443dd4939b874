"""自评表 import and audit: real layouts, messy cells, every known departure found at its cell."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from perfrules import pipeline
from perfrules.audit import audit
from perfrules.data.importer import import_form
from perfrules.data.selfeval import parse_target, read_selfeval
from perfrules.fmt import format_text

from conftest import cli

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from selfeval_forms import STANDARD_ROWS, province_form, standard_form

MESSY_ROWS = [*STANDARD_ROWS[:3],
              ("产出指标", "数量指标", "培训人次", "≥**人次", "1200人次", 5, "优", ""),
              ("产出指标", "数量指标", "培训人次", "≥1000人次", "1100人次", 5, 5, "")]


@pytest.mark.parametrize("text, comparator, number, unit", [
    ("≥8755人", ">=", "8755", "人"), (">=530元/人*月", ">=", "530", "元/人/月"), ("≤5300元/户", "<=", "5300", "元/户"),
    ("100%", "=", "100", "%"), ("不低于95%", ">=", "95", "%"), ("87,411人", "=", "87411", "人"), ("0起", "=", "0", "起"), ("≥120公里", ">=", "120", "公里"),
    ("＞＝８７５５人", ">=", "8755", "人"),
])
def test_target_texts(text: str, comparator: str, number: str, unit: str) -> None:
    target = parse_target(text)
    assert target is not None and (target.comparator, f"{target.number}", target.unit) == (comparator, number, unit)


def test_wording_targets_and_unreadable_ones() -> None:
    assert parse_target("达成年度指标") is not None and parse_target("达成年度指标").comparator is None  # type: ignore[union-attr]
    assert parse_target("逐步提高").number is None  # type: ignore[union-attr]
    assert parse_target("≥**人") is None


def imported(path: Path) -> tuple[str, list]:  # type: ignore[type-arg]
    result = import_form(read_selfeval(path), path.name)
    return result.text, result.findings


def test_standard_form_imports_without_loss(tmp_path: Path) -> None:
    text, findings = imported(standard_form(tmp_path / "自评表.xlsx"))
    assert findings == []
    assert format_text(text, "x.perf")[0] == text  # fmt leaves it unchanged
    for *_levels, name, _target, _actual, _weight, score, _reason in STANDARD_ROWS:
        assert name in text and f"score {score}" in text
    assert "全年执行数 = 5937.4 万元" in text and "expect { total 95.63 }" in text
    assert 'reason "城镇就业形势好转"' in text
    run = pipeline.check_run(pipeline.evaluate_run(pipeline.compile_text(text, "x.perf")))
    assert not run.blocked and run.result is not None
    assert len(run.result.indicators()) == len(STANDARD_ROWS) + 1  # and the 预算执行率 row


def test_a_cell_that_cannot_be_read_is_kept_and_reported(tmp_path: Path) -> None:
    path = standard_form(tmp_path / "乱.xlsx", MESSY_ROWS, total=None)
    text, findings = imported(path)
    assert [(f.code, f.span.line, f.span.column) for f in findings] == [("PR024", 14, 5), ("PR024", 14, 6),
                                                                         ("PR024", 14, 8)]
    assert "# 无法识别 自评表!E14「≥**人次」" in text and "自评表!H14「优」" in text
    assert "培训人次（自评表!D15）" in text  # a repeated name is kept apart, not merged or dropped
    run = pipeline.evaluate_run(pipeline.compile_text(text, "x.perf"))
    assert not run.blocked


def test_audit_finds_each_departure_at_its_cell(tmp_path: Path) -> None:
    path = standard_form(tmp_path / "自评表.xlsx")
    run, rows = audit(path)
    found = {(f.code, f.span.line, f.span.column) for f in run.findings if f.code.startswith("PR3")}
    assert ("PR301", 16, 8) in found  # a reverse indicator scored full where the ratio rule gives 4.55
    assert ("PR305", 16, 8) in found
    assert ("PR307", 18, 8) in found  # the actual cell repeats the target 「≥266米」
    assert ("PR302", 20, 8) in found  # the total is not the sum of the rows
    by_name = {r.name: r for r in rows}
    assert str(by_name["户均审核管理费用"].computed) == "4.55" and by_name["户均审核管理费用"].where == "自评表!H16"


def test_another_provinces_layout(tmp_path: Path) -> None:
    path = province_form(tmp_path / "省表.xlsx")
    text, findings = imported(path)
    assert findings == [] and "养护里程 >= 120 公里 weight 20" in text
    run, _rows = audit(path)
    assert {f.code for f in run.findings if f.code.startswith("PR3")} == {"PR302", "PR308"}


def test_csv_form(tmp_path: Path) -> None:
    path = tmp_path / "自评表.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["项目名称", "测试项目"])
        writer.writerow(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因"])
        for level1, level2, name, target, actual, weight, score, reason in STANDARD_ROWS[:4]:
            writer.writerow([level1, level2, name, target, actual, weight, score, reason])
        writer.writerow(["总分", "", "", "", "", 40, 39.63, ""])
    text, findings = imported(path)
    assert findings == [] and 'ruleset 测试项目' in text
    run, _rows = audit(path)
    assert not run.blocked and not [f for f in run.findings if f.code.startswith("PR3")]


def test_cli_import_and_audit(tmp_path: Path) -> None:
    form = standard_form(tmp_path / "自评表.xlsx")
    target = tmp_path / "project.perf"
    out = cli("import", str(form), "-o", str(target))
    assert out.exit_code == 0 and "已导入 9 个指标" in out.stderr
    assert cli("eval", str(target)).exit_code in (0, 1) and cli("lint", str(target)).exit_code in (0, 1)
    assert cli("fmt", "--check", str(target)).exit_code == 0
    out = cli("audit", str(form))
    assert out.exit_code == 1 and "公布得分" in out.stdout and f"{form}:16:8: PR301" in out.stdout
    sarif = json.loads(cli("audit", str(form), "--format", "sarif").stdout)
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"PR301", "PR302", "PR307"}
    assert cli("audit", str(target)).exit_code == 1  # the imported rule file audits the same
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    assert cli("import", str(bad)).exit_code == 2 and cli("audit", str(bad)).exit_code == 2


def test_blank_upper_levels_continue_the_row_above(tmp_path: Path) -> None:
    """A merged form saved as CSV leaves the merged 一级/二级 cells blank below their first row."""
    path = tmp_path / "自评表.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"])
        writer.writerow(["产出指标", "数量指标", "甲", "≥10个", "10个", 20, 20])
        writer.writerow(["", "", "乙", "≥10个", "10个", 20, 20])
        writer.writerow(["", "质量指标", "丙", "100%", "100%", 20, 20])
        writer.writerow(["效益指标", "社会效益指标", "丁", "≥90%", "95%", 40, 40])
    form = read_selfeval(path)
    assert [(r.level1, r.level2, r.name.text) for r in form.rows] == [
        ("产出指标", "数量指标", "甲"), ("产出指标", "数量指标", "乙"), ("产出指标", "质量指标", "丙"),
        ("效益指标", "社会效益指标", "丁")]
