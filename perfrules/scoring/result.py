"""The Result of evaluating a Plan: scores of every indicator and section, total, grade, findings.

A Result holds values (Decimal scores and amounts with their unit, names, status), never text made for
a reader: perfrules.display writes them, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from perfrules import display
from perfrules.findings import Finding, Span
from perfrules.plan.model import Printed
from perfrules.plan.units import Unit
from perfrules.records import record


@record
class IndicatorResult:
    key: str
    name: str
    path: tuple[str, ...]
    weight: Decimal
    kind: str
    method: str
    target: str  # as written
    unit: str
    actual: Decimal | None  # in the indicator's unit
    actual_text: str  # as shown: "80646 人", "达成 100%", "不适用"
    completion: Decimal | None  # a ratio (1.3441 for 134.41%)
    score: Decimal | None  # rounded; None when not applicable
    status: str  # "scored"; "na" (not applicable); "missing" or "text" (no usable actual: scores 0)
    met: bool | None
    reason: str | None
    published: Decimal | None  # the published score of the row, when given
    tier: str | None  # a qualitative actual's tier: 达成, 部分达成, 未达成
    span: Span | None
    extra: RowExtra | None = None  # what the printed row holds, an inferred weight, its own rounding; rarely any

    # Read through `extra` (one field: a result is made per row and per evaluation, most rows have none of these).
    @property
    def review(self) -> Decimal | None:
        """The review score (复核分) of the row, when given."""
        return self.extra.printed.review if self.extra and self.extra.printed else None

    @property
    def published_unreadable(self) -> bool:
        """`score ?`: a published score printed but unreadable."""
        return self.extra.printed.score_unreadable if self.extra and self.extra.printed else False

    @property
    def review_unreadable(self) -> bool:
        return self.extra.printed.review_unreadable if self.extra and self.extra.printed else False

    @property
    def printed_rate(self) -> Decimal | None:
        """`rate 95.3%`: the printed 执行率, as a ratio."""
        return self.extra.printed.rate if self.extra and self.extra.printed else None

    @property
    def printed_rate_text(self) -> str | None:
        """The printed 执行率 as printed: "95.3%"."""
        return self.extra.printed.rate_text if self.extra and self.extra.printed else None

    @property
    def evidence(self) -> str | None:
        """The evidence text beside the actual."""
        return self.extra.printed.evidence if self.extra and self.extra.printed else None

    @property
    def weight_inferred(self) -> bool:
        """`weight 10 inferred`: the form did not print this weight."""
        return self.extra.weight_inferred if self.extra else False

    @property
    def places(self) -> int | None:
        """The row's own rounding places, when it is not the ruleset's."""
        return self.extra.places if self.extra else None

    @property
    def rate_places(self) -> int:
        """The decimals its completion is shown with as a percentage: 2, or more where rounding would cross a
        boundary the scoring used (99.99999999% on a missed 100% target)."""
        return self.extra.rate_places or 2 if self.extra else 2

    def completion_text(self, none: str = "") -> str:
        """The completion as a percentage, as every report shows it: `95.27%`, `99.99999999%`."""
        return display.percent(self.completion, none, self.rate_places)


@record
class RowExtra:
    """The rare parts of an indicator's result: what its printed row holds, an inferred weight, its own rounding."""

    printed: Printed | None = None
    weight_inferred: bool = False
    places: int | None = None
    rate_places: int | None = None  # decimals its completion needs as a percentage beside a boundary (display.rate_places)


@record
class SectionResult:
    key: str
    name: str
    path: tuple[str, ...]
    kind: str
    weight: Decimal
    applicable: Decimal  # the weight of the indicators that apply
    score: Decimal
    rate: Decimal | None  # score / applicable weight
    children: tuple[SectionResult | IndicatorResult, ...]
    span: Span | None
    weight_inferred: bool = False  # `weight 40 inferred`


@record
class CheckResult:
    """A `check` of the rule file's own: both sides' values (base units) and whether it holds."""

    label: str
    left: Decimal | None  # in base units (元 for money, a ratio for a percentage); None when not computable
    comparator: str
    right: Decimal | None
    passed: bool | None  # None when a value was missing
    span: Span | None
    unit: Unit | None = None  # the unit both sides are shown in (money in 万元, a percentage), None for a number
    places: int = 2  # the ruleset's rounding, which the sides are shown with
    rounding: str = ROUND_HALF_UP

    def texts(self) -> tuple[str, str]:
        """Both sides as shown (`2272.69 万元`, `60.00%`, `12`); `?` for both when either is missing."""
        if self.left is None or self.right is None:
            return "?", "?"
        return (display.check_value(self.left, self.unit, self.places, self.rounding),
                display.check_value(self.right, self.unit, self.places, self.rounding))


