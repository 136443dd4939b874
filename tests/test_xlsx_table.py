"""The XLSX 综合评分表 as a document: header block with the budget figures as cells and 预算执行率 a formula over
them, 公布得分 and 偏差原因 columns, grade bands, signature lines, A4 landscape one page wide with the header row
repeated, frozen panes, row heights that fit wrapped text; and the page as LibreOffice prints it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from test_reports import recompute

from perfrules import pipeline
from perfrules.render.xlsx import Layout, units, wrapped_lines, write_xlsx

from conftest import SEED

AUDIT = """\
ruleset "审核" {
  year 2023
}
grades { 优 >= 90  良 >= 80  中 >= 60  差 otherwise }
facts {
  年初预算数 = 120 万元
  全年预算数 = 100 万元
  执行数 = 800000 元
}
户均费用 <= 5300 元/户 weight 10
其他 >= 1 个 weight 90
actuals {
  户均费用 = 5830 元/户 score 10
    reason "物价上涨，年初按上年标准测算，实际每户审核费用随人工成本上升，超出年初目标。"
  其他 = 1 个 score 90
}
"""


def workbook(path: Path | str, tmp_path: Path, lang: str = "zh") -> tuple[pipeline.Run, Layout, Path]:
    run = pipeline.analyse(path)
    assert run.result is not None and run.plan is not None
    book = tmp_path / (Path(path).stem + ".xlsx")
    layout = write_xlsx(run.result, run.plan, run.sorted_findings(), book, lang)
    return run, layout, book


@pytest.fixture
def audit(tmp_path: Path) -> Path:
    path = tmp_path / "audit.perf"
    path.write_text(AUDIT, encoding="utf-8")
    return path


def test_header_block_holds_the_budget_as_cells_and_the_rate_as_a_formula(audit: Path, tmp_path: Path) -> None:
    _, layout, book = workbook(audit, tmp_path)
    ws = openpyxl.load_workbook(book)[layout.sheet]
    assert ws["A1"].value == "审核综合评分表"
    assert (ws["A2"].value, ws["B2"].value, ws["D2"].value, ws["G2"].value) == ("项目名称", "审核", "年度", "2023")
    assert set(layout.money) == {"年初预算数", "全年预算数", "全年执行数"}
    assert ws[layout.money["全年预算数"]].value == 100 and ws[layout.money["全年执行数"]].value == 800000
    assert ws[layout.money["全年预算数"]].number_format == '#,##0.00"万元"'
    assert ws[layout.money["全年执行数"]].number_format == '#,##0.00"元"'
    # 执行数 in 元 over 全年预算数 in 万元 (not 年初预算数): the unit factor in the formula, no constant
    assert ws[layout.execution].value == f"={layout.money['全年执行数']}*0.0001/{layout.money['全年预算数']}"
    assert ws[layout.execution].number_format == "0.00%"
    assert ws[layout.head_total].value == f"={layout.total}" and ws[layout.head_grade].value == f"={layout.grade}"
    values = recompute(book)
    sheet = layout.sheet.upper()
    assert values[f"{sheet}!{layout.execution}"] == pytest.approx(0.8, abs=1e-15)
    assert values[f"{sheet}!{layout.head_total}"] == 99.09 and values[f"{sheet}!{layout.head_grade}"] == "优"


def test_execution_rate_follows_the_budget_cell(audit: Path, tmp_path: Path) -> None:
    """Change the 全年执行数 cell and the rate follows: it is a formula, not a copied number."""
    _, layout, book = workbook(audit, tmp_path)
    wb = openpyxl.load_workbook(book)
    wb[layout.sheet][layout.money["全年执行数"]] = 250000
    wb.save(book)
    assert recompute(book)[f"{layout.sheet.upper()}!{layout.execution}"] == pytest.approx(0.25, abs=1e-15)


def test_published_and_reason_columns(audit: Path, tmp_path: Path) -> None:
    _, layout, book = workbook(audit, tmp_path)
    ws = openpyxl.load_workbook(book)[layout.sheet]
    head = [c.value for c in ws[layout.header_row]]
    assert head[13:] == ["适用分值", "公布得分", "偏差原因", "问题"]
    row = next(r for r in range(layout.header_row + 1, ws.max_row + 1) if ws[f"C{r}"].value == "户均费用"
               or ws[f"A{r}"].value == "户均费用")
    assert ws[f"O{row}"].value == 10 and ws[f"O{row}"].number_format == "0.00"
    assert str(ws[f"P{row}"].value).startswith("物价上涨") and ws[f"P{row}"].alignment.wrap_text
    assert ws.merged_cells.ranges and f"A{row}:C{row}" in {str(m) for m in ws.merged_cells.ranges}  # top-level row


def test_seed_has_no_published_column_and_keeps_its_reasons(tmp_path: Path) -> None:
    _run, layout, book = workbook(SEED, tmp_path)
    ws = openpyxl.load_workbook(book)[layout.sheet]
    head = [c.value for c in ws[layout.header_row]]
    assert head[13:] == ["适用分值", "偏差原因", "问题"]
    reasons = {ws[f"C{r}"].value: ws[f"O{r}"].value for r in range(layout.header_row + 1, ws.max_row + 1)}
    assert str(reasons["组织开展退休人员活动场次"]).startswith("举办各种各样文体娱乐活动")
    assert ws[layout.execution].value == f"={layout.money['全年执行数']}/{layout.money['全年预算数']}"
    grade_row = int(layout.grade[1:])
    assert ws[f"J{grade_row}"].value == "等级划分：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 其他"
    signatures = [c.value for c in ws[grade_row + 2] if c.value]
    assert signatures == ["评价人：", "复核人：", "日期："]


def test_print_setup_freeze_and_folded_helper_columns(tmp_path: Path) -> None:
    _, layout, book = workbook(SEED, tmp_path)
    ws = openpyxl.load_workbook(book)[layout.sheet]
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == f"${layout.header_row}:${layout.header_row}"
    assert ws.freeze_panes == f"D{layout.header_row + 1}"
    dims = ws.column_dimensions
    assert [k for k, d in sorted(dims.items()) if d.hidden] == ["F", "K", "N"]  # 目标值, 原始分, 适用分值
    assert all(dims[k].outline_level == 1 for k in "FKN")
    visible = sum(d.width for k, d in dims.items() if not d.hidden and k <= "P")
    assert 150 <= visible <= 220, visible  # fitted to one A4 width at about three quarters scale, not a quarter


def test_row_heights_fit_the_wrapped_text(tmp_path: Path) -> None:
    _, layout, book = workbook(SEED, tmp_path)
    ws = openpyxl.load_workbook(book)[layout.sheet]
    row = next(r for r in range(layout.header_row + 1, ws.max_row + 1) if ws[f"C{r}"].value == "资金拨付及时率")
    reason = str(ws[f"O{row}"].value)
    lines = wrapped_lines(reason, ws.column_dimensions["O"].width)
    assert lines >= 8  # the seed's longest reason, in a 28-unit column
    assert ws.row_dimensions[row].height == pytest.approx(lines * 15.5 + 4, abs=0.1)
    plain = next(r for r in range(layout.header_row + 1, ws.max_row + 1) if ws[f"C{r}"].value == "立项依据充分性")
    assert ws.row_dimensions[plain].height is None  # one line: the default height


def test_wrapped_lines_counts_display_width() -> None:
    assert units("正向比例") == 8 and units("ab c") == 3.55
    assert units("正向比例：分值 × 实际/目标") == pytest.approx(24.65)
    assert wrapped_lines("正向比例：分值 × 实际/目标", 26) == 1
    assert wrapped_lines("正向比例：分值 × 实际/目标", 12) == 3  # 正向比例： / 分值 × 实际/ / 目标
    assert wrapped_lines("一二三四五六七八九十" * 3, 10.6) == 6  # five CJK characters a line
    assert wrapped_lines("第一行\n第二行", 30) == 2
    assert wrapped_lines("PR201 提示 完成率 134.41%", 12) == 3  # breaks before Latin words


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(book: Path, tmp_path: Path) -> Path:
    office = soffice()
    if office is None or shutil.which("pdftotext") is None:
        pytest.skip("no soffice or pdftotext on PATH (apt-get install libreoffice-calc-nogui poppler-utils)")
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(book)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / (book.stem + ".pdf")
    assert pdf.exists()
    return pdf


def pdf_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_pdf_is_one_page_wide_with_chinese_text(audit: Path, tmp_path: Path) -> None:
    _, _layout, book = workbook(audit, tmp_path)
    wb = openpyxl.load_workbook(book)
    del wb["问题清单"]  # the score table alone
    wb.save(book)
    pdf = to_pdf(book, tmp_path)
    assert pages(pdf) == 1
    first = pdf_text(pdf, 1)
    assert "审核综合评分表" in first
    for word in ("一级指标", "偏差原因", "问题", "评价人", "复核人", "等级划分", "物价上涨", "80.00%"):
        assert word in first, word  # every column, the last ones too, on the one page: one page wide


def test_seed_pdf_repeats_the_header_row(tmp_path: Path) -> None:
    _, _layout, book = workbook(SEED, tmp_path)
    pdf = to_pdf(book, tmp_path)
    table_pages = [p for p in range(1, pages(pdf) + 1) if "三级指标" in pdf_text(pdf, p)]
    assert 1 <= len(table_pages) <= 2
    for p in table_pages:  # the header row printed on each page, the last column too
        text = pdf_text(pdf, p)
        assert "偏差原因" in text and "问题" in text
    assert "综合评分表" in pdf_text(pdf, 1) and "2.52%" in pdf_text(pdf, 1)
