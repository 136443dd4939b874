from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.common import executions as executions_of
from perfrules.checks.common import has_target, points_target
from perfrules.checks.config import Setting
from perfrules.checks.registry import Check, Context
from perfrules.display import DASH
from perfrules.findings import Finding, Severity


class MissedTarget(Check):
    """未完成目标。

    列出没有完成的指标，便于在报告中分析原因。完成率低于 60%（阈值 missed-warning）时升为警告。
    预算执行率由 PR204 单独检查。没有目标的行（按满分打分的评价准则 `相关性 scale 100 weight 20`，定性且没写目标的行）
    不检查；目标以「分」计（`相关性 >= 100 分`）的行，提示中说明满分打分的写法。

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
      资金拨付及时率 = 100%
    }
    ```
    """

    code = "PR203"
    severity = Severity.INFO
    title = "未完成目标"
    title_en = "a missed target"
    messages = {
        "PR203": (
            "{name} 未完成目标：完成率 {rate}（目标 {target}，实际 {actual}）",
            "{name} missed its target: {rate} (target {target}, actual {actual})",
        ),
        "PR203.date": (
            "{name} 未按期完成：目标 {target}，实际 {actual}",
            "{name} missed its date: target {target}, actual {actual}",
        ),
        "PR203.points": (  # a target in 分 (`>= 100 分`): the hint says how to write a criterion scored 0–100
            "{name} 未完成目标：完成率 {rate}（目标 {target}，实际 {actual}）",
            "{name} missed its target: {rate} (target {target}, actual {actual})",
        ),
    }
    hints = {
        "PR203": (
            '在实际值后写 reason "未完成的原因及改进措施"',
            'add reason "..." after the actual: why the target was missed and what is done about it',
        ),
        "PR203.date": (
            '在实际值后写 reason "逾期的原因及改进措施"',
            'add reason "..." after the actual: why the date was missed and what is done about it',
        ),
        "PR203.points": (
            "若这一行是按 0–100 打分、没有目标的评价准则，写成 {name} scale 100 weight …（满分打分，"
            "见 docs/language.md 11.8）；否则在实际值后写 reason \"未完成的原因及改进措施\"",
            "if the row is a criterion scored 0-100 with no target, write {name} scale 100 weight … "
            '(docs/language.md 11.8); otherwise add reason "..." after the actual',
        ),
    }
    settings = (
        Setting("missed-warning", "60%", "percent",
                "完成率低于此值时未完成目标升为警告（PR203）",
                "completion below which a missed target warns (PR203)"),
    )
    needs_result = True  # runs only on a ruleset with actuals

    def run(self, ctx: Context) -> Iterator[Finding]:
        limit = ctx.config.threshold("missed-warning")
        plan = ctx.plan.indicator_by_key
        code = self.code
        # What `self.finding` gives, worked out once: a large file misses thousands of targets (the
        # language server checks it on every edit), so each finding is made directly, its args in
        # Finding.make's (sorted) order, and a rate shown once for every indicator at that rate.
        date_key = f"{code}.date"
        points = f"{code}.points"  # a target in 分: perhaps a criterion scored 0–100, which has no target
        severity = {False: ctx.config.severity_for(code, self.severity),
                    True: ctx.config.severity_for(code, Severity.WARNING)}
        rates: dict[tuple[Decimal | None, int], str] = {}
        # a row's finding depends on its result and its indicator only: taken again when both are the same objects
        settings = (limit, severity[False], severity[True])
        kept, rows = ctx.kept(code, settings), {}
        executions = None
        for ind in ctx.scored():
            if ind.met is not False:
                continue
            indicator = plan.get(ind.key)
            entry = kept.get(id(ind))
            if entry is not None and entry[0] is ind and entry[1] is indicator:
                rows[id(ind)] = entry
                if entry[2] is not None:
                    yield entry[2]
                continue
            rows[id(ind)] = (ind, indicator, None)
            if executions is None:
                executions = executions_of(ctx.plan)
            if ind.key in executions or not has_target(indicator):
                continue
            completion = ind.completion
            rate = rates.get((completion, ind.rate_places))
            if rate is None:  # shown with more places next to a boundary (99.99999999% on a 100% target)
                rate = rates[(completion, ind.rate_places)] = ind.completion_text(DASH)
            low = completion is not None and completion < limit
            # a missed date: 未按期完成, not a completion rate of —; a target in 分: perhaps a criterion scored 0–100
            key = date_key if ind.kind == "date" else points if points_target(indicator) else code
            # the hint asks for a reason: not when the row gives one already
            shown = "" if ind.reason else key
            finding = Finding(code, severity[low], ind.span,
                              (("actual", ind.actual_text), ("name", ind.name), ("rate", rate), ("target", ind.target)),
                              key, shown)
            rows[id(ind)] = (ind, indicator, finding)
            yield finding
        ctx.keep(code, settings, rows)
