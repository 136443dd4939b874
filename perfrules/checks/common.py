"""Small helpers shared by checks: percentages as text, recognising rates and execution rates."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache, lru_cache

from perfrules.cache import compile_pattern
from perfrules.display import DASH, percent
from perfrules.plan.model import Indicator, Plan
from perfrules.scoring.result import IndicatorResult
from perfrules.vocabulary import NAME_SUFFIX_UNITS, POINTS_UNIT, QUALITATIVE_WORD, alternation


def pct(rate: Decimal | None) -> str:
    """A ratio as a percentage in a message (perfrules.display.percent: two places, half up; — for none)."""
    return percent(rate, DASH)


def is_rate_name(name: str) -> bool:
    """Names that measure a rate (率, 满意度, 比例, 占比) and so take a percentage."""
    return name.endswith("率") or any(word in name for word in ("满意度", "比例", "占比", "比重"))


def has_target(indicator: Indicator | None) -> bool:
    """Whether a row has a target to be met: a quantitative target, or a qualitative one written out.

    A criterion scored on a scale (`相关性 scale 100 weight 20`, kind "scale") has none: it is neither met nor missed;
    nor has a qualitative row whose target is not written."""
    if indicator is None:
        return True
    if indicator.kind == "qualitative":
        return indicator.target_text not in ("", QUALITATIVE_WORD)
    return indicator.target is not None


def points_target(indicator: Indicator | None) -> bool:
    """A target in 分 (`相关性 >= 100 分`): perhaps a criterion scored 0–100 written as a target (the hints of
    PR202/PR203 then say how to write a score on a scale)."""
    return indicator is not None and indicator.kind == "quantitative" and indicator.unit.text == POINTS_UNIT \
        and indicator.comparator in (">=", ">")


def is_execution(indicator: Indicator) -> bool:
    """A budget execution rate (预算执行率 / 资金执行率)."""
    return indicator.method == "execution" or "执行率" in indicator.name


_executions: tuple[Plan, Mapping[str, Indicator]] | None = None  # the last plan asked about and its answer


def executions(plan: Plan) -> Mapping[str, Indicator]:
    """The plan's execution-rate indicators by key (several checks ask about the same plan in a row)."""
    global _executions
    last = _executions
    if last is not None and last[0] is plan:
        return last[1]
    found = {i.key: i for i in plan.all_indicators if is_execution(i)}
    _executions = (plan, found)
    return found


def execution_rate(ind: Indicator | None, result: IndicatorResult) -> Decimal | None:
    """The execution rate an execution indicator measured (50% is 0.5), whatever its target."""
    if ind is None or result.actual is None:
        return None
    return ind.unit.to_base(result.actual) if not ind.unit.is_plain else result.actual


@lru_cache(maxsize=1 << 16)  # the language server asks again about the same names on every edit
def normal_name(name: str) -> str:
    """A name without spaces, stars and unit brackets (`资金到位率（%）`), for comparing measures.

    Brackets that tell measures apart (`低保发放人数(城市)`) are kept.
    """
    return _pattern().sub("", name)


@cache
def _pattern() -> re.Pattern[str]:  # compiled on first use: most commands never compare names
    return compile_pattern(r"[\s★☆*]|[（(](?:[%‰/]|[^）)]*[%‰/][^）)]*|" + alternation(NAME_SUFFIX_UNITS) + r")[）)]")
