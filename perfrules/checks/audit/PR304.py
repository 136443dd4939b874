from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class MetScoredBelowFull(Check):
    """完成了目标却没有得满分，也没有说明理由。

    指标已完成，公布得分却低于分值：要么扣分有理由（应写 reason），要么是打分错误。

    **反例 Anti-pattern**

    ```perf
    培训场次 >= 10 场 weight 10
    actuals {
      培训场次 = 12 场 score 8
    }
    ```

    **正例 Best practice**

    ```perf
    培训场次 >= 10 场 weight 10
    actuals {
      培训场次 = 12 场 score 8
        reason "两场培训的签到材料缺失，酌情扣 2 分"
    }
    ```
    """

    code = "PR304"
    severity = Severity.WARNING
    title = "完成目标却未得满分且无理由"
    title_en = "a met target scored below full with no reason given"
    reads_scores = True  # the published score or review is what it checks
    messages = {
        "PR304": (
            "{name} 已完成目标，公布得分 {published} 低于分值 {weight}，且没有说明理由",
            "{name} met its target but was scored {published} of {weight} with no reason",
        ),
    }
    hints = {
        "PR304": ("用 reason 写明扣分的理由，或改为满分", 'give the reason for the deduction with reason "...", or score it full'),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        for ind in ctx.scored():
            full = ind.score == ind.weight  # the row's own rule gives full marks
            if ind.met and full and ind.published is not None and ind.published < ind.weight and not ind.reason:
                yield self.finding(ctx, ind.span, name=ind.name, published=ind.published, weight=ind.weight)
