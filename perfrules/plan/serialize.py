"""The Plan as JSON, and back, without the grammar: `perfrules compile -o plan.json`.

Numbers are written as strings so that every Decimal comes back exactly. The format is
described by docs/schemas/plan.schema.json; `FORMAT` changes when it changes incompatibly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from perfrules.findings import Span
from perfrules.plan import dates
from perfrules.plan.model import (
    Actual,
    Band,
    Check,
    Const,
    Expect,
    Expr,
    Fact,
    Indicator,
    Op,
    Plan,
    Printed,
    Ref,
    Section,
    Step,
)
from perfrules.plan.units import Unit

FORMAT = "perfrules-plan/1"


class PlanFormatError(ValueError):
    """The JSON is not a plan this version can read; `problems` says where and why, in Chinese.

    Each problem is (JSON pointer, reason); the pointer is "" for the top level, None for the whole file.
    """

    def __init__(self, problems: list[tuple[str | None, str]]) -> None:
        super().__init__("; ".join(reason if pointer is None else f"{pointer or '/'}: {reason}"
                                   for pointer, reason in problems))
        self.problems = problems


# ---------------------------------------------------------------- dump


def dump_plan(plan: Plan) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "name": plan.name,
        "year": plan.year,
        "kind": plan.kind,
        "places": plan.places,
        "rounding": plan.rounding,
        "total_weight": str(plan.total_weight),
        "file": plan.file,
        "grades": [{"name": b.name, "comparator": b.comparator, "threshold": _num(b.threshold)} for b in plan.grades],
        "facts": [
            {"name": f.name, "unit": _unit(f.unit), "value": _num(f.value), "formula": _expr(f.formula),
             "span": _span(f.span)}
            for f in plan.facts
        ],
        "body": [_node(n) for n in plan.body],
        "checks": [
            {"label": c.label, "left": _expr(c.left), "comparator": c.comparator, "right": _expr(c.right),
             "severity": c.severity, "tolerance": str(c.tolerance), "slack": str(c.slack), "text": c.text,
             "span": _span(c.span)}
            for c in plan.checks
        ],
        "actuals": [dump_actual(a) for a in plan.actuals],
        "expect": [{"target": e.target, "value": str(e.value), "span": _span(e.span), **({"quoted": True} if e.quoted else {})}
                   for e in plan.expect],
        "policy": [[k, v] for k, v in plan.policy],
    }


def dump_actual(a: Actual) -> dict[str, Any]:
    value = dates.iso(a.value, a.unit) if a.kind == "date" and a.value is not None and a.unit else _num(a.value)
    out: dict[str, Any] = {"key": a.key, "kind": a.kind, "value": value,
                           "unit": _unit(a.unit) if a.unit else None, "tier": a.tier, "text": a.text,
                           "reason": a.reason, "score": _num(a.score), "span": _span(a.span)}
    if a.elements:
        out["elements"] = list(a.elements)
    # what a printed row holds beside its actual: written only when there (plans without them stay as they were)
    if a.review is not None:
        out["review"] = str(a.review)
    if a.score_unreadable:
        out["score_unreadable"] = True
    if a.review_unreadable:
        out["review_unreadable"] = True
    if a.rate is not None:
        out["rate"], out["rate_text"] = str(a.rate), a.rate_text or ""
    if a.evidence is not None:
        out["evidence"] = a.evidence
    return out


def _scoped(out: dict[str, Any], node: Section | Indicator) -> dict[str, Any]:
    """The optional keys of a node: its own rounding and an inferred weight, only when written."""
    if node.places is not None:
        out["places"], out["rounding"] = node.places, node.rounding
    if node.weight_inferred:
        out["weight_inferred"] = True
    return out


def _node(node: Section | Indicator) -> dict[str, Any]:
    if isinstance(node, Section):
        return _scoped({"type": "section", "key": node.key, "name": node.name, "kind": node.kind,
                        "weight": str(node.weight), "declared": node.declared, "span": _span(node.span),
                        "children": [_node(c) for c in node.children]}, node)
    target = dates.iso(node.target, node.unit) if node.kind == "date" and node.target is not None else \
        _num(node.target)
    dumped = {
        "type": "indicator", "key": node.key, "name": node.name, "weight": str(node.weight), "kind": node.kind,
        "method": node.method, "comparator": node.comparator, "target": target,
        "target_high": dates.iso(node.target_high, node.unit) if node.kind == "date" and node.target_high is not None
        else _num(node.target_high), "unit": _unit(node.unit), "target_text": node.target_text,
        "formula": _expr(node.formula), "cap": str(node.cap),
        "steps": [[str(s.threshold), str(s.points)] for s in node.steps],
        "steps_otherwise": str(node.steps_otherwise), "deduct_points": _num(node.deduct_points),
        "deduct_per": _num(node.deduct_per), "deduct_relative": node.deduct_relative,
        "tiers": [str(t) for t in node.tiers], "na": node.na, "signed": node.signed, "span": _span(node.span),
    }
    if node.elements:  # written only when there are: a plan without them is as before
        dumped["elements"] = [[label, str(share)] for label, share in node.elements]
    if node.levels:
        dumped["levels"] = [[label, str(share)] for label, share in node.levels]
    if node.deduct_period:
        dumped["deduct_period"] = node.deduct_period
    if node.scale is not None:  # a row scored on a scale (`scale 100`): written only on such rows
        dumped["scale"] = str(node.scale)
    if node.steps_actual:
        dumped["steps_actual"] = True
    return _scoped(dumped, node)


def _expr(expr: Expr | None) -> Any:
    if expr is None:
        return None
    if isinstance(expr, Ref):
        return {"ref": expr.key, "kind": expr.kind}
    if isinstance(expr, Const):
        return {"const": str(expr.value), "unit": _unit(expr.unit)}
    return {"op": expr.op, "args": [_expr(a) for a in expr.args]}


def _unit(unit: Unit) -> dict[str, Any]:
    return {"text": unit.text, "scale": str(unit.scale), "dims": [[a, e] for a, e in unit.dims]}


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _span(span: Span | None) -> dict[str, Any] | None:
    return span.to_dict() if span else None


# ---------------------------------------------------------------- load


MAX_REPORTED = 3
"""Problems reported for one plan file: the first few, as a compiler does."""

DECIMAL_FORMAT = "perfrules-decimal"
"""The schema's `format` for decimal strings: checked here for range (other validators ignore it)."""


