"""Read actuals from a data file: JSON, YAML, CSV or XLSX.

JSON and YAML hold an object mapping an indicator's name (or its path joined by `/`), or a
fact's name, to a value: a number (`80646`), text as a rule file writes it (`"80646 人"`,
`"95%"`, `"达成 90%"`, `"不适用"`), or an object with `value`, `unit`, `reason`, `score` and what else the
printed row holds: `review` (复核分), `rate` (the printed 执行率), `evidence` (佐证); `score`/`review` may be `"?"`
(printed, but unreadable). CSV and XLSX hold a table whose header names the columns (指标名称, 实际完成值, 单位,
偏差原因, 得分, 复核分, 执行率, 佐证). Every file is validated against the ruleset's actuals schema
(`perfrules schema FILE`); every problem is a finding located at its key or cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from perfrules import limits, vocabulary
from perfrules.data.headers import DATA_SHEET_HEADERS, DATA_SHEET_ROLES, INDICATOR_ROLES, MONEY_ROLES, role_of
from perfrules.data.readers import DataError, Document, read_json, read_yaml
from perfrules.findings import Finding, Severity, Span
from perfrules.gcpause import paused
from perfrules.plan.model import Actual, Plan
from perfrules.plan.names import Index
from perfrules.syntax.ast import ActualExtra, ActualValue, Quantity

# The fields of an actual written as an object, in the order messages list them.
FIELD_ORDER = ("value", "unit", "reason", "score", "review", "rate", "evidence")
FIELDS = set(FIELD_ORDER)
PRINTED_FIELDS = ("review", "rate", "evidence")  # what else a printed row holds (docs/language.md 14)
COLUMNS = DATA_SHEET_ROLES  # the columns of a data sheet: perfrules.data.headers, the one home of header words
SHEET_COLUMNS = tuple(DATA_SHEET_HEADERS.values())  # the columns a data sheet reads, as messages list them
UNREADABLE = vocabulary.UNREADABLE_MARKS  # `score ?`: a figure printed but unreadable
# A printed 执行率 as a data file writes it: 95.3%, 95.3 (read in %), 9.5‰.
WIDE = str.maketrans(dict(vocabulary.FULL_WIDTH.items()))  # ？ ％ ９ read as ? % 9
RATE_TEXT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(%|‰)?\s*")


@dataclass(frozen=True)
class Entry:
    """One actual as the file holds it, and where: the key's line, or the cell."""

    name: str
    raw: Any
    span: Span
    where: str  # a JSON pointer, or a cell address
    row_kind: str = ""  # "total" or "title": a row of a data sheet that is probably no indicator (PR026 when unknown)
    cells: dict[str, tuple[Span, str]] | None = None  # a data sheet's row: each field's cell (span, address)

    def at(self, field: str) -> tuple[Span, str]:
        """Where a field of the entry is: its own cell in a sheet, else the key and the pointer to the field."""
        if self.cells is not None:
            return self.cells.get(field, (self.span, self.where))
        return self.span, f"{self.where}/{field}"


def load_actuals(path: str | Path, plan: Plan) -> tuple[tuple[Actual, ...], list[Finding]]:
    """The actuals of a data file for `plan`, and every problem as a located finding (PR019, PR020, ...)."""
    with paused():  # many small objects that live on: the collector would scan them again and again
        return _load_actuals(path, plan)


def _load_actuals(path: str | Path, plan: Plan) -> tuple[tuple[Actual, ...], list[Finding]]:
    file = str(path)
    try:
        entries, data, passed = _entries(Path(path))
    except _Problem as problem:
        return (), [Finding.make("PR019", problem.span or Span.point(file, 1, 1), file=file, reason=problem.reason)]
    from perfrules.data.schema import actuals_schema, schema_errors

    findings: list[Finding] = list(passed)
    by_name = {e.name: e for e in entries}
    bad = set()
    for name, pointer, why in schema_errors(data, actuals_schema(plan)):
        entry = by_name.get(name)
        span = entry.span if entry else Span.point(file, 1, 1)
        where = entry.where if entry and entry.where != pointer else pointer
        if entry is not None and entry.cells is not None:  # a sheet: the cell of the field to blame, if it has one
            span, where = entry.at(pointer.rsplit("/", 1)[-1]) if pointer.count("/") > 1 else (span, entry.where)
        elif entry is not None:
            where = pointer
        label = where if name in where else f"{where}（{name}）"
        findings.append(Finding.make("PR019", span, file=file, reason=f"{label}：{why}"))
        bad.add(name)
    index = Index.of_plan(plan)
    actuals = []
    for entry in entries:
        if entry.name in bad:
            continue
        if entry.row_kind and not index.candidates(entry.name, ("fact", "indicator")):
            findings.append(_skipped(entry))
            continue
        value, reason, score, extra = _value(entry, file, findings)
        if value is None and reason is None and score is None and extra is None:  # a problem reported, or null
            continue
        from perfrules.plan.actuals import resolve, with_extra

        actual = resolve(index, entry.name, entry.span, value, reason, score, entry.span, findings)
        if actual is not None and extra is not None:
            actual = with_extra(actual, extra, index, findings)
        if actual is not None:
            actuals.append(actual)
    from perfrules.plan.actuals import duplicates, merge_notes

    actuals = merge_notes(actuals)
    findings += duplicates(actuals)  # one indicator given twice, by its name and by its path
    return tuple(actuals), findings


