"""A hand-written recogniser for the common statement shapes, tried before lark.

`parse_line(code, start, file, number)` returns exactly the node that lark and the `Builder`
would build for the line (same classes, same values, same spans), or None when the line is not
one of the shapes known here or holds anything doubtful. A None goes to lark, which also gives
every syntax error its message: nothing here reports a finding.

How lark's lexer is matched. Lark reads one token at a time, with the terminals that the parser
state accepts, keywords (priority 2) before everything else, and never backtracks into a token.
Here each token is an atomic group with the grammar's own expression (NAME and STRING written
so that runs of letters are taken at once: the same matches, found faster), so a token ends
where lark's does. Every bare name of a recognised line is then checked: if a keyword can be read
where it starts, lark might read that keyword (when the state accepts it) and the line is left
to lark (`Doubt`). So every token here is the token lark reads, and the shapes are sentences of
the grammar, which lark parses one way. The grammar has one conflict, a `/` after a unit name (it
goes on with the unit): a unit name followed by `/` is left to lark too.

The expressions are compiled on first use (`Lazy`): a short file needs only a few of them, and
compiling all would cost more than the file. The tokens live in `tokens.py`, the phrases an
indicator is made of (clauses, simple formulas) in `phrases.py`; this module reads whole lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from perfrules import vocabulary
from perfrules.cache import compile_pattern
from perfrules.findings import Span
from perfrules.records import record
from perfrules.syntax import ast
from perfrules.syntax.phrases import (
    CLAUSE,
    NO_CLAUSES,
    read_clauses,
    read_expr,
)
from perfrules.syntax.tokens import (
    BARE,
    CMP,
    CMP_NOEQ,
    COMPARATOR_SPELLINGS,
    EQ,
    FAST_NAME,
    FAST_STRING,
    KEYWORD_FIRST,
    KEYWORD_OF,
    NAME_AT,
    NAMED,
    NUM,
    QUOTED,
    SPACE,
    Doubt,
    Lazy,
    bare,
    keyword,
    keyword_at,
    line_span,
    name_at,
    read_quantity,
    unit_text,
    unquote,
)

# A date (`2023-12-31`, `2023年12月`) is the grammar's DATE, which the expressions here would read as a number and a
# unit (or as 2023 − 12 − 31): a line that may hold one goes to lark.
_DATE_LIKE = compile_pattern(r"\d{4}(?:-\d|年\d)").search

# ---------------------------------------------------------------- nodes that stand for a line


@record
class Open:
    """A line that opens a block (`facts {`), or a whole one-line block (`grades { ... }`)."""

    kind: str  # ruleset, grades, facts, actuals, expect, policy, dimension, group
    name: ast.Name | None
    clauses: ast.Clauses
    items: tuple[Any, ...]
    closed: bool
    span: Span


@record
class ActualMore:
    """A continuation line under an actual: `reason "..."` or `score 4`."""

    reason: str | None
    score: Decimal | None
    span: Span
    extra: ast.ActualExtra | None = None  # review, unreadable scores, printed rate


def actual_extra(found: dict[str, Any], evidence: str | None = None) -> ast.ActualExtra | None:
    """The extras of an actual line (`review 18`, `score ?`, `rate 95.3%`, evidence text), None when there are none."""
    if evidence is None and not any(k in found for k in ("review", "score_unreadable", "review_unreadable", "rate")):
        return None
    return ast.ActualExtra(found.get("review"), bool(found.get("score_unreadable")),
                           bool(found.get("review_unreadable")), found.get("rate"), evidence)


COMPARATORS = vocabulary.COMPARATOR_OF_TERMINAL


def to_expr(item: Any) -> ast.Expr:
    if isinstance(item, ast.Quantity):
        return ast.Literal(item)
    if isinstance(item, ast.Name):
        return ast.Ref(item)
    return item  # type: ignore[no-any-return]



# ---------------------------------------------------------------- indicators and sections

# An indicator line is read a part at a time (the name with NAME_AT, the target with read_quantity, the weight with
# the clause expression): every part is possessive or atomic, so this is the one expression
#   name (CMP_NOEQ quantity | QUALITATIVE QUOTED? | SCALE | EQ name / name CMP? | IN | EQ) (WEIGHT NUM)?
# with its shared parts compiled once.
_HEAD = Lazy(
    rf"{SPACE}(?:(?P<cmp>{CMP_NOEQ})"
    rf"|(?P<qualitative>{keyword('QUALITATIVE')}(?:{SPACE}(?P<text>{QUOTED}))?+)"
    rf"|(?P<scale>{keyword('SCALE')})"
    rf"|(?P<eq>{EQ})"
    rf"|(?P<range>{keyword('IN')}))"
)
_SLASH = Lazy(rf"{SPACE}/")
_TILDE = Lazy(rf"{SPACE}~")


def _indicator(code: str, file: str, number: int) -> ast.Indicator | None:
    m = NAME_AT.match(code)
    if m is None:
        return None
    head = _HEAD.match(code, m.end())
    if head is None:
        return None
    size = len(code)
    end = head.end()
    target: ast.Quantity | None = None
    high: ast.Quantity | None = None
    formula: tuple[re.Match[str], re.Match[str], re.Match[str] | None] | None = None
    if head.start("cmp") >= 0:
        found = read_quantity(code, end, file, number)
        if found is None:
            return None
        target, end = found
    elif head.start("eq") >= 0:
        formula = _formula(code, end)
        if formula is not None:
            end = (formula[2] or formula[1]).end()
    weight_at = CLAUSE.match(code, end)
    if weight_at is not None and weight_at.lastgroup != "weight":
        weight_at = None
    scaled = head.start("scale") >= 0
    if (head.start("range") >= 0 or (head.start("eq") >= 0 and (formula is None or formula[2] is not None))
            or scaled):
        # the target is read here: `in low ~ high`, `= quantity`, `= a / b >= quantity`, `scale 100`
        if weight_at is not None:
            return None  # `= weight 5`, `in weight`, `= a / b >= weight`: lark's
        found = read_quantity(code, end, file, number)
        if found is None:
            return None
        target, end = found
        if head.start("range") >= 0:
            tilde = _TILDE.match(code, end)
            found = read_quantity(code, tilde.end(), file, number) if tilde is not None else None
            if found is None:
                return None
            high, end = found
    if scaled:  # `scale 100` is the row's first clause, as lark reads it
        assert target is not None
        scale_span = Span(file, number, head.start("scale") + 1, number, target.span.end_column)
        if end == size:
            clauses = ast.Clauses(scale=target, spans=(("scale", scale_span),))
        else:
            read = read_clauses(code, end, file, number, {"scale": target}, [("scale", scale_span)])
            if read is None or read[1] != size:
                return None
            clauses = read[0]
    elif weight_at is None:
        if end == size:
            clauses = NO_CLAUSES
        else:
            read = read_clauses(code, end, file, number)
            if read is None or read[1] != size:
                return None
            clauses = read[0]
    else:
        weight = Decimal(weight_at["w"])
        weight_span = Span(file, number, weight_at.start("weight") + 1, number, weight_at.end("w") + 1)
        end = weight_at.end()
        if end == size:
            clauses = ast.Clauses(weight, None, None, (), None, None, False, None, (("weight", weight_span),))
        else:
            read = read_clauses(code, end, file, number, {"weight": weight}, [("weight", weight_span)])
            if read is None or read[1] != size:
                return None
            clauses = read[0]
    text = m["name"]
    start, name_end = m.span("name")
    if text[0] in "\"“":
        name = ast.Name(unquote(text), Span(file, number, start + 1, number, name_end + 1), True)
    else:
        name = ast.Name(bare(text), Span(file, number, start + 1, number, name_end + 1), False)
    span = Span(file, number, size - len(code.lstrip()) + 1, number, size + 1)
    if head.start("cmp") >= 0:
        return ast.Indicator(name, COMPARATOR_SPELLINGS[head["cmp"]], target, None, None, False, None, clauses, span)
    if head.start("qualitative") >= 0:
        text = head["text"]
        target_text = unquote(text) if text is not None else None
        return ast.Indicator(name, None, None, None, None, True, target_text, clauses, span)
    if formula is not None:
        left = ast.Ref(name_at(formula[0], "name", file, number))
        right = ast.Ref(name_at(formula[1], "name", file, number))
        expr = ast.BinOp("/", left, right, Span(file, number, left.span.column, number, right.span.end_column))
        if formula[2] is None:
            return ast.Indicator(name, None, None, None, expr, False, None, clauses, span)
        return ast.Indicator(name, COMPARATOR_SPELLINGS[formula[2][1]], target, None, expr, False, None, clauses,
                             span)
    if head.start("range") >= 0:
        return ast.Indicator(name, "in", target, high, None, False, None, clauses, span)
    if scaled:
        return ast.Indicator(name, None, None, None, None, False, None, clauses, span)
    return ast.Indicator(name, "=", target, None, None, False, None, clauses, span)


def _formula(code: str, pos: int) -> tuple[re.Match[str], re.Match[str], re.Match[str] | None] | None:
    """`name / name CMP?` after the `=` of an indicator: the two names and the comparator, or None (then `=` alone)."""
    left = NAME_AT.match(code, pos)
    slash = _SLASH.match(code, left.end()) if left is not None else None
    right = NAME_AT.match(code, slash.end()) if slash is not None else None
    if left is None or right is None:
        return None
    return left, right, _COMPARATOR.match(code, right.end())


_OPEN_BRACE_END = Lazy(rf"{SPACE}\{{\Z")

# The statements that begin with a keyword are read after it: `lead` is the keyword `keyword_at` read at the
# line's start, the one the statement's own keyword expression would read there (the longest spelling that
# ends a word), `at` where it ends; each part after it is possessive or atomic (see _HEAD), so the parts are
# read in turn.


def _section_open(code: str, lead: str, at: int, file: str, number: int) -> Open | None:
    """`DIMENSION|GROUP name clause* {`"""
    m = NAME_AT.match(code, at)
    if m is None:
        return None
    found = read_clauses(code, m.end(), file, number)
    if found is None or not _OPEN_BRACE_END.match(code, found[1]):
        return None
    kind = "dimension" if KEYWORD_OF[lead] == "DIMENSION" else "group"
    return Open(kind, name_at(m, "name", file, number), found[0], (), False, line_span(code, file, number))


# ---------------------------------------------------------------- check

_COLON = Lazy(rf"{SPACE}:")
_COMPARATOR = Lazy(rf"{SPACE}({CMP})")
_CHECK_OPTION = Lazy(rf"{SPACE}(?:(?P<severity>{keyword('SEVERITY')}{SPACE}(?P<s>{BARE}))|(?P<tolerance>{keyword('TOLERANCE')}))")


def _check(code: str, at: int, file: str, number: int) -> ast.Check | None:
    """`CHECK name? : expr CMP expr (SEVERITY name | TOLERANCE quantity)*`, from `at` after the keyword"""
    named = NAME_AT.match(code, at)
    colon = _COLON.match(code, named.end() if named is not None else at)
    if colon is None:
        return None
    label = name_at(named, "name", file, number) if named is not None else None
    found = read_expr(code, colon.end(), file, number)
    if found is None:
        return None
    left, pos = found
    cmp = _COMPARATOR.match(code, pos)
    if cmp is None:
        return None
    found = read_expr(code, cmp.end(), file, number)
    if found is None:
        return None
    right, pos = found
    severity = tolerance = None
    while (option := _CHECK_OPTION.match(code, pos)) is not None:
        pos = option.end()
        if option.lastgroup == "severity":
            severity = name_at(option, "s", file, number)
        else:
            quantity = read_quantity(code, pos, file, number)
            if quantity is None:
                return None
            tolerance, pos = quantity
    if pos != len(code):
        return None
    return ast.Check(label, left, COMPARATOR_SPELLINGS[cmp[1]], right, severity, tolerance,
                     line_span(code, file, number))


# ---------------------------------------------------------------- the other top-level statements

_USE = Lazy(rf"{SPACE}{keyword('USE')}{SPACE}(?:(?P<path>{BARE}(?:{SPACE}/{SPACE}{BARE})*+)|(?P<string>{QUOTED}))\Z")
_PLAIN_OPEN = Lazy(rf"{SPACE}{keyword('FACTS', 'ACTUALS', 'POLICY')}{SPACE}\{{\Z")
_OPEN_BRACE = Lazy(rf"{SPACE}\{{")
_ITEMS_OPEN = Lazy(rf"{SPACE}{keyword('GRADES', 'EXPECT')}{SPACE}\{{")
_CLOSE_BRACE_END = Lazy(rf"{SPACE}\}}\Z")


def _use(code: str, file: str, number: int) -> ast.Use | None:
    m = _USE.match(code)
    if m is None:
        return None
    path = m["path"]
    if path is None:
        return ast.Use(unquote(m["string"]), line_span(code, file, number))
    return ast.Use(unit_text(path), line_span(code, file, number))  # names joined by `/`, checked like a unit's


def _block(kind: str, name: ast.Name | None, items: tuple[Any, ...], pos: int, code: str, file: str,
           number: int) -> Open | None:
    """The end of a block header: nothing, or `}` closing a one-line block."""
    if pos == len(code):
        return Open(kind, name, ast.Clauses(), items, False, line_span(code, file, number))
    if _CLOSE_BRACE_END.match(code, pos):
        return Open(kind, name, ast.Clauses(), items, True, line_span(code, file, number))
    return None


def _top_keyword_line(code: str, file: str, number: int, top: bool) -> Any:
    start = len(code) - len(code.lstrip(" "))
    lead = keyword_at(code, start)
    if lead is None:
        return None
    at = start + len(lead)
    word = KEYWORD_OF[lead]
    if word in ("DIMENSION", "GROUP"):
        return _section_open(code, lead, at, file, number)
    if word == "CHECK":
        return _check(code, at, file, number)
    if not top:
        return None
    if word == "USE":
        return _use(code, file, number)
    if word in ("FACTS", "ACTUALS", "POLICY"):
        if _PLAIN_OPEN.match(code) is None:
            return None
        return Open(word.lower(), None, ast.Clauses(), (), False, line_span(code, file, number))
    if word == "RULESET":  # `RULESET name {`
        m = NAME_AT.match(code, at)
        opened = _OPEN_BRACE.match(code, m.end()) if m is not None else None
        if m is None or opened is None:
            return None
        items, pos = _meta_items(code, opened.end(), file, number)
        return _block("ruleset", name_at(m, "name", file, number), items, pos, code, file, number)
    if word in ("GRADES", "EXPECT"):
        opened = _ITEMS_OPEN.match(code)
        if opened is None:
            return None
        collect = _bands if word == "GRADES" else _expect_items
        items, pos = collect(code, opened.end(), file, number)
        return _block(word.lower(), None, items, pos, code, file, number)
    return None


# ---------------------------------------------------------------- ruleset metadata, grades, expect

_META = Lazy(
    rf"{SPACE}(?:"
    rf"(?P<year>{keyword('YEAR')}{SPACE}(?P<y>{NUM}))"
    rf"|(?P<kind>{keyword('KIND')}{SPACE}(?P<k>{BARE}))"
    rf"|(?P<rounding>{keyword('ROUNDING')}{SPACE}(?P<r>{NUM})(?:{SPACE}(?P<mode>{keyword('ROUND_MODE')}))?+)"
    rf"|(?P<total>{keyword('TOTAL')}{SPACE}(?P<t>{NUM}))"
    rf"|(?P<tiers>{keyword('TIERS')})"
    r")"
)
# A band is `name (CMP NUM | OTHERWISE)`, an expect item `TOTAL NUM | GRADE name | name NUM`: the names are read
# with the shared expressions (BARE_AT, NAME_AT), the rest after them (every part possessive or atomic).
BARE_AT = Lazy(rf"{SPACE}(?P<name>{BARE})")
_BAND_REST = Lazy(rf"{SPACE}(?:(?P<cmp>{CMP}){SPACE}(?P<bv>{NUM})|(?P<otherwise>{keyword('OTHERWISE')}))")
_EXPECT = Lazy(
    rf"{SPACE}(?:(?P<total>{keyword('TOTAL')}{SPACE}(?P<t>{NUM}))"
    rf"|(?P<review>{keyword('REVIEW')}{SPACE}(?P<rv>{NUM}))"
    rf"|(?P<grade>{keyword('GRADE')}{SPACE}(?P<g>{BARE})))"
)
_NUMBER = Lazy(rf"{SPACE}(?P<v>{NUM})")

Items = tuple[tuple[Any, ...], int]


def _meta_items(code: str, pos: int, file: str, number: int) -> Items:
    items: list[Any] = []
    while (m := _META.match(code, pos)) is not None:
        key = m.lastgroup
        pos = m.end()
        if key == "year":
            items.append(("year", int(Decimal(m["y"]))))
        elif key == "kind":
            items.append(("kind", name_at(m, "k", file, number)))
        elif key == "rounding":
            items.append(("rounding", (int(Decimal(m["r"])), m["mode"])))
        elif key == "total":
            items.append(("total", Decimal(m["t"])))
        else:
            low = read_quantity(code, pos, file, number)
            high = read_quantity(code, low[1], file, number) if low is not None else None
            if low is None or high is None:
                raise Doubt
            items.append(("tiers", (low[0], high[0])))
            pos = high[1]
    return tuple(items), pos


def _bands(code: str, pos: int, file: str, number: int) -> Items:
    items: list[ast.Band] = []
    while (named := BARE_AT.match(code, pos)) is not None and (m := _BAND_REST.match(code, named.end())) is not None:
        name = name_at(named, "name", file, number)
        if m.lastgroup == "bv":
            span = Span(file, number, name.span.column, number, m.end("bv") + 1)
            items.append(ast.Band(name, COMPARATOR_SPELLINGS[m["cmp"]], Decimal(m["bv"]), span))
        else:
            items.append(ast.Band(name, None, None, Span(file, number, name.span.column, number, m.end() + 1)))
        pos = m.end()
    return tuple(items), pos


def _expect_items(code: str, pos: int, file: str, number: int) -> Items:
    items: list[ast.ExpectItem] = []
    while True:
        m = _EXPECT.match(code, pos)
        if m is not None:
            key = m.lastgroup
            assert key is not None
            start, end = m.span(key)
            span = Span(file, number, start + 1, number, end + 1)
            if key == "total":
                items.append(ast.ExpectItem("total", Decimal(m["t"]), span))
            elif key == "review":
                items.append(ast.ExpectItem("review", Decimal(m["rv"]), span))
            else:
                items.append(ast.ExpectItem("grade", bare(m["g"]), span))
            pos = m.end()
            continue
        named = NAME_AT.match(code, pos)
        value = _NUMBER.match(code, named.end()) if named is not None else None
        if named is None or value is None:
            return tuple(items), pos
        span = Span(file, number, named.start("name") + 1, number, value.end() + 1)
        name = name_at(named, "name", file, number)
        items.append(ast.ExpectItem(name.text, Decimal(value["v"]), span))
        pos = value.end()


def _items_line(collect: Callable[[str, int, str, int], Items]) -> Callable[[str, str, int], Any]:
    def parse(code: str, file: str, number: int) -> Any:
        items, pos = collect(code, 0, file, number)
        return items if items and pos == len(code) else None

    return parse


# ---------------------------------------------------------------- facts, policy

_FACT = Lazy(rf"{SPACE}(?P<name>{NAMED}){SPACE}(?:(?P<eq>{EQ})|(?P<unit>%|‰|{BARE}(?:{SPACE}/{SPACE}{BARE})*+)\Z)")
_POLICY = Lazy(rf"{SPACE}(?P<key>{BARE}){SPACE}(?:(?P<quantity>(?=\d))|(?P<name>{BARE})|(?P<string>{QUOTED}))")


def _fact(code: str, file: str, number: int) -> ast.Fact | None:
    if _DATE_LIKE(code):
        return None
    m = _FACT.match(code)
    if m is None:
        return None
    name = name_at(m, "name", file, number)
    if m["eq"] is None:
        return ast.Fact(name, None, unit_text(m["unit"]), line_span(code, file, number))
    found = read_expr(code, m.end(), file, number)
    if found is None or found[1] != len(code):
        return None
    return ast.Fact(name, found[0], None, line_span(code, file, number))


def _policy(code: str, file: str, number: int) -> ast.PolicyItem | None:
    m = _POLICY.match(code)
    if m is None:
        return None
    value: ast.Quantity | ast.Name | str
    shape = m.lastgroup
    end = m.end()
    if shape == "quantity":
        found = read_quantity(code, end, file, number)
        if found is None:
            return None
        value, end = found
    elif shape == "name":
        value = name_at(m, "name", file, number)
    else:
        value = unquote(m["string"])
    if end != len(code):
        return None
    return ast.PolicyItem(name_at(m, "key", file, number), value, line_span(code, file, number))


# ---------------------------------------------------------------- actuals

# `value: quantity | NEGATIVE | TIER quantity? | NA | STRING`, read as its parts in turn (see _HEAD): the quantity
# with read_quantity, the rest with _VALUE_WORD; an actual is `name (= value)?`.
_VALUE_WORD = Lazy(rf"{SPACE}(?:(?P<tier>{keyword('TIER')})|(?P<na>{keyword('NA')})|(?P<text>{QUOTED}))")
_EQ_AT = Lazy(rf"{SPACE}{EQ}")
_ACTUAL_CLAUSE = Lazy(
    rf"{SPACE}(?:(?P<reason>{keyword('REASON')}{SPACE}(?P<r>{QUOTED}))|(?P<score>{keyword('SCORE')}{SPACE}(?P<s>{NUM})))"
)


def _value(code: str, pos: int, file: str, number: int) -> tuple[ast.ActualValue, int] | None:
    """The actual value at pos (after spaces) and where it ends, or None when there is none."""
    found = read_quantity(code, pos, file, number, signed=True)
    if found is not None:
        quantity, end = found
        return ast.ActualValue("quantity", quantity, None, None, quantity.span), end
    m = _VALUE_WORD.match(code, pos)
    if m is None:
        return None
    shape = m.lastgroup
    assert shape is not None
    start, end = m.span(shape)
    if shape == "tier":  # `TIER quantity?`
        rate = read_quantity(code, end, file, number)
        if rate is not None:
            span = Span(file, number, start + 1, number, rate[0].span.end_column)
            return ast.ActualValue("tier", rate[0], m[shape], None, span), rate[1]
        return ast.ActualValue("tier", None, m[shape], None, Span(file, number, start + 1, number, end + 1)), end
    span = Span(file, number, start + 1, number, end + 1)
    if shape == "na":
        return ast.ActualValue("na", None, None, None, span), end
    return ast.ActualValue("text", None, None, unquote(m[shape]), span), end


def _actual_clauses(code: str, pos: int) -> tuple[str | None, Decimal | None, int, int]:
    """`actual_clause*` from pos: the reason and score, how many, and where they end (-1 when a clause is written
    twice: lark reads the line and reports it, PR005)."""
    reason = score = None
    count = 0
    size = len(code)
    while pos != size and (m := _ACTUAL_CLAUSE.match(code, pos)) is not None:
        if m.lastgroup == "reason":
            if reason is not None:
                return reason, score, count, -1
            reason = unquote(m["r"])
        else:
            if score is not None:
                return reason, score, count, -1
            score = Decimal(m["s"])
        count += 1
        pos = m.end()
    return reason, score, count, pos


def _actual(code: str, file: str, number: int) -> ast.Actual | ActualMore | None:
    m = NAME_AT.match(code)
    size = len(code)
    if m is None or _keyword_name(m["name"]):  # `reason "..."`, `score 4`
        reason, score, count, pos = _actual_clauses(code, 0)
        if count and pos == size:
            return ActualMore(reason, score, line_span(code, file, number))
        return None
    name = name_at(m, "name", file, number)
    value: ast.ActualValue | None = None
    end = m.end()
    equals = _EQ_AT.match(code, end)
    given = _value(code, equals.end(), file, number) if equals is not None else None
    if given is not None:
        value, end = given
    reason = score = None
    count = 0
    if end != size:
        reason, score, count, end = _actual_clauses(code, end)
        if end != size:
            return None
    if value is None and not count:
        return None
    return ast.Actual(name, value, reason, score, Span(file, number, size - len(code.lstrip()) + 1, number, size + 1))


def _keyword_name(text: str) -> bool:
    return text[0] in KEYWORD_FIRST and keyword_at(text) is not None


def _value_line(code: str, file: str, number: int) -> ast.ActualValue | None:
    if _DATE_LIKE(code):
        return None
    found = _value(code, 0, file, number)
    if found is None:
        return None
    value, end = found
    return value if end == len(code) else None


# ---------------------------------------------------------------- entry


# Each entry reads one line for one start rule and turns a doubt into None; the busiest catch it
# themselves rather than through `_guarded` (one call less per line).


def _section_line(code: str, file: str, number: int) -> Any:
    if _DATE_LIKE(code):
        return None
    try:
        return _indicator(code, file, number) or _top_keyword_line(code, file, number, top=False)
    except Doubt:
        return None


def _top_line(code: str, file: str, number: int) -> Any:
    if _DATE_LIKE(code):
        return None
    try:
        return _indicator(code, file, number) or _top_keyword_line(code, file, number, top=True)
    except Doubt:
        return None


def _actuals_line(code: str, file: str, number: int) -> Any:
    if _DATE_LIKE(code):
        return None
    try:
        return _actual(code, file, number)
    except Doubt:
        return None


def _guarded(parse: Callable[[str, str, int], Any]) -> Callable[[str, str, int], Any]:
    def guarded(code: str, file: str, number: int) -> Any:
        try:
            return parse(code, file, number)
        except Doubt:
            return None

    return guarded


_BY_START: dict[str, Callable[[str, str, int], Any]] = {
    "top_line": _top_line,
    "section_line": _section_line,
    "meta_line": _guarded(_items_line(_meta_items)),
    "grades_line": _guarded(_items_line(_bands)),
    "facts_line": _guarded(_fact),
    "actuals_line": _actuals_line,
    "expect_line": _guarded(_items_line(_expect_items)),
    "policy_line": _guarded(_policy),
    "value_line": _guarded(_value_line),
}


def parse_line(code: str, start: str, file: str, number: int) -> Any:
    """The node lark would build for `code` (right-stripped) under the start rule `start`, or None."""
    parse = _BY_START.get(start)
    return parse(code, file, number) if parse is not None else None


def line_parser(start: str) -> Callable[[str, str, int], Any]:
    """`parse_line` for one start rule: `line_parser(start)(code, file, number)`."""
    return _BY_START.get(start) or _nothing


def _nothing(code: str, file: str, number: int) -> None:
    return None


# ---------------------------------------------------------------- the tokens of a line the fast path read


class Token(NamedTuple):
    """One token as lark's lexer names and spells it (`type` is the grammar's terminal), at its 1-based column."""

    type: str
    value: str
    column: int


_PUNCTUATION = {
    **{spelling: terminal for terminal, spellings in vocabulary.COMPARATORS.items() for spelling in spellings},
    "%": "PERCENT", "‰": "PERMILLE", "{": "LBRACE", "}": "RBRACE", "/": "SLASH", ":": "COLON",
    "~": "TILDE", "+": "PLUS", "-": "MINUS", "*": "STAR", "(": "LPAR", ")": "RPAR",
}
_LEX = Lazy(
    rf" *+(?:(?P<NAME>{FAST_NAME})|(?P<STRING>{FAST_STRING})|(?P<NUMBER>{NUM})"
    rf"|(?P<PUNCT>{vocabulary.alternation(list(_PUNCTUATION))}))"
)
_NEGATIVE = Lazy(rf"-[ \t]*+{NUM}")


def line_tokens(code: str, kind: str) -> list[Token] | None:
    """The tokens lark reads on `code` (a line's normalised code) in a block of `kind`, or None when unsure.

    Only for a line the fast path read (see `parser.parse(lines=...)`): its bare names then hold
    no keyword at their start, so a keyword read wherever one can be read, and a name elsewhere, is
    what lark's contextual lexer reads. A keyword that runs past the name read at the same place
    (`n/a`, `half-up`) could be either: None, and the caller asks lark. A `-` right after the `=` of
    an actual is the grammar's NEGATIVE (the only place it stands).
    """
    tokens: list[Token] = []
    code = code.rstrip(" ")
    size = len(code)
    pos = 0
    while pos < size:
        m = _LEX.match(code, pos)
        if m is None:
            return None
        group = m.lastgroup
        assert group is not None
        start, pos = m.span(group)
        text = m[group]
        if group == "NAME":
            if text[0] in KEYWORD_FIRST and (word := keyword_at(code, start)) is not None:
                if start + len(word) > pos:
                    return None
                tokens.append(Token(KEYWORD_OF[word], word, start + 1))
                pos = start + len(word)
                continue
        elif group == "PUNCT":
            if text == "-" and kind == "actuals" and tokens and tokens[-1].type == "EQ":
                negative = _NEGATIVE.match(code, start)
                if negative is not None:
                    tokens.append(Token("NEGATIVE", negative[0], start + 1))
                    pos = negative.end()
                    continue
            group = _PUNCTUATION[text]
        tokens.append(Token(group, text, start + 1))
    return tokens or None
