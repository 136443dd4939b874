from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from perfrules.checks.common import execution_rate, pct
from perfrules.checks.common import executions as executions_of
from perfrules.checks.config import Setting
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.plan.model import Indicator
from perfrules.scoring.result import IndicatorResult


class LowExecution(Check):
    """预算执行率低：钱没有花出去。

    执行率 2.52% 意味着预算几乎没有使用，项目要么没有实施，要么预算严重脱离实际。
    低于 90% 警告，低于 60% 为错误（阈值 execution-warning、execution-error）。

    **反例 Anti-pattern**

    ```perf
    facts {
      全年预算数 = 662.77 万元
      全年执行数 = 16.67 万元
    }
    预算执行率 = 全年执行数 / 全年预算数 >= 100% weight 10 method execution
    ```

    **正例 Best practice**

    ```perf
    facts {
      全年预算数 = 662.77 万元
      全年执行数 = 650.12 万元
    }
    预算执行率 = 全年执行数 / 全年预算数 >= 100% weight 10 method execution
    ```
    """

    code = "PR204"
    severity = Severity.WARNING
    title = "预算执行率低"
    title_en = "a low budget execution rate"
    messages = {
        "PR204": ("{name} 仅为 {rate}：预算资金没有及时使用", "{name} is only {rate}: the money was not spent"),
    }
    hints = {
        "PR204": ("说明资金未使用的原因，并考虑收回或调整预算", "explain why the money was not spent"),
    }
    settings = (
        Setting("execution-warning", "90%", "percent",
                "预算执行率低于此值警告（PR204）",
                "execution rate below which PR204 warns"),
        Setting("execution-error", "60%", "percent",
                "预算执行率低于此值为错误（PR204）",
                "execution rate below which PR204 is an error"),
    )
    needs_result = True  # runs only on a ruleset with actuals

    def run(self, ctx: Context) -> Iterator[Finding]:
        if ctx.result is None:
            return
        warning, error = ctx.config.threshold("execution-warning"), ctx.config.threshold("execution-error")
        executions = executions_of(ctx.plan)
        # a row's finding depends on its result (the same object: the same indicator) and the settings only
        settings = (warning, error, *(ctx.config.severity_for(self.code, s) for s in Severity))
        yield from ctx.by_row(self.code, settings, ctx.result.body,
                              lambda ind: self._row(ctx, ind, executions, warning, error))

    def _row(self, ctx: Context, ind: IndicatorResult, executions: Mapping[str, Indicator], warning: Decimal,
             error: Decimal) -> Iterator[Finding]:
        if ind.status != "scored":
            return
        rate = execution_rate(executions.get(ind.key), ind)
        if rate is None or rate >= warning:
            return
        severity = Severity.ERROR if rate < error else Severity.WARNING
        yield self.finding(ctx, ind.span, severity=severity, name=ind.name, rate=pct(rate))