class _Problem(Exception):
    def __init__(self, reason: str, span: Span | None = None) -> None:
        super().__init__(reason)
        self.reason, self.span = reason, span


def _entries(path: Path) -> tuple[list[Entry], Any, list[Finding]]:
    """The file's entries, the same content as a JSON-like object for schema validation, and what the reader
    passed over (a data sheet's columns it does not read)."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx", ".xlsm"):
        return _table_entries(path)
    file = str(path)
    try:
        text = limits.read_bytes(path, limits.MAX_FILE_BYTES).decode("utf-8-sig")
    except limits.LimitError as error:
        raise _Problem(str(error)) from error
    except UnicodeDecodeError as error:
        raise _Problem("不是 UTF-8 文本") from error
    except OSError as error:
        raise _Problem(error.strerror or "无法读取") from error
    if not text.strip():
        raise _Problem("数据文件是空的：应为「指标名称: 实际值」的对象，如 {\"资格认证人数\": 80646}")
    document = _decode(text, file)
    data = document.data
    if not isinstance(data, dict):
        raise _Problem("顶层须是「指标名称: 实际值」的对象（映射）")
    entries = []
    for name, raw in data.items():
        key = str(name)
        pointer = "/" + key.replace("~", "~0").replace("/", "~1")
        where = document.keys.get(key)
        span = Span(file, where[0], where[1], where[0], where[2]) if where else Span.point(file, 1, 1)
        entries.append(Entry(key, raw, span, pointer))
    return entries, {str(k): _plain(v) for k, v in data.items()}, []


def _table_entries(path: Path) -> tuple[list[Entry], Any, list[Finding]]:
    from perfrules.data.tables import TableError, find_header, read_table

    file = str(path)
    try:
        rows = read_table(path)
    except TableError as error:
        span = Span(file, error.row, error.column or 1, error.row, (error.column or 1) + 1) if error.row else None
        raise _Problem(error.reason, span) from error
    found = find_header(rows, COLUMNS, ("name", "value"))
    if found is None:
        raise _Problem("找不到表头：须有「指标名称」和「实际完成值」两列（可另有 单位、偏差原因、得分、复核分、执行率、佐证）")
    header, columns = found
    passed = _unread_columns(rows[header], columns, file)
    entries, data = [], {}
    for row in rows[:header]:  # a title above the header: said, never read
        shown = [c for c in row if c.text and not c.filled]
        if shown:
            first = shown[0]
            entries.append(Entry(first.text, None, Span(file, first.row, first.column, first.row, first.column + 1),
                                 first.address, "title"))
    for row in rows[header + 1:]:
        def cell(field: str, cells: list[Any] = row) -> Any:
            position = columns.get(field)
            return cells[position] if position is not None and position < len(cells) else None

        name_cell, value_cell = cell("name"), cell("value")
        if name_cell is None or not name_cell.text:
            continue
        raw: dict[str, Any] = {"value": value_cell.text if value_cell and value_cell.text else None}
        cells: dict[str, tuple[Span, str]] = {}
        for field in ("unit", "reason", "score", *PRINTED_FIELDS):
            found_cell = cell(field)
            if found_cell is not None and found_cell.text:
                raw[field] = found_cell.text
                cells[field] = (Span(file, found_cell.row, found_cell.column, found_cell.row, found_cell.column + 1),
                                found_cell.address)
        kind = _row_kind(row, name_cell.text)
        anchor = name_cell if kind else value_cell or name_cell
        span = Span(file, anchor.row, anchor.column, anchor.row, anchor.column + 1)
        entries.append(Entry(name_cell.text, raw, span, anchor.address, kind, cells))
        if not kind:
            data[name_cell.text] = raw
    return entries, data, passed


def _unread_columns(header: list[Any], columns: dict[str, int], file: str) -> list[Finding]:
    """A finding for each header cell of a column the data sheet does not read: never dropped unsaid. A column of
    the 自评表 that holds no actual (序号, 一级指标, 指标值, 分值, …) is an info; a header perfrules does not know
    at all is a warning (it may be a column the user meant to be read, worded otherwise). 序号 says nothing."""
    read = set(columns.values())
    found = []
    for position, cell in enumerate(header):
        if position in read or not cell.text.strip() or cell.filled:
            continue
        span = Span(file, cell.row, cell.column, cell.row, cell.column + 1)
        form = role_of(cell.text, INDICATOR_ROLES) or role_of(cell.text, MONEY_ROLES)
        if form is not None and form.role == "seq" and form.exact:  # 序号: a row's number, nothing to read
            continue
        if form is not None:
            found.append(Finding.make("PR026", span, key="PR026.column_form",
                                      cell=cell.address, text=cell.text))
        else:
            found.append(Finding.make("PR026", span, key="PR026.column", hint="PR026.column", cell=cell.address,
                                      text=cell.text, columns=SHEET_COLUMNS))
    return found


TOTAL_ROW = re.compile(r"(?:合\s*计|小\s*计|总\s*计).*|(?:总分|总得分|得分合计|分值合计)[:：]?")


def _row_kind(row: list[Any], name: str) -> str:
    """"total" for a 合计/小计/总分 row, "title" for a row whose cells all hold one text (a merged title across the
    sheet, or a heading alone in its row), "" for a row that may be an indicator."""
    if TOTAL_ROW.fullmatch(name.replace("\u3000", " ").strip()):
        return "total"
    texts = {c.text for c in row if c.text}
    if len(texts) == 1 and sum(1 for c in row if c.text) > 1:
        return "title"
    return ""


def _skipped(entry: Entry) -> Finding:
    key = "PR026.total" if entry.row_kind == "total" else "PR026.title"
    return Finding.make("PR026", entry.span, key=key, hint=key if entry.row_kind == "total" else "",
                        severity=Severity.INFO, cell=entry.where, text=entry.name)


def _plain(value: Any) -> Any:
    """JSON-schema-friendly values: Decimals as numbers."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _decode(text: str, file: str) -> Document:
    """JSON or YAML, read safely (perfrules.data.readers); a problem is located where the reader found it."""
    try:
        return read_yaml(text) if file.endswith((".yaml", ".yml")) else read_json(text)
    except DataError as error:
        span = Span.point(file, error.line, error.column or 1) if error.line else None
        pointer = f"/{error.key}：" if error.key is not None and error.line is None else ""
        raise _Problem(pointer + error.reason, span) from error


