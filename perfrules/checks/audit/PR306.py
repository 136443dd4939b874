from __future__ import annotations

from collections.abc import Iterator, Mapping

from perfrules.checks.common import pct
from perfrules.checks.registry import Check, Context
from perfrules.display import trimmed
from perfrules.findings import Finding, Severity
from perfrules.plan.model import Indicator
from perfrules.scoring.result import IndicatorResult
from perfrules.vocabulary import in_tier, tier_range


class QualitativeOutsideTier(Check):
    """定性指标的公布得分不在其档次的区间内。

    定性指标分三档：达成年度指标 80%–100%，部分达成 60%–80%，未达成 0–60%（分值的比例）。
    评为「达成」却只给 70% 的分，或评为「部分达成」却给满分，都是错的。复核分（`review`）同样核对。

    **反例 Anti-pattern**

    ```perf
    制度执行有效性 qualitative weight 10
    actuals {
      制度执行有效性 = 部分达成 70% score 9
    }
    ```

    **正例 Best practice**

    ```perf
    制度执行有效性 qualitative weight 10
    actuals {
      制度执行有效性 = 部分达成 70% score 7
    }
    ```
    """

    code = "PR306"
    severity = Severity.ERROR
    title = "定性指标得分超出档次"
    title_en = "a qualitative score outside its tier"
    reads_scores = True  # the published score or review is what it checks
    messages = {
        "PR306": (
            "{name} 评为「{tier}」，公布得分 {published} 不在 {low}–{high} 分之间",
            "{name} is rated {tier} but scored {published}, outside {low}-{high}",
        ),
        "PR306.review": (
            "{name} 评为「{tier}」，复核分 {published} 不在 {low}–{high} 分之间",
            "{name} is rated {tier} but its review score is {published}, outside {low}-{high}",
        ),
    }
    hints = {
        "PR306": ("把得分改到 {low}–{high} 分之间，或改正档次", "score it within {low}-{high}, or correct the tier"),
        "PR306.review": ("复核分应在 {low}–{high} 分之间，或改正档次", "the review score belongs within {low}-{high}, or correct the tier"),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        if ctx.result is None:
            return
        plan = ctx.plan.indicator_by_key
        # a row's finding depends on its result (the same object: the same indicator) and the settings only
        settings = ctx.config.severity_for(self.code, self.severity)
        yield from ctx.by_row(self.code, settings, ctx.result.body, lambda ind: self._row(ctx, ind, plan))

    def _row(self, ctx: Context, ind: IndicatorResult, plan: Mapping[str, Indicator]) -> Iterator[Finding]:
        if ind.status != "scored" or ind.kind != "qualitative" or not ind.tier or ind.weight <= 0:
            return
        lower, upper = tier_range(ind.tier, plan[ind.key].tiers)
        for key, given in (("PR306", ind.published), ("PR306.review", ind.review)):  # self-score, review score
            if given is None or given > ind.weight:  # above the weight: PR301 says so
                continue
            rate = given / ind.weight
            if not in_tier(ind.tier, rate, plan[ind.key].tiers):
                yield self.finding(ctx, ind.span, key=key, name=ind.name, tier=ind.tier, published=given,
                                   low=trimmed(lower * ind.weight), high=trimmed(upper * ind.weight),
                                   rate=pct(rate))
