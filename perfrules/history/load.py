"""Earlier years in: rule files (with actuals), data files, 自评表 spreadsheets, and the `history` block.

A rule file gives each indicator's target and actual and the year's budget. A data file
(JSON/YAML/CSV/XLSX, as `--data` reads it) gives only actuals, read against the current plan. A
spreadsheet is tried as a 自评表 first (imported as `perfrules import` would) and read as a data
file when it is not one. The year is the ruleset's `year`, else a year (19xx/20xx) in the file
name, else the year before the next one given (PREV files oldest first, the last one last year).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from perfrules.findings import Finding, Span, is_input_error
from perfrules.history.model import Point, Year
from perfrules.plan.units import PLAIN, Unit, parse_unit
from perfrules.scoring.budget import budget_of

if TYPE_CHECKING:
    from perfrules.pipeline import Run
    from perfrules.plan.model import Plan
    from perfrules.syntax.ast import HistoryItem

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".csv")
DATA = (".json", ".yaml", ".yml")
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def load_years(paths: Sequence[str | Path], plan: Plan) -> tuple[list[Year], list[Finding]]:
    """The earlier years the files give, and the input errors met reading them (located, blocking)."""
    years: list[Year] = []
    findings: list[Finding] = []
    undated: list[int] = []
    for path in paths:
        year, problems = load_year(Path(path), plan)
        findings += problems
        if year is not None:
            if year.year == 0:
                undated.append(len(years))
            years.append(year)
    _date(years, undated, plan.year)
    return years, findings


def _date(years: list[Year], undated: list[int], current: int | None) -> None:
    """Give undated years the year before the next one (the last file: the year before `current`)."""
    following = current or 0
    for index in range(len(years) - 1, -1, -1):
        if index in undated:
            years[index] = _with_year(years[index], following - 1)
        following = years[index].year


def _with_year(year: Year, number: int) -> Year:
    from dataclasses import replace

    return replace(year, year=number, points=tuple(replace(p, year=number) for p in year.points))


def load_year(path: Path, plan: Plan) -> tuple[Year | None, list[Finding]]:
    suffix = path.suffix.lower()
    if suffix in SPREADSHEETS:
        form = _form_run(path)
        if form is not None:
            return form
        return _data_year(path, plan)
    if suffix in DATA:
        return _data_year(path, plan)
    from perfrules import pipeline

    run = pipeline.evaluate_run(pipeline.compile_file(path))
    return _run_year(run, str(path))


def _form_run(path: Path) -> tuple[Year | None, list[Finding]] | None:
    """A 自评表 imported and evaluated, its points placed at their cells; None when it is not a 自评表."""
    from dataclasses import replace

    from perfrules import pipeline
    from perfrules.data.importer import import_form
    from perfrules.data.selfeval import FormError, read_selfeval

    try:
        form = read_selfeval(path)
    except FormError:
        return None
    imported = import_form(form, path.name, layout=False)  # compiled once, by the importer
    compiled = imported.run if imported.run is not None else pipeline.compile_text(imported.text, f"{path}（导入）")
    run = pipeline.evaluate_run(compiled)
    year, findings = _run_year(run, str(path))
    if year is None:
        return None, findings
    points = []
    for point in year.points:
        cell = imported.rows.get(point.span.line) if point.span is not None else None
        span = Span(str(path), cell.row, cell.column, cell.row, cell.column + 1) if cell else Span.point(str(path), 1, 1)
        points.append(replace(point, span=span))
    return replace(year, points=tuple(points)), findings


def _run_year(run: Run, source: str) -> tuple[Year | None, list[Finding]]:
    problems = [f for f in run.findings if is_input_error(f)]
    if run.plan is None or problems:
        return None, problems
    plan, result = run.plan, run.result
    actuals = result.indicator_by_key if result is not None else {}
    number = plan.year or _year_in_name(source)
    points = []
    for ind in plan.all_indicators:
        if ind.kind != "quantitative" or ind.comparator in (None, "in") or ind.target is None:
            continue
        scored = actuals.get(ind.key)
        actual = scored.actual if scored is not None and scored.status == "scored" else None
        points.append(Point(number, ind.key, ind.name, ind.comparator, ind.unit.from_base(ind.target), actual,
                            ind.unit, ind.span, source))
    found = budget_of(plan, result)
    budget, span = (found[1], found[0].span) if found is not None else (None, None)
    return Year(number, source, tuple(points), budget, span), []


def _data_year(path: Path, plan: Plan) -> tuple[Year | None, list[Finding]]:
    from perfrules.data.actuals import load_actuals

    actuals, findings = load_actuals(path, plan)
    problems = [f for f in findings if is_input_error(f)]
    if problems:
        return None, problems
    indicators = plan.indicator_by_key
    number = _year_in_name(str(path))
    points = []
    for actual in actuals:
        ind = indicators.get(actual.key)
        if ind is None or actual.kind != "quantity" or actual.value is None:
            continue
        unit = actual.unit if actual.unit is not None and not actual.unit.is_plain else ind.unit
        points.append(Point(number, ind.key, ind.name, None, None, unit.from_base(actual.value), unit, actual.span,
                            str(path)))
    return Year(number, str(path), tuple(points)), []


def _year_in_name(source: str) -> int:
    found = _YEAR.findall(Path(source).name)
    return int(found[-1]) if found else 0


def block_years(items: Sequence[HistoryItem], file: str) -> list[Year]:
    """The years of a rule file's own `history` block."""
    by_year: dict[int, list[HistoryItem]] = {}
    for item in items:
        by_year.setdefault(item.year, []).append(item)
    years = []
    for number in sorted(by_year):
        points = []
        budget: Decimal | None = None
        budget_span: Span | None = None
        for item in by_year[number]:
            if item.ref is None:
                budget, budget_span = parse_unit(item.target.unit).to_base(item.target.value), item.span
                continue
            unit = _unit(item.target.unit, item.actual.unit if item.actual else None)
            actual = item.actual.value if item.actual is not None else None
            points.append(Point(number, item.ref, item.ref.rsplit("/", 1)[-1], item.comparator, item.target.value,
                                actual, unit, item.span, file))
        years.append(Year(number, file, tuple(points), budget, budget_span))
    return years


def _unit(target: str | None, actual: str | None) -> Unit:
    return parse_unit(target) if target else parse_unit(actual) if actual else PLAIN
