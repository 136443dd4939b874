"""Audit a published score table: recompute every row under its own rules and compare.

The input is a rule file with published scores (`score` in actuals, `expect`), or a 自评表
spreadsheet, imported on the fly; for a spreadsheet every finding points at its cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from perfrules import pipeline
from perfrules.findings import Finding, Span

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".csv")


@dataclass(frozen=True)
class AuditRow:
    name: str
    weight: Decimal
    published: Decimal | None
    computed: Decimal | None
    codes: tuple[str, ...]
    where: str  # the cell of the published score, or the rule file's line


def audit(path: Path, config: object | None = None, sheet: str | None = None) -> tuple[pipeline.Run, list[AuditRow]]:
    if path.suffix.lower() in SPREADSHEETS:
        return _audit_form(path, config, sheet)
    run = pipeline.analyse(path, None, config, quiet_missing=True)
    return run, _rows(run, {})


def _audit_form(path: Path, config: object | None, sheet: str | None = None) -> tuple[pipeline.Run, list[AuditRow]]:
    from perfrules.data.importer import import_form
    from perfrules.data.selfeval import FormError, read_selfeval

    try:
        form = read_selfeval(path, sheet)
    except FormError as error:
        run = pipeline.Run(str(path))
        run.findings.append(Finding.make("PR019", Span.point(str(path), error.row or 1, error.column or 1),
                                         file=str(path), reason=str(error)))
        return run, []
    imported = import_form(form, path.name)
    label = f"{path}（导入）"
    run = pipeline.compile_text(imported.text, label)
    run = pipeline.check_run(pipeline.evaluate_run(run), config)
    cells = {line: cell for line, cell in imported.scores.items()}
    names = {line: cell for line, cell in imported.rows.items()}
    moved = []
    for finding in run.findings:
        span = finding.span
        if span is not None and span.file == label:
            cell = (cells if finding.code.startswith("PR3") else names).get(span.line) or names.get(span.line)
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
    return run, _rows(run, places)


def _relocate(finding: Finding, span: Span) -> Finding:
    from dataclasses import replace

    return replace(finding, span=span, source_line="")


def _rows(run: pipeline.Run, places: dict[int, tuple[int, str]]) -> list[AuditRow]:
    """One row per indicator; `places` maps a rule-file line to its spreadsheet row and score cell."""
    if run.result is None:
        return []
    codes: dict[int, list[str]] = {}
    for finding in run.findings:
        if finding.span is not None and finding.span.file == run.file:
            codes.setdefault(finding.span.line, []).append(finding.code)
    rows = []
    for ind in run.result.indicators():
        line = ind.span.line if ind.span else 0
        row, where = places.get(line, (line, f"第 {line} 行"))
        found = tuple(sorted(set(codes.get(row, []))))
        rows.append(AuditRow(ind.name, ind.weight, ind.published, ind.score, found, where))
    return rows
