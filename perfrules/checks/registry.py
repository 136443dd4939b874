"""The check registry: every check once, with its code, default severity, title and documentation.

A check is a class in `perfrules/checks/<family>/PRxxx.py`. Its docstring explains why it matters
and carries an anti-pattern and a best-practice example (fenced `perf` blocks); the docs page,
`perfrules rule CODE` and a meta-test that runs both examples all read it from here.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from perfrules.checks.config import Config
from perfrules.findings import Finding, Severity, Span
from perfrules.plan.model import Plan
from perfrules.scoring.result import IndicatorResult, Result

if TYPE_CHECKING:
    from perfrules.history.model import History

FAMILIES = {
    "static": ("PR1", "规则集的静态检查", "static checks of the ruleset"),
    "results": ("PR2", "完成情况检查（需要实际值）", "result checks (need actuals)"),
    "audit": ("PR3", "公布评分表的审核（需要公布得分）", "audit of published score tables (need published scores)"),
    "history": ("PR4", "与往年比较（需要 --history 或 history 块）", "history checks (need --history or a history block)"),
    "meta": ("PR9", "关于检查本身", "about the checks themselves"),
}
REPOSITORY = "https://github.com/perfrules/perfrules"
"""Where perfrules lives: its source, issues and the one documentation URL every link points into."""
DOCS_URL = f"{REPOSITORY}/blob/main/docs/checks.md"
"""The check catalogue (docs/checks.md); `#pr201` is a check's anchor there. SARIF helpUri and the
language server's code links are `docs_url(code)`; README and docs/ci.md name the same address."""


def docs_url(code: str) -> str:
    return f"{DOCS_URL}#{code.lower()}"


EXAMPLE = re.compile(r"\*\*(?P<label>[^*]+)\*\*\s*\n+```perf\n(?P<code>.*?)\n```", re.S)


@dataclass
class Context:
    """What a check may look at: the plan, the result (when actuals exist), settings, the source."""

    plan: Plan
    result: Result | None
    config: Config
    as_of: date | None = None
    source: list[str] = field(default_factory=list)
    history: History | None = None  # earlier years, when given (--history or a history block)

    def scored(self) -> list[IndicatorResult]:
        return [i for i in self.result.indicators() if i.status == "scored"] if self.result else []


class Check:
    code: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]  # Chinese
    title_en: ClassVar[str]
    family: ClassVar[str]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not re.fullmatch(r"PR\d{3}", getattr(cls, "code", "")):
            raise TypeError(f"{cls.__name__}: code must look like PR201")
        family = next((f for f, (prefix, *_rest) in FAMILIES.items() if cls.code.startswith(prefix)), None)
        if family is None:
            raise TypeError(f"{cls.code}: no family for this code")
        cls.family = family
        if not isinstance(getattr(cls, "severity", None), Severity) or not cls.title or not cls.title_en:
            raise TypeError(f"{cls.code}: severity, title and title_en are required")
        labels = [m["label"] for m in EXAMPLE.finditer(cls.doc())]
        if len(labels) != 2 or "反例" not in labels[0] or "正例" not in labels[1]:
            raise TypeError(f"{cls.code}: the docstring needs a **反例 Anti-pattern** and a **正例 Best practice** example")

    def run(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    # ------------------------------------------------------------ helpers for subclasses

    def finding(self, ctx: Context, span: Span | None, *, key: str = "", severity: Severity | None = None,
                **args: Any) -> Finding:
        from perfrules.messages import HINTS

        chosen = ctx.config.severity_for(self.code, severity or self.severity)
        hint = self.code if self.code in HINTS else ""
        return Finding.make(self.code, span, severity=chosen, key=key or self.code, hint=hint, **args)

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def examples(cls) -> tuple[str, str]:
        """The anti-pattern and the best practice, as rule files."""
        bad, good = (m["code"] + "\n" for m in EXAMPLE.finditer(cls.doc()))
        return bad, good

    @classmethod
    def help_url(cls) -> str:
        return docs_url(cls.code)
