from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.common import pct
from perfrules.checks.config import Setting
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.scoring.result import IndicatorResult

REVERSE = ("<=", "<")


class OverCompletion(Check):
    """超额完成：目标可能定得太低。

    完成率 134%、300% 往往不是干得特别好，而是年初目标定得太低（「无压力的目标」）。
    完成率达到 120% 提示，达到 200% 警告（阈值 over-completion-info、over-completion-warning）。
    应调整下一年度的目标，并写明偏差原因。反向指标（`<=`，如 投诉率 ≤ 2%、实际 1%）的完成率为 目标/实际，
    完成率高说明上限定得过松，消息相应地说「目标可能设置过松」。

    **反例 Anti-pattern**

    ```perf
    组织开展活动场次 >= 4 场 weight 10
    actuals {
      组织开展活动场次 = 12 场
    }
    ```

    **正例 Best practice**

    ```perf
    组织开展活动场次 >= 12 场 weight 10
    actuals {
      组织开展活动场次 = 12 场
    }
    ```
    """

    code = "PR201"
    severity = Severity.WARNING
    title = "超额完成，目标可能偏低"
    title_en = "over-completion: target probably set too low"
    messages = {
        "PR201": (
            "{name} 完成率 {rate}（目标 {target}，实际 {actual}）：目标可能设置偏低",
            "{name} completed {rate} (target {target}, actual {actual}): the target was probably set too low",
        ),
        "PR201.loose": (
            "{name} 完成率 {rate}（上限 {target}，实际 {actual}）：目标可能设置过松",
            "{name} completed {rate} (at most {target}, actual {actual}): the limit was probably set too loose",
        ),
    }
    hints = {
        "PR201": ("调高下一年度的目标，或用 reason 写明超额的原因", "raise next year's target, or give the reason"),
        "PR201.loose": ("收紧下一年度的上限（如按实际水平设定），或用 reason 写明原因", "tighten next year's limit, or give the reason"),
    }
    settings = (
        Setting("over-completion-info", "120%", "percent",
                "完成率达到此值提示超额完成（PR201 info）",
                "completion at which PR201 informs"),
        Setting("over-completion-warning", "200%", "percent",
                "完成率达到此值警告目标可能偏低（PR201 warning）",
                "completion at which PR201 warns"),
    )
    needs_result = True  # runs only on a ruleset with actuals

    def run(self, ctx: Context) -> Iterator[Finding]:
        if ctx.result is None:
            return
        info, warning = ctx.config.threshold("over-completion-info"), ctx.config.threshold("over-completion-warning")
        # a row's finding depends on its result (the same object: the same indicator) and the settings only
        settings = (info, warning, *(ctx.config.severity_for(self.code, s) for s in Severity))
        yield from ctx.by_row(self.code, settings, ctx.result.body, lambda ind: self._row(ctx, ind, info, warning))

    def _row(self, ctx: Context, ind: IndicatorResult, info: Decimal, warning: Decimal) -> Iterator[Finding]:
        rate = ind.completion
        if ind.status != "scored" or ind.kind != "quantitative" or rate is None or rate < info:
            return
        severity = Severity.WARNING if rate >= warning else Severity.INFO
        planned = ctx.plan.indicator_by_key.get(ind.key)
        if planned is not None and planned.comparator in REVERSE:
            yield self.finding(ctx, ind.span, severity=severity, key="PR201.loose", name=ind.name, rate=pct(rate),
                               target=ind.target, actual=ind.actual_text)
            return
        yield self.finding(ctx, ind.span, severity=severity, name=ind.name, rate=pct(rate), target=ind.target,
                           actual=ind.actual_text)
