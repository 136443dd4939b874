"""The driver: parse → compile → evaluate → check, each stage returning its value and its findings.

    text, findings = read_source(path)        # PR003 when unreadable
    doc, findings  = parse(text)              # PR001/PR002 syntax
    plan, findings = compile_document(doc)    # PR01x names, units
    result         = evaluate(plan, actuals)  # scores, checks, expect
    findings       = run_checks(context)      # the validator's catalogue (PR1xx-PR9xx)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from perfrules.findings import Finding, is_input_error, sort_key
from perfrules.messages import CODES
from perfrules.plan.model import Actual, Plan
from perfrules.scoring.result import Result

if TYPE_CHECKING:
    from perfrules.history.model import History
    from perfrules.syntax.parser import LineCache

# Compile findings that a syntax error elsewhere in the file can cause by itself (messages.Code.cascades).
CASCADES = frozenset(code for code, entry in CODES.items() if entry.cascades)
# Findings about sums and counts, which a dropped line makes wrong, are left out of a partial analysis:
# perfrules.checks.partial_unsafe(), from messages.Code.partial_safe and each check's `partial_safe`.


@dataclass
class Run:
    """What one rule file gave: its plan and result where they could be made, and every finding."""

    file: str
    plan: Plan | None = None
    result: Result | None = None
    findings: list[Finding] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    document: object | None = None  # the file's own AST (perfrules.syntax.ast.Document), before `use`
    # The lines of every file this run read (the rule file and what it `use`s), by path: messages
    # quote these and never open a file again (a plan's spans could name any file).
    sources: dict[str, list[str]] = field(default_factory=dict)
    # Earlier years (`--history PREV...`): rule files, data files or 自评表 spreadsheets, oldest first;
    # check_run reads them with the file's own `history` block into `history` (perfrules.history).
    history_paths: tuple[str, ...] = ()
    history: History | None = None

    @property
    def blocked(self) -> bool:
        """The input is broken: no trustworthy plan (the CLI exits 2)."""
        return self.plan is None or any(is_input_error(f) for f in self.findings)

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=sort_key)


# `eval` fails (exit 1) on the score itself: a failed `expect` or `check` (PR308, PR110), or an error in the input
# (each code's `fails_eval`: messages.Code for PR0xx, the check's class for the rest, perfrules.checks.fails_eval).
# The validator's other findings are shown; `perfrules lint` is the gate for them.


def eval_failed(findings: list[Finding]) -> bool:
    from perfrules.checks import fails_eval

    return any(f.severity.value == "error" and fails_eval(f.code) for f in findings)


def compile_file(path: str | Path) -> Run:
    from perfrules.syntax import read_source

    text, problems = read_source(path)
    if text is None:
        return Run(str(path), findings=problems)
    return compile_text(text, str(path))


def compile_text(text: str, file: str, cache: LineCache | None = None) -> Run:
    """`cache`: the parser's lines from the last time this document was compiled (the language server)."""
    from perfrules.plan.compile import compile_document
    from perfrules.syntax import parse
    from perfrules.syntax.source import lines

    run = Run(file, source=lines(text))
    run.sources[file] = run.source
    doc, syntax_problems = parse(text, file, cache)
    run.document = doc
    run.findings += syntax_problems
    used: dict[str, str] = {}
    roots = configured_roots(file) if any(not u.path.startswith("std/") for u in doc.uses) else ()
    plan, problems = compile_document(doc, roots, used)
    run.sources.update((path, lines(used_text)) for path, used_text in used.items())
    if syntax_problems or any(p.code == "PR016" for p in problems):
        # a dropped line or a framework that could not be used makes names unknown: report what stands on its own
        problems = [p for p in problems if p.code not in CASCADES]
    run.findings += problems
    run.plan = plan
    return run


def configured_roots(file: str) -> tuple[Path, ...]:
    """The folders besides its own that a rule file may `use` from: `roots` in the nearest settings file.

    Settings that cannot be read give none here; `lint` reports them.
    """
    from perfrules.checks.config import ConfigError, find_settings

    try:
        found = find_settings(Path(file))
    except (ConfigError, OSError):
        return ()
    if found is None:
        return ()
    settings, source = found
    roots = settings.get("roots", [])
    if not isinstance(roots, list):
        return ()
    return tuple(Path(source).parent / root for root in roots if isinstance(root, str))


