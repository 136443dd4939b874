"""The evaluation as JSON (docs/schemas/result.schema.json describes it)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from perfrules.findings import Finding
from perfrules.scoring.result import IndicatorResult, Result, SectionResult

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
            "total_weight": _num(result.total_weight),
            "total": _num(result.total),
            "grade": result.grade,
            "rescaled": result.rescaled,
            "dimensions": [_section(d) for d in result.body if isinstance(d, SectionResult)],
            "indicators": [_indicator(i) for i in result.all_indicators],
            "checks": [{"label": c.label, "left": c.left, "comparator": c.comparator, "right": c.right,
                        "passed": c.passed} for c in result.checks],
            "expect": [{"name": w, "published": p, "computed": c, "equal": e} for w, p, c, e in result.expect],
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


def _section(node: SectionResult) -> dict[str, Any]:
    return {
        "name": node.name,
        "path": list(node.path),
        "kind": node.kind,
        "weight": _num(node.weight),
        "score": _num(node.score),
        "rate": _pct(node.rate),
        "children": [_section(c) for c in node.children if isinstance(c, SectionResult)],
    }


def _indicator(node: IndicatorResult) -> dict[str, Any]:
    return {
        "name": node.name,
        "path": list(node.path),
        "weight": _num(node.weight),
        "kind": node.kind,
        "method": node.method,
        "target": node.target,
        "unit": node.unit,
        "actual": _num(node.actual),
        "actual_text": node.actual_text,
        "completion": _pct(node.completion),
        "score": _num(node.score),
        "status": node.status,
        "met": node.met,
        "reason": node.reason,
        "published_score": _num(node.published),
        "tier": node.tier,
        "line": node.span.line if node.span else None,
    }


def _num(value: Decimal | None) -> float | int | None:
    """A JSON number with the Decimal's digits (values here are already rounded)."""
    if value is None:
        return None
    if value == value.to_integral_value() and abs(value) < 10**15:
        return int(value)
    return float(value)


def _pct(rate: Decimal | None) -> float | None:
    """A ratio as a percentage with two decimals, half up (1.34410 → 134.41)."""
    if rate is None:
        return None
    return float((rate * 100).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))
