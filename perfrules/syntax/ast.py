"""The AST: what a rule file says, as written, with the span of every part.

Numbers are `Decimal` as written (60000, 1.5); a percentage keeps its unit `%` (100%
is `Quantity(Decimal("100"), "%")`). Units and names are resolved later, by `plan`.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal

from perfrules.findings import Span
from perfrules.limits import MAX_FORMULA_DEPTH
from perfrules.records import record


@record
class Name:
    text: str
    span: Span
    quoted: bool = False


@record
class Quantity:
    value: Decimal
    unit: str | None
    span: Span
    date: str | None = None  # a date as written (`2023-12-31`, `2023年12月`): unit DATE_UNIT, value 0; see plan.dates

    def __str__(self) -> str:
        if self.date is not None:
            return self.date
        number = f"{self.value:f}"  # as written: 0.0000000000001, never 1E-13
        return f"{number}{self.unit}" if self.unit in ("%", "‰") else f"{number} {self.unit or ''}".strip()


# ---------------------------------------------------------------- expressions


@record
class Ref:
    name: Name

    @property
    def span(self) -> Span:
        return self.name.span


@record
class Literal:
    quantity: Quantity

    @property
    def span(self) -> Span:
        return self.quantity.span


@record
class BinOp:
    op: str  # + - * /
    left: Expr
    right: Expr
    span: Span


@record
class Neg:
    operand: Expr
    span: Span


Expr = Ref | Literal | BinOp | Neg

MAX_DEPTH = MAX_FORMULA_DEPTH  # operators nested deeper than this are refused: later stages walk formulas recursively


def depth(expr: Expr) -> int:
    """How deeply a formula's operators nest, counted without recursion."""
    deepest = 0
    stack: list[tuple[Expr, int]] = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, BinOp):
            stack += [(node.left, level + 1), (node.right, level + 1)]
        elif isinstance(node, Neg):
            stack.append((node.operand, level + 1))
    return deepest


# ---------------------------------------------------------------- indicators


@record
class Step:
    threshold: Quantity  # completion at or above which the step applies (with `steps actual`: the actual's bound)
    award: Quantity  # points, or % of the weight


DATE_UNIT = "日期"  # the unit of a written date in the AST: never comparable with a number


@record
class Element:
    """One element of a checklist row and its share: `①:40%`; `②③④:20%` is one Element for three labels."""

    label: Name
    share: Quantity


@record
class Clauses:
    """The options after an indicator's or section's target; None when not written."""

    weight: Decimal | None = None
    cap: Quantity | None = None
    method: Name | None = None
    steps: tuple[Step, ...] = ()
    steps_otherwise: Quantity | None = None
    deduct: tuple[Decimal, Quantity] | None = None  # (points, per difference)
    na: bool = False
    tiers: tuple[Quantity, Quantity] | None = None
    spans: tuple[tuple[str, Span], ...] = ()  # clause keyword -> span, for messages
    signed: bool = False  # the actual may be below zero (a growth rate)
    weight_percent: bool = False  # `weight 20%`: the weight is a share of the ruleset's total
    rounding: tuple[int, str | None] | None = None  # `rounding 0 half-up`: places and mode (None: the scope's)
    weight_inferred: bool = False  # `weight 10 inferred`: the form did not print this weight
    elements: tuple[Element, ...] = ()  # `elements ①:40% ②:20% ...`: a checklist row (要素)
    levels: tuple[Element, ...] = ()  # `levels 优:100% 良:80% ...`: a row rated by named levels (等次)
    scale: Quantity | None = None  # `scale 100` (`满分 100 分`): a row scored on a scale of 0–100 (no target)
    steps_actual: bool = False  # `steps actual 90%:100% …`: the thresholds are actual values, not completion rates
    deduct_word: Name | None = None  # the `per` of `deduct` as written (每少, 每超, …) and where: compile checks its side

    def span_of(self, clause: str) -> Span | None:
        return dict(self.spans).get(clause)


@record
class Indicator:
    name: Name
    comparator: str | None  # ">=", "<=", "=", ">", "<", "in", or None when qualitative
    target: Quantity | None
    target_high: Quantity | None  # the upper bound of a range
    formula: Expr | None  # a derived indicator's formula over facts and indicators
    qualitative: bool
    target_text: str | None  # a qualitative indicator's target wording
    clauses: Clauses
    span: Span


