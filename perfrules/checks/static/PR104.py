from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.common import pct
from perfrules.checks.config import Setting
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity

OUTPUT_BENEFIT = ("产出", "效益", "项目产出", "项目效益", "效果")
FRAMEWORK = {"决策", "过程"}  # the first level of the 财预〔2020〕10号 framework besides 产出 and 效益


class OutputBenefitTooLight(Check):
    """外部评价中 产出 与 效益 的分值合计过低。

    按财预〔2020〕10号，部门评价和财政评价的指标体系应突出结果导向，产出和效益类指标的分值
    一般不低于 60%（默认阈值，可在 policy 中改 output-benefit-min）。只检查按这一框架搭建的评价：类型为
    「评价」，且一级指标有 决策 和 过程（如 `use std/evaluation`）。按 相关性/效率/效果/可持续性 等
    其他框架写的评价不适用这条规则，不检查。

    **反例 Anti-pattern**

    ```perf
    dimension 决策 weight 30 {
      立项依据充分性 qualitative weight 30
    }
    dimension 过程 weight 30 {
      资金到位率 >= 100% weight 30
    }
    dimension 产出 weight 20 {
      完成数量 >= 10 个 weight 20
    }
    dimension 效益 weight 20 {
      满意度 >= 90% weight 20
    }
    ```

    **正例 Best practice**

    ```perf
    dimension 决策 weight 20 {
      立项依据充分性 qualitative weight 20
    }
    dimension 过程 weight 20 {
      资金到位率 >= 100% weight 20
    }
    dimension 产出 weight 40 {
      完成数量 >= 10 个 weight 40
    }
    dimension 效益 weight 20 {
      满意度 >= 90% weight 20
    }
    ```
    """

    code = "PR104"
    severity = Severity.WARNING
    title = "外部评价中 产出+效益 分值不足"
    title_en = "产出 + 效益 below the minimum share in an external evaluation"
    messages = {
        "PR104": (
            "产出与效益的分值合计 {weight}/{total}（{share}），低于 {minimum}",
            "产出 and 效益 carry {weight} of {total} ({share}), below {minimum}",
        ),
    }
    hints = {
        "PR104": (
            "提高产出、效益类指标的分值，使其合计不低于 {minimum}（阈值 output-benefit-min）",
            "give 产出 and 效益 at least {minimum} of the points (setting output-benefit-min)",
        ),
    }
    settings = (
        Setting("output-benefit-min", "60%", "percent",
                "外部评价中 产出+效益 分值占总分的最低比例（PR104）",
                "minimum share of 产出+效益 in an external evaluation (PR104)"),
    )
    partial_safe = False  # a share of the total: a line dropped by a syntax error makes it wrong

    def run(self, ctx: Context) -> Iterator[Finding]:
        plan = ctx.plan
        if plan.kind != "评价" or not plan.all_sections or not {n.name for n in plan.body} >= FRAMEWORK:
            return
        weight = sum((n.weight for n in plan.body if n.name.startswith(OUTPUT_BENEFIT)), Decimal(0))  # 产出指标 too
        total = sum((n.weight for n in plan.body), Decimal(0))
        minimum = ctx.config.threshold("output-benefit-min")
        if total > 0 and weight / total < minimum:
            yield self.finding(ctx, plan.body[0].span, weight=weight, total=total, share=pct(weight / total),
                               minimum=pct(minimum))
