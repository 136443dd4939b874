"""History: earlier years' targets and actuals of a ruleset, matched to its current indicators.

    run = pipeline.evaluate_run(pipeline.compile_file(path))
    run.history_paths = ("2022.perf", "2023-自评表.xlsx")
    history, findings = history_for(run)      # also reads the file's own `history` block
    suggested(series, years=3, margin=0)      # the suggested target of one indicator

The checks PR4xx (perfrules/checks/history) read `Context.history`; `perfrules targets` prints the
series and the suggestions. See docs/history.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from perfrules.findings import Finding
from perfrules.history.build import build
from perfrules.history.load import block_years, load_years
from perfrules.history.match import normalise
from perfrules.history.model import History, Past, Point, Series, Year
from perfrules.history.suggest import suggested

if TYPE_CHECKING:
    from perfrules.pipeline import Run

__all__ = ["History", "Past", "Point", "Series", "Year", "build", "history_for", "normalise", "suggested"]


def history_for(run: Run) -> tuple[History | None, list[Finding]]:
    """The history of a compiled (and maybe evaluated) run: its `--history` files and its own block.

    None when there is neither; the findings are the input errors of the earlier files.
    """
    if run.plan is None:
        return None, []
    items = run.document.history if run.document is not None else ()
    paths = run.history_paths
    if not items and not paths:
        return None, []
    years, findings = load_years(paths, run.plan)
    years = block_years(items, run.file) + years
    return build(run.plan, run.result, years), findings
