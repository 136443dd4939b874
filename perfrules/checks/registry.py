"""The check registry: every check once, and everything about it in its own file.

A check is a class in `perfrules/checks/<family>/PRxxx.py` (the module is named by the code) that
declares, as class attributes, the whole check:

    code = "PR201"                     # PR1xx static, PR2xx results, PR3xx audit, PR4xx history, PR9xx meta
    severity = Severity.WARNING        # its default severity
    title = "超额完成，目标可能偏低"       # Chinese, then English
    title_en = "over-completion: target probably set too low"
    messages = {"PR201": ("{name} 完成率 {rate}…", "{name} completed {rate}…"),     # key -> (zh, en)
                "PR201.loose": (…, …)}                                            # a variant: CODE.word
    hints = {"PR201": ("调高下一年度的目标…", "raise next year's target…")}        # shown under a finding
    settings = (Setting("over-completion-info", "120%", "percent", "…（PR201 info）", "…"),)
    needs_result = True                # runs only on a ruleset with actuals
    fails_eval = False                 # an error of it fails `perfrules eval` (exit 1), as PR110 and PR308 do
    partial_safe = True                # False: a dropped line can cause it, so a partial analysis leaves it out

Its docstring explains why it matters and carries an anti-pattern and a best-practice example (fenced
`perf` blocks). A class that lacks any of these, or declares a malformed one, is refused when it is
defined (TypeError). The docs page, `perfrules rule CODE`, the settings schema (perfrules.checks.config),
the pipeline's flags and every message and hint of a PR1xx-PR9xx finding are read from here;
perfrules.messages keeps only the language's own codes (PR0xx).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from perfrules.cache import compile_pattern
from perfrules.checks.config import Config, Setting
from perfrules.findings import Finding, Severity, Span
from perfrules.plan.model import Plan, Section
from perfrules.scoring.result import IndicatorResult, Result, SectionResult

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


def family_of(code: str) -> str | None:
    """The family (package under perfrules/checks/) of a check code: `PR201` is in results."""
    return next((f for f, (prefix, *_rest) in FAMILIES.items() if code.startswith(prefix)), None)


VARIANT = compile_pattern(r"[a-z_]+")  # PR201.loose, PR401.last_reverse
EXAMPLE = compile_pattern(r"\*\*(?P<label>[^*]+)\*\*\s*\n+```perf\n(?P<code>.*?)\n```", re.S)
LABEL = compile_pattern(r"\*\*(?P<label>[^*]+)\*\*\s*\n[ \t]*```perf\n.*?\n[ \t]*```", re.S)  # EXAMPLE, indented


@dataclass(eq=False)  # a check's context is itself (and cheaper to define without __eq__)
class Context:
    """What a check may look at: the plan, the result (when actuals exist), settings, the source."""

    plan: Plan
    result: Result | None
    config: Config
    as_of: date | None = None
    source: list[str] = field(default_factory=list)
    history: History | None = None  # earlier years, when given (--history or a history block)
    # What the checks kept from their last run on the same document (the language server's LineCache.later):
    # see kept() and keep(). None: nothing is kept (every command but the language server).
    memo: dict[str, object] | None = field(default=None, repr=False, compare=False)

    def kept(self, code: str, settings: object) -> dict[int, Any]:
        """What check `code` kept (`keep`) from its last run on this document, if it ran under the same `settings`
        (what it read from the configuration); {} when nothing was kept. A check takes an entry again only when
        everything the entry was made from is the same object again."""
        found = self.memo.get(f"check:{code}") if self.memo is not None else None
        if isinstance(found, tuple) and found[0] == settings:
            return found[1]  # type: ignore[no-any-return]
        return {}

    def keep(self, code: str, settings: object, entries: dict[int, Any]) -> None:
        if self.memo is not None:
            self.memo[f"check:{code}"] = (settings, entries)

    def by_row(self, code: str, settings: object, body: tuple[Any, ...],
               row: Callable[[Any], Iterable[Finding]]) -> list[Finding]:
        """The findings `row` gives for each row under `body` (the plan's, or the result's), in the order written,
        for a check whose finding on a row depends on that row alone (and on `settings`, what the check read from
        the configuration). A section that is the same object as in the last run on this document (compile and
        evaluate hand back what did not change) gives the findings it gave then, without a look inside."""
        memo = self.memo
        kept = self.kept(code, settings)
        if memo is not None and len(kept) > 4 * len(self.plan.all_sections) + 64:
            kept = {}  # sections of earlier versions pile up: start again
        out = _rows(body, kept, row)
        self.keep(code, settings, kept)
        return out

    def scored(self) -> list[IndicatorResult]:
        """The rows that were scored (a fresh list of Result.scored, made once for all the checks that ask)."""
        return list(self.result.scored) if self.result else []


def _rows(nodes: tuple[Any, ...], kept: dict[int, Any], row: Callable[[Any], Iterable[Finding]]) -> list[Finding]:
    out: list[Finding] = []
    for node in nodes:
        if type(node) is Section or type(node) is SectionResult:
            entry = kept.get(id(node))
            if entry is None or entry[0] is not node:
                entry = kept[id(node)] = (node, tuple(_rows(node.children, kept, row)))
            out += entry[1]
        else:
            out += row(node)
    return out


class Check:
    code: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]  # Chinese
    title_en: ClassVar[str]
    messages: ClassVar[Mapping[str, tuple[str, str]]]  # "PR201" / "PR201.loose" -> (Chinese, English) template
    hints: ClassVar[Mapping[str, tuple[str, str]]] = {}  # the same keys -> the hint shown under the message
    settings: ClassVar[tuple[Setting, ...]] = ()  # the thresholds it reads (config.threshold(name))
    needs_result: ClassVar[bool] = False  # runs only when the ruleset has actuals
    fails_eval: ClassVar[bool] = False  # an error of it fails `perfrules eval`, as a failed expect does
    partial_safe: ClassVar[bool] = True  # False: a line dropped by a syntax error can cause it (sums, counts)
    reads_scores: ClassVar[bool] = False  # True: it checks the published `score`/`review` (a baseline keeps them)
    family: ClassVar[str]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not re.fullmatch(r"PR\d{3}", getattr(cls, "code", "")):
            raise TypeError(f"{cls.__name__}: code must look like PR201")
        family = family_of(cls.code)
        if family is None:
            raise TypeError(f"{cls.code}: no family for this code")
        cls.family = family
        if not isinstance(getattr(cls, "severity", None), Severity) or not cls.title or not cls.title_en:
            raise TypeError(f"{cls.code}: severity, title and title_en are required")
        labels = [m["label"] for m in LABEL.finditer(cls.__doc__ or "")]  # the raw docstring: cleandoc costs time
        if len(labels) != 2 or "反例" not in labels[0] or "正例" not in labels[1]:
            raise TypeError(f"{cls.code}: the docstring needs a **反例 Anti-pattern** and a **正例 Best practice** example")
        _refuse_bad_texts(cls)
        if not isinstance(cls.settings, tuple) or not all(isinstance(s, Setting) for s in cls.settings):
            raise TypeError(f"{cls.code}: settings must be a tuple of Setting(name, default, kind, zh, en)")

    def run(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    # ------------------------------------------------------------ helpers for subclasses

    def finding(self, ctx: Context, span: Span | None, *, key: str = "", severity: Severity | None = None,
                **args: Any) -> Finding:
        """A finding of this check (its message `key`, by default the code), at the severity the settings give."""
        chosen = ctx.config.severity_for(self.code, severity or self.severity)
        key = key or self.code
        hint = key if key in self.hints else self.code if self.code in self.hints else ""
        return Finding.make(self.code, span, severity=chosen, key=key, hint=hint, **args)

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


def _refuse_bad_texts(cls: type[Check]) -> None:
    """A check's messages and hints: keyed by its code or `CODE.variant`, a Chinese and an English template each."""
    messages = cls.__dict__.get("messages")
    if not isinstance(messages, dict) or not messages:
        raise TypeError(f"{cls.code}: messages are required: {{\"{cls.code}\": (\"中文…\", \"English…\")}}")
    code, variant, blank = cls.code, cls.code + ".", _Blank()
    for table, texts in (("messages", messages), ("hints", cls.hints)):
        if not isinstance(texts, dict):
            raise TypeError(f"{code}: {table} must be a dict of key -> (Chinese, English)")
        for key, pair in texts.items():
            if key != code and not (key[:6] == variant and VARIANT.fullmatch(key, 6)):
                raise TypeError(f"{code}: {table} key {key!r} must be {code} or {code}.variant")
            if not (type(pair) is tuple and len(pair) == 2 and type(pair[0]) is str and type(pair[1]) is str
                    and pair[0] and pair[1]):
                raise TypeError(f"{code}: {table}[{key!r}] must be a (Chinese, English) pair of texts")
            try:
                pair[0].format_map(blank), pair[1].format_map(blank)
            except (ValueError, IndexError, AttributeError) as error:
                raise TypeError(f"{code}: {table}[{key!r}] is not a template: {error}") from error
    stray = [key for key in cls.hints if key != cls.code and key not in messages]
    if stray:
        raise TypeError(f"{cls.code}: hints {stray} have no message of the same key")


class _Blank(dict[str, str]):
    """Every field of a template filled with nothing: formatting with it finds unbalanced braces."""

    def __missing__(self, key: str) -> str:
        return ""
