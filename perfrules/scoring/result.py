"""The Result of evaluating a Plan: scores of every indicator and section, total, grade, findings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from perfrules.findings import Finding, Span


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class CheckResult:
    label: str
    left: str
    comparator: str
    right: str
    passed: bool | None  # None when a value was missing
    span: Span | None


@dataclass(frozen=True)
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
    expect: tuple[tuple[str, str, str, bool], ...]  # (what, published, computed, equal)
    findings: tuple[Finding, ...]
    facts: tuple[tuple[str, Decimal | None], ...] = ()  # each fact's value as evaluated (base units)

    def dimensions(self) -> list[SectionResult]:
        return [node for node in self.body if isinstance(node, SectionResult)]

    def indicators(self) -> list[IndicatorResult]:
        return [node for node in _walk(self.body) if isinstance(node, IndicatorResult)]

    def sections(self) -> list[SectionResult]:
        return [node for node in _walk(self.body) if isinstance(node, SectionResult)]


def _walk(nodes: tuple[SectionResult | IndicatorResult, ...]) -> list[SectionResult | IndicatorResult]:
    out: list[SectionResult | IndicatorResult] = []
    for node in nodes:
        out.append(node)
        if isinstance(node, SectionResult):
            out.extend(_walk(node.children))
    return out
