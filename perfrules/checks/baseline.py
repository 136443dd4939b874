"""A baseline of accepted findings, so CI fails only on new ones (`lint --baseline FILE`).

A finding is known by its fingerprint: its code, its file relative to the working folder, the
text of its line, what its message says (the values it found, e.g. a computed score) and the
`name = value` lines of the indicator or fact it names (its actual, its facts). It survives lines
moving up or down, but a change to any of these (a new actuals value, a new target) makes it new.
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
    text = lines[span.line - 1].strip() if 0 < span.line <= len(lines) else ""
    name = finding.arg("name")
    values = _value_lines(lines, str(name)) if isinstance(name, str) and name else []
    parts = [finding.code, relative(span.file, root), text, said, *values]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _value_lines(lines: list[str], name: str) -> list[str]:
    """The `name = value` lines (its actual, a fact, a formula) of the indicator or fact `name`, stripped."""
    cached = _INDEX.get(id(lines))
    if cached is None or cached[0] is not lines:
        index: dict[str, list[str]] = {}
        for line in lines:
            code = line.strip()
            match = _ASSIGNED.match(code)
            if match:
                index.setdefault(match["quoted"] or match["plain"], []).append(code)
        cached = _INDEX[id(lines)] = (lines, index)
        while len(_INDEX) > 64:
            del _INDEX[next(iter(_INDEX))]
    return cached[1].get(name, [])


_ASSIGNED = re.compile(r'(?:"(?P<quoted>[^"]+)"|(?P<plain>[^\s=＝"#]+))\s*[=＝](?![=＝])')
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
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != "perfrules-baseline/1":
        raise ValueError(f"{path}: not a perfrules baseline")
    return {entry["fingerprint"] for entry in data["findings"]}
