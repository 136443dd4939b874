from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.config import Setting
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity, Span


class IndicatorCount(Check):
    """三级指标太少或太多。

    少于 3 个三级指标，绩效目标难以全面反映项目的产出和效益；指标太多则评价抓不住重点、
    分值被摊薄。阈值可在 policy 中改（min-indicators、max-indicators）。

    **反例 Anti-pattern**

    ```perf
    完成数量 >= 10 个 weight 50
    满意度 >= 90% weight 50
    ```

    **正例 Best practice**

    ```perf
    完成数量 >= 10 个 weight 40
    完成及时率 >= 95% weight 30
    满意度 >= 90% weight 30
    ```
    """

    code = "PR105"
    severity = Severity.WARNING
    title = "三级指标太少（< 3）或太多"
    title_en = "too few (< 3) or too many third-level indicators"
    messages = {
        "PR105.few": ("只有 {count} 个三级指标，少于 {limit} 个", "only {count} third-level indicators, fewer than {limit}"),
        "PR105.many": ("共有 {count} 个三级指标，多于 {limit} 个", "{count} third-level indicators, more than {limit}"),
    }
    hints = {
        "PR105.few": (
            "补充反映产出和效益的三级指标，至少 {limit} 个",
            "add third-level indicators of outputs and benefits: at least {limit}",
        ),
        "PR105.many": (
            "合并相近的指标、突出重点，使三级指标不多于 {limit} 个",
            "merge similar indicators to keep the focus: at most {limit}",
        ),
    }
    settings = (
        Setting("min-indicators", "3", "count",
                "三级指标的最少个数（PR105）",
                "fewest third-level indicators (PR105)"),
        Setting("max-indicators", "60", "count",
                "三级指标的最多个数（PR105）",
                "most third-level indicators (PR105)"),
    )
    partial_safe = False  # a count: a line dropped by a syntax error makes it wrong

    def run(self, ctx: Context) -> Iterator[Finding]:
        indicators = [i for i in ctx.plan.all_indicators if not i.na]
        low, high = ctx.config.threshold("min-indicators"), ctx.config.threshold("max-indicators")
        span = ctx.plan.body[0].span if ctx.plan.body else Span.point(ctx.plan.file, 1, 1)
        if len(indicators) < low:
            yield self.finding(ctx, span, key="PR105.few", count=len(indicators), limit=low)
        elif len(indicators) > high:
            yield self.finding(ctx, span, key="PR105.many", count=len(indicators), limit=high)
