"""Suppression comments: `# noqa: PR201` on a line, `# perfrules: noqa: PR201` for the whole file.

A suppression that suppresses nothing is itself reported (PR901), so stale ones do not pile up
and hide the next real problem.
"""

from __future__ import annotations

import re

from perfrules.cache import compile_pattern
from perfrules.checks.config import Config
from perfrules.findings import Finding, Severity, Span, is_input_error
from perfrules.vocabulary import FULL_WIDTH

LINE = compile_pattern(r"#\s*noqa(?::\s*(?P<codes>PR\d{0,3}(?:\s*,\s*PR\d{0,3})*))?", re.I)
FILE = compile_pattern(r"^\s*#\s*perfrules:\s*noqa(?::\s*(?P<codes>PR\d{0,3}(?:\s*,\s*PR\d{0,3})*))?\s*$", re.I)


class Suppression:
    """A `# noqa` comment: where it is, the codes it names (() means every code), and the codes it hid."""

    def __init__(self, line: int, column: int, codes: tuple[str, ...], whole_file: bool) -> None:
        self.line, self.column, self.codes, self.whole_file = line, column, codes, whole_file
        self.used: set[str] = set()

    def covers(self, code: str) -> str | None:
        if not self.codes:
            return "*" if code != "PR901" else None
        return next((c for c in self.codes if code.startswith(c)), None)


NOQA = compile_pattern("noqa", re.I)
COMMENT_MARKS = ("#", *(char for char, same in FULL_WIDTH.items() if same == "#"))  # `#` and its full-width form


def find_suppressions(lines: list[str]) -> list[Suppression]:
    from perfrules.syntax.source import split_lines

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
        (line,) = split_lines(raw)
        if not line.comment:
            continue
        file_match = FILE.match(line.comment)
        match = file_match or LINE.search(line.comment)
        if match is None:
            continue
        codes = tuple(c.strip().upper() for c in (match["codes"] or "").split(",") if c.strip())
        found.append(Suppression(number, line.comment_column, codes, whole_file=bool(file_match)))
    return found


def apply_suppressions(findings: list[Finding], file: str, lines: list[str], config: Config) -> list[Finding]:
    """The findings left after this file's suppression comments, plus PR901 for unused ones.

    An input error (PR001, PR002, PR003 and the other blocking codes) is never suppressed, and a
    suppression on a line with one is not reported unused: what it was for cannot be known yet.
    """
    suppressions = find_suppressions(lines)
    if not suppressions:
        return findings
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
    if config.enabled("PR901"):
        for s in suppressions:
            if s.line in broken_lines:
                continue
            unused = [c for c in (s.codes or ("*",)) if c not in s.used and looked_for(c, config)]
            for code in unused:
                span = Span.point(file, s.line, s.column, 1)
                severity = config.severity_for("PR901", Severity.WARNING)
                kept.append(Finding.make("PR901", span, severity=severity, hint="PR901",
                                         which=code if code != "*" else "noqa"))
    return kept


def _line(suppression: Suppression) -> int:
    return suppression.line


def looked_for(code: str, config: Config) -> bool:
    """Whether this run looked for every code a `noqa` entry covers (`*`: a bare noqa covers all of them).

    A suppression of codes that `--select`/`--ignore` or a severity `off` left out is not unused:
    another run (the one without `--select PR3`, say) needs it, so PR901 must not advise deleting it.
    """
    from perfrules.checks import all_checks
    from perfrules.messages import CODES

    known = [*CODES, *(c.code for c in all_checks())]
    covered = [k for k in known if k.startswith(code)] if code != "*" else known
    return all(config.enabled(k) for k in covered or [code])
