"""Evaluate a Plan against actuals: score each indicator, add up sections, total and grade.

Indicator scores are rounded (default: 2 places, half up) before they are added, as the
published tables do; sections are exact sums of their rounded children. Indicators that do
not apply are left out and the total rescaled to the full weight.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from decimal import Decimal, localcontext
from typing import Any

from perfrules import display, limits
from perfrules.findings import Finding, Span
from perfrules.gcpause import paused
from perfrules.plan.model import (
    Actual,
    Check,
    Const,
    Expr,
    Fact,
    Indicator,
    Op,
    Plan,
    Ref,
    Section,
    formula_order,
    negative,
    refs,
)
from perfrules.plan.units import CONTEXT, Unit
from perfrules.scoring import methods
from perfrules.scoring.result import CheckResult, ExpectResult, IndicatorResult, Result, RowExtra, SectionResult

ZERO = Decimal(0)
VALUED = ("quantity", "tier", "date", "elements", "level")  # the kinds of Actual that give a value
LIMIT = Decimal(10) ** limits.MAX_INTEGER_DIGITS  # a computed value at or beyond this is refused


class _Env:
    """What one evaluation works with: the plan, the actuals, and what it has found and scored so far."""

    def __init__(self, plan: Plan, actuals: dict[str, Actual], last: dict[int, Any] | None = None) -> None:
        self.plan, self.actuals = plan, actuals
        self.findings: list[Finding] = []
        self.facts: dict[str, Decimal | None] = {}
        self.values: dict[str, Decimal | None] = {}  # indicator key -> actual (base units)
        self.busy: set[str] = set()
        self.last: dict[int, Any] = last if last is not None else {}  # the last evaluation's scores (see _Scored)
        self.scored: dict[int, Any] = {}  # this one's
        self.changed: frozenset[str] | None = None  # the actuals' keys not the same objects as last time (None: too many)
        self.formulas = 0  # indicators with a formula scored so far
        self.indicators: Mapping[str, Indicator] = self.plan.indicator_by_key
        self.fact_defs = {f.name: f for f in self.plan.facts}
        self.quantum = Decimal(1).scaleb(-self.plan.places)  # the ruleset's rounding: 0.01 for 2 places
        # the finest places a row is rounded to: subtotals are shown with them (the ruleset's, unless a row is finer)
        self.finest = max([self.plan.places, *(i.places for i in self.indicators.values() if i.places is not None)])

    def quantize(self, value: Decimal) -> Decimal:
        return value.quantize(self.quantum, rounding=self.plan.rounding)

    def quantize_row(self, ind: Indicator, value: Decimal) -> Decimal:
        """A row's score rounded by the innermost `rounding` written on it or around it, else the ruleset's."""
        if ind.places is None:
            return value.quantize(self.quantum, rounding=self.plan.rounding)
        return value.quantize(Decimal(1).scaleb(-ind.places), rounding=ind.rounding or self.plan.rounding)


_Scored = tuple[Indicator, Actual | None, int, str, IndicatorResult, tuple[Finding, ...]]
"""`memo["evaluate"]`: the last evaluation's scores of indicators without a formula, by the indicator object: the
language server evaluates on every edit, and compile hands back the same Indicator and Actual objects for unchanged
lines (plan.compile._Made). A score is taken again only when the indicator, its actual and the rounding are the
same; only the last evaluation's are kept.

