"""The scoring rules as Excel formulas: one indicator row's cells, mirroring perfrules.scoring.methods.

Used by perfrules.render.xlsx. The columns are fixed here because the formulas refer to them.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from perfrules import vocabulary
from perfrules.display import exact_percent, measured, per_period, plain, trimmed
from perfrules.plan import dates
from perfrules.plan.model import Indicator
from perfrules.scoring.result import IndicatorResult

EPS = "1E-9"
REVERSE = ("<=", "<")
COL_W, COL_TARGET, COL_T, COL_A, COL_UNIT, COL_C = "D", "E", "F", "G", "H", "I"
COL_RULE, COL_RAW, COL_S, COL_RATE, COL_APPL = "J", "K", "L", "M", "N"
LAST_FORMULA_COL = 14  # N: the columns after it (公布得分, 偏差原因, 问题) hold text and numbers no formula reads
HELPER_COLS = (COL_T, COL_RAW, COL_APPL)  # what only the formulas need: grouped and folded, so they do not print



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
        if self.ind.kind == "scale" and self.ind.scale is not None:  # its target cell holds the scale: 100
            return float(self.ind.scale)
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
        return literal(self._cell_value(high)) if high is not None else self.t

    def met(self) -> str:
        cmp = self.ind.comparator or ">="
        a, t = self.a, self.t
        if cmp == "in":
            return f"AND({a}>={t},{a}<={self.hi})"
        if cmp == "=":
            return f"{a}>={t}" if self.ind.method == "equal" else f"{a}={t}"
        return f"{a}{cmp}{t}"

    def capped(self) -> str:
        return self.w if self.cap == 1 else f"{self.w}*{literal(self.cap)}"

    # formulas
    def completion(self) -> str | None:
        """完成率: a/t forward, t/a reverse, 1 inside a range; None (blank) when it has no value."""
        ind, a, t = self.ind, self.a, self.t
        if ind.kind == "qualitative":
            return a
        if ind.kind == "scale":  # no target: no completion rate
            return None
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
            return f"{w}*MIN({a},{literal(self.cap)})"
        if ind.kind == "scale":  # 满分打分: weight × actual / scale (the scale in the target's cell)
            return f"MAX(0,MIN({w}*{a}/{t},{w}))"
        if method == "ratio" and ind.comparator not in REVERSE and self.t_sign > 0:
            return f"MIN({literal(self.cap)},MAX({a},0)/{t})*{w}"
        if method == "ratio" and ind.comparator in REVERSE and self.t_sign > 0:
            return f"IF({a}<=0,{self.capped()},MIN({literal(self.cap)},{t}/{a})*{w})"
        raw = {
            "ratio": self._ratio, "linear": self._linear, "equal": self._equal, "execution": self._execution,
            "range": self._range, "steps": self._steps, "deduct": self._deduct, "actual": self._actual,
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

    def _actual(self) -> str:
        """按实际值: weight × the actual rate, bounded by the cap (the caller keeps it between 0 and weight × cap)."""
        return f"{self.w}*MAX({self.a},0)"

    def _range(self) -> str:
        w, a, c = self.w, self.a, self.c
        none = f"IF({a}=0,{w},0)" if self.t_sign == 0 else "0"
        return f'IF({c}="",{none},{w}*MIN(1,MAX({c},0)))'

    def _steps(self) -> str:
        ind = self.ind
        if ind.steps_actual:  # the actual against each bound, inclusive: at or above it (>=), at or below it (<=)
            upper = ind.comparator in REVERSE
            chain = literal(ind.steps_otherwise)
            for step in reversed(ind.steps):
                bound = literal(self._cell_value(step.threshold))
                test = f"{self.a}-{EPS}<={bound}" if upper else f"{self.a}+{EPS}>={bound}"
                chain = f"IF({test},{literal(step.points)},{chain})"
            return chain
        chain = literal(ind.steps_otherwise)
        for step in reversed(ind.steps):
            chain = f"IF({self.c}+{EPS}>={literal(step.threshold)},{literal(step.points)},{chain})"
        # no completion rate (a zero target or actual): the top step when the target is met, else what 0% reaches
        top = ind.steps[0].points if ind.steps else ind.steps_otherwise
        zero = next((s.points for s in ind.steps if s.threshold <= 0), ind.steps_otherwise)
        fallback = f"IF({self.met()},{literal(top)},{literal(zero)})"
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
            per = literal(ind.deduct_per)
        else:
            per = literal(self._cell_value(ind.deduct_per))
        points = "" if ind.deduct_points == 1 else f"{literal(ind.deduct_points)}*"
        return f"IF({self.met()},{w},MAX(0,{w}-{points}({gap})/{per}))"

    # rows rated by level or by a checklist: the share from the level or the elements the row shows (column H)
    def share(self) -> str | None:
        """The actual's share as a formula over the row's 单位/档次 cell (`良`, `具备 ①③`), so that changing the level or
        the elements there recomputes the score; None for any other row, or when a label is part of another one."""
        ind = self.ind
        h = f"{COL_UNIT}{self.a[len(COL_A):]}"
        if ind.levels:
            chain = "0"
            for label, share in reversed(ind.levels):
                chain = f'IF({h}="{_text(label)}",{literal(share)},{chain})'
            return chain
        if ind.elements:
            labels = [label for label, _share in ind.elements]
            if any(a != b and a in b for a in labels for b in labels):
                return None  # FIND would see one element inside another: the share stays a number
            return "+".join(f'IF(ISNUMBER(FIND("{_text(label)}",{h})),{literal(share)},0)' for label, share in ind.elements)
        return None

    # dates: the target and the actual as Excel dates, the score from how late the actual is
    def dates(self, year: int | None = None) -> tuple[date, date, bool] | None:
        """The target's first day and the actual date (written first in the row's actual: `2019-12-15（逾期 2 个月）`,
        or `12 月` of the ruleset's `year`), and whether the actual is a month (held as its first day)."""
        ind = self.ind
        if ind.target is None or ind.comparator is None:
            return None
        shown = self.node.actual_text.split("（")[0].strip()
        month = re.fullmatch(rf"(\d{{1,2}})\s*{vocabulary.MONTH_UNIT}", shown)
        written = dates.Written(year, int(month[1]), None) if month and year else dates.read(shown)
        if written is None or dates.problem(written) is not None:
            return None
        return (date.fromordinal(int(ind.target)), date(written.year, written.month, written.day or 1),
                written.day is None)

    @property
    def month(self) -> bool:
        """A month target (`<= 12 月`, `<= 2023-12`): it allows every day of that month."""
        return self.ind.unit.text == dates.MONTH.text

    def _bounds(self) -> tuple[str | None, str | None]:
        """The first and the last allowed day as formulas over the target cell (dates.allowed)."""
        t, month = self.t, self.month
        last = f"EOMONTH({t},0)" if month else t
        if self.ind.comparator == "in":
            assert self.ind.target_high is not None
            end = date.fromordinal(int(self.ind.target_high))
            upper = f"DATE({end.year},{end.month},{end.day})"
            return t, f"EOMONTH({upper},0)" if month else upper
        return {"<=": (None, last), "<": (None, f"({t}-1)"), ">=": (t, None), ">": (f"({last}+1)", None),
                "=": (t, last)}[self.ind.comparator or "<="]

    def date_met(self) -> str:
        low, high = self._bounds()
        parts = [f"{self.a}>={low}" if low else "", f"{self.a}<={high}" if high else ""]
        kept = [p for p in parts if p]
        return kept[0] if len(kept) == 1 else f"AND({','.join(kept)})"

    def _months(self, bound: str, late: bool) -> str:
        """Months late (or early) from `bound` (dates.months_off): a month begun counts whole; a month's last day
        goes on to the last day of the next months."""
        a = self.a
        index_a, index_b = f"(YEAR({a})*12+MONTH({a}))", f"(YEAR({bound})*12+MONTH({bound}))"
        count = f"{index_a}-{index_b}" if late else f"{index_b}-{index_a}"
        if self.month:
            return f"({count})"
        step = f"({count})" if late else f"-({count})"
        reached = f"IF(DAY({bound}+1)=1,EOMONTH({bound},{step}),EDATE({bound},{step}))"
        return f"IF({reached}{'>=' if late else '<='}{a},{count},{count}+1)"

    def date_raw(self) -> str:
        """原始分 of a date: the weight when met; else 0, or the weight less the deduction per day or month off."""
        ind, w, a = self.ind, self.w, self.a
        met = self.date_met()
        if ind.deduct_points is None or ind.deduct_per is None:
            return f"IF({met},{w},0)"
        low, high = self._bounds()
        by_month = ind.deduct_period == "month"
        late = (self._months(high, True) if by_month else f"{a}-{high}") if high else None
        early = (self._months(low, False) if by_month else f"{low}-{a}") if low else None
        off = late if early is None else early if late is None else f"IF({a}>{high},{late},{early})"
        points = "" if ind.deduct_points == 1 else f"{literal(ind.deduct_points)}*"
        per = "" if ind.deduct_per == 1 else f"/{literal(ind.deduct_per)}"
        return f"IF({met},{w},MAX(0,{w}-{points}({off}){per}))"

    def describe(self, lang: str) -> str:
        """The rule in words, for the 计分规则 column (`rule_words`)."""
        return rule_words(self.ind, lang)


