"""The grammar's terminals as regular expressions, and the AST leaves one matched token makes.

Part of the parser's fast path (perfrules/syntax/fastpath.py): each token is an atomic group
with the grammar's own expression, so it ends where lark's lexer ends it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from perfrules import vocabulary
from perfrules.cache import compile_pattern
from perfrules.findings import Span
from perfrules.syntax import ast

# ---------------------------------------------------------------- terminals, as grammar/perfrules.lark writes them

# The words are perfrules.vocabulary's (the grammar's keyword and comparator terminals are filled from it).
KEYWORDS = vocabulary.KEYWORDS
KEYWORD_OF = vocabulary.KEYWORD_OF
COMPARATOR_SPELLINGS = vocabulary.COMPARATOR_SPELLINGS
WORD_END = vocabulary.WORD_END
# The grammar's NUMBER takes thousands separators in groups of three (8,755); the fast path's NUM below does not,
# so a line that has one is read by lark (whose lexer drops the separators: perfrules.syntax.parser).
NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d|,\d)|\d+(\.\d+)?"
NAME = r"(?:[^\W\d]|（[\w%‰\/.、·]*）)(?:[\w·、《》〔〕【】]|（[\w%‰\/.、·]*）|(?<=\d)\.(?=\d))*"
STRING = r'(?:"(?:[^"\\\n]|\\.)*"|“[^”\n]*”)'

# The same languages, written to match faster and compile faster: runs of letters or of string
# characters taken at once, and the characters that are not Latin-1 kept out of a character class
# (a class holding them takes re about 0.2 ms to compile), each in a group of its own: re turns an
# alternation of single characters (`、|《`) into such a class.
_BRACKETED = r"（(?:[\w%/.·]|(?>‰)|(?>、))*+）"
_PUNCTUATION_IN_NAME = "|".join(f"(?>{c})" for c in "、《》〔〕【】")
FAST_NAME = rf"(?=[^\W\d]|（)(?:[\w·]++|{_BRACKETED}|{_PUNCTUATION_IN_NAME}|(?<=\d)\.(?=\d))++"
FAST_STRING = r'(?:"(?:[^"\\\n]++|\\.)*+"|“[^”\n]*+”)'


def _trie(words: list[str]) -> str:
    """An alternation of `words` with common prefixes factored out."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if len(branches) > 1 and all(len(b) == 1 for b in branches) and max(branches) > "\xff":
            branches = [f"(?>{b})" for b in branches]  # no character class of them (see FAST_NAME)
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(tree)


def keyword(*terminals: str) -> str:
    """The expression for any spelling of `terminals`, as a whole word."""
    return "(?:" + _trie([s for t in terminals for s in KEYWORDS[t]]) + ")" + WORD_END


class Lazy:
    """A regular expression compiled when first used; then `match` is the compiled pattern's own."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        self.match = compile_pattern(self.pattern).match  # type: ignore[method-assign]
        return self.match(string, pos)


SPACE = " *+"
NUM = r"(?>\d+(?:\.\d+)?)"
BARE = rf"(?>{FAST_NAME})"  # a bare name: checked afterwards (`bare`), as a keyword may be read there
QUOTED = rf"(?>{FAST_STRING})"
NAMED = rf"(?>{FAST_NAME}|{FAST_STRING})"  # the `name` rule
CMP_NOEQ = vocabulary.comparator_pattern("GE", "LE", "GT", "LT")  # the comparators, the two-character ones first
CMP = vocabulary.comparator_pattern()
EQ = vocabulary.comparator_pattern("EQ")
# The keywords that can follow a quantity: a unit name is not read where one of these stands.
_AFTER_QUANTITY = keyword("WEIGHT", "CAP", "METHOD", "STEPS", "DEDUCT", "NA", "TIERS", "OTHERWISE", "REASON", "SCORE",
                          "SEVERITY", "TOLERANCE", "YEAR", "KIND", "ROUNDING", "TOTAL", "SIGNED",
                          "INFERRED", "REVIEW", "RATE")


def quantity_pattern(g: str, sign: bool = False) -> str:
    """`quantity: NUMBER unit?` with groups g (the number) and g_u (the unit); a unit name may not go on with `/`.

    With `sign`, the number may also be the grammar's NEGATIVE (`-3.2`, `- 3.2`): an actual value below zero
    (`quantity_at` reads either).
    """
    unit = rf"%|‰|(?!{_AFTER_QUANTITY}){BARE}(?:{SPACE}/{SPACE}{BARE})*+(?!{SPACE}/)"
    number = rf"(?:-[ \t]*+)?+{NUM}" if sign else NUM
    return rf"(?P<{g}>{number})(?:{SPACE}(?P<{g}_u>{unit}))?+"


# A `name` after spaces, group `name`: the phrases that hold names match them with this one expression, one
# after another (each part is possessive or atomic, so reading the parts in turn is reading the whole).
NAME_AT = Lazy(rf"{SPACE}(?P<name>{NAMED})")
KEYWORD_FIRST = frozenset(spelling[0] for spellings in KEYWORDS.values() for spelling in spellings)
# Every spelling by its first character, longest first: what `keyword(*KEYWORDS)` tries at a position.
_SPELLINGS_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _spelling in sorted({s for spellings in KEYWORDS.values() for s in spellings}, key=len, reverse=True):
    _SPELLINGS_BY_FIRST[_spelling[0]] = (*_SPELLINGS_BY_FIRST.get(_spelling[0], ()), _spelling)


def keyword_at(text: str, pos: int = 0) -> str | None:
    """The keyword that can be read at `pos`, as `keyword(*KEYWORDS)` reads it (the longest spelling there that
    WORD_END allows: no letter after it, a digit may follow), or None. Without a regular expression: the
    alternation of every spelling took re about 0.65 ms to compile, in every run."""
    for spelling in _SPELLINGS_BY_FIRST.get(text[pos : pos + 1], ()):
        if text.startswith(spelling, pos):
            after = text[pos + len(spelling) : pos + len(spelling) + 1]
            # WORD_END is (?![^\W\d]): re's \w is str.isalnum() or "_", its \d str.isdecimal()
            if not after or not (after.isalnum() or after == "_") or after.isdecimal():
                return spelling
    return None


class Doubt(Exception):
    """A name where a keyword can be read: the line goes to lark."""


def bare(text: str) -> str:
    """A NAME token's text, unless a keyword can be read where it starts."""
    if text[0] in KEYWORD_FIRST and keyword_at(text) is not None:
        raise Doubt
    return text


