"""The grammar's terminals as regular expressions, and the AST leaves one matched token makes.

Part of the parser's fast path (perfrules/syntax/fastpath.py): each token is an atomic group
with the grammar's own expression, so it ends where lark's lexer ends it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from perfrules.findings import Span
from perfrules.syntax import ast

# ---------------------------------------------------------------- terminals, as grammar/perfrules.lark writes them

KEYWORDS: dict[str, tuple[str, ...]] = {
    "RULESET": ("ruleset", "规则集"),
    "ROUND_MODE": ("half-even", "half-up", "银行家舍入", "down", "四舍五入", "截断"),
    "GRADES": ("grades", "等级"),
    "FACTS": ("facts", "基础数据"),
    "ACTUALS": ("actuals", "实际"),
    "EXPECT": ("expect", "核对"),
    "POLICY": ("policy", "策略"),
    "DIMENSION": ("dimension", "一级指标", "维度"),
    "GROUP": ("group", "二级指标", "分组"),
    "USE": ("use", "引用"),
    "CHECK": ("check", "校验"),
    "SEVERITY": ("severity", "级别"),
    "TOLERANCE": ("tolerance", "容差"),
    "YEAR": ("year", "年度"),
    "KIND": ("kind", "类型"),
    "ROUNDING": ("rounding", "舍入"),
    "TOTAL": ("total", "总分"),
    "TIERS": ("tiers", "档次"),
    "OTHERWISE": ("otherwise", "其他"),
    "IN": ("in", "介于"),
    "QUALITATIVE": ("qualitative", "定性"),
    "WEIGHT": ("weight", "权重", "分值"),
    "CAP": ("cap", "封顶"),
    "METHOD": ("method", "计分"),
    "STEPS": ("steps", "阶梯"),
    "DEDUCT": ("deduct", "扣"),
    "PER": ("per", "每差"),
    "NA": ("n/a", "不适用", "na"),
    "SIGNED": ("signed", "可为负"),
    "TIER": ("部分达成年度指标并具有一定效果", "未达成年度指标且效果较差", "达成年度指标", "部分达成", "未达成", "达成"),
    "REASON": ("reason", "偏差原因", "原因"),
    "SCORE": ("score", "得分"),
    "GRADE": ("grade", "评级"),
    "HISTORY": ("history", "历史"),
    "ACTUAL": ("actual", "实际完成"),
    "BUDGET": ("budget", "年度预算"),
}
WORD_END = r"(?![^\W\d])"  # a keyword is a whole word: no letter may follow it (a digit may)
NUMBER = r"\d+(\.\d+)?"
NAME = r"(?:[^\W\d]|（[\w%‰\/.、·]*）)(?:[\w·、《》〔〕【】]|（[\w%‰\/.、·]*）|(?<=\d)\.(?=\d))*"
STRING = r'(?:"(?:[^"\\\n]|\\.)*"|“[^”\n]*”)'

# The same languages, written to match faster and compile faster: runs of letters or of string
# characters taken at once, and the bracket part's characters that are not Latin-1 kept out of a
# character class (a class holding them takes re about 0.2 ms to compile).
_BRACKETED = r"（(?:[\w%/.·]|(?>‰)|(?>、))*+）"
FAST_NAME = rf"(?=[^\W\d]|（)(?:[\w·]++|{_BRACKETED}|(?>、|《|》|〔|〕|【|】)|(?<=\d)\.(?=\d))++"
FAST_STRING = r'(?:"(?:[^"\\\n]++|\\.)*+"|“[^”\n]*+”)'

# Comparators as the grammar spells them; lark tries the two-character ones first.
COMPARATOR_SPELLINGS = {
    ">=": ">=", "≥": ">=", "≧": ">=", "<=": "<=", "≤": "<=", "≦": "<=", "==": "=", "=": "=", ">": ">", "<": "<",
}
KEYWORD_OF = {spelling: terminal for terminal, spellings in KEYWORDS.items() for spelling in spellings}


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
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(tree)


def keyword(*terminals: str) -> str:
    """The expression for any spelling of `terminals`, as a whole word."""
    return "(?:" + _trie([s for t in terminals for s in KEYWORDS[t]]) + ")" + WORD_END


class _Lazy:
    """A regular expression compiled when first used; then `match` is the compiled pattern's own."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        self.match = re.compile(self.pattern).match  # type: ignore[method-assign]
        return self.match(string, pos)


