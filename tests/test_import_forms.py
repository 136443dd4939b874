"""自评表 as provinces publish them: header words by role, layouts found by their words, sheets, .xls."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import openpyxl
import pytest

from perfrules import pipeline
from perfrules.audit import audit
from perfrules.data import headers
from perfrules.data.importer import import_form
from perfrules.data.selfeval import FormError, read_selfeval

from conftest import cli

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
from selfeval_forms import (  # noqa: E402
    budget20_form,
    hidden_first_sheet,
    management_form,
    sichuan_form,
    standard_form,
    two_row_header_form,
)


def imported(path: Path, sheet: str | None = None) -> tuple[str, list]:  # type: ignore[type-arg]
    result = import_form(read_selfeval(path, sheet), path.name)
    return result.text, result.findings


def compiles(text: str) -> bool:
    run = pipeline.compile_text(text, "x.perf")
    return run.plan is not None and not [f for f in run.findings if f.severity.value == "error"]


def pr3(run: pipeline.Run) -> set[tuple[str, int, int]]:
    return {(f.code, f.span.line, f.span.column) for f in run.findings if f.code.startswith("PR3") and f.span}


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


# ---------------------------------------------------------------- the vocabulary


@pytest.mark.parametrize("label, role", [
    ("实际完成值", "actual"), ("全年完成情况", "actual"), ("实际完成情况", "actual"), ("实际指标值", "actual"),
    ("完成值", "actual"), ("自评分", "score"), ("自评得分", "score"), ("得分", "score"), ("复核分", "review"),
    ("财政审核评分", "review"), ("未完成原因", "reason"), ("偏差情况说明", "reason"), ("未完成原因分析", "reason"),
    ("偏差原因分析及改进措施", "reason"), ("指标性质", "direction"), ("指标方向", "direction"), ("度量单位", "unit"),
    ("计量单位", "unit"), ("权重", "weight"), ("标准分", "weight"), ("备注", "remark"), ("指标名称", "level3"),
    ("指标内容", "level3"), ("年度目标值", "target"), (" 年度 指标值 ", "target"), ("分值（分）", "weight"),
    ("实际完成值\n（万元）", "actual"),
])
def test_indicator_header_words(label: str, role: str) -> None:
    match = headers.role_of(label, headers.INDICATOR_ROLES)
    assert match is not None and match.role == role


@pytest.mark.parametrize("label, role", [
    ("调整预算数", "budget"), ("调整后预算数", "budget"), ("预算数(A)", "budget"), ("预算数（A）", "budget"),
    ("全年预算数（万元）", "budget"), ("执行数(B)", "spent"), ("执行数（B）", "spent"), ("预算执行数", "spent"),
    ("年初预算", "start"), ("年初预算数", "start"), ("执行率(B/A)", "rate"), ("预算执行率", "rate"), ("分值", "weight"),
])
def test_money_header_words(label: str, role: str) -> None:
    match = headers.role_of(label, headers.MONEY_ROLES)
    assert match is not None and match.role == role


def test_each_role_has_one_home() -> None:
    for roles in (headers.INDICATOR_ROLES, headers.MONEY_ROLES):
        spellings = [w for role, words in roles.items() if role != "review" or roles is headers.INDICATOR_ROLES
                     for w in words]
        assert len(spellings) == len(set(spellings))  # no spelling names two roles
    assert headers.header_unit("项目资金（元）") == "元" and headers.header_unit("项目资金（万元）") == "万元"
    assert headers.normalise("预算数（Ａ）") == "预算数" and headers.normalise("执行率（B/A）") == "执行率"


# ---------------------------------------------------------------- layouts


def test_sichuan_form_direction_and_unit_columns_money_in_yuan(tmp_path: Path) -> None:
    path = sichuan_form(tmp_path / "四川.xlsx")
    text, findings = imported(path)
    assert findings == []
    assert "成本控制数 <= 3.36 万元 weight 30" in text and "成本控制数 = 3.2 万元  score 30" in text
    assert "培训人次 >= 1000 人次 weight 30" in text and "覆盖户数 >= 2000 户 weight 30" in text  # 正向
    assert "全年预算数 = 72890 元" in text and "年初预算数 = 72890 元" in text and "万元\n}" not in text.split("facts")[1][:80]
    assert "expect { total 99.6 }" in text  # the total right under the header
    assert 'reason "0"' not in text and "偏差原因 自评表!K8「0」" in text
    # the numeric 复核分 is written `review 28` and audited like the score: the rule gives 30 (PR301.review)
    assert "score 30 review 28  # 备注 自评表!L9「入户核实」" in text and "复核分 自评表!J9" not in text
    run, rows = audit(path)
    assert pr3(run) == {("PR301", 9, 10)} and not run.blocked
    assert [f.key for f in run.findings if f.code == "PR301"] == ["PR301.review"]
    assert [(r.name, str(r.published), str(r.computed)) for r in rows][:3] == [
        ("预算执行率", "9.6", "9.60"), ("培训人次", "30", "30.00"), ("成本控制数", "30", "30.00")]


def test_two_row_header_and_qualitative_text_kept(tmp_path: Path) -> None:
    path = two_row_header_form(tmp_path / "两行.xlsx")
    text, findings = imported(path)
    assert findings == []
    assert "服务人次 >= 5000 人次 weight 50" in text and "服务人次     = 5200 人次 score 50" in text  # 标准分, 自评
    assert "score 50 review 50" in text and "复核分 Sheet1!H4" not in text  # 得分 over 自评 | 复核
    assert '"人均补助提高了5%，覆盖2216户" score 45' in text  # the qualitative cell's text: the row's evidence
    assert "实际完成值 Sheet1!E5" not in text
    assert pr3(audit(path)[0]) == set()


def test_budget_20_layout_without_weight_column(tmp_path: Path) -> None:
    path = budget20_form(tmp_path / "20分.xlsx")
    text, findings = imported(path)
    assert "预算执行率 = 全年执行数 / 全年预算数 >= 100% weight 20 method execution" in text
    assert "维护里程 >= 50 公里 weight 20 inferred  # 分值为推断值" in text
    assert "群众满意度 >= 90% weight 40 inferred  # 分值为推断值" in text
    assert [(f.key, f.span.line) for f in findings] == [("PR024.inferred", 5), ("PR024.inferred", 6),
                                                         ("PR024.inferred", 7)]
    run, rows = audit(path)
    assert pr3(run) == set() and sum(r.weight for r in rows) == 100


def test_management_layout_budget_row_inside_and_subtotals(tmp_path: Path) -> None:
    path = management_form(tmp_path / "管理.xlsx")
    text, findings = imported(path)
    assert findings == []
    inside = text.split("dimension 管理")[1].split("dimension 产出")[0]
    assert "预算执行率 = 全年执行数 / 全年预算数 >= 100% weight 10 method execution" in inside
    assert "预算执行率 score 9 review 9 rate 90%" in text  # the row's 得分, 财政审核评分 and 实际完成值 (its 执行率)
    assert "决策 10  # 小计" in text and "效益 34  # 小计" in text
    run, _rows = audit(path)
    # the 效益 subtotal says 34 where its row scores 35 (PR308) and where its printed row says 35 (PR302.section)
    assert pr3(run) == {("PR302", 13, 7), ("PR308", 13, 7)}


def test_printed_rate_compared_with_the_computed_one(tmp_path: Path) -> None:
    path = tmp_path / "率.csv"
    write_csv(path, [["项目资金（万元）", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
                     ["年度资金总额", 200, 150, 10, "80%", 7.5],
                     ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
                     ["产出指标", "数量指标", "甲", "≥10个", "10个", 90, 90]])
    text, findings = imported(path)
    assert findings == []  # written `rate 80%` on the 预算执行率 line: PR309 audits it as in a hand-written file
    assert "预算执行率 score 7.5 rate 80%" in text
    run, _rows = audit(path)
    found = [f for f in run.findings if f.code == "PR309"]
    assert [(f.span.line, f.span.column) for f in found] == [(2, 5)]  # at the printed 执行率's cell
    assert found[0].message() == "预算执行率 印出的执行率 80% 与计算值 75% 不符（按所印位数四舍五入或截断后仍不同）"


def test_header_words_of_other_provinces(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "词.csv", [
        ["项目资金（元）", "年初预算", "调整后预算数", "执行数（B）", "分值", "执行率（B/A）", "自评分"],
        ["年度资金总额", "80,000", "100,000", "95,000", 10, "95%", 9.5],
        ["一级指标", "二级指标", "指标名称", "年度目标值", "实际指标值", "权重", "自评分", "偏差情况说明"],
        ["总分", "", "", "", "", "", 89.5],
        ["产出指标", "数量指标", "甲", "≥10个", "9个", 40, 36, "原材料涨价"],
        ["效益指标", "社会效益指标", "乙", "≥90%", "95%", 50, 44, "第一行\n第二行"],
    ])
    text, _findings = imported(path)
    assert "全年预算数 = 100000 元" in text and "全年执行数 = 95000 元" in text
    assert '甲 = 9 个 score 36\n    reason "原材料涨价"' in text
    assert 'reason "第一行\\n第二行"' in text  # the line break kept as an escape
    assert "expect { total 89.5 }" in text and compiles(text)


def test_a_header_that_cannot_be_placed_is_a_finding_at_the_header_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "怪.csv", [
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "联系人"],
        ["产出指标", "数量指标", "甲", "≥10个", "10个", 100, 100, "见附件3"],
    ])
    text, findings = imported(path)
    assert [(f.code, f.span.line, f.span.column) for f in findings] == [("PR024", 1, 8)]
    assert "表头「联系人」无法识别" in findings[0].message()
    assert "第 2 行第 8 列「见附件3」" in text  # the column's cells kept beside their row


def test_hostile_cells_become_comments_and_the_output_compiles(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "坏.csv", [
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因"],
        ["产出指标", "数量指标", "负分值", "≥10个", "10个", -5, 10, ""],
        ["产出指标", "数量指标", "负得分", "≥10个", "10个", 10, -3, ""],
        ["产出指标", "数量指标", "名称\u2028换行", "≥10个", "10个", 10, 10, ""],
        ["效益指标", "社会效益指标", "档次不明", "明显改善", "说不清", 10, "", "有原因"],
        ["效益指标", "社会效益指标", "引号\"与\\反斜杠", "明显改善", "达成年度指标", 10, 10, "\x07响铃"],
    ])
    text, findings = imported(path)
    assert compiles(text)
    reasons = sorted(dict(f.args)["reason"] for f in findings)
    assert reasons == sorted(["分值为负数，按 0 分计", "得分为负数", "名称含换行或控制字符，已换为空格",
                              "定性指标的完成情况无法判断档次，也没有得分"])
    assert re.search(r"负分值 +>= 10 个 weight 0  # 无法识别 第 2 行第 6 列「-5」", text)
    assert re.search(r'"名称 换行" = 10 个 score 10', text) and "第 4 行第 3 列「名称\\u2028换行」" in text
    assert '档次不明 reason "有原因"' in text  # a reason without a readable tier: still one valid line
    assert 'reason "\\u0007响铃"' in text and '"引号\\"与\\\\反斜杠"' in text


def test_formula_without_cached_value_is_reported(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"])
    ws.append(["产出指标", "数量指标", "甲", "≥10个", "=B9*2", 100, "=F2"])
    book.save(tmp_path / "公式.xlsx")  # openpyxl stores formulas without their values
    text, findings = imported(tmp_path / "公式.xlsx")
    assert {(dict(f.args)["cell"], f.span.column) for f in findings} == {("Sheet!E2", 5), ("Sheet!G2", 7)}
    assert "Sheet!E2「=B9*2」" in text and "Sheet!G2「=F2」" in text and compiles(text)


# ---------------------------------------------------------------- sheets, .xls, content


def test_hidden_stale_first_sheet_is_skipped_with_a_notice(tmp_path: Path) -> None:
    path = hidden_first_sheet(tmp_path / "隐藏.xlsx")
    text, findings = imported(path)
    assert "过时的指标" not in text and "城市低保发放人数" in text
    assert [(f.key, f.message()) for f in findings] == [
        ("PR024.sheet", "工作簿中的工作表 旧表 未导入（隐藏的工作表）；导入的是 自评表，可用 --sheet 指定另一张")]
    text, findings = imported(path, "旧表")
    assert "过时的指标" in text and findings == []
    out = cli("import", str(path), "--sheet", "旧表")
    assert out.exit_code == 0 and "过时的指标" in out.stdout
    out = cli("import", str(path), "--sheet", "没有")
    assert out.exit_code == 2 and "工作簿中没有工作表 没有（有：旧表、自评表）" in out.stderr


def test_xls_reads_as_xlsx_does(tmp_path: Path) -> None:
    xls_text, xls_findings = imported(FIXTURES / "sichuan_form.xls")
    xlsx_text, xlsx_findings = imported(sichuan_form(tmp_path / "sichuan_form.xlsx"))
    assert xls_text.replace(".xls ", ".xlsx ") == xlsx_text and xls_findings == xlsx_findings == []
    text, findings = imported(FIXTURES / "hidden_first_sheet.xls")
    assert "过时的指标" not in text and [f.key for f in findings] == ["PR024.sheet"]
    assert pr3(audit(FIXTURES / "sichuan_form.xls")[0]) == {("PR301", 9, 10)}  # the 复核分 28 against 30


@pytest.mark.parametrize("name, data, said", [
    ("a.xlsx", "一级指标,三级指标\n产出,甲\n".encode(), "这是 CSV 文本，不是 xlsx 工作簿"),
    ("a.xls", b"PK\x03\x04" + b"\x00" * 40, "这是 xlsx 工作簿（zip），不是 xls 工作簿"),
    ("a.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "这是 xls 工作簿（Excel 97–2003），不是 csv 文本"),
    ("a.xls", b"<html><table><tr><td>1</td></tr></table></html>", "这是 HTML 网页，不是 xls 工作簿"),
])
def test_content_that_is_not_what_the_extension_says(tmp_path: Path, name: str, data: bytes, said: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(FormError) as caught:
        read_selfeval(path)
    assert str(caught.value).startswith(said)
    out = cli("import", str(path))
    assert out.exit_code == 2 and said in out.stderr


def test_standard_form_keeps_its_heading_cells(tmp_path: Path) -> None:
    text, findings = imported(standard_form(tmp_path / "自评表.xlsx"))
    assert findings == []
    assert "# 表头 第 4 行：自评表!A4「主管部门」 自评表!B4「县民政局」" in text
    assert "自评表!B7「其中：当年财政拨款」" in text and "自评表!E9「按时足额发放」" in text


def test_audit_findings_point_at_cells_not_at_1_1(tmp_path: Path) -> None:
    for path in (standard_form(tmp_path / "a.xlsx"), management_form(tmp_path / "b.xlsx"), sichuan_form(tmp_path / "c.xlsx")):
        run, _rows = audit(path)
        assert all(f.span is not None and f.span.line > 1 for f in run.findings), [
            (f.code, f.span) for f in run.findings]
    bad = write_csv(tmp_path / "无表头.csv", [["说明"], ["没有表头的表"]])
    run, _rows = audit(bad)
    assert [(f.code, f.span.line, f.span.column) for f in run.findings] == [("PR019", 1, 1)]
