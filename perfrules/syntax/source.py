"""Source text: reading files, splitting lines and comments, input-method characters, widths."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# What Chinese input methods type, mapped one character to one character so that columns
# stay where the author sees them. Quoted text is never touched.
FULL_WIDTH = {
    "％": "%", "＞": ">", "＜": "<", "＝": "=", "：": ":", "～": "~", "〜": "~",
    "＋": "+", "－": "-", "＊": "*", "／": "/", "｛": "{", "｝": "}", "＃": "#",
    "．": ".", "，": ",", "；": ";", "\u3000": " ", "\u00a0": " ", "\t": " ",
    **{chr(0xFF10 + i): str(i) for i in range(10)},
}
# Brackets are mapped only where they cannot belong to a name (see `normalise`).
FULL_WIDTH_BRACKETS = {"（": "(", "）": ")"}
QUOTES = {'"': '"', "“": "”"}


@dataclass(frozen=True)
class Line:
    """One physical line: its code (normalised, comment removed) and its comment."""

    number: int
    text: str  # the line as written
    code: str  # normalised code, same length as text[: len(code)]
    comment: str  # "# ..." or ""
    comment_column: int  # 1-based column of "#", 0 when there is none


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) text; raises UnicodeDecodeError or ValueError on binary."""
    text = data.decode("utf-8-sig")
    if "\x00" in text:
        raise ValueError("NUL")
    return text


def split_lines(text: str) -> list[Line]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        code, comment_at = _split_comment(raw)
        comment = raw[comment_at:] if comment_at >= 0 else ""
        lines.append(Line(number, raw, normalise(code), comment, comment_at + 1 if comment_at >= 0 else 0))
    return lines


def _split_comment(raw: str) -> tuple[str, int]:
    """The code before the first `#` (or `＃`) outside quotes, and the index of that `#`."""
    closing = ""
    for index, char in enumerate(raw):
        if closing:
            if char == closing:
                closing = ""
        elif char in QUOTES:
            closing = QUOTES[char]
        elif char in "#＃":
            return raw[:index], index
    return raw, -1


def normalise(code: str) -> str:
    """Map full-width operators and digits to ASCII outside quotes, one char for one char."""
    out = []
    closing = ""
    for index, char in enumerate(code):
        if closing:
            if char == closing:
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
