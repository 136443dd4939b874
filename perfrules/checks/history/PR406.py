from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class UnitChanged(Check):
    """指标的计量单位与往年不同。

    单位可以换算的（元 与 万元、% 与 ‰）换算后比较，并提示一次；不能换算的（人 与 人次、场 与 次），
    该年的数据不参与比较，警告。单位一改，历年数据就容易被误读。

    **反例 Anti-pattern**

    ```perf
    活动经费 <= 50 万元 weight 10
    history {
      2022 活动经费 <= 600000 元 actual 550000 元
    }
    ```

    **正例 Best practice**

    ```perf
    活动经费 <= 50 万元 weight 10
    history {
      2022 活动经费 <= 60 万元 actual 55 万元
    }
    ```
    """

    code = "PR406"
    severity = Severity.WARNING
    title = "计量单位与往年不同"
    title_en = "a unit that changed from an earlier year"
    messages = {
        "PR406.converted": (
            "{name} 的单位由 {year} 年的 {old} 改为 {new}：已换算后比较",
            "the unit of {name} changed from {old} ({year}) to {new}: converted before comparing",
        ),
        "PR406.incompatible": (
            "{name} 的单位由 {year} 年的 {old} 改为 {new}，无法换算：未与该年比较",
            "the unit of {name} changed from {old} ({year}) to {new}, which do not convert: not compared with that year",
        ),
    }
    hints = {
        "PR406.converted": (
            "尽量沿用往年的计量单位，便于读者比较",
            "keep the unit of earlier years where you can, so that readers can compare",
        ),
        "PR406.incompatible": (
            "沿用往年的计量单位，或说明统计口径的变化",
            "use the unit of earlier years, or explain how the measure changed",
        ),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        history = ctx.history
        if history is None:
            return
        for series in history.series:
            for past in series.past:
                old = past.point.unit
                if old.is_plain or old.text == series.unit.text:
                    continue
                args: dict[str, Any] = {"name": series.name, "year": past.year, "old": old.text, "new": series.unit.text or "无单位"}
                if past.convertible:
                    yield self.finding(ctx, series.span, key="PR406.converted", severity=Severity.INFO, **args)
                else:
                    yield self.finding(ctx, series.span, key="PR406.incompatible", **args)