@record
class Section:
    """A dimension (一级指标) or group (二级指标 and below) holding indicators."""

    kind: str  # "dimension" or "group"
    name: Name
    clauses: Clauses
    children: tuple[Section | Indicator | Check, ...]
    span: Span


# ---------------------------------------------------------------- the rest


@record
class Meta:
    name: Name | None = None
    year: int | None = None
    kind: Name | None = None
    rounding_places: int | None = None
    rounding_mode: str | None = None
    total: Decimal | None = None
    tiers: tuple[Quantity, Quantity] | None = None
    span: Span | None = None


@record
class Band:
    name: Name
    comparator: str | None  # None for `otherwise`
    threshold: Decimal | None
    span: Span


@record
class Fact:
    name: Name
    expr: Expr | None  # None for a declaration that expects a value (`全年预算数 万元`)
    unit: str | None
    span: Span


@record
class Check:
    label: Name | None
    left: Expr
    comparator: str
    right: Expr
    severity: Name | None
    tolerance: Quantity | None
    span: Span


@record
class ActualValue:
    kind: str  # "quantity" (a date is a quantity with a `date`), "tier", "na", "text", "elements", "level" (`= 良`)
    quantity: Quantity | None = None
    tier: str | None = None
    text: str | None = None
    span: Span | None = None
    elements: tuple[Name, ...] = ()  # `具备 ① ② ④`: the elements a checklist row has, as written


@record
class Actual:
    name: Name
    value: ActualValue | None  # None for a note: a reason or score without a value (`预算执行率 reason "..."`)
    reason: str | None
    score: Decimal | None
    span: Span
    extra: ActualExtra | None = None  # review score, unreadable scores, printed rate, evidence text


@record
class ActualExtra:
    """What a printed row holds beside its actual and published score (docs/language.md §14)."""

    review: Decimal | None = None  # `review 18`: the review score (复核分)
    score_unreadable: bool = False  # `score ?`: a published score that is printed but cannot be read
    review_unreadable: bool = False  # `review ?`
    rate: Quantity | None = None  # `rate 95.3%`: the printed 执行率 of the row
    evidence: str | None = None  # `= 达成 90% "…"`: the evidence text beside a row's actual


@record
class ExpectItem:
    target: str  # a section's or indicator's name, "total" or "grade"
    value: Decimal | str
    span: Span
    quoted: bool = False  # a grade written in quotes (`grade "实施比较顺利"`): a verbal grade, kept as text


@record
class Use:
    path: str
    span: Span


@record
class PolicyItem:
    key: Name
    value: Quantity | Name | str
    span: Span


@record
class HistoryItem:
    """One line of a `history` block: an earlier year's target and actual of one indicator, or its budget.

    `ref` is the indicator's path or name as written (`产出/产出数量/活动场次` or `活动场次`);
    a budget line (`2022 budget 600 万元`) has `ref` None and the amount in `target`.
    """

    year: int
    ref: str | None
    comparator: str | None
    target: Quantity
    actual: Quantity | None
    span: Span


@record
class Lost:
    """A line that did not parse (or a block whose header did not), and what it may have said: later stages
    leave out only the findings such a line can cause by itself (perfrules.pipeline).

    `block` is the kind of block it stood in ("top", "dimension", "group", "facts", "actuals", "grades",
    ...); `names` the names it would have defined or given a value to (an indicator's, a section's, a fact's,
    an actual's; every one inside a block whose header did not parse); `wild` that what it defined cannot
    be told (a line not starting with a name, a `use`); `lines` the first and last line it covers
    (a broken block: from its header to its closing brace); `sections` the names of the dimensions and
    groups around it, outermost first.
    """

    block: str
    names: tuple[str, ...]
    wild: bool
    lines: tuple[int, int]
    sections: tuple[str, ...] = ()


@record
class Document:
    file: str
    meta: Meta
    grades: tuple[Band, ...]
    facts: tuple[Fact, ...]
    body: tuple[Section | Indicator | Check, ...]
    actuals: tuple[Actual, ...]
    expect: tuple[ExpectItem, ...]
    uses: tuple[Use, ...]
    policy: tuple[PolicyItem, ...]
    grades_span: Span | None = None
    text: str = field(default="", compare=False, repr=False)
    history: tuple[HistoryItem, ...] = ()  # the `history` block: earlier years, for perfrules.history
    lost: tuple[Lost, ...] = ()  # the lines that did not parse, and what they may have said
