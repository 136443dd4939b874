"""The JSON Schema of a ruleset's actuals (`perfrules schema FILE`), and validation of data files with it.

Each indicator and fact is a property named as written in the rule file (an ambiguous name
only by its path); its value is a number, a text as a rule file writes it, or an object with
`value`, `unit`, `reason`, `score` and what else the printed row holds: `review` (复核分), `rate` (执行率),
`evidence` (佐证).
"""

from __future__ import annotations

import re
from typing import Any

from perfrules import vocabulary
from perfrules.plan.model import Plan
from perfrules.plan.names import Index


def _written(char: str) -> str:
    """`char` and the full-width forms of it a person may type (％ for %)."""
    return char + "".join(wide for wide, meant in vocabulary.FULL_WIDTH.items() if meant == char)


_DIGITS = "0-9" + min(vocabulary.FULL_WIDTH_DIGITS) + "-" + max(vocabulary.FULL_WIDTH_DIGITS)  # 0-9０-９
# The text of a qualitative actual: a tier word (vocabulary.TIERS, or as the national form writes it) and a rate.
TIER = (r"^\s*(" + "|".join([*vocabulary.TIERS, *vocabulary.LONG_TIERS]) + rf")(\s*[{_DIGITS}.]+\s*[{_written('%')}])?\s*$")
NUMBER_TEXT = rf"^\s*[-+]?[{_DIGITS}]+([{_written('.')}][{_DIGITS}]+)?\s*[^\s0-9]*(\s*/\s*[^\s/]+)*\s*$"
# The n/a spellings, the Chinese one first.
NOT_APPLICABLE = sorted(vocabulary.NA_WORDS, key=lambda word: (word.isascii(), len(word)))
# A date as a data file writes it (2023-11-30, 2023/11/30, 2023.11.30, 2023年11月30日, a month 2023-11), and a checklist
# row's actual (具备 ① ② ④).
DATE_TEXT = r"^\s*[0-9]{4}([-/.][0-9]{1,2}([-/.][0-9]{1,2})?|年[0-9]{1,2}月([0-9]{1,2}日)?)(\s+00:00(:00)?)?\s*$"
ELEMENTS_TEXT = r"^\s*(" + "|".join(vocabulary.KEYWORDS["HAS"]) + r")(\s.*)?$"


