"""One shape for every problem perfrules reports, from a syntax error to a failed `expect`.

A `Finding` names a code from `perfrules.messages` and carries the values its message needs;
the text is rendered in the reader's language only when it is shown.
"""

from __future__ import annotations

from dataclasses import field
from enum import StrEnum
from typing import Any

from perfrules import messages
from perfrules.records import record


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@record
class Span:
    """Where something stands in a file: 1-based line and column, end exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int, column: int, width: int = 1) -> Span:
        return cls(file, line, column, line, column + width)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


@record
class Finding:
    """A problem, located. `args` fill the message template of `key` (by default the code)."""

    code: str
    severity: Severity
    span: Span | None
    args: tuple[tuple[str, object], ...] = ()
    key: str = ""
    hint_key: str = ""
    # For syntax errors: the source line, to draw a caret under the column.
    source_line: str = field(default="", compare=False)
    # For a finding located in a file the linted one `use`s (not std/): the `use` line of the linted file through
    # which that file was read (perfrules.pipeline sets it). The language server shows the finding there, JUnit
    # counts it in the linted file's suite, and the text formats say where it came from.
    via: Span | None = None

    @classmethod
    def make(
        cls,
        code: str,
        span: Span | None,
        *,
        severity: Severity | None = None,
        key: str = "",
        hint: str = "",
        source_line: str = "",
        **args: Any,
    ) -> Finding:
        return cls(
            code=code,
            severity=severity or Severity(messages.default_severity(code, key)),
            span=span,
            args=tuple(sorted(args.items())),
            key=key or code,
            hint_key=hint,
            source_line=source_line,
        )

    def message(self, lang: str = "zh") -> str:
        return messages.render(self.key, lang, dict(self.args))

    def hint(self, lang: str = "zh") -> str:
        return messages.render_hint(self.hint_key, lang, dict(self.args)) if self.hint_key else ""

    def arg(self, name: str) -> object:
        return dict(self.args).get(name)

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        span = self.span
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message(lang),
            "file": span.file if span else None,
            "line": span.line if span else None,
            "column": span.column if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_column if span else None,
        }
        hint = self.hint(lang)
        if hint:
            out["hint"] = hint
        if self.via is not None:
            out["via"] = {"file": self.via.file, "line": self.via.line, "column": self.via.column}
        return out

    def through(self, lang: str = "zh") -> str:
        """Where a finding located in a used file came from, to follow its message: 「（经 p.perf:2 的 use）」; else ""."""
        if self.via is None:
            return ""
        return messages.render("use.via", lang, {"file": self.via.file, "line": self.via.line})


def sort_key(finding: Finding) -> tuple[str, int, int, str]:
    span = finding.span
    return (span.file if span else "", span.line if span else 0, span.column if span else 0, finding.code)


def is_input_error(finding: Finding) -> bool:
    """An error in the input itself (a blocking code): the file cannot be trusted to evaluate."""
    return finding.severity is Severity.ERROR and messages.is_blocking(finding.code)
