from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.plan.model import Indicator

VAGUE = ("逐步提高", "显著提升", "效果明显", "有所提高", "进一步", "不断", "改善", "提高", "提升", "明显", "较好", "良好",
         "加强")


class VagueTarget(Check):
    """目标值含糊、无法衡量。

    「逐步提高」「显著提升」「效果明显」这样的目标无法核对是否完成，评价时只能凭印象给分。
    绩效目标应当清晰、细化、可衡量：写成数量、比率或可验证的状态。

    **反例 Anti-pattern**

    ```perf
    退休人员幸福感 qualitative "逐步提高" weight 10
    ```

    **正例 Best practice**

    ```perf
    退休人员幸福感指数 >= 85% weight 10
    ```
    """

    code = "PR101"
    severity = Severity.WARNING
    title = "目标值含糊、无法衡量"
    title_en = "vague, unmeasurable target wording"
    messages = {
        "PR101": (
            "{name} 的目标「{text}」含糊（{word}），无法衡量",
            "the target of {name}, \"{text}\", is vague ({word}) and cannot be measured",
        ),
        "PR101.whole": (  # the target is the vague word itself: not said twice
            "{name} 的目标「{text}」含糊，无法衡量",
            "the target of {name}, \"{text}\", is vague and cannot be measured",
        ),
    }
    hints = {
        "PR101": (
            "把目标写成可以核对的数量、比率或状态，如 >= 90%、>= 12 场",
            "write a target that can be checked: a number, a rate or a state, e.g. >= 90%",
        ),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        yield from ctx.by_row(self.code, ctx.config.severity_for(self.code, self.severity), ctx.plan.body,
                              lambda ind: self._row(ctx, ind))

    def _row(self, ctx: Context, ind: Indicator) -> Iterator[Finding]:
        text = ind.target_text if ind.kind == "qualitative" else ""
        word = next((w for w in VAGUE if w in text), None)
        if word:
            yield self.finding(ctx, ind.span, key="PR101" if word != text.strip() else "PR101.whole", name=ind.name,
                               text=text, word=word)
