from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.config import Setting
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
    messages = {
        "PR401.last": (
            "{name} 的目标 {target} 低于 {year} 年实际完成值 {actual}：目标值低于上年实际完成值",
            "the target {target} of {name} is below the {year} actual {actual}: a target below last year's actual",
        ),
        "PR401.mean": (
            "{name} 的目标 {target} 低于近 {years} 年实际完成值的均值 {mean}：目标值偏低",
            "the target {target} of {name} is below the mean actual of the last {years} years, {mean}",
        ),
        "PR401.last_reverse": (
            "{name}（越低越好）的目标 {target} 高于 {year} 年实际完成值 {actual}：目标比上年实际还宽松",
            "the target {target} of {name} (lower is better) is above the {year} actual {actual}: looser than last year",
        ),
        "PR401.mean_reverse": (
            "{name}（越低越好）的目标 {target} 高于近 {years} 年实际完成值的均值 {mean}：目标偏松",
            "the target {target} of {name} (lower is better) is above the mean actual of the last {years} years, {mean}",
        ),
    }
    hints = {
        "PR401": ("参照往年的实际水平设定目标，或说明目标降低的原因", "set the target from earlier years' actuals, or explain why it is lower"),
        "PR401.last_reverse": (
            "参照往年的实际水平收紧目标，或说明放宽的原因",
            "tighten the target to earlier years' actuals, or explain why it is looser",
        ),
        "PR401.mean_reverse": (
            "参照往年的实际水平收紧目标，或说明放宽的原因",
            "tighten the target to earlier years' actuals, or explain why it is looser",
        ),
    }
    settings = (
        Setting("history-years", "3", "count",
                "目标与近几年实际值的均值比较所用的年数，也是建议目标所用的年数（PR401、targets）",
                "years of actuals averaged by PR401 and the suggested target"),
        Setting("suggest-margin", "0%", "percent",
                "建议目标在往年实际值之上再提高的比例（perfrules targets）",
                "how far above the history a suggested target is set"),
    )

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
