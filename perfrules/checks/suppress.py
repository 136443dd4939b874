"""Suppression comments: `# noqa: PR201` on a line, `# perfrules: noqa: PR201` for the whole file.

What a noqa comment says (docs/checks.md, 抑制注释):

- `# noqa` alone, or followed by a remark that does not start with a code (`# noqa 见附件`): every
  finding of its line;
- `# noqa: PR201, PR202`: those codes, or prefixes (`PR2`); codes are separated by commas, whitespace,
  `、` or `;`, and what follows the last code is a remark (`# noqa: PR202 偏差原因见附件`);
- `# perfrules: noqa` and `# perfrules: noqa: PR103`: the same for the whole file;
- the input method's characters as their ASCII (`＃ noqa：ＰＲ２０２，PR203`), in any letter case.

A directive perfrules cannot read is never a blanket suppression: it suppresses nothing and is reported
(PR902), and so is one it reads only by a guess (`# noqa PR202`, no colon: read as `# noqa: PR202`) and a
code that is no code of perfrules (`PR999`, with the nearest codes). A suppression that suppresses nothing
is itself reported (PR901), so stale ones do not pile up and hide the next real problem.
"""

from __future__ import annotations

import re
from functools import cache

from perfrules.cache import compile_pattern
from perfrules.checks.config import Config
from perfrules.findings import Finding, Severity, Span, is_input_error
from perfrules.vocabulary import FULL_WIDTH, FULL_WIDTH_LETTERS, NOQA_FILE_WORD, NOQA_SEPARATORS, NOQA_WORD

_READ = str.maketrans({**FULL_WIDTH, **FULL_WIDTH_LETTERS})  # one character for one character: columns stay
DIRECTIVE = compile_pattern(rf"#\s*(?:(?P<file>{NOQA_FILE_WORD})\s*(?P<file_colon>:?)\s*)?{NOQA_WORD}(?![a-z0-9])",
                            re.I)
# A code (PR201), a prefix (PR2, PR: every code), and what was meant as one (PR2O2, E501, a lone 202).
CODE_TOKEN = compile_pattern(r"[a-z]+[0-9][a-z0-9]*|pr(?![a-z0-9])|[0-9]+(?![^\s" + re.escape(NOQA_SEPARATORS) + "#])",
                             re.I)
_SEPARATORS = compile_pattern(r"[\s" + re.escape(NOQA_SEPARATORS) + r"]*")
_SPACES = compile_pattern(r"\s*")
# The cheap test of a line: it says noqa (in any case, or in full-width letters).
_WIDE_OF = {plain: wide for wide, plain in FULL_WIDTH_LETTERS.items()}
NOQA = compile_pattern("".join(f"[{c}{_WIDE_OF[c]}]" for c in NOQA_WORD), re.I)
COMMENT_MARKS = ("#", *(char for char, same in FULL_WIDTH.items() if same == "#"))  # `#` and its full-width form

EMPTY, COLON, SYNTAX = "empty", "colon", "syntax"  # what can be wrong with a directive (PR902's variants)


class Code:
    """One code of a noqa as written: its text read as ASCII (upper case) and its columns on the line."""

    __slots__ = ("column", "end_column", "text")

    def __init__(self, text: str, column: int, end_column: int) -> None:
        self.text, self.column, self.end_column = text, column, end_column

    def __repr__(self) -> str:
        return f"Code({self.text!r}, {self.column}, {self.end_column})"


class Suppression:
    """A `# noqa` comment: where it is, what it names and what is wrong with it, and the codes it hid.

    `column`..`end_column` (1-based, end exclusive) is the directive: from its `#` to the end of `noqa`
    (bare) or of its last code; its remark (`说明` in `noqa: PR202，说明`) runs from `remark_column` to `stop`,
    the next `#` of the comment or the line's end.
    """

    def __init__(self, line: int, column: int, end_column: int, stop: int, whole_file: bool,
                 codes: tuple[Code, ...] = (), problem: str = "", written: str = "") -> None:
        self.line, self.column, self.end_column, self.stop = line, column, end_column, stop
        self.whole_file, self.written, self.problem = whole_file, written, problem
        self.tokens = codes
        known = _known_prefixes()
        self.unknown = tuple(c for c in codes if c.text not in known)
        self.codes = tuple(dict.fromkeys(c.text for c in codes if c.text in known))  # () with bare: every code
        self.used: set[str] = set()
        self.remark_column = stop
        self.in_remark: tuple[Code, ...] = ()  # codes written in the remark, which are not read as codes

    @property
    def bare(self) -> bool:
        """`# noqa` with no code: every code of the line (a directive that names codes, even unknown ones, is not)."""
        return not self.tokens and not self.problem

    @property
    def suppresses(self) -> bool:
        return self.problem not in (EMPTY, SYNTAX) and (self.bare or bool(self.codes))

    def covers(self, code: str) -> str | None:
        if not self.suppresses:
            return None
        if self.bare:
            return "*" if code not in ("PR901", "PR902") else None
        return next((c for c in self.codes if code.startswith(c)), None)

    def canonical(self, codes: tuple[str, ...] | None = None) -> str:
        """The directive as perfrules writes it, with these codes (default: its known ones)."""
        shown = self.codes if codes is None else codes
        head = f"# {NOQA_FILE_WORD}: {NOQA_WORD}" if self.whole_file else f"# {NOQA_WORD}"
        return head + (": " + ", ".join(shown) if shown else "")