_S = " *+"
_NUM = r"(?>\d+(?:\.\d+)?)"
_N = rf"(?>{FAST_NAME})"  # a bare name: checked afterwards (`_bare`), as a keyword may be read there
_STR = rf"(?>{FAST_STRING})"
_NS = rf"(?>{FAST_NAME}|{FAST_STRING})"  # the `name` rule
_CMP_NOEQ = r"(?:>=|<=|≥|≧|≤|≦|>|<)"
_CMP = r"(?:>=|<=|≥|≧|≤|≦|==|=|>|<)"
_EQ = r"(?:==|=)"
# The keywords that can follow a quantity: a unit name is not read where one of these stands.
_AFTER_QUANTITY = keyword("WEIGHT", "CAP", "METHOD", "STEPS", "DEDUCT", "NA", "TIERS", "OTHERWISE", "REASON", "SCORE",
                          "SEVERITY", "TOLERANCE", "YEAR", "KIND", "ROUNDING", "TOTAL", "SIGNED")


def _quantity(g: str, sign: bool = False) -> str:
    """`quantity: NUMBER unit?` with groups g (the number) and g_u (the unit); a unit name may not go on with `/`.

    With `sign`, the number is the grammar's NEGATIVE (`-3.2`, `- 3.2`): an actual value below zero.
    """
    unit = rf"%|‰|(?!{_AFTER_QUANTITY}){_N}(?:{_S}/{_S}{_N})*+(?!{_S}/)"
    number = rf"-[ \t]*+{_NUM}" if sign else _NUM
    return rf"(?P<{g}>{number})(?:{_S}(?P<{g}_u>{unit}))?+"


_KEYWORD_AT = _Lazy(keyword(*KEYWORDS))
_KEYWORD_FIRST = frozenset(spelling[0] for spellings in KEYWORDS.values() for spelling in spellings)


class _Doubt(Exception):
    """A name where a keyword can be read: the line goes to lark."""


def _bare(text: str) -> str:
    """A NAME token's text, unless a keyword can be read where it starts."""
    if text[0] in _KEYWORD_FIRST and _KEYWORD_AT.match(text) is not None:
        raise _Doubt
    return text


def _unit_text(unit: str) -> str:
    """A unit as written (`元 / 人`) as the grammar joins it (`元/人`), its names checked like `_bare`."""
    if unit in ("%", "‰"):
        return unit
    for part in unit.split("/"):  # a `/` inside a bracketed part only makes this stricter
        part = part.strip(" ")
        if part and part[0] in _KEYWORD_FIRST and _KEYWORD_AT.match(part) is not None:
            raise _Doubt
    return unit.replace(" ", "")


# ---------------------------------------------------------------- building nodes from matches


def _name_at(m: re.Match[str], g: str, file: str, number: int) -> ast.Name:
    text = m[g]
    start, end = m.span(g)
    if text[0] in "\"“":
        return ast.Name(unquote(text), Span(file, number, start + 1, number, end + 1), True)
    return ast.Name(_bare(text), Span(file, number, start + 1, number, end + 1), False)


def _quantity_at(m: re.Match[str], g: str, file: str, number: int) -> ast.Quantity:
    unit_group = g + "_u"
    unit = m[unit_group]
    text = m[g]
    value = negative(text) if text[0] == "-" else Decimal(text)
    if unit is None:
        start, end = m.span(g)
        return ast.Quantity(value, None, Span(file, number, start + 1, number, end + 1))
    span = Span(file, number, m.start(g) + 1, number, m.end(unit_group) + 1)
    return ast.Quantity(value, _unit_text(unit), span)


def _line_span(code: str, file: str, number: int) -> Span:
    return Span(file, number, len(code) - len(code.lstrip()) + 1, number, len(code) + 1)


_QUANTITY = _Lazy(rf"{_S}{_quantity('q')}")


def _quantity_from(code: str, pos: int, file: str, number: int) -> tuple[ast.Quantity, int] | None:
    m = _QUANTITY.match(code, pos)
    return (_quantity_at(m, "q", file, number), m.end()) if m is not None else None

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


_ESCAPE = re.compile(r'\\(["\\nt]|u[0-9a-fA-F]{4})')
_ESCAPED = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def _unescape(match: re.Match[str]) -> str:
    code = match[1]
    if not code.startswith("u"):
        return _ESCAPED[code]
    point = int(code[1:], 16)
    return match[0] if 0xD800 <= point <= 0xDFFF else chr(point)  # a lone surrogate could not be printed: kept as written
