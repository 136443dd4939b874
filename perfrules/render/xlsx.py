"""The evaluation as an Excel workbook whose scores are live formulas, so a reviewer can trace each one.

Every indicator row holds its weight (分值), target (目标值) and actual (实际完成值) as numbers in
the indicator's unit (percentages as Excel percentages, 100% = 1; dates as Excel dates; a level's or a
checklist's share a formula over the level or elements in 单位/档次), its completion (完成率) and
its unrounded score (原始分) as formulas implementing the row's scoring rule, and its score (得分)
as that rounded. Subtotals are `=SUM` of their indicators, the total `=SUM` of the 一级指标 (rescaled
when indicators do not apply), and the grade an `=IF` over the total with the ruleset's bands.
Recomputed, every formula gives perfrules' own number.

Floating point: a spreadsheet computes in binary, perfrules in decimal, so 0.285 may come out as
0.28499999999999998 and round down. The score formulas add 1E-9 before rounding, and threshold
comparisons on computed ratios allow 1E-9, so the workbook rounds as perfrules does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from perfrules import display
from perfrules.display import cell_number, per_period, plain, shown, trimmed
from perfrules.findings import Finding
from perfrules.history.model import Series
from perfrules.plan.model import Fact, Indicator, Plan
from perfrules.render.markdown import (
    EVIDENCE,
    PUBLISHED,
    REASON,
    REVIEW,
    SIGNATURES,
    Row,
    actual_cell,
    bands_line,
    cell_findings,
    evidence_cell,
    has_evidence,
    has_published,
    has_review,
    header_block,
    history_headers,
    history_series,
    history_years,
    printed_score,
    published_of,
    report_rows,
    severity_word,
    words,
)
from perfrules.render.xlsx_rules import (
    COL_A,
    COL_APPL,
    COL_C,
    COL_RATE,
    COL_RAW,
    COL_RULE,
    COL_S,
    COL_T,
    COL_TARGET,
    COL_UNIT,
    COL_W,
    HELPER_COLS,
    LAST_FORMULA_COL,
    Rule,
    literal,
    round_formula,
)
from perfrules.scoring.budget import EXECUTION, ROLES, role_of_label
from perfrules.scoring.result import IndicatorResult, Result, SectionResult
from perfrules.syntax.source import display_width

# The formula columns A..N (their letters fixed in xlsx_rules), then the text columns the file has.
COLUMNS = {
    "zh": ("一级指标", "二级指标", "三级指标", "分值", "指标值", "目标值", "实际完成值", "单位/档次", "完成率",
           "计分规则", "原始分", "得分", "得分率", "适用分值"),
    "en": ("Dimension", "Group", "Indicator", "Weight", "Target", "Target value", "Actual value", "Unit / tier",
           "Completion", "Rule", "Raw score", "Score", "Score rate", "Applicable weight"),
}
ISSUES = {"zh": "问题", "en": "Findings"}
TITLE_ROW = 1
SLOTS = 3  # label/value pairs a header-block line holds
# Where a header-block pair goes: (label's first column, last column), (value's first column, last column).
SLOT_CELLS = ((("A", "A"), ("B", "C")), (("D", "E"), ("G", "I")), (("J", "J"), ("L", "M")))
MONEY_ROLES = tuple(role for role, _ in ROLES)  # 年初预算数, 全年预算数, 到位资金, 全年执行数

FILLS = {"error": "FDECEA", "warning": "FFF4E0", "info": "E8F1FC"}
HEAD_FILL = PatternFill("solid", fgColor="243B53")
SUBTOTAL_FILL = PatternFill("solid", fgColor="EEF2F7")
THIN = Side(style="thin", color="C9D1DB")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNDERLINE = Border(bottom=Side(style="thin", color="000000"))
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
PERCENT = "0.00%"
# Row heights: points per wrapped line of 11-point text (CJK fonts set it looser than Latin ones) and padding.
LINE_POINTS, PAD_POINTS = 15.5, 4.0


@dataclass
class Columns:
    """The letters of the columns after the formula columns: 公布得分 and 复核分 (only when the file has them),
    偏差原因, 佐证 (evidence text and the printed 执行率, only when given), an actual per earlier year
    (「2022年实际」, only with history; no formula reads them), 问题."""

    published: str | None
    reason: str
    issues: str
    past: tuple[str, ...] = ()
    review: str | None = None
    evidence: str | None = None

    @property
    def count(self) -> int:
        return LAST_FORMULA_COL + 2 + sum(c is not None for c in (self.published, self.review, self.evidence)) \
            + len(self.past)

    @classmethod
    def of(cls, result: Result, years: int = 0) -> Columns:
        letters = [get_column_letter(LAST_FORMULA_COL + i) for i in range(1, 6 + years)]
        published = letters.pop(0) if has_published(result) else None
        review = letters.pop(0) if has_review(result) else None
        reason = letters.pop(0)
        evidence = letters.pop(0) if has_evidence(result) else None
        return cls(published, reason, letters[years], tuple(letters[:years]), review, evidence)


@dataclass
class Layout:
    """Where the workbook keeps each number perfrules computed (cells of `sheet`, "L5" style)."""

    sheet: str
    indicators: dict[str, str] = field(default_factory=dict)  # indicator key -> its 得分 cell
    sections: dict[str, str] = field(default_factory=dict)  # 一级指标 key -> its subtotal cell
    rates: dict[str, str] = field(default_factory=dict)  # 一级指标 key -> its 得分率 cell
    total: str = ""
    grade: str = ""
    money: dict[str, str] = field(default_factory=dict)  # 年初预算数, 全年预算数, 到位资金, 全年执行数 -> its cell
    execution: str = ""  # the 预算执行率 cell (a formula over the money cells), "" when the facts give none
    head_total: str = ""  # the header block's 总分 and 等级 (formulas pointing at the table's)
    head_grade: str = ""
    header_row: int = 0


def write_xlsx(result: Result, plan: Plan, findings: list[Finding], path: str | Path, lang: str = "zh",
               history: object | None = None) -> Layout:
    """Write the workbook to `path`; return where its scores are.

    `history` (the run's perfrules.history.History) adds an actual per earlier year after 偏差原因.
    """
    en = lang == "en"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Scores" if en else "综合评分表"
    layout = Layout(ws.title)
    rows = report_rows(result, findings, plan)
    plans = plan.indicator_by_key
    _table(ws, result, plan, rows, plans, layout, lang, history)
    _findings_sheet(wb.create_sheet("Findings" if en else "问题清单"), findings, rows, lang)
    wb.save(str(path))
    return layout


# ---------------------------------------------------------------- the header block


def _head_lines(result: Result, plan: Plan, lang: str) -> list[list[tuple[str, str]]]:
    """The header block's pairs, a line per group (project, score, money), at most SLOTS a line.

    The values are header_block's text; the score and money ones are replaced by cells later.
    """
    en = lang == "en"
    items = header_block(result, plan, lang)
    money = [(k, v) for k, v in items if role_of_label(k) in (*MONEY_ROLES, EXECUTION)]
    project = [(k, v) for k, v in items if (k, v) not in money]
    score = [("Total" if en else "总分", ""), ("Grade" if en else "等级", "")]
    lines: list[list[tuple[str, str]]] = []
    for group in (project, score, money):
        lines += [group[i:i + SLOTS] for i in range(0, len(group), SLOTS)]
    return lines


def _head(ws: Worksheet, lines: list[list[tuple[str, str]]], result: Result, plan: Plan, layout: Layout,
          places: int) -> None:
    """Write the header block in rows 2…: project, total and grade (pointing at the table), the budget figures as
    numbers in their unit and 预算执行率 as a formula over them (the base as perfrules takes it)."""
    from perfrules.scoring.budget import budget_facts

    found = budget_facts(plan, result)
    r = TITLE_ROW + 1
    for line in lines:
        for slot, (label, text) in enumerate(line):
            role = role_of_label(label)  # the budget figure a label names, in either language
            (l1, l2), (v1, v2) = SLOT_CELLS[slot]
            ws[f"{l1}{r}"] = label
            ws[f"{l1}{r}"].font = Font(color="52606D")
            ws[f"{l1}{r}"].alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
            if l1 != l2:
                ws.merge_cells(f"{l1}{r}:{l2}{r}")
            ref = f"{v1}{r}"
            if v1 != v2:
                ws.merge_cells(f"{v1}{r}:{v2}{r}")
            cell = ws[ref]
            cell.font = Font(bold=True)
            cell.alignment = LEFT
            if role is not None and role in found:
                fact, value = found[role]
                cell.value = cell_number(fact.unit.from_base(value))
                unit = fact.unit.text.replace('"', "")
                cell.number_format = f'#,##0.00"{unit}"'
                layout.money[role] = ref
            elif role == EXECUTION:
                layout.execution = ref
            elif label in ("总分", "Total"):
                cell.value = f"={layout.total}"
                cell.number_format = _score_format(places)
                layout.head_total = ref
            elif label in ("等级", "Grade"):
                cell.value = f"={layout.grade}"
                layout.head_grade = ref
            else:
                text_cell(ws, ref, text)
        r += 1
    if layout.execution:
        formula = _execution(found, layout.money)
        ws[layout.execution] = formula if formula else ""
        ws[layout.execution].number_format = PERCENT


def _execution(found: dict[str, tuple[Fact, Decimal]], cells: dict[str, str]) -> str:
    """预算执行率 = 全年执行数 ÷ the first nonzero of 全年预算数, 到位资金, 年初预算数 (as perfrules.scoring.budget.execution_rate),
    over the cells, which hold each figure in its own unit."""
    if "全年执行数" not in found:
        return ""
    spent_fact, _ = found["全年执行数"]
    for role in ("全年预算数", "到位资金", "年初预算数"):
        if role in found and found[role][1]:
            base_fact = found[role][0]
            factor = spent_fact.unit.scale / base_fact.unit.scale
            scaled = "" if factor == 1 else f"*{literal(factor)}"
            return f"={cells['全年执行数']}{scaled}/{cells[role]}"
    return ""


# ---------------------------------------------------------------- the score sheet


def _table(ws: Worksheet, result: Result, plan: Plan, rows: list[Row], plans: Mapping[str, Indicator], layout: Layout,
           lang: str, history: object | None = None) -> None:
    en = lang == "en"
    w = words(lang)
    years = history_years(history)
    series = history_series(history)
    cols = Columns.of(result, len(years))
    key = "en" if en else "zh"
    headers = [*COLUMNS[key], *((PUBLISHED[key],) if cols.published else ()), *((REVIEW[key],) if cols.review else ()),
               REASON[key], *((EVIDENCE[key],) if cols.evidence else ()),
               *history_headers(years, lang), ISSUES[key]]
    last_col = get_column_letter(cols.count)
    lines = _head_lines(result, plan, lang)
    header_row = TITLE_ROW + len(lines) + 2  # a thin spacer row between the block and the table
    first_row = header_row + 1
    layout.header_row = header_row
    ws[f"A{TITLE_ROW}"] = f"{result.ruleset} · {w['title']}" if en else f"{result.ruleset}综合评分表"
    ws[f"A{TITLE_ROW}"].font = Font(bold=True, size=15)
    ws[f"A{TITLE_ROW}"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(f"A{TITLE_ROW}:{last_col}{TITLE_ROW}")
    ws.row_dimensions[header_row - 1].height = 6
    for col, header in enumerate(headers, 1):
        cell = ws.cell(header_row, col, header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.alignment = CENTRE
        cell.border = BORDER

    r = first_row
    tops: list[int] = []  # rows adding up to the total: subtotals and top-level indicators
    start = r
    for row in rows:
        node = row.node
        if isinstance(node, SectionResult):
            _subtotal(ws, r, start, node, row, plan.places, cols, lang)
            _published_total(ws, r, result, node.key, cols)
            layout.sections[node.key] = f"{COL_S}{r}"
            layout.rates[node.key] = f"{COL_RATE}{r}"
            tops.append(r)
            r += 1
            start = r
            continue
        assert isinstance(node, IndicatorResult)
        _indicator(ws, r, node, row, plans.get(node.key), plan, cols, lang)
        _past(ws, r, series.get(node.key), years, cols)
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
    ws[f"{COL_W}{total_row}"] = cell_number(result.total_weight)
    if result.rescaled:
        raw = f"SUM({scores})*{literal(plan.total_weight)}/SUM({applicable})"
        ws[f"{COL_RULE}{total_row}"] = (f"不适用指标已剔除：总分 = 得分之和 × {plain(plan.total_weight)} ÷ 适用分值之和" if not en
                                    else f"n/a left out: total = sum × {plain(plan.total_weight)} / applicable weight")
    else:
        raw = f"SUM({scores})"
        ws[f"{COL_RULE}{total_row}"] = "各一级指标得分之和" if not en else "sum of the dimension scores"
    ws[f"{COL_S}{total_row}"] = "=" + round_formula(raw, places, plan.rounding)
    ws[f"{COL_RATE}{total_row}"] = f"={COL_S}{total_row}/{COL_W}{total_row}" if result.total_weight else ""
    ws[f"{COL_APPL}{total_row}"] = f"=SUM({applicable})"
    _published_total(ws, total_row, result, "total", cols)
    ws[f"A{grade_row}"] = "Grade" if en else "等级"
    ws[f"{COL_S}{grade_row}"] = "=" + _grade(plan, f"{COL_S}{total_row}")
    ws[f"{COL_RULE}{grade_row}"] = bands_line(plan, lang)
    layout.total, layout.grade = f"{COL_S}{total_row}", f"{COL_S}{grade_row}"
    for rr in (total_row, grade_row):
        for col in range(1, cols.count + 1):
            cell = ws.cell(rr, col)
            cell.font = Font(bold=True)
            cell.fill = SUBTOTAL_FILL
            cell.border = BORDER
        ws[f"{COL_RULE}{rr}"].alignment = WRAP
    ws[f"{COL_S}{total_row}"].number_format = _score_format(places)
    ws[f"{COL_RATE}{total_row}"].number_format = PERCENT
    if result.rescaled:
        ws[f"{cols.reason}{total_row}"] = w["rescaled"]
        ws[f"{cols.reason}{total_row}"].alignment = WRAP

    _head(ws, lines, result, plan, layout, places)

    signature_row = grade_row + 2
    _signatures(ws, signature_row, lang)
    notes = _notes(plan, result, lang)
    for i, note in enumerate(notes):
        nr = signature_row + 2 + i
        cell = ws.cell(nr, 1, note)
        cell.font = Font(color="616E7C", size=9)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(f"A{nr}:{last_col}{nr}")
    last_row = signature_row + 1 + len(notes)

    for rr in range(first_row, grade_row + 1):  # numbers centred vertically like the wrapped texts beside them
        for cell in ws[rr]:
            if cell.alignment.vertical is None:
                cell.alignment = Alignment(horizontal=cell.alignment.horizontal, vertical="center")
    _widths(ws, cols, header_row, grade_row)
    for letter in HELPER_COLS:
        ws.column_dimensions.group(letter, letter, outline_level=1, hidden=True)
    fit_heights(ws, TITLE_ROW, last_row, skip={header_row - 1, signature_row})
    ws.freeze_panes = f"D{first_row}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last_col}{last_row}"
    page_setup(ws)
    ws.auto_filter.ref = f"A{header_row}:{last_col}{total_row - 1}"


def _signatures(ws: Worksheet, r: int, lang: str) -> None:
    """评价人/复核人/日期: a label and an underlined blank for each, spread across the page."""
    labels = SIGNATURES["en" if lang == "en" else "zh"]
    for label, ((l1, l2), (v1, v2)) in zip(labels, SLOT_CELLS, strict=True):
        ws[f"{l1}{r}"] = label
        ws[f"{l1}{r}"].font = Font(bold=True, size=12)
        ws[f"{l1}{r}"].alignment = Alignment(horizontal="right", vertical="bottom")
        if l1 != l2:
            ws.merge_cells(f"{l1}{r}:{l2}{r}")
        for col in range(_index(v1), _index(v2) + 1):
            ws.cell(r, col).border = UNDERLINE
    ws.row_dimensions[r].height = 30


def page_setup(ws: Worksheet) -> None:
    """A4 landscape, one page wide (as many pages down as it takes), centred, numbered 第 N 页 / 共 M 页."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def _published_total(ws: Worksheet, r: int, result: Result, target: str, cols: Columns) -> None:
    """The published subtotal or total `expect` gives, under 公布得分 beside the computed one (a number cell); on the
    total row also the published review total under 复核分."""
    published = published_of(result, target)
    if cols.published and published is not None:
        ws[f"{cols.published}{r}"] = cell_number(published)
    review = published_of(result, "review") if target == "total" else None
    if cols.review and review is not None:  # the published review total (复核总分)
        ws[f"{cols.review}{r}"] = cell_number(review)


def _subtotal(ws: Worksheet, r: int, start: int, node: SectionResult, row: Row, places: int, cols: Columns,
              lang: str) -> None:
    w = words(lang)
    text_cell(ws, f"A{r}", node.name)
    ws[f"B{r}"] = w["subtotal"]
    ws[f"{COL_W}{r}"] = cell_number(node.weight)
    ws[f"{COL_S}{r}"] = f"=SUM({COL_S}{start}:{COL_S}{r - 1})" if r > start else 0
    if node.applicable == node.weight or r == start:
        ws[f"{COL_APPL}{r}"] = f"={COL_W}{r}"
    else:  # its weight less the weight of the indicators that do not apply
        weights = f"{COL_W}{start}:{COL_W}{r - 1}"
        applicable = f"{COL_APPL}{start}:{COL_APPL}{r - 1}"
        ws[f"{COL_APPL}{r}"] = f"={COL_W}{r}-(SUM({weights})-SUM({applicable}))"
    ws[f"{COL_RATE}{r}"] = f'=IF({COL_APPL}{r}>0,{COL_S}{r}/{COL_APPL}{r},"")'
    ws[f"{COL_RULE}{r}"] = "下级得分之和；得分率 = 得分 ÷ 适用分值" if lang != "en" else "sum of its indicators; rate = score / applicable"
    ws[f"{cols.issues}{r}"] = "\n".join(cell_findings(row, lang))
    for col in range(1, cols.count + 1):
        cell = ws.cell(r, col)
        cell.font = Font(bold=True)
        cell.fill = SUBTOTAL_FILL
        cell.border = BORDER
    ws[f"{COL_S}{r}"].number_format = _score_format(places)
    ws[f"{COL_RATE}{r}"].number_format = PERCENT
    if node.weight_inferred:  # `weight 40 inferred` on the section
        ws[f"{COL_W}{r}"].number_format = f'General"{display.INFERRED["en" if lang == "en" else "zh"]}"'
    ws[f"{cols.issues}{r}"].alignment = WRAP
    ws[f"{COL_RULE}{r}"].alignment = WRAP
    ws[f"A{r}"].alignment = WRAP


def _indicator(ws: Worksheet, r: int, node: IndicatorResult, row: Row, ind: Indicator | None, plan: Plan,
               cols: Columns, lang: str) -> None:
    first, middle, last = row.levels
    for letter, name in zip("ABC", (first, middle, last), strict=True):
        text_cell(ws, f"{letter}{r}", name)
    if not middle and not last:  # a top-level indicator is its own 一级指标: its name across the three columns
        ws.merge_cells(f"A{r}:C{r}")
    ws[f"{COL_W}{r}"] = cell_number(node.weight)
    text_cell(ws, f"{COL_TARGET}{r}", display.target(node.target, node.kind, lang))
    ws[f"{cols.issues}{r}"] = "\n".join(cell_findings(row, lang))
    text_cell(ws, f"{cols.reason}{r}", node.reason or "")
    for column, given, unreadable in ((cols.published, node.published, node.published_unreadable),
                                      (cols.review, node.review, node.review_unreadable)):
        if column and given is not None:
            ws[f"{column}{r}"] = cell_number(given)
            ws[f"{column}{r}"].number_format = _score_format(plan.places)
        elif column and unreadable:  # `score ?`: printed, but unreadable
            text_cell(ws, f"{column}{r}", printed_score(None, True, lang))
    if cols.evidence:
        text_cell(ws, f"{cols.evidence}{r}", evidence_cell(node, lang))
        ws[f"{cols.evidence}{r}"].alignment = WRAP
    if node.weight_inferred:  # the value stays a number for the formulas; the format says it is inferred
        ws[f"{COL_W}{r}"].number_format = f'General"{display.INFERRED["en" if lang == "en" else "zh"]}"'
    ws[f"{COL_APPL}{r}"] = 0 if node.status == "na" else f"={COL_W}{r}"
    places = ind.places if ind is not None and ind.places is not None else plan.places  # the row's own rounding
    rounding = ind.rounding if ind is not None and ind.rounding is not None else plan.rounding
    dated = Rule(ind, node, r).dates(plan.year) if ind is not None and ind.kind == "date" and node.status == "scored" else None
    if ind is not None and dated is not None:  # a deadline: the dates as Excel dates, the score a formula over them
        rule = Rule(ind, node, r)
        ws[f"{COL_T}{r}"], ws[f"{COL_A}{r}"], month = dated
        ws[f"{COL_T}{r}"].number_format = "yyyy-mm" if rule.month else "yyyy-mm-dd"
        ws[f"{COL_A}{r}"].number_format = "yyyy-mm" if month else "yyyy-mm-dd"
        ws[f"{COL_UNIT}{r}"] = ind.unit.text
        ws[f"{COL_RAW}{r}"] = "=" + rule.date_raw()
        ws[f"{COL_S}{r}"] = "=" + round_formula(f"{COL_RAW}{r}", places, rounding)
        ws[f"{COL_RULE}{r}"] = _status_rule(node, ind, lang)
    elif ind is None or node.status != "scored" or node.actual is None:
        text_cell(ws, f"{COL_A}{r}", actual_cell(node, lang))
        ws[f"{COL_RULE}{r}"] = _status_rule(node, ind, lang)
        ws[f"{COL_S}{r}"] = "—" if node.score is None else cell_number(node.score)
    else:
        rule = Rule(ind, node, r)
        ws[f"{COL_T}{r}"] = rule.target_value()
        ws[f"{COL_A}{r}"] = rule.actual_value()
        # a checklist row shows the elements it has (具备 ①②④) beside its rate, a row rated by level its level (良)
        tier = node.tier or (shown(node.actual_text, lang) if ind.elements or ind.levels else "")
        ws[f"{COL_UNIT}{r}"] = tier if ind.kind == "qualitative" else ind.unit.text
        share = rule.share()  # a level's or a checklist's share, from the level or elements in 单位/档次
        if share is not None:
            ws[f"{COL_A}{r}"] = "=" + share
        completion = rule.completion()
        if completion is not None:
            ws[f"{COL_C}{r}"] = "=" + completion
        ws[f"{COL_RAW}{r}"] = "=" + rule.raw()
        ws[f"{COL_S}{r}"] = "=" + round_formula(f"{COL_RAW}{r}", places, rounding)
        ws[f"{COL_RULE}{r}"] = rule.describe(lang)
        fmt = PERCENT if rule.percent else "General"
        ws[f"{COL_T}{r}"].number_format = fmt
        ws[f"{COL_A}{r}"].number_format = fmt
    ws[f"{COL_C}{r}"].number_format = PERCENT if node.rate_places == 2 else "0." + "0" * node.rate_places + "%"
    ws[f"{COL_RAW}{r}"].number_format = "0.0000"
    ws[f"{COL_S}{r}"].number_format = _score_format(places)
    fill = PatternFill("solid", fgColor=FILLS[row.severity]) if row.severity else None
    for col in range(1, cols.count + 1):
        cell = ws.cell(r, col)
        cell.border = BORDER
        if fill is not None and col >= 3:
            cell.fill = fill
    for letter in ("A", "B", "C", COL_TARGET, COL_RULE, cols.reason, cols.issues):
        ws[f"{letter}{r}"].alignment = WRAP


def _past(ws: Worksheet, r: int, series: Series | None, years: tuple[int, ...], cols: Columns) -> None:
    """An indicator's actual in each earlier year, a number in its current unit (a percentage as Excel's); blank
    where it has none."""
    if series is None:
        return
    by_year = {p.year: p.actual for p in series.past if p.actual is not None}
    unit = series.unit
    percent = unit.text in ("%", "百分比")
    for year, letter in zip(years, cols.past, strict=True):
        if year not in by_year:
            continue
        cell = ws[f"{letter}{r}"]
        value = by_year[year]
        cell.value = cell_number(value * unit.scale if percent else value)
        text = unit.text.replace('"', "")
        cell.number_format = PERCENT if percent else f'General" {text}"' if text else "General"


def _status_rule(node: IndicatorResult, ind: Indicator | None, lang: str) -> str:
    zh = lang != "en"
    if ind is not None and ind.kind == "date" and node.status == "scored":  # a deadline: its rule in words
        if ind.deduct_points is None or ind.deduct_per is None:
            return "日期：按期得满分，否则 0 分" if zh else "date: full marks on time, else 0"
        period = ind.deduct_period or "day"
        per, points = per_period(ind.deduct_per, period, lang), trimmed(ind.deduct_points)
        return (f"日期：按期得满分，每逾期 {per}扣 {points} 分，扣完为止" if zh
                else f"date: full marks on time, {points} off per {per} late, down to 0")
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
        formula += f'IF({total}{band.comparator}{literal(band.threshold)},"{name}",'
        closing += 1
    else:
        formula += '""'
    return formula + ")" * closing


def _notes(plan: Plan, result: Result, lang: str) -> list[str]:
    if lang == "en":
        return [
            "Notes:",
            "· Score = ROUND(raw score + 1E-9, places): 1E-9 cancels binary floating-point error so the workbook "
            "rounds half up exactly as perfrules does (0.125 → 0.13).",
            "· Percentages (and qualitative rates) are Excel percentages: 100% = 1. Other values are in the unit shown.",
            "· Completion rates compared with step thresholds allow 1E-9 for the same reason.",
            *(["· Rows under a `rounding` of their own (dimension, group or indicator) round by it (e.g. "
               "ROUNDDOWN(raw, 0)): see each row's score formula."] if any(i.places is not None for i in plan.all_indicators)
              else []),
            "· Subtotals are sums of the rounded scores; the total is the sum of the dimensions"
            + (", rescaled to the full total over the applicable weight." if result.rescaled else "."),
        ]
    return [
        "说明：",
        f"· 得分 = ROUND(原始分 + 1E-9, {plan.places})：1E-9 抵消二进制浮点误差，使四舍五入与 perfrules 的十进制计算一致（0.125 → 0.13）。",
        "· 百分数指标（及定性得分率）以 Excel 百分比存放：100% = 1；其他数值按所示单位。",
        "· 完成率与阶梯门槛比较时同样留 1E-9 的余量。",
        *(["· 写了 rounding 的维度、分组或指标，其下各行按该规则舍入（如 ROUNDDOWN(原始分, 0)），见各行「得分」的公式。"]
          if any(i.places is not None for i in plan.all_indicators) else []),
        "· 小计为下级已舍入得分之和；总分为各一级指标得分之和"
        + ("，按适用分值折算回满分。" if result.rescaled else "。"),
    ]


def text_cell(ws: Worksheet, ref: str, value: object) -> None:
    """A value from the ruleset, kept as text even when it looks like a formula (a target `= 4 场`)."""
    cell = ws[ref]
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
        cell.quotePrefix = True


def _score_format(places: int) -> str:
    return "0." + "0" * places if places > 0 else "0"


def _index(letter: str) -> int:
    return int(column_index_from_string(letter))


def _widths(ws: Worksheet, cols: Columns, header_row: int, last_row: int) -> None:
    """Column widths for CJK text (two units a character): the names fitted up to a cap, the long texts wrapped
    in fixed widths, so that the page, fitted to one A4 width, keeps a readable scale."""
    fixed = {COL_W: 6, COL_T: 10, COL_A: 11, COL_C: 9, COL_RULE: 22, COL_RAW: 10, COL_S: 9, COL_RATE: 9,
             COL_APPL: 9, cols.reason: 28, cols.issues: 32}
    if cols.published:
        fixed[cols.published] = 9
    if cols.review:
        fixed[cols.review] = 9
    if cols.evidence:
        fixed[cols.evidence] = 28
    fixed.update((letter, 11) for letter in cols.past)
    caps = {"A": 12, "B": 16, "C": 32, COL_TARGET: 16, COL_UNIT: 10}
    least = {"A": 11}  # the header block's labels
    for col in range(1, cols.count + 1):
        letter = get_column_letter(col)
        if letter in fixed:
            ws.column_dimensions[letter].width = fixed[letter]
            continue
        widest = 6
        for r in range(header_row + 1, last_row + 1):
            cell = ws.cell(r, col)
            value = cell.value
            if isinstance(value, str) and not value.startswith("=") and not _merged_from(ws, cell.coordinate):
                widest = max(widest, max(display_width(part) for part in value.split("\n")))
        ws.column_dimensions[letter].width = max(least.get(letter, 0), min(widest + 2, caps.get(letter, 40)))


def _merged_from(ws: Worksheet, ref: str) -> str:
    """The merged range `ref` starts, "" when it starts none."""
    for merged in ws.merged_cells.ranges:
        if merged.coord.split(":")[0] == ref:
            return str(merged.coord)
    return ""


def fit_heights(ws: Worksheet, first: int, last: int, skip: set[int]) -> None:
    """Row heights that fit each row's wrapped text: lines estimated from the display width of its text (CJK two
    units a character) per the width of its column, or of its merged columns (hidden ones not counted)."""
    spans: dict[str, float] = {}
    for merged in ws.merged_cells.ranges:
        spans[merged.coord.split(":")[0]] = sum(_width(ws, c) for c in range(merged.min_col, merged.max_col + 1))
    for r in range(first, last + 1):
        if r in skip:
            continue
        points = 0.0
        for cell in ws[r]:
            value = cell.value
            if not isinstance(value, str) or value.startswith("=") or value == "" or not _width(ws, cell.column):
                continue
            width = spans.get(cell.coordinate, _width(ws, cell.column))
            size = float(cell.font.sz or 11) if cell.font is not None else 11.0
            lines = wrapped_lines(value, width * 11 / size) if cell.alignment.wrap_text else 1
            points = max(points, lines * LINE_POINTS * size / 11 + PAD_POINTS)
        if points > LINE_POINTS + PAD_POINTS:
            ws.row_dimensions[r].height = round(points, 1)


def _width(ws: Worksheet, col: int) -> float:
    dim = ws.column_dimensions[get_column_letter(col)]
    if dim.hidden:
        return 0.0
    return float(dim.width or 8.43)


NARROW = frozenset(" .,:;/()[]|'!iIljtf")


def units(text: str) -> float:
    """The width of `text` in column units (one digit of the default 11-point font): a CJK character two, a space
    or narrow punctuation about half, other Latin characters one."""
    return sum(2.0 if display_width(ch) == 2 else 0.55 if ch in NARROW else 1.0 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` units wide: each of its lines broken between CJK
    characters and before Latin words, a word longer than the column broken inside, a little room kept."""
    room = max(2.0, width - 0.6)
    total = 0
    for part in text.split("\n"):
        lines, used = 1, 0.0
        for word in _words(part):
            size = units(word)
            if used + size > room and used > 0:
                lines += 1
                word = word.lstrip(" ")
                size = units(word)
                used = 0.0
            while size > room:  # a word longer than a line breaks inside
                lines += 1
                size -= room
            used += size
        total += lines
    return total


def _words(text: str) -> list[str]:
    """Units a line breaks between: each CJK character alone, Latin runs with the space before them."""
    out: list[str] = []
    for ch in text:
        if display_width(ch) == 2 or not out or ch == " " or display_width(out[-1][-1:]) == 2:
            out.append(ch)
        else:
            out[-1] += ch
    return out


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
            text_cell(ws, cell.coordinate, value)
            cell.border = BORDER
            cell.alignment = WRAP
        ws.cell(i, 1).fill = PatternFill("solid", fgColor=FILLS[finding.severity.value])
    for letter, width in zip("ABCDEFGH", (9, 8, 24, 6, 6, 24, 60, 44), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    fit_heights(ws, 2, len(findings) + 1, skip=set())
    page_setup(ws)
