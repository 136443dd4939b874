from __future__ import annotations

import re
from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity
from perfrules.vocabulary import COMPARATOR_SPELLINGS, COMPARATORS, FULL_WIDTH

# ≥ ≧ ≤ ≦ (the language's spellings) and ＞ ＜ ＝ (full-width) as > < =, for comparing texts.
COMPARATOR_SIGNS = str.maketrans({
    **{s: COMPARATOR_SPELLINGS[s][0] for t in ("GE", "LE") for s in COMPARATORS[t] if len(s) == 1},
    **{wide: meant for wide, meant in FULL_WIDTH.items() if meant in "<>" or wide == "＝"},
})
_COMPARATOR_FIRST = "".join(sorted({s[0] for t in ("GE", "LE", "GT", "LT") for s in COMPARATORS[t]}
                                   | {wide for wide, meant in FULL_WIDTH.items() if meant in "<>"} | {"="}))


class ActualRepeatsTarget(Check):
    """实际完成值只是重复了目标值的文字。

    「实际完成值」一栏写「≥266米」，只是把目标抄了一遍，没有给出实际数据，无法判断是否完成。

    **反例 Anti-pattern**

    ```perf
    新建道路长度 >= 266 米 weight 10
    actuals {
      新建道路长度 = "≥266米"
    }
    ```

    **正例 Best practice**

    ```perf
    新建道路长度 >= 266 米 weight 10
    actuals {
      新建道路长度 = 271 米
    }
    ```
    """

    code = "PR307"
    severity = Severity.ERROR
    title = "实际值只是重复目标"
    title_en = "an actual that only repeats the target text"
    messages = {
        "PR307": (
            "{name} 的实际值「{actual}」只是重复目标「{target}」，没有给出实际数据",
            "the actual of {name}, {actual}, only repeats the target {target}",
        ),
    }
    hints = {
        "PR307": ("填写实际测得的数据，如 280 米", "write what was measured, e.g. 280 米"),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        for ind in ctx.result.all_indicators if ctx.result else []:
            if ind.status != "text" or ind.kind != "quantitative":
                continue
            if _squash(ind.actual_text) == _squash(ind.target) or _has_comparator(ind.actual_text):
                yield self.finding(ctx, ind.span, name=ind.name, actual=ind.actual_text, target=ind.target)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(COMPARATOR_SIGNS)).replace(">=", ">").replace("<=", "<")


def _has_comparator(text: str) -> bool:
    return bool(re.match(rf"^\s*[{re.escape(_COMPARATOR_FIRST)}]", text))