def load_plan(data: Any) -> Plan:
    """A Plan from `dump_plan`'s JSON; raises PlanFormatError (with JSON pointers) on anything else.

    The JSON is checked first (nesting, text), then against docs/schemas/plan.schema.json, then for
    what a schema cannot say (names that formulas refer to, facts defined by themselves): a plan
    that passes these loads and evaluates.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PlanFormatError([(None, f"不是 perfrules compile 生成的计划（{FORMAT}）")])
    problems = plan_problems(data)
    if problems:
        raise PlanFormatError(list(problems))
    try:
        return _build(data)
    except (KeyError, TypeError, ValueError, ArithmeticError, IndexError) as error:  # the schema should prevent it
        raise PlanFormatError([(None, f"无法读取（{type(error).__name__}）")]) from error


def plan_problems(data: Any) -> list[tuple[str, str]]:
    """(JSON pointer, reason) of the first few places where `data` is not a loadable plan; [] when it is."""
    problems = _shape_problems(data)
    if problems:
        return problems
    import sys
    from itertools import islice

    from perfrules import limits

    # jsonschema descends recursively, about 15 frames per level: a plan as deep as the limits allow
    # (checked above) needs more than Python's default of 1000.
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(before + 20 * (limits.MAX_NESTING + limits.MAX_FORMULA_DEPTH))
    try:
        errors = list(islice(_validator().iter_errors(data), MAX_REPORTED))
    finally:
        sys.setrecursionlimit(before)
    problems = [(_pointer(e.absolute_path), _reason(e)) for e in errors]
    return problems or _reference_problems(data)[:MAX_REPORTED]


def _shape_problems(data: Any) -> list[tuple[str, str]]:
    """Nesting beyond the limits (checked without recursion) and text that is not Unicode (lone surrogates).

    Sections nest through `children` and formulas through `args`: these are held to the limits of
    a rule file (MAX_NESTING blocks, MAX_FORMULA_DEPTH operators); any other nesting to MAX_NESTING.
    """
    from perfrules import limits

    stack: list[tuple[Any, tuple[str | int, ...], int, int, int]] = [(data, (), 0, 0, 0)]
    while stack:
        value, path, plain, sections, formula = stack.pop()
        if isinstance(value, str):
            if _has_surrogate(value):
                return [(_pointer(path), "含有无效的 Unicode 字符（孤立的代理项）")]
            continue
        if plain > limits.MAX_NESTING or sections > limits.MAX_NESTING:
            return [(_pointer(path), f"嵌套超过 {limits.MAX_NESTING} 层")]
        if formula > limits.MAX_FORMULA_DEPTH:
            return [(_pointer(path), f"公式嵌套超过 {limits.MAX_FORMULA_DEPTH} 层")]
        items: list[tuple[str | int, Any]]
        if isinstance(value, dict):
            items = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            continue
        for key, child in items:
            if isinstance(key, str) and _has_surrogate(key):
                return [(_pointer(path), "键名含有无效的 Unicode 字符（孤立的代理项）")]
            if key == "children" and isinstance(child, list):  # the items of a section's children: one level
                stack += [(c, (*path, key, i), plain, sections + 1, formula) for i, c in enumerate(child)]
            elif key == "args" and isinstance(child, list):
                stack += [(c, (*path, key, i), plain, sections, formula + 1) for i, c in enumerate(child)]
            else:
                stack.append((child, (*path, key), plain + 1, sections, formula))
    return []


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


_VALIDATOR: Any = None


def _validator() -> Any:
    """The plan schema's validator, made once; `$ref`s to definitions that do not recurse are inlined (faster)."""
    global _VALIDATOR
    if _VALIDATOR is None:
        import json

        import jsonschema

        from perfrules.resources import read_text, schema_path

        schema = json.loads(read_text(schema_path("plan.schema.json")))
        checker = jsonschema.FormatChecker(formats=())
        checker.checks(DECIMAL_FORMAT, raises=(ArithmeticError, ValueError))(_decimal_in_range)
        _VALIDATOR = jsonschema.Draft202012Validator(_inline(schema, schema.get("$defs", {})), format_checker=checker)
    return _VALIDATOR


