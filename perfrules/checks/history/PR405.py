from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.history.match import normalise


class UnmatchedHistory(Check):
    """往年的指标在本年找不到对应的指标：没有比较，也不猜测。

    往年指标依次按路径、唯一名称、规范化名称（去掉括号内容、「指标1：」之类前缀、空格和引号）
    与本年的指标对应；都找不到的（改了名、删除了，或名称有歧义）列出来，由人判断。
    同名的指标只报最近的一年。

    **反例 Anti-pattern**

    ```perf
    资格认证人数 >= 60000 人 weight 10
    history {
      2022 资格审核人数 >= 60000 人 actual 61000 人
    }
    ```

    **正例 Best practice**

    ```perf
    资格认证人数 >= 60000 人 weight 10
    history {
      2022 "指标1：资格认证人数（人）" >= 60000 人 actual 61000 人
    }
    ```
    """

    code = "PR405"
    severity = Severity.INFO
    title = "往年指标未能对应"
    title_en = "an earlier year's indicator matches none of this year's"
    messages = {
        "PR405": (
            "{year} 年的指标 {name}（{source}）在本年找不到对应的指标（路径、名称、规范化名称都不相同或有歧义），未作比较",
            "{name} of {year} ({source}) matches no indicator of this year (by path, name or normalised name): not compared",
        ),
    }
    hints = {
        "PR405": (
            "核对它是改了名、删除了，还是名称有歧义；要比较，就让两年的名称一致",
            "check whether it was renamed, dropped or is ambiguous; name it alike in both years to compare it",
        ),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        history = ctx.history
        if history is None:
            return
        seen: set[str] = set()
        for point in sorted(history.unmatched, key=lambda p: -p.year):
            word = normalise(point.name)
            if word in seen:
                continue
            seen.add(word)
            yield self.finding(ctx, point.span, name=point.name, year=point.year, source=point.source)
