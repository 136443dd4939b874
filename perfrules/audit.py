"""Audit a published score table: recompute every row under its own rules and compare.

The input is a rule file with published scores (`score` in actuals, `expect`), or a 自评表
spreadsheet, imported on the fly; for a spreadsheet every finding points at its cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from perfrules import pipeline
from perfrules.findings import Finding, Span

if TYPE_CHECKING:
    from perfrules.data.tables import Cell

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".csv")


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

    run: pipeline.Run
    rows: list[AuditRow]
    total: AuditTotal | None


def audit(path: Path, config: object | None = None, sheet: str | None = None) -> tuple[pipeline.Run, list[AuditRow]]:
    done = audit_file(path, config, sheet)
    return done.run, done.rows


def audit_file(path: Path, config: object | None = None, sheet: str | None = None) -> Audit:
    """Audit a rule file or a 自评表 spreadsheet: every row recomputed, and the total both ways."""
    if path.suffix.lower() in SPREADSHEETS:
        return _audit_form(path, config, sheet)
    run = pipeline.analyse(path, None, config, quiet_missing=True)
    rows = _rows(run, {})
    return Audit(run, rows, _total(run, rows, ""))


def _audit_form(path: Path, config: object | None, sheet: str | None = None) -> Audit:
    from perfrules.data.importer import import_form
    from perfrules.data.selfeval import FormError, read_selfeval

    try:
        form = read_selfeval(path, sheet)
    except FormError as error:
        run = pipeline.Run(str(path))
        run.findings.append(Finding.make("PR019", Span.point(str(path), error.row or 1, error.column or 1),
                                         file=str(path), reason=str(error)))
        return Audit(run, [], None)
    imported = import_form(form, path.name)
    label = f"{path}（导入）"
    run = pipeline.compile_text(imported.text, label)
    run = pipeline.check_run(pipeline.evaluate_run(run), config)
    cells = {line: cell for line, cell in imported.scores.items()}
    opens = [line.split("#", 1)[0].rstrip().endswith("{") for line in imported.text.split("\n")]
    names = {line: cell for line, cell in imported.rows.items()}
    moved = []
    for finding in run.findings:
        span = finding.span
        if span is not None and span.file == label:
            cell = (cells if finding.code.startswith("PR3") else names).get(span.line) or names.get(span.line)
            if cell is None:  # a line of the imported text with no cell of its own: the row it belongs to
                cell = _nearest(names, span.line, opens[span.line - 1] if 0 < span.line <= len(opens) else False)
            if cell is None and form.money:
                cell = form.money.get("score") or form.money.get("spent")
            if cell is not None:
                finding = _relocate(finding, Span(str(path), cell.row, cell.column, cell.row, cell.column + 1))
            else:
                finding = _relocate(finding, Span.point(str(path), 1, 1))
        moved.append(finding)
    run.findings = moved + imported.findings
    run.file = str(path)
    places = {line: (cell.row, cells[line].address if line in cells else cell.address) for line, cell in names.items()}
    rows = _rows(run, places)
    return Audit(run, rows, _total(run, rows, form.total_score.address if form.total_score else ""))


def _nearest(names: dict[int, Cell], line: int, opens: bool) -> Cell | None:
    """The row a line without a cell belongs to: a block's first row for a block line, else the row above."""
    if opens:
        below = [at for at in names if at > line]
        if below:
            return names[min(below)]
    above = [at for at in names if at <= line]
    return names[max(above)] if above else None


def _relocate(finding: Finding, span: Span) -> Finding:
    from dataclasses import replace

    return replace(finding, span=span, source_line="")


def _rows(run: pipeline.Run, places: dict[int, tuple[int, str]]) -> list[AuditRow]:
    """One row per indicator; `places` maps a rule-file line to its spreadsheet row and score cell."""
    if run.result is None:
        return []
    at: dict[int, list[Finding]] = {}
    for finding in run.findings:
        if finding.span is not None and finding.span.file == run.file:
            at.setdefault(finding.span.line, []).append(finding)
    rows = []
    for ind in run.result.indicators():
        line = ind.span.line if ind.span else 0
        row, where = places.get(line, (line, f"第 {line} 行"))
        mine = tuple(f for f in at.get(row, []) if not _about_total(f))
        found = tuple(sorted({f.code for f in mine}))
        rows.append(AuditRow(ind.name, ind.weight, ind.published, ind.score, found, where, ind.path, ind.method,
                             ind.target, ind.actual_text, ind.reason or "", ind.key, mine))
    return rows


def _total(run: pipeline.Run, rows: list[AuditRow], where: str) -> AuditTotal | None:
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
    shown = [r.published for r in rows if r.published is not None]
    summed = sum(shown, Decimal(0)) if shown else None
    about = tuple(f for f in run.sorted_findings() if _about_total(f))
    codes = tuple(sorted({f.code for f in about}))
    return AuditTotal(result.total_weight, published, summed, result.total, result.grade, grade, codes, where, about)


def _about_total(finding: Finding) -> bool:
    """PR302 and PR303, and PR308 on the `expect total` line (not on a section's expect)."""
    if finding.code != "PR308":
        return finding.code in TOTAL_CODES
    return finding.arg("name") in ("总分 total", "等级 grade")


def only(done: Audit, findings: list[Finding]) -> Audit:
    """The audit with its rows and total showing only `findings` (those the command reports, after --select)."""
    from dataclasses import replace

    kept = {id(f) for f in findings}
    rows = [replace(r, findings=tuple(f for f in r.findings if id(f) in kept),
                    codes=tuple(sorted({f.code for f in r.findings if id(f) in kept}))) for r in done.rows]
    total = done.total
    if total is not None:
        mine = tuple(f for f in total.findings if id(f) in kept)
        total = replace(total, findings=mine, codes=tuple(sorted({f.code for f in mine})))
    run = replace(done.run, findings=[f for f in done.run.findings if id(f) in kept])
    return Audit(run, rows, total)
