"""The formatter: one canonical layout for rule files, every comment kept, meaning unchanged.

`format_text(text)` returns the formatted text, or None with the findings when the file does
not parse (a file that does not parse is never touched). The layout:

- two spaces of indentation per block; `}` at the depth of its header;
- one space between tokens, none inside a unit (`元/人/年`) or before `%`, `:` glued to what
  precedes it, two spaces between the items of a one-line `grades { … }` or `expect { … }`;
- consecutive indicator, fact and actual lines of a block aligned in columns (name, target,
  clauses), measured in display width so Chinese lines line up;
- comments kept where they are: a comment line re-indented to its block, a trailing comment two
  spaces after the code; at most one blank line in a row; one newline at the end.

The tokens are the parser's own, so the formatter reads a line exactly as the compiler does: a
line the parser's fast path read is split by `fastpath.line_tokens` (what the fast path matched is
a sentence whose tokens are lark's), the few lines lark read are replayed through lark's
interactive parser. After formatting, the compiled plan is compared with the original's and any
difference refuses the change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from perfrules.findings import Finding
from perfrules.syntax.fastpath import Token, line_tokens
from perfrules.syntax.parser import START, _guess_block, _parser
from perfrules.syntax.source import Line, display_width, split_lines

if TYPE_CHECKING:
    from perfrules.syntax.ast import Document

INDENT = "  "
CLAUSE_WORDS = {"WEIGHT", "CAP", "METHOD", "STEPS", "DEDUCT", "NA", "TIERS", "SIGNED"}
ACTUAL_WORDS = {"REASON", "SCORE"}
OPENING = {"RULESET": "ruleset", "GRADES": "grades", "FACTS": "facts", "ACTUALS": "actuals", "EXPECT": "expect",
           "POLICY": "policy", "DIMENSION": "dimension", "GROUP": "group", "HISTORY": "history"}


@dataclass
class _Row:
    """One output line before alignment: its depth, its columns (or plain text), its comment."""

    depth: int
    columns: list[str] = field(default_factory=list)  # [name, target, clauses] for aligned rows
    text: str = ""  # a line that is not aligned
    comment: str = ""
    align: str = ""  # the alignment group: "indicator", "fact", "actual"; "" for none
    blank: bool = False


def format_text(text: str, file: str = "<text>", verify: bool = True) -> tuple[str | None, list[Finding]]:
    """The formatted text (None and the findings when it does not parse), its BOM and line endings kept.

    A leading BOM stays; every line ends as the first line does ("\r\n", "\r" or "\n"). The text
    is parsed once and the collector is paused. With `verify` (the default) a changed text is
    compiled before and after and a difference in meaning refuses the change (PR004); `fmt --check`
    only asks whether the text would change and skips that comparison.
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
    from perfrules.syntax import parse

    lark_lines: set[int] = set()
    doc, findings = parse(text, file, lark_lines=lark_lines)
    if any(f.severity.value == "error" for f in findings):
        return None, findings
    formatted = _render(_rows([(line, line.number in lark_lines) for line in split_lines(text)]))
    if formatted == text.replace("\r\n", "\n").replace("\r", "\n") or not verify:
        return formatted, []
    if _meaning(doc) != plan_fingerprint(formatted, file):  # a formatter bug: refuse rather than change the meaning
        from perfrules.findings import Span

        return None, [Finding.make("PR004", Span.point(file, 1, 1))]
    return formatted, []


def _rows(lines: list[tuple[Line, bool]]) -> list[_Row]:
    """The rows of the lines, each with whether lark read it (the others the fast path read)."""
    stack: list[str] = ["top"]
    rows: list[_Row] = []
    for line, by_lark in lines:
        code = line.code.strip()
        comment = line.comment.rstrip()
        depth = len(stack) - 1
        if not code:
            rows.append(_Row(depth, comment=comment, blank=not comment))
            continue
        if code == "}":
            stack.pop()
            rows.append(_Row(len(stack) - 1, text="}", comment=comment))
            continue
        context = stack[-1]
        tokens = (None if by_lark else line_tokens(code, context)) or _tokens(code, START[context])
        row = _row(tokens, context, depth)
        row.comment = comment
        rows.append(row)
        if tokens[-1].type == "LBRACE":
            stack.append(OPENING.get(tokens[0].type) or _guess_block(code, context))
    return rows


def _tokens(code: str, start: str) -> list[Token]:
    """The tokens of a line as lark's interactive parser reads them."""
    from lark.exceptions import UnexpectedInput

    interactive = _parser().lark.parse_interactive(code, start=start)
    tokens: list[Token] = []
    try:
        for token in interactive.iter_parse():
            tokens.append(Token(token.type, token.value))
    except UnexpectedInput as error:  # the file parsed before; this cannot happen
        raise AssertionError(f"formatter could not re-read: {code}") from error
    return tokens


def _row(tokens: list[Token], context: str, depth: int) -> _Row:
    kinds = [t.type for t in tokens]
    if context in ("dimension", "group", "top") and kinds[0] in ("NAME", "STRING") and kinds[-1] != "LBRACE":
        clause_at = next((i for i, k in enumerate(kinds) if i > 0 and k in CLAUSE_WORDS), len(tokens))
        return _Row(depth, [_join(tokens[:1]), _join(tokens[1:clause_at], context), _join(tokens[clause_at:])],
                    align="indicator")
    if context in ("facts", "actuals") and kinds[0] in ("NAME", "STRING") and kinds[1:2] == ["EQ"]:
        extra_at = next((i for i, k in enumerate(kinds) if k in ACTUAL_WORDS), len(tokens))
        return _Row(depth, [_join(tokens[:1]), _join(tokens[1:extra_at]), _join(tokens[extra_at:])], align=context)
    if context == "actuals" and kinds[0] in ACTUAL_WORDS:  # a continuation line sits under its actual
        return _Row(depth + 1, text=_join(tokens))
    return _Row(depth, text=_join(tokens, context, one_line=kinds[0] in ("GRADES", "EXPECT")))


