from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.history.model import show


class DroppedWhileMissed(Check):
    """上一年没完成的指标，下一年被删掉了：以删除指标代替完成目标。

    一个指标某年未完成目标，下一年（或本年的规则集中）就不见了，应说明原因：是任务确已结束，
    还是为了不再被考核。匹配依次按路径、唯一名称、规范化名称（去掉括号、「指标1：」前缀和空格）。

    **反例 Anti-pattern**

    ```perf
    资格认证人数 >= 60000 人 weight 10
    history {
      2022 资格认证人数 >= 60000 人 actual 61000 人
      2022 退休人员培训人次 >= 500 人次 actual 300 人次
    }
    ```

    **正例 Best practice**

    ```perf
    资格认证人数 >= 60000 人 weight 5
    退休人员培训人次 >= 500 人次 weight 5
    history {
      2022 资格认证人数 >= 60000 人 actual 61000 人
      2022 退休人员培训人次 >= 500 人次 actual 300 人次
    }
    ```
    """

    code = "PR404"
    severity = Severity.INFO
    title = "未完成的指标次年被删除"
    title_en = "an indicator dropped after it was missed"
    messages = {
        "PR404": (
            "{name} {year} 年未完成目标（目标 {target}，实际 {actual}），下一年却不再考核：以删除指标代替完成目标？",
            "{name} missed its target in {year} (target {target}, actual {actual}) and was dropped the next year",
        ),
    }
    hints = {
        "PR404": (
            "说明该指标不再考核的原因：任务已经结束，还是改用了其他指标",
            "explain why it was dropped: the task ended, or another indicator replaced it",
        ),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        history = ctx.history
        if history is None:
            return
        for year in history.years:
            for point in year.points:
                if point.target is None or point.actual is None or point.comparator in (None, "="):
                    continue
                positive = point.comparator in (">=", ">")
                missed = point.actual < point.target if positive else point.actual > point.target
                if missed and not history.next_keys.get((year.year, point.key), True):
                    yield self.finding(ctx, point.span, name=point.name, year=year.year,
                                       target=show(point.target, point.unit), actual=show(point.actual, point.unit))