A section with no formula inside is taken again as a whole (its result, findings and the scores inside it) when it
is the same Section object (compile hands it back when none of its lines changed), the rounding is the same and no
actual of a row inside it is another object than last time."""
_SectionScored = tuple[Section, tuple[int, str, int], SectionResult, tuple[Finding, ...], dict[int, Any]]


def evaluate(plan: Plan, extra: tuple[Actual, ...] = (), memo: dict[str, object] | None = None) -> Result:
    """Score `plan` with its own actuals, overridden by `extra` (from a data file).

    `memo`: where the last evaluation of the same document left its scores (the language server's
    `LineCache.later`): a score whose inputs are the same objects is taken again; the result is the same."""
    last = memo.get("evaluate") if memo is not None else None
    with paused(), localcontext(CONTEXT):
        result, kept = _evaluate(plan, extra, last if isinstance(last, tuple) else ({}, {}, None, None, None))
    if memo is not None:
        memo["evaluate"] = kept
    return result


# What one evaluation leaves for the next: the scores (_Scored, _SectionScored), the actuals by key, the plan's
# actuals, what the formulas came to (_Values) and the checks' results with their findings.
_Kept = tuple[dict[int, Any], dict[str, Actual], tuple[Actual, ...] | None, Any, Any]
# The facts, formula indicators and checks the formulas were computed for, and what they gave: the facts' and
# indicators' values and the findings.
_Values = tuple[tuple[Fact, ...], tuple[Indicator, ...], tuple[Check, ...], dict[str, Decimal | None],
                dict[str, Decimal | None], tuple[Finding, ...]]
MAX_CHANGED = 64
"""Past this many actuals changed since the last evaluation, no section's score is taken again as a whole."""


def _evaluate(plan: Plan, extra: tuple[Actual, ...], last: _Kept) -> tuple[Result, _Kept]:
    actuals = {a.key: a for a in plan.actuals}
    actuals.update({a.key: a for a in extra})
    env = _Env(plan, actuals, last=last[0])
    before = last[1]
    same_actuals = not extra and last[2] is plan.actuals  # compile hands back the same tuple when none changed
    if same_actuals:
        env.changed = frozenset()
    elif before:
        # a fact's actual only reaches formulas, and a section with a formula inside is scored again anyway
        changed = [k for k, a in actuals.items() if before.get(k) is not a and not k.startswith("fact:")]
        changed += [k for k in before.keys() - actuals.keys() if not k.startswith("fact:")]
        env.changed = frozenset(changed) if len(changed) <= MAX_CHANGED else None
    values = _values(env, last[3] if same_actuals else None)
    body = tuple(_node(env, node) for node in plan.body)
    total, rescaled = _total(env, list(body))
    grade = plan.grade_of(total)
    rounding = (plan.places, plan.rounding)
    if values is last[3] and last[4] is not None and last[4][2] == rounding:
        checks = last[4][0]  # the same values, checks and rounding: the same check results
        env.findings += last[4][1]
    else:
        before_checks = len(env.findings)
        checks = tuple(_check(env, check) for check in plan.checks)
        last = (*last[:4], (checks, tuple(env.findings[before_checks:]), rounding))
    result = Result(plan.name, plan.year, plan.kind, plan.file, plan.total_weight, total, grade, rescaled, body,
                    checks, (), ())
    expect = _expect(env, result)
    facts = tuple((fact.name, _fact(env, fact.name) if fact.value is not None or "fact:" + fact.name in actuals
                   else env.facts.get(fact.name)) for fact in plan.facts)
    return Result(plan.name, plan.year, plan.kind, plan.file, plan.total_weight, total, grade, rescaled, body,
                  checks, expect, tuple(env.findings), facts), (env.scored, actuals, None if extra else plan.actuals,
                                                                values, last[4])


# ---------------------------------------------------------------- values


def _values(env: _Env, last: _Values | None) -> _Values:
    """The formulas' values (_formulas_in_order), or those of the last evaluation when its facts, formulas and
    checks are the same objects and so are all the actuals (`last` is None when they are not)."""
    plan = env.plan
    formulas = tuple(i for i in env.indicators.values() if i.formula is not None)
    if last is not None and _same_objects(last[0], plan.facts) and _same_objects(last[1], formulas) \
            and _same_objects(last[2], plan.checks):
        env.facts.update(last[3])
        env.values.update(last[4])
        env.findings += last[5]
        return last
    before = len(env.findings)
    _formulas_in_order(env)
    return plan.facts, formulas, plan.checks, dict(env.facts), dict(env.values), tuple(env.findings[before:])


