"""What the history of a ruleset is: earlier years' targets and actuals, matched to the current indicators.

Values are kept as written (in the unit written that year); `Series` holds them converted to the
current indicator's unit, or None where the units cannot be converted (人 against 场).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from perfrules.display import measured
from perfrules.findings import Span
from perfrules.plan.units import Unit


@dataclass(frozen=True)
class Point:
    """One indicator in one earlier year, as that year's file wrote it."""

    year: int
    key: str  # its path in that year's file (or the name or path a `history` line gives)
    name: str
    comparator: str | None  # None when the source gives no target (a data file)
    target: Decimal | None  # in `unit`
    actual: Decimal | None  # in `unit`
    unit: Unit
    span: Span | None
    source: str


@dataclass(frozen=True)
class Year:
    year: int
    source: str
    points: tuple[Point, ...]
    budget: Decimal | None = None  # 元 (base units)
    budget_span: Span | None = None


@dataclass(frozen=True)
class Past:
    """A matched point in the current indicator's unit; `target`/`actual` None when not convertible."""

    point: Point
    how: str  # "path", "name" or "normalised"
    target: Decimal | None
    actual: Decimal | None
    convertible: bool

    @property
    def year(self) -> int:
        return self.point.year


@dataclass(frozen=True)
class Series:
    """One current quantitative indicator with its history, oldest year first, values in `unit`."""

    key: str
    name: str
    comparator: str
    target: Decimal | None  # this year's target, in `unit`
    actual: Decimal | None  # this year's actual where given, in `unit`
    unit: Unit
    span: Span | None
    past: tuple[Past, ...]
    places: int  # decimal places the values are written with: the precision of a suggested target

    @property
    def positive(self) -> bool:
        """A `>=` indicator (more is better); `<=` indicators are the mirror."""
        return self.comparator in (">=", ">", "=")

    def last(self) -> Past | None:
        """The most recent earlier year with a usable actual."""
        usable = [p for p in self.past if p.actual is not None]
        return usable[-1] if usable else None

    def mean(self, years: int) -> Decimal | None:
        """The mean actual of the last `years` earlier years that have one."""
        usable = [p.actual for p in self.past if p.actual is not None][-years:] if years > 0 else []
        return sum(usable, Decimal(0)) / len(usable) if usable else None


@dataclass(frozen=True)
class History:
    year: int | None  # the current year
    budget: Decimal | None  # this year's budget, 元
    years: tuple[Year, ...]  # oldest first
    series: tuple[Series, ...]
    unmatched: tuple[Point, ...]  # earlier indicators no current one matched (reported, never guessed)
    next_keys: dict[tuple[int, str], bool]  # (year, key) -> whether the next year still has that indicator

    def by_key(self) -> dict[str, Series]:
        return {s.key: s for s in self.series}


def show(value: Decimal | None, unit: Unit) -> str:
    """A value with its unit as a table writes it: `10 场`, `95%`, `12.5 万元`."""
    return measured(value, unit)
