"""The one driver: every face (cli, batch, audit, the language server, the tests) runs a rule file through here.

    settings       = resolve(file)            # defaults < perfrules.toml / [tool.perfrules] < policy < options
    text, findings = read_source(path)        # PR003 when unreadable
    doc, findings  = parse(text)              # PR001/PR002 syntax
    plan, findings = compile_document(doc)    # PR01x names, units; `use`d frameworks parsed once per process
    result         = evaluate(plan, actuals)  # scores, checks, expect
    findings       = run_checks(context)      # the validator's catalogue (PR1xx-PR9xx), under the settings

The faces call one of

    analyse(path, data, settings, ...)        a rule file (or with plan=True a compiled plan): eval, check, lint,
                                              report, targets, audit of a rule file, a batch's worker
    analyse_text(text, file, ...)             a text in hand: the language server, tests
    analyse_compiled(run, ...)                a text compiled already: the audit of a 自评表 (the importer compiled it)

and each stage is a function of its own below (compile_file, compile_text, load_plan_file, evaluate_run,
check_run), each returning the Run with its findings added.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from perfrules.findings import Finding, Span, is_input_error, sort_key
from perfrules.messages import CODES
from perfrules.plan.model import Actual, Plan
from perfrules.scoring.result import Result

if TYPE_CHECKING:
    from pathlib import Path

    from perfrules.checks.config import Config
    from perfrules.history.model import History
    from perfrules.settings import Settings
    from perfrules.syntax.ast import Document, Lost
    from perfrules.syntax.parser import LineCache

# Compile findings that a syntax error elsewhere in the file can cause by itself (messages.Code.cascades).
CASCADES = frozenset(code for code, entry in CODES.items() if entry.cascades)
# Findings about sums and counts, which a dropped line makes wrong, are left out of a partial analysis:
# perfrules.checks.partial_unsafe(), from messages.Code.partial_safe and each check's `partial_safe`.


@dataclass(eq=False)  # a run is itself, not equal to another with the same contents (and cheaper to define)
class Run:
    """What one rule file gave: its plan and result where they could be made, and every finding."""

    file: str
    plan: Plan | None = None
    result: Result | None = None
    findings: list[Finding] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    document: Document | None = None  # the file's own AST, before `use`
    # The lines of every file this run read (the rule file and what it `use`s), by path: messages
    # quote these and never open a file again (a plan's spans could name any file).
    sources: dict[str, list[str]] = field(default_factory=dict)
    # Earlier years (`--history PREV...`): rule files, data files or 自评表 spreadsheets, oldest first;
    # check_run reads them with the file's own `history` block into `history` (perfrules.history).
    history_paths: tuple[str, ...] = ()
    history: History | None = None
    # The settings the checks ran under (settings file, policy, options), once check_run has run.
    config: Config | None = None
    # What the stages made of this document the last time (LineCache.later; the language server): compile and
    # evaluate take again what did not change.
    memo: dict[str, object] | None = None

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


# ---------------------------------------------------------------- the faces' entries


def analyse(path: str | Path, data: str | Path | None = None, settings: Settings | Config | None = None,
            as_of: date | None = None, quiet_missing: bool = False, history: Sequence[str | Path] = (),
            families: frozenset[str] | None = None, evaluate: bool = True, plan: bool = False) -> Run:
    """Everything perfrules knows about one rule file: compile, evaluate, check, under its settings.

    `settings`: as the command line resolved them (perfrules.settings.resolve); None finds the rule
    file's own. With `quiet_missing` (lint), a ruleset with no actuals at all (a framework, a plan
    before the year) is not reported as missing every actual; its static checks still run. `history`:
    earlier years for the PR4xx checks (perfrules.history). `families`: only these checks (`check`:
    the static ones), and `evaluate=False` does not score. `plan`: `path` is a compiled plan (`eval --plan`).
    """
    run = load_plan_file(path) if plan else compile_file(path)
    if evaluate:
        run = evaluate_run(run, data)
    run.history_paths = tuple(str(p) for p in history)
    if quiet_missing and data is None and run.plan is not None and not run.plan.actuals:
        run.findings = [f for f in run.findings if f.code != "PR021"]
    return check_run(run, settings, as_of, families)


class Stopped(Exception):
    """An analysis given up between two stages because its text is no longer the document's (`analyse_text`'s
    `stop`): what the stages before made is kept in the document's memo for the next analysis."""


