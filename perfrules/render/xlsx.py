"""The evaluation as an Excel workbook whose scores are live formulas, so a reviewer can trace each one.

Every indicator row holds its weight (分值), target (目标值) and actual (实际完成值) as numbers in
the indicator's unit (percentages as Excel percentages, 100% = 1), its completion (完成率) and
its unrounded score (原始分) as formulas implementing the row's scoring rule, and its score (得分)
as that rounded. Subtotals are `=SUM` of their indicators, the total `=SUM` of the 一级指标 (rescaled
when indicators do not apply), and the grade an `=IF` over the total with the ruleset's bands.
Recomputed, every formula gives perfrules' own number.

Floating point: a spreadsheet computes in binary, perfrules in decimal, so 0.285 may come out as
0.28499999999999998 and round down. The score formulas add 1E-9 before rounding, and threshold
comparisons on computed ratios allow 1E-9, so the workbook rounds as perfrules does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from perfrules.findings import Finding
from perfrules.plan.model import Indicator, Plan
from perfrules.render.markdown import (
    Row,
    actual_cell,
    cell_findings,
    report_rows,
    severity_word,
    words,
)
from perfrules.render.text import number
from perfrules.render.xlsx_rules import (
    COL_A,
    COL_APPL,
    COL_C,
    COL_ISSUES,
    COL_RATE,
    COL_RAW,
    COL_RULE,
    COL_S,
    COL_T,
    COL_TARGET,
    COL_UNIT,
    COL_W,
    Rule,
    _lit,
    _round,
)
from perfrules.scoring.result import IndicatorResult, Result, SectionResult
from perfrules.syntax.source import display_width

COLUMNS = {
    "zh": ("一级指标", "二级指标", "三级指标", "分值", "指标值", "目标值", "实际完成值", "单位/档次", "完成率",
           "计分规则", "原始分", "得分", "得分率", "问题", "适用分值"),
    "en": ("Dimension", "Group", "Indicator", "Weight", "Target", "Target value", "Actual value", "Unit / tier",
           "Completion", "Rule", "Raw score", "Score", "Score rate", "Findings", "Applicable weight"),
}
# Column letters, by role.
HEADER_ROW, FIRST_ROW = 4, 5

FILLS = {"error": "FDECEA", "warning": "FFF4E0", "info": "E8F1FC"}
HEAD_FILL = PatternFill("solid", fgColor="243B53")
SUBTOTAL_FILL = PatternFill("solid", fgColor="EEF2F7")
THIN = Side(style="thin", color="C9D1DB")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
PERCENT = "0.00%"


@dataclass
class Layout:
    """Where the workbook keeps each number perfrules computed (cells of `sheet`, "L5" style)."""

    sheet: str
    indicators: dict[str, str] = field(default_factory=dict)  # indicator key -> its 得分 cell
    sections: dict[str, str] = field(default_factory=dict)  # 一级指标 key -> its subtotal cell
    rates: dict[str, str] = field(default_factory=dict)  # 一级指标 key -> its 得分率 cell
    total: str = ""
    grade: str = ""


def write_xlsx(result: Result, plan: Plan, findings: list[Finding], path: str | Path, lang: str = "zh") -> Layout:
    """Write the workbook to `path`; return where its scores are."""
    en = lang == "en"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Scores" if en else "综合评分表"
    layout = Layout(ws.title)
    rows = report_rows(result, findings, plan)
    plans = {i.key: i for i in plan.indicators()}
    _table(ws, result, plan, rows, plans, layout, lang)
    _findings_sheet(wb.create_sheet("Findings" if en else "问题清单"), findings, rows, lang)
    wb.save(str(path))
    return layout


# ---------------------------------------------------------------- the score sheet


def _table(ws: Worksheet, result: Result, plan: Plan, rows: list[Row], plans: dict[str, Indicator], layout: Layout,
           lang: str) -> None:
    en = lang == "en"
    w = words(lang)
    headers = COLUMNS["en" if en else "zh"]
    last_col = get_column_letter(len(headers))
    title = " · ".join(p for p in (result.ruleset, str(result.year or ""), result.kind, w["title"]) if p)
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last_col}1")
    for col, header in enumerate(headers, 1):
        cell = ws.cell(HEADER_ROW, col, header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.alignment = CENTRE
        cell.border = BORDER

    r = FIRST_ROW
    tops: list[int] = []  # rows adding up to the total: subtotals and top-level indicators
    start = r
    for row in rows:
        node = row.node
        if isinstance(node, SectionResult):
            _subtotal(ws, r, start, node, row, plan.places, lang)
            layout.sections[node.key] = f"{COL_S}{r}"
            layout.rates[node.key] = f"{COL_RATE}{r}"
            tops.append(r)
            r += 1
            start = r
            continue
        assert isinstance(node, IndicatorResult)
        _indicator(ws, r, node, row, plans.get(node.key), plan, lang)
        layout.indicators[node.key] = f"{COL_S}{r}"
        if len(node.path) == 1:
            tops.append(r)
            start = r + 1
        r += 1

    total_row, grade_row = r, r + 1
    places = plan.places
    scores = ",".join(f"{COL_S}{t}" for t in tops) or "0"
    applicable = ",".join(f"{COL_APPL}{t}" for t in tops) or "0"
    ws[f"A{total_row}"] = w["total"]
    ws[f"{COL_W}{total_row}"] = _number(result.total_weight)
    if result.rescaled:
        raw = f"SUM({scores})*{_lit(plan.total_weight)}/SUM({applicable})"
        ws[f"{COL_RULE}{total_row}"] = (f"不适用指标已剔除：总分 = 得分之和 × {number(plan.total_weight)} ÷ 适用分值之和" if not en
                                    else f"n/a left out: total = sum × {number(plan.total_weight)} / applicable weight")
    else:
        raw = f"SUM({scores})"
        ws[f"{COL_RULE}{total_row}"] = "各一级指标得分之和" if not en else "sum of the dimension scores"
    ws[f"{COL_S}{total_row}"] = "=" + _round(raw, places, plan.rounding)
    ws[f"{COL_RATE}{total_row}"] = f"={COL_S}{total_row}/{COL_W}{total_row}" if result.total_weight else ""
    ws[f"{COL_APPL}{total_row}"] = f"=SUM({applicable})"
    ws[f"A{grade_row}"] = "Grade" if en else "等级"
    ws[f"{COL_S}{grade_row}"] = "=" + _grade(plan, f"{COL_S}{total_row}")
    ws[f"{COL_RULE}{grade_row}"] = _bands(plan, lang)
    layout.total, layout.grade = f"{COL_S}{total_row}", f"{COL_S}{grade_row}"
    for rr in (total_row, grade_row):
        for col in range(1, len(headers) + 1):
            cell = ws.cell(rr, col)
            cell.font = Font(bold=True)
            cell.fill = SUBTOTAL_FILL
            cell.border = BORDER
        ws[f"{COL_RULE}{rr}"].alignment = WRAP
    ws[f"{COL_S}{total_row}"].number_format = _score_format(places)
    ws[f"{COL_RATE}{total_row}"].number_format = PERCENT

    # the summary on top, pointing at the total and grade
    ws["A2"] = "总分" if not en else "Total"
    ws["B2"] = f"={COL_S}{total_row}"
    ws["B2"].number_format = _score_format(places)
    ws["C2"] = "等级" if not en else "Grade"
    ws["D2"] = f"={COL_S}{grade_row}"
    for ref in ("A2", "B2", "C2", "D2"):
        ws[ref].font = Font(bold=True, size=12)
    ws["B2"].alignment = Alignment(horizontal="left")
    ws["D2"].alignment = Alignment(horizontal="left")
    if result.rescaled:
        ws["E2"] = w["rescaled"]

    notes = _notes(plan, result, lang)
    for i, note in enumerate(notes):
        cell = ws.cell(grade_row + 2 + i, 1, note)
        cell.font = Font(color="616E7C", size=9)

    _widths(ws, len(headers), grade_row)
    ws.freeze_panes = f"D{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{total_row - 1}"


def _subtotal(ws: Worksheet, r: int, start: int, node: SectionResult, row: Row, places: int, lang: str) -> None:
    w = words(lang)
    _text(ws, f"A{r}", node.name)
    ws[f"B{r}"] = w["subtotal"]
    ws[f"{COL_W}{r}"] = _number(node.weight)
    ws[f"{COL_S}{r}"] = f"=SUM({COL_S}{start}:{COL_S}{r - 1})" if r > start else 0
    if node.applicable == node.weight or r == start:
        ws[f"{COL_APPL}{r}"] = f"={COL_W}{r}"
    else:  # its weight less the weight of the indicators that do not apply
        weights = f"{COL_W}{start}:{COL_W}{r - 1}"
        applicable = f"{COL_APPL}{start}:{COL_APPL}{r - 1}"
        ws[f"{COL_APPL}{r}"] = f"={COL_W}{r}-(SUM({weights})-SUM({applicable}))"
    ws[f"{COL_RATE}{r}"] = f'=IF({COL_APPL}{r}>0,{COL_S}{r}/{COL_APPL}{r},"")'
    ws[f"{COL_RULE}{r}"] = "下级得分之和；得分率 = 得分 ÷ 适用分值" if lang != "en" else "sum of its indicators; rate = score / applicable"
    ws[f"{COL_ISSUES}{r}"] = "\n".join(cell_findings(row, lang))
    for col in range(1, len(COLUMNS["zh"]) + 1):
        cell = ws.cell(r, col)
        cell.font = Font(bold=True)
        cell.fill = SUBTOTAL_FILL
        cell.border = BORDER
    ws[f"{COL_S}{r}"].number_format = _score_format(places)
    ws[f"{COL_RATE}{r}"].number_format = PERCENT
    ws[f"{COL_ISSUES}{r}"].alignment = WRAP
    ws[f"{COL_RULE}{r}"].alignment = WRAP


def _indicator(ws: Worksheet, r: int, node: IndicatorResult, row: Row, ind: Indicator | None, plan: Plan,
               lang: str) -> None:
    first, middle, last = row.levels
    for letter, name in zip("ABC", (first, middle, last), strict=True):
        _text(ws, f"{letter}{r}", name)
    ws[f"{COL_W}{r}"] = _number(node.weight)
    _text(ws, f"{COL_TARGET}{r}", node.target)
    ws[f"{COL_ISSUES}{r}"] = "\n".join(cell_findings(row, lang))
    ws[f"{COL_APPL}{r}"] = 0 if node.status == "na" else f"={COL_W}{r}"
    places = plan.places
    if ind is None or node.status != "scored" or node.actual is None:
        _text(ws, f"{COL_A}{r}", actual_cell(node, lang))
        ws[f"{COL_RULE}{r}"] = _status_rule(node, lang)
        ws[f"{COL_S}{r}"] = "—" if node.score is None else _number(node.score)
    else:
        rule = Rule(ind, node, r)
        ws[f"{COL_T}{r}"] = rule.target_value()
        ws[f"{COL_A}{r}"] = rule.actual_value()
        ws[f"{COL_UNIT}{r}"] = (node.tier or "") if ind.kind == "qualitative" else ind.unit.text
        completion = rule.completion()
        if completion is not None:
            ws[f"{COL_C}{r}"] = "=" + completion
        ws[f"{COL_RAW}{r}"] = "=" + rule.raw()
        ws[f"{COL_S}{r}"] = "=" + _round(f"{COL_RAW}{r}", places, plan.rounding)
        ws[f"{COL_RULE}{r}"] = rule.describe(lang)
        fmt = PERCENT if rule.percent else "General"
        ws[f"{COL_T}{r}"].number_format = fmt
        ws[f"{COL_A}{r}"].number_format = fmt
    ws[f"{COL_C}{r}"].number_format = PERCENT
    ws[f"{COL_RAW}{r}"].number_format = "0.0000"
    ws[f"{COL_S}{r}"].number_format = _score_format(places)
    fill = PatternFill("solid", fgColor=FILLS[row.severity]) if row.severity else None
    for col in range(1, len(COLUMNS["zh"]) + 1):
        cell = ws.cell(r, col)
        cell.border = BORDER
        if fill is not None and col >= 3:
            cell.fill = fill
    ws[f"{COL_ISSUES}{r}"].alignment = WRAP
    ws[f"{COL_RULE}{r}"].alignment = WRAP


def _status_rule(node: IndicatorResult, lang: str) -> str:
    zh = lang != "en"
    if node.status == "na":
        return "不适用：不计分，总分按适用分值折算" if zh else "not applicable: left out, the total is rescaled"
    if node.status == "text":
        return "实际值是文字，无法计分，按 0 分计" if zh else "the actual is text: scores 0"
    return "缺少实际值，按 0 分计" if zh else "no actual: scores 0"


# ---------------------------------------------------------------- formulas and formats


def _grade(plan: Plan, total: str) -> str:
    formula = ""
    closing = 0
    for band in plan.grades:
        name = band.name.replace('"', '""')
        if band.comparator is None or band.threshold is None:
            formula += f'"{name}"'
            break
        formula += f'IF({total}{band.comparator}{_lit(band.threshold)},"{name}",'
        closing += 1
    else:
        formula += '""'
    return formula + ")" * closing


def _bands(plan: Plan, lang: str) -> str:
    zh = lang != "en"
    parts = []
    for band in plan.grades:
        if band.comparator is None:
            parts.append(f"{band.name} {'其他' if zh else 'otherwise'}")
        else:
            parts.append(f"{band.name} {band.comparator} {number(band.threshold)}")
    return ("等级：" if zh else "grades: ") + ("，".join(parts) if zh else ", ".join(parts))


def _notes(plan: Plan, result: Result, lang: str) -> list[str]:
    if lang == "en":
        return [
            "Notes:",
            "· Score = ROUND(raw score + 1E-9, places): 1E-9 cancels binary floating-point error so the workbook "
            "rounds half up exactly as perfrules does (0.125 → 0.13).",
            "· Percentages (and qualitative rates) are Excel percentages: 100% = 1. Other values are in the unit shown.",
            "· Completion rates compared with step thresholds allow 1E-9 for the same reason.",
            "· Subtotals are sums of the rounded scores; the total is the sum of the dimensions"
            + (", rescaled to the full total over the applicable weight." if result.rescaled else "."),
        ]
    return [
        "说明：",
        f"· 得分 = ROUND(原始分 + 1E-9, {plan.places})：1E-9 抵消二进制浮点误差，使四舍五入与 perfrules 的十进制计算一致（0.125 → 0.13）。",
        "· 百分数指标（及定性得分率）以 Excel 百分比存放：100% = 1；其他数值按所示单位。",
        "· 完成率与阶梯门槛比较时同样留 1E-9 的余量。",
        "· 小计为下级已舍入得分之和；总分为各一级指标得分之和"
        + ("，按适用分值折算回满分。" if result.rescaled else "。"),
    ]


def _text(ws: Worksheet, ref: str, value: object) -> None:
    """A value from the ruleset, kept as text even when it looks like a formula (a target `= 4 场`)."""
    cell = ws[ref]
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
        cell.quotePrefix = True


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _score_format(places: int) -> str:
    return "0." + "0" * places if places > 0 else "0"


def _widths(ws: Worksheet, columns: int, last_row: int) -> None:
    """Column widths for CJK text (two units a character), the wrapped columns kept readable."""
    fixed = {COL_RULE: 34, COL_ISSUES: 56, COL_A: 14, COL_T: 12, COL_C: 11, COL_RAW: 10, COL_S: 9, COL_RATE: 10,
             COL_APPL: 10}
    for col in range(1, columns + 1):
        letter = get_column_letter(col)
        if letter in fixed:
            ws.column_dimensions[letter].width = fixed[letter]
            continue
        widest = 6
        for r in range(HEADER_ROW, last_row + 1):
            value = ws.cell(r, col).value
            if isinstance(value, str) and not value.startswith("="):
                widest = max(widest, display_width(value))
        ws.column_dimensions[letter].width = min(widest + 2, 40)


# ---------------------------------------------------------------- the findings sheet


def _findings_sheet(ws: Worksheet, findings: list[Finding], rows: list[Row], lang: str) -> None:
    en = lang == "en"
    headers = (("Code", "Severity", "File", "Line", "Column", "Row", "Message", "Hint") if en
               else ("代码", "级别", "文件", "行", "列", "所在指标", "说明", "提示"))
    for col, header in enumerate(headers, 1):
        cell = ws.cell(1, col, header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.alignment = CENTRE
    owner = {id(f): row.node.key for row in rows for f in row.findings}
    for i, finding in enumerate(findings, 2):
        span = finding.span
        values = (finding.code, severity_word(finding, lang), Path(span.file).name if span else "",
                  span.line if span else "", span.column if span else "", owner.get(id(finding), ""),
                  finding.message(lang), finding.hint(lang))
        for col, value in enumerate(values, 1):
            cell = ws.cell(i, col)
            _text(ws, cell.coordinate, value)
            cell.border = BORDER
            cell.alignment = WRAP
        ws.cell(i, 1).fill = PatternFill("solid", fgColor=FILLS[finding.severity.value])
    for letter, width in zip("ABCDEFGH", (9, 8, 28, 6, 6, 30, 70, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