def known_code(code: str) -> bool:
    """A code or prefix of a code perfrules reports (PR201, PR2, PR20, PR)."""
    return code in _known_prefixes()


@cache
def _known_prefixes() -> frozenset[str]:
    from perfrules.checks import known_codes

    return frozenset(code[:end] for code in known_codes() for end in range(2, len(code) + 1))


def read_directive(comment: str, line: int = 1, comment_column: int = 1) -> Suppression | None:
    """The noqa directive of a comment (`# ...`, starting at `comment_column`), or None when it has none."""
    read = comment.translate(_READ)
    match = DIRECTIVE.search(read)
    if match is None:
        return None
    stop = read.find("#", match.end())
    stop = len(read) if stop < 0 else stop
    whole = match["file"] is not None
    at = match.end()
    after = _SPACES.match(read, at, stop).end()  # type: ignore[union-attr]
    codes: tuple[Code, ...] = ()
    problem, end = "", at
    if whole and not match["file_colon"]:  # `perfrules noqa`, no colon
        problem, end = SYNTAX, stop
    elif after == stop:
        pass  # a bare noqa
    elif read[after] == ":":
        codes, end = _codes(read, after + 1, stop, comment_column)
        if not codes:  # a colon and no code after it, or only a remark
            problem, end = EMPTY, after + 1
    elif after > at and CODE_TOKEN.match(read, after, stop):  # codes without the colon
        codes, end = _codes(read, after, stop, comment_column)
        problem = COLON
    elif read[after].isascii() and not read[after].isalnum():  # `noqa=PR202`, `noqa,PR202`
        problem, end = SYNTAX, stop
    # else a bare noqa and its remark (`noqa 见附件`)
    written = comment[match.start():stop].rstrip()
    if problem == SYNTAX:  # the whole of what it says, up to its remark's end
        end = match.start() + len(written)
    made = Suppression(line, comment_column + match.start(), comment_column + end, comment_column + stop, whole,
                       codes, problem, written)
    made.remark_column = comment_column + _SEPARATORS.match(read, end, stop).end()  # type: ignore[union-attr]
    if codes and not problem:  # a code in the remark (`PR202/PR203`, `PR202 and PR203`) is not read: said, not dropped
        made.in_remark = tuple(Code(m[0].upper(), comment_column + m.start(), comment_column + m.end())
                               for m in _REMARK_CODE.finditer(read, end, stop))
    return made


_REMARK_CODE = compile_pattern(r"(?<![a-z0-9])pr[0-9]{3}(?![0-9])", re.I)  # a code-like word after the codes


def _codes(read: str, start: int, stop: int, offset: int) -> tuple[tuple[Code, ...], int]:
    """The codes from `start` (separated by whitespace, commas, 、 or ;) up to the first word that is no code."""
    found = []
    at, end = start, start
    while at < stop:
        at = _SEPARATORS.match(read, at, stop).end()  # type: ignore[union-attr]
        token = CODE_TOKEN.match(read, at, stop)
        if token is None:
            break
        found.append(Code(token[0].upper(), offset + token.start(), offset + token.end()))
        at = end = token.end()
    return tuple(found), end


def find_suppressions(lines: list[str]) -> list[Suppression]:
    """The noqa directives of these lines, in order (at most one a line: the first of its comment)."""
    from perfrules.syntax.source import code_and_comment

    found: list[Suppression] = []
    text = "\n".join(lines)
    marks = [mark for mark in COMMENT_MARKS if mark in text]
    if not marks:  # no comment at all (the cheap test on a large file)
        return found
    commented = sorted({number for mark in marks for number, raw in enumerate(lines, start=1) if mark in raw})
    for number in commented:  # only the lines that say noqa are split into code and comment
        raw = lines[number - 1]
        if NOQA.search(raw) is None:
            continue
        _code, comment_at = code_and_comment(raw)
        if comment_at < 0:
            continue
        directive = read_directive(raw[comment_at:], number, comment_at + 1)
        if directive is not None:
            found.append(directive)
    return found


