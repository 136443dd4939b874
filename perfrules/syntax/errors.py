"""Syntax errors said for a person: where, what was expected in words, and a hint where one is known."""

from __future__ import annotations

import re
from dataclasses import field
from typing import TYPE_CHECKING, Any

from perfrules import messages
from perfrules.findings import Finding, Span
from perfrules.records import record
from perfrules.syntax.source import Line
from perfrules.vocabulary import chinese
from perfrules.vocabulary import spellings as keywords_of

if TYPE_CHECKING:
    from lark import Token
    from lark.exceptions import UnexpectedInput


def expected_at_error(lark: Any, code: str, start: str) -> list[str]:
    """The terminals the parser really accepts where it stopped.

    Lark's own `expected` sets come from merged LALR states and list tokens that belong to other
    contexts; replaying the line in an interactive parser and asking it gives the exact set.
    """
    from lark.exceptions import UnexpectedInput

    interactive = lark.parse_interactive(code, start=start)
    try:
        for _token in interactive.iter_parse():
            pass
    except UnexpectedInput:
        pass
    return sorted(interactive.accepts())


def syntax_finding(error: UnexpectedInput, line: Line, code: str, file: str, keywords: dict[str, list[str]],
                    expected: list[str], rule: str = "", lark: Any = None) -> Finding:
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    if isinstance(error, UnexpectedCharacters):
        column, width = error.column, 1
        written = line.text[column - 1] if column <= len(line.text) else ""  # as typed, before 「，」 became ","
        return _finding("PR001.char", line, file, column, width, expected, keywords, _char_hint(code, column),
                        char=f"「{written}」")
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        token: Token = error.token
        if token.type == "DATE":  # `check a: x <= 2023-12-31`: a date where only a number or a formula may stand
            return _finding("PR001.token", line, file, token.column or 1, max(len(str(token)), 1), expected, keywords,
                            "date_here", found=f"「{token}」")
        window = _window_without_year(code, token)
        if window is not None:  # `完成时间 in 2023年10月 ~ 12月`: the second date without its year
            start, end, fixed, iso = window
            hint = "date_range_year" if fixed != iso else "date_range_year.iso"
            return _finding("PR001.token", line, file, start, end - start, expected, keywords, hint,
                            found=f"「{code[start - 1:end - 1]}」", fixed=fixed, iso=iso)
        deduct_hint = _deduct_hint(code, token, keywords)
        if deduct_hint:  # `扣 1 分`, `每少 1 处扣 1`: how tables print a deduction, said in the language's way
            return _finding("PR001.token", line, file, token.column or 1, max(len(str(token)), 1), expected, keywords,
                            deduct_hint, found=f"「{token}」")
        if token.type == "UNREADABLE":  # `expect { total ? }`, `良 >= ?`: `?` belongs only after score/review
            hint = "unreadable_expect" if _in_expect(code, rule) else "unreadable_here"
            return _finding("PR001.token", line, file, token.column or 1, 1, expected, keywords, hint, found="「?」")
        typo = _typo(code, token, expected, keywords)
        if typo is not None:  # `rulset "x" {`, `a >= 5 人 wieght 10`: the caret on the misspelt word, its keyword named
            column, written, meant = typo
            if column != token.column and lark is not None:  # the line's first word: what may start a line here
                starts = [t for t in expected_at_error(lark, "", rule) if t in _BLOCK_TERMINALS]
                expected = starts or expected
            lead = next((name for name in expected if meant in keywords.get(name, [])), "")
            return _finding("PR001.token", line, file, column, max(len(written), 1), expected, keywords,
                            "keyword_typo.word", lead, found=f"「{written}」", word=meant)
        column = token.column or 1
        width = max(len(str(token)), 1)
        hint = _token_hint(code, token, expected, keywords)
        if hint == "need_comparator" and _block_of(code, rule) in ("GRADES", "FACTS"):
            hint = "need_comparator." + _block_of(code, rule).lower()  # `良 80`, `预算数 100 万元`
        return _finding("PR001.token", line, file, column, width, expected, keywords, hint, found=f"「{token}」")
    column = len(code) + 1
    return _finding("PR001.eof", line, file, column, 1, expected, keywords, _eof_hint(code, expected))


