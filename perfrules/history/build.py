"""Put a run and its earlier years together: match every year to the current plan, convert units."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from perfrules import limits
from perfrules.history.match import match
from perfrules.history.model import History, Past, Point, Series, Year
from perfrules.plan.units import Unit
from perfrules.scoring.budget import budget_of

if TYPE_CHECKING:
    from perfrules.plan.model import Plan
    from perfrules.scoring.result import Result


def build(plan: Plan, result: Result | None, years: Sequence[Year]) -> History:
    """The history of `plan`: earlier `years` (merged by year, later sources first) matched to it."""
    merged = _merge(years)
    current = [(i.key, i.name) for i in plan.all_indicators if _quantitative(i.kind, i.comparator, i.target)]
    indicators = plan.indicator_by_key
    actuals = result.indicator_by_key if result is not None else {}
    matched: dict[str, list[Past]] = {key: [] for key, _name in current}
    unmatched: list[Point] = []
    for year in merged:
        found = match(current, [(p.key, p.name) for p in year.points])
        for index, point in enumerate(year.points):
            if index not in found:
                unmatched.append(point)
                continue
            key, how = found[index]
            matched[key].append(_past(point, how, indicators[key].unit))
    series = []
    for key, _name in current:
        ind = indicators[key]
        scored = actuals.get(key)
        actual = scored.actual if scored is not None and scored.status == "scored" else None
        assert ind.comparator is not None and ind.target is not None
        past = tuple(sorted(matched[key], key=lambda p: p.year))
        series.append(Series(key, ind.name, ind.comparator, ind.unit.from_base(ind.target), actual, ind.unit, ind.span,
                             past, _places(ind.target_text, past)))
    budget_fact = budget_of(plan, result)
    budget = budget_fact[1] if budget_fact is not None else None
    return History(plan.year, budget, tuple(merged), tuple(series), tuple(unmatched), _kept(merged, current))


def _quantitative(kind: str, comparator: str | None, target: Decimal | None) -> bool:
    return kind == "quantitative" and comparator not in (None, "in") and target is not None


def _merge(years: Sequence[Year]) -> list[Year]:
    """One Year per year number, oldest first; where two sources give one year, the first given wins a point."""
    from dataclasses import replace

    by_number: dict[int, Year] = {}
    for year in years:
        have = by_number.get(year.year)
        if have is None:
            by_number[year.year] = year
            continue
        keys = {p.key for p in have.points}
        extra = tuple(p for p in year.points if p.key not in keys)
        by_number[year.year] = replace(have, points=have.points + extra, budget=have.budget if have.budget is not None
                                       else year.budget, budget_span=have.budget_span or year.budget_span)
    return [by_number[n] for n in sorted(by_number)]


def _past(point: Point, how: str, unit: Unit) -> Past:
    convert = _converter(point.unit, unit)
    if convert is None:
        return Past(point, how, None, None, False)
    target = convert(point.target) if point.target is not None else None
    actual = convert(point.actual) if point.actual is not None else None
    return Past(point, how, target, actual, True)


def _converter(source: Unit, unit: Unit) -> Callable[[Decimal], Decimal] | None:
    if source.is_plain or source.text == unit.text:
        return lambda value: value
    if not source.compatible(unit) or (source.is_percent != unit.is_percent and not unit.is_plain):
        return None
    return lambda value: unit.from_base(source.to_base(value))


def _places(target_text: str, past: Sequence[Past]) -> int:
    """The decimal places the target and the earlier values are written with (in the current unit)."""
    places = [_decimals(word) for word in target_text.replace("%", " ").replace("‰", " ").split() if _number(word)]
    for p in past:
        if p.convertible and p.target == p.point.target:  # written in the current unit
            places += [_decimals(f"{value:f}") for value in (p.point.target, p.point.actual) if value is not None]
    # a computed value (a rate from a formula) carries every digit of its division: not a precision anyone wrote
    return min(max(places, default=0), limits.MAX_FRACTION_DIGITS)


def _number(word: str) -> bool:
    try:
        Decimal(word)
    except ArithmeticError:
        return False
    return True


def _decimals(word: str) -> int:
    return len(word.split(".", 1)[1]) if "." in word else 0


def _kept(years: Sequence[Year], current: Sequence[tuple[str, str]]) -> dict[tuple[int, str], bool]:
    """(year, key) -> whether the next year (or the current plan, after the last) still has the indicator."""
    kept: dict[tuple[int, str], bool] = {}
    for index, year in enumerate(years):
        following = [(p.key, p.name) for p in years[index + 1].points] if index + 1 < len(years) else list(current)
        found = match(following, [(p.key, p.name) for p in year.points])
        for position, point in enumerate(year.points):
            kept[(year.year, point.key)] = position in found
    return kept
