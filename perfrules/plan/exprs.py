"""Compile formula expressions: resolve names, check units, fold constants to base units."""

from __future__ import annotations

from perfrules.findings import Finding
from perfrules.plan.model import Const, Expr, Op, Ref
from perfrules.plan.names import Index
from perfrules.plan.units import Unit, multiply, parse_unit
from perfrules.syntax import ast

Dims = tuple[tuple[str, int], ...]
ANY: Dims = (("?", 1),)  # the dimensions of a plain number: whatever it is combined with


def compile_expr(node: ast.Expr, index: Index, findings: list[Finding], owner: str) -> tuple[Expr | None, Dims]:
    """The plan expression for `node` and its dimensions; None (with findings) when it cannot be built."""
    if isinstance(node, ast.Literal):
        unit = parse_unit(node.quantity.unit)
        dims = ANY if unit.is_plain else unit.dims
        return Const(unit.to_base(node.quantity.value), unit), dims
    if isinstance(node, ast.Ref):
        found = index.lookup(node.name.text, node.name.span, findings=findings)
        if found is None:
            return None, ANY
        kind, key = found
        unit = index.facts[key].unit if kind == "fact" else index.indicators[key].unit
        return Ref(kind, key, node.name.span), (ANY if unit.is_plain else unit.dims)
    if isinstance(node, ast.Neg):
        operand, dims = compile_expr(node.operand, index, findings, owner)
        return (Op("neg", (operand,)) if operand is not None else None), dims
    left, left_dims = compile_expr(node.left, index, findings, owner)
    right, right_dims = compile_expr(node.right, index, findings, owner)
    if left is None or right is None:
        return None, ANY
    if node.op in "+-":
        same = combine_same(left_dims, right_dims)
        if same is None:
            findings.append(Finding.make("PR013", node.span, name=owner, left=show(left_dims), right=show(right_dims)))
            return None, ANY
        dims = same
    elif left_dims == ANY or right_dims == ANY:
        dims = right_dims if left_dims == ANY else left_dims
        if node.op == "/" and left_dims == ANY and right_dims != ANY:
            dims = multiply((), right_dims, -1)
    else:
        dims = multiply(left_dims, right_dims, 1 if node.op == "*" else -1)
    return Op(node.op, (left, right)), dims


def combine_same(a: Dims, b: Dims) -> Dims | None:
    """The dimensions of a sum or comparison of `a` and `b`, or None when they do not match."""
    if a == ANY:
        return b
    if b == ANY or a == b:
        return a
    return None


def show(dims: Dims) -> str:
    if dims == ANY:
        return "数值"
    return Unit("", parse_unit("").scale, dims).dims_text
