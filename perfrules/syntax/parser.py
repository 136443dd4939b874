"""Parse a rule file line by line into a Document.

Each logical line is one statement, parsed from a fresh LALR state with the start rule of the
block it stands in. A broken line becomes one located finding and never hides the rest of the
file; the block structure is rebuilt afterwards with a small stack.

The common statements are read by `fastpath` without lark; lark (imported only when first
needed) reads the rest and gives every syntax error its message.
"""

from __future__ import annotations

import operator
import os
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from perfrules import messages, resources, vocabulary
from perfrules.cache import compile_pattern
from perfrules.findings import Finding, Span
from perfrules.gcpause import paused
from perfrules.limits import MAX_NESTING, MAX_SYNTAX_ERRORS
from perfrules.records import record
from perfrules.syntax import ast, fastpath, tokens
from perfrules.syntax.fastpath import ActualMore, Open
from perfrules.syntax.source import Line, code_of, decode, split_lines
from perfrules.syntax.source import lines as text_lines

if TYPE_CHECKING:
    from lark import Lark

    from perfrules.syntax.builder import Builder

# The start rule for the lines inside each kind of block.
START = {
    "top": "top_line",
    "ruleset": "meta_line",
    "grades": "grades_line",
    "facts": "facts_line",
    "actuals": "actuals_line",
    "expect": "expect_line",
    "policy": "policy_line",
    "dimension": "section_line",
    "group": "section_line",
    "history": "history_line",
}


class _Parser:
    """lark's parser for the grammar, the Builder it calls back, and the spellings of every keyword."""

    def __init__(self, lark: Lark, builder: Builder, keywords: dict[str, list[str]]) -> None:
        self.lark, self.builder, self.keywords = lark, builder, keywords


@lru_cache(maxsize=1)
def _parser() -> _Parser:
    """Build the LALR parser once per process (cached on disk under the user's cache dir)."""
    from lark import Lark

    from perfrules.syntax.builder import Builder

    grammar = vocabulary.fill_grammar(resources.read_text(resources.grammar_path()))  # the words filled in
    builder = Builder()
    options: dict[str, Any] = {
        "parser": "lalr",
        "lexer": "contextual",
        "start": [*sorted(set(START.values())), "value_line"],
        "transformer": builder,
        "maybe_placeholders": False,
        "lexer_callbacks": {"NUMBER": _without_separators, "NEGATIVE": _without_separators},
    }
    cache = _cache_file(grammar)
    lark = Lark(grammar, cache=cache, **options) if cache else Lark(grammar, **options)
    keywords = {terminal: vocabulary.spellings(terminal) for terminal in vocabulary.KEYWORDS}
    return _Parser(lark, builder, keywords)


def _without_separators(token: Any) -> Any:
    """A NUMBER (or NEGATIVE) token as the number it is: `8,755` is `8755` (its column and span stay as written)."""
    if vocabulary.THOUSANDS_SEPARATOR in token:
        return token.update(value=token.replace(vocabulary.THOUSANDS_SEPARATOR, ""))
    return token


def lark_parser() -> Lark:
    """lark's LALR parser for the grammar, built once per process (loaded from the user's cache when there)."""
    return _parser().lark


def lark_read(code: str, start: str, file: str = "<text>", number: int = 1) -> tuple[Any, list[Finding]]:
    """What lark (and the Builder) make of one line of code under the start rule `start`, and its findings:
    the reference the fast path is held to."""
    findings: list[Finding] = []
    node = _parse_with_lark(_parser(), Line(number, code, code, "", 0), code, start, file, findings)
    return node, findings


def _spellings(pattern: str) -> list[str]:
    # A keyword is written `/(?:long|short)(?![^\W\d])/`: list the spellings, shortest first.
    pattern = pattern.removesuffix(r"(?![^\W\d])")
    if pattern.startswith("(?:") and pattern.endswith(")"):
        pattern = pattern[3:-1]
    return sorted((re.sub(r"\\(.)", r"\1", p) for p in pattern.split("|")), key=lambda w: (not w.isascii(), len(w)))


def _cache_file(grammar: str) -> str | None:
    """Where lark keeps the parser built for this grammar and lark version (perfrules.cache: the user's own)."""
    import hashlib

    import lark as lark_module

    from perfrules import cache

    digest = hashlib.sha256(f"{lark_module.__version__}\0{grammar}".encode()).hexdigest()[:20]
    return cache.lark_cache_file(digest)


# ---------------------------------------------------------------- reading


def read_source(path: str | os.PathLike[str]) -> tuple[str | None, list[Finding]]:
    """The text of a rule file, or a PR003 finding saying why it cannot be read."""
    from perfrules import limits

    file = str(path)
    try:
        data = limits.read_bytes(path)
    except OSError as error:
        reason = messages.os_reason(error)
        return None, [Finding.make("PR003", Span.point(file, 1, 1), reason=reason)]
    except limits.LimitError as error:
        return None, [Finding.make("PR003", Span.point(file, 1, 1), reason=messages.Said(str(error), error.en))]
    try:
        return decode(data), []
    except (UnicodeDecodeError, ValueError) as error:
        line, column = _offset_position(data, getattr(error, "start", data.find(b"\x00")))
        reason = _not_utf8(data)
        sheet = data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))  # a zip (xlsx) or an OLE file (xls)
        return None, [Finding.make("PR003", Span.point(file, line, column), reason=reason,
                                   hint="spreadsheet" if sheet else "binary")]