def _same_objects(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return len(a) == len(b) and all(map(operator.is_, a, b))


def _formulas_in_order(env: _Env) -> None:
    """Compute the formulas that scoring and the checks need, each after the values it uses.

    Each formula then finds its operands computed, so a chain of thousands of facts costs no
    recursion; a formula on a cycle (possible in a plan file) is refused with a finding.
    """
    order, cyclic = formula_order(env.plan.facts, env.indicators.values())
    spans = {("fact", f.name): f.span for f in env.plan.facts}
    for kind, key in cyclic:
        span = spans.get((kind, key)) if kind == "fact" else env.indicators[key].span
        env.findings.append(Finding.make("PR014", span, key="PR014.cycle", name=key))
        (env.facts if kind == "fact" else env.values)[key] = None
    needed = _needed(env)
    for kind, key in order:
        if (kind, key) in needed:
            _fact(env, key) if kind == "fact" else _indicator_value(env, env.indicators[key])


def _needed(env: _Env) -> set[tuple[str, str]]:
    """The formulas scoring and the checks reach: the same ones a lazy evaluation would compute."""
    # every indicator is scored, but only those with a formula reach further
    stack: list[tuple[str, str]] = [("indicator", i.key) for i in env.indicators.values() if i.formula is not None]
    stack += [(r.kind, r.key) for check in env.plan.checks for r in refs(check.left) + refs(check.right)]
    seen: set[tuple[str, str]] = set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        kind, key = node
        if kind == "fact":
            fact = env.fact_defs.get(key)
            if fact is not None and "fact:" + key not in env.actuals and fact.value is None:
                stack += [(r.kind, r.key) for r in refs(fact.formula)]
        else:
            ind = env.indicators.get(key)
            given = env.actuals.get(key)
            if ind is not None and not (given is not None and given.kind in VALUED):
                stack += [(r.kind, r.key) for r in refs(ind.formula)]
    return seen


def _fact(env: _Env, name: str) -> Decimal | None:
    if name in env.facts:
        return env.facts[name]
    fact = env.fact_defs[name]
    given = env.actuals.get("fact:" + name)
    value: Decimal | None
    if given is not None:
        value = given.value
    elif fact.value is not None:
        value = fact.value
    elif fact.formula is not None:
        value = _bounded(env, _expr(env, fact.formula, name, fact.span), name, fact.span)
    else:
        env.findings.append(Finding.make("PR021", fact.span, key="PR021.fact", name=name))
        value = None
    env.facts[name] = value
    return value


def _indicator_value(env: _Env, ind: Indicator) -> Decimal | None:
    if ind.key in env.values:
        return env.values[ind.key]
    actual = env.actuals.get(ind.key)
    value: Decimal | None = None
    if actual is not None and actual.kind in VALUED:
        value = actual.value
    elif ind.formula is not None and ind.key not in env.busy:
        env.busy.add(ind.key)
        value = _bounded(env, _expr(env, ind.formula, ind.name, ind.span), ind.name, ind.span)
        env.busy.discard(ind.key)
    env.values[ind.key] = value
    return value


def _bounded(env: _Env, value: Decimal | None, owner: str, span: Span | None) -> Decimal | None:
    """A formula's value, unless it is beyond the numbers perfrules takes as input (then a finding)."""
    if value is not None and abs(value) >= LIMIT:
        env.findings.append(Finding.make("PR022", span, key="PR022.big", name=owner, value=f"{value:.6E}",
                                         limit=limits.MAX_INTEGER_DIGITS))
        return None
    return value


def _expr(env: _Env, expr: Expr, owner: str, span: Span | None = None) -> Decimal | None:
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Ref):
        if expr.kind == "fact":
            return _fact(env, expr.key)
        return _indicator_value(env, env.indicators[expr.key])
    assert isinstance(expr, Op)
    args = [_expr(env, a, owner, span) for a in expr.args]
    if any(a is None for a in args):
        return None
    values: list[Decimal] = [a for a in args if a is not None]
    if expr.op == "neg":
        return -values[0]
    left, right = values
    if expr.op == "/" and right == 0:
        env.findings.append(Finding.make("PR022", span, name=owner))
        return None
    try:
        return left + right if expr.op == "+" else left - right if expr.op == "-" else \
            left * right if expr.op == "*" else left / right
    except ArithmeticError:  # an exponent beyond the context's range
        env.findings.append(Finding.make("PR022", span, key="PR022.big", name=owner, value="∞",
                                         limit=limits.MAX_INTEGER_DIGITS))
        return None


# ---------------------------------------------------------------- scores


