from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class PublishedTotalNotSum(Check):
    """公布的总分不等于各行公布得分之和。

    评分表的总分是手工加出来的，常常加错。每一行都有公布得分（score）时，它们的和应等于 expect 中的 total。

    **反例 Anti-pattern**

    ```perf
    a >= 10 个 weight 50
    b >= 10 个 weight 50
    actuals {
      a = 10 个 score 50
      b = 8 个 score 40
    }
    expect { total 95 }
    ```

    **正例 Best practice**

    ```perf
    a >= 10 个 weight 50
    b >= 10 个 weight 50
    actuals {
      a = 10 个 score 50
      b = 8 个 score 40
    }
    expect { total 90 }
    ```
    """

    code = "PR302"
    severity = Severity.ERROR
    title = "公布的总分不等于各行之和"
    title_en = "a published total that is not the sum of the published rows"
    messages = {
        "PR302": ("公布总分 {published}，而各行公布得分之和为 {summed}", "published total {published}, but the rows add up to {summed}"),
    }
    hints = {
        "PR302": ("重新加总各行的公布得分，改正公布总分", "add up the published rows again and correct the published total"),
    }
    partial_safe = False  # the rows' sum: a row dropped by a syntax error makes it wrong

    def run(self, ctx: Context) -> Iterator[Finding]:
        total = next((e for e in ctx.plan.expect if e.target == "total"), None)
        rows = [i for i in ctx.result.all_indicators if i.status != "na"] if ctx.result else []
        if total is None or not rows or any(r.published is None for r in rows):
            return
        summed = sum((r.published or Decimal(0) for r in rows), Decimal(0))
        applicable = sum((r.weight for r in rows), Decimal(0))
        if ctx.result is not None and ctx.result.rescaled and applicable > 0:  # rows that do not apply are left out
            places = Decimal(1).scaleb(-ctx.plan.places)
            summed = (summed * ctx.plan.total_weight / applicable).quantize(places, rounding=ctx.plan.rounding)
        if summed != Decimal(total.value):
            yield self.finding(ctx, total.span, published=total.value, summed=summed)