def _not_utf8(data: bytes) -> messages.Said:
    """Why bytes are not a rule file: text in another encoding, or not text at all (in both languages)."""
    return messages.Said(*messages.NOT_TEXT[_not_text_kind(data)])


def _not_text_kind(data: bytes) -> str:
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return "workbook"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    if b"\x00" not in data:
        try:
            data.decode("gb18030")
            return "gbk"
        except UnicodeDecodeError:
            pass
    return "binary"


def _offset_position(data: bytes, offset: int) -> tuple[int, int]:
    offset = max(offset, 0)
    before = data[:offset]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    return line, len(before[start:].decode("utf-8", "replace")) + 1


# ---------------------------------------------------------------- parsing


class _Frame:
    """A block being read: its kind, its header's statement and line, and what has been read inside it so far."""

    __slots__ = ("block", "broken", "children", "deep", "header", "kind", "line")

    def __init__(self, kind: str, header: Open | None, line: Line | None, broken: bool = False) -> None:
        self.kind, self.header, self.line = kind, header, line
        self.children: list[Any] = []
        self.broken = broken  # its header did not parse: keep reading inside, drop the result
        self.deep = False  # nested deeper than limits.MAX_NESTING: read for its braces only, never built
        self.block: _Block | None = None  # what it is being read as, to be taken again by the next parse (LineCache.blocks)


# What one statement line parsed to: its statement (None when it did not parse), the findings it gave,
# whether it opens a block whose header did not parse, its code (normalised, before the comment)
# and the index of its comment (-1: none), so that a cached line is never split again, and its cell
# (the spans it made, to be re-based when the line moves: see _rebase).
_Entry = tuple[Any, tuple[Finding, ...], bool, str, int, list[Any]]


class LineCache:
    """What each line of one document parsed to, kept from one parse of it to the next (the language
    server parses a document again on every edit: only the lines that changed are parsed again).

    A line is looked up by the kind of block it stands in, its text as written and its number (its
    statement's spans hold the number); the statements are immutable. Only the lines of the last
    parse are kept, so the cache never outgrows its document.

    Lines inserted or deleted (Enter, a line deleted, a block pasted) move every later line: the lines
    after the change that are the same as before are then taken again at their new numbers, their
    spans re-based in place (_rebase; `spans` holds each line's, so that every span a line made is
    moved once), and so are the blocks, sections and what the later stages made of them.
    """

    def __init__(self) -> None:
        self.file = ""
        self.entries: dict[tuple[str, str, int], _Entry] = {}
        # The sections the last parse built, by their header statement: a section whose header, span and
        # children are the very same objects again is handed back as it was, so that the later stages
        # (compile, evaluate) can take what they made of it last time without looking inside.
        self.sections: dict[int, tuple[Open, ast.Section]] = {}
        # What the later stages made of this document the last time (compile, evaluate: each its own entry),
        # to take again what did not change (perfrules.plan.compile._Made, perfrules.scoring.evaluate._last).
        self.later: dict[str, object] = {}
        self.blocks: dict[int, _Block] = {}  # the blocks of the last parse, by their first line
        # The lines of the last parse and, for each, its cell: the spans it made (a line's statement, its findings,
        # the span of the section a `}` closes), found when first needed (`prepare`). None: not kept (a parse for
        # the formatter), so no line is re-based. `loose`: the spans of sections left open at the end of the file.
        self.lines: list[str] | None = None
        self.spans: list[list[Any]] = []
        self.loose: list[Span] = []
        self.hits = 0
        self.misses = 0
        self.moved = 0  # lines the last parse took again at another number (re-based)

    def prepare(self) -> None:
        """Find the spans of every line parsed since the last call (what a re-base moves), so that the first edit that
        moves lines does not have to (the language server calls it after publishing an analysis's diagnostics)."""
        for cell in self.spans:
            if cell[0] is None:
                _collect(cell)

    def reset(self) -> None:
        """Forget everything (after a parse that did not finish: what it had re-based is not to be trusted)."""
        self.__init__()  # type: ignore[misc]


@record
class LineRead:
    """One physical line as the parser read it: what the formatter (perfrules.syntax.layout) lays out.

    `tokens` are the line's tokens as lark's lexer names and spells them, each at its column: () for a
    blank or comment-only line and for a line that did not parse, `RBRACE` alone for a closing brace.
    `block` is the kind of block the line stands in ("top", "group", "actuals", ...; for a `}` the
    block it closes), `depth` how many blocks are open around it (a `}` at the depth of its header).
    """

    number: int
    block: str
    depth: int
    tokens: tuple[fastpath.Token, ...]
    comment: str  # "# ..." as written, or ""
    by_lark: bool = False  # lark read it (the fast path did not take it)


