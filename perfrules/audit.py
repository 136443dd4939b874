"""`perfrules audit`: recompute every row of a published score table under its own rules and compare.

The input is a rule file with published scores (`score` in actuals, `expect`), or a 自评表
spreadsheet, imported on the fly; for a spreadsheet every finding points at its cell. This is the
face-level driver: it reads the input, runs it through perfrules.pipeline, and makes the rows with
perfrules.scoring.audit (where the rows and their renderers' types live).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from perfrules import pipeline
from perfrules.findings import Finding, Span
from perfrules.scoring.audit import Audit, AuditRow, AuditTotal, is_about_review, rows, total

if TYPE_CHECKING:
    from perfrules.checks.config import Config
    from perfrules.data.tables import Cell
    from perfrules.settings import Settings

__all__ = ["SPREADSHEETS", "Audit", "AuditRow", "AuditTotal", "audit", "audit_file", "only"]

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".csv")


def audit(path: Path, settings: Settings | Config | None = None,
          sheet: str | None = None) -> tuple[pipeline.Run, list[AuditRow]]:
    done = audit_file(path, settings, sheet)
    assert isinstance(done.run, pipeline.Run)
    return done.run, done.rows


def audit_file(path: Path, settings: Settings | Config | None = None, sheet: str | None = None) -> Audit:
    """Audit a rule file or a 自评表 spreadsheet: every row recomputed, and the total both ways.

    `settings`: as the command line resolved them; None finds the ones of the file's folder.
    """
    if path.suffix.lower() in SPREADSHEETS:
        return _audit_form(path, settings, sheet)
    run = pipeline.analyse(path, None, settings, quiet_missing=True)
    found = rows(run, {})
    return Audit(run, found, total(run, found, ""))


def _audit_form(path: Path, settings: Settings | Config | None, sheet: str | None = None) -> Audit:
    """A 自评表 imported, scored and checked, its findings moved to the cells they are about.

    The imported text is parsed once: the importer compiled it (to prove it compiles) and hands that
    run over, not laid out by the formatter (the audit never shows the text; its lines are the same).
    """
    from perfrules.data.importer import import_form
    from perfrules.data.selfeval import FormError, read_selfeval

    try:
        form = read_selfeval(path, sheet)
    except FormError as error:
        run = pipeline.Run(str(path))
        run.findings.append(Finding.make("PR019", Span.point(str(path), error.row or 1, error.column or 1),
                                         file=str(path), reason=str(error)))
        return Audit(run, [], None)
    imported = import_form(form, path.name, layout=False)
    compiled = imported.run
    if compiled is None:  # never expected: the importer fell back to commenting everything out
        compiled = pipeline.compile_text(imported.text, f"{path}（导入）")
    if settings is None:  # the settings of the form's folder (the imported text is named after the form alone)
        from perfrules.checks.config import ConfigError
        from perfrules.settings import resolve, settings_finding

        try:
            settings = resolve(path)
        except (ConfigError, OSError) as error:
            compiled.findings.append(settings_finding(error, str(path)))
    label = compiled.file
    run = pipeline.analyse_compiled(compiled, settings=settings)
    cells = dict(imported.scores)
    opens = [line.split("#", 1)[0].rstrip().endswith("{") for line in imported.text.split("\n")]
    names = dict(imported.rows)
    moved = []
    for finding in run.findings:
        span = finding.span
        if span is not None and span.file == label:
            # the 复核分 cell, the printed 执行率's cell (PR309) or the 得分 cell
            audited = imported.reviews if is_about_review(finding) else imported.rates if finding.code == "PR309" \
                else cells
            cell = (audited if finding.code.startswith("PR3") else names).get(span.line) or names.get(span.line)
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
    found = rows(run, places)
    return Audit(run, found, total(run, found, form.total_score.address if form.total_score else ""))


def _nearest(names: dict[int, Cell], line: int, opens: bool) -> Cell | None:
    """The row a line without a cell belongs to: a block's first row for a block line, else the row above."""
    if opens:
        below = [at for at in names if at > line]
        if below:
            return names[min(below)]
    above = [at for at in names if at <= line]
    return names[max(above)] if above else None


def _relocate(finding: Finding, span: Span) -> Finding:
    return replace(finding, span=span, source_line="")


def only(done: Audit, findings: list[Finding]) -> Audit:
    """The audit with its rows and total showing only `findings` (those the command reports, after --select)."""
    kept = {id(f) for f in findings}
    kept_rows = [replace(r, findings=tuple(f for f in r.findings if id(f) in kept),
                         codes=tuple(sorted({f.code for f in r.findings if id(f) in kept}))) for r in done.rows]
    kept_total = done.total
    if kept_total is not None:
        mine = tuple(f for f in kept_total.findings if id(f) in kept)
        kept_total = replace(kept_total, findings=mine, codes=tuple(sorted({f.code for f in mine})))
    run = done.run
    assert isinstance(run, pipeline.Run)
    return Audit(replace(run, findings=[f for f in run.findings if id(f) in kept]), kept_rows, kept_total)