def _node(env: _Env, node: Section | Indicator) -> SectionResult | IndicatorResult:
    if type(node) is Indicator:
        if node.formula is None:
            return _score_again(env, node)
        env.formulas += 1
        return _score_formula(env, node)
    assert isinstance(node, Section)
    rounding = (env.plan.places, env.plan.rounding, env.finest)
    entry = env.last.get(id(node))
    if entry is not None and entry[0] is node and entry[1] == rounding and len(entry) == 5 and \
            _untouched(env, node.key):
        env.findings += entry[3]
        env.scored.update(entry[4])
        env.scored[id(node)] = entry
        return entry[2]  # type: ignore[no-any-return]
    outer, before, formulas = env.scored, len(env.findings), env.formulas
    env.scored = {}
    children = tuple(_node(env, child) for child in node.children)
    score = _exact_sum(env, children)
    applicable = node.weight - sum((_na_weight(c) for c in children), ZERO)
    rate = score / applicable if applicable > 0 else None
    result = SectionResult(node.key, node.name, node.path, node.kind, node.weight, applicable, score, rate, children,
                           node.span, node.weight_inferred)
    inner, env.scored = env.scored, outer
    outer.update(inner)
    if env.formulas == formulas:  # no formula inside: its score depends on its rows and their actuals only
        outer[id(node)] = (node, rounding, result, tuple(env.findings[before:]), inner)
    elif entry is not None and entry[0] is node and entry[1] == rounding and \
            _same_objects(entry[2].children, children):  # the same rows' results: the same section result
        result = entry[2]
        outer[id(node)] = (node, rounding, result, (), {}, False)  # kept for its result only, never taken whole
    else:
        outer[id(node)] = (node, rounding, result, (), {}, False)
    return result


def _untouched(env: _Env, key: str) -> bool:
    """No actual of a row inside section `key` is another object than in the last evaluation."""
    if env.changed is None:
        return False
    inside = key + "/"
    return not any(k.startswith(inside) for k in env.changed)


def _exact_sum(env: _Env, children: tuple[SectionResult | IndicatorResult, ...]) -> Decimal:
    """A subtotal: the exact sum of the rounded rows, shown with the ruleset's places, or with the finest places a
    row's own rounding has when that is finer (then every rounded row, and so their sum, has at most those places)."""
    summed = sum((c.score or ZERO for c in children), ZERO)
    if env.finest == env.plan.places:
        return env.quantize(summed)
    return summed.quantize(Decimal(1).scaleb(-env.finest))


def _na_weight(node: SectionResult | IndicatorResult) -> Decimal:
    if isinstance(node, IndicatorResult):
        return node.weight if node.status == "na" else ZERO
    return node.weight - node.applicable


def _score_again(env: _Env, ind: Indicator) -> IndicatorResult:
    """The score of an indicator without a formula: it depends only on the indicator, its actual and the rounding.

    Its value is not put in env.values here: a check that uses it computes it when it needs it."""
    actual = env.actuals.get(ind.key)
    entry = env.last.get(id(ind))
    if entry is None or entry[0] is not ind or entry[1] is not actual or entry[2] != env.plan.places \
            or entry[3] != env.plan.rounding:
        before = len(env.findings)
        result = _score(env, ind)
        entry = (ind, actual, env.plan.places, env.plan.rounding, result, tuple(env.findings[before:]))
    else:
        env.findings += entry[5]
    env.scored[id(ind)] = entry
    return entry[4]


def _score_formula(env: _Env, ind: Indicator) -> IndicatorResult:
    """The score of an indicator with a formula: taken again for the same indicator, actual, rounding and the same
    value (the same digits) of its formula."""
    actual = env.actuals.get(ind.key)
    rounding = (env.plan.places, env.plan.rounding)
    if ind.key not in env.values:
        return _score(env, ind)
    value = env.values[ind.key]
    entry = env.last.get(id(ind))
    if entry is not None and entry[0] is ind and entry[1] is actual and entry[2] == rounding \
            and _same_value(entry[3], value):
        env.findings += entry[5]
    else:
        before = len(env.findings)
        result = _score(env, ind)
        entry = (ind, actual, rounding, value, result, tuple(env.findings[before:]))
    env.scored[id(ind)] = entry
    return entry[4]


