from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class WeightsDoNotAddUp(Check):
    """各级分值相加不等于上级分值，或一级分值合计不等于总分。

    分值表最常见的错误是加总不对：二级指标的分值之和不等于一级指标，或一级指标合计不是 100 分。
    这样得出的总分和等级都不可信。总分不是 100 的规则集可在 ruleset 中写 `total`。

    **反例 Anti-pattern**

    ```perf
    dimension 产出 weight 40 {
      数量 >= 10 个 weight 20
      质量 >= 90% weight 15
    }
    dimension 效益 weight 60 {
      满意度 >= 90% weight 60
    }
    ```

    **正例 Best practice**

    ```perf
    dimension 产出 weight 40 {
      数量 >= 10 个 weight 20
      质量 >= 90% weight 20
    }
    dimension 效益 weight 60 {
      满意度 >= 90% weight 60
    }
    ```
    """

    code = "PR103"
    severity = Severity.WARNING
    title = "分值相加不符"
    title_en = "weights that do not add up"
    messages = {
        "PR103": (
            "{name} 的下级权重之和为 {actual}，应为 {expected}",
            "the weights under {name} add up to {actual}, not {expected}",
        ),
        "PR103.total": ("一级权重之和为 {actual}，应为 {expected}", "the top-level weights add up to {actual}, not {expected}"),
    }
    hints = {
        "PR103": ("调整下级指标的分值，使其之和等于 {expected}", "adjust the weights below so that they add up to {expected}"),
        "PR103.total": (
            "调整一级指标的分值；总分不是 100 时在 ruleset 中写 total",
            "adjust the top-level weights; write total in the ruleset block when it is not 100",
        ),
    }
    partial_safe = False  # the weights' sum: a line dropped by a syntax error makes it wrong

    def run(self, ctx: Context) -> Iterator[Finding]:
        plan = ctx.plan
        for section in plan.all_sections:
            if not section.declared or not section.children:
                continue
            summed = sum((child.weight for child in section.children), Decimal(0))
            if summed != section.weight:
                yield self.finding(ctx, section.span, name=section.name, actual=summed, expected=section.weight)
        total = sum((node.weight for node in plan.body), Decimal(0))
        if plan.body and total != plan.total_weight:
            yield self.finding(ctx, plan.body[0].span, key="PR103.total", actual=total, expected=plan.total_weight)
