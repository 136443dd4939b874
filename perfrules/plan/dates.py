"""Dates: deadlines (`完成时间 <= 2023-12-31`), month targets (`<= 12 月`, `<= 2023-12`) and date actuals.

A date is held as its day number (`date.toordinal()`: 0001-01-01 is 1) in one of two units that share a
dimension of their own, so a date is comparable only with a date, never with a number (PR013):
`DAY` for a date written to the day, `MONTH` for a month (held as the month's first day). Whether a row
is met, and how late it is, is decided here; the scoring method (`scoring.methods.deadline`) only reads it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from perfrules import vocabulary
from perfrules.findings import Finding
from perfrules.plan.units import Unit
from perfrules.records import record

if TYPE_CHECKING:  # loading and scoring a plan file never imports the grammar's package
    from perfrules.syntax import ast

DIMENSION = (("日期", 1),)
DAY = Unit("日期", Decimal(1), DIMENSION)
MONTH = Unit("月份", Decimal(1), DIMENSION)
DAY_UNITS = vocabulary.DAY_UNITS  # `deduct 1 per 天`
MONTH_UNITS = vocabulary.MONTH_UNITS  # `deduct 1 per 月`; `12 月` as a target is December of the ruleset's year

FIRST_YEAR, LAST_YEAR = 1000, 9000  # the years a date may have: a day or a month either side is still a date
_WRITTEN = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?|年(\d{1,2})月(?:(\d{1,2})日)?)")


def is_date(unit: Unit | None) -> bool:
    return unit is not None and unit.dims == DIMENSION


@record
class Written:
    """A date as read from its text, before it is checked: year, month, and the day (None for a month)."""

    year: int
    month: int
    day: int | None


def read(text: str) -> Written | None:
    """The parts of `2023-12-31`, `2023-12`, `2023年12月31日`, `2023年12月`; None when the text is not one."""
    m = _WRITTEN.fullmatch(text.strip())
    if m is None:
        return None
    year = int(m[1])
    month = int(m[2] or m[4])
    day = m[3] or m[5]
    return Written(year, month, int(day) if day else None)


def problem(written: Written) -> tuple[str, dict[str, Any]] | None:
    """Why the written date does not exist (a message variant and its args), or None when it does."""
    if not FIRST_YEAR <= written.year <= LAST_YEAR:  # 0023 or 9999: a typo, and a bound every date stays inside
        return "date_year_range", {"first": FIRST_YEAR, "last": LAST_YEAR}
    if not 1 <= written.month <= 12:
        return "date_month", {}
    if written.day is not None:
        days = _monthrange(written.year, written.month)[1]
        if not 1 <= written.day <= days:
            return "date_day", {"year": written.year, "month": written.month, "days": days}
    return None


def day_number(written: Written) -> Decimal:
    """The day number of a checked date (of a month's first day for a month)."""
    return Decimal(date(written.year, written.month, written.day or 1).toordinal())


def from_python(value: date) -> str:
    """A date object (a YAML date, an xlsx date cell) as the language writes it."""
    return value.isoformat()


def iso(value: Decimal, unit: Unit) -> str:
    """`2023-12-31` for a day, `2023-12` for a month."""
    day = date.fromordinal(int(value))
    return day.isoformat() if unit.text != MONTH.text else f"{day.year:04d}-{day.month:02d}"


def parse_iso(text: str) -> tuple[Decimal, Unit] | None:
    """The day number and unit of a plan file's `2023-12-31` or `2023-12`; None when it is not a real date."""
    written = read(text)
    if written is None or problem(written) is not None:
        return None
    return day_number(written), DAY if written.day is not None else MONTH


def date_target(target: ast.Quantity, year: int | None, name: str, code: str,
                findings: list[Finding]) -> tuple[Decimal, Unit] | None:
    """The day number and unit (DAY or MONTH) of a written date, or of `12 月` in `year`.

    An impossible date is a finding under `code` (PR014 for a target, PR018 for an actual)."""
    if target.date is None:  # `12 月`: a month of the ruleset's year
        if target.value != target.value.to_integral_value() or not 1 <= target.value <= 12:
            findings.append(Finding.make(code, target.span, key=f"{code}.date_month", value=target))
            return None
        if year is None:
            findings.append(Finding.make(code, target.span, key=f"{code}.date_year", name=name, value=target))
            return None
        return day_number(Written(year, int(target.value), None)), MONTH
    written = read(target.date)
    assert written is not None  # the grammar's DATE
    wrong = problem(written)
    if wrong is not None:
        variant, args = wrong
        findings.append(Finding.make(code, target.span, key=f"{code}.{variant}", value=target, **args))
        return None
    return day_number(written), DAY if written.day is not None else MONTH


# ---------------------------------------------------------------- met, and how late


def _month_index(day: int) -> int:
    d = date.fromordinal(day)
    return d.year * 12 + d.month - 1


def _month_last(day: int) -> int:
    d = date.fromordinal(day)
    return date(d.year, d.month, _monthrange(d.year, d.month)[1]).toordinal()


def allowed(comparator: str, target: int, unit: Unit, upper: int | None = None) -> tuple[int | None, int | None]:
    """The first and last day that meet `comparator target` (`in target ~ upper` for a window; None: no bound)."""
    first, last = (target, target) if unit.text != MONTH.text else (target, _month_last(target))
    if comparator == "in":
        end = upper if upper is not None else target
        return first, end if unit.text != MONTH.text else _month_last(end)
    return {
        "<=": (None, last), "<": (None, first - 1), ">=": (first, None), ">": (last + 1, None), "=": (first, last),
    }[comparator]


def met(comparator: str, target: int, unit: Unit, actual: int, upper: int | None = None) -> bool:
    low, high = allowed(comparator, target, unit, upper)
    return (low is None or actual >= low) and (high is None or actual <= high)


def days_off(comparator: str, target: int, unit: Unit, actual: int, upper: int | None = None) -> int:
    """Days late (or early, for `>=` `>`): 0 when met."""
    low, high = allowed(comparator, target, unit, upper)
    if high is not None and actual > high:
        return actual - high
    if low is not None and actual < low:
        return low - actual
    return 0


def months_off(comparator: str, target: int, unit: Unit, actual: int, upper: int | None = None) -> int:
    """Months late (or early): a month begun counts as a whole month; 0 when met.

    Against a month target the months are counted between the months (`<= 2023-12`, done in 2024-02: 2);
    against a day it is the fewest months that, added to the last (or first) allowed day, reach the actual
    (`<= 2023-12-15`, done 2024-01-15: 1; done 2024-01-16: 2); a month's last day goes on to the last day
    of the next months (2023-11-30 + 1 month is 2023-12-31).
    """
    if days_off(comparator, target, unit, actual, upper) == 0:
        return 0
    low, high = allowed(comparator, target, unit, upper)
    if unit.text == MONTH.text:
        month = _month_index(actual)
        if high is not None and actual > high:
            return month - _month_index(high)
        assert low is not None
        return _month_index(low) - month
    late = high is not None and actual > high
    bound = high if late else low
    assert bound is not None
    step = 1 if late else -1
    months = max(1, abs(_month_index(actual) - _month_index(bound)) - 1)  # at most two steps short
    while (_add_months(bound, step * months) < actual) if late else (_add_months(bound, step * months) > actual):
        months += 1
    return months


def _add_months(day: int, months: int) -> int:
    d = date.fromordinal(day)
    at_end = d.day == _monthrange(d.year, d.month)[1]
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:  # beyond any date: past every actual
        return date.max.toordinal() + 1 if months > 0 else 0
    last = _monthrange(year, month + 1)[1]
    return date(year, month + 1, last if at_end else min(d.day, last)).toordinal()


def _monthrange(year: int, month: int) -> tuple[int, int]:
    """`calendar.monthrange`, imported when a date is read (a file without dates does not load calendar)."""
    import calendar

    return calendar.monthrange(year, month)
