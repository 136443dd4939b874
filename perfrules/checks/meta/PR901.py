from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class UnusedSuppression(Check):
    """抑制注释没有抑制任何问题。

    `# noqa: PR201` 只应留在确有该问题的行上。问题修好后留下的抑制注释会掩盖将来的新问题，应删除。
    （本检查在抑制处理时运行，见 perfrules/checks/suppress.py。）

    **反例 Anti-pattern**

    ```perf
    培训场次 >= 10 场 weight 100  # noqa: PR201
    actuals {
      培训场次 = 10 场
    }
    ```

    **正例 Best practice**

    ```perf
    培训场次 >= 10 场 weight 100
    actuals {
      培训场次 = 10 场
    }
    ```
    """

    code = "PR901"
    severity = Severity.WARNING
    title = "抑制注释没有抑制任何问题"
    title_en = "a suppression comment that suppresses nothing"
    messages = {
        "PR901": ("抑制注释 {which} 没有抑制任何问题，可以删除", "suppression {which} suppresses nothing; remove it"),
    }
    hints = {
        "PR901": ("删除这个 noqa 注释", "remove this noqa comment"),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        return iter(())  # reported by perfrules.checks.suppress, which sees every other finding first
