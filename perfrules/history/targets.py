"""`perfrules targets`: per quantitative indicator the current target, its history and a suggested target,
and the rule file with the suggested targets written in (only the number on the target's line changes)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from perfrules.history.model import History, Series, show
from perfrules.history.suggest import suggested
from perfrules.syntax import ast


@dataclass(frozen=True)
class Row:
    series: Series
    suggestion: Decimal | None

    @property
    def raised(self) -> bool:
        """The suggestion asks more than the current target (a stricter target)."""
        s, t = self.suggestion, self.series.target
        if s is None or t is None or s == t:
            return False
        return s > t if self.series.positive else s < t

    def cells(self) -> tuple[str, str, str, str, str]:
        s = self.series
        past = "；".join(f"{p.year}: {show(p.target, s.unit) if p.target is not None else '—'} / "
                        f"{show(p.actual, s.unit) if p.actual is not None else '—'}"
                        if p.convertible else f"{p.year}: 单位 {p.point.unit.text} 不可换算" for p in s.past)
        return (s.name, f"{s.comparator} {show(s.target, s.unit)}", show(s.actual, s.unit) if s.actual is not None
                else "", past or "—", show(self.suggestion, s.unit) if self.raised else "")


def rows(history: History, years: int, margin: Decimal) -> list[Row]:
    return [Row(s, suggested(s, years, margin) if s.comparator != "=" else s.target) for s in history.series]


def patched(text: str, document: ast.Document, file: str, table: list[Row]) -> tuple[str, list[str]]:
    """`text` with each raised target's number replaced on its own line; the names of rows left as they were."""
    targets = {node.span.line: node.target for node in _indicators(document.body) if node.target is not None}
    lines = text.splitlines(keepends=True)
    skipped: list[str] = []
    for row in table:
        span = row.series.span
        if not row.raised or span is None or span.file != file:
            continue
        target = targets.get(span.line)
        unit = row.series.unit.text
        if target is None or (target.unit or "") not in (unit, "") or target.span.line > len(lines):
            skipped.append(row.series.name)
            continue
        line = lines[target.span.line - 1]
        start = target.span.column - 1
        written = f"{target.value:f}"
        if line[start:start + len(written)] != written:
            skipped.append(row.series.name)
            continue
        assert row.suggestion is not None
        lines[target.span.line - 1] = line[:start] + f"{row.suggestion:f}" + line[start + len(written):]
    return "".join(lines), skipped


def _indicators(nodes: tuple[Any, ...]) -> list[ast.Indicator]:
    found: list[ast.Indicator] = []
    for node in nodes:
        if isinstance(node, ast.Section):
            found += _indicators(node.children)
        elif isinstance(node, ast.Indicator):
            found.append(node)
    return found
