from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class UnusedSuppression(Check):
    """抑制注释没有抑制任何问题。

    `# noqa: PR201` 只应留在确有该问题的行上。问题修好后留下的抑制注释会掩盖将来的新问题，应删除：
    `perfrules lint --fix` 删除没有用到的代码，代码都没有用到时删除整个 noqa（其后的说明文字作为普通注释保留，
    同一行的其他注释不动）。`--select`/`--ignore` 或 severity `off` 没有运行的检查的代码不算没有用到。
    本检查不能用 noqa 抑制，可以用 `--ignore PR901` 关闭。

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
        "PR901": ("删除这个 noqa 注释（perfrules lint --fix 可自动删除）", "remove this noqa comment (perfrules lint --fix does)"),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        return iter(())  # reported by perfrules.checks.suppress, which sees every other finding first