def _finding(key: str, line: Line, file: str, column: int, width: int, expected: list[str],
             keywords: dict[str, list[str]], hint: str, lead: str = "", **args: Any) -> Finding:
    span = Span(file, line.number, column, line.number, column + width)
    return Finding.make(
        "PR001", span, key=key, hint=hint, source_line=line.text,
        expected=_Expected(tuple(e for e in expected if e != "$END" or len(expected) == 1), keywords, lead), **args,
    )


@record
class _Expected:
    """The expected terminals, said in words in whatever language the finding is shown in."""

    names: tuple[str, ...]
    keywords: dict[str, list[str]] = field(compare=False, hash=False)
    lead: str = ""  # the keyword a typo meant: said first

    def words(self, lang: str) -> str:
        return messages.terminal_words(list(self.names), lang, self.keywords, self.lead)

    def __str__(self) -> str:
        return self.words("zh")


# A window whose second date has no year, as tables print it: `in 2023年10月 ~ 12月`, `in 2023-10-01 ~ 12-31`.
_WINDOW_START = re.compile(r"(\d{4})(?:年(\d{1,2})月(?:(\d{1,2})日)?|-(\d{1,2})(?:-(\d{1,2}))?)\s*~\s*$")
_YEARLESS = re.compile(r"(\d{1,2})\s*(?:月(?:\s*(\d{1,2})\s*日)?|-(\d{1,2}))?")


def _window_without_year(code: str, token: Token) -> tuple[int, int, str, str] | None:
    """Where the yearless second date of a date window is (columns from, to), the window written with the year
    (as the user wrote the first date, and as 2023-10 ~ 2023-12); None when the line is no such window."""
    if token.type != "NUMBER":
        return None
    at = (token.column or 1) - 1
    first = _WINDOW_START.search(code[:at])
    second = _YEARLESS.match(code, at)
    if first is None or second is None:
        return None
    year, chinese_style = first[1], first[2] is not None
    month, day = second[1], second[2] or second[3]
    first_text = code[first.start():first.end()].rstrip().rstrip("~").rstrip()
    if chinese_style:
        written = f"{year}年{month}月" + (f"{day}日" if day else "")
    else:
        written = f"{year}-{month}" + (f"-{day}" if day else "")
    first_iso = f"{year}-{int(first[2] or first[4]):02d}" + (
        f"-{int(first[3] or first[5]):02d}" if first[3] or first[5] else "")
    iso = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    return (at + 1, second.end() + 1, f"in {first_text} ~ {written}", f"in {first_iso} ~ {iso}")


# The Chinese keywords a number may be written right after (`权重5`).
_CJK_KEYWORD = re.compile("(" + "|".join(chinese("WEIGHT", "CAP", "SCORE", "QUALITATIVE", "METHOD", "STEPS", "DEDUCT",
                                                 "PER")) + ")$")


def _char_hint(code: str, column: int) -> str:
    char = code[column - 1] if column <= len(code) else ""
    after = code[column] if column < len(code) else ""
    if char == "," and column > 1 and code[column - 2].isdigit() and after.isdigit():
        return "thousands"  # `8,75`: not groups of three (8,755 reads as 8755)
    if char == ",":
        return "comma"  # `>= 95%，weight 10`: clauses need no comma between them
    if char == ";":
        return "punctuation"
    if char in "\"“":
        return "unclosed_string"
    if char in "（）":
        return "paren"
    if char in "()★☆·、":
        return "quote_name"
    return ""


def _deduct_hint(code: str, token: Token, keywords: dict[str, list[str]]) -> str:
    """`扣 1 分` (the 分 tables print after the points) or `每少 1 处扣 1` (the unit swallowed 扣): a hint, else ""."""
    before = code[: (token.column or 1) - 1]
    deduct = "|".join(re.escape(w) for w in sorted(keywords.get("DEDUCT", []), key=len, reverse=True))
    if not deduct:
        return ""
    if token.type == "NAME" and str(token) == "分" and re.search(rf"(?:^|\s)(?:{deduct})\s*\d+(?:\.\d+)?\s*$", before):
        return "deduct_points_word"
    if token.type == "NUMBER" and re.search(rf"\d\s*[^\W\d]+(?:{deduct})\s*$", before):
        return "space_deduct"
    return ""


