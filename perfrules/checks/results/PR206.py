from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class ActualsCopyTargets(Check):
    """每个定量实际值都恰好等于目标值。

    所有指标都「刚好完成」，多半是把目标值抄进了实际完成值，而不是填写了实测数据。
    至少 3 个定量指标全部与目标相等时警告。目标全都是 100% 的比率时（「是否按时完成」「是否达标」这类
    达成与否的指标通常这样写，实际恰为 100% 很正常），只作提示，请核实佐证材料。

    **反例 Anti-pattern**

    ```perf
    受益人数 >= 500 人 weight 40
    培训场次 >= 10 场 weight 30
    覆盖率 >= 90% weight 30
    actuals {
      受益人数 = 500 人
      培训场次 = 10 场
      覆盖率 = 90%
    }
    ```

    **正例 Best practice**

    ```perf
    受益人数 >= 500 人 weight 40
    培训场次 >= 10 场 weight 30
    覆盖率 >= 90% weight 30
    actuals {
      受益人数 = 538 人
      培训场次 = 10 场
      覆盖率 = 93.5%
    }
    ```
    """

    code = "PR206"
    severity = Severity.WARNING
    title = "实际值全部等于目标值"
    title_en = "every quantitative actual exactly equal to its target"
    messages = {
        "PR206": (
            "全部 {count} 个定量指标的实际值都恰好等于目标值：可能照抄了目标",
            "all {count} quantitative actuals equal their targets exactly: probably copied from the targets",
        ),
        "PR206.met": (
            "全部 {count} 个定量指标的目标都是 100%，实际值也都是 100%：多为「是否完成」的指标，请核实佐证材料",
            "all {count} quantitative targets are rates of 100% and every actual is 100%: met yes/no rows; check the evidence",
        ),
    }
    hints = {
        "PR206": ("用实测数据填写实际完成值，并保留佐证材料", "fill in the measured actuals and keep the evidence"),
        "PR206.met": (
            "逐项核实「是否完成」的佐证材料（文件、验收记录）",
            "confirm each yes/no row from its evidence (documents, acceptance records)",
        ),
    }
    needs_result = True  # runs only on a ruleset with actuals

    def run(self, ctx: Context) -> Iterator[Finding]:
        plan = ctx.plan.indicator_by_key
        quantitative = [i for i in ctx.scored() if i.kind == "quantitative" and plan[i.key].formula is None]
        if len(quantitative) < 3:
            return
        if all(i.actual is not None and plan[i.key].target is not None
               and plan[i.key].unit.to_base(i.actual) == plan[i.key].target for i in quantitative):
            if all(plan[i.key].target == 1 and plan[i.key].unit.text == "%" for i in quantitative):
                yield self.finding(ctx, quantitative[0].span, key="PR206.met", severity=Severity.INFO,
                                   count=len(quantitative))
                return
            yield self.finding(ctx, quantitative[0].span, count=len(quantitative))
