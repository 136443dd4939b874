from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.history.model import show


class TargetBelowHistory(Check):
    """目标值低于上年实际完成值：历史标准应「相对较高」。

    绩效目标应参照计划标准、行业标准、历史标准设定，历史标准应当相对较高，体现绩效提升。
    一个 `>=` 指标的目标低于上年实际完成值（或低于近三年实际值的均值），就是「无压力的目标」；
    `<=` 指标（成本、时限）反过来，目标高于上年实际即偏松。近几年的年数由 history-years 设定（默认 3）。
    往年数据来自 `perfrules lint FILE --history PREV...` 或规则文件中的 `history` 块。

    **反例 Anti-pattern**

    ```perf
    组织开展活动场次 >= 4 场 weight 10
    history {
      2022 组织开展活动场次 >= 4 场 actual 10 场
    }
    ```

    **正例 Best practice**

    ```perf
    组织开展活动场次 >= 10 场 weight 10
    history {
      2022 组织开展活动场次 >= 4 场 actual 10 场
    }
    ```
    """

    code = "PR401"
    severity = Severity.WARNING
    title = "目标值低于上年实际完成值"
    title_en = "a target below last year's actual"

    def run(self, ctx: Context) -> Iterator[Finding]:
        history = ctx.history
        if history is None:
            return
        years = int(ctx.config.threshold("history-years"))
        for series in history.series:
            last, mean = series.last(), series.mean(years)
            if last is None or series.target is None or last.actual is None or series.comparator == "=":
                continue
            positive = series.positive
            reverse = "" if positive else "_reverse"
            target, unit = series.target, series.unit
            if (target < last.actual) if positive else (target > last.actual):
                yield self.finding(ctx, series.span, key=f"PR401.last{reverse}", name=series.name,
                                   target=show(target, unit), year=last.year, actual=show(last.actual, unit))
            elif mean is not None and ((target < mean) if positive else (target > mean)):
                count = len([p for p in series.past if p.actual is not None][-years:])
                shown = show(mean.quantize(Decimal(1).scaleb(-(series.places + 2))), unit)
                yield self.finding(ctx, series.span, key=f"PR401.mean{reverse}", name=series.name,
                                   target=show(target, unit), years=count, mean=shown)
