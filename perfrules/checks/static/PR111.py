from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, localcontext

from perfrules.checks.registry import Check, Context
from perfrules.display import exact_percent, measured, percent
from perfrules.findings import Finding, Severity
from perfrules.plan.model import Indicator
from perfrules.plan.units import CONTEXT

LOWER = (">=", ">")
UPPER = ("<=", "<")


class RoundedStepThreshold(Check):
    """阶梯门槛像是四舍五入后的实际值界限。

    评分标准按实际值印门槛（「满意度 ≥90% 得满分，80%（含）–90% 得 60%」），写成完成率阶梯时，80% 的完成率是
    80/90 = 88.888…%；写成四舍五入后的 `88.89%`，实际恰好 80% 时完成率低于门槛，落到下一档。
    只在门槛不是整数百分比、且恰好是某个整齐的实际值（80%、40000 人，不比目标写得更细）的完成率向上舍入而来时报告，
    消息中给出那个实际值。照表上印的实际值写 `steps actual`，门槛就精确、含门槛本身。

    **反例 Anti-pattern**

    ```perf
    受益群众满意度 >= 90% weight 5 steps 100%:100% 88.89%:60% otherwise 0
    ```

    **正例 Best practice**

    ```perf
    受益群众满意度 >= 90% weight 5 steps actual 90%:100% 80%:60% otherwise 0
    ```
    """

    code = "PR111"
    severity = Severity.WARNING
    title = "阶梯门槛像是四舍五入后的实际值界限"
    title_en = "a step threshold looks like a rounded actual boundary"
    messages = {
        "PR111": (
            "{name} 的阶梯门槛 {threshold} 像是实际值 {actual} 的完成率（{exact}）四舍五入而来：实际恰好是 {actual} 时，"
            "完成率 {exact} 低于 {threshold}，得不到这一档",
            "the step threshold {threshold} of {name} looks like the completion rate of an actual of {actual} ({exact})"
            " rounded up: an actual of exactly {actual} has a completion rate of {exact}, below {threshold}, and misses"
            " this step",
        ),
    }
    hints = {
        "PR111": (
            "表上按实际值印门槛时，照印的写 steps actual（如 steps actual {actual}:…），边界精确且含门槛本身",
            "when the table prints thresholds on the actual, write them as printed with steps actual (e.g. steps"
            " actual {actual}:…): exact, the boundary included",
        ),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        for ind in ctx.plan.all_indicators:
            if ind.kind != "quantitative" or ind.method != "steps" or ind.steps_actual or ind.formula is not None:
                continue
            for step in ind.steps:
                boundary = rounded_boundary(ind, step.threshold)
                if boundary is not None:
                    actual, exact = boundary
                    yield self.finding(ctx, ind.span, name=ind.name, threshold=exact_percent(step.threshold),
                                       actual=measured(ind.unit.from_base(actual), ind.unit), exact=percent(exact, places=4))
                    break  # one finding a row: the others are the same mistake


def rounded_boundary(ind: Indicator, threshold: Decimal) -> tuple[Decimal, Decimal] | None:
    """(actual, its exact completion rate) when `threshold` is that rate rounded half up to the threshold's own places,
    the rate is below it, and the actual is a round value no finer than the target's precision (80% for a 90% target,
    40000 人 for 60000 人); else None.

    Only thresholds that are not whole percentages: 88.89% (80/90), not 89%, which may well be meant."""
    t = ind.target
    if t is None or t <= 0 or ind.comparator not in LOWER + UPPER:
        return None
    places = max(0, -int(threshold.as_tuple().exponent))
    if places <= 2 or threshold <= 0:  # a whole percentage (0.89 is 89%): not a rounded quotient
        return None
    with localcontext(CONTEXT):
        guess = t * threshold if ind.comparator in LOWER else t / threshold
        for step in _quanta(ind.unit.from_base(t)):  # round actuals, from the target's coarsest digit to its last
            actual = (guess / (step * ind.unit.scale)).to_integral_value(rounding=ROUND_HALF_UP) * step * ind.unit.scale
            if actual <= 0:
                continue
            exact = actual / t if ind.comparator in LOWER else t / actual
            if exact < threshold and exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == threshold:
                return actual, exact  # below the threshold, yet the threshold is its rate rounded half up
    return None


def _quanta(value: Decimal) -> list[Decimal]:
    """The steps a round actual may be a multiple of, coarse to fine: 60000 → 10000, 1000, 100, 10, 1; 90 → 10, 1;
    95.5 → 1, 0.1 (never finer than the target's last written digit)."""
    exponent = int(value.normalize().as_tuple().exponent)
    return [Decimal(1).scaleb(e) for e in range(max(exponent, 0), min(exponent, 0) - 1, -1)]