@record
class ExpectResult:
    """One `expect` item: the published figure beside the computed one."""

    target: str  # "total", "grade", or a section's or indicator's key
    published: Decimal | str  # as the expect line gives it (a score, or a grade's name)
    computed: Decimal | str | None  # the score rounded to the ruleset's places, or the grade; None without a score
    equal: bool | None  # a difference (False) is reported by check PR308; None: not compared (a verbal grade)
    verbal: bool = False  # a published grade that is no band's name: kept as text, not compared
    places: int = 2
    rounding: str = ROUND_HALF_UP
    quoted: bool = False  # the grade was written quoted (a verbal grade); unquoted and no band's name: a band mistyped

    def label(self, lang: str = "zh") -> str:
        return display.expect_label(self.target, lang)

    def published_text(self) -> str:
        return str(self.published)

    def computed_text(self, lang: str = "zh") -> str:
        if isinstance(self.computed, str):
            if not self.verbal:
                return self.computed
            return display.verbal_grade(self.computed, lang) if self.quoted else display.unknown_grade(self.computed, lang)
        return display.score(self.computed, self.places, self.rounding)


@record
class Result:
    ruleset: str
    year: int | None
    kind: str
    file: str
    total_weight: Decimal
    total: Decimal
    grade: str
    rescaled: bool  # some indicators did not apply and the total was rescaled
    body: tuple[SectionResult | IndicatorResult, ...]
    checks: tuple[CheckResult, ...]
    expect: tuple[ExpectResult, ...]
    findings: tuple[Finding, ...]
    facts: tuple[tuple[str, Decimal | None], ...] = ()  # each fact's value as evaluated (base units)

    # The lookups below are made once per Result (frozen, so they never go stale) and shared: read
    # them, never change them. `indicators()` and `sections()` return fresh lists of the same.

    @cached_property
    def nodes(self) -> tuple[SectionResult | IndicatorResult, ...]:
        """Every section and indicator result, depth first in the plan's order."""
        return tuple(_walk(self.body))

    @cached_property
    def all_indicators(self) -> tuple[IndicatorResult, ...]:
        return tuple(node for node in self.nodes if type(node) is IndicatorResult)

    @cached_property
    def all_sections(self) -> tuple[SectionResult, ...]:
        return tuple(node for node in self.nodes if type(node) is SectionResult)

    @cached_property
    def indicator_by_key(self) -> Mapping[str, IndicatorResult]:
        return {i.key: i for i in self.all_indicators}

    @cached_property
    def section_by_key(self) -> Mapping[str, SectionResult]:
        return {s.key: s for s in self.all_sections}

    @cached_property
    def node_by_key(self) -> Mapping[str, SectionResult | IndicatorResult]:
        """Every section and indicator result by its key (an indicator's key is never a section's)."""
        return {n.key: n for n in self.nodes}

    def indicator(self, key: str) -> IndicatorResult | None:
        return self.indicator_by_key.get(key)

    def section(self, key: str) -> SectionResult | None:
        return self.section_by_key.get(key)

    @cached_property
    def scored(self) -> tuple[IndicatorResult, ...]:
        """The indicators with a usable actual (status "scored")."""
        return tuple(i for i in self.all_indicators if i.status == "scored")

    def dimensions(self) -> list[SectionResult]:
        return [node for node in self.body if isinstance(node, SectionResult)]

    def indicators(self) -> list[IndicatorResult]:
        return list(self.all_indicators)

    def sections(self) -> list[SectionResult]:
        return list(self.all_sections)


def _walk(nodes: tuple[SectionResult | IndicatorResult, ...]) -> list[SectionResult | IndicatorResult]:
    """`nodes` and everything under them, depth first (without recursion)."""
    out: list[SectionResult | IndicatorResult] = []
    stack: list[SectionResult | IndicatorResult] = list(reversed(nodes))
    while stack:
        node = stack.pop()
        out.append(node)
        if type(node) is SectionResult:
            stack.extend(reversed(node.children))
    return out
