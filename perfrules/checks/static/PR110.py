from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class FailingCheck(Check):
    """自定义校验不成立。

    规则文件中自己写的 `check` 断言（如「成本与预算匹配」「执行率过低」）不成立时报告，消息中给出校验的名称、
    左右两边的值。级别默认为错误，由 `check` 的 `severity` 决定；`eval` 在错误级的校验不成立时失败。
    成本标准 × 数量 与预算的自动比较仍是 PR107。

    **反例 Anti-pattern**

    ```perf
    facts {
      全年预算数 = 600 万元
      全年执行数 = 15 万元
    }
    完成数量 >= 10 个 weight 100
    check 执行率不低于六成: 全年执行数 / 全年预算数 >= 60%
    actuals {
      完成数量 = 10 个
    }
    ```

    **正例 Best practice**

    ```perf
    facts {
      全年预算数 = 600 万元
      全年执行数 = 540 万元
    }
    完成数量 >= 10 个 weight 100
    check 执行率不低于六成: 全年执行数 / 全年预算数 >= 60%
    actuals {
      完成数量 = 10 个
    }
    ```
    """

    code = "PR110"
    severity = Severity.ERROR
    title = "自定义校验不成立"
    title_en = "a check of the rule file's own fails"
    messages = {
        "PR110": (
            "校验 {name} 不成立：左边 {left}，右边 {right}",
            "check {name} fails: left side {left}, right side {right}",
        ),
    }
    hints = {
        "PR110": (
            "核对校验 {name} 所涉的数据；校验本身写错时改正 check 的写法",
            "check the figures of {name}; if the check itself is wrong, correct it",
        ),
    }
    fails_eval = True  # the file's own check fails: `perfrules eval` fails (exit 1), as a failed expect does
    partial_safe = False  # a dropped line can leave a side of the check without its values

    def run(self, ctx: Context) -> Iterator[Finding]:
        if ctx.result is None:
            return
        checks = {c.span: c for c in ctx.plan.checks}
        for outcome in ctx.result.checks:
            if outcome.passed is False:
                declared = checks.get(outcome.span)
                severity = Severity(declared.severity) if declared else None
                left, right = outcome.texts()
                yield self.finding(ctx, outcome.span, severity=severity, name=outcome.label, left=left, right=right)
