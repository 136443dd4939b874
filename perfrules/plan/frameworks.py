"""`use`: load a standard framework (rulesets/std) or another rule file and merge the project into it.

Sections of the same name at the same level merge (the project adds its indicators to the
framework's groups, and may restate a weight); a fact the framework declares without a value
takes the project's value.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from perfrules import resources
from perfrules.findings import Finding, Span
from perfrules.syntax import ast, parse, read_source

ALIASES = {
    "评价": "evaluation", "部门评价": "evaluation", "财政评价": "evaluation", "external": "evaluation",
    "自评": "self_evaluation", "自评表": "self_evaluation", "self": "self_evaluation",
}


def std_names() -> list[str]:
    return sorted(p.stem for p in resources.std_dir().glob("*.perf"))


def locate(path: str, base_file: str) -> Path:
    if path.startswith("std/"):
        name = path[4:].removesuffix(".perf")
        return resources.std_dir() / f"{ALIASES.get(name, name)}.perf"
    return (Path(base_file).parent / path).resolve()


def apply_uses(doc: ast.Document, findings: list[Finding], seen: tuple[str, ...] = ()) -> ast.Document:
    """The document with every framework it `use`s merged in (frameworks first)."""
    for use in doc.uses:
        target = locate(use.path, doc.file)
        if str(target) in seen:
            findings.append(Finding.make("PR016", use.span, name=use.path, reason="循环引用"))
            continue
        if not target.exists():
            options = "、".join("std/" + n for n in std_names())
            findings.append(Finding.make("PR016", use.span, name=use.path, reason=f"找不到文件，可用：{options}"))
            continue
        text, problems = read_source(target)
        if text is None:
            findings.extend(problems)
            continue
        base, problems = parse(text, str(target))
        findings.extend(problems)
        base = apply_uses(base, findings, (*seen, str(target)))
        if use.path.startswith("std/"):  # point at the `use` line: the user cannot edit a shipped framework
            base = respan(base, use.span)
        doc = merge(base, doc, findings)
    return doc


def respan(node: Any, span: Span) -> Any:
    """`node` with every Span inside it replaced by `span`."""
    if isinstance(node, Span):
        return span
    if isinstance(node, tuple):
        return tuple(respan(item, span) for item in node)
    if is_dataclass(node) and not isinstance(node, type):
        changes = {f.name: respan(getattr(node, f.name), span) for f in fields(node)
                   if f.name != "text"}
        return replace(node, **changes)
    return node


def merge(base: ast.Document, project: ast.Document, findings: list[Finding]) -> ast.Document:
    meta = project.meta if project.meta.span else base.meta
    if project.meta.span and base.meta.span:
        meta = replace(
            project.meta,
            kind=project.meta.kind or base.meta.kind,
            total=project.meta.total if project.meta.total is not None else base.meta.total,
            rounding_places=project.meta.rounding_places if project.meta.rounding_places is not None
            else base.meta.rounding_places,
            rounding_mode=project.meta.rounding_mode or base.meta.rounding_mode,
            tiers=project.meta.tiers or base.meta.tiers,
        )
    return replace(
        project,
        meta=meta,
        grades=project.grades or base.grades,
        grades_span=project.grades_span or base.grades_span,
        facts=_merge_facts(base.facts, project.facts),
        body=_merge_body(base.body, project.body),
        actuals=base.actuals + project.actuals,
        expect=base.expect + project.expect,
        policy=base.policy + project.policy,
        uses=(),
    )


def _merge_facts(base: tuple[ast.Fact, ...], project: tuple[ast.Fact, ...]) -> tuple[ast.Fact, ...]:
    given = {f.name.text for f in project}
    kept = tuple(f for f in base if not (f.expr is None and f.name.text in given))
    return kept + project


def _merge_body(base: tuple[ast.Section | ast.Indicator | ast.Check, ...],
                project: tuple[ast.Section | ast.Indicator | ast.Check, ...]) -> tuple[ast.Section | ast.Indicator | ast.Check, ...]:
    merged = list(base)
    for node in project:
        if isinstance(node, ast.Section):
            match = next((i for i, b in enumerate(merged)
                          if isinstance(b, ast.Section) and b.name.text == node.name.text), None)
            if match is not None:
                old = merged[match]
                assert isinstance(old, ast.Section)
                clauses = node.clauses if node.clauses.weight is not None else old.clauses
                merged[match] = replace(old, clauses=clauses, children=_merge_body(old.children, node.children))
                continue
        merged.append(node)
    return tuple(merged)
