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
from perfrules.scoring.result import IndicatorResult, Result, SectionResult
from perfrules.syntax.source import display_width

EPS = "1E-9"
REVERSE = ("<=", "<")

COLUMNS = {
    "zh": ("一级指标", "二级指标", "三级指标", "分值", "指标值", "目标值", "实际完成值", "单位/档次", "完成率",
           "计分规则", "原始分", "得分", "得分率", "问题", "适用分值"),
    "en": ("Dimension", "Group", "Indicator", "Weight", "Target", "Target value", "Actual value", "Unit / tier",
           "Completion", "Rule", "Raw score", "Score", "Score rate", "Findings", "Applicable weight"),
}
# Column letters, by role.
COL_W, COL_TARGET, COL_T, COL_A, COL_UNIT, COL_C = "D", "E", "F", "G", "H", "I"
COL_RULE, COL_RAW, COL_S, COL_RATE, COL_ISSUES, COL_APPL = "J", "K", "L", "M", "N", "O"
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


# ---------------------------------------------------------------- one row's scoring rule as formulas


class Rule:
    """The formulas of one indicator row, mirroring perfrules.scoring.methods in the row's cells.

    Values are stored in the indicator's unit; percentages (and qualitative rates) as Excel
    percentages. The rule's own constants (cap, steps, deduction, a range's upper bound) are
    written into the formulas; whatever depends on the target's sign is decided here, whatever
    depends on the actual is left to the formula.
    """

    def __init__(self, ind: Indicator, node: IndicatorResult, r: int) -> None:
        self.ind, self.node = ind, node
        self.w, self.t, self.a, self.c = f"{COL_W}{r}", f"{COL_T}{r}", f"{COL_A}{r}", f"{COL_C}{r}"
        self.percent = ind.kind == "qualitative" or ind.unit.text in ("%", "百分比")
        self.scale = Decimal(1) if self.percent else ind.unit.scale  # base units per cell unit
        self.cap = ind.cap

    # values
    def _cell_value(self, base: Decimal) -> Decimal:
        return base / self.scale

    def target_value(self) -> float | None:
        if self.ind.kind == "qualitative" or self.ind.target is None:
            return None
        return float(self._cell_value(self.ind.target))

    def actual_value(self) -> float:
        assert self.node.actual is not None
        if self.ind.kind == "qualitative":
            return float(self.node.actual)
        base = self.node.actual * self.ind.unit.scale  # the result shows the actual in its unit
        return float(self._cell_value(base))

    @property
    def t_sign(self) -> int:
        t = self.ind.target
        return 0 if t is None or t == 0 else (1 if t > 0 else -1)

    @property
    def hi(self) -> str:
        high = self.ind.target_high if self.ind.comparator == "in" and self.ind.target_high is not None else None
        return _lit(self._cell_value(high)) if high is not None else self.t

    def met(self) -> str:
        cmp = self.ind.comparator or ">="
        a, t = self.a, self.t
        if cmp == "in":
            return f"AND({a}>={t},{a}<={self.hi})"
        if cmp == "=":
            return f"{a}>={t}" if self.ind.method == "equal" else f"{a}={t}"
        return f"{a}{cmp}{t}"

    def capped(self) -> str:
        return self.w if self.cap == 1 else f"{self.w}*{_lit(self.cap)}"

    # formulas
    def completion(self) -> str | None:
        """完成率: a/t forward, t/a reverse, 1 inside a range; None (blank) when it has no value."""
        ind, a, t = self.ind, self.a, self.t
        if ind.kind == "qualitative":
            return a
        if ind.comparator == "in":
            below = f"{a}/{t}" if self.t_sign else '""'
            return f'IF(AND({a}>={t},{a}<={self.hi}),1,IF({a}<{t},{below},IF({a}=0,"",{self.hi}/{a})))'
        if ind.comparator in REVERSE:
            return f'IF({a}=0,"",{t}/{a})'
        return f"{a}/{t}" if self.t_sign else None

    def raw(self) -> str:
        """原始分: the rule's score before rounding, kept between 0 and weight × cap."""
        ind, w, a, t = self.ind, self.w, self.a, self.t
        method = ind.method
        if ind.kind == "qualitative":
            return f"{w}*MIN({a},{_lit(self.cap)})"
        if method == "ratio" and ind.comparator not in REVERSE and self.t_sign > 0:
            return f"MIN({_lit(self.cap)},MAX({a},0)/{t})*{w}"
        if method == "ratio" and ind.comparator in REVERSE and self.t_sign > 0:
            return f"IF({a}<=0,{self.capped()},MIN({_lit(self.cap)},{t}/{a})*{w})"
        raw = {
            "ratio": self._ratio, "linear": self._linear, "equal": self._equal, "execution": self._execution,
            "range": self._range, "steps": self._steps, "deduct": self._deduct,
        }[method]()
        if method in ("equal", "execution", "range", "deduct"):
            return raw  # never below 0 nor above the weight (and a cap is at least 100%)
        if method == "steps" and max((s.points for s in ind.steps), default=ind.steps_otherwise) <= ind.weight * self.cap \
                and ind.steps_otherwise <= ind.weight * self.cap:
            return raw
        return f"MAX(0,MIN({raw},{self.capped()}))"

    def _ratio(self) -> str:
        w, a, t = self.w, self.a, self.t
        if self.ind.comparator in REVERSE:
            if self.t_sign <= 0:
                return f"IF({self.met()},{self.capped()},0)"
            return f"IF({a}<=0,{self.capped()},{w}*{t}/{a})"  # an actual at or below 0 meets a positive target
        if self.t_sign <= 0:
            return f"IF({self.met()},{w},0)"
        return f"{w}*MAX({a},0)/{t}"

    def _linear(self) -> str:
        w, a, t = self.w, self.a, self.t
        over = f"{w}*MAX(0,1-({a}-{t})/{t})" if self.t_sign > 0 else "0"
        return f"IF({a}<={t},{self._ratio()},{over})"

    def _equal(self) -> str:
        w, a, t = self.w, self.a, self.t
        if self.t_sign == 0:
            return f"IF({a}<=0,{w},0)"
        if self.t_sign < 0:
            return f"IF({a}={t},{w},0)"
        return f"IF({a}>={t},{w},{w}*MAX({a},0)/{t})"

    def _execution(self) -> str:
        w, a, t = self.w, self.a, self.t
        return w if self.t_sign <= 0 else f"MIN(1,MAX({a},0)/{t})*{w}"

    def _range(self) -> str:
        w, a, c = self.w, self.a, self.c
        none = f"IF({a}=0,{w},0)" if self.t_sign == 0 else "0"
        return f'IF({c}="",{none},{w}*MIN(1,MAX({c},0)))'

    def _steps(self) -> str:
        ind = self.ind
        chain = _lit(ind.steps_otherwise)
        for step in reversed(ind.steps):
            chain = f"IF({self.c}+{EPS}>={_lit(step.threshold)},{_lit(step.points)},{chain})"
        # no completion rate (a zero target or actual): the top step when the target is met, else what 0% reaches
        top = ind.steps[0].points if ind.steps else ind.steps_otherwise
        zero = next((s.points for s in ind.steps if s.threshold <= 0), ind.steps_otherwise)
        fallback = f"IF({self.met()},{_lit(top)},{_lit(zero)})"
        if self.completion() is None:
            return fallback
        return f'IF({self.c}="",{fallback},{chain})'

    def _deduct(self) -> str:
        ind, w, a, t = self.ind, self.w, self.a, self.t
        assert ind.deduct_points is not None and ind.deduct_per is not None
        cmp = ind.comparator or ">="
        # missing a target: below it for >= and >, above it for <= and <, either side of = and of a range
        gap = f"{t}-{a}" if cmp in (">=", ">") else f"{a}-{t}" if cmp in REVERSE else f"IF({a}<{t},{t}-{a},{a}-{self.hi})"
        if ind.deduct_relative:
            if self.t_sign == 0:
                return f"IF({self.met()},{w},0)"
            gap = f"({gap})/ABS({t})"
            per = _lit(ind.deduct_per)
        else:
            per = _lit(self._cell_value(ind.deduct_per))
        points = "" if ind.deduct_points == 1 else f"{_lit(ind.deduct_points)}*"
        return f"IF({self.met()},{w},MAX(0,{w}-{points}({gap})/{per}))"

    def describe(self, lang: str) -> str:
        """The rule in words, for the 计分规则 column."""
        zh = lang != "en"
        ind = self.ind
        reverse = ind.comparator in REVERSE
        if ind.kind == "qualitative":
            text = "定性：分值 × 得分率" if zh else "qualitative: weight × rate"
        elif ind.method == "steps":
            parts = [f"≥{_pct(s.threshold)} 得 {number(s.points)}" if zh else f"≥{_pct(s.threshold)}: {number(s.points)}"
                     for s in ind.steps]
            parts.append(f"其他 {number(ind.steps_otherwise)}" if zh else f"else {number(ind.steps_otherwise)}")
            text = ("阶梯（按完成率）：" if zh else "steps (by completion): ") + ("，".join(parts) if zh else ", ".join(parts))
        elif ind.method == "deduct":
            assert ind.deduct_per is not None
            per = _pct(ind.deduct_per) if ind.deduct_relative or self.percent else \
                f"{number(ind.unit.from_base(ind.deduct_per).normalize())} {ind.unit.text}".strip()
            text = (f"扣分：达标得满分，每差 {per} 扣 {number(ind.deduct_points)} 分，扣完为止" if zh
                    else f"deduct {number(ind.deduct_points)} per {per} short of the target, down to 0")
        elif ind.method == "range":
            text = ("区间：区间内满分，低于下限按 实际/下限，高于上限按 上限/实际" if zh
                    else "range: full inside; below low × actual/low; above × high/actual")
        elif ind.method == "linear":
            text = ("反向线性：不超过目标满分，超出按 1 − (实际 − 目标)/目标，2 倍目标得 0" if zh
                    else "reverse linear: full up to the target, then 1 − (actual − target)/target")
        elif ind.method == "equal":
            text = "等于：达到目标满分，否则按 实际/目标" if zh else "equal: full when met, else actual/target"
        elif ind.method == "execution":
            text = "预算执行率：分值 × min(1, 实际/目标)" if zh else "execution: weight × min(1, actual/target)"
        elif reverse:
            text = "反向比例：分值 × 目标/实际" if zh else "reverse ratio: weight × target/actual"
        else:
            text = "正向比例：分值 × 实际/目标" if zh else "ratio: weight × actual/target"
        if self.cap != 1 and ind.method not in ("execution", "deduct"):
            text += f"，封顶 {_pct(self.cap)}" if zh else f", capped at {_pct(self.cap)}"
        return text


# ---------------------------------------------------------------- formulas and formats


def _round(expr: str, places: int, rounding: str) -> str:
    """Round as the ruleset does (half up by default), with 1E-9 against binary floating point."""
    if rounding == "ROUND_DOWN":
        return f"ROUNDDOWN({expr}+{EPS},{places})"
    if rounding == "ROUND_HALF_EVEN":
        scaled = f"({expr})*{10 ** places}"
        return (f"IF(ABS(MOD({scaled},1)-0.5)<{EPS},2*ROUND({scaled}/2,0),ROUND({scaled},0))/{10 ** places}")
    return f"ROUND({expr}+{EPS},{places})"


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


def _lit(value: Decimal) -> str:
    """A Decimal as a formula constant: plain digits, no exponent, no trailing zeros."""
    text = f"{value.normalize():f}"
    return text if text != "-0" else "0"


def _pct(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}%"


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
