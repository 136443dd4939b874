"""Match an earlier year's indicators to this year's: by path, then unique name, then normalised name.

Nothing is guessed: a name that two indicators share (after normalising) matches neither, and
whatever is left is reported as unmatched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# 「指标1：」「指标一:」「1.」「1、」「（1）」「(一)」 at the start of a name
_PREFIX = re.compile(r"^(?:(?:三级)?指标\s*[0-9一二三四五六七八九十]+\s*[:：.、]|[0-9]+\s*[.、:：]|[（(][0-9一二三四五六七八九十]+[)）])\s*")
_BRACKETED = re.compile(r"[（(【\[〔［][^（）()【】\[\]〔〕［］]*[)）】\]〕］]")
_DROP = re.compile(r"[\s\u3000「」『』“”\"'‘’《》·★☆]")


def normalise(name: str) -> str:
    """The name without spaces, quotes, bracketed parts and a leading 「指标1：」."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = _PREFIX.sub("", text)
    while True:
        shorter = _BRACKETED.sub("", text)
        if shorter == text:
            break
        text = shorter
    return _DROP.sub("", text).lower()


def match(current: Sequence[tuple[str, str]], past: Sequence[tuple[str, str]]) -> dict[int, tuple[str, str]]:
    """For each index of `past` (key, name) that matches one of `current` (key, name): (current key, how).

    Each current indicator is matched at most once.
    """
    found: dict[int, tuple[str, str]] = {}
    taken: set[str] = set()
    keys = {key for key, _name in current}
    for index, (key, _name) in enumerate(past):
        if key in keys and key not in taken:
            found[index] = (key, "path")
            taken.add(key)
    for how, norm in (("name", _same), ("normalised", normalise)):
        mine: dict[str, list[str]] = {}
        for key, name in current:
            if key not in taken:
                mine.setdefault(norm(name), []).append(key)
        theirs: dict[str, list[int]] = {}
        for index, (_key, name) in enumerate(past):
            if index not in found:
                theirs.setdefault(norm(name), []).append(index)
        for word, indexes in theirs.items():
            candidates = mine.get(word, [])
            if len(indexes) == 1 and len(candidates) == 1 and candidates[0] not in taken:
                found[indexes[0]] = (candidates[0], how)
                taken.add(candidates[0])
    return found


def _same(name: str) -> str:
    return name
