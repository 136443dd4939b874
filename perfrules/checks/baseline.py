"""A baseline of accepted findings, so CI fails only on new ones (`lint --baseline FILE`).

A finding is known by its fingerprint: its code, its file relative to the working folder and
the text of its line, so it survives lines moving up or down but not a change to the line.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from perfrules.findings import Finding


def relative(file: str, root: Path) -> str:
    try:
        return Path(os.path.relpath(Path(file).resolve(), root.resolve())).as_posix()
    except ValueError:
        return Path(file).as_posix()


def fingerprint(finding: Finding, root: Path, sources: dict[str, list[str]]) -> str:
    span = finding.span
    if span is None:
        return hashlib.sha256(f"{finding.code}\0-\0{finding.message()}".encode()).hexdigest()[:32]
    lines = sources.get(span.file) or []
    text = lines[span.line - 1].strip() if 0 < span.line <= len(lines) else ""
    return hashlib.sha256(f"{finding.code}\0{relative(span.file, root)}\0{text}".encode()).hexdigest()[:32]


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
