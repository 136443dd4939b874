from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.common import is_rate_name
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.plan.model import Indicator


class TargetWithoutUnit(Check):
    """定量目标没有单位。

    「资格认证人数 ≥ 60000」是人、户还是人次？没有单位，实际值就无法核对，单位写错也发现不了。
    写上计量单位，perfrules 会检查实际值的单位是否一致。

    **反例 Anti-pattern**

    ```perf
    资格认证人数 >= 60000 weight 5
    ```

    **正例 Best practice**

    ```perf
    资格认证人数 >= 60000 人 weight 5
    ```
    """

    code = "PR109"
    severity = Severity.INFO
    title = "定量目标没有单位"
    title_en = "a quantitative target without a unit"
    messages = {
        "PR109": ("{name} 的目标没有计量单位", "the target of {name} has no unit"),
    }
    hints = {
        "PR109": ("在目标后写上计量单位，如 >= 60000 人", "write the unit after the target, e.g. >= 60000 人"),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        yield from ctx.by_row(self.code, ctx.config.severity_for(self.code, self.severity), ctx.plan.body,
                              lambda ind: self._row(ctx, ind))

    def _row(self, ctx: Context, ind: Indicator) -> Iterator[Finding]:
        if ind.kind != "quantitative" or ind.target is None or ind.formula is not None:
            return
        if ind.unit.is_plain and not is_rate_name(ind.name):
            yield self.finding(ctx, ind.span, name=ind.name)
