from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.common import pct
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.messages import HINTS

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

    def run(self, ctx: Context) -> Iterator[Finding]:
        info, warning = ctx.config.threshold("over-completion-info"), ctx.config.threshold("over-completion-warning")
        for ind in ctx.scored():
            rate = ind.completion
            if ind.kind != "quantitative" or rate is None or rate < info:
                continue
            severity = Severity.WARNING if rate >= warning else Severity.INFO
            planned = ctx.plan.indicator_by_key.get(ind.key)
            if planned is not None and planned.comparator in REVERSE:
                chosen = ctx.config.severity_for(self.code, severity)
                yield Finding.make(self.code, ind.span, severity=chosen, key="PR201.loose",
                                   hint="PR201.loose" if "PR201.loose" in HINTS else "", name=ind.name,
                                   rate=pct(rate), target=ind.target, actual=ind.actual_text)
                continue
            yield self.finding(ctx, ind.span, severity=severity, name=ind.name, rate=pct(rate), target=ind.target,
                               actual=ind.actual_text)
