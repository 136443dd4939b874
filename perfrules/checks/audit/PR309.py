from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

from perfrules import display
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.plan.units import CONTEXT

HUNDRED = Decimal(100)


class PrintedRateWrong(Check):
    """预算执行率一行印出的执行率与计算值不符。

    评分表的预算执行率一行常印有「执行率」一栏。把它写在实际值一行（`rate 95.3%`，中文 `执行率 95.3%`），
    perfrules 用该行的实际值（公式指标即 全年执行数 / 全年预算数 算出的值）核对：按所印的位数四舍五入或截断后
    与所印的数相同即可（95.27% 印作 95.3% 不报），否则报告——所印的执行率与资金数对不上，得分多半也跟着错了。

    **反例 Anti-pattern**

    ```perf
    facts {
      全年预算数 = 600 万元
      全年执行数 = 571.6 万元
    }
    预算执行率 = 全年执行数 / 全年预算数 >= 100% weight 10 method execution
    actuals {
      预算执行率 rate 98.5%
    }
    ```

    **正例 Best practice**

    ```perf
    facts {
      全年预算数 = 600 万元
      全年执行数 = 571.6 万元
    }
    预算执行率 = 全年执行数 / 全年预算数 >= 100% weight 10 method execution
    actuals {
      预算执行率 rate 95.3%
    }
    ```
    """

    code = "PR309"
    severity = Severity.ERROR
    title = "印出的执行率与计算值不符"
    title_en = "a printed execution rate that the computed rate does not give"
    messages = {
        "PR309": (
            "{name} 印出的执行率 {printed} 与计算值 {computed} 不符（按所印位数四舍五入或截断后仍不同）",
            "{name} prints an execution rate of {printed}, but the computed rate is {computed} (not a rounding of it)",
        ),
    }
    hints = {
        "PR309": ("核对执行数与预算数，或改正印出的执行率", "check the amounts spent and budgeted, or correct the printed rate"),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        for ind in ctx.scored():
            if ind.printed_rate is None or ind.actual is None or ind.unit != "%":
                continue
            printed = ind.printed_rate * HUNDRED  # in %
            exponent = Decimal((ind.printed_rate_text or "").rstrip("%‰") or "0").as_tuple().exponent
            step = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
            if ind.printed_rate_text and ind.printed_rate_text.endswith("‰"):
                step = step / 10  # ‰ printed with n places is % with n + 1
            computed = ind.actual  # the row's unit is %: its actual is in %
            with localcontext(CONTEXT):
                ways = (computed.quantize(step, rounding=ROUND_HALF_UP), computed.quantize(step, rounding=ROUND_DOWN))
                wrong = printed.quantize(step) not in ways
            if wrong:  # not the computed rate rounded (half up) or cut to the printed places
                yield self.finding(ctx, ind.span, name=ind.name, printed=ind.printed_rate_text,
                                   computed=display.figure_percent(computed / HUNDRED))