def rule_words(ind: Indicator, lang: str = "zh") -> str:
    """A row's scoring rule in words, with its own numbers: the score table's 计分规则 column, the audit paper's rule
    and the language server's hover."""
    zh = lang != "en"
    percent = ind.kind == "qualitative" or ind.unit.text in ("%", "百分比")
    reverse = ind.comparator in REVERSE
    if ind.elements:
        shares = " ".join(f"{label}{exact_percent(share)}" for label, share in ind.elements)
        text = (f"要素：分值 × 具备要素的分值之和（{shares}）" if zh
                else f"elements: weight × the shares of the elements present ({shares})")
    elif ind.levels:
        shares = " ".join(f"{label}{exact_percent(share)}" for label, share in ind.levels)
        text = (f"等次：分值 × 所评等次的比例（{shares}）" if zh
                else f"levels: weight × the share of the level given ({shares})")
    elif ind.kind == "qualitative":
        text = "定性：分值 × 得分率" if zh else "qualitative: weight × rate"
    elif ind.kind == "scale" and ind.scale is not None:
        scale = plain(ind.scale)
        text = (f"满分打分：分值 × 实际得分 / 满分 {scale}" if zh
                else f"on a scale: weight × actual / {scale} (out of {scale})")
    elif ind.method == "actual":
        text = "按实际值：分值 × 实际值" if zh else "by the actual: weight × actual"
    elif ind.method == "steps" and ind.steps_actual:
        sign = "≤" if reverse else "≥"
        parts = [f"{sign}{measured(ind.unit.from_base(s.threshold), ind.unit)} 得 {plain(s.points)}" if zh
                 else f"{sign}{measured(ind.unit.from_base(s.threshold), ind.unit)}: {plain(s.points)}" for s in ind.steps]
        parts.append(f"其他 {plain(ind.steps_otherwise)}" if zh else f"else {plain(ind.steps_otherwise)}")
        text = ("阶梯（按实际值）：" if zh else "steps (by the actual): ") + ("，".join(parts) if zh else ", ".join(parts))
    elif ind.method == "steps":
        parts = [f"≥{exact_percent(s.threshold)} 得 {plain(s.points)}" if zh else f"≥{exact_percent(s.threshold)}: {plain(s.points)}"
                 for s in ind.steps]
        parts.append(f"其他 {plain(ind.steps_otherwise)}" if zh else f"else {plain(ind.steps_otherwise)}")
        text = ("阶梯（按完成率）：" if zh else "steps (by completion): ") + ("，".join(parts) if zh else ", ".join(parts))
    elif ind.method == "deduct":
        assert ind.deduct_per is not None
        per = exact_percent(ind.deduct_per) if ind.deduct_relative or percent else \
            f"{plain(ind.unit.from_base(ind.deduct_per).normalize())} {ind.unit.text}".strip()
        text = (f"扣分：达标得满分，每差 {per} 扣 {plain(ind.deduct_points)} 分，扣完为止" if zh
                else f"deduct {plain(ind.deduct_points)} per {per} short of the target, down to 0")
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
    elif ind.method == "date":
        return _date_words(ind, zh)
    elif reverse:
        text = "反向比例：分值 × 目标/实际" if zh else "reverse ratio: weight × target/actual"
    else:
        text = "正向比例：分值 × 实际/目标" if zh else "ratio: weight × actual/target"
    if ind.cap != 1 and ind.method not in ("execution", "deduct"):
        text += f"，封顶 {exact_percent(ind.cap)}" if zh else f", capped at {exact_percent(ind.cap)}"
    return text