def analyse_text(text: str, file: str, cache: LineCache | None = None, settings: Settings | Config | None = None,
                 partial: bool = False, cascades: bool = False, stop: Callable[[], bool] | None = None) -> Run:
    """`analyse` for a text in hand (`file` names it: its settings are found from there).

    `cache`: the parser's lines from the last analysis of this document (the language server).
    `partial` scores and checks what compiled even when some lines did not (an editor, never a
    report). `cascades` also keeps what a broken line elsewhere may have caused, and runs every stage
    whatever the earlier ones found (the tests' view: every finding of every stage). `stop`: asked
    between two stages; when it says so the analysis raises Stopped (the language server: a newer
    change came in, whose own analysis is due).
    """
    run = compile_text(text, file, cache, cascades=cascades)
    if stop is not None and stop():
        raise Stopped
    if stop is None:
        return analyse_compiled(run, None, settings, partial, cascades)
    run = evaluate_run(run, None, partial=partial or cascades)
    if stop():
        raise Stopped
    return check_run(run, settings, partial=partial or cascades, cascades=cascades)


def analyse_compiled(run: Run, data: str | Path | None = None, settings: Settings | Config | None = None,
                     partial: bool = False, cascades: bool = False) -> Run:
    """The rest of `analyse_text` for a text someone compiled already (the importer, to prove its output compiles)."""
    run = evaluate_run(run, data, partial=partial or cascades)
    return check_run(run, settings, partial=partial or cascades, cascades=cascades)


# ---------------------------------------------------------------- the stages


def compile_file(path: str | Path) -> Run:
    from perfrules.syntax import read_source

    text, problems = read_source(path)
    if text is None:
        return Run(str(path), findings=problems)
    return compile_text(text, str(path))


def compile_text(text: str, file: str, cache: LineCache | None = None, cascades: bool = False) -> Run:
    """`cache`: the parser's lines from the last time this document was compiled (the language server).

    `cascades` keeps the compile findings that a syntax error elsewhere can cause by itself.
    """
    from perfrules.plan.compile import compile_document
    from perfrules.settings import configured_roots
    from perfrules.syntax import parse
    from perfrules.syntax.source import lines

    run = Run(file, source=lines(text), memo=cache.later if cache is not None else None)
    run.sources[file] = run.source
    doc, syntax_problems = parse(text, file, cache)
    run.document = doc
    run.findings += syntax_problems
    used: dict[str, str] = {}
    roots = configured_roots(file) if any(not u.path.startswith("std/") for u in doc.uses) else ()
    plan, problems = compile_document(doc, roots, used, cache.later if cache is not None else None)
    run.sources.update((path, lines(used_text)) for path, used_text in used.items())
    if not cascades and any(p.code == "PR016" for p in problems):
        # a framework that could not be used makes any name unknown: report what stands on its own
        problems = [p for p in problems if p.code not in CASCADES]
    elif not cascades and doc.lost:  # only what a line that did not parse can have caused
        problems = [p for p in problems if not caused_by_lost(p, doc.lost)]
    run.findings += problems
    run.plan = plan
    return run


