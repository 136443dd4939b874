"""Texts and positions as an LSP client counts them: a didChange applied to a text, and (line, character) in the
encoding the client and server agreed on (utf-8 bytes, utf-16 code units or utf-32 code points) to perfrules'
1-based line and column in characters and back.

perfrules counts lines as perfrules.syntax.source.lines does (only "\n", "\r\n" and "\r" end one) and columns in
characters; a lone surrogate a client sends (JSON allows "\ud800") becomes U+FFFD, one unit for one.
"""

from __future__ import annotations

import re
from typing import Any

from perfrules.findings import Span
from perfrules.lsp.protocol import INVALID_PARAMS, Json, RequestError
from perfrules.syntax.source import lines as split_lines

Position = Any  # {"line": int, "character": int}, or an object with those attributes


_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_END = re.compile(r"\r\n|\r|\n")


def clean(text: str) -> str:
    """A lone surrogate (JSON allows `"\\ud800"`) becomes U+FFFD: one UTF-16 unit for one, so positions hold."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _field(value: Any, name: str) -> Any:
    return value[name] if isinstance(value, dict) else getattr(value, name)


def apply_change(text: str, change: Any, encoding: str) -> str:
    """`text` after one didChange event; a range past the end of the document reaches to its end."""
    new_text = str(_field(change, "text"))
    change_range = change.get("range") if isinstance(change, dict) else getattr(change, "range", None)
    if change_range is None:
        return clean(new_text)
    start = offset(text, _field(change_range, "start"), encoding)
    end = offset(text, _field(change_range, "end"), encoding)
    if end < start:
        start, end = end, start
    return text[:start] + clean(new_text) + text[end:]


def line_and_character(position: Position) -> tuple[int, int]:
    line, character = _field(position, "line"), _field(position, "character")
    if not isinstance(line, int) or not isinstance(character, int) or isinstance(line, bool):
        raise RequestError(INVALID_PARAMS, f"位置须是整数行列 / a position needs integer line and character: {position!r}")
    return max(line, 0), max(character, 0)


def offset(text: str, position: Position, encoding: str) -> int:
    """The index in `text` of a client position; past the end of its line is the end of the line,
    past the last line the end of the text."""
    line_number, character = line_and_character(position)
    start = 0
    if line_number > 0:
        for number, match in enumerate(_LINE_END.finditer(text), start=1):
            if number == line_number:
                start = match.end()
                break
        else:
            return len(text)
    end = _LINE_END.search(text, start)
    line = text[start : end.start() if end else len(text)]
    return start + _index(line, character, encoding)


def _index(line: str, units: int, encoding: str) -> int:
    """The code-point index in `line` of a column counted in the client's units (clamped to the line)."""
    if encoding == "utf-32" or line.isascii() or (encoding == "utf-16" and _units(line, encoding) == len(line)):
        return min(units, len(line))
    count = 0
    for index, char in enumerate(line):
        if count >= units:
            return index
        count += _units(char, encoding)
    return len(line)


def _units(text: str, encoding: str) -> int:
    """The length of `text` in the client's units."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_position(line: int, column: int, lines: list[str], encoding: str = "utf-16") -> Json:
    """A 1-based line and code-point column as a client position."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return {"line": max(line - 1, 0), "character": _units(text[: max(column - 1, 0)], encoding)}


def to_range(span: Span, lines: list[str], encoding: str = "utf-16") -> Json:
    """The one conversion of a perfrules span to a client range (diagnostics, locations, edits, symbols)."""
    return {"start": to_position(span.line, span.column, lines, encoding),
            "end": to_position(span.end_line, span.end_column, lines, encoding)}


def from_position(position: Position | tuple[int, int], lines: list[str], encoding: str = "utf-16") -> tuple[int, int]:
    """A client position as a 1-based line and 1-based code-point column (past the end: the end)."""
    line, character = position if isinstance(position, tuple) else line_and_character(position)
    text = lines[line] if line < len(lines) else ""
    return line + 1, _index(text, character, encoding) + 1


def end_of(text: str, encoding: str) -> Json:
    """The position just after the last character of `text`."""
    lines = split_lines(text)
    if not lines or _LINE_END.match(text[-1]):
        return {"line": len(lines), "character": 0}
    return {"line": len(lines) - 1, "character": _units(lines[-1], encoding)}
