from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.registry import Check, Context
from perfrules.display import plain, said_expect_label
from perfrules.findings import Finding, Severity


class ExpectDiffers(Check):
    """expect 中的公布数与计算结果不符。

    `expect` 写下报告公布的小计、总分和等级；perfrules 按规则重算，不一致的逐项报告（精确到分）。
    公布数超过满分（总分 105 而满分 100）或该维度、分组、指标的分值时，单独说明这是不可能的分数。

    **反例 Anti-pattern**

    ```perf
    a >= 100 个 weight 100
    actuals {
      a = 80 个
    }
    expect { total 85 }
    ```

    **正例 Best practice**

    ```perf
    a >= 100 个 weight 100
    actuals {
      a = 80 个
    }
    expect { total 80 }
    ```
    """

    code = "PR308"
    severity = Severity.ERROR
    title = "核对数与计算结果不符"
    title_en = "an expect figure that differs from the computed one"
    reads_scores = True  # the published score or review is what it checks
    messages = {
        "PR308": ("核对 {name}：公布数 {expected}，计算结果 {actual}", "expect {name}: published {expected}, computed {actual}"),
        "PR308.over": (
            "核对 {name}：公布数 {expected} 超过满分 {full}（计算结果 {actual}）",
            "expect {name}: the published {expected} exceeds the full marks {full} (computed {actual})",
        ),
    }
    hints = {
        "PR308": (
            "核对公布数；计算结果不对时，检查有关指标的实际值和计分规则",
            "check the published figure; if the computation is off, check the rows' actuals and rules",
        ),
        "PR308.over": (
            "得分不能超过满分：核对公布数，以及满分（ruleset 的 total、该项的 weight）",
            "a score cannot exceed the full marks: check the published figure and the full marks (total, weight)",
        ),
    }
    fails_eval = True  # a published figure the rules do not reproduce fails `perfrules eval` (exit 1)
    partial_safe = False  # totals computed without a dropped line differ from the published ones

    def run(self, ctx: Context) -> Iterator[Finding]:
        if ctx.result is None:
            return
        for item, row in zip(ctx.plan.expect, ctx.result.expect, strict=True):
            if row.equal is False:  # None: not compared (a verbal grade, PR303 says so)
                full = _full_marks(ctx, row.target)
                over = full is not None and isinstance(row.published, Decimal) and row.published > full
                yield self.finding(ctx, item.span, key="PR308.over" if over else "PR308",
                                   name=said_expect_label(row.target), expected=row.published_text(),
                                   actual=row.computed_text(), full=plain(full))


def _full_marks(ctx: Context, target: str) -> Decimal | None:
    """The most an expect item can score: the ruleset's total, a section's or an indicator's weight."""
    if target == "total":
        return ctx.plan.total_weight
    node = ctx.plan.section_by_key.get(target) or ctx.plan.indicator_by_key.get(target)
    return node.weight if node is not None else None
