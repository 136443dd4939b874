from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from perfrules.checks.common import pct
from perfrules.checks.config import Setting
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.history.model import History, show
from perfrules.plan.units import parse_unit

WAN = parse_unit("万元")


class TargetLoweredBudgetRose(Check):
    """预算增加了，目标却降低（或不变）：钱多了，产出没有跟上。

    与上一年相比预算增加而目标降低，提示；目标不变而预算增长超过 history-budget-rise（默认 10%），
    也提示。本年预算取基础数据中的「全年预算数」等，往年预算取往年规则文件的同名基础数据或
    `history` 块中的 `年份 budget 金额`。

    **反例 Anti-pattern**

    ```perf
    facts {
      全年预算数 = 800 万元
    }
    培训人次 >= 900 人次 weight 10
    history {
      2022 培训人次 >= 1000 人次 actual 980 人次
      2022 budget 600 万元
    }
    ```

    **正例 Best practice**

    ```perf
    facts {
      全年预算数 = 800 万元
    }
    培训人次 >= 1300 人次 weight 10
    history {
      2022 培训人次 >= 1000 人次 actual 980 人次
      2022 budget 600 万元
    }
    ```
    """

    code = "PR403"
    severity = Severity.INFO
    title = "预算增加而目标降低"
    title_en = "a target lowered while the budget rose"
    messages = {
        "PR403.lowered": (
            "{name} 的目标由 {year} 年的 {before} 降为 {after}，预算却由 {budget_before} 增至 {budget_after}（{rise}）",
            "the target of {name} fell from {before} ({year}) to {after} while the budget rose from {budget_before} to"
            " {budget_after} ({rise})",
        ),
        "PR403.flat": (
            "{name} 的目标与 {year} 年同为 {after}，预算却由 {budget_before} 增至 {budget_after}（增长 {rise}）",
            "the target of {name} stays at {after} as in {year} while the budget rose from {budget_before} to"
            " {budget_after} ({rise})",
        ),
    }
    hints = {
        "PR403": ("预算增加时相应提高产出目标，或说明目标不变的原因", "raise the output target with the budget, or explain why it stays"),
    }
    settings = (
        Setting("history-budget-rise", "10%", "percent",
                "目标不变而预算增长超过此比例时提示（PR403）",
                "budget rise over which an unchanged target informs (PR403)"),
    )

    def run(self, ctx: Context) -> Iterator[Finding]:
        history = ctx.history
        if not isinstance(history, History) or history.budget is None:
            return
        budgets = {y.year: y.budget for y in history.years if y.budget is not None}
        rise_limit = ctx.config.threshold("history-budget-rise")
        for series in history.series:
            past = [p for p in series.past if p.target is not None and p.year in budgets]
            if not past or series.target is None or series.comparator == "=":
                continue
            last = past[-1]
            before = budgets[last.year]
            assert before is not None and last.target is not None
            if before <= 0 or history.budget <= before:
                continue
            rise = history.budget / before - 1
            lowered = series.target < last.target if series.positive else series.target > last.target
            args: dict[str, Any] = {"name": series.name, "year": last.year, "before": show(last.target, series.unit),
                    "after": show(series.target, series.unit), "rise": pct(rise),
                    "budget_before": show(WAN.from_base(before), WAN),
                    "budget_after": show(WAN.from_base(history.budget), WAN)}
            if lowered:
                yield self.finding(ctx, series.span, key="PR403.lowered", **args)
            elif series.target == last.target and rise > rise_limit:
                yield self.finding(ctx, series.span, key="PR403.flat", **args)