def _same_value(a: Decimal | None, b: Decimal | None) -> bool:
    return a is b or (a is not None and b is not None and a.as_tuple() == b.as_tuple())


def _score(env: _Env, ind: Indicator) -> IndicatorResult:
    actual = env.actuals.get(ind.key)
    reason = actual.reason if actual else None
    published = actual.score if actual else None

    def result(value: Decimal | None, text: str, completion: Decimal | None, score: Decimal | None, status: str,
               met: bool | None) -> IndicatorResult:
        tier = actual.tier if actual else None
        printed = actual.printed if actual is not None else None
        places = display.rate_places(completion, _bounds(ind))
        extra = RowExtra(printed, ind.weight_inferred, ind.places, places if places != 2 else None) \
            if printed is not None or ind.weight_inferred or ind.places is not None or places != 2 else None
        return IndicatorResult(ind.key, ind.name, ind.path, ind.weight, ind.kind, ind.method, display.row_target(ind),
                               ind.unit.text, value, text, completion, score, status, met, reason, published, tier,
                               ind.span, extra)

    if ind.na or (actual is not None and actual.kind == "na"):
        return result(None, display.na_actual(), None, None, "na", None)
    if actual is not None and actual.kind == "text":
        env.findings.append(Finding.make("PR023", actual.span or ind.span, name=ind.name, value=actual.text))
        return result(None, actual.text or "", None, ZERO, "text", None)
    if actual is not None and actual.kind == "quantity" and actual.value is not None and actual.value < 0 \
            and not ind.signed:  # an Actual that did not come through plan.actuals.resolve (a plan file's)
        env.findings.append(negative(ind, actual.text or str(actual.value), actual.span or ind.span))
        return result(None, actual.text or "", None, ZERO, "missing", None)
    value = _indicator_value(env, ind)
    if ind.kind == "quantitative" and ind.target is None:  # compile reported PR017: nothing to score against
        return result(None, "", None, ZERO, "missing", None)
    if value is None:
        if ind.formula is None or actual is not None:
            env.findings.append(Finding.make("PR021", ind.span, name=ind.name))
        return result(None, "", None, ZERO, "missing", None)
    if ind.kind == "date":
        return _date_result(env, ind, actual, value, result)
    if ind.kind == "scale":
        return _scale_result(env, ind, actual, value, result)
    if ind.kind == "qualitative":
        tier = actual.tier if actual and actual.tier else ""
        score = env.quantize_row(ind, ind.weight * max(ZERO, min(value, ind.cap)))
        text = actual.text if actual and actual.text else f"{tier} {display.percent(value)}".strip()
        if actual is not None and actual.kind == "elements" and actual.text:
            text = display.elements_had(actual.text, actual.elements)
        # a checklist row is met with every element, a row rated by level at its best level
        met = value >= 1 if ind.elements else value >= ind.levels[0][1] if ind.levels else tier == "达成"
        return result(value, text, value, score, "scored", met)
    shown = ind.unit.from_base(value)
    text = actual.text if actual is not None and actual.text else display.quantity(shown, ind.unit)
    try:
        raw = methods.raw_score(ind, value)
        score = env.quantize_row(ind, max(ZERO, min(raw, ind.weight * ind.cap)))  # never below 0 nor above w × cap
        rate = methods.completion(ind, value)
    except ArithmeticError:  # a ratio beyond any exponent: say so rather than score it
        env.findings.append(Finding.make("PR018", actual.span if actual and actual.span else ind.span,
                                         key="PR018.range", name=ind.name, value=text or value))
        return result(shown, text or "", None, ZERO, "missing", None)
    if rate is not None:  # shown as a percentage: kept within what any report can print
        rate = max(-LIMIT, min(rate, LIMIT))
    return result(shown, text or "", rate, score, "scored", methods.met(ind, value))


def _bounds(ind: Indicator) -> tuple[Decimal, ...]:
    """The completion rates the scoring of a row compares with: 1 (met), its steps' thresholds, its tiers' bounds."""
    if ind.kind == "qualitative":
        return (Decimal(1), *ind.tiers, *(share for _level, share in ind.levels))
    if ind.steps_actual:  # `steps actual`: the thresholds are actual values, not completion rates
        return (Decimal(1),)
    return (Decimal(1), *(step.threshold for step in ind.steps))


