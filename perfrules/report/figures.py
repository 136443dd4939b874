"""Words and numbering as the report writes them (两, 十二, ①, （一）) and targets in its style (`≥4场`); the numbers
themselves (16.1分, 80.5%, 100%) are written by perfrules.display."""

from __future__ import annotations

from perfrules.display import compact

CHINESE_DIGITS = "零一二三四五六七八九十"


def count_word(n: int) -> str:
    """A small count in Chinese as a report says it before 方面: 两, 三, 十二; larger ones in digits."""
    if n == 2:
        return "两"
    if 0 <= n <= 10:
        return CHINESE_DIGITS[n]
    if n < 20:
        return "十" + CHINESE_DIGITS[n - 10]
    return str(n)


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def circled(n: int) -> str:
    return CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else f"({n})"


def ordinal(n: int) -> str:
    """一, 二, …, 十一: the numbering of （一） headings."""
    return count_word(n) if n != 2 else "二"


def target_text(text: str, unit: str) -> str:
    """The 指标值 of an indicator: `>= 100%` of a rate reads `100%` (a rate cannot exceed it), else compact."""
    out = compact(text)
    if unit == "%" and out == "≥100%":
        return "100%"
    return out
