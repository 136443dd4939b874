"""The evaluation as JSON (docs/schemas/result.schema.json describes it)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from perfrules.display import json_number, json_percent, shown
from perfrules.findings import Finding
from perfrules.scoring.result import CheckResult, ExpectResult, IndicatorResult, Result, SectionResult

SCHEMA_VERSION = "perfrules-result/1"


def result_dict(result: Result | None, findings: list[Finding], lang: str = "zh", file: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"format": SCHEMA_VERSION}
    if result is None:
        out.update({"file": file, "ruleset": None, "total": None, "grade": None, "dimensions": [], "indicators": []})
    else:
        out.update({
            "file": result.file,
            "ruleset": result.ruleset,
            "year": result.year,
            "kind": result.kind,
            "total_weight": json_number(result.total_weight),
            "total": json_number(result.total),
            "grade": result.grade,
            "rescaled": result.rescaled,
            "dimensions": [_section(d) for d in result.body if isinstance(d, SectionResult)],
            "indicators": [_indicator(i, lang) for i in result.all_indicators],
            "checks": [_check(c) for c in result.checks],
            "expect": [_expect(e, lang) for e in result.expect],
        })
    out["findings"] = [f.to_dict(lang) for f in findings]
    return out


def render_json(result: Result | None, findings: list[Finding], lang: str = "zh", file: str = "") -> str:
    return dumps(result_dict(result, findings, lang, file))


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def dumps(document: dict[str, Any]) -> str:
    """`document` as JSON laid out at the top: each key on its own line, and each element of a list there
    (a dimension, an indicator, a finding) on a line of its own, written compactly.

    Only json's C encoder runs (an `indent` would take the pure-Python one: a third of `eval --format json`
    on 10,000 indicators); the lines still read well and diff well.
    """
    encode = _COMPACT.encode
    lines = []
    for key, value in document.items():
        head = f"  {encode(key)}: "
        if isinstance(value, list) and value:
            items = ",\n    ".join(encode(item) for item in value)
            lines.append(f"{head}[\n    {items}\n  ]")
        else:
            lines.append(head + encode(value))
    return "{\n" + ",\n".join(lines) + "\n}" if lines else "{}"


def _expect(row: ExpectResult, lang: str) -> dict[str, Any]:
    """An expect row: the published and computed figures as numbers (a grade as its name), as people read them,
    and whether they are equal (null: not compared, as a verbal grade is not)."""
    def value(figure: Decimal | str | None) -> float | int | str | None:
        return figure if figure is None or isinstance(figure, str) else json_number(figure)

    return {"name": row.label(lang), "target": row.target, "published": value(row.published),
            "computed": value(row.computed), "published_text": row.published_text(),
            "computed_text": row.computed_text(lang), "equal": row.equal}


def _check(check: CheckResult) -> dict[str, Any]:
    left, right = check.texts()
    return {"label": check.label, "left": left, "comparator": check.comparator, "right": right, "passed": check.passed}


def _section(node: SectionResult) -> dict[str, Any]:
    return {
        "name": node.name,
        "path": list(node.path),
        "kind": node.kind,
        "weight": json_number(node.weight),
        "score": json_number(node.score),
        "rate": json_percent(node.rate),
        "children": [_section(c) for c in node.children if isinstance(c, SectionResult)],
        **({"weight_inferred": True} if node.weight_inferred else {}),
    }


def _indicator(node: IndicatorResult, lang: str = "zh") -> dict[str, Any]:
    return {
        "name": node.name,
        "path": list(node.path),
        "weight": json_number(node.weight),
        "kind": node.kind,
        "method": node.method,
        "target": shown(node.target, lang),
        "unit": node.unit,
        "actual": json_number(node.actual),
        "actual_text": shown(node.actual_text, lang),
        "completion": json_percent(node.completion, node.rate_places),
        "score": json_number(node.score),
        "status": node.status,
        "met": node.met,
        "reason": node.reason,
        "published_score": json_number(node.published),
        "tier": node.tier,
        "line": node.span.line if node.span else None,
        **_printed(node),
    }


def _printed(node: IndicatorResult) -> dict[str, Any]:
    """What the printed row holds beside its actual (review score, unreadable scores, 执行率, evidence), when given."""
    out: dict[str, Any] = {}
    if node.review is not None:
        out["review_score"] = json_number(node.review)
    if node.published_unreadable:
        out["published_unreadable"] = True
    if node.review_unreadable:
        out["review_unreadable"] = True
    if node.printed_rate_text is not None:
        out["printed_rate"] = node.printed_rate_text
    if node.evidence is not None:
        out["evidence"] = node.evidence
    if node.weight_inferred:
        out["weight_inferred"] = True
    if node.places is not None:
        out["places"] = node.places
    return out