def _join(tokens: list[Token], context: str = "", one_line: bool = False) -> str:
    """Tokens with canonical spacing; a unit after a number is glued with `/` as the parser reads it."""
    out = ""
    in_unit = False
    items = context in ("grades", "expect") or one_line
    for index, token in enumerate(tokens):
        if index:
            out += _gap(tokens, index, in_unit, items)
        in_unit = _unit_continues(tokens, index, in_unit)
        out += "-" + token.value[1:].lstrip(" \t") if token.type == "NEGATIVE" else token.value  # `- 3.2` is `-3.2`
    return out


def _gap(tokens: list[Token], index: int, in_unit: bool, items: bool) -> str:
    """The space before tokens[index]: none inside a unit, a bracket, `95%` or `100%:5`; two between items."""
    kind, previous = tokens[index].type, tokens[index - 1].type
    glued = (
        (kind in ("PERCENT", "PERMILLE") and previous in ("NUMBER", "NEGATIVE"))
        or (in_unit and "SLASH" in (kind, previous))
        or kind in ("RPAR", "COLON")
        or previous == "LPAR"
        or (previous == "COLON" and _in_steps(tokens, index))
        or (previous == "MINUS" and _unary(tokens, index - 1))
    )
    if glued:
        return ""
    if items and _item_ends(tokens, index - 1) and kind != "RBRACE":
        return "  "
    return " "


def _unit_continues(tokens: list[Token], index: int, in_unit: bool) -> bool:
    """Whether a unit (NUMBER NAME ("/" NAME)*) or a `use` path (std/evaluation) goes on after tokens[index]."""
    kind = tokens[index].type
    if kind == "NAME":
        starts = tokens[index - 1].type in ("NUMBER", "NEGATIVE", "USE") if index > 0 else False
        return starts or (in_unit and tokens[index - 1].type == "SLASH")
    return kind == "SLASH" and in_unit


def _in_steps(tokens: list[Token], index: int) -> bool:
    return any(t.type == "STEPS" for t in tokens[:index])


def _unary(tokens: list[Token], index: int) -> bool:
    before = tokens[index - 1].type if index > 0 else ""
    return before in ("", "EQ", "GE", "LE", "GT", "LT", "LPAR", "PLUS", "MINUS", "STAR", "SLASH", "COLON")


def _item_ends(tokens: list[Token], index: int) -> bool:
    """The end of an item in a grades or expect line: `优 >= 90`, `差 otherwise`, `决策 20`, `grade 优`."""
    kind = tokens[index].type
    if kind in ("NUMBER", "OTHERWISE"):
        return index + 1 < len(tokens) and tokens[index + 1].type not in ("PERCENT", "PERMILLE")
    return kind == "NAME" and index > 0 and tokens[index - 1].type == "GRADE"


def _render(rows: list[_Row]) -> str:
    widths = _column_widths(rows)
    out: list[str] = []
    for index, row in enumerate(rows):
        if row.blank:
            if out and out[-1] != "" and not _next_closes(rows, index):
                out.append("")
            continue
        indent = INDENT * row.depth
        if row.columns:
            width = widths[index]
            name, target, rest = row.columns
            parts = [name + " " * (width[0] - display_width(name))]
            if target:
                parts.append(target + " " * (width[1] - display_width(target)) if rest else target)
            if rest:
                parts.append(rest)
            code = " ".join(parts).rstrip()
        else:
            code = row.text
        line = indent + code if code else indent + row.comment
        if code and row.comment:
            line += "  " + row.comment
        out.append(line.rstrip())
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def _next_closes(rows: list[_Row], index: int) -> bool:
    """A blank line right before a closing brace is dropped."""
    following = next((r for r in rows[index + 1:] if not r.blank), None)
    return following is not None and following.text == "}" and not following.comment


def _column_widths(rows: list[_Row]) -> dict[int, tuple[int, int]]:
    """Column widths for each run of consecutive rows of one alignment group at one depth."""
    widths: dict[int, tuple[int, int]] = {}
    run: list[int] = []

    def close() -> None:
        if run:
            name = max(display_width(rows[i].columns[0]) for i in run)
            target = max(display_width(rows[i].columns[1]) for i in run)
            for i in run:
                widths[i] = (name, target)
            run.clear()

    for index, row in enumerate(rows):
        if row.columns and run and (rows[run[0]].align, rows[run[0]].depth) == (row.align, row.depth):
            run.append(index)
        elif row.columns:
            close()
            run.append(index)
        elif row.depth > (rows[run[0]].depth if run else -1) and not row.blank and run:
            continue  # a continuation line (reason "...") does not break the run of its actuals
        else:
            close()
    close()
    return widths


def plan_fingerprint(text: str, file: str = "<text>") -> object:
    """What a text means: its compiled plan as JSON without source positions."""
    from perfrules.syntax import parse

    return _meaning(parse(text, file)[0])


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
