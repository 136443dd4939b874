from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class MissedScoredFull(Check):
    """没有完成目标却得了满分。

    未完成的指标不应得满分（「得分不得突破权重总额」的反面：没做到就要扣分）。复核分（`review`）同样核对。

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
    reads_scores = True  # the published score or review is what it checks
    messages = {
        "PR305": (
            "{name} 未完成目标（实际 {actual}，目标 {target}），却得满分 {published}",
            "{name} missed its target (actual {actual}, target {target}) but was scored full ({published})",
        ),
        "PR305.review": (
            "{name} 未完成目标（实际 {actual}，目标 {target}），复核分却是满分 {published}",
            "{name} missed its target (actual {actual}, target {target}) but its review score is full ({published})",
        ),
    }
    hints = {
        "PR305": ("按完成程度扣分，或核对实际值与目标", "deduct for the shortfall, or check the actual and the target"),
        "PR305.review": ("复核时按完成程度扣分，或核对实际值与目标",
                         "the review should deduct for the shortfall, or check the actual and the target"),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        for ind in ctx.scored():
            if ind.met is not False or ind.kind not in ("quantitative", "date") or ind.score is None \
                    or ind.score >= ind.weight:
                continue
            for key, given in (("PR305", ind.published), ("PR305.review", ind.review)):  # self-score, review score
                if given is not None and given >= ind.weight > 0:
                    yield self.finding(ctx, ind.span, key=key, name=ind.name, published=given,
                                       actual=ind.actual_text, target=ind.target)