Read = tuple[ActualValue | None, str | None, Decimal | None, ActualExtra | None]
NOTHING: Read = (None, None, None, None)


def _value(entry: Entry, file: str, findings: list[Finding]) -> Read:
    raw, span = entry.raw, entry.span
    reason = score = unit = extra = None
    if isinstance(raw, dict):
        # checked here too: a name the schema does not list (a partial path the index resolves) skips the schema
        wrong = _wrong_fields(raw)
        if wrong:
            findings.append(Finding.make("PR019", span, file=file, reason=f"{entry.where}：{wrong}"))
            return NOTHING
        reason, unit = raw.get("reason"), raw.get("unit")
        printed = _printed(raw, entry, file, findings)
        if printed is None:
            return NOTHING
        score, extra = printed
        raw = raw.get("value")
    if raw is None:
        return None, reason, score, extra
    if isinstance(raw, bool):
        findings.append(Finding.make("PR019", span, file=file, reason=f"{entry.where}：实际值不能是 true/false"))
        return NOTHING
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):  # the elements a checklist row has
        raw = " ".join([vocabulary.HAS_WORD, *(raw or vocabulary.NONE_WORDS[:1])])
    number = _decimal(raw) if not isinstance(raw, str) else None
    if number is not None and abs(number) >= Decimal("1e15"):
        findings.append(Finding.make("PR019", span, file=file, reason=f"{entry.where}：数值 {raw} 太大（不超过 15 位整数）"))
        return NOTHING
    if number is not None:
        return ActualValue("quantity", quantity=Quantity(number, unit, span), span=span), reason, score, extra
    if isinstance(raw, str):
        raw = as_date(ungroup(raw))
        text = f"{raw} {unit}" if unit and not raw.strip().endswith(unit) else raw
        from perfrules.syntax import parse_value

        parsed, _problems = parse_value(text, file, span.line)
        # text that is no value is kept as text: scored 0 (PR023) and audited (PR307), pointing at the key or cell
        # a bare word (「良」) is text here: a row rated by level takes it as its level (plan.actuals), others as text
        value = parsed if parsed is not None and parsed.kind != "level" else ActualValue("text", text=raw, span=span)
        quantity = replace(value.quantity, span=span) if value.quantity else None
        elements = tuple(replace(name, span=span) for name in value.elements)
        return replace(value, quantity=quantity, span=span, elements=elements), reason, score, extra
    findings.append(Finding.make("PR019", span, file=file, reason=f"{entry.where}：无法理解的值 {raw!r}"))
    return NOTHING


