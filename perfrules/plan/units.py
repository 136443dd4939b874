"""Units: parse `万元`, `元/人/年`, `%`, convert to base units, tell what can be compared.

A unit is a scale and a product of atoms with exponents. Money atoms share the base `元`
(千元 ×10³, 万元 ×10⁴, 亿元 ×10⁸); `%` and `‰` are pure numbers (×0.01, ×0.001); any other
atom is a count unit (人, 场, 户, 米) that converts only to itself (万人 = 10⁴ 人).
`/年` in a denominator means "per evaluation year" and is dropped: the plan compares yearly
amounts (`260 元/人/年 × 87411 人` is an amount in 元).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from functools import lru_cache

from perfrules import vocabulary
from perfrules.records import record

PREFIXES = vocabulary.UNIT_PREFIXES
PERIODS = frozenset(vocabulary.PERIOD_UNITS)
PURE = vocabulary.PERCENT_UNITS


@record
class Unit:
    text: str  # as written; "" for a plain number
    scale: Decimal  # value in this unit × scale = value in base units
    dims: tuple[tuple[str, int], ...]  # base atoms and exponents, sorted; () for pure numbers

    @property
    def is_plain(self) -> bool:
        """Written without a unit: a bare number takes the unit of what it is compared with."""
        return self.text == ""

    @property
    def is_percent(self) -> bool:
        return self.text in PURE

    @property
    def dims_text(self) -> str:
        if not self.dims:
            return "无单位"
        up = [a if e == 1 else f"{a}^{e}" for a, e in self.dims if e > 0]
        down = [a if e == -1 else f"{a}^{-e}" for a, e in self.dims if e < 0]
        return ("·".join(up) or "1") + "".join("/" + d for d in down)

    def to_base(self, value: Decimal) -> Decimal:
        return value * self.scale

    def from_base(self, value: Decimal) -> Decimal:
        return value / self.scale

    def compatible(self, other: Unit) -> bool:
        return self.dims == other.dims


PLAIN = Unit("", Decimal(1), ())

# Compiling and scoring compute in this context, never the global one: inputs hold at most 15
# integer and 15 fraction digits (limits.py), so unit conversions, products and quotients of a
# few of them are exact or correctly rounded at 60 digits, and an exponent out of range is an
# error that is caught, never a silent infinity.
CONTEXT = Context(prec=60, rounding=ROUND_HALF_EVEN, Emin=-999_999, Emax=999_999,
                  traps=[InvalidOperation, DivisionByZero, Overflow])


@lru_cache(maxsize=1024)
def parse_unit(text: str | None) -> Unit:
    """The Unit written as `text` (`None` or "" for a plain number)."""
    if not text:
        return PLAIN
    if text in PURE:
        return Unit(text, PURE[text], ())
    scale = Decimal(1)
    dims: dict[str, int] = {}
    for position, atom in enumerate(text.split("/")):
        sign = 1 if position == 0 else -1
        if sign < 0 and atom in PERIODS:
            continue
        factor, base = _atom(atom)
        scale = scale * factor if sign > 0 else scale / factor
        dims[base] = dims.get(base, 0) + sign
    return Unit(text, scale, tuple(sorted((a, e) for a, e in dims.items() if e)))


def _atom(atom: str) -> tuple[Decimal, str]:
    if atom in PURE:
        return PURE[atom], ""
    for prefix in sorted(PREFIXES, key=len, reverse=True):
        if atom.startswith(prefix) and len(atom) > len(prefix):
            return PREFIXES[prefix], atom[len(prefix):]
    return Decimal(1), atom


def multiply(a: tuple[tuple[str, int], ...], b: tuple[tuple[str, int], ...], sign: int = 1) -> tuple[tuple[str, int], ...]:
    """Dimensions of a product (sign 1) or quotient (sign -1)."""
    dims = dict(a)
    for atom, exponent in b:
        dims[atom] = dims.get(atom, 0) + sign * exponent
    return tuple(sorted((atom, e) for atom, e in dims.items() if e and atom))


def is_money(unit: Unit) -> bool:
    return unit.dims == ((vocabulary.MONEY_BASE, 1),)
