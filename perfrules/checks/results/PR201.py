from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.common import pct
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class OverCompletion(Check):
    """超额完成：目标可能定得太低。

    完成率 134%、300% 往往不是干得特别好，而是年初目标定得太低（「无压力的目标」）。
    完成率达到 120% 提示，达到 200% 警告（阈值 over-completion-info、over-completion-warning）。
    应调整下一年度的目标，并写明偏差原因。

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
            yield self.finding(ctx, ind.span, severity=severity, name=ind.name, rate=pct(rate), target=ind.target,
                               actual=ind.actual_text)
