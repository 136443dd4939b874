"""A baseline of accepted findings, so CI fails only on new ones (`lint --baseline FILE`).

A finding is known by its fingerprint: its code, its file relative to the working folder, the
code of its line, what its message says (the values it found, e.g. a computed score) and the
`name = value` lines of the indicator or fact it names (its actual, its facts). It survives lines
moving up or down, but a change to any of these (a new actuals value, a new target) makes it new.

A line counts by its code only: without its comment, spaces and thousands separators, full-width
characters as ASCII, so what `perfrules fmt` changes (spacing, column alignment, full-width symbols,
`8,755` written `8755`) and comments leave every fingerprint as it was. The published `score`/`review` of a row counts only for the checks
that check them (`Check.reads_scores`, PR301 ...): a new score does not make PR202's missing reason new.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from perfrules.findings import Finding


def relative(file: str, root: Path) -> str:
    try:
        return Path(os.path.relpath(Path(file).resolve(), root.resolve())).as_posix()
    except ValueError:
        return Path(file).as_posix()


def fingerprint(finding: Finding, root: Path, sources: dict[str, list[str]]) -> str:
    span = finding.span
    said = "\0".join(f"{k}={v}" for k, v in finding.args if "line" not in k and "column" not in k)
    if span is None:
        return hashlib.sha256(f"{finding.code}\0-\0{said}".encode()).hexdigest()[:32]
    lines = sources.get(span.file) or []
    text = _code(lines[span.line - 1]) if 0 < span.line <= len(lines) else ""
    name = finding.arg("name")
    values = _value_lines(lines, str(name)) if isinstance(name, str) and name else []
    if not _reads_scores(finding.code):
        text, values = _unscored(text), [_unscored(v) for v in values]
    parts = [finding.code, relative(span.file, root), text, said, *values]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _code(line: str) -> str:
    """A line as the fingerprint reads it: its code before the comment, normalised, every space and thousands
    separator removed (fmt writes `8,755` as `8755`)."""
    from perfrules.syntax.source import code_of

    return _GROUPS.sub("", "".join(code_of(line)[0].split()))


_GROUPS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def _reads_scores(code: str) -> bool:
    from perfrules.checks import get_check

    check = get_check(code)
    return check is None or check.reads_scores  # a language code (PR021, PR024 ...): as written


def _unscored(code: str) -> str:
    """A line's code (spaces removed) without its published `score N` / `review N` clauses."""
    global _SCORES
    if _SCORES is None:
        from perfrules.vocabulary import spellings

        words = sorted({*spellings("SCORE"), *spellings("REVIEW")}, key=len, reverse=True)
        _SCORES = re.compile("(?:" + "|".join(map(re.escape, words)) + r")(?:[-+]?\d+(?:\.\d+)?%?|\?)")
    return _SCORES.sub("", code)


_SCORES: re.Pattern[str] | None = None


def _value_lines(lines: list[str], name: str) -> list[str]:
    """The `name = value` lines (its actual, a fact, a formula) of the indicator or fact `name`, as `_code` reads them."""
    cached = _INDEX.get(id(lines))
    if cached is None or cached[0] is not lines:
        index: dict[str, list[str]] = {}
        for line in lines:
            code = _code(line)
            match = _ASSIGNED.match(code)
            if match:
                index.setdefault(match["quoted"] or match["plain"], []).append(code)
        cached = _INDEX[id(lines)] = (lines, index)
        while len(_INDEX) > 64:
            del _INDEX[next(iter(_INDEX))]
    return cached[1].get(name, [])


_ASSIGNED = re.compile(r'(?:"(?P<quoted>[^"]+)"|(?P<plain>[^\s=＝"#<>!]+))\s*[=＝](?![=＝])')
_INDEX: dict[int, tuple[list[str], dict[str, list[str]]]] = {}


def write_baseline(path: Path, findings: list[Finding], root: Path, sources: dict[str, list[str]]) -> None:
    """The baseline file, written whole or not at all (raises OSError when it cannot be written)."""
    from perfrules.outputs import write_atomic

    entries = sorted({(f.code, relative(f.span.file, root) if f.span else "-", fingerprint(f, root, sources))
                      for f in findings})
    data = {"format": "perfrules-baseline/1",
            "findings": [{"code": c, "file": file, "fingerprint": p} for c, file, p in entries]}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def read_baseline(path: Path) -> set[str]:
    """The fingerprints of a baseline file; ValueError saying (Chinese first) why it cannot be used."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} 不是 UTF-8 文本 / {path} is not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} 不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列），请用 --write-baseline 重新生成"
                         f" / {path} is not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}") from error
    if not isinstance(data, dict) or data.get("format") != "perfrules-baseline/1":
        raise ValueError(f"{path} 不是 perfrules 基线文件（应由 lint --write-baseline 写出，format 为 perfrules-baseline/1）"
                         f" / {path} is not a perfrules baseline")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str)
                                                for e in entries):
        raise ValueError(f"{path} 的 findings 应为带 fingerprint 的条目列表，请用 --write-baseline 重新生成"
                         f" / {path}: findings must be a list of entries with a fingerprint")
    return {entry["fingerprint"] for entry in entries}