def load_plan_file(path: str | Path) -> Run:
    """A compiled plan read back (`eval --plan`); anything that is not a loadable plan is PR019.plan, never a traceback.

    The file is read within the limits (a regular file of at most MAX_FILE_BYTES), parsed as JSON and
    checked against docs/schemas/plan.schema.json; the first few problems are reported with their
    JSON pointer.
    """
    import json

    from perfrules import limits
    from perfrules.findings import Span
    from perfrules.messages import os_reason
    from perfrules.plan.serialize import PlanFormatError, load_plan

    run = Run(str(path))
    reasons: list[str]
    try:
        raw = limits.read_bytes(path)
        if not raw.strip():
            raise PlanFormatError([(None, "文件是空的：计划文件由 perfrules compile FILE -o plan.json 生成")])
        run.plan = load_plan(json.loads(raw.decode("utf-8-sig")))
    except PlanFormatError as error:
        reasons = [reason if pointer is None else f"{pointer or '顶层'}：{reason}" for pointer, reason in error.problems]
    except limits.LimitError as error:
        reasons = [str(error)]
    except OSError as error:
        reasons = [os_reason(error)]
    except RecursionError:
        reasons = [f"嵌套超过 {limits.MAX_NESTING} 层"]
    except ValueError:  # not UTF-8, not JSON, or an integer of thousands of digits
        reasons = ["不是 JSON：计划文件由 perfrules compile FILE -o plan.json 生成"]
    else:
        return run
    run.findings += [Finding.make("PR019", Span.point(str(path), 1, 1), key="PR019.plan", file=str(path),
                                  reason=reason) for reason in reasons]
    return run


def evaluate_run(run: Run, data: str | Path | None = None, partial: bool = False) -> Run:
    """Score a compiled run (with a data file's actuals when given), unless its input is broken.

    `partial` scores what compiled even when some lines did not (for an editor, never for a report).
    """
    from perfrules.scoring.evaluate import evaluate

    if run.plan is None or (run.blocked and not partial):
        return run
    extra: tuple[Actual, ...] = ()
    if data is not None:
        from perfrules.data.actuals import load_actuals

        extra, problems = load_actuals(data, run.plan)
        run.findings += problems
        if any(is_input_error(f) for f in problems):
            return run
    run.result = evaluate(run.plan, extra)
    run.findings += run.result.findings
    return run


def check_run(run: Run, config: object | None = None, as_of: date | None = None,
              families: frozenset[str] | None = None, partial: bool = False) -> Run:
    """Run the validator's checks on a compiled (and maybe evaluated) run, then its suppressions.

    `config` is a perfrules.checks.config.Config (defaults when None); the ruleset's own `policy`
    block is applied on top of it.
    """
    from perfrules.checks import Context, run_checks
    from perfrules.checks.config import Config, ConfigError, from_policy
    from perfrules.checks.suppress import apply_suppressions

    if run.plan is None or (run.blocked and not partial):
        return run
    base = config if isinstance(config, Config) else Config()
    try:
        settings = from_policy(base, run.plan.policy, f"{run.file} policy")
    except ConfigError as error:
        from perfrules.findings import Span

        span = Span.point(run.file, 1, 1)
        run.findings.append(Finding.make("PR014", span, what="policy", value=str(error), options="见 docs/checks.md"))
        return run
    ctx = Context(run.plan, run.result, settings, as_of, run.source, history=_history(run))
    found = run_checks(ctx)
    if run.blocked:  # partial: what a dropped line cannot have caused
        from perfrules.checks import partial_unsafe

        unsafe = partial_unsafe()
        found = [f for f in found if f.code not in unsafe]
        run.findings = [f for f in run.findings if f.code not in unsafe]
    if families is not None:
        from perfrules.checks import get_check

        found = [f for f in found if (c := get_check(f.code)) is not None and c.family in families]
    findings = [f for f in run.findings + found if settings.enabled(f.code) or is_input_error(f)]
    run.findings = apply_suppressions(findings, run.file, run.source, settings)
    if families is not None:  # a suppression of a check that did not run here is not unused
        run.findings = [f for f in run.findings if f.code != "PR901" or _ran(str(f.arg("which")), families)]
    return run


def _history(run: Run) -> History | None:
    """The run's history (its `--history` files and its `history` block), read once; their input errors join its findings."""
    if run.history is None:
        from perfrules.history import history_for

        run.history, problems = history_for(run)
        run.findings += problems
    return run.history


def _ran(code: str, families: frozenset[str]) -> bool:
    from perfrules.checks import get_check

    check = get_check(code)
    return check is not None and check.family in families


def analyse(path: str | Path, data: str | Path | None = None, config: object | None = None,
            as_of: date | None = None, quiet_missing: bool = False, history: Sequence[str | Path] = ()) -> Run:
    """Everything perfrules knows about one rule file: compile, evaluate, check.

    With `quiet_missing` (lint), a ruleset with no actuals at all (a framework, a plan before the
    year) is not reported as missing every actual; its static checks still run. `history`: earlier
    years for the PR4xx checks (perfrules.history).
    """
    run = evaluate_run(compile_file(path), data)
    run.history_paths = tuple(str(p) for p in history)
    if quiet_missing and data is None and run.plan is not None and not run.plan.actuals:
        run.findings = [f for f in run.findings if f.code != "PR021"]
    return check_run(run, config, as_of)