def parse(text: str, file: str = "<text>", cache: LineCache | None = None,
          lines: list[LineRead] | None = None) -> tuple[ast.Document, list[Finding]]:
    """Parse a whole rule file; never raises on bad input. With a `cache`, lines parsed the last time it
    was given (same block, text and number) are not parsed again, and the cache is left holding this parse.

    With `lines`, a `LineRead` for each physical line is appended to it, in order: its tokens, block,
    depth and comment, so that the formatter reads the text once, through this parser. A line the fast
    path read is a sentence it certified, whose tokens `fastpath.line_tokens` reads as lark does; the
    tokens of a line lark read (or that line_tokens is unsure of) are lark's own. With `lines` the
    `cache` is not consulted (every line is read), only refilled."""
    # A large file makes hundreds of thousands of small objects and no garbage cycles: the
    # collector's passes over the growing tree would cost more than the parse itself.
    with paused():
        if cache is None:
            return _parse(text, file, cache, lines)
        try:
            return _parse(text, file, cache, lines)
        except BaseException:
            cache.reset()  # a parse that did not finish may have re-based spans its cache no longer describes
            raise


class _Capped(list[Finding]):
    """The findings of one parse, at most limits.MAX_SYNTAX_ERRORS of them; past that, only counted."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped = 0
        self.first_dropped: Span | None = None

    @property
    def full(self) -> bool:
        return len(self) >= MAX_SYNTAX_ERRORS

    def append(self, finding: Finding) -> None:
        if len(self) < MAX_SYNTAX_ERRORS:
            super().append(finding)
        else:
            self.drop(finding.span)

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.append(finding)

    def drop(self, span: Span | None) -> None:
        self.dropped += 1
        if self.first_dropped is None:
            self.first_dropped = span

    def listed(self) -> list[Finding]:
        """The findings kept, and one more saying how many were not listed."""
        out = list(self)
        if self.dropped:
            span = self.first_dropped or Span.point("<text>", 1, 1)
            out.append(Finding.make("PR001", span, key="PR001.more", count=self.dropped, limit=MAX_SYNTAX_ERRORS))
        return out


def _parse(text: str, file: str, cache: LineCache | None = None,
           reads: list[LineRead] | None = None) -> tuple[ast.Document, list[Finding]]:
    findings = _Capped()
    lost: list[ast.Lost] = []
    stack = [_Frame("top", None, None)]
    fast = {kind: fastpath.line_parser(start) for kind, start in START.items()}
    all_lines = text_lines(text)
    known = cache is not None and cache.lines is not None  # the last parse's cells are known
    if cache is not None and cache.file == file and reads is None and cache.lines is not None:
        _rebase(cache, all_lines)  # lines inserted or deleted: the later lines' entries, blocks and spans moved
    old = cache.entries if cache is not None and cache.file == file and reads is None else {}
    new: dict[tuple[str, str, int], _Entry] = {}
    hits = misses = 0
    sections = _Sections(cache.sections if old else {}) if cache is not None else None
    by_lark: set[int] | None = None if reads is None else set()  # the lines lark read, when their tokens are asked
    blocks_old = cache.blocks if cache is not None and old else {}
    blocks: dict[int, _Block] | None = {} if cache is not None and reads is None else None
    # each line's cell (see LineCache.spans), in order; None: not kept (the last parse's cells are not known)
    cells: list[list[Any]] | None = [] if blocks is not None and (not blocks_old or known) else None
    old_cells = cache.spans if cache is not None and old else []
    loose: list[Span] = []
    numbered = enumerate(all_lines, start=1)
    findings_at = items_at = 0
    for number, raw in numbered:
        if blocks is not None:
            frame = stack[-1]
            again = blocks_old.get(number)
            if again is not None and again.depth == len(stack) and again.parent == frame.kind \
                    and len(findings) + len(again.findings) < MAX_SYNTAX_ERRORS \
                    and all_lines[number - 1 : again.end] == again.lines:
                # a whole block whose lines are all the same as in the last parse, in the same place: what it gave
                frame.children.extend(again.items)
                findings.extend(again.findings)
                if frame.block is not None:  # (its entries stay with it: blocks[number] below carries them on)
                    frame.block.entries.update(_entries(again))
                    frame.block.sections.update(again.sections)
                hits += len(again.entries)
                if cells is not None:  # its lines' cells, where the last parse had them
                    at = (again.origin or number) - 1
                    taken = old_cells[at : at + again.end - number + 1]
                    if len(taken) == again.end - number + 1:
                        cells.extend(taken)
                    else:
                        cells = None
                again.origin = 0
                blocks[number] = again
                deque(islice(numbered, again.end - number), maxlen=0)  # its other lines: not read again
                continue
            findings_at, items_at = len(findings), len(frame.children)
            if again is not None:  # a block that changed: its lines, and sections, are looked up as they were
                old.update(_entries(again))
                if sections is not None:
                    sections.old.update(again.sections)
        frame = stack[-1]
        key = (frame.kind, raw, number)
        entry = old.get(key) if old else None
        if entry is not None:  # a statement line parsed the last time: only its block structure is walked
            hits += 1
            if entry[1]:
                findings.extend(entry[1])
            new[key] = entry
            if frame.block is not None:
                frame.block.entries[key] = entry
            full_code, comment_at = entry[3], entry[4]
        else:
            full_code, comment_at = code_of(raw)
            code = full_code.rstrip()
            if not code:
                if reads is not None:
                    reads.append(LineRead(number, frame.kind, len(stack) - 1, (), _comment(raw, comment_at)))
                if cells is not None:
                    cells.append(_NO_SPANS)
                continue
            if code[-1] == "}" and code.strip() == "}":
                closed = frame.kind
                if frame.broken and len(stack) > 1 and not (frame.deep and stack[-2].deep):
                    lost.append(_lost_block(frame, stack, number))  # a run of too deep blocks: once, the outermost
                depth = len(stack)
                _close(stack, _line(number, raw, full_code, comment_at), file, findings, sections)
                if cells is not None:  # the span of the section it closes (made here, or taken again)
                    closed_section = len(stack) < depth and not frame.broken and isinstance(stack[-1].children[-1],
                                                                                            ast.Section)
                    cells.append([(stack[-1].children[-1].span,)] if closed_section else _NO_SPANS)
                if blocks is not None and len(stack) < depth and frame.block is not None:
                    _end_block(frame.block, number, all_lines, stack[-1], findings, blocks)
                if reads is not None:
                    brace = fastpath.Token("RBRACE", "}", code.index("}") + 1)
                    reads.append(LineRead(number, closed, len(stack) - 1, (brace,), _comment(raw, comment_at)))
                continue
            said = _statement(fast[frame.kind], frame.kind, number, raw, code, full_code, comment_at, file, findings,
                              by_lark)
            entry = (*said, full_code, comment_at, [None, said[0], said[1]] if cells is not None else _UNKNOWN)
            misses += 1
            if cache is not None and not findings.full:  # past the cap a line's findings are only counted
                new[key] = entry
                if frame.block is not None:
                    frame.block.entries[key] = entry
            if reads is not None:
                assert by_lark is not None
                reads.append(_read(number, frame.kind, len(stack) - 1, code, _comment(raw, comment_at),
                                   entry[0] is not None, number in by_lark))
        statement, _said, broken_block = entry[0], entry[1], entry[2]
        if cells is not None:
            if entry[5] is _UNKNOWN:  # a line read by a parse that kept no cells: its spans are not known
                cells = None
            else:
                cells.append(entry[5])
        opened: _Frame | None = None
        if statement is None:
            if broken_block:
                line = _line(number, raw, full_code, comment_at)
                opened = _Frame(_guess_block(full_code.rstrip(), frame.kind), None, line, broken=True)
                _open(stack, opened, file, findings)
            else:
                names, wild = _lost_names(full_code)
                lost.append(ast.Lost(frame.kind, names, wild, (number, number), _sections(stack)))
        elif isinstance(statement, Open) and not statement.closed:
            opened = _Frame(statement.kind, statement, _line(number, raw, full_code, comment_at))
            _open(stack, opened, file, findings)
        elif isinstance(statement, ActualMore):
            _continue_actual(frame, statement, file, findings, raw)
        elif isinstance(statement, tuple):
            frame.children.extend(statement)
        else:
            frame.children.append(statement)
        if opened is not None and blocks is not None and not opened.deep:  # read as one block, to be taken again
            opened.block = _Block(number, len(stack) - 1, frame.kind, findings_at, items_at)
            if key in new:
                opened.block.entries[key] = new[key]
    last_line = 0
    while len(stack) > 1:
        frame = stack.pop()
        assert frame.line is not None
        if frame.broken and not (frame.deep and stack[-1].deep):
            last_line = last_line or len(text_lines(text))
            lost.append(_lost_block(frame, [*stack, frame], last_line))
        if frame.deep:  # already said at the line that opened the first block too deep
            continue
        span = Span(file, frame.line.number, 1, frame.line.number, len(frame.line.text) + 1)
        name = frame.header.name.text if frame.header and frame.header.name else frame.kind
        findings.append(Finding.make("PR002", span, key="PR002.unclosed", hint="close_block", block=name,
                                     source_line=frame.line.text))
        if not frame.broken:
            node = _node(frame, file, None, sections)
            stack[-1].children.append(node)
            if isinstance(node, ast.Section):
                loose.append(node.span)
    if cache is not None:
        cache.file, cache.entries = file, new
        cache.sections = sections.new if sections is not None else {}
        cache.blocks = blocks if blocks is not None else {}
        cache.hits, cache.misses = hits, misses
        cache.lines, cache.spans, cache.loose = (all_lines, cells, loose) if cells is not None else (None, [], [])
    return _document(stack[0].children, file, text, tuple(lost)), findings.listed()


def _sections(stack: list[_Frame]) -> tuple[str, ...]:
    """The names of the dimensions and groups open around a line, outermost first (a broken header's as guessed)."""
    out = []
    for frame in stack[1 : MAX_NESTING + 1]:  # past the limit nothing is built (and a stack may be 100,000 deep)
        if frame.kind not in ("dimension", "group"):
            continue
        if frame.header is not None and frame.header.name is not None:
            out.append(frame.header.name.text)
        elif frame.line is not None:
            out.extend(_lost_names(frame.line.code)[0][:1])
    return tuple(out)


def _lost_block(frame: _Frame, stack: list[_Frame], end: int) -> ast.Lost:
    """A block whose header did not parse (or nested too deep): every name it holds is lost with it."""
    assert frame.line is not None
    names, wild = _lost_names(frame.line.code)
    inner = _names_in(frame.children)
    wild = wild or frame.deep  # what a block too deep holds is never read
    return ast.Lost(stack[-2].kind if len(stack) > 1 else "top", (*names, *inner), wild,
                    (frame.line.number, end), _sections(stack[:-1]))


def _names_in(children: Iterable[Any]) -> tuple[str, ...]:
    """The names the statements of a dropped block define or give values to (an Open's items, a Section's children)."""
    out: list[str] = []
    for child in children:
        name = getattr(child, "name", None)
        if isinstance(name, ast.Name):
            out.append(name.text)
        if isinstance(child, ast.Section):
            out.extend(_names_in(child.children))
        elif isinstance(child, Open):
            out.extend(_names_in(child.items))
    return tuple(out)


@lru_cache(maxsize=1)
def _first_word() -> re.Pattern[str]:
    return compile_pattern(rf" *(?:(?P<q>{tokens.STRING})|(?P<n>{tokens.NAME}))")


def _lost_names(code: str) -> tuple[tuple[str, ...], bool]:
    """What a line that did not parse would have defined: the name it starts with (a section's after its
    keyword), or none for a line of another keyword (`check`, `grade`, `total` ...); `wild` when that cannot be
    told (it starts with neither a name nor a keyword, or is a `use`, which brings in any name)."""
    first = _first_word().match(code)
    if first is None:
        return (), True
    if first["q"] is not None:
        return (tokens.unquote(first["q"]),), False
    word = first["n"]
    keyword = tokens.keyword_at(word)  # a whole word (a digit may follow it: `权重5`)
    if keyword is None:
        return (word,), False
    terminal = vocabulary.KEYWORD_OF.get(keyword)
    if terminal in ("DIMENSION", "GROUP"):
        return _lost_names(code[first.end():]) if code[first.end():].strip() else ((), True)
    return (), terminal == "USE"


def _statement(fast: Any, kind: str, number: int, raw: str, code: str, full_code: str, comment_at: int, file: str,
               findings: _Capped, lark_lines: set[int] | None = None) -> tuple[Any, tuple[Finding, ...], bool]:
    """What one line says: its statement (None when it does not parse), the findings it gave, and
    whether it opens a block whose header did not parse (read inside, never built)."""
    before = len(findings)
    statement = None
    if _SIXTEEN_DIGITS.search(code) and _too_long_number(code, number, raw, file, findings):
        pass
    else:
        statement = fast(code, file, number)
        if statement is None:
            if lark_lines is not None:
                lark_lines.add(number)
            line = _line(number, raw, full_code, comment_at)
            statement = _parse_with_lark(_parser(), line, code, START[kind], file, findings)
        if type(statement) in _FORMULA_FIELDS and _too_deep(statement, number, raw, file, findings):
            return None, tuple(findings[before:]), False
    return statement, tuple(findings[before:]), statement is None and code.endswith("{")


def _open(stack: list[_Frame], frame: _Frame, file: str, findings: list[Finding]) -> None:
    """Open a block. One nested deeper than limits.MAX_NESTING is a finding at the line that opens
    it, and neither it nor anything inside it is built, so no later stage recurses without bound."""
    if len(stack) > MAX_NESTING:
        if not stack[-1].deep:
            assert frame.line is not None
            line = frame.line
            code = line.code.rstrip()
            first = len(code) - len(code.lstrip()) + 1
            span = Span(file, line.number, first, line.number, len(code) + 1)
            findings.append(Finding.make("PR002", span, key="PR002.deep", hint="flatten_blocks", limit=MAX_NESTING,
                                         source_line=line.text))
        frame.broken = frame.deep = True
    stack.append(frame)


def _line(number: int, raw: str, code: str, comment_at: int) -> Line:
    return Line(number, raw, code, raw[comment_at:] if comment_at >= 0 else "", comment_at + 1)


def _comment(raw: str, comment_at: int) -> str:
    return raw[comment_at:] if comment_at >= 0 else ""


def _read(number: int, block: str, depth: int, code: str, comment: str, parsed: bool, by_lark: bool) -> LineRead:
    """A statement line's LineRead: the fast path's tokens for a line it read, lark's otherwise."""
    if not parsed:
        return LineRead(number, block, depth, (), comment, by_lark)
    fast = None if by_lark else fastpath.line_tokens(code, block)
    return LineRead(number, block, depth, tuple(fast) if fast is not None else lark_tokens(code, block), comment,
                    by_lark)


def lark_tokens(code: str, block: str) -> tuple[fastpath.Token, ...]:
    """The tokens of a line of code in a block of kind `block`, as lark's interactive parser reads them
    (each at its column in `code`); () when the line does not parse."""
    from lark.exceptions import UnexpectedInput

    interactive = _parser().lark.parse_interactive(code, start=START[block])
    tokens: list[fastpath.Token] = []
    try:
        for token in interactive.iter_parse():
            tokens.append(fastpath.Token(token.type, token.value, token.column or 1))
    except UnexpectedInput:
        return ()
    return tuple(tokens)


_LINE_BREAKS = str.maketrans(dict.fromkeys("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))  # where splitlines splits


def parse_value(text: str, file: str = "<data>", line: int = 1) -> tuple[ast.ActualValue | None, list[Finding]]:
    """Parse an actual written as text in a data file: `80646 人`, `95%`, `达成 90%`, `不适用`."""
    (parsed,) = split_lines(text.translate(_LINE_BREAKS)) or [Line(line, text, text, "", 0)]
    parsed = replace(parsed, number=line)
    findings: list[Finding] = []
    value = _parse_line(parsed, parsed.code.rstrip(), "value_line", file, findings)
    return value, findings


_SIXTEEN_DIGITS = compile_pattern(r"\d{16}")  # the cheap test on every line
_LONG_NUMBER = compile_pattern(r"(?<![\w.])\d{16,}")  # 10^15 and more: beyond what budgets and counts need, and Decimal's precision


def _too_long_number(code: str, number: int, raw: str, file: str, findings: list[Finding]) -> bool:
    """A number of 16 digits or more outside quotes is refused with a finding."""
    from perfrules.syntax.source import QUOTED_TEXT

    long = _LONG_NUMBER.search(QUOTED_TEXT.sub(lambda m: " " * len(m[0]), code))
    if long is None:
        return False
    span = Span(file, number, long.start() + 1, number, long.end() + 1)
    findings.append(Finding.make("PR014", span, key="PR014.big", value=long.group(), source_line=raw))
    return True


def _parse_line(line: Line, code: str, start: str, file: str, findings: list[Finding]) -> Any:
    """The statement on one line: from the fast path when it knows the line, from lark otherwise."""
    if _SIXTEEN_DIGITS.search(code) and _too_long_number(code, line.number, line.text, file, findings):
        return None
    statement = fastpath.parse_line(code, start, file, line.number)
    if statement is not None:
        return statement
    return _parse_with_lark(_parser(), line, code, start, file, findings)


def _parse_with_lark(parser: _Parser, line: Line, code: str, start: str, file: str, findings: list[Finding]) -> Any:
    from lark.exceptions import UnexpectedInput

    builder = parser.builder
    builder.file, builder.line, builder.findings = file, line.number, []
    first = len(code) - len(code.lstrip()) + 1
    builder.line_span = Span(file, line.number, first, line.number, len(code) + 1)
    try:
        statement = parser.lark.parse(code, start=start)
    except UnexpectedInput as error:
        if isinstance(findings, _Capped) and findings.full:  # counted only: its message is not worth the work
            findings.drop(Span.point(file, line.number, getattr(error, "column", 1) or 1))
            return None
        from perfrules.syntax.errors import expected_at_error, syntax_finding  # only when a line does not parse

        expected = expected_at_error(parser.lark, code, start)
        findings.append(syntax_finding(error, line, code, file, parser.keywords, expected, start, parser.lark))
        return None
    findings.extend(builder.findings)
    return statement


_FORMULA_FIELDS = {ast.Indicator: ("formula",), ast.Fact: ("expr",), ast.Check: ("left", "right")}


def _too_deep(statement: Any, number: int, raw: str, file: str, findings: list[Finding]) -> bool:
    """A formula nested deeper than ast.MAX_DEPTH is refused with a finding (later stages recurse)."""
    fields = _FORMULA_FIELDS.get(type(statement))
    if fields is None:
        return False
    formulas = [getattr(statement, name) for name in fields]
    if not any(isinstance(f, (ast.BinOp, ast.Neg)) and ast.depth(f) > ast.MAX_DEPTH for f in formulas):
        return False
    span = Span(file, number, 1, number, len(raw) + 1)
    findings.append(Finding.make("PR014", span, key="PR014.depth", limit=ast.MAX_DEPTH, source_line=raw))
    return True


class _Block:
    """A block (a dimension, group, `facts`, `actuals`...) as one parse read it: its first and last line, where it
    stood (how many blocks were open around it, and the kind of the one it stood in), its lines, and what it gave
    (the node it added to the block around it, its findings, its lines' cache entries and its sections). The next
    parse takes it as a whole when it finds the same lines at the same place, standing in the same.

    When lines before it were inserted or deleted, _rebase moves it: `start` and `end` are its lines now, `origin`
    its first line in the last parse (where its lines' cells are; 0: `start`), and `shift` what is still to be added
    to the numbers its `entries` are keyed by (they are keyed again only when asked for: _entries)."""

    __slots__ = ("_findings_at", "_items_at", "depth", "end", "entries", "findings", "items", "lines", "origin",
                 "parent", "sections", "shift", "start")

    def __init__(self, start: int, depth: int, parent: str, findings_at: int, items_at: int) -> None:
        self.start, self.end, self.depth, self.parent = start, start, depth, parent
        self.origin = self.shift = 0
        self._findings_at, self._items_at = findings_at, items_at
        self.lines: list[str] = []
        self.items: list[Any] = []
        self.findings: tuple[Finding, ...] = ()
        self.entries: dict[tuple[str, str, int], _Entry] = {}
        self.sections: dict[int, tuple[Open, ast.Section]] = {}


def _entries(block: _Block) -> dict[tuple[str, str, int], _Entry]:
    """A block's lines' cache entries, keyed by the numbers the lines have now (see _Block.shift)."""
    if block.shift:
        shift = block.shift
        block.entries = {(kind, raw, number + shift): entry for (kind, raw, number), entry in block.entries.items()}
        block.shift = 0
    return block.entries


_NO_SPANS: list[Any] = [()]  # the cell of a line that made no span (blank, a comment, a `}` of no section)
_UNKNOWN: list[Any] = [()]  # the cell of a line read by a parse that kept no cells (the formatter's, a command's)
_SET = object.__setattr__
_ATOMS = frozenset({str, int, bool, Decimal, float, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}  # a record type's fields, for _collect


def _collect(cell: list[Any]) -> tuple[Span, ...]:
    """The spans a line made: those in its cell's statement and findings, each once (its cell keeps them)."""
    out: list[Span] = []
    seen: set[int] = set()
    stack = cell[1:]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is Span:
            if id(item) not in seen:
                seen.add(id(item))
                out.append(item)
        elif kind is tuple:
            stack.extend(value for value in item if type(value) not in _ATOMS)
        else:
            names = _FIELDS.get(kind)
            if names is None:
                from dataclasses import fields, is_dataclass

                names = _FIELDS[kind] = tuple(f.name for f in fields(kind)) if is_dataclass(kind) else ()
            for name in names:
                value = getattr(item, name)
                if type(value) not in _ATOMS:
                    stack.append(value)
    spans = tuple(out)
    cell[0] = spans
    del cell[1:]
    return spans


def _same_run(a: list[str], b: list[str], low: int, high: int, step: int) -> int:
    """How many lines `a` and `b` have the same from their start (`step` 1) or their end (-1), at most `high`: halves
    compared as lists (in C), not a line at a time."""
    while low < high:
        middle = (low + high + 1) // 2
        if (a[low:middle] == b[low:middle]) if step == 1 else \
                (a[len(a) - middle : len(a) - low] == b[len(b) - middle : len(b) - low]):
            low = middle
        else:
            high = middle - 1
    return low


def _rebase(cache: LineCache, lines: list[str]) -> None:
    """When lines were inserted or deleted since the last parse, move what the cache holds for the lines after the
    change (those at the end of the text that are the same as before) to their new numbers: their entries, the
    blocks, and every span those lines made, in place (a span is a frozen record everywhere else: the statements,
    sections, compiled plan, scores and findings made of them hold these very objects, so that the later stages
    take them again as they are, at their new lines). A block around the change is read again (its lines' entries
    are kept). Nothing else that a parse or a later stage keeps holds a line number (compile keeps the lines its
    findings quote, and makes them again when the lines moved; tests/test_lsp_incremental.py inserts, deletes and
    pastes lines and compares with an analysis from nothing)."""
    before = cache.lines
    assert before is not None
    shift = len(lines) - len(before)
    cache.moved = 0
    if not shift:
        return
    if len(cache.spans) != len(before):  # (never: a cell for each line) nothing is moved, and nothing is re-based
        cache.lines = None
        return
    count = min(len(before), len(lines))
    first = _same_run(before, lines, 0, count, 1)  # lines the same at the start
    same = _same_run(before, lines, 0, count - first, -1)  # lines the same at the end
    if not same:
        return
    after = len(before) - same  # the old lines numbered above `after` are now `shift` lines further
    cache.lines = None  # (until this parse ends: the cells are those of the old numbering)
    cache.moved = same
    for cell in cache.spans[after:]:
        for span in cell[0] if cell[0] is not None else _collect(cell):
            if span.line > after:  # (a section's span from above the change to below it keeps its first line)
                _SET(span, "line", span.line + shift)
            _SET(span, "end_line", span.end_line + shift)
    for span in cache.loose:
        if span.line > after:
            _SET(span, "line", span.line + shift)
        if span.end_line > after:
            _SET(span, "end_line", span.end_line + shift)
    entries = {((kind, raw, number + shift) if number > after else (kind, raw, number)): entry
               for (kind, raw, number), entry in cache.entries.items()}
    blocks: dict[int, _Block] = {}
    for start, block in cache.blocks.items():
        block.origin = start
        if start > after:
            block.start, block.end, block.shift = start + shift, block.end + shift, block.shift + shift
            blocks[block.start] = block
        elif block.end > after:  # the change is inside it: read again, its lines' entries and sections as they were
            for (kind, raw, number), entry in _entries(block).items():
                entries[(kind, raw, number + shift) if number > after else (kind, raw, number)] = entry
            cache.sections.update(block.sections)
        else:
            blocks[start] = block
    cache.entries, cache.blocks = entries, blocks


def _end_block(block: _Block, end: int, all_lines: list[str], around: _Frame, findings: _Capped,
               blocks: dict[int, _Block]) -> None:
    """The block that started at block.start was closed at line `end`: kept (unless syntax errors were past the
    cap), and what it holds added to the block around it."""
    if around.block is not None:
        around.block.entries.update(block.entries)
        around.block.sections.update(block.sections)
    if findings.full or findings.dropped or len(findings) != block._findings_at:
        return  # a block with a syntax error inside is read again (what its lost lines may hide is worked out anew)
    block.end = end
    block.lines = all_lines[block.start - 1 : end]
    block.items = around.children[block._items_at:]
    block.findings = tuple(findings[block._findings_at:])
    blocks[block.start] = block


class _Sections:
    """The sections of the last parse (LineCache.sections) and those of this one."""

    def __init__(self, old: dict[int, tuple[Open, ast.Section]]) -> None:
        self.old = old
        self.new: dict[int, tuple[Open, ast.Section]] = {}

    def section(self, header: Open, children: tuple[Any, ...], span: Span, block: _Block | None) -> ast.Section:
        found = self.old.get(id(header))
        if found is not None and found[0] is header and found[1].span == span \
                and len(found[1].children) == len(children) and all(map(operator.is_, found[1].children, children)):
            section = found[1]
        else:
            assert header.name is not None
            section = ast.Section(header.kind, header.name, header.clauses, children, span)
        self.new[id(header)] = (header, section)
        if block is not None:  # the block the section is read as (its own)
            block.sections[id(header)] = (header, section)
        return section


def _close(stack: list[_Frame], line: Line, file: str, findings: list[Finding],
           sections: _Sections | None = None) -> None:
    column = line.code.index("}") + 1
    if len(stack) == 1:
        findings.append(Finding.make("PR002", Span.point(file, line.number, column), key="PR002.stray",
                                     hint="remove_brace", source_line=line.text))
        return
    frame = stack.pop()
    if not frame.broken:
        stack[-1].children.append(_node(frame, file, line, sections))


def _node(frame: _Frame, file: str, closing: Line | None = None, sections: _Sections | None = None) -> Any:
    """A closed block: a Section for dimensions and groups, the header with its items otherwise."""
    header = frame.header
    assert header is not None
    end_line = closing.number if closing else header.span.line
    span = Span(file, header.span.line, header.span.column, end_line, (closing.code.index("}") + 2) if closing else 1)
    if header.kind in ("dimension", "group"):
        assert header.name is not None
        if sections is not None:
            return sections.section(header, tuple(frame.children), span, frame.block)
        return ast.Section(header.kind, header.name, header.clauses, tuple(frame.children), span)
    return replace(header, items=header.items + tuple(frame.children), closed=True)


def _continue_actual(frame: _Frame, more: ActualMore, file: str, findings: list[Finding], source_line: str) -> None:
    previous = frame.children[-1] if frame.children else None
    if not isinstance(previous, ast.Actual):
        findings.append(Finding.make("PR001", more.span, key="PR001.token", found="reason/score",
                                     expected="指标名称 = 实际值", source_line=source_line))
        return
    old = previous.extra or _NO_EXTRA
    new = more.extra or _NO_EXTRA
    score_before = previous.score is not None or old.score_unreadable
    review_before = old.review is not None or old.review_unreadable
    for clause, given, before in (("reason", more.reason is not None, previous.reason is not None),
                                  ("score", more.score is not None or new.score_unreadable, score_before),
                                  ("review", new.review is not None or new.review_unreadable, review_before),
                                  ("rate", new.rate is not None, old.rate is not None)):
        if given and before:
            findings.append(Finding.make("PR005", more.span, clause=clause))
    extra = previous.extra
    if more.extra is not None:
        extra = ast.ActualExtra(
            new.review if new.review is not None else old.review,
            new.score_unreadable or (old.score_unreadable and more.score is None),
            new.review_unreadable or (old.review_unreadable and new.review is None),
            new.rate if new.rate is not None else old.rate,
            old.evidence,
        )
    frame.children[-1] = ast.Actual(  # every field of Actual (dataclasses.replace costs five times as much)
        previous.name,
        previous.value,
        more.reason if more.reason is not None else previous.reason,
        more.score if more.score is not None else previous.score,
        previous.span,
        extra,
    )


_NO_EXTRA = ast.ActualExtra()


_BLOCK_WORDS = {kind: vocabulary.BLOCK_KEYWORDS[kind]
                for kind in ("ruleset", "grades", "facts", "actuals", "expect", "policy", "dimension")}


def _guess_block(code: str, parent: str) -> str:
    """The kind of block a line that opens one but did not parse opens, so that its lines are read as that block's:
    by its first word, or the English block keyword it misspells (`rulset "x" {`, `expcet {`: the PR001 there says
    「是不是 ruleset？」, and `year 2023` inside is no 「目标前需要比较符」)."""
    first = code.split()[0] if code.split() else ""
    for kind, words in _BLOCK_WORDS.items():
        if first in words:
            return kind
    if first.isascii() and first.isalpha():
        from perfrules.syntax.errors import near_word

        meant = near_word(first, [word for words in _BLOCK_WORDS.values() for word in words])
        for kind, words in _BLOCK_WORDS.items():
            if meant in words:
                return kind
    return "group" if parent in ("top", "dimension", "group") else parent


# ---------------------------------------------------------------- the Document


def _document(items: list[Any], file: str, text: str, lost: tuple[ast.Lost, ...] = ()) -> ast.Document:
    meta = ast.Meta()
    grades: list[ast.Band] = []
    facts: list[ast.Fact] = []
    body: list[Any] = []
    actuals: list[ast.Actual] = []
    expect: list[ast.ExpectItem] = []
    uses: list[ast.Use] = []
    policy: list[ast.PolicyItem] = []
    history: list[ast.HistoryItem] = []
    grades_span = None
    for item in items:
        if isinstance(item, Open):
            if item.kind == "ruleset":
                meta = _meta(item)
            elif item.kind == "grades":
                grades.extend(item.items)
                grades_span = item.span
            elif item.kind == "facts":
                facts.extend(item.items)
            elif item.kind == "actuals":
                actuals.extend(item.items)
            elif item.kind == "expect":
                expect.extend(item.items)
            elif item.kind == "policy":
                policy.extend(item.items)
            elif item.kind == "history":
                history.extend(item.items)
        elif isinstance(item, ast.Use):
            uses.append(item)
        else:
            body.append(item)
    return ast.Document(file, meta, tuple(grades), tuple(facts), tuple(body), tuple(actuals), tuple(expect),
                        tuple(uses), tuple(policy), grades_span, text, tuple(history), lost)


def _meta(block: Open) -> ast.Meta:
    values: dict[str, Any] = dict(item for item in block.items if isinstance(item, tuple))
    places, mode = values.get("rounding", (None, None))
    return ast.Meta(block.name, values.get("year"), values.get("kind"), places, mode, values.get("total"),
                    values.get("tiers"), block.span)