def _decimal_in_range(value: object) -> bool:
    """A decimal string is finite and within the limits (integer part at most MAX_INTEGER_DIGITS digits)."""
    from perfrules import limits

    if not isinstance(value, str):
        return True
    number = Decimal(value)
    return number.is_finite() and (number.is_zero() or
                                   -limits.MAX_INTEGER_DIGITS - limits.MAX_FRACTION_DIGITS <= number.adjusted()
                                   < limits.MAX_INTEGER_DIGITS)


_RECURSIVE = frozenset({"expr", "refExpr", "constExpr", "opExpr", "optionalExpr", "node", "section", "indicator"})


def _inline(schema: Any, defs: dict[str, Any]) -> Any:
    if isinstance(schema, list):
        return [_inline(s, defs) for s in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref", "")
    rest = {k: _inline(v, defs) for k, v in schema.items() if k != "$ref"}
    name = ref.removeprefix("#/$defs/") if isinstance(ref, str) else ""
    if name and name in defs and name not in _RECURSIVE:
        body = _inline(defs[name], defs)
        return {"allOf": [body], **rest} if set(body) & set(rest) else {**body, **rest}
    return {**rest, "$ref": ref} if ref else rest


_TYPES = {"string": "字符串", "integer": "整数", "number": "数字", "boolean": "true 或 false", "object": "对象",
          "array": "列表", "null": "null"}


def _reason(error: Any, nullable: bool = False) -> str:
    """One schema error in Chinese (the pointer is said separately); `nullable` when null was also allowed."""
    import jsonschema

    kind, expected, schema, instance = error.validator, error.validator_value, error.schema, error.instance
    decimal = isinstance(schema, dict) and schema.get("format") == DECIMAL_FORMAT
    if kind in ("anyOf", "oneOf") and error.context:
        best = jsonschema.exceptions.best_match(
            [e for e in error.context if e.schema != {"type": "null"}] or error.context)
        null = any(isinstance(s, dict) and s.get("type") == "null" for s in expected)
        return _reason(best, null and best.absolute_path == error.absolute_path)
    types = schema.get("type") if isinstance(schema, dict) else None
    or_null = "或 null" if nullable or (decimal and isinstance(types, list) and "null" in types) else ""
    if decimal and kind in ("type", "pattern"):
        return f"应为数字（写成字符串，如 \"5\" 或 \"0.95\"）{or_null}"
    if kind == "format":
        from perfrules import limits

        return f"数值超出范围（整数部分至多 {limits.MAX_INTEGER_DIGITS} 位，须为有限数）"
    if kind == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        return "应为" + "或".join(_TYPES.get(n, n) for n in names) + or_null
    if kind == "required":
        missing = [k for k in expected if isinstance(instance, dict) and k not in instance]
        return "缺少 " + "、".join(missing[:3])
    if kind == "additionalProperties":
        known = schema.get("properties", {}) if isinstance(schema, dict) else {}
        extra = [k for k in instance if k not in known] if isinstance(instance, dict) else []
        return "不应有 " + "、".join(str(k) for k in extra[:3])
    if kind == "enum":
        return "应为 " + "、".join("null" if v is None else str(v) for v in expected) + " 之一"
    if kind == "const":
        return f"应为 {'null' if expected is None else expected}"
    if kind == "not":
        return "不应为这个值"
    if kind == "pattern":
        return "格式不对：" + ("应为大于 0 的数（写成字符串）" if "1-9" in str(expected) else str(expected))
    if kind == "minItems":
        return f"至少应有 {expected} 项"
    if kind == "maxItems":
        return f"至多应有 {expected} 项"
    if kind == "minimum":
        return f"不应小于 {expected}"
    if kind == "maximum":
        return f"不应大于 {expected}"
    if kind == "contains":
        return "须有一档不带比较符的最低等级（如「差 otherwise」）"
    return f"不符合计划格式（{kind}）"


def _reference_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Names the formulas refer to exist with the kind they say, and no fact is defined through itself."""
    facts = {f["name"]: i for i, f in enumerate(data["facts"])}
    indicators: set[str] = set()
    stack: list[Any] = list(data["body"])
    while stack:
        node = stack.pop()
        if node["type"] == "section":
            stack += node["children"]
        else:
            indicators.add(node["key"])
    problems: list[tuple[str, str]] = []
    uses: dict[str, set[str]] = {}
    for path, expr in _formulas(data):
        for ref_path, ref in _refs(expr, path):
            known = facts if ref["kind"] == "fact" else indicators
            if ref["ref"] not in known:
                what = "基础数据" if ref["kind"] == "fact" else "指标"
                problems.append((_pointer(ref_path), f"公式引用的{what} {ref['ref']} 不在计划中"))
            elif path[0] == "facts" and ref["kind"] == "fact":
                uses.setdefault(data["facts"][path[1]]["name"], set()).add(ref["ref"])
    for name in _cycle(uses):
        problems.append((_pointer(("facts", facts[name], "formula")), f"基础数据 {name} 的公式循环引用了自身"))
    return problems


def _formulas(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], Any]]:
    found: list[tuple[tuple[str | int, ...], Any]] = [(("facts", i, "formula"), f["formula"])
                                                       for i, f in enumerate(data["facts"]) if f["formula"]]
    for i, check in enumerate(data["checks"]):
        found += [(("checks", i, side), check[side]) for side in ("left", "right")]
    stack: list[tuple[tuple[str | int, ...], Any]] = [(("body", i), n) for i, n in enumerate(data["body"])]
    while stack:
        path, node = stack.pop()
        if node["type"] == "section":
            stack += [((*path, "children", i), c) for i, c in enumerate(node["children"])]
        elif node["formula"]:
            found.append(((*path, "formula"), node["formula"]))
    return found


def _refs(expr: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], Any]]:
    refs = []
    stack = [(path, expr)]
    while stack:
        where, e = stack.pop()
        if "ref" in e:
            refs.append((where, e))
        elif "op" in e:
            stack += [((*where, "args", i), a) for i, a in enumerate(e["args"])]
    return refs


def _cycle(uses: dict[str, set[str]]) -> list[str]:
    """The facts on a cycle of formulas (each reported once), found without recursion."""
    state: dict[str, int] = {}  # 1 visiting, 2 done
    on_cycle: list[str] = []
    for start in sorted(uses):
        if state.get(start):
            continue
        stack: list[tuple[str, list[str]]] = [(start, sorted(uses.get(start, ())))]
        state[start] = 1
        while stack:
            name, todo = stack[-1]
            if not todo:
                state[name] = 2
                stack.pop()
                continue
            nxt = todo.pop()
            if state.get(nxt) == 1 and nxt not in on_cycle:
                on_cycle.append(nxt)
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, sorted(uses.get(nxt, ()))))
    return on_cycle


def _build(data: dict[str, Any]) -> Plan:
    return Plan(
        name=data["name"], year=data["year"], kind=data["kind"], places=int(data["places"]),
        rounding=data["rounding"], total_weight=Decimal(data["total_weight"]), file=data["file"],
        grades=tuple(Band(b["name"], b["comparator"], _dec(b["threshold"])) for b in data["grades"]),
        facts=tuple(Fact(f["name"], _load_unit(f["unit"]), _dec(f["value"]), _load_expr(f["formula"]),
                         _load_span(f["span"])) for f in data["facts"]),
        body=tuple(_load_node(n) for n in data["body"]),
        checks=tuple(Check(c["label"], _req(_load_expr(c["left"])), c["comparator"], _req(_load_expr(c["right"])),
                           c["severity"], Decimal(c["tolerance"]), c["text"], _load_span(c["span"]),
                           Decimal(c["slack"]))
                     for c in data["checks"]),
        actuals=tuple(load_actual(a) for a in data["actuals"]),
        expect=tuple(Expect(e["target"], e["value"] if e["target"] == "grade" else Decimal(e["value"]),
                            _load_span(e["span"]), e.get("quoted", False)) for e in data["expect"]),
        policy=tuple((k, v) for k, v in data["policy"]),
    )


def load_actual(a: dict[str, Any]) -> Actual:
    unit = _load_unit(a["unit"]) if a["unit"] else None
    value = _day(a["value"]) if a["kind"] == "date" else _dec(a["value"])
    return Actual(a["key"], a["kind"], value, unit, a["tier"], a["text"], a["reason"], _dec(a["score"]),
                  _load_span(a["span"]), tuple(a.get("elements", ())), _load_printed(a))


def _load_printed(a: dict[str, Any]) -> Printed | None:
    """The optional keys of a printed row (`dump_actual` writes them only when there)."""
    if not any(k in a for k in ("review", "score_unreadable", "review_unreadable", "rate", "evidence")):
        return None
    return Printed(_dec(a.get("review")), a.get("score_unreadable", False), a.get("review_unreadable", False),
                   _dec(a.get("rate")), a.get("rate_text"), a.get("evidence"))


def _day(text: str | None) -> Decimal | None:
    """The day number of a plan's `2023-12-31` or `2023-12`; a date that does not exist cannot be loaded."""
    if text is None:
        return None
    found = dates.parse_iso(text)
    if found is None:
        raise ValueError(f"invalid date {text}")
    return found[0]


def _load_node(n: dict[str, Any]) -> Section | Indicator:
    if n["type"] == "section":
        return Section(n["key"], n["name"], n["kind"], Decimal(n["weight"]), n["declared"],
                       tuple(_load_node(c) for c in n["children"]), _load_span(n["span"]), n.get("places"),
                       n.get("rounding"), n.get("weight_inferred", False))
    tiers = tuple(Decimal(t) for t in n["tiers"])
    return Indicator(
        key=n["key"], name=n["name"], weight=Decimal(n["weight"]), kind=n["kind"], method=n["method"],
        comparator=n["comparator"], target=_day(n["target"]) if n["kind"] == "date" else _dec(n["target"]),
        target_high=_day(n["target_high"]) if n["kind"] == "date" else _dec(n["target_high"]),
        unit=_load_unit(n["unit"]), target_text=n["target_text"], formula=_load_expr(n["formula"]),
        cap=Decimal(n["cap"]), steps=tuple(Step(Decimal(t), Decimal(p)) for t, p in n["steps"]),
        steps_otherwise=Decimal(n["steps_otherwise"]), deduct_points=_dec(n["deduct_points"]),
        deduct_per=_dec(n["deduct_per"]), deduct_relative=n["deduct_relative"], tiers=(tiers[0], tiers[1]),
        na=n["na"], span=_load_span(n["span"]), signed=n.get("signed", False),
        elements=tuple((label, Decimal(share)) for label, share in n.get("elements", ())),
        deduct_period=n.get("deduct_period"), places=n.get("places"),
        rounding=n.get("rounding"), weight_inferred=n.get("weight_inferred", False),
        levels=tuple((label, Decimal(share)) for label, share in n.get("levels", ())),
        scale=_dec(n.get("scale")),
        steps_actual=n.get("steps_actual", False),
    )


def _load_expr(e: Any) -> Expr | None:
    if e is None:
        return None
    if "ref" in e:
        return Ref(e["kind"], e["ref"])
    if "const" in e:
        return Const(Decimal(e["const"]), _load_unit(e["unit"]))
    return Op(e["op"], tuple(_req(_load_expr(a)) for a in e["args"]))


def _req(expr: Expr | None) -> Expr:
    if expr is None:
        raise ValueError("missing expression")
    return expr


def _load_unit(u: dict[str, Any]) -> Unit:
    return Unit(u["text"], Decimal(u["scale"]), tuple((a, int(e)) for a, e in u["dims"]))


def _load_span(s: dict[str, Any] | None) -> Span | None:
    return Span(**s) if s else None


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
