from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from perfrules.checks.common import execution_rate, pct
from perfrules.checks.common import executions as executions_of
from perfrules.checks.config import Setting
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class BehindTimeProgress(Check):
    """执行进度落后于时间进度（绩效运行监控）。

    「双监控」把预算执行进度与时间进度比较：(执行率 ÷ 已过去的年度比例) 低于 60% 为红灯，
    低于 80% 为黄灯（阈值 monitoring-red、monitoring-yellow）。用 `perfrules lint --as-of 2023-06-30` 指定监控日期。

    **反例 Anti-pattern**

    ```perf
    ruleset "监控" {
      year 2023
      kind 监控
    }
    预算执行率 >= 100% weight 100 method execution
    actuals {
      预算执行率 = 20%
    }
    ```

    **正例 Best practice**

    ```perf
    ruleset "监控" {
      year 2023
      kind 监控
    }
    预算执行率 >= 100% weight 100 method execution
    actuals {
      预算执行率 = 48%
    }
    ```
    """

    code = "PR205"
    severity = Severity.WARNING
    title = "执行进度落后于时间进度"
    title_en = "execution behind time progress (monitoring)"
    messages = {
        "PR205": (
            "{date} {light}：{name} {rate}，时间进度 {time}，执行进度仅为时间进度的 {progress}",
            "{date}: {name} {rate} against time progress {time}: {progress} of the time progress",
        ),
    }
    hints = {
        "PR205": ("加快资金支付，或说明执行进度落后于时间进度的原因", "speed up the payments, or explain why spending lags behind time"),
    }
    settings = (
        Setting("monitoring-red", "60%", "percent",
                "执行进度 ÷ 时间进度低于此值为红灯（PR205 error）",
                "execution ÷ time progress below which PR205 is red"),
        Setting("monitoring-yellow", "80%", "percent",
                "执行进度 ÷ 时间进度低于此值为黄灯（PR205 warning）",
                "execution ÷ time progress below which PR205 is yellow"),
    )
    needs_result = True  # runs only on a ruleset with actuals

    def run(self, ctx: Context) -> Iterator[Finding]:
        as_of = ctx.as_of
        if as_of is None and ctx.plan.kind == "监控" and ctx.plan.year:
            as_of = date(ctx.plan.year, 6, 30)  # the mid-year monitoring point when none is given
        if as_of is None:
            return
        elapsed = elapsed_share(as_of)
        red, yellow = ctx.config.threshold("monitoring-red"), ctx.config.threshold("monitoring-yellow")
        executions = executions_of(ctx.plan)
        for ind in ctx.scored():
            rate = execution_rate(executions.get(ind.key), ind)
            if rate is None or elapsed == 0:
                continue
            progress = rate / elapsed
            if progress < yellow:
                severity = Severity.ERROR if progress < red else Severity.WARNING
                yield self.finding(ctx, ind.span, severity=severity, name=ind.name, rate=pct(rate),
                                   time=pct(elapsed), progress=pct(progress), date=as_of.isoformat(),
                                   light="红灯" if severity is Severity.ERROR else "黄灯")


def elapsed_share(as_of: date) -> Decimal:
    """The share of the year gone by on `as_of`, in months: 30 June is exactly 6/12."""
    import calendar  # only a monitoring plan needs it: not imported at start-up

    days = calendar.monthrange(as_of.year, as_of.month)[1]
    months = Decimal(as_of.month - 1) + Decimal(as_of.day) / Decimal(days)
    return months / 12
