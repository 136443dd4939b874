"""Cases a review found giving wrong scores or findings; each pinned here."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import openpyxl

from perfrules import pipeline
from perfrules.audit import audit

from conftest import load

D = Decimal


def codes(text: str) -> list[str]:
    return load(text).codes()


def test_a_percent_actual_against_a_bare_target_is_an_error() -> None:
    assert "PR013" in codes("培训合格人数 >= 95 weight 100\nactuals {\n  培训合格人数 = 98%\n}\n")
    assert "PR013" not in codes("资格认证人数 >= 60000 weight 100\nactuals {\n  资格认证人数 = 80646 人\n}\n")


def test_equal_zero_target_missed_is_not_met() -> None:
    loaded = load("事故数 = 0 起 weight 40\nactuals {\n  事故数 = 1 起 score 40\n}\n")
    assert loaded.ind("事故数").met is False and loaded.ind("事故数").score == 0
    assert "PR305" in loaded.codes()


def test_execution_checks_use_the_rate_not_the_completion() -> None:
    loaded = load("预算执行率 >= 80% weight 10 method execution\nactuals {\n  预算执行率 = 50% reason \"x\"\n}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR204"]
    assert finding.severity.value == "error" and "50.00%" in finding.message()


def test_published_total_with_rows_that_do_not_apply() -> None:
    text = ("a >= 10 个 weight 50\nb >= 10 个 weight 30\nc >= 10 个 weight 20\n"
            "actuals {\n  a = 10 个 score 50\n  b = 9 个 score 27\n  c = 不适用\n}\nexpect { total 96.25 }\n")
    assert "PR302" not in codes(text) and "PR308" not in codes(text)


def test_strict_comparator_scored_full_by_its_own_rule_is_not_pr305() -> None:
    assert "PR305" not in codes("满意度 > 95% weight 40\nactuals {\n  满意度 = 95% score 40\n}\n")


def test_output_dimensions_named_with_a_suffix() -> None:
    text = ("dimension 决策指标 weight 40 {\n  a qualitative weight 40\n}\n"
            "dimension 产出指标 weight 40 {\n  b >= 1 个 weight 40\n}\n"
            "dimension 效益指标 weight 20 {\n  c >= 1 个 weight 20\n}\n")
    assert "PR104" not in codes(text)


def test_measures_told_apart_by_brackets_are_not_duplicates() -> None:
    text = '"低保发放人数(城市)" >= 1 人 weight 50\n"低保发放人数(农村)" >= 1 人 weight 50\n'
    assert "PR106" not in codes(text)
    assert "PR106" in codes('"资金到位率（%）" >= 100% weight 50\n资金到位率 >= 100% weight 50\n')


def test_an_indicator_given_twice_in_a_data_file_by_name_and_path(write) -> None:  # type: ignore[no-untyped-def]
    rules = write("r.perf", "group 产出 {\n  培训人数 >= 100 人 weight 100\n}\n")
    data = write("d.json", json.dumps({"培训人数": 300, "产出/培训人数": 520}, ensure_ascii=False))
    run = pipeline.evaluate_run(pipeline.compile_file(rules), data)
    assert "PR010" in [f.code for f in run.findings]


def write_form(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"])
        writer.writerows(rows)
    return path


def test_import_zero_target_thousands_and_bare_targets(tmp_path: Path) -> None:
    form = write_form(tmp_path / "f.csv", [
        ["产出指标", "数量指标", "安全责任事故", "0起", "2起", 30, 0],
        ["产出指标", "数量指标", "管理人数", "≥80000人", "87,411人", 30, 30],
        ["效益指标", "满意度指标", "满意度", "≥95", "98%", 20, 20],
        ["满意度指标", "服务对象满意度指标", "满意度", "≥90%", "92%", 20, 20],
    ])
    run, _rows = audit(form)
    assert not run.blocked, [f.message() for f in run.findings]
    assert not [f for f in run.findings if f.code.startswith("PR3")], [f.message() for f in run.findings]


def test_published_scores_as_the_workbook_shows_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"])
    sheet.append(["产出指标", "数量指标", "城市低保发放人数", "≥2300人", "2216人", 10, 10 * 2216 / 2300])
    sheet["G2"].number_format = "0.00"
    sheet.append(["总分", "", "", "", "", 10, 9.63])
    book.save(tmp_path / "f.xlsx")
    run, rows = audit(tmp_path / "f.xlsx")
    assert rows[-1].published == D("9.63")
    assert not [f for f in run.findings if f.code in ("PR301", "PR302")]


def test_a_long_chain_in_a_fact_is_refused_and_long_decimals_are_fine() -> None:
    terms = " + ".join(["x"] * 1000)
    assert "PR014.depth" in [f.key for f in load(f"facts {{\n  x = 1 元\n  y = {terms}\n}}\na >= 1 个 weight 100\n").findings]
    assert "PR014.big" not in [f.key for f in load("a >= 0.1234567890123456 weight 100\n").findings]


def test_two_note_lines_for_one_row_join() -> None:
    loaded = load('facts {\n  a = 1 元\n}\nr = a / a >= 100% weight 10\nactuals {\n  r reason "x"\n  r score 10\n}\n')
    assert "PR010" not in loaded.codes()
    assert loaded.ind("r").reason == "x" and loaded.ind("r").published == D(10)


def test_a_note_in_a_data_file(write) -> None:  # type: ignore[no-untyped-def]
    rules = write("r.perf", "facts {\n  a = 1 元\n}\nr = a / a >= 100% weight 10\n")
    data = write("d.json", '{"r": {"value": null, "reason": "说明", "score": 10}}')
    run = pipeline.evaluate_run(pipeline.compile_file(rules), data)
    assert run.result is not None and run.result.indicators()[0].reason == "说明"


def test_a_table_with_upper_level_columns_and_units_twice(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rules = write("r.perf", "人数 >= 100 人 weight 100\n")
    table = tmp_path / "d.csv"
    table.write_text("一级指标,三级指标,实际完成值,单位\n产出,人数,87人,人\n", encoding="utf-8")
    run = pipeline.evaluate_run(pipeline.compile_file(rules), table)
    assert run.result is not None and run.result.total == D("87.00"), [f.message() for f in run.findings]


def test_cost_check_uses_a_budget_given_in_a_data_file(write) -> None:  # type: ignore[no-untyped-def]
    rules = write("r.perf", "facts {\n  全年预算数 万元\n}\n服务人数 >= 80000 人 weight 50\n每人标准 <= 260 元/人 weight 50\n")
    data = write("d.json", '{"全年预算数": "100 万元", "服务人数": 87411, "每人标准": 260}')
    run = pipeline.check_run(pipeline.evaluate_run(pipeline.compile_file(rules), data))
    (finding,) = [f for f in run.findings if f.code == "PR107"]
    assert "100.00 万元" in finding.message()