def actuals_schema(plan: Plan) -> dict[str, Any]:
    index = Index.of_plan(plan)
    properties: dict[str, Any] = {}
    for ind in plan.indicators():
        unique = len(index.candidates(ind.name, ("fact", "indicator"))) == 1
        kind = "elements" if ind.elements else "levels" if ind.levels else "qualitative" if ind.kind == "qualitative" else \
            "date" if ind.kind == "date" else "quantity"
        entry = {
            "$ref": f"#/$defs/{kind}",
            "description": f"{ind.key}：{ind.target_text or '—'}，权重 {ind.weight:f}"
                           + (f"，单位 {ind.unit.text}" if ind.unit.text else "")
                           + (f"，等次：{'、'.join(level for level, _ in ind.levels)}" if ind.levels else ""),
        }
        properties[ind.key] = entry
        if unique:
            properties[ind.name] = entry
    for fact in plan.facts:
        properties[fact.name] = {"$ref": "#/$defs/amount",
                                 "description": f"基础数据 {fact.name}" + (f"，单位 {fact.unit.text}" if fact.unit.text else "")}
    value_object: dict[str, Any] = {
        "type": "object",
        "required": ["value"],
        "properties": {
            "value": {},
            "unit": {"type": "string", "description": "单位，如 人、万元、%"},
            "reason": {"type": "string", "description": "偏差原因分析及改进措施"},
            "score": {"type": ["number", "string"], "description": "公布的得分（审核用）；印了但无法辨认时写 \"?\""},
            "review": {"type": ["number", "string"], "description": "复核分（财政审核评分），与得分一样核对；无法辨认时写 \"?\""},
            "rate": {"type": ["number", "string"], "description": "表上印出的执行率，如 \"95.3%\"（数字按 % 读）"},
            "evidence": {"type": "string", "description": "佐证：实际值旁的文字（定性指标的依据等），照录"},
        },
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{plan.name} 的实际值",
        "description": "perfrules eval --data 的数据文件：指标名称（或路径）→ 实际值",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "$defs": {
            "quantity": {"anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": NUMBER_TEXT, "description": "如 80646 人、95%、662.77 万元"},
                {"type": "string", "enum": NOT_APPLICABLE},
                {"type": "string", "description": "文字（如抄写的目标「≥266米」），不能计分"},
                {"type": "null"},
                {**value_object, "properties": {**value_object["properties"],
                                                "value": {"type": ["number", "string", "null"]}}},
            ]},
            "qualitative": {"anyOf": [
                {"type": "string", "pattern": TIER, "description": "如 达成 100%、部分达成 70%"},
                {"type": "number", "description": "得分率（百分数）"},
                {"type": "string", "enum": NOT_APPLICABLE},
                {"type": "null"},
                {**value_object, "properties": {**value_object["properties"],
                                                "value": {"type": ["number", "string", "null"]}}},
            ]},
            "date": {"anyOf": [
                {"type": "string", "pattern": DATE_TEXT, "description": "如 2023-11-30、2023/11/30、2023年11月30日、2023-11"},
                {"type": "string", "enum": NOT_APPLICABLE},
                {"type": "string", "description": "文字，不能计分"},
                {"type": "number", "description": "数字不是日期（报 PR013）"},
                {"type": "null"},
                {**value_object, "properties": {**value_object["properties"],
                                                "value": {"type": ["number", "string", "null"]}}},
            ]},
            "elements": {"anyOf": [
                {"type": "string", "pattern": ELEMENTS_TEXT, "description": "如 具备 ① ② ④、具备 无"},
                {"type": "array", "items": {"type": "string"}, "description": "具备的要素，如 [\"①\", \"②\", \"④\"]"},
                {"type": "string", "enum": NOT_APPLICABLE},
                {"type": "null"},
                {**value_object, "properties": {**value_object["properties"],
                                                "value": {"type": ["string", "array", "null"], "items": {"type": "string"}}}},
            ]},
            "levels": {"anyOf": [
                {"type": "string", "description": "所评的等次，如 良（须是该指标 levels 中的等次，否则报 PR018）"},
                {"type": "null"},
                {**value_object, "properties": {**value_object["properties"], "value": {"type": ["string", "null"]}}},
            ]},
            "amount": {"anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": NUMBER_TEXT},
                {**value_object, "properties": {**value_object["properties"], "value": {"type": ["number", "string"]}}},
            ]},
        },
    }


