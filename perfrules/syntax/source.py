"""Source text: reading files, splitting lines and comments, input-method characters, widths."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from perfrules.cache import compile_pattern
from perfrules.records import record
from perfrules.vocabulary import FULL_WIDTH, FULL_WIDTH_BRACKETS, OTHER_BREAKS

__all__ = ["FULL_WIDTH", "FULL_WIDTH_BRACKETS", "OTHER_BREAKS", "QUOTED_TEXT", "QUOTES", "Line", "caret_line",
           "code_and_comment", "code_lines", "decode", "display_width", "lines", "normalise", "split_comment",
           "split_lines"]

# What Chinese input methods type, mapped one character to one character (perfrules.vocabulary); quoted
# text is never touched. Brackets are mapped only where they cannot belong to a name (see `normalise`).
QUOTES = {'"': '"', "“": "”"}

# The plain lines (most of them) hold none of these and are their own code: no comment, nothing to map.
_SPECIAL = compile_pattern("[" + re.escape("".join([*QUOTES, "#＃", *FULL_WIDTH, *FULL_WIDTH_BRACKETS])) + "]")
_TO_MAP = compile_pattern("[" + re.escape("".join([*FULL_WIDTH, *FULL_WIDTH_BRACKETS])) + "]")
# A quote runs to its closing quote (a straight one may hold `\"` and `\\`) or to the end of the line.
QUOTED_TEXT = compile_pattern(r'"[^"\\]*(?:\\.?[^"\\]*)*(?:"|\Z)|“[^”]*(?:”|\Z)')  # the loop unrolled: fast on long texts
_COMMENT_OR_QUOTED = compile_pattern(r'[#＃]|"[^"\\]*(?:\\.?[^"\\]*)*(?:"|\Z)|“[^”]*(?:”|\Z)')
_TABLE = str.maketrans(FULL_WIDTH)


@record
class Line:
    """One physical line: its code (normalised, comment removed) and its comment."""

    number: int
    text: str  # the line as written
    code: str  # normalised code, same length as text[: len(code)]
    comment: str  # "# ..." or ""
    comment_column: int  # 1-based column of "#", 0 when there is none


BOM = b"\xef\xbb\xbf"


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) text; raises UnicodeDecodeError or ValueError on binary."""
    text = data.removeprefix(BOM).decode("utf-8")  # as "utf-8-sig" decodes, without loading that codec
    if "\x00" in text:
        raise ValueError("NUL")
    return text


_OTHER_BREAK = compile_pattern("[" + OTHER_BREAKS + "]")
_LINE_END = compile_pattern(r"\r\n|\r|\n")


def lines(text: str) -> list[str]:
    """The lines of `text` as LSP and editors count them: only "\n", "\r\n" and "\r" end a line.

    Like str.splitlines, a break at the very end starts no new line ("a\n" is one line, "" none).
    Every position perfrules reports (and every position a client sends) is counted in these lines.
    """
    global _last
    last = _last  # read once: the language server's two threads both split texts
    if last[0] is text:  # its pipeline and parser split the same text one after the other
        return list(last[1])
    if not any(char in text for char in OTHER_BREAKS):
        out = text.splitlines()  # the same lines, and faster
    else:
        out = _LINE_END.split(text)
        if out[-1] == "":
            out.pop()
    _last = (text, out)
    return list(out)


_last: tuple[str | None, list[str]] = (None, [])  # the last text split and its lines (never handed out itself)


def split_lines(text: str) -> list[Line]:
    return [Line(number, raw, code, raw[at:] if at >= 0 else "", at + 1) for number, raw, code, at in code_lines(text)]


def code_lines(text: str) -> Iterator[tuple[int, str, str, int]]:
    """Each line as (number, text, code, index of its comment or -1): `split_lines` without building Lines."""
    special = _SPECIAL.search
    for number, raw in enumerate(lines(text), start=1):
        if special(raw) is None:
            yield number, raw, raw, -1
        else:
            code, comment_at = code_and_comment(raw)
            yield number, raw, normalise(code), comment_at


def code_of(raw: str) -> tuple[str, int]:
    """One line's code (normalised, before its comment) and the index of its comment (-1: none), as `code_lines`
    gives them (the parser reads the lines its cache does not hold with it)."""
    if _SPECIAL.search(raw) is None:
        return raw, -1
    code, comment_at = code_and_comment(raw)
    return normalise(code), comment_at


def split_comment(raw: str) -> str:
    """The code of a line as written, before its comment (not normalised)."""
    return code_and_comment(raw)[0] if _SPECIAL.search(raw) else raw


def code_and_comment(raw: str) -> tuple[str, int]:
    """The code before the first `#` (or `＃`) outside quotes, and the index of that `#` (-1 when there is none)."""
    # A quote opens a text that runs to its closing quote (or to the end); a `#` outside one is the comment.
    for m in _COMMENT_OR_QUOTED.finditer(raw):
        if len(m[0]) == 1 and m[0] in "#＃":
            return raw[: m.start()], m.start()
    return raw, -1


def normalise(code: str) -> str:
    """Map full-width operators and digits to ASCII outside quotes, one char for one char."""
    if _TO_MAP.search(code) is None:
        return code
    if "（" in code or "）" in code:
        return _normalise_brackets(code)
    if '"' not in code and "“" not in code:
        return code.translate(_TABLE)
    out = []
    at = 0
    for m in QUOTED_TEXT.finditer(code):
        out.append(code[at : m.start()].translate(_TABLE))
        out.append(m[0])
        at = m.end()
    out.append(code[at:].translate(_TABLE))
    return "".join(out)


def _normalise_brackets(code: str) -> str:
    """`normalise` character by character, for a line with full-width brackets (see `_inside_name`)."""
    out = []
    closing = ""
    escaped = False
    for index, char in enumerate(code):
        if closing:
            if escaped:
                escaped = False
            elif char == "\\" and closing == '"':
                escaped = True
            elif char == closing:
                closing = ""
            out.append(char)
        elif char in QUOTES:
            closing = QUOTES[char]
            out.append(char)
        elif char in FULL_WIDTH:
            out.append(FULL_WIDTH[char])
        elif char in FULL_WIDTH_BRACKETS and not _inside_name(code, index):
            out.append(FULL_WIDTH_BRACKETS[char])
        else:
            out.append(char)
    return "".join(out)


def _inside_name(code: str, index: int) -> bool:
    """A full-width bracket directly after a letter (`资金到位率（%）`) is part of a name."""
    if code[index] == "（":
        return index > 0 and (code[index - 1].isalpha() or code[index - 1] == "）")
    opening = code.rfind("（", 0, index)
    return opening >= 0 and _inside_name(code, opening) and "(" not in code[opening:index]


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def caret_line(source_line: str, column: int, length: int = 1) -> str:
    """Spaces and carets that sit under `length` characters from 1-based `column`."""
    before = source_line[: column - 1].replace("\t", " ")
    marked = source_line[column - 1 : column - 1 + max(length, 1)] or " "
    return " " * display_width(before) + "^" * max(display_width(marked), 1)