def apply_suppressions(findings: list[Finding], file: str, lines: list[str], config: Config,
                       own: bool = True) -> list[Finding]:
    """The findings left after this file's suppression comments, plus PR901 for unused ones and PR902 for
    the directives that are written wrong.

    An input error (PR001, PR002, PR003 and the other blocking codes) is never suppressed, and a
    suppression on a line with one is not reported unused: what it was for cannot be known yet.
    `own=False`: `file` is one the run's file `use`s (its lines are `lines`): its line comments suppress the
    findings located on their lines, and what they say of themselves (unused, written wrong) is for that file's
    own lint to say. Its whole-file comments (`# perfrules: noqa: PR103`) speak of that file linted alone (a
    framework's empty groups): they do not hide what a project using it gets (its weights' sums, located in the
    framework).
    """
    directives = find_suppressions(lines)
    if not own:
        directives = [s for s in directives if not s.whole_file]
    if not directives:
        return findings
    suppressions = [s for s in directives if s.suppresses]
    kept = []
    broken_lines: set[int] = set()
    whole = [s for s in suppressions if s.whole_file]
    by_line: dict[int, list[Suppression]] = {}
    for s in suppressions:
        if not s.whole_file:
            by_line.setdefault(s.line, []).append(s)
    for finding in findings:
        span = finding.span
        mine = span is not None and span.file == file
        if is_input_error(finding):
            kept.append(finding)
            if span is not None and span.file == file:
                broken_lines.add(span.line)
            continue
        # those on its line and those for the whole file, in the order they are written
        covering = sorted(whole + by_line.get(span.line, []), key=_line) if mine else []  # type: ignore[union-attr]
        hit = next(((s, c) for s in covering if (c := s.covers(finding.code))), None)
        if hit:
            hit[0].used.add(hit[1])
        else:
            kept.append(finding)
    if own and config.enabled("PR902"):
        severity = config.severity_for("PR902", Severity.WARNING)
        for s in directives:
            kept += malformed(s, file, severity)
    if own and config.enabled("PR901"):
        severity = config.severity_for("PR901", Severity.WARNING)
        looked: dict[str, bool] = {}
        for s in suppressions:
            if s.line in broken_lines:
                continue
            unused = [c for c in (s.codes or ("*",)) if c not in s.used
                      and (looked[c] if c in looked else looked.setdefault(c, looked_for(c, config)))]
            for code in unused:
                span = Span(file, s.line, s.column, s.line, s.end_column)
                kept.append(Finding.make("PR901", span, severity=severity, hint="PR901",
                                         which=code if code != "*" else "noqa"))
    return kept


def malformed(s: Suppression, file: str, severity: Severity) -> list[Finding]:
    """PR902 for a directive written wrong: no code after its colon, no colon, unreadable, unknown codes."""
    from perfrules.checks import nearest_codes
    from perfrules.messages import Said

    out = []
    span = Span(file, s.line, s.column, s.line, s.end_column)
    said = Span(file, s.line, s.column, s.line, s.column + len(s.written))  # all it says, remark included
    if s.problem == EMPTY:
        out.append(Finding.make("PR902", said, severity=severity, key="PR902.empty", hint="PR902.empty",
                                text=s.written))
    elif s.problem == SYNTAX:
        out.append(Finding.make("PR902", said, severity=severity, key="PR902.syntax", hint="PR902.syntax",
                                text=s.written))
    elif s.problem == COLON:
        out.append(Finding.make("PR902", span, severity=severity, key="PR902.colon", hint="PR902.colon",
                                text=s.written, fixed=s.canonical(tuple(c.text for c in s.tokens))))
    for code in s.in_remark:
        where = Span(file, s.line, code.column, s.line, code.end_column)
        out.append(Finding.make("PR902", where, severity=severity, key="PR902.in_remark", hint="PR902.in_remark",
                                which=code.text, fixed=s.canonical((*(c.text for c in s.tokens), code.text))))
    for code in s.unknown:
        near = [c for c in nearest_codes("PR" + code.text if code.text.isdigit() else code.text) if c != code.text]
        where = Span(file, s.line, code.column, s.line, code.end_column)
        if near:
            out.append(Finding.make("PR902", where, severity=severity, key="PR902.unknown", hint="PR902.unknown",
                                    which=code.text, near=Said("、".join(near), ", ".join(near))))
        else:
            out.append(Finding.make("PR902", where, severity=severity, key="PR902.unknown_far",
                                    hint="PR902.unknown_far", which=code.text))
    return out


def _line(suppression: Suppression) -> int:
    return suppression.line


def looked_for(code: str, config: Config) -> bool:
    """Whether this run looked for every code a `noqa` entry covers (`*`: a bare noqa covers all of them).

    A suppression of codes that `--select`/`--ignore` or a severity `off` left out is not unused:
    another run (the one without `--select PR3`, say) needs it, so PR901 must not advise deleting it.
    """
    from perfrules.checks import known_codes

    known = known_codes()
    covered = [k for k in known if k.startswith(code)] if code != "*" else known
    return all(config.enabled(k) for k in covered or [code])
