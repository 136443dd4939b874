from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfrules.checks.config import Setting
from perfrules.checks.registry import Check, Context
from perfrules.display import wan
from perfrules.findings import Finding, Severity
from perfrules.plan.model import Expr, Fact, Indicator, refs
from perfrules.plan.units import is_money
from perfrules.scoring.budget import budget_of


class OutputsDoNotMatchMoney(Check):
    """产出与资金不匹配。

    成本标准 × 数量 应当与预算相当：260 元/人/年 × 87411 人 ≈ 2272.69 万元，却只有 662.77 万元预算，
    说明成本指标或数量指标至少有一个写错了。单位允许时，本检查自动比较「每单位成本 × 同一计数单位的
    最大数量」与预算（容差 cost-tolerance）；已由 `check` 断言核对过的成本指标不再重复比较。
    规则文件自己写的 `check` 断言不成立时报 PR110。

    **反例 Anti-pattern**

    ```perf
    facts {
      全年预算数 = 662.77 万元
    }
    退休人员人数 >= 80000 人 weight 50
    活动每人标准 <= 260 元/人/年 weight 50
    actuals {
      退休人员人数 = 87411 人
      活动每人标准 = 260 元/人/年
    }
    ```

    **正例 Best practice**

    ```perf
    facts {
      全年预算数 = 662.77 万元
    }
    退休人员人数 >= 80000 人 weight 50
    活动每人标准 <= 75 元/人/年 weight 50
    actuals {
      退休人员人数 = 87411 人
      活动每人标准 = 75 元/人/年
    }
    ```
    """

    code = "PR107"
    severity = Severity.ERROR
    title = "产出与资金不匹配"
    title_en = "outputs that do not match the money"
    messages = {
        "PR107.cost": (
            "{cost} × {count} = {product}，超过 {budget} {amount}：成本标准或数量与资金不匹配",
            "{cost} × {count} = {product}, more than {budget} {amount}: outputs do not match the money",
        ),
    }
    hints = {
        "PR107.cost": (
            "核对成本标准、数量和预算金额，使 成本 × 数量 不超过预算",
            "check the unit cost, the quantity and the budget so that cost × quantity fits the budget",
        ),
    }
    settings = (
        Setting("cost-tolerance", "5%", "percent",
                "成本 × 数量 超出预算的容差（PR107）",
                "tolerance of cost × quantity over the budget (PR107)"),
    )
    partial_safe = False  # cost × the largest count: a line dropped by a syntax error makes it wrong

    def run(self, ctx: Context) -> Iterator[Finding]:
        if ctx.result is None:
            return
        yield from self._cost_times_quantity(ctx)

    def _cost_times_quantity(self, ctx: Context) -> Iterator[Finding]:
        budget = _budget(ctx)
        if budget is None:
            return
        fact, amount = budget
        values = {i.key: i.actual for i in ctx.result.all_indicators} if ctx.result else {}
        indicators = ctx.plan.all_indicators
        asserted = {key for check in ctx.plan.checks for key in _refs(check.left) | _refs(check.right)}
        largest: dict[str, tuple[Decimal, Indicator]] = {}  # count unit -> the largest measured count
        for ind in indicators:
            value = values.get(ind.key)
            if len(ind.unit.dims) == 1 and ind.unit.dims[0][1] == 1 and value is not None:
                atom, base = ind.unit.dims[0][0], ind.unit.to_base(value)  # 2 万人 counts as 20000 人
                if atom not in largest or base > largest[atom][0]:
                    largest[atom] = (base, ind)
        pers: dict[int, str | None] = {}  # by unit object: the indicators of a file share a few units
        limit = amount * (1 + ctx.config.threshold("cost-tolerance"))
        settings = ctx.config.severity_for(self.code, Severity.WARNING)
        kept, rows = ctx.kept(self.code, settings), {}
        for cost in indicators:
            unit = cost.unit
            per = pers.get(id(unit), "")
            if per == "":
                per = pers[id(unit)] = _per_unit(cost)
            if per is None or values.get(cost.key) is None or cost.key in asserted or per not in largest:
                continue
            quantity, counted = largest[per]
            total = cost.unit.to_base(values[cost.key] or Decimal(0)) * quantity
            if total > limit:
                # the same cost, product, count row and budget as in the last run: the same finding
                entry = kept.get(id(cost))
                figures = (str(total), fact.name, str(amount))  # as written out: the same digits
                if entry is None or entry[0] is not cost or entry[1] != figures or entry[2] is not counted:
                    finding = self.finding(
                        ctx, cost.span, key="PR107.cost", severity=Severity.WARNING, cost=cost.name,
                        count=counted.name, product=wan(total), budget=fact.name, amount=wan(amount),
                    )
                    entry = (cost, figures, counted, finding)
                rows[id(cost)] = entry
                yield entry[3]
        ctx.keep(self.code, settings, rows)


def _refs(expr: Expr) -> set[str]:
    return {ref.key for ref in refs(expr)}


def _per_unit(ind: Indicator) -> str | None:
    """The count atom of a money-per-count unit (元/人 → 人)."""
    dims = dict(ind.unit.dims)
    if dims.get("元") == 1 and len(dims) == 2:
        return next((a for a, e in dims.items() if a != "元" and e == -1), None)
    return None


def _budget(ctx: Context) -> tuple[Fact, Decimal] | None:
    """The budget fact and its value as evaluated (perfrules.scoring.budget), else the 到位资金 the project received."""
    found = budget_of(ctx.plan, ctx.result)
    if found is not None:
        return found
    values = dict(ctx.result.facts) if ctx.result else {}
    for fact in ctx.plan.facts:
        value = values.get(fact.name, fact.value)
        if is_money(fact.unit) and "到位资金" in fact.name and value is not None:
            return fact, value
    return None
