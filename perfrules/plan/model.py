"""The Plan: a compiled ruleset, resolved and unit-normalised, ready to evaluate.

Quantities are held in base units (元, 人, plain ratios: 100% is Decimal("1")), each with the
Unit the author wrote so results can be shown the way they were written. Sections and
indicators are addressed by their key, the path of names joined by "/".
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from decimal import Decimal
from functools import cached_property
from typing import TypeVar

from perfrules import vocabulary
from perfrules.findings import Finding, Span
from perfrules.plan.units import Unit
from perfrules.records import record

# ---------------------------------------------------------------- expressions over facts and indicators


@record
class Ref:
    kind: str  # "fact" or "indicator"
    key: str
    span: Span | None = None


@record
class Const:
    value: Decimal  # in base units
    unit: Unit


@record
class Op:
    op: str  # + - * / neg
    args: tuple[Expr, ...]


Expr = Ref | Const | Op


# ---------------------------------------------------------------- the indicator system


QUALITATIVE_TIERS = vocabulary.TIERS  # 达成, 部分达成, 未达成


@record
class Step:
    threshold: Decimal  # completion ratio at or above which the step applies; with `steps_actual`, the actual's
    # bound in base units (at or above it for a `>=`/`>` target, at or below it for `<=`/`<`)
    points: Decimal  # points awarded (a % of the weight is converted at compile time)


@record
class Indicator:
    key: str
    name: str
    weight: Decimal
    kind: str  # "quantitative", "qualitative", "date" (a deadline: plan.dates) or "scale" (no target: `scale 100`)
    method: str  # ratio, linear, equal, execution, actual, range, steps, deduct, qualitative, elements, levels, date,
    #              scale
    comparator: str | None  # ">=", "<=", "=", ">", "<", "in"
    target: Decimal | None  # base units
    target_high: Decimal | None  # base units, for a range
    unit: Unit  # the unit targets and actuals are shown in
    target_text: str  # the target as written: ">= 60000 人", "逐步提高"
    formula: Expr | None
    cap: Decimal  # the most a score may be, as a ratio of the weight
    steps: tuple[Step, ...] = ()
    steps_otherwise: Decimal = Decimal(0)
    deduct_points: Decimal | None = None
    deduct_per: Decimal | None = None  # base units of difference per deduct_points
    deduct_relative: bool = False  # difference measured relative to the target
    tiers: tuple[Decimal, Decimal] = vocabulary.DEFAULT_TIER_BOUNDS  # 达成 and 部分达成 lower bounds
    na: bool = False
    span: Span | None = None
    signed: bool = False  # `signed`: the actual may be below zero (a growth rate); otherwise a negative is refused
    elements: tuple[tuple[str, Decimal], ...] = ()  # a checklist row: (element, share of the weight), shares sum to 1
    deduct_period: str | None = None  # a date's deduction: "day" (per 天) or "month" (per 月); deduct_per counts them
    places: int | None = None  # `rounding 0 …` on the row or a section around it; None: the ruleset's
    rounding: str | None = None  # its mode (ROUND_HALF_UP, …); None with places None
    weight_inferred: bool = False  # `weight 10 inferred`: the form did not print this weight
    levels: tuple[tuple[str, Decimal], ...] = ()  # a row rated by level: (level, share of the weight), best first
    scale: Decimal | None = None  # a row scored on a scale (`scale 100`): score = weight × actual / scale
    steps_actual: bool = False  # `steps actual …`: the step thresholds are bounds on the actual, not completion rates

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(split_key(self.key))


def negative(indicator: Indicator, value: str, span: Span | None) -> Finding:
    """The finding for a negative actual of an indicator that is not `signed`: one rule for every source
    (rule file and data files through plan.actuals.resolve; a plan file's actuals when they are scored)."""
    if indicator.scale is not None:  # `signed` does not apply to a score on a scale: say what does
        return Finding.make("PR018", span, key="PR018.negative_scale", name=indicator.name, value=value,
                            scale=f"{indicator.scale.normalize():f}")
    return Finding.make("PR018", span, key="PR018.negative", name=indicator.name, value=value)


@record
class Section:
    key: str
    name: str
    kind: str  # "dimension" or "group"
    weight: Decimal  # declared, or the sum of the children when not written
    declared: bool
    children: tuple[Section | Indicator, ...]
    span: Span | None = None
    places: int | None = None  # `rounding 0 …` written on this section (its rows' rounding); None: not written
    rounding: str | None = None
    weight_inferred: bool = False  # `weight 40 inferred`

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(split_key(self.key))


@record
class Fact:
    name: str
    unit: Unit
    value: Decimal | None  # base units; None when it must come from actuals or is a formula
    formula: Expr | None
    span: Span | None = None


@record
class Check:
    label: str
    left: Expr
    comparator: str
    right: Expr
    severity: str  # error, warning, info
    tolerance: Decimal  # a relative tolerance (0.05 for 5%)
    text: str
    span: Span | None = None
    slack: Decimal = Decimal(0)  # an absolute tolerance in base units (`tolerance 1 万元`)


@record
class Band:
    name: str
    comparator: str | None  # ">=" or ">"; None for the lowest band
    threshold: Decimal | None

    def holds(self, total: Decimal) -> bool:
        """Whether `total` falls in this band or above it (the open lowest band takes every total)."""
        if self.comparator is None or self.threshold is None:
            return True
        return total >= self.threshold if self.comparator == ">=" else total > self.threshold


def band_of(grades: tuple[Band, ...], total: Decimal) -> str:
    """The name of the first band, from the top, that `total` reaches; the lowest band's when none does."""
    return next((band.name for band in grades if band.holds(total)), grades[-1].name if grades else "")


@record
class Actual:
    """A measured value for an indicator or a fact, from the rule file or a data file."""

    key: str  # indicator key, or "fact:NAME"
    kind: str  # "quantity", "date", "tier", "elements", "level", "na", "text", or "note" (a reason or score only)
    value: Decimal | None  # base units for a quantity; the day number of a date; the score rate (tier, elements, level)
    unit: Unit | None
    tier: str | None = None
    text: str | None = None  # what was written, for display
    reason: str | None = None
    score: Decimal | None = None  # the published score of the row, for audits
    span: Span | None = None
    elements: tuple[str, ...] = ()  # the elements a checklist row has (`具备 ① ② ④`)
    printed: Printed | None = None  # what else the printed row holds (review score, 执行率, evidence); rarely any

    # What the printed row holds, read through `printed` (one field: an Actual is made per row, most have none).
    @property
    def review(self) -> Decimal | None:
        return self.printed.review if self.printed else None

    @property
    def score_unreadable(self) -> bool:
        return self.printed.score_unreadable if self.printed else False

    @property
    def review_unreadable(self) -> bool:
        return self.printed.review_unreadable if self.printed else False

    @property
    def rate(self) -> Decimal | None:
        return self.printed.rate if self.printed else None

    @property
    def rate_text(self) -> str | None:
        return self.printed.rate_text if self.printed else None

    @property
    def evidence(self) -> str | None:
        return self.printed.evidence if self.printed else None


@record
class Printed:
    """What a printed row holds beside its actual and published score (docs/language.md 14)."""

    review: Decimal | None = None  # `review 18`: the review score (复核分), audited like the published score
    score_unreadable: bool = False  # `score ?`: a published score that is printed but cannot be read
    review_unreadable: bool = False  # `review ?`
    rate: Decimal | None = None  # `rate 95.3%`: the printed 执行率, as a ratio
    rate_text: str | None = None  # that rate as printed ("95.3%")
    evidence: str | None = None  # the evidence text beside the row's actual

    def merged(self, other: Printed | None) -> Printed:
        """These, with what `other` has that these lack (a note line joining its row's actual)."""
        if other is None:
            return self
        return Printed(self.review if self.review is not None else other.review,
                       self.score_unreadable or other.score_unreadable, self.review_unreadable or other.review_unreadable,
                       self.rate if self.rate is not None else other.rate, self.rate_text or other.rate_text,
                       self.evidence or other.evidence)


@record
class Expect:
    target: str  # a section or indicator key, "total" or "grade"
    value: Decimal | str
    span: Span | None = None
    quoted: bool = False  # a grade written in quotes: a verbal grade (「实施比较顺利」), never a band's name mistyped


@record
class Plan:
    name: str
    year: int | None
    kind: str  # 评价, 自评 or 监控
    places: int
    rounding: str  # ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN or ROUND_UP
    total_weight: Decimal
    grades: tuple[Band, ...]
    facts: tuple[Fact, ...]
    body: tuple[Section | Indicator, ...]
    checks: tuple[Check, ...]
    actuals: tuple[Actual, ...]
    expect: tuple[Expect, ...]
    policy: tuple[tuple[str, str], ...]
    file: str

    # The lookups below are made once per Plan (the Plan is frozen, so they never go stale) and shared:
    # read them, never change them. `indicators()` and `sections()` return fresh lists of the same.

    @cached_property
    def nodes(self) -> tuple[Section | Indicator, ...]:
        """Every section and indicator, depth first in the order written."""
        return tuple(walk(self.body))

    @cached_property
    def all_indicators(self) -> tuple[Indicator, ...]:
        return tuple(node for node in self.nodes if type(node) is Indicator)

    @cached_property
    def all_sections(self) -> tuple[Section, ...]:
        return tuple(node for node in self.nodes if type(node) is Section)

    @cached_property
    def indicator_by_key(self) -> Mapping[str, Indicator]:
        return {i.key: i for i in self.all_indicators}

    @cached_property
    def section_by_key(self) -> Mapping[str, Section]:
        return {s.key: s for s in self.all_sections}

    @cached_property
    def node_by_key(self) -> Mapping[str, Section | Indicator]:
        return {n.key: n for n in self.nodes}

    def indicator(self, key: str) -> Indicator | None:
        return self.indicator_by_key.get(key)

    def section(self, key: str) -> Section | None:
        return self.section_by_key.get(key)

    def grade_of(self, total: Decimal) -> str:
        """The grade band `total` falls in (see `band_of`)."""
        return band_of(self.grades, total)

    def indicators(self) -> list[Indicator]:
        return list(self.all_indicators)

    def sections(self) -> list[Section]:
        return list(self.all_sections)


def walk(nodes: tuple[Section | Indicator, ...]) -> list[Section | Indicator]:
    """`nodes` and everything under them, depth first (without recursion)."""
    out: list[Section | Indicator] = []
    stack: list[Section | Indicator] = list(reversed(nodes))
    while stack:
        node = stack.pop()
        out.append(node)
        if type(node) is Section:
            stack.extend(reversed(node.children))
    return out


def join_key(*names: str) -> str:
    """A path as one key; a `/` inside a name is escaped so the key splits back exactly."""
    joined = "/".join(names)
    if "\\" not in joined and joined.count("/") == len(names) - 1:  # no name holds a / or a backslash itself
        return joined
    return "/".join(n.replace("\\", "\\\\").replace("/", "\\/") for n in names)


def split_key(key: str) -> list[str]:
    if "\\" not in key:
        return key.split("/")
    parts, current, escaped = [], "", False
    for char in key:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "/":
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


# ---------------------------------------------------------------- formulas: what they use, in which order


def leaves(expr: Expr | None) -> list[Ref | Const]:
    """The names and constants of a formula, left to right (without recursion)."""
    out: list[Ref | Const] = []
    stack: list[Expr] = [expr] if expr is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, Op):
            stack.extend(reversed(node.args))
        else:
            out.append(node)
    return out


