"""The report as Markdown: headings by level, the annex as a pipe table, gaps quoted so they stand out."""

from __future__ import annotations

from perfrules.render.markdown import escape
from perfrules.report.outline import Annex, Heading, Para, Report, Table


def render(report: Report) -> str:
    lines = [f"# {report.title}", ""]
    lines += [f"- {key}：{value}" for key, value in report.meta]
    lines.append("")
    for block in report.blocks:
        if isinstance(block, Heading):
            lines += [f"{'#' * (block.level + 1)} {block.text}", ""]
        elif isinstance(block, Para):
            text = block.text
            lines += [f"> {text}" if block.kind == "gap" else f"**{text}**" if block.kind == "label" else text, ""]
        elif isinstance(block, Annex):
            lines += [f"## {block.title} {block.caption}", ""]
            lines += table(block.table)
            lines.append("")
            for i, note in enumerate(block.notes):
                lines += [f"注：{note}" if i == 0 else note, ""]
        else:
            lines += table(block)
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def table(t: Table) -> list[str]:
    right = {3, 6, 7}
    out = ["| " + " | ".join(t.header) + " |",
           "|" + "|".join("--:" if i in right else "---" for i in range(len(t.header))) + "|"]
    for row, kind in zip(t.rows, t.kinds, strict=True):
        cells = [escape(c) for c in row]
        if kind != "indicator":
            cells = [f"**{c}**" if c else "" for c in cells]
        out.append("| " + " | ".join(cells) + " |")
    return out
