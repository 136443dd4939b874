"""The driver: parse → compile → evaluate, each stage returning its value and its findings.

    text, findings = read_source(path)        # PR003 when unreadable
    doc, findings  = parse(text)              # PR001/PR002 syntax
    plan, findings = compile_document(doc)    # PR01x names, units, weights
    result         = evaluate(plan, actuals)  # scores, checks, expect
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from perfrules.findings import Finding, is_input_error, sort_key
from perfrules.plan.model import Actual, Plan
from perfrules.scoring.result import Result


@dataclass
class Run:
    """What one rule file gave: its plan and result where they could be made, and every finding."""

    file: str
    plan: Plan | None = None
    result: Result | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        """The input is broken: no trustworthy plan (the CLI exits 2)."""
        return self.plan is None or any(is_input_error(f) for f in self.findings)

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=sort_key)


def compile_file(path: str | Path) -> Run:
    from perfrules.plan.compile import compile_document
    from perfrules.syntax import parse, read_source

    run = Run(str(path))
    text, problems = read_source(path)
    run.findings += problems
    if text is None:
        return run
    doc, syntax_problems = parse(text, str(path))
    run.findings += syntax_problems
    plan, problems = compile_document(doc)
    if syntax_problems:  # a dropped line makes names unknown and sums wrong: report only what stands alone
        problems = [p for p in problems if p.code not in CASCADES]
    run.findings += problems
    run.plan = plan
    return run


# Compile findings that a syntax error elsewhere in the file can cause by itself.
CASCADES = frozenset({"PR011", "PR012", "PR017", "PR020", "PR103"})


def load_plan_file(path: str | Path) -> Run:
    import json

    from perfrules.findings import Span
    from perfrules.plan.serialize import PlanFormatError, load_plan

    run = Run(str(path))
    try:
        run.plan = load_plan(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, PlanFormatError) as error:
        run.findings.append(Finding.make("PR019", Span.point(str(path), 1, 1), file=str(path), reason=str(error)))
    return run


def evaluate_run(run: Run, data: str | Path | None = None) -> Run:
    """Score a compiled run (with a data file's actuals when given), unless its input is broken."""
    from perfrules.scoring.evaluate import evaluate

    if run.plan is None or run.blocked:
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
