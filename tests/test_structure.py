"""The package's shape: imports go toward earlier stages, no private name crosses a module, one home for the budget."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import load

PACKAGE = Path(__file__).resolve().parent.parent / "perfrules"

# Each module's stage (the longest matching prefix wins); a module may import only its own or an earlier stage.
STAGES: list[tuple[str, int]] = [
    *((name, 0) for name in ("limits", "gcpause", "resources", "records", "vocabulary", "outputs", "cache")),
    ("messages", 1), ("findings", 1),
    ("syntax", 2),
    ("plan", 3),
    ("display", 4),
    ("scoring", 5),
    ("data", 6),
    *((f"history.{name}", 7) for name in ("model", "match", "build", "suggest")),  # what the PR4xx checks read
    ("checks", 8),
    ("settings", 9),
    ("render", 10),
    ("report", 11),
    ("pipeline", 12),
    ("history", 13),  # reading earlier years compiles and scores their files through the driver
    ("data.importer", 13), ("data.selfeval", 13),  # a 自评表 becomes a rule file that must compile
    *((name, 14) for name in ("audit", "batch", "fixes", "fmt")),
    *((name, 15) for name in ("lsp", "cli", "__main__", "")),
]
# The two imports against the direction, each made at call time and kept on purpose:
ALLOWED = {
    # a PR1xx-PR9xx finding's message lives in its check's file; the catalogue imports that one module when shown
    ("perfrules.messages", "perfrules.checks"),
    # the driver reads a run's earlier years (--history, the history block), which it compiles and scores itself
    ("perfrules.pipeline", "perfrules.history"),
}


def _stage(module: str) -> int:
    name = module.removeprefix("perfrules").removeprefix(".")
    matches = [(len(prefix), stage) for prefix, stage in STAGES
               if prefix == "" or name == prefix or name.startswith(prefix + ".")]
    return max(matches)[1]


def _modules() -> list[tuple[str, ast.Module]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out.append((module, ast.parse(path.read_text(encoding="utf-8"))))
    return out


def _imports(tree: ast.Module) -> list[tuple[str, list[str], int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("perfrules"):
            found.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("perfrules")]
    return found


def test_every_module_has_a_stage() -> None:
    assert all(isinstance(_stage(module), int) for module, _tree in _modules())
    assert _stage("perfrules.history.model") < _stage("perfrules.checks.registry") < _stage("perfrules.history.load")
    assert _stage("perfrules.data.actuals") < _stage("perfrules.pipeline") < _stage("perfrules.data.importer")


def test_imports_go_toward_earlier_stages() -> None:
    against = []
    for module, tree in _modules():
        for target, names, line in _imports(tree):
            targets = [f"{target}.{n}" for n in names] if target == "perfrules" else [target]
            for imported in targets:
                if imported == "perfrules.__version__":
                    continue
                if _stage(imported) > _stage(module) and (module, imported) not in ALLOWED:
                    against.append(f"{module}:{line} imports {imported}")
    assert against == []


def test_the_allowed_exceptions_are_still_needed() -> None:
    """An exception no module needs any more is deleted from ALLOWED, so the list stays the truth."""
    seen = {(module, target) for module, tree in _modules() for target, _names, _line in _imports(tree)}
    assert seen >= ALLOWED


def test_no_private_name_crosses_a_module() -> None:
    crossing = []
    for module, tree in _modules():
        for target, names, line in _imports(tree):
            crossing += [f"{module}:{line} {target}.{n}" for n in names if n.startswith("_") and not n.startswith("__")]
    assert crossing == []


def test_a_later_stage_import_is_caught() -> None:
    """The direction test can fail: scoring importing render would be reported."""
    tree = ast.parse("from perfrules.render.text import table\n")
    ((target, _names, _line),) = _imports(tree)
    assert _stage(target) > _stage("perfrules.scoring.evaluate")


@pytest.mark.parametrize(("facts", "budget"), [
    ("全年预算数 = 662.77 万元\n  年初预算数 = 600 万元", "6627700"),
    ("年初预算数 = 600 万元\n  调整后预算数 = 650 万元", "6500000"),
    ("预算数 = 120 万元", "1200000"),
    ("到位资金 = 80 万元", None),
    ("受益人数 = 100 人", None),
])
def test_the_budget_has_one_home(facts: str, budget: str | None) -> None:
    """Reports, PR107 and the history (PR403) read the run's budget from perfrules.scoring.budget alone."""
    from perfrules.scoring.budget import budget_of

    loaded = load(f"facts {{\n  {facts}\n}}\n培训人数 >= 10 人 weight 100\nactuals {{\n  培训人数 = 10 人\n}}\n")
    assert loaded.plan is not None and loaded.result is not None
    found = budget_of(loaded.plan, loaded.result)
    assert (None if found is None else found[1]) == (None if budget is None else Decimal(budget))
    words = [path for path in PACKAGE.rglob("*.py") if "BUDGET_WORDS =" in path.read_text(encoding="utf-8")]
    assert [p.relative_to(PACKAGE).as_posix() for p in words] == ["scoring/budget.py"]
