"""The suggested target: a documented, configurable rule over an indicator's history.

For a `>=` indicator the suggestion is the highest of this year's target, last year's actual and
the mean actual of the last `suggest-years` years (default 3), raised by `suggest-margin`
(default 0%), rounded up to the precision the values are written with (whole 场 when they are
whole). For a `<=` indicator it is the mirror: the lowest, lowered by the margin, rounded down.
With no earlier actual the current target stands.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal

from perfrules.history.model import Series


def suggested(series: Series, years: int = 3, margin: Decimal = Decimal(0)) -> Decimal | None:
    """The suggested target in the indicator's unit, or None without a current target."""
    if series.target is None:
        return None
    last, mean = series.last(), series.mean(years)
    values = [series.target] + [v for v in (last.actual if last else None, mean) if v is not None]
    quantum = Decimal(1).scaleb(-series.places)
    context = Context(prec=60)  # a local context: never the caller's, and wide enough for any quantize here
    if series.positive:
        return context.multiply(max(values), 1 + margin).quantize(quantum, ROUND_CEILING, context)
    return context.multiply(min(values), 1 - margin).quantize(quantum, ROUND_FLOOR, context)