def unit_text(unit: str) -> str:
    """A unit as written (`元 / 人`) as the grammar joins it (`元/人`), its names checked like `bare`."""
    if unit in ("%", "‰"):
        return unit
    for part in unit.split("/"):  # a `/` inside a bracketed part only makes this stricter
        part = part.strip(" ")
        if part and part[0] in KEYWORD_FIRST and keyword_at(part) is not None:
            raise Doubt
    return unit.replace(" ", "")


# ---------------------------------------------------------------- building nodes from matches


def name_at(m: re.Match[str], g: str, file: str, number: int) -> ast.Name:
    text = m[g]
    start, end = m.span(g)
    if text[0] in "\"“":
        return ast.Name(unquote(text), Span(file, number, start + 1, number, end + 1), True)
    return ast.Name(bare(text), Span(file, number, start + 1, number, end + 1), False)


def quantity_at(m: re.Match[str], g: str, file: str, number: int) -> ast.Quantity:
    unit_group = g + "_u"
    unit = m[unit_group]
    text = m[g]
    value = negative(text) if text[0] == "-" else Decimal(text)
    if unit is None:
        start, end = m.span(g)
        return ast.Quantity(value, None, Span(file, number, start + 1, number, end + 1))
    span = Span(file, number, m.start(g) + 1, number, m.end(unit_group) + 1)
    return ast.Quantity(value, unit_text(unit), span)


def line_span(code: str, file: str, number: int) -> Span:
    return Span(file, number, len(code) - len(code.lstrip()) + 1, number, len(code) + 1)


_QUANTITY = Lazy(rf"{SPACE}{quantity_pattern('q', sign=True)}")  # one expression for both: the sign is checked


def read_quantity(code: str, pos: int, file: str, number: int, signed: bool = False) -> tuple[ast.Quantity, int] | None:
    """`quantity` from pos (after spaces), with `signed` also a NEGATIVE (an actual's value); None when none is there."""
    m = _QUANTITY.match(code, pos)
    if m is None or (not signed and m["q"][0] == "-"):
        return None  # without `signed` a `-` is no quantity, as the unsigned expression read it
    return quantity_at(m, "q", file, number), m.end()

def negative(text: str) -> Decimal:
    """The value of a NEGATIVE token: `-3.2` or `- 3.2` is Decimal("-3.2")."""
    return -Decimal(text.lstrip("-").lstrip(" \t"))


def unquote(text: str) -> str:
    """The text inside quotes. In straight quotes `\\"` `\\\\` `\\n` `\\t` and `\\uXXXX` are escapes (a
    multi-line cell imported from a form keeps its line breaks); any other backslash is kept as written."""
    text = str(text)
    if text.startswith("“"):
        return text[1:-1]
    inner = text[1:-1]
    return inner if "\\" not in inner else _ESCAPE.sub(_unescape, inner)


_ESCAPE = compile_pattern(r'\\(["\\nt]|u[0-9a-fA-F]{4})')
_ESCAPED = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def _unescape(match: re.Match[str]) -> str:
    code = match[1]
    if not code.startswith("u"):
        return _ESCAPED[code]
    point = int(code[1:], 16)
    return match[0] if 0xD800 <= point <= 0xDFFF else chr(point)  # a lone surrogate could not be printed: kept as written