def _date_words(ind: Indicator, zh: bool) -> str:
    """A deadline row's rule: full marks on time, and what each period late costs (or 0 when late)."""
    if ind.deduct_points is None or ind.deduct_per is None:
        return "日期：按期得满分，逾期 0 分" if zh else "date: full marks on time; late scores 0"
    per = per_period(ind.deduct_per, ind.deduct_period or "day", "zh" if zh else "en")
    points = trimmed(ind.deduct_points)
    return (f"日期：按期得满分，逾期每 {per} 扣 {points} 分，扣完为止" if zh
            else f"date: full marks on time; {points} points off per {per} late, down to 0")


def round_formula(expr: str, places: int, rounding: str) -> str:
    """Round as the ruleset does (half up by default), with 1E-9 against binary floating point."""
    if rounding == "ROUND_DOWN":
        return f"ROUNDDOWN({expr}+{EPS},{places})"
    if rounding == "ROUND_UP":  # 9.01 → 10 at 0 places; 1E-9 the other way, so that 9.00 stays 9
        return f"ROUNDUP(MAX(0,{expr}-{EPS}),{places})"
    if rounding == "ROUND_HALF_EVEN":
        scaled = f"({expr})*{10 ** places}"
        return (f"IF(ABS(MOD({scaled},1)-0.5)<{EPS},2*ROUND({scaled}/2,0),ROUND({scaled},0))/{10 ** places}")
    return f"ROUND({expr}+{EPS},{places})"


def _text(label: str) -> str:
    """A label inside a formula's string: quotes doubled."""
    return label.replace('"', '""')


def literal(value: Decimal) -> str:
    """A Decimal as a formula constant: plain digits, no exponent, no trailing zeros."""
    return trimmed(value)
