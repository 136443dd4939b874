"""The budget figures of a run: its budget, which facts are 年初预算数, 全年预算数, 到位资金 and 全年执行数, and 预算执行率.

Reports, score tables, the batch summary, the checks (PR107) and the history (PR403) read these; they are found
here once, from the Plan's facts and the Result's values (money facts only, by the words their names contain).
"""

from __future__ import annotations

from decimal import Decimal

from perfrules.plan.model import Fact, Plan
from perfrules.plan.units import is_money
from perfrules.scoring.result import Result

ROLES = (
    ("年初预算数", ("年初预算",)),
    ("全年预算数", ("全年预算", "调整后预算", "调整预算")),
    ("到位资金", ("到位",)),
    ("全年执行数", ("执行数", "执行金额", "实际支出", "支出数")),
)

EXECUTION = "预算执行率"
# Each role (and 预算执行率) as English output names it.
ROLE_ENGLISH = {"年初预算数": "Initial budget", "全年预算数": "Full-year budget", "到位资金": "Funds received",
                "全年执行数": "Full-year spending", EXECUTION: "Budget execution rate"}


def role_label(role: str, lang: str = "zh") -> str:
    """A budget role (年初预算数, …, 预算执行率) as a header names it in the reader's language."""
    return ROLE_ENGLISH.get(role, role) if lang == "en" else role


def role_of_label(label: str) -> str | None:
    """The role a header label names, in either language (role_label's inverse); None for any other label."""
    for role, english in ROLE_ENGLISH.items():
        if label in (role, english):
            return role
    return None


# The words a budget fact's name contains, most specific first: 全年预算数, 调整后预算数, 预算资金, 预算数, 年初预算数, 预算.
BUDGET_WORDS = ("全年预算", "调整后预算", "调整预算", "预算资金", "预算数", "年初预算", "预算")


def budget_of(plan: Plan, result: Result | None) -> tuple[Fact, Decimal] | None:
    """The run's budget: the first money fact, in the order of BUDGET_WORDS, that has a value (as evaluated)."""
    values = dict(result.facts) if result is not None else {}
    facts = [f for f in plan.facts if is_money(f.unit)]
    for word in BUDGET_WORDS:
        for fact in facts:
            value = values.get(fact.name, fact.value)
            if word in fact.name and value is not None:
                return fact, value
    return None


def budget_facts(plan: Plan, result: Result) -> dict[str, tuple[Fact, Decimal]]:
    """The budget facts a report states, by role (年初预算数, 全年预算数, 到位资金, 全年执行数), with their values."""
    values = dict(result.facts)
    out: dict[str, tuple[Fact, Decimal]] = {}
    for role, words in ROLES:
        for fact in plan.facts:
            value = values.get(fact.name)
            if value is None or not fact.unit.dims or ("元", 1) not in fact.unit.dims:
                continue
            if any(w in fact.name for w in words) and role not in out and all(fact is not f for f, _ in out.values()):
                out[role] = (fact, value)
                break
    return out


def execution_rate(found: dict[str, tuple[Fact, Decimal]]) -> Decimal | None:
    """预算执行率 = 全年执行数 ÷ 全年预算数 (到位资金, 年初预算数 when that is not given)."""
    if "全年执行数" not in found:
        return None
    spent = found["全年执行数"][1]
    for role in ("全年预算数", "到位资金", "年初预算数"):
        if role in found and found[role][1]:
            return spent / found[role][1]
    return None