def _date_result(env: _Env, ind: Indicator, actual: Actual | None, value: Decimal, result: Any) -> IndicatorResult:
    """A deadline's row: the date as written, with how late (or early) it is when missed; no completion rate."""
    if ind.target is None or actual is None or actual.kind != "date":  # compile reported the target, or a plan
        # file's actual is not a date
        return result(None, actual.text if actual and actual.text else "", None, ZERO, "missing", None)  # type: ignore[no-any-return]
    met = methods.date_met(ind, value)
    score = env.quantize_row(ind, max(ZERO, min(methods.deadline(ind, value), ind.weight)))
    text = actual.text or ""
    if not met:
        off, period = methods.date_off(ind, value)
        late = ind.comparator in ("<=", "<") or (ind.comparator in ("=", "in") and value > ind.target)
        text = display.date_missed(text, off, period, late)
    return result(None, text, None, score, "scored", met)  # type: ignore[no-any-return]


def _scale_result(env: _Env, ind: Indicator, actual: Actual | None, value: Decimal, result: Any) -> IndicatorResult:
    """A row scored on a scale: weight × actual / scale, no completion rate (there is no target), neither met nor
    missed; the actual shown in points (90 分)."""
    if ind.scale is None:  # compile reported the scale (PR014)
        return result(None, "", None, ZERO, "missing", None)  # type: ignore[no-any-return]
    score = env.quantize_row(ind, max(ZERO, min(methods.scaled(ind, value), ind.weight)))
    text = actual.text if actual is not None and actual.text else display.quantity(value, ind.unit)
    return result(value, text, None, score, "scored", None)  # type: ignore[no-any-return]


def _total(env: _Env, body: list[SectionResult | IndicatorResult]) -> tuple[Decimal, bool]:
    score = sum((n.score or ZERO for n in body), ZERO)
    weight = sum((n.weight for n in body), ZERO)
    na = sum((_na_weight(n) for n in body), ZERO)
    if na and weight - na > 0:
        return env.quantize(score * env.plan.total_weight / (weight - na)), True
    return env.quantize(score), False


# ---------------------------------------------------------------- checks and expect


def _check(env: _Env, check: Check) -> CheckResult:
    left = _expr(env, check.left, check.label, check.span)
    right = _expr(env, check.right, check.label, check.span)
    unit = _unit_of(env, check.left) or _unit_of(env, check.right)
    places, rounding = env.plan.places, env.plan.rounding
    if left is None or right is None:
        return CheckResult(check.label, left, check.comparator, right, None, check.span, unit, places, rounding)
    slack = abs(right) * check.tolerance + check.slack
    passed: bool = {
        ">=": left >= right - slack, ">": left > right - slack, "<=": left <= right + slack,
        "<": left < right + slack, "=": abs(left - right) <= slack,
    }[check.comparator]
    return CheckResult(check.label, left, check.comparator, right, passed, check.span, unit, places, rounding)


def _unit_of(env: _Env, expr: Expr) -> Unit | None:
    if isinstance(expr, Const):
        return expr.unit
    if isinstance(expr, Ref) and expr.kind == "fact":
        return env.fact_defs[expr.key].unit
    return None


def _expect(env: _Env, result: Result) -> tuple[ExpectResult, ...]:
    rows = []
    places, rounding = env.plan.places, env.plan.rounding
    for item in env.plan.expect:
        if item.target == "grade":
            verbal = str(item.value) not in {band.name for band in env.plan.grades}  # a verbal grade: not compared
            rows.append(ExpectResult(item.target, item.value, result.grade,
                                     None if verbal else str(item.value) == result.grade, verbal, places, rounding,
                                     item.quoted))
            continue
        whole = item.target in ("total", "review")  # the review total (复核总分) is held to the computed total too
        node = None if whole else result.node_by_key.get(item.target)
        value = result.total if whole else node.score if node is not None else None
        computed = env.quantize(value) if value is not None else None
        equal = computed is not None and computed == env.quantize(Decimal(item.value))
        rows.append(ExpectResult(item.target, item.value, computed, equal, False, places, rounding))
    return tuple(rows)
