from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class PublishedGradeWrong(Check):
    """公布的等级与公布总分所在的分数段不符。

    总分 89.5 分评为「优」，或 90 分评为「良」：等级应按分数段判定，下限含本数（90 分即为优）。
    不加引号的等级（`grade 优秀`）是分数段的名称：不是任何分数段时报警告，并给出最接近的分数段（优秀 → 优）；
    只印了文字的等级写在引号中（`grade "实施比较顺利"`），按文字记录，不与总分比较（提示）。

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
    reads_scores = True  # the published score or review is what it checks
    messages = {
        "PR303": (
            "公布等级「{published}」，而总分 {total} 属于「{band}」",
            "published grade {published}, but a total of {total} is {band}",
        ),
        "PR303.unknown": (
            "公布的等级 {published} 不是分数段（{bands}）的名称，无法与总分比较；最接近的分数段是 {meant}",
            "the published grade {published} is none of the bands ({bands}): it cannot be compared with the total; "
            "the nearest band is {meant}",
        ),
        "PR303.unknown_far": (
            "公布的等级 {published} 不是分数段（{bands}）的名称，无法与总分比较",
            "the published grade {published} is none of the bands ({bands}): it cannot be compared with the total",
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
        "PR303.unknown": (
            '是不是 {meant}？表上只印了文字等级时加引号：grade "{published}"',
            'did you mean {meant}? For a grade printed only as words, quote it: grade "{published}"',
        ),
        "PR303.unknown_far": (
            '写分数段的名称（{bands}）；表上只印了文字等级时加引号：grade "{published}"',
            'write a band\'s name ({bands}); for a grade printed only as words, quote it: grade "{published}"',
        ),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        total = next((e for e in ctx.plan.expect if e.target == "total"), None)
        grade = next((e for e in ctx.plan.expect if e.target == "grade"), None)
        names = [b.name for b in ctx.plan.grades]
        if grade is not None and not grade.quoted and grade.value not in names:  # `grade 优秀`: a band mistyped
            meant = nearest_band(str(grade.value), names)
            yield self.finding(ctx, grade.span, severity=Severity.WARNING,
                               key="PR303.unknown" if meant else "PR303.unknown_far", published=grade.value,
                               bands="、".join(names), meant=meant)
            return
        if total is None or grade is None:
            return
        if grade.value not in names:  # a verbal grade (「实施比较顺利」): kept as text
            yield self.finding(ctx, grade.span, severity=Severity.INFO, key="PR303.verbal", published=grade.value,
                               bands="、".join(b.name for b in ctx.plan.grades))
            return
        band = ctx.plan.grade_of(Decimal(total.value))
        if band != grade.value:
            yield self.finding(ctx, grade.span, published=grade.value, total=total.value, band=band)


def nearest_band(written: str, names: list[str]) -> str:
    """The band a grade name not among `names` most likely means: one it contains (优秀 → 优, 良好 → 良, 较差 → 差),
    else the closest spelling; "" when none is near."""
    inside = [name for name in names if name and name in written]
    if inside:
        return max(inside, key=len)
    import difflib

    close = difflib.get_close_matches(written, names, n=1, cutoff=0.5)
    return close[0] if close else ""
