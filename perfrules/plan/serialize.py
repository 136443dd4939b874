"""The Plan as JSON, and back, without the grammar: `perfrules compile -o plan.json`.

Numbers are written as strings so that every Decimal comes back exactly. The format is
described by docs/schemas/plan.schema.json; `FORMAT` changes when it changes incompatibly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from perfrules.findings import Span
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
    Ref,
    Section,
    Step,
)
from perfrules.plan.units import Unit

FORMAT = "perfrules-plan/1"


class PlanFormatError(ValueError):
    """The JSON is not a plan this version can read."""


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
        "expect": [{"target": e.target, "value": str(e.value), "span": _span(e.span)} for e in plan.expect],
        "policy": [[k, v] for k, v in plan.policy],
    }


def dump_actual(a: Actual) -> dict[str, Any]:
    return {"key": a.key, "kind": a.kind, "value": _num(a.value), "unit": _unit(a.unit) if a.unit else None,
            "tier": a.tier, "text": a.text, "reason": a.reason, "score": _num(a.score), "span": _span(a.span)}


def _node(node: Section | Indicator) -> dict[str, Any]:
    if isinstance(node, Section):
        return {"type": "section", "key": node.key, "name": node.name, "kind": node.kind,
                "weight": str(node.weight), "declared": node.declared, "span": _span(node.span),
                "children": [_node(c) for c in node.children]}
    return {
        "type": "indicator", "key": node.key, "name": node.name, "weight": str(node.weight), "kind": node.kind,
        "method": node.method, "comparator": node.comparator, "target": _num(node.target),
        "target_high": _num(node.target_high), "unit": _unit(node.unit), "target_text": node.target_text,
        "formula": _expr(node.formula), "cap": str(node.cap),
        "steps": [[str(s.threshold), str(s.points)] for s in node.steps],
        "steps_otherwise": str(node.steps_otherwise), "deduct_points": _num(node.deduct_points),
        "deduct_per": _num(node.deduct_per), "deduct_relative": node.deduct_relative,
        "tiers": [str(t) for t in node.tiers], "na": node.na, "span": _span(node.span),
    }


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


def load_plan(data: Any) -> Plan:
    """A Plan from `dump_plan`'s JSON; raises PlanFormatError on anything else."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PlanFormatError(f"not a {FORMAT} document")
    try:
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
                                _load_span(e["span"])) for e in data["expect"]),
            policy=tuple((k, v) for k, v in data["policy"]),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise PlanFormatError(f"malformed plan: {error!r}") from error


def load_actual(a: dict[str, Any]) -> Actual:
    return Actual(a["key"], a["kind"], _dec(a["value"]), _load_unit(a["unit"]) if a["unit"] else None, a["tier"],
                  a["text"], a["reason"], _dec(a["score"]), _load_span(a["span"]))


def _load_node(n: dict[str, Any]) -> Section | Indicator:
    if n["type"] == "section":
        return Section(n["key"], n["name"], n["kind"], Decimal(n["weight"]), n["declared"],
                       tuple(_load_node(c) for c in n["children"]), _load_span(n["span"]))
    tiers = tuple(Decimal(t) for t in n["tiers"])
    return Indicator(
        key=n["key"], name=n["name"], weight=Decimal(n["weight"]), kind=n["kind"], method=n["method"],
        comparator=n["comparator"], target=_dec(n["target"]), target_high=_dec(n["target_high"]),
        unit=_load_unit(n["unit"]), target_text=n["target_text"], formula=_load_expr(n["formula"]),
        cap=Decimal(n["cap"]), steps=tuple(Step(Decimal(t), Decimal(p)) for t, p in n["steps"]),
        steps_otherwise=Decimal(n["steps_otherwise"]), deduct_points=_dec(n["deduct_points"]),
        deduct_per=_dec(n["deduct_per"]), deduct_relative=n["deduct_relative"], tiers=(tiers[0], tiers[1]),
        na=n["na"], span=_load_span(n["span"]),
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
