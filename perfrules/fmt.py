"""The formatter face: `perfrules fmt` and the language server's formatting, meaning unchanged.

`format_text(text)` returns the text in the canonical layout (perfrules.syntax.layout: indentation,
columns, canonical line shapes, every comment kept), its BOM and line endings kept, or None with the
findings when the file does not parse (a file that does not parse is never touched).

The text is read once, through the parser (`parse(lines=...)` gives each line's tokens). After
laying it out, the compiled plan of the result is compared with the original's and any difference
refuses the change (PR004): a formatter bug never changes what a file means. An unchanged text needs
no comparison, and `fmt --check` (which writes nothing) only asks whether the layout differs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from perfrules.findings import Finding

if TYPE_CHECKING:
    from perfrules.syntax.ast import Document
    from perfrules.syntax.parser import LineCache


def format_text(text: str, file: str = "<text>", verify: bool = True) -> tuple[str | None, list[Finding]]:
    """The formatted text (None and the findings when it does not parse), its BOM and line endings kept.

    A leading BOM stays; every line ends as the first line does ("\r\n", "\r" or "\n"). The text
    is parsed once and the collector is paused. With `verify` (the default: `fmt` writing a file, `fmt
    --diff`, the language server) a changed text is parsed again and both are compiled, and a plan that
    differs from the original's refuses the change (PR004); `verify=False` only lays out (`fmt --check`,
    which writes and shows nothing: one parse, no compile).
    """
    from perfrules.gcpause import paused

    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    with paused():
        formatted, findings = _format(body, file, verify)
    if formatted is None:
        return None, findings
    newline = line_ending(body)
    return bom + (formatted.replace("\n", newline) if newline != "\n" else formatted), []


def line_ending(text: str) -> str:
    """How the first line of `text` ends: "\r\n", "\r" or "\n" (also for a text with no line break)."""
    match = _FIRST_BREAK.search(text)
    return match[0] if match else "\n"


_FIRST_BREAK = re.compile(r"\r\n|\r|\n")


def _format(text: str, file: str, verify: bool) -> tuple[str | None, list[Finding]]:
    from perfrules.syntax.layout import lay_out
    from perfrules.syntax.parser import LineCache

    cache = LineCache() if verify else None  # the original's lines, for the parse of the result
    formatted, doc, findings = lay_out(text, file, cache)
    if formatted is None:
        return None, findings
    if not verify or formatted == text.replace("\r\n", "\n").replace("\r", "\n"):
        return formatted, []
    if not same_meaning(doc, formatted, file, cache):  # a formatter bug: refuse rather than change the meaning
        from perfrules.findings import Span

        return None, [Finding.make("PR004", Span.point(file, 1, 1))]
    return formatted, []


def same_meaning(original: Document, formatted: str, file: str = "<text>", cache: LineCache | None = None) -> bool:
    """Whether `formatted` compiles to the plan `original` compiled to (source positions aside). With the
    `cache` of the original's parse, the lines the layout left as they were (same text, same number)
    are not parsed again."""
    return _meaning(original) == plan_fingerprint(formatted, file, cache)


def plan_fingerprint(text: str, file: str = "<text>", cache: LineCache | None = None) -> object:
    """What a text means: its compiled plan as JSON without source positions."""
    from perfrules.syntax import parse

    return _meaning(parse(text, file, cache=cache)[0])


def _meaning(doc: Document) -> object:
    from perfrules.plan.compile import compile_document
    from perfrules.plan.serialize import dump_plan

    plan, _problems = compile_document(doc)
    history = [(h.year, h.ref, h.comparator, str(h.target), str(h.actual)) for h in doc.history]
    return _strip_spans(dump_plan(plan)), history


def _strip_spans(value: object) -> object:
    if isinstance(value, dict):
        return {k: _strip_spans(v) for k, v in value.items() if k != "span"}
    if isinstance(value, list):
        return [_strip_spans(v) for v in value]
    return value
