from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.common import pct
from perfrules.checks.config import Setting
from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.history.model import Series, show


class RepeatedOverCompletion(Check):
    """连续几年超额完成，目标却没有提高：目标设置偏低最明显的证据。

    一年超额完成可能是意外；同一指标连续两年（history-over-years）完成率达到
    history-over-completion（默认 120%），而目标不变甚至降低，说明目标从来不是目标。
    有本年实际值时，本年也计入。

    **反例 Anti-pattern**

    ```perf
    活动场次 >= 4 场 weight 10
    history {
      2021 活动场次 >= 4 场 actual 8 场
      2022 活动场次 >= 4 场 actual 10 场
    }
    ```

    **正例 Best practice**

    ```perf
    活动场次 >= 10 场 weight 10
    history {
      2021 活动场次 >= 4 场 actual 8 场
      2022 活动场次 >= 8 场 actual 10 场
    }
    ```
    """

    code = "PR402"
    severity = Severity.WARNING
    title = "连续超额完成而目标未提高"
    title_en = "over-completed year after year with the target unchanged"
    messages = {
        "PR402": (
            "{name} 连续 {count} 年超额完成（{years}），目标却没有提高（{targets}）：目标设置偏低",
            "{name} over-completed {count} years in a row ({years}) with the target not raised ({targets})",
        ),
    }
    hints = {
        "PR402": (
            "按近几年的实际水平提高目标（perfrules targets 给出建议值）",
            "raise the target to the recent actuals (perfrules targets suggests one)",
        ),
    }
    settings = (
        Setting("history-over-completion", "120%", "percent",
                "往年完成率达到此值算作超额完成（PR402）",
                "completion counted as over-completion by PR402"),
        Setting("history-over-years", "2", "count",
                "连续超额完成达到此年数且目标未提高时警告（PR402）",
                "consecutive over-completed years at which PR402 warns"),
    )

    def run(self, ctx: Context) -> Iterator[Finding]:
        history = ctx.history
        if history is None:
            return
        threshold = ctx.config.threshold("history-over-completion")
        needed = int(ctx.config.threshold("history-over-years"))
        for series in history.series:
            if series.comparator == "=":
                continue
            streak = longest_streak(series, history.year, threshold)
            if len(streak) >= max(needed, 2):
                yield self.finding(
                    ctx, series.span, name=series.name, count=len(streak),
                    years="、".join(f"{year} 年 {pct(rate)}" for year, _target, rate in streak),
                    targets=" → ".join(show(target, series.unit) for _year, target, _rate in streak))


def longest_streak(series: Series, current: int | None, threshold: Decimal) -> list[tuple[int, Decimal, Decimal]]:
    """The latest longest run of consecutive years over-completed at `threshold` with the target not raised."""
    years = [(p.year, p.target, p.actual) for p in series.past
             if p.target is not None and p.actual is not None]
    if series.actual is not None and series.target is not None and current is not None:
        years.append((current, series.target, series.actual))
    best: list[tuple[int, Decimal, Decimal]] = []
    run: list[tuple[int, Decimal, Decimal]] = []
    for year, target, actual in years:
        rate = completion(target, actual, series.positive)
        if rate is None or rate < threshold:
            run = []
            continue
        previous = run[-1] if run else None
        raised = previous is not None and ((target > previous[1]) if series.positive else (target < previous[1]))
        if previous is None or year != previous[0] + 1 or raised:
            run = []
        run.append((year, target, rate))
        if len(run) >= len(best):
            best = list(run)
    return best


def completion(target: Decimal, actual: Decimal, positive: bool) -> Decimal | None:
    if target <= 0 or actual <= 0:
        return None
    return actual / target if positive else target / actual