def load_plan_file(path: str | Path) -> Run:
    """A compiled plan read back (`eval --plan`); anything that is not a loadable plan is PR019.plan, never a traceback.

    The file is read within the limits (a regular file of at most MAX_FILE_BYTES), parsed as JSON and
    checked against docs/schemas/plan.schema.json; the first few problems are reported with their
    JSON pointer.
    """
    import json

    from perfrules import limits
    from perfrules.messages import Said, os_reason
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
        reasons = [Said(str(error), error.en)]
    except OSError as error:
        reasons = [os_reason(error)]
    except RecursionError:
        reasons = [Said(f"嵌套超过 {limits.MAX_NESTING} 层", f"nested deeper than {limits.MAX_NESTING} levels")]
    except ValueError:  # not UTF-8, not JSON, or an integer of thousands of digits
        reasons = [Said("不是 JSON：计划文件由 perfrules compile FILE -o plan.json 生成",
                        "not JSON: a plan file is made by perfrules compile FILE -o plan.json")]
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
    run.result = evaluate(run.plan, extra, run.memo)
    run.findings += run.result.findings
    return run


def check_run(run: Run, settings: Settings | Config | None = None, as_of: date | None = None,
              families: frozenset[str] | None = None, partial: bool = False, cascades: bool = False) -> Run:
    """Run the validator's checks on a compiled (and maybe evaluated) run, then its suppressions.

    `settings`: as resolved by the face (perfrules.settings.resolve), or a Config standing for the
    settings file; None finds the rule file's own. The ruleset's `policy` block goes on top of the
    settings file and under the command line's options. `cascades` keeps the findings a dropped line
    can cause in a partial run. Every stage's findings located in a file the rule file `use`s (not std/)
    are given the `use` line they came through (Finding.via).
    """
    run = _check_run(run, settings, as_of, families, partial, cascades)
    others = {f.span.file for f in run.findings if f.span is not None and f.span.file != run.file}
    if others and run.document is not None and (others & run.sources.keys()):
        from dataclasses import replace

        from perfrules.plan.frameworks import reached
        from perfrules.settings import configured_roots

        lines = reached(run.document, configured_roots(run.file))
        run.findings = [replace(f, via=lines[f.span.file]) if f.span is not None and f.span.file in lines else f
                        for f in run.findings]
    return run


def _check_run(run: Run, settings: Settings | Config | None, as_of: date | None, families: frozenset[str] | None,
               partial: bool, cascades: bool) -> Run:
    from perfrules.checks import Context, needs_actuals, run_checks, scored
    from perfrules.checks.config import ConfigError

    if run.plan is None or (run.blocked and not partial):
        return run
    try:
        layers = _settings(run.file, settings)
    except (ConfigError, OSError) as error:
        from perfrules.settings import settings_finding

        run.findings.append(settings_finding(error, run.file))
        return run
    try:
        config = layers.config(run.plan.policy, f"{run.file} policy")
    except ConfigError as error:  # each at the policy line it is about, as the block writes the key
        items = run.document.policy if run.document is not None else ()
        said = []
        for each in (error, *error.more):
            item = next((p for p in items if each.key in (p.key.text, p.key.text.upper(), p.key.text.replace("_", "-"))),
                        None)
            span = item.key.span if item is not None else items[0].span if items else Span.point(run.file, 1, 1)
            said.append(Finding.make("PR014", span, key="PR014.policy", hint="PR014.policy", reason=each.said()))
        run.findings += sorted(said, key=sort_key)  # in the order the block writes them
        return run
    run.config = config
    ctx = Context(run.plan, run.result, config, as_of, run.source, history=_history(run), memo=run.memo)
    found = run_checks(ctx, families)
    if run.blocked and not cascades:  # partial: what a dropped line cannot have caused
        from perfrules.checks import partial_unsafe

        unsafe = partial_unsafe()
        # kept when the input's only errors are lines that did not parse, and none of them can have caused it
        lost = run.document.lost if run.document is not None else ()
        if any(is_input_error(f) and f.code not in ("PR001", "PR002") for f in run.findings):
            lost = ()
        found = [f for f in found if f.code not in unsafe or (lost and not caused_by_lost(f, lost))]
        run.findings = [f for f in run.findings if f.code not in unsafe or (lost and not caused_by_lost(f, lost))]
    if families is not None:
        from perfrules.checks import get_check

        found = [f for f in found if (c := get_check(f.code)) is not None and c.family in families]
    from perfrules.checks.suppress import apply_suppressions

    findings = [f for f in run.findings + found if config.enabled(f.code) or is_input_error(f)]
    run.findings = apply_suppressions(findings, run.file, run.source, config)
    for path, lines in run.sources.items():  # a used file's own noqa comments hold for the findings located in it
        if path != run.file and any(f.span is not None and f.span.file == path for f in run.findings):
            run.findings = apply_suppressions(run.findings, path, lines, config, own=False)
    if families is not None:  # a suppression of a check that did not run here is not unused
        run.findings = [f for f in run.findings if f.code != "PR901" or _ran(str(f.arg("which")), families)]
    if not scored(ctx):  # nor one of what only actuals can cause, in a file without them (a framework `use`d)
        run.findings = [f for f in run.findings if f.code != "PR901" or not needs_actuals(str(f.arg("which")))]
    return run


