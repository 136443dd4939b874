from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.common import normal_name
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.plan.model import Indicator

PLACEHOLDERS = {"不涉及", "无", "/", "—", "-", "--", "暂无", "空", "无此项"}


class PlaceholderIndicator(Check):
    """占位指标仍占分值。

    自评表里常有「不涉及」「无」这样的占位行。它们若仍带着分值，就会让总分凭空多出或少掉几分。
    确实不适用的指标应标为不适用（na），总分会按适用的分值折算；或者删除它，把分值分给真实的指标。

    **反例 Anti-pattern**

    ```perf
    dimension 效益 weight 20 {
      经济效益指标 qualitative "不涉及" weight 10
      受益人数 >= 500 人 weight 10
    }
    ```

    **正例 Best practice**

    ```perf
    dimension 效益 weight 20 {
      受益人数 >= 500 人 weight 20
    }
    ```
    """

    code = "PR102"
    severity = Severity.WARNING
    title = "占位指标（不涉及、无）仍占分值"
    title_en = "placeholder indicators (不涉及, 无) that still carry weight"
    messages = {
        "PR102": ("{name} 是占位指标，却占 {weight} 分", "{name} is a placeholder but carries {weight} points"),
    }
    hints = {
        "PR102": (
            "不适用的指标标为 na（总分按适用的分值折算），或删除这一行、把分值分给真实的指标",
            "mark a row that does not apply as na (the total is rescaled), or remove it and give its points to a real indicator",
        ),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        yield from ctx.by_row(self.code, ctx.config.severity_for(self.code, self.severity), ctx.plan.body,
                              lambda ind: self._row(ctx, ind))

    def _row(self, ctx: Context, ind: Indicator) -> Iterator[Finding]:
        if ind.weight <= 0 or ind.na:
            return
        texts = {normal_name(ind.name), ind.target_text.strip() if ind.kind == "qualitative" else ""}
        if texts & PLACEHOLDERS or "不涉及" in ind.name:
            yield self.finding(ctx, ind.span, name=ind.name, weight=ind.weight)
