"""The official scoring rules, one small function each (t target, a actual, w weight).

Every function returns the raw score in points, before the cap and rounding; all values are
in base units (100% is Decimal("1")). See docs/language.md for the rules with examples.
"""

from __future__ import annotations

from decimal import Decimal

from perfrules.plan.model import Indicator

ZERO = Decimal(0)
ONE = Decimal(1)
REVERSE = ("<=", "<")


def completion(ind: Indicator, a: Decimal) -> Decimal | None:
    """The completion rate (指标完成率) shown for a quantitative actual; None when it has no finite value."""
    t = ind.target
    if t is None:
        return None
    if ind.comparator == "in":
        low, high = t, ind.target_high if ind.target_high is not None else t
        if low <= a <= high:
            return ONE
        if a < low:
            return a / low if low else None
        return high / a if a > 0 else None
    if ind.comparator in REVERSE:  # at or below zero there is no finite rate (a cost that fell below zero)
        return t / a if a > 0 else None
    return a / t if t else None


def met(ind: Indicator, a: Decimal) -> bool:
    t = ind.target
    assert t is not None
    return {
        ">=": a >= t, ">": a > t, "<=": a <= t, "<": a < t,
        "=": a == t if ind.method != "equal" else (a >= t if t > 0 else a <= 0 if t == 0 else a == t),
        "in": t <= a <= (ind.target_high if ind.target_high is not None else t),
    }[ind.comparator or ">="]


def ratio(ind: Indicator, a: Decimal) -> Decimal:
    """正向 a/t, 反向 t/a: full marks when the target is met, proportionally less when not."""
    w, t = ind.weight, ind.target
    assert t is not None
    if ind.comparator in REVERSE:
        if a <= 0 or t <= 0:
            return w * ind.cap if met(ind, a) else ZERO
        return w * t / a
    if t <= 0:
        return w if met(ind, a) else ZERO
    return w * max(a, ZERO) / t


def linear(ind: Indicator, a: Decimal) -> Decimal:
    """反向 linear: w · max(0, 1 − (a − t)/t), reaching 0 at 2t."""
    w, t = ind.weight, ind.target
    assert t is not None
    if a <= t:
        return ratio(ind, a)
    if t <= 0:
        return ZERO
    return w * max(ZERO, ONE - (a - t) / t)


def equal(ind: Indicator, a: Decimal) -> Decimal:
    """等于: t > 0: a ≥ t → w, else w·a/t; t = 0: a ≤ 0 → w, else 0."""
    w, t = ind.weight, ind.target
    assert t is not None
    if t == 0:
        return w if a <= 0 else ZERO
    if t < 0:
        return w if a == t else ZERO
    return w if a >= t else w * max(a, ZERO) / t


def execution(ind: Indicator, a: Decimal) -> Decimal:
    """预算执行率: w · min(1, a/t)."""
    w, t = ind.weight, ind.target
    assert t is not None
    if t <= 0:
        return w
    return w * min(ONE, max(a, ZERO) / t)


def actual(ind: Indicator, a: Decimal) -> Decimal:
    """按实际值: w · a for a rate (20 × 98% = 19.6), met or not; the cap (100% by default) bounds it."""
    return ind.weight * max(a, ZERO)


def in_range(ind: Indicator, a: Decimal) -> Decimal:
    """区间: full inside [low, high]; below w·a/low; above w·high/a (multiplied before dividing)."""
    w, low = ind.weight, ind.target
    assert low is not None
    high = ind.target_high if ind.target_high is not None else low
    if low <= a <= high:
        return w
    if a < low:
        return w * max(a, ZERO) / low if low > 0 else ZERO
    return w * high / a if a > 0 else ZERO


def steps(ind: Indicator, a: Decimal) -> Decimal:
    """阶梯: the points of the first step whose completion threshold is reached.

    With `steps actual` the thresholds are the actual's own bounds, inclusive as tables print them: the first step
    the actual is at or above (a `>=` or `>` target), or at or below (`<=`, `<`: 「≤ 5 天 满分，≤ 7 天 得 60%」)."""
    if ind.steps_actual:
        upper = ind.comparator in REVERSE
        for step in ind.steps:
            if (a <= step.threshold) if upper else (a >= step.threshold):
                return step.points
        return ind.steps_otherwise
    rate = completion(ind, a)
    reached = rate if rate is not None else (Decimal("Infinity") if met(ind, a) else ZERO)
    for step in ind.steps:
        if reached >= step.threshold:
            return step.points
    return ind.steps_otherwise


def deduct(ind: Indicator, a: Decimal) -> Decimal:
    """扣分: 每相差 per 扣 points 分，扣满为止 (the difference is proportional, not whole steps)."""
    w, t = ind.weight, ind.target
    assert t is not None and ind.deduct_points is not None and ind.deduct_per is not None
    if met(ind, a):
        return w
    high = ind.target_high if ind.comparator == "in" and ind.target_high is not None else t
    gap = t - a if a < t else a - high  # a range is missed from its nearer bound
    if ind.deduct_relative:
        gap = gap / abs(t) if t else Decimal("Infinity")
    return max(ZERO, w - ind.deduct_points * gap / ind.deduct_per)


def date_met(ind: Indicator, a: Decimal) -> bool:
    """A deadline met: `<= 2023-12-31` by that day, `<= 12 月` within December, `>=` not before, `=` on the day."""
    from perfrules.plan import dates  # only a date row needs it
    assert ind.target is not None and ind.comparator is not None
    return dates.met(ind.comparator, int(ind.target), ind.unit, int(a), _upper(ind))


def date_off(ind: Indicator, a: Decimal) -> tuple[int, str]:
    """How far a date misses: (count, "day" or "month"), months when the rule deducts per month."""
    from perfrules.plan import dates  # only a date row needs it
    assert ind.target is not None and ind.comparator is not None
    if ind.deduct_period == "month":
        return dates.months_off(ind.comparator, int(ind.target), ind.unit, int(a), _upper(ind)), "month"
    return dates.days_off(ind.comparator, int(ind.target), ind.unit, int(a), _upper(ind)), "day"


def _upper(ind: Indicator) -> int | None:
    return int(ind.target_high) if ind.target_high is not None else None


def deadline(ind: Indicator, a: Decimal) -> Decimal:
    """日期: met → w; missed → 0, or w − points × (days or months late) / per when the rule deducts, down to 0."""
    w = ind.weight
    if date_met(ind, a):
        return w
    if ind.deduct_points is None or ind.deduct_per is None:
        return ZERO
    off, _period = date_off(ind, a)
    return max(ZERO, w - ind.deduct_points * off / ind.deduct_per)


def scaled(ind: Indicator, a: Decimal) -> Decimal:
    """满分打分: w · a / scale (a criterion scored 90 of 100 on a 20% weight gives 18), multiplied before dividing."""
    assert ind.scale is not None
    return ind.weight * a / ind.scale


METHODS = {
    "ratio": ratio, "linear": linear, "equal": equal, "execution": execution,
    "range": in_range, "steps": steps, "deduct": deduct, "actual": actual, "date": deadline,
    "scale": scaled,
}


def raw_score(ind: Indicator, a: Decimal) -> Decimal:
    return METHODS[ind.method](ind, a)