def schema_errors(data: Any, schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(name, JSON pointer, reason) for each place the data does not fit; unknown names aside (PR020).

    A value that plainly fits its property (`plainly_valid`) is not handed to jsonschema, which
    costs a third of a millisecond per value: the rest are validated as usual, so the errors are
    jsonschema's own and a data file of 100,000 names is checked in linear, small time.
    """
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    if isinstance(data, dict):
        properties = schema["properties"]
        data = {k: v for k, v in data.items() if k in properties and not plainly_valid(properties[k], v)}
    problems = []
    for error in validator.iter_errors(data):
        if error.validator == "additionalProperties" and not error.path:
            continue  # unknown names: reported as PR020 with a suggestion
        path = [str(p) for p in error.absolute_path]
        name = path[0] if path else ""
        pointer = "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in path)
        reason = _reason(error, name, schema)
        field = _field_problem(error)
        if field:  # the field to blame: /维护里程/rate
            pointer += "/" + field
        problems.append((name, pointer, reason))
    return problems


def plainly_valid(prop: dict[str, Any], value: Any) -> bool:
    """True when `value` certainly fits the property (a `$ref` to one of the `$defs` above); False when unsure.

    Mirrors the schema's common branches only; whatever this does not recognise goes to jsonschema.
    """
    kind = str(prop.get("$ref", "")).rsplit("/", 1)[-1]
    if isinstance(value, dict):
        return _plain_object(value, kind)
    if kind in ("quantity", "date"):
        return value is None or isinstance(value, str) or _is_number(value)
    if kind == "elements":
        return value is None or (isinstance(value, str) and (value in NOT_APPLICABLE or re.search(ELEMENTS_TEXT, value)
                                                             is not None))
    if kind == "levels":
        return value is None or isinstance(value, str)
    if kind == "qualitative":
        return value is None or _is_number(value) or (isinstance(value, str) and (
            value in NOT_APPLICABLE or re.search(TIER, value) is not None))
    if kind == "amount":
        return _is_number(value) or (isinstance(value, str) and re.search(NUMBER_TEXT, value) is not None)
    return False


def _plain_object(value: dict[str, Any], kind: str) -> bool:
    if "value" not in value or not set(value) <= OBJECT_FIELDS:
        return False
    inner = value["value"]
    if not (_is_number(inner) or isinstance(inner, str) or (inner is None and kind != "amount")):
        return False
    if any(field in value and not isinstance(value[field], str) for field in ("unit", "reason", "evidence")):
        return False
    return all(field not in value or isinstance(value[field], str) or _is_number(value[field])
               for field in ("score", "review", "rate"))


OBJECT_FIELD_ORDER = ("value", "unit", "reason", "score", "review", "rate", "evidence")
OBJECT_FIELDS = frozenset(OBJECT_FIELD_ORDER)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# What each field of an actual's object must be, as a problem with it says.
FIELD_RULES = {
    "unit": "单位 unit 须是文字", "reason": "偏差原因 reason 须是文字", "evidence": "佐证 evidence 须是文字",
    "score": "得分 score 须是数字，或 ?（印了但无法辨认）", "review": "复核分 review 须是数字，或 ?（印了但无法辨认）",
    "rate": "执行率 rate 须是百分数，如 95.3%（不写 % 也按 % 读）",
}


def _field_problem(error: Any) -> str:
    """The field of an object-form actual that does not fit, said as `/field：why`; "" when none is to blame."""
    if not isinstance(error.instance, dict) or "value" not in error.instance:
        return ""
    for sub in error.context or ():
        path = list(sub.relative_path)
        if len(path) == 1 and path[0] in FIELD_RULES and sub.validator == "type":
            return str(path[0])
    return ""


def _reason(error: Any, name: str, schema: dict[str, Any]) -> str:
    field = _field_problem(error)
    if field:
        return FIELD_RULES[field]
    if isinstance(error.instance, dict) and "value" in error.instance and \
            any(sub.validator == "additionalProperties" and not sub.relative_path for sub in error.context or ()):
        return f"对象只能有 {'、'.join(OBJECT_FIELD_ORDER)}"
    described = schema["properties"].get(name, {}).get("$ref", "")
    if described.endswith("qualitative"):
        return "定性指标的实际值应为档次与得分率，如「达成 100%」"
    if described.endswith("levels"):
        return "等次指标的实际值应为所评的等次，如「良」"
    if described.endswith("elements"):
        return "要素指标的实际值应为具备的要素，如「具备 ① ② ④」或 [\"①\", \"②\", \"④\"]"
    if described.endswith("amount"):
        return "基础数据的值应为数量，如 662.77 或「662.77 万元」"
    if error.validator == "additionalProperties":
        return f"对象只能有 {'、'.join(OBJECT_FIELD_ORDER)}"
    if error.validator == "required":
        return "对象须有 value"
    return "实际值应为数字、带单位的文字（如「80646 人」「95%」）或含 value 的对象"
