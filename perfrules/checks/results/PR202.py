from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from perfrules.checks.common import has_target, points_target
from perfrules.checks.config import Setting
from perfrules.checks.registry import Check, Context
from perfrules.display import DASH
from perfrules.findings import Finding, Severity
from perfrules.plan.model import Indicator
from perfrules.scoring.result import IndicatorResult


class DeviationWithoutReason(Check):
    """有偏差却没有写偏差原因。

    自评表要求对偏差作出「偏差原因分析及改进措施」。未完成目标，或完成率达到 130%
    （阈值 deviation-reason）的指标，应写 reason。没有目标的行（按满分打分的评价准则 `相关性 scale 100 weight 20`，
    定性且没写目标的行）无所谓偏差，不检查；目标以「分」计（`相关性 >= 100 分`）的行，提示中说明满分打分的写法。

    **反例 Anti-pattern**

    ```perf
    资金拨付及时率 >= 100% weight 10
    actuals {
      资金拨付及时率 = 2.5%
    }
    ```

    **正例 Best practice**

    ```perf
    资金拨付及时率 >= 100% weight 10
    actuals {
      资金拨付及时率 = 2.5%
        reason "受天气影响活动推迟，资金将于次年一季度拨付"
    }
    ```
    """

    code = "PR202"
    severity = Severity.WARNING
    title = "有偏差但没有偏差原因"
    title_en = "a deviation with no 偏差原因"
    messages = {
        "PR202": ("{name} {kind}（完成率 {rate}），但没有写偏差原因", "{name} deviates ({rate}) but gives no reason"),
        "PR202.date": ("{name} 未按期完成（{actual}），但没有写偏差原因", "{name} missed its date ({actual}) but gives no reason"),
        # a target in 分 (`>= 100 分`): the same message, with a hint on how to write a criterion scored 0–100
        "PR202.points": ("{name} {kind}（完成率 {rate}），但没有写偏差原因", "{name} deviates ({rate}) but gives no reason"),
    }
    hints = {
        "PR202": ("在实际值后写 reason \"偏差原因及改进措施\"", 'add reason "..." after the actual'),
        "PR202.date": ('在实际值后写 reason "逾期的原因及改进措施"', 'add reason "..." after the actual: why it was late'),
        "PR202.points": (
            '在实际值后写 reason "偏差原因及改进措施"；若这一行是按 0–100 打分、没有目标的评价准则，'
            "写成 {name} scale 100 weight …（满分打分，见 docs/language.md 11.8），就没有偏差可言",
            'add reason "..." after the actual; if the row is a criterion scored 0-100 with no target, write '
            "{name} scale 100 weight … (docs/language.md 11.8): it then has no deviation",
        ),
    }
    settings = (
        Setting("deviation-reason", "130%", "percent",
                "完成率达到此值须写偏差原因（PR202）",
                "completion from which a deviation needs a reason (PR202)"),
    )
    needs_result = True  # runs only on a ruleset with actuals

    def run(self, ctx: Context) -> Iterator[Finding]:
        if ctx.result is None:
            return
        limit = ctx.config.threshold("deviation-reason")
        plan = ctx.plan.indicator_by_key
        # a row's finding depends on its result (the same object: the same indicator) and the settings only
        settings = (limit, ctx.config.severity_for(self.code, self.severity))
        yield from ctx.by_row(self.code, settings, ctx.result.body, lambda ind: self._row(ctx, ind, plan, limit))

    def _row(self, ctx: Context, ind: IndicatorResult, plan: Mapping[str, Indicator],
             limit: Decimal) -> Iterator[Finding]:
        if ind.status != "scored" or ind.reason or ind.met is None or not has_target(plan.get(ind.key)):
            return
        over = ind.completion is not None and ind.completion >= limit
        if over or not ind.met:
            key = "PR202.date" if ind.kind == "date" else "PR202.points" if points_target(plan.get(ind.key)) else ""
            yield self.finding(ctx, ind.span, key=key, name=ind.name, rate=ind.completion_text(DASH),
                               kind="超额完成" if over else "未完成目标", actual=ind.actual_text)