# ---------------------------------------------------------------- what a line that did not parse can cause

# The blocks whose lines define names (indicators, sections, facts) and the one whose lines give actuals.
_DEFINING = frozenset({"top", "dimension", "group", "facts"})


def caused_by_lost(finding: Finding, lost: Sequence[Lost]) -> bool:
    """Whether a line that did not parse (`lost`, from the parser) can have caused `finding` by itself.

    A name unknown to a formula, a check, an expect item (PR011) or the actuals (PR020) is, when a lost line
    would have defined it (or a lost line's name cannot be told); a ruleset with no indicator (PR017.empty)
    is; a weights' sum (PR103) is
    for a section holding a lost line, and the total's for any lost line among the indicators; the other sums
    and counts (each check's `partial_safe`, and a missing actual, PR021) are taken as caused. Everything else
    stands on its own: a line that parsed says it.
    """
    code = finding.code
    if code in ("PR011", "PR020"):
        return _defined_by_lost(str(finding.arg("name")), [item for item in lost if item.block in _DEFINING])
    if code == "PR017":
        return finding.key == "PR017.empty"
    if code == "PR103":
        body = [item for item in lost if item.block in ("top", "dimension", "group")]
        if finding.key == "PR103.total":
            return bool(body)
        span = finding.span
        return span is None or any(span.line <= item.lines[0] and item.lines[1] <= span.end_line for item in body)
    if code == "PR012":  # a line that did not parse defines nothing, so it makes no name ambiguous
        return False
    return code in CASCADES or not _partial_safe(code)


def _defined_by_lost(name: str, lost: Sequence[Lost]) -> bool:
    from perfrules.plan.model import split_key

    last = split_key(name)[-1] if name else name
    return any(item.wild or name in item.names or last in item.names
               or any(part in item.names for part in split_key(name)) for item in lost)


def _partial_safe(code: str) -> bool:
    from perfrules.checks import partial_unsafe

    return code not in partial_unsafe()


# ---------------------------------------------------------------- helpers


def _settings(file: str, settings: Settings | Config | None) -> Settings:
    """The settings' layers: as given, a Config as the settings-file layer, or the rule file's own."""
    from perfrules.checks.config import Config
    from perfrules.settings import Settings, resolve

    if isinstance(settings, Settings):
        return settings
    if isinstance(settings, Config):
        return Settings(settings)
    return resolve(file)


def _history(run: Run) -> History | None:
    """The run's history (its `--history` files and its `history` block), read once; their input errors join its findings."""
    if run.history is None:
        if run.plan is None or not (run.history_paths or (run.document is not None and run.document.history)):
            return None  # neither `--history` nor a `history` block (history_for says the same, after an import)
        from perfrules.history import history_for

        run.history, problems = history_for(run)
        run.findings += problems
    return run.history


def _ran(code: str, families: frozenset[str]) -> bool:
    from perfrules.checks import get_check

    check = get_check(code)
    return check is not None and check.family in families
