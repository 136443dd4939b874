from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.common import is_rate_name, pct
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.plan.model import Indicator


class RateTarget(Check):
    """比率目标超过 100%，或百分比没写 %。

    「资金到位率 ≥ 110%」这样的比率目标不可能完成；「满意度 ≥ 95」漏写了 %，会被当作 95 倍。

    **反例 Anti-pattern**

    ```perf
    资金到位率 >= 110% weight 50
    群众满意度 >= 95 weight 50
    ```

    **正例 Best practice**

    ```perf
    资金到位率 >= 100% weight 50
    群众满意度 >= 95% weight 50
    ```
    """

    code = "PR108"
    severity = Severity.WARNING
    title = "比率目标超过 100% 或百分比未写 %"
    title_en = "a rate target above 100%, or a percentage written without %"
    messages = {
        "PR108.above": ("{name} 是比率，目标 {target} 超过 100%", "{name} is a rate but its target {target} is above 100%"),
        "PR108.percent": (
            "{name} 是比率，目标 {target} 没写 %，应为 {fixed}",
            "{name} is a rate but its target {target} has no %; write {fixed}",
        ),
    }
    hints = {
        "PR108.above": (
            "比率不会超过 100%：检查目标是否写错，或改用数量指标",
            "a rate cannot exceed 100%: check the target, or measure a quantity instead",
        ),
        "PR108.percent": ("写成 {fixed}（perfrules lint --fix 可自动改正）", "write {fixed} (perfrules lint --fix does it)"),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        yield from ctx.by_row(self.code, ctx.config.severity_for(self.code, self.severity), ctx.plan.body,
                              lambda ind: self._row(ctx, ind))

    def _row(self, ctx: Context, ind: Indicator) -> Iterator[Finding]:
        if ind.target is None or not is_rate_name(ind.name) or ind.comparator not in (">=", ">", "="):
            return
        if ind.unit.is_percent and ind.target > 1:
            yield self.finding(ctx, ind.span, key="PR108.above", name=ind.name, target=pct(ind.target))
        elif ind.unit.is_plain and 1 < ind.target <= 100 and ind.formula is None:
            yield self.finding(ctx, ind.span, key="PR108.percent", name=ind.name,
                               target=f"{ind.target.normalize():f}", fixed=f"{ind.target.normalize():f}%")
        elif ind.unit.is_plain and ind.target > Decimal(100):
            yield self.finding(ctx, ind.span, key="PR108.above", name=ind.name, target=ind.target)