def _unreadable(raw: Any) -> bool:
    return isinstance(raw, str) and raw.strip().translate(WIDE) in UNREADABLE


def _printed(raw: dict[str, Any], entry: Entry, file: str,
             findings: list[Finding]) -> tuple[Decimal | None, ActualExtra | None] | None:
    """The published score and what else the row prints (review, rate, evidence) of an object or a sheet's row;
    None when one of them is wrong (a PR019 at its key or cell, the entry dropped as for any bad value)."""
    def bad(field: str, why: str) -> None:
        span, where = entry.at(field)
        findings.append(Finding.make("PR019", span, file=file, reason=f"{where}：{why}"))

    figures: dict[str, Decimal | None] = {}
    unreadable: dict[str, bool] = {}
    for field, label in (("score", "得分 score"), ("review", "复核分 review")):
        given = raw.get(field)
        figures[field], unreadable[field] = None, False
        if given is None or (isinstance(given, str) and not given.strip()):
            continue
        if _unreadable(given):
            unreadable[field] = True
            continue
        number = _decimal(given)
        if number is None:
            bad(field, f"{label} 须是数字，或 ?（印了但无法辨认）")
            return None
        if number < 0 or abs(number) >= Decimal("1e15"):
            bad(field, f"{label} 须是不小于 0 的数字（不超过 15 位整数），而不是 {given}")
            return None
        figures[field] = number
    rate = None
    given = raw.get("rate")
    if given is not None and not (isinstance(given, str) and not given.strip()):
        text = f"{given}" if not isinstance(given, bool) else ""
        match = RATE_TEXT.fullmatch(text.translate(WIDE))
        if match is None or isinstance(given, bool) or len(match[1].split(".")[0]) > 15:
            bad("rate", f"执行率 rate 须是百分数，如 95.3%（不写 % 也按 % 读），而不是 {given}")
            return None
        rate = Quantity(Decimal(match[1]), match[2] or "%", entry.at("rate")[0])
    evidence = raw.get("evidence")
    if evidence is not None and not isinstance(evidence, str):
        bad("evidence", "佐证 evidence 须是文字")
        return None
    evidence = evidence.strip() or None if isinstance(evidence, str) else None
    if figures["review"] is None and not any(unreadable.values()) and rate is None and evidence is None:
        return figures["score"], None
    return figures["score"], ActualExtra(figures["review"], unreadable["score"], unreadable["review"], rate, evidence)


# A number with thousands separators at its start: 「72,890元」「1,234,567.5 万元」「87，411人」. Only whole groups of
# three digits (「1,23」 is left as written: a decimal comma or a typo, not a thousands separator).
GROUPED = re.compile(r"\s*[-+]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?(?![\d,，])")


def ungroup(text: str) -> str:
    """`text` with the thousands separators of its leading number removed, as a rule file reads 72,890 元."""
    match = GROUPED.match(text)
    if match is None:
        return text
    return match.group(0).replace(",", "").replace("，", "") + text[match.end():]


# A date as a spreadsheet or CSV writes it: 2023/11/30, 2023.11.30, 2023-11-30 00:00:00. Only a whole cell.
SHEET_DATE = re.compile(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+00:00(?::00)?)?\s*")


def as_date(text: str) -> str:
    """`text` as the language writes a date (2023-11-30) when it is a date as a sheet writes it; else `text`."""
    match = SHEET_DATE.fullmatch(text)
    return f"{match[1]}-{match[2]}-{match[3]}" if match else text


def _wrong_fields(raw: dict[str, Any]) -> str:
    """Why an actual written as an object does not fit {value, unit, reason, score, review, rate, evidence}; "" when
    it does."""
    unknown = sorted(str(k) for k in raw if k not in FIELDS)
    if unknown:
        return f"不认识的字段 {'、'.join(unknown)}（可用：{'、'.join(FIELD_ORDER)}）"
    for name in ("unit", "reason"):
        if raw.get(name) is not None and not isinstance(raw[name], str):
            return f"{name} 须是文字"
    value = raw.get("value")
    if isinstance(value, (dict, bool)) or (isinstance(value, list) and not all(isinstance(v, str) for v in value)):
        return "value 须是数字或文字（要素指标可写要素的列表）"
    return ""


def _decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    try:
        number = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
