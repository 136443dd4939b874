from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class MissedScoredFull(Check):
    """没有完成目标却得了满分。

    未完成的指标不应得满分（「得分不得突破权重总额」的反面：没做到就要扣分）。

    **反例 Anti-pattern**

    ```perf
    资金拨付及时率 >= 100% weight 5
    actuals {
      资金拨付及时率 = 60% score 5
    }
    ```

    **正例 Best practice**

    ```perf
    资金拨付及时率 >= 100% weight 5
    actuals {
      资金拨付及时率 = 60% score 3
    }
    ```
    """

    code = "PR305"
    severity = Severity.ERROR
    title = "未完成目标却得满分"
    title_en = "a missed target scored full"
    messages = {
        "PR305": (
            "{name} 未完成目标（实际 {actual}，目标 {target}），却得满分 {published}",
            "{name} missed its target (actual {actual}, target {target}) but was scored full ({published})",
        ),
    }
    hints = {
        "PR305": ("按完成程度扣分，或核对实际值与目标", "deduct for the shortfall, or check the actual and the target"),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        for ind in ctx.scored():
            if ind.met is False and ind.kind in ("quantitative", "date") and ind.published is not None \
                    and ind.published >= ind.weight > 0 and ind.score is not None and ind.score < ind.weight:
                yield self.finding(ctx, ind.span, name=ind.name, published=ind.published, actual=ind.actual_text,
                                   target=ind.target)
