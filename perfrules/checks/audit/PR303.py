from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class PublishedGradeWrong(Check):
    """公布的等级与公布总分所在的分数段不符。

    总分 89.5 分评为「优」，或 90 分评为「良」：等级应按分数段判定，下限含本数（90 分即为优）。

    **反例 Anti-pattern**

    ```perf
    a >= 10 个 weight 100
    expect { total 89.5  grade 优 }
    ```

    **正例 Best practice**

    ```perf
    a >= 10 个 weight 100
    expect { total 89.5  grade 良 }
    ```
    """

    code = "PR303"
    severity = Severity.ERROR
    title = "公布的等级与总分不符"
    title_en = "a published grade that is not the band of the total"
    messages = {
        "PR303": (
            "公布等级「{published}」，而总分 {total} 属于「{band}」",
            "published grade {published}, but a total of {total} is {band}",
        ),
        "PR303.verbal": (
            "公布的等级「{published}」不是分数段（{bands}）的名称：按文字记录，不与总分比较",
            "the published grade {published} is not one of the bands ({bands}): kept as text, not compared with the total",
        ),
    }
    hints = {
        "PR303": (
            "按总分所在的分数段改正等级（分数段含下限）",
            "correct the grade to the band of the total (a band includes its lower bound)",
        ),
        "PR303.verbal": ("要与总分比较，就写分数段的名称", "write a band's name to have it compared with the total"),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        total = next((e for e in ctx.plan.expect if e.target == "total"), None)
        grade = next((e for e in ctx.plan.expect if e.target == "grade"), None)
        if total is None or grade is None:
            return
        if grade.value not in {b.name for b in ctx.plan.grades}:  # a verbal grade (「实施比较顺利」): kept as text
            yield self.finding(ctx, grade.span, severity=Severity.INFO, key="PR303.verbal", published=grade.value,
                               bands="、".join(b.name for b in ctx.plan.grades))
            return
        band = ctx.plan.grade_of(Decimal(total.value))
        if band != grade.value:
            yield self.finding(ctx, grade.span, published=grade.value, total=total.value, band=band)
