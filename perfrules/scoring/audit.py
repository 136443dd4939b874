"""Audit rows: a scored result set beside the published scores, row by row and in total.

Made here, beside the result they are computed from, so that the renderers (render/audit.py,
render/audit_paper.py) import an earlier stage and never the `perfrules audit` driver
(perfrules/audit.py), which reads the input, runs the pipeline and calls `rows` and `total`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from perfrules.display import expect_label
from perfrules.findings import Finding

if TYPE_CHECKING:
    from perfrules.plan.model import Plan
    from perfrules.scoring.result import Result


class Audited(Protocol):
    """What an audit reads of a run (perfrules.pipeline.Run has it): its file, plan, result and findings."""

    file: str
    plan: Plan | None
    result: Result | None
    findings: list[Finding]

    def sorted_findings(self) -> list[Finding]: ...


@dataclass(frozen=True)
class AuditRow:
    """One indicator row side by side: the published score, the score its own rule gives, and why they differ."""

    name: str
    weight: Decimal
    published: Decimal | None
    computed: Decimal | None
    codes: tuple[str, ...]
    where: str  # the cell of the published score, or the rule file's line
    path: tuple[str, ...] = ()
    method: str = ""  # the scoring method of the rule used: ratio, linear, equal, execution, steps, ...
    target: str = ""  # the target as written: "<= 5300 元/户"
    actual: str = ""  # the actual as shown: "5830 元/户"
    reason: str = ""  # 偏差原因 as written
    key: str = ""  # the indicator's key in the plan
    findings: tuple[Finding, ...] = field(default=(), compare=False)  # the row's own findings (their codes above)
    review: Decimal | None = None  # the row's review score (复核分, `review N`), audited like the published one
    published_unreadable: bool = False  # `score ?`: a published score printed but unreadable
    review_unreadable: bool = False  # `review ?`: a review score printed but unreadable
    evidence: str | None = None  # the evidence text beside the actual (佐证)
    printed_rate: str | None = None  # the 执行率 the row prints (`rate 95.3%`), as printed

    @property
    def review_findings(self) -> tuple[Finding, ...]:
        """The findings about the review score (PR301.review, PR305.review, PR306.review)."""
        return tuple(f for f in self.findings if is_about_review(f))

    @property
    def score_findings(self) -> tuple[Finding, ...]:
        """The row's other findings: about its published score, its actual, its rule."""
        return tuple(f for f in self.findings if not is_about_review(f))

    @property
    def difference(self) -> Decimal | None:
        """published − recomputed; None when either is missing."""
        if self.published is None or self.computed is None:
            return None
        return self.published - self.computed


# The audit findings about the whole table rather than a row: the total (PR302, PR308) and the grade (PR303).
TOTAL_CODES = frozenset({"PR302", "PR303", "PR308"})


@dataclass(frozen=True)
class AuditTotal:
    """The total both ways: as published (the total cell, and the sum of the published rows) and recomputed."""

    weight: Decimal
    published: Decimal | None  # the published total (`expect total`, the form's 总分 cell)
    published_sum: Decimal | None  # the sum of the published row scores; None when no row publishes one
    computed: Decimal
    grade: str
    published_grade: str | None
    codes: tuple[str, ...]
    where: str
    findings: tuple[Finding, ...] = field(default=(), compare=False)

    @property
    def difference(self) -> Decimal | None:
        return None if self.published is None else self.published - self.computed


@dataclass(frozen=True)
class Audit:
    """An audited file: the run (plan, result, findings), its rows and its total."""

    run: Audited
    rows: list[AuditRow]
    total: AuditTotal | None


def rows(run: Audited, places: dict[int, tuple[int, str]]) -> list[AuditRow]:
    """One row per indicator; `places` maps a rule-file line to its spreadsheet row and score cell."""
    if run.result is None:
        return []
    at: dict[int, list[Finding]] = {}
    for finding in run.findings:
        if finding.span is not None and finding.span.file == run.file:
            at.setdefault(finding.span.line, []).append(finding)
    out = []
    for ind in run.result.indicators():
        line = ind.span.line if ind.span else 0
        row, where = places.get(line, (line, f"第 {line} 行"))
        mine = tuple(f for f in at.get(row, []) if not about_total(f))
        found = tuple(sorted({f.code for f in mine}))
        out.append(AuditRow(ind.name, ind.weight, ind.published, ind.score, found, where, ind.path, ind.method,
                            ind.target, ind.actual_text, ind.reason or "", ind.key, mine, ind.review,
                            ind.published_unreadable, ind.review_unreadable, ind.evidence, ind.printed_rate_text))
    return out


def total(run: Audited, audit_rows: list[AuditRow], where: str) -> AuditTotal | None:
    """The total both ways; `where` is the published total's cell (a form) or "" (the `expect` line is used)."""
    result, plan = run.result, run.plan
    if result is None or plan is None:
        return None
    published = grade = None
    for expect in plan.expect:
        if expect.target == "total" and isinstance(expect.value, Decimal):
            published = expect.value
            if not where and expect.span is not None:
                where = f"第 {expect.span.line} 行"
        elif expect.target == "grade":
            grade = str(expect.value)
    shown = [r.published for r in audit_rows if r.published is not None]
    summed = sum(shown, Decimal(0)) if shown else None
    about = tuple(f for f in run.sorted_findings() if about_total(f))
    codes = tuple(sorted({f.code for f in about}))
    return AuditTotal(result.total_weight, published, summed, result.total, result.grade, grade, codes, where, about)


def is_about_review(finding: Finding) -> bool:
    """A finding about a row's review score (复核分) rather than its published score: its message variant says so
    (`PR301.review`, `PR301.review_over`, `PR301.review_text`, …)."""
    return finding.key.partition(".")[2].startswith("review")


def about_total(finding: Finding) -> bool:
    """PR302 and PR303, and PR308 on the `expect total` line (not on a section's expect)."""
    if finding.code != "PR308":
        return finding.code in TOTAL_CODES
    return finding.arg("name") in (expect_label("total"), expect_label("grade"))
