"""Compile formula expressions: resolve names, carry units, fold constants to base units.

Every value of a formula has dimensions (base atoms with exponents, see `units.py`). The algebra:

- `u ± u` is `u`; `a ± b` with different dimensions, and a comparison of them, is PR013;
- `a × b` and `a / b` multiply and divide the dimensions: `元/人 × 人` is `元`, `元 / 元` is a plain
  ratio (no dimensions, the same as `%` and `‰`), `元 × 人` is `元·人` (kept, and a mismatch only
  when it meets something of another dimension);
- a bare number (`2`, `100`) is a pure factor in `×` and `/` and takes the unit of what it is
  added to or compared with (`预算 + 5` is in 元);
- a name whose unit was never written (a fact `人数 = 100`, an indicator with a bare target) is of
  unknown dimensions: it takes the unit of what it is added to or compared with, and a product or
  quotient with it is unknown too, so it never causes a mismatch of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from perfrules.findings import Finding
from perfrules.plan.model import Const, Expr, Op, Ref, formula_order, leaves, refs, topological
from perfrules.plan.names import Index
from perfrules.plan.units import PURE, Unit, multiply, parse_unit
from perfrules.syntax import ast

Dims = tuple[tuple[str, int], ...]
ANY: Dims = (("?", 1),)  # unknown dimensions: a name whose unit was never written
NUMBER: Dims = (("#", 1),)  # a bare number: a pure factor, or the unit of what it is added to
RATIO: Dims = ()  # a plain ratio: 元 / 元, %, ‰
WILD = (ANY, NUMBER)
__all__ = ["ANY", "NUMBER", "RATIO", "WILD", "ast_names", "combine_same", "compile_expr", "derived_unit",
           "formula_order", "leaves", "product", "refs", "show", "topological"]


def compile_expr(node: ast.Expr, index: Index, findings: list[Finding], owner: str) -> tuple[Expr | None, Dims]:
    """The plan expression for `node` and its dimensions; None (with findings) when it cannot be built."""
    if isinstance(node, ast.Literal):
        unit = parse_unit(node.quantity.unit)
        dims = NUMBER if unit.is_plain else unit.dims
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
        return Op(node.op, (left, right)), same
    return Op(node.op, (left, right)), product(left_dims, right_dims, 1 if node.op == "*" else -1)


def product(a: Dims, b: Dims, sign: int) -> Dims:
    """The dimensions of `a × b` (sign 1) or `a / b` (sign -1)."""
    if a == ANY or b == ANY:
        return ANY
    if a == NUMBER and b == NUMBER:
        return NUMBER
    return multiply(RATIO if a == NUMBER else a, RATIO if b == NUMBER else b, sign)


def combine_same(a: Dims, b: Dims) -> Dims | None:
    """The dimensions of a sum or comparison of `a` and `b`, or None when they do not match."""
    if a == b:
        return a
    if a in WILD and b in WILD:
        return ANY
    if a in WILD:
        return b
    if b in WILD:
        return a
    return None


def show(dims: Dims) -> str:
    """Dimensions as a message shows them: 元, 元/人, 比率（无单位）, 数值."""
    if dims in WILD:
        return "数值"
    if dims == RATIO:
        return "比率（无单位）"
    return Unit("", Decimal(1), dims).dims_text


def derived_unit(expr: Expr | None, dims: Dims, unit_of: Callable[[Ref], Unit]) -> Unit:
    """The unit a formula's value is shown and given in: that of an operand with the same dimensions
    (`预算 - 支出` in 万元 stays in 万元), `%` for a plain ratio, else the base units (`元·人`)."""
    if dims in WILD:
        return Unit("", Decimal(1), ())
    if dims == RATIO:
        return parse_unit("%")
    for leaf in leaves(expr):
        unit = leaf.unit if isinstance(leaf, Const) else unit_of(leaf)
        if unit.dims == dims and not unit.is_plain and unit.text not in PURE:
            return unit
    return Unit(Unit("", Decimal(1), dims).dims_text, Decimal(1), dims)


def ast_names(expr: ast.Expr) -> list[ast.Name]:
    """The names a formula refers to, as written (without recursion)."""
    out: list[ast.Name] = []
    stack: list[ast.Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BinOp):
            stack += [node.right, node.left]
        elif isinstance(node, ast.Neg):
            stack.append(node.operand)
        elif isinstance(node, ast.Ref):
            out.append(node.name)
    return out


