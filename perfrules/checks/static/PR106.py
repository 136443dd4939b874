from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.common import normal_name
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.plan.model import Indicator


class MeasuredTwice(Check):
    """同一个指标重复计分。

    同一度量出现在两处（如「资金到位率」既在 过程 下又在 产出 下），等于给同一件事打两次分，
    放大了它的影响。保留一处，把分值给别的指标。

    **反例 Anti-pattern**

    ```perf
    dimension 过程 weight 50 {
      资金到位率 >= 100% weight 25
      资金使用合规性 qualitative weight 25
    }
    dimension 产出 weight 50 {
      资金到位率 >= 100% weight 25
      完成数量 >= 10 个 weight 25
    }
    ```

    **正例 Best practice**

    ```perf
    dimension 过程 weight 50 {
      资金到位率 >= 100% weight 25
      资金使用合规性 qualitative weight 25
    }
    dimension 产出 weight 50 {
      完成质量达标率 >= 95% weight 25
      完成数量 >= 10 个 weight 25
    }
    ```
    """

    code = "PR106"
    severity = Severity.WARNING
    title = "同一指标重复计分"
    title_en = "the same measure scored twice"
    messages = {
        "PR106": (
            "{name} 与「{first}」（第 {line} 行）是同一指标，重复计分",
            "{name} measures the same as {first} (line {line}): scored twice",
        ),
    }
    hints = {
        "PR106": ("只保留一处，把另一处的分值分给别的指标", "keep one of the two and give the other's points to another indicator"),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        first: dict[str, Indicator] = {}
        for ind in ctx.plan.all_indicators:
            key = normal_name(ind.name)
            if key in first:
                other = first[key]
                yield self.finding(ctx, ind.span, name=ind.name, first=other.key,
                                   line=other.span.line if other.span else "?")
            else:
                first[key] = ind