def refs(expr: Expr | None) -> list[Ref]:
    return [leaf for leaf in leaves(expr) if isinstance(leaf, Ref)]


Node = tuple[str, str]  # ("fact", name) or ("indicator", key)


def formula_order(facts: Iterable[Fact], indicators: Iterable[Indicator]) -> tuple[list[Node], list[Node]]:
    """The facts and indicators defined by formulas, each after what it uses, and those on a cycle."""
    formulas: dict[Node, Expr] = {("fact", f.name): f.formula for f in facts if f.formula is not None}
    formulas.update({("indicator", i.key): i.formula for i in indicators if i.formula is not None})
    return topological(formulas, lambda node: [(r.kind, r.key) for r in refs(formulas[node])])


N = TypeVar("N", bound=Hashable)


def topological(nodes: Iterable[N], deps: Callable[[N], Iterable[N]]) -> tuple[list[N], list[N]]:
    """`nodes` with every node after the nodes it depends on, and the nodes left on a cycle.

    Iterative (Kahn's algorithm), so a chain of thousands of formulas costs no recursion. A node
    that only depends on a cycle is in neither list; dependencies outside `nodes` are ignored.
    """
    nodes = list(dict.fromkeys(nodes))
    wanted = set(nodes)
    needs = {n: [d for d in dict.fromkeys(deps(n)) if d in wanted] for n in nodes}
    users: dict[N, list[N]] = {n: [] for n in nodes}
    for n, ds in needs.items():
        for d in ds:
            users[d].append(n)
    order = _peel(nodes, needs, users)
    done = set(order)
    left = [n for n in nodes if n not in done]
    behind = set(_peel(left, {n: [u for u in users[n] if u not in done] for n in left}, needs))
    return order, [n for n in left if n not in behind]


def _peel(nodes: list[N], needs: dict[N, list[N]], users: dict[N, list[N]]) -> list[N]:
    """The nodes that can be taken once all they need is taken, in that order."""
    waiting = {n: len(needs[n]) for n in nodes}
    ready = [n for n in nodes if not waiting[n]]
    at = 0
    while at < len(ready):
        for user in users[ready[at]]:
            if user in waiting:
                waiting[user] -= 1
                if not waiting[user]:
                    ready.append(user)
        at += 1
    return ready
