"""The canonical layout of a rule file: indentation, column alignment and the shape of each line.

`lay_out(text, file)` reads the text once, through the parser (`parse(lines=...)` gives each line's
tokens, block and depth), and returns the laid-out text with the Document it parsed to, or None and
the findings when it does not parse (a text that does not parse is never laid out). The rules:

- two spaces of indentation per block; `}` at the depth of its header;
- one space between tokens, none inside a unit (`元/人/年`) or before `%`, `:` glued to what
  precedes it, two spaces between the items of a one-line `grades { … }` or `expect { … }`;
- consecutive indicator, fact and actual lines of a block aligned in columns (name, target,
  clauses), measured in display width so Chinese lines line up;
- comments kept where they are: a comment line re-indented to its block, a trailing comment two
  spaces after the code; at most one blank line in a row; one newline at the end.

This is the core both faces of the layout use: `perfrules fmt` (which keeps a BOM and the line
endings, and refuses a change of meaning by comparing compiled plans) and the 自评表 importer (which
writes its rule file in this layout). It reads only the syntax stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from perfrules.syntax.fastpath import Token
from perfrules.syntax.source import display_width

if TYPE_CHECKING:
    from perfrules.findings import Finding
    from perfrules.syntax.ast import Document
    from perfrules.syntax.parser import LineCache, LineRead

INDENT = "  "
CLAUSE_WORDS = frozenset({"WEIGHT", "CAP", "METHOD", "STEPS", "DEDUCT", "PER", "NA", "TIERS", "SIGNED", "ELEMENTS", "LEVELS",
                          "ROUNDING"})
ACTUAL_WORDS = frozenset({"REASON", "SCORE", "REVIEW", "RATE"})
SECTION_BLOCKS = frozenset({"dimension", "group", "top"})  # where an indicator line stands
ITEM_BLOCKS = frozenset({"grades", "expect"})  # whose items are two spaces apart
ONE_LINE_ITEMS = frozenset({"GRADES", "EXPECT"})  # `grades { … }` on one line
NAMES = frozenset({"NAME", "STRING"})


@dataclass
class Row:
    """One output line before alignment: its depth, its columns (or plain text), its comment."""

    depth: int
    columns: list[str] = field(default_factory=list)  # [name, target, clauses] for aligned rows
    text: str = ""  # a line that is not aligned
    comment: str = ""
    align: str = ""  # the alignment group: "indicator", "facts", "actuals"; "" for none
    blank: bool = False


def lay_out(text: str, file: str = "<text>",
            cache: LineCache | None = None) -> tuple[str | None, Document, list[Finding]]:
    """The text in the canonical layout ("\\n" line endings, no BOM), the Document it parsed to, and the
    findings; None for the text when any finding is an error. The text is parsed once; a `cache` is left
    holding its lines (a parse of the laid-out text with it reads again only the lines that changed)."""
    from perfrules.syntax import parse

    reads: list[LineRead] = []
    doc, findings = parse(text, file, cache=cache, lines=reads)
    if any(f.severity.value == "error" for f in findings):
        return None, doc, findings
    return render(rows(reads)), doc, findings


def layout_text(text: str, file: str = "<text>") -> tuple[str | None, list[Finding]]:
    """The text in the canonical layout, or None and the findings when it does not parse."""
    laid, _doc, findings = lay_out(text, file)
    return (laid, []) if laid is not None else (None, findings)


def rows(reads: list[LineRead]) -> list[Row]:
    """The rows of the lines the parser read (a text without errors: every statement has its tokens)."""
    out: list[Row] = []
    for read in reads:
        comment = read.comment.rstrip()
        tokens = read.tokens
        if not tokens:
            out.append(Row(read.depth, comment=comment, blank=not comment))
        elif tokens[0].type == "RBRACE" and len(tokens) == 1:
            out.append(Row(read.depth, text="}", comment=comment))
        else:
            row = line_row(tokens, read.block, read.depth)
            row.comment = comment
            out.append(row)
    return out


def line_row(tokens: tuple[Token, ...] | list[Token], block: str, depth: int) -> Row:
    """The canonical shape of one statement line in a block of kind `block`."""
    kinds = [t.type for t in tokens]
    if block == "actuals" and kinds[0] == "RATE" and len(kinds) > 1 and (kinds[1] == "EQ" or kinds[1] in ACTUAL_WORDS):
        kinds[0] = "NAME"  # `执行率 = 95%`: an indicator named 执行率, not a printed rate
    if block in SECTION_BLOCKS and kinds[0] in NAMES and kinds[-1] != "LBRACE":
        clause_at = next((i for i, k in enumerate(kinds) if i > 0 and k in CLAUSE_WORDS), len(tokens))
        return Row(depth, [join(tokens[:1]), join(tokens[1:clause_at], block), join(tokens[clause_at:])],
                   align="indicator")
    if block in ("facts", "actuals") and kinds[0] in NAMES and kinds[1:2] == ["EQ"]:
        # the value, then its evidence text (a STRING after the value) and reason/score/review/rate
        extra_at = next((i for i, k in enumerate(kinds) if k in ACTUAL_WORDS or (k == "STRING" and i > 2)),
                        len(tokens))
        return Row(depth, [join(tokens[:1]), join(tokens[1:extra_at]), join(tokens[extra_at:])], align=block)
    if block == "actuals" and kinds[0] in ACTUAL_WORDS:  # a continuation line sits under its actual
        return Row(depth + 1, text=join(tokens))
    return Row(depth, text=join(tokens, block, one_line=kinds[0] in ONE_LINE_ITEMS))


def join(tokens: tuple[Token, ...] | list[Token], block: str = "", one_line: bool = False) -> str:
    """Tokens with canonical spacing; a unit after a number is glued with `/` as the parser reads it."""
    out = ""
    in_unit = False
    items = block in ITEM_BLOCKS or one_line
    for index, token in enumerate(tokens):
        if index:
            out += _gap(tokens, index, in_unit, items)
        in_unit = _unit_continues(tokens, index, in_unit)
        out += "-" + token.value[1:].lstrip(" \t") if token.type == "NEGATIVE" else token.value  # `- 3.2` is `-3.2`
    return out


def _gap(tokens: tuple[Token, ...] | list[Token], index: int, in_unit: bool, items: bool) -> str:
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


def _unit_continues(tokens: tuple[Token, ...] | list[Token], index: int, in_unit: bool) -> bool:
    """Whether a unit (NUMBER NAME ("/" NAME)*) or a `use` path (std/evaluation) goes on after tokens[index]."""
    kind = tokens[index].type
    if kind == "NAME":
        starts = tokens[index - 1].type in ("NUMBER", "NEGATIVE", "USE") if index > 0 else False
        return starts or (in_unit and tokens[index - 1].type == "SLASH")
    return kind == "SLASH" and in_unit


def _in_steps(tokens: tuple[Token, ...] | list[Token], index: int) -> bool:
    """Inside `steps 100%:10 …`, `elements ①:40% …` or `levels 优:100% …`, where `:` joins its two sides."""
    return any(t.type in ("STEPS", "ELEMENTS", "LEVELS") for t in tokens[:index])


def _unary(tokens: tuple[Token, ...] | list[Token], index: int) -> bool:
    before = tokens[index - 1].type if index > 0 else ""
    return before in ("", "EQ", "GE", "LE", "GT", "LT", "LPAR", "PLUS", "MINUS", "STAR", "SLASH", "COLON")


def _item_ends(tokens: tuple[Token, ...] | list[Token], index: int) -> bool:
    """The end of an item in a grades or expect line: `优 >= 90`, `差 otherwise`, `决策 20`, `grade 优`."""
    kind = tokens[index].type
    if kind in ("NUMBER", "OTHERWISE"):
        return index + 1 < len(tokens) and tokens[index + 1].type not in ("PERCENT", "PERMILLE")
    return kind == "NAME" and index > 0 and tokens[index - 1].type == "GRADE"


def render(rows: list[Row]) -> str:
    """The rows as text: indented, each run of aligned rows in columns, blank lines collapsed."""
    widths = column_widths(rows)
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
            parts = [name + " " * (width[0] - width_of(name))]
            if target:
                parts.append(target + " " * (width[1] - width_of(target)) if rest else target)
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


def _next_closes(rows: list[Row], index: int) -> bool:
    """A blank line right before a closing brace is dropped."""
    following = next((r for r in rows[index + 1:] if not r.blank), None)
    return following is not None and following.text == "}" and not following.comment


def column_widths(rows: list[Row]) -> dict[int, tuple[int, int]]:
    """Column widths for each run of consecutive rows of one alignment group at one depth."""
    widths: dict[int, tuple[int, int]] = {}
    run: list[int] = []

    def close() -> None:
        if run:
            name = max(width_of(rows[i].columns[0]) for i in run)
            target = max(width_of(rows[i].columns[1]) for i in run)
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


class _CharWidths(dict[str, int]):
    """Each character's display width (source.display_width), measured once per character."""

    def __missing__(self, char: str) -> int:
        width = self[char] = display_width(char)
        return width


_WIDTHS = _CharWidths()


def width_of(text: str) -> int:
    """`source.display_width(text)`, with each character's width looked up once (aligning measures every cell)."""
    return len(text) if text.isascii() else sum(map(_WIDTHS.__getitem__, text))
