"""Plain-text output for a terminal: aligned CJK columns, located findings with a caret."""

from __future__ import annotations

from perfrules.findings import Finding, Severity
from perfrules.messages import hint_label
from perfrules.syntax.source import caret_line, display_width

HEADERS = {
    "zh": ("指标", "权重", "目标", "实际完成值", "完成率", "得分"),
    "en": ("indicator", "weight", "target", "actual", "completion", "score"),
}
SEVERITY_WORDS = {"zh": {"error": "错误", "warning": "警告", "info": "提示"},
                  "en": {"error": "error", "warning": "warning", "info": "info"}}
COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def table(rows: list[tuple[str, ...]], right: set[int]) -> list[str]:
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(pad(cell, widths[i], i in right) for i, cell in enumerate(row)).rstrip() for row in rows]


def finding_lines(finding: Finding, lang: str = "zh", colour: bool = False, source: dict[str, list[str]] | None = None) -> list[str]:
    """`file:line:col: CODE 级别 message`, then the line with a caret and the hint, as a compiler would."""
    import click

    span = finding.span
    where = f"{span.file}:{span.line}:{span.column}: " if span else ""
    severity = SEVERITY_WORDS["en" if lang == "en" else "zh"][finding.severity.value]
    label = f"{finding.code} {severity}"
    if colour:
        label = click.style(label, fg=COLOURS[finding.severity.value], bold=finding.severity is Severity.ERROR)
    lines = [f"{where}{label} {finding.message(lang)}{finding.through(lang)}"]
    line_text = finding.source_line
    if not line_text and span and source is not None and span.file in source:
        file_lines = source[span.file]
        line_text = file_lines[span.line - 1] if 0 < span.line <= len(file_lines) else ""
    if span and line_text:
        length = span.end_column - span.column if span.end_line == span.line else len(line_text) - span.column + 1
        lines.append(f"    {line_text.rstrip().replace(chr(9), ' ')}")  # a tab counts one column, as the caret does
        lines.append(f"    {caret_line(line_text, span.column, max(length, 1))}")
    hint = finding.hint(lang)
    if hint:
        lines.append(f"    {hint_label(lang)}{hint}")
    return lines
