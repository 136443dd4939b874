"""Read actuals from a JSON or YAML data file.

The file is an object mapping an indicator's name (or its path joined by `/`), or a fact's
name, to a value: a number (`80646`), text as a rule file writes it (`"80646 人"`, `"95%"`,
`"达成 90%"`, `"不适用"`), or an object with `value`, `unit`, `reason` and `score`.
Every problem is a located finding; nothing in the file is silently ignored.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from perfrules.findings import Finding, Span
from perfrules.plan.model import Actual, Plan
from perfrules.plan.names import Index
from perfrules.syntax.ast import ActualValue, Quantity

FIELDS = {"value", "unit", "reason", "score"}


def load_actuals(path: str | Path, plan: Plan) -> tuple[tuple[Actual, ...], list[Finding]]:
    file = str(path)
    findings: list[Finding] = []
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "不是 UTF-8 文本"
        return (), [Finding.make("PR019", Span.point(file, 1, 1), file=file, reason=reason)]
    data, problem = _decode(text, file)
    if problem:
        return (), [problem]
    if not isinstance(data, dict):
        return (), [Finding.make("PR019", Span.point(file, 1, 1), file=file,
                                 reason="顶层须是「指标名称: 实际值」的对象（映射）")]
    index = Index.of_plan(plan)
    lines = text.splitlines()
    actuals = []
    for name, raw in data.items():
        span = _locate(lines, file, str(name))
        value, reason, score = _value(str(name), raw, file, span, findings)
        if value is None:  # a problem already reported, or null: no actual yet (reported when scored)
            continue
        actual = _resolve(index, str(name), value, reason, score, span, findings)
        if actual is not None:
            actuals.append(actual)
    return tuple(actuals), findings


def _resolve(index: Index, name: str, value: ActualValue, reason: str | None, score: Decimal | None, span: Span,
             findings: list[Finding]) -> Actual | None:
    from perfrules.plan.actuals import resolve

    return resolve(index, name, span, value, reason, score, span, findings)


def _decode(text: str, file: str) -> tuple[Any, Finding | None]:
    if file.endswith((".yaml", ".yml")):
        import yaml

        try:
            return yaml.safe_load(text) or {}, None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            reason = f"YAML 格式错误：{getattr(error, 'problem', None) or error}"
            return None, Finding.make("PR019", Span.point(file, line, column), file=file, reason=reason)
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal), None
    except json.JSONDecodeError as error:
        return None, Finding.make("PR019", Span.point(file, error.lineno, error.colno), file=file,
                                  reason=f"JSON 格式错误：{error.msg}")


def _locate(lines: list[str], file: str, name: str) -> Span:
    """The line and column where `name` is written as a key (best effort: the first match)."""
    pattern = re.compile(r"""(["']?)""" + re.escape(name) + r"""\1\s*:""")
    for number, line in enumerate(lines, start=1):
        match = pattern.search(line)
        if match:
            return Span(file, number, match.start() + 1, number, match.end())
    return Span.point(file, 1, 1)


def _value(name: str, raw: Any, file: str, span: Span,
           findings: list[Finding]) -> tuple[ActualValue | None, str | None, Decimal | None]:
    pointer = "/" + name.replace("~", "~0").replace("/", "~1")
    reason = score = None
    unit = None
    if isinstance(raw, dict):
        unknown = set(raw) - FIELDS
        if unknown or "value" not in raw:
            problem = f"{pointer}：对象须有 value，可有 unit、reason、score" + (
                f"（不认识：{'、'.join(sorted(map(str, unknown)))}）" if unknown else "")
            findings.append(Finding.make("PR019", span, file=file, reason=problem))
            return None, None, None
        reason = raw.get("reason")
        unit = raw.get("unit")
        if raw.get("score") is not None:
            score = _decimal(raw["score"])
            if score is None:
                findings.append(Finding.make("PR019", span, file=file, reason=f"{pointer}/score 须是数字"))
                return None, None, None
        if (reason is not None and not isinstance(reason, str)) or (unit is not None and not isinstance(unit, str)):
            findings.append(Finding.make("PR019", span, file=file, reason=f"{pointer}：reason 与 unit 须是文字"))
            return None, None, None
        raw = raw["value"]
    if raw is None:
        return None, reason, score
    if isinstance(raw, bool):
        findings.append(Finding.make("PR019", span, file=file, reason=f"{pointer}：实际值不能是 true/false"))
        return None, None, None
    number = _decimal(raw) if not isinstance(raw, str) else None
    if number is not None:
        return ActualValue("quantity", quantity=Quantity(number, unit, span), span=span), reason, score
    if isinstance(raw, str):
        text = f"{raw} {unit}" if unit else raw
        from perfrules.syntax import parse_value

        value, _problems = parse_value(text, file, span.line)  # reported below, pointing at the key
        if value is None:
            findings.append(Finding.make("PR018", span, key="PR018.value", name=name, value=f"「{raw}」"))
            return None, None, None
        return _relocate(value, span), reason, score
    findings.append(Finding.make("PR019", span, file=file, reason=f"{pointer}：无法理解的值 {raw!r}"))
    return None, None, None


def _relocate(value: ActualValue, span: Span) -> ActualValue:
    """A value parsed from a data string points at its key in the data file."""
    from dataclasses import replace

    quantity = replace(value.quantity, span=span) if value.quantity else None
    return replace(value, quantity=quantity, span=span)


def _decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    try:
        number = raw if isinstance(raw, Decimal) else Decimal(str(raw))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
