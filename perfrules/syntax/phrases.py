"""Phrases of the fast path: an indicator's clauses and simple formulas (no brackets, no unary minus).

Built from the tokens of perfrules/syntax/tokens.py; used by perfrules/syntax/fastpath.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from perfrules.findings import Span
from perfrules.syntax import ast
from perfrules.syntax.tokens import (
    BARE,
    NAMED,
    NUM,
    SPACE,
    Lazy,
    keyword,
    name_at,
    quantity_at,
    quantity_pattern,
    read_quantity,
)

# ---------------------------------------------------------------- clauses

CLAUSE = Lazy(
    rf"{SPACE}(?:"
    rf"(?P<weight>{keyword('WEIGHT')}{SPACE}(?P<w>{NUM}))"
    rf"|(?P<cap>{keyword('CAP')})"
    rf"|(?P<method>{keyword('METHOD')}{SPACE}(?P<m>{BARE}))"
    rf"|(?P<na>{keyword('NA')})"
    rf"|(?P<deduct>{keyword('DEDUCT')}{SPACE}(?P<d>{NUM}){SPACE}(?P<per>{keyword('PER')}))"
    rf"|(?P<tiers>{keyword('TIERS')})"
    rf"|(?P<steps>{keyword('STEPS')})"
    rf"|(?P<signed>{keyword('SIGNED')})"
    r")"
)
_STEP = Lazy(rf"{SPACE}{quantity_pattern('a')}{SPACE}:{SPACE}{quantity_pattern('b')}")
_OTHERWISE = Lazy(rf"{SPACE}{keyword('OTHERWISE')}")
_ON_ACTUAL = Lazy(rf"{SPACE}{keyword('ACTUAL')}")  # `steps actual 90%:100% …`
NO_CLAUSES = ast.Clauses()


def read_clauses(code: str, pos: int, file: str, number: int, values: dict[str, Any] | None = None,
             spans: list[tuple[str, Span]] | None = None) -> tuple[ast.Clauses, int] | None:
    """`clause*` from pos (after `values` and `spans` read so far): the clauses and where they end.

    None for a clause written twice: lark reports it (PR005).
    """
    values = values if values is not None else {}
    spans = spans if spans is not None else []
    steps: tuple[ast.Step, ...] = ()
    otherwise = None
    on_actual = False
    size = len(code)
    end = pos
    m = CLAUSE.match(code, pos)
    while m is not None:
        key = m.lastgroup
        assert key is not None
        if key in values:
            return None
        start, end = m.span(key)
        if key == "weight":
            values[key] = Decimal(m["w"])
        elif key == "cap":
            found = read_quantity(code, end, file, number)
            if found is None:
                return None
            values[key], end = found
        elif key == "method":
            values[key] = name_at(m, "m", file, number)
        elif key in ("na", "signed"):
            values[key] = True
        elif key == "deduct":
            found = read_quantity(code, end, file, number)
            if found is None:
                return None
            values[key] = (Decimal(m["d"]), found[0])
            word_start, word_end = m.span("per")
            values["deduct_word"] = ast.Name(m["per"], Span(file, number, word_start + 1, number, word_end + 1))
            end = found[1]
        elif key == "tiers":
            low = read_quantity(code, end, file, number)
            high = read_quantity(code, low[1], file, number) if low is not None else None
            if low is None or high is None:
                return None
            values[key] = (low[0], high[0])
            end = high[1]
        else:  # steps: actual? step+ (otherwise quantity)?
            found_steps = []
            actual = _ON_ACTUAL.match(code, end)
            if actual is not None:
                on_actual, end = True, actual.end()
            while (step := _STEP.match(code, end)) is not None:
                found_steps.append(ast.Step(quantity_at(step, "a", file, number),
                                            quantity_at(step, "b", file, number)))
                end = step.end()
            if not found_steps:
                return None
            steps = tuple(found_steps)
            other = _OTHERWISE.match(code, end)
            if other is not None:
                found = read_quantity(code, other.end(), file, number)
                if found is None:
                    return None
                otherwise, end = found
            values[key] = True
        spans.append((key, Span(file, number, start + 1, number, end + 1)))
        m = CLAUSE.match(code, end) if end != size else None
    if not spans:
        return NO_CLAUSES, end
    get = values.get
    clauses = ast.Clauses(get("weight"), get("cap"), get("method"), steps, otherwise, get("deduct"), get("na", False),
                          get("tiers"), tuple(spans), get("signed", False), scale=get("scale"), steps_actual=on_actual,
                          deduct_word=get("deduct_word"))
    return clauses, end


# ---------------------------------------------------------------- expressions (no brackets, no unary minus)

_FACTOR = Lazy(rf"{SPACE}(?:(?P<lit>(?=\d))|(?P<ref>{NAMED}))")
_MUL = Lazy(rf"{SPACE}([*/])")
_ADD = Lazy(rf"{SPACE}([-+])")


def _factor(code: str, pos: int, file: str, number: int) -> tuple[ast.Expr, int] | None:
    m = _FACTOR.match(code, pos)
    if m is None:
        return None
    if m.lastgroup == "lit":
        found = read_quantity(code, m.end(), file, number)
        return (ast.Literal(found[0]), found[1]) if found is not None else None
    return ast.Ref(name_at(m, "ref", file, number)), m.end()


def _term(code: str, pos: int, file: str, number: int) -> tuple[ast.Expr, int] | None:
    found = _factor(code, pos, file, number)
    if found is None:
        return None
    left, pos = found
    while (op := _MUL.match(code, pos)) is not None:
        found = _factor(code, op.end(), file, number)
        if found is None:
            return None
        right, pos = found
        left = ast.BinOp(op[1], left, right, Span(file, number, left.span.column, number, right.span.end_column))
    return left, pos


def read_expr(code: str, pos: int, file: str, number: int) -> tuple[ast.Expr, int] | None:
    found = _term(code, pos, file, number)
    if found is None:
        return None
    left, pos = found
    while (op := _ADD.match(code, pos)) is not None:
        found = _term(code, op.end(), file, number)
        if found is None:
            return None
        right, pos = found
        left = ast.BinOp(op[1], left, right, Span(file, number, left.span.column, number, right.span.end_column))
    return left, pos