def _token_hint(code: str, token: Token, expected: list[str], keywords: dict[str, list[str]]) -> str:
    before = code[: (token.column or 1) - 1]
    if token.type == "EQ" and before.rstrip()[-1:] in "<>" and before.endswith(" "):
        return "split_comparator"
    if token.type == "NAME" and _near_keyword(str(token), expected, keywords):
        return "keyword_typo"
    first = code.split()[0] if code.split() else ""
    if (token.column or 1) > len(first) and _near_keyword(first, list(_BLOCK_TERMINALS), keywords):
        return "keyword_typo"  # `dimenson 产出 {`: the first word was meant as a block keyword
    if token.type == "NUMBER" and _CJK_KEYWORD.search(before):
        return "space_keyword"
    if token.type == "NUMBER" and before[-1:].isalpha():
        return "quote_name"
    comparators = {"GE", "LE", "GT", "LT", "EQ"}
    if token.type in ("NUMBER", "PERCENT") and comparators & set(expected):
        return "need_comparator"
    if token.type in ("NAME", "STRING") and comparators & set(expected):
        return "quote_name"
    if token.type in ("LBRACE", "RBRACE"):
        return "block_open"
    return ""


def _typo(code: str, token: Token, expected: list[str], keywords: dict[str, list[str]]) -> tuple[int, str, str] | None:
    """(column, the word as written, the keyword meant) when the line stops at or after a misspelt keyword.

    The word is the unexpected token itself (`wieght`, `cpa` where a clause may start) or the line's
    first word when it is close to a block keyword (`rulset`, `dimention`, `expcet`).
    """
    if token.type == "NAME" and (meant := _near_keyword(str(token), expected, keywords)):
        return token.column or 1, str(token), meant
    words = code.split()
    first = words[0] if words else ""
    at = len(code) - len(code.lstrip()) + 1
    if first and (token.column or 1) > at + len(first) - 1 and (meant := _near_keyword(first, list(_BLOCK_TERMINALS),
                                                                                        keywords)):
        return at, first, meant
    return None


_BLOCK_OF_START = {"expect_line": "EXPECT", "grades_line": "GRADES", "facts_line": "FACTS", "meta_line": "RULESET",
                   "policy_line": "POLICY", "actuals_line": "ACTUALS"}


def _block_of(code: str, start: str) -> str:
    """The block keyword whose items the line holds: the block it stands in, or a one-line block's own
    (`expect { total ? }`, `grades { 优 >= 90 良 80 }`); "" for other lines."""
    if start in _BLOCK_OF_START:
        return _BLOCK_OF_START[start]
    words = code.split()
    return next((block for block in ("EXPECT", "GRADES", "RULESET") if words and words[0] in keywords_of(block)), "")


def _in_expect(code: str, start: str) -> bool:
    return _block_of(code, start) == "EXPECT"


_BLOCK_TERMINALS = ("RULESET", "GRADES", "FACTS", "ACTUALS", "EXPECT", "POLICY", "DIMENSION", "GROUP", "CHECK", "USE")


def _near_keyword(word: str, expected: list[str], keywords: dict[str, list[str]]) -> str:
    """The keyword `word` is a misspelling of, or "": a keyword spelt right (`expect` before a bad item) is no typo."""
    return near_word(word, [s for name in expected for s in keywords.get(name, [])])


def near_word(word: str, spellings: list[str]) -> str:
    """The one of `spellings` (in the same script as `word`) that `word` is a misspelling of, or "" (also when
    `word` is one of them)."""
    import difflib

    same = [s for s in spellings if s.isascii() == word.isascii()]
    if word in same:
        return ""
    close = difflib.get_close_matches(word, same, n=1, cutoff=0.6)
    return close[0] if close else ""


def _eof_hint(code: str, expected: list[str]) -> str:
    if {"GE", "LE", "EQ"} & set(expected) and len(code.split()) == 1:
        return "need_comparator"
    return ""
