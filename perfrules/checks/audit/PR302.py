from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity, Span
from perfrules.scoring.result import IndicatorResult, SectionResult


class PublishedTotalNotSum(Check):
    """公布的总分不等于各行公布得分之和。

    评分表的总分是手工加出来的，常常加错。每一行都有公布得分（score）时，它们的和应等于 expect 中的 total。
    有的行印了得分却无法辨认（`score ?`）时，总分仍有界：不少于能辨认的各行之和，不多于它加上无法辨认各行的
    最高得分（分值 × 封顶）；公布总分 98 而各行至多 94，同样报告。相差不超过各行舍入可能造成的差（行数 × 半个
    最小单位，如 13 行、两位小数时 0.065）时，可能是表上先合计未舍入的各行得分再舍入：报告为警告并说明这一点。
    expect 中公布的小计（`expect { 管理 22.52 }`）同样与其中各行公布得分之和比较，公布的复核总分（`expect { review 90 }`）
    与各行复核分之和比较。

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
    reads_scores = True  # the published score or review is what it checks
    messages = {
        "PR302": ("公布总分 {published}，而各行公布得分之和为 {summed}", "published total {published}, but the rows add up to {summed}"),
        "PR302.rounding": (
            "公布总分 {published}，而各行公布得分之和为 {summed}：相差 {gap}，在 {count} 行各自舍入可能造成的差（至多 {most}）之内",
            "published total {published}, but the rows add up to {summed}: {gap} apart, within what rounding "
            "{count} rows can make (at most {most})",
        ),
        "PR302.section": (
            "公布的 {section} 小计 {published}，而其中各行公布得分之和为 {summed}",
            "published subtotal of {section} {published}, but its rows add up to {summed}",
        ),
        "PR302.section_rounding": (
            "公布的 {section} 小计 {published}，而其中各行公布得分之和为 {summed}：相差 {gap}，在 {count} 行各自舍入可能造成的差"
            "（至多 {most}）之内",
            "published subtotal of {section} {published}, but its rows add up to {summed}: {gap} apart, within what "
            "rounding {count} rows can make (at most {most})",
        ),
        "PR302.review": (
            "公布的复核总分 {published}，而各行复核分之和为 {summed}",
            "published review total {published}, but the rows' review scores add up to {summed}",
        ),
        "PR302.review_rounding": (
            "公布的复核总分 {published}，而各行复核分之和为 {summed}：相差 {gap}，在 {count} 行各自舍入可能造成的差（至多 {most}）之内",
            "published review total {published}, but the rows' review scores add up to {summed}: {gap} apart, within "
            "what rounding {count} rows can make (at most {most})",
        ),
        "PR302.bound": (
            "公布总分 {published}，而各行公布得分之和只能在 {low}–{high} 之间（{count} 行得分无法辨认：{names}）",
            "published total {published}, but the rows can only add up to {low}-{high} ({count} unreadable: {names})",
        ),
    }
    hints = {
        "PR302": ("重新加总各行的公布得分，改正公布总分", "add up the published rows again and correct the published total"),
        "PR302.rounding": (
            "表上的总分若是由未舍入的各行得分合计后舍入的，这是舍入差；否则重新加总各行的公布得分",
            "if the form adds the unrounded row scores and rounds the sum, this is a rounding difference; "
            "otherwise add up the published rows again",
        ),
        "PR302.section": ("重新加总这一部分各行的公布得分，改正公布的小计",
                          "add up the section's published rows again and correct its published subtotal"),
        "PR302.section_rounding": (
            "表上的小计若是由未舍入的各行得分合计后舍入的，这是舍入差；否则重新加总这一部分各行的公布得分",
            "if the form adds the unrounded row scores and rounds the sum, this is a rounding difference; "
            "otherwise add up the section's published rows again",
        ),
        "PR302.review": ("重新加总各行的复核分，改正复核总分", "add up the rows' review scores again and correct the total"),
        "PR302.review_rounding": (
            "表上的复核总分若是由未舍入的各行复核分合计后舍入的，这是舍入差；否则重新加总各行的复核分",
            "if the form adds the unrounded review scores and rounds the sum, this is a rounding difference; "
            "otherwise add up the rows' review scores again",
        ),
        "PR302.bound": ("核对无法辨认的各行得分（{names}）和公布总分",
                        "check the unreadable rows ({names}) and the published total against the form"),
    }
    partial_safe = False  # the rows' sum: a row dropped by a syntax error makes it wrong

    def run(self, ctx: Context) -> Iterator[Finding]:
        yield from self._subtotals(ctx)
        yield from self._review_total(ctx)
        total = next((e for e in ctx.plan.expect if e.target == "total"), None)
        rows = [i for i in ctx.result.all_indicators if i.status != "na"] if ctx.result else []
        if total is None or not rows or any(r.published is None and not r.published_unreadable for r in rows):
            return
        summed = sum((r.published or Decimal(0) for r in rows), Decimal(0))
        caps = ctx.plan.indicator_by_key
        unreadable = [r for r in rows if r.published is None]  # `score ?`: at least 0, at most weight × cap
        most = summed + sum((r.weight * (caps[r.key].cap if r.key in caps else Decimal(1)) for r in unreadable),
                            Decimal(0))
        applicable = sum((r.weight for r in rows), Decimal(0))
        if ctx.result is not None and ctx.result.rescaled and applicable > 0:  # rows that do not apply are left out
            places = Decimal(1).scaleb(-ctx.plan.places)
            summed, most = ((v * ctx.plan.total_weight / applicable).quantize(places, rounding=ctx.plan.rounding)
                            for v in (summed, most))
        published = Decimal(total.value)
        if not unreadable and summed != published:
            yield self._differs(ctx, total.span, "PR302", published, summed, len(rows))
        elif unreadable and not summed <= published <= most:
            yield self.finding(ctx, total.span, key="PR302.bound", published=total.value, low=summed, high=most,
                               count=len(unreadable), names="、".join(r.name for r in unreadable))

    def _differs(self, ctx: Context, span: Span | None, key: str, published: Decimal, summed: Decimal, count: int,
                 **args: Any) -> Finding:
        """A published total or subtotal that is not its rows' sum: a warning when rounding each row could make it."""
        most_off = count * Decimal(1).scaleb(-ctx.plan.places) / 2  # each row rounded by half a unit at most
        if abs(published - summed) <= most_off:
            rounding = "PR302.rounding" if key == "PR302" else f"{key}_rounding"
            return self.finding(ctx, span, key=rounding, severity=Severity.WARNING, published=published,
                                summed=summed, gap=abs(published - summed), count=count, most=most_off.normalize(),
                                **args)
        return self.finding(ctx, span, key=key, published=published, summed=summed, **args)

    def _subtotals(self, ctx: Context) -> Iterator[Finding]:
        """Each published subtotal (`expect { 管理 22.52 }`) against its rows' published scores, when all are given."""
        if ctx.result is None:
            return
        for item in ctx.plan.expect:
            section = ctx.result.section(item.target)
            if section is None or not isinstance(item.value, Decimal):
                continue
            rows = _rows(section)
            if not rows or any(r.status == "na" or r.published is None for r in rows):
                continue  # a row without a printed score, or one left out and the rest rescaled: nothing to add up
            summed = sum((r.published or Decimal(0) for r in rows), Decimal(0))
            if summed != item.value:
                yield self._differs(ctx, item.span, "PR302.section", item.value, summed, len(rows),
                                    section=section.name)


    def _review_total(self, ctx: Context) -> Iterator[Finding]:
        """The published review total (`expect { review 90 }`) against the rows' review scores, when all are given."""
        item = next((e for e in ctx.plan.expect if e.target == "review"), None)
        rows = [i for i in ctx.result.all_indicators if i.status != "na"] if ctx.result else []
        if item is None or not isinstance(item.value, Decimal) or not rows or any(r.review is None for r in rows):
            return
        if ctx.result is not None and ctx.result.rescaled:
            return  # rows that do not apply were left out and the rest rescaled: the sum is not the total
        summed = sum((r.review or Decimal(0) for r in rows), Decimal(0))
        if summed != item.value:
            yield self._differs(ctx, item.span, "PR302.review", item.value, summed, len(rows))


def _rows(section: SectionResult) -> list[IndicatorResult]:
    out: list[IndicatorResult] = []
    for child in section.children:
        out += [child] if isinstance(child, IndicatorResult) else _rows(child)
    return out
