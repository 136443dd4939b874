"""Read a 项目支出绩效自评表 (self-evaluation form) as provinces publish it, from XLSX or CSV.

The form is found by its header words, not by fixed positions: the money block (年初预算数,
全年预算数, 全年执行数, 分值, 执行率, 得分), the indicator table (一级/二级/三级指标, 指标值,
实际完成值, 分值, 得分, 偏差原因) with its merged upper levels, and the total row. Every cell
that cannot be understood is kept and reported with its address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from perfrules import vocabulary
from perfrules.data import headers
from perfrules.data.headers import INDICATOR_ROLES, MONEY_ROLES
from perfrules.data.tables import Cell, Row, read_sheet
from perfrules.syntax import ast
from perfrules.syntax.parser import parse_value
from perfrules.syntax.source import normalise
from perfrules.syntax.tokens import NUMBER

# The older names, kept for callers that read them.
INDICATOR_COLUMNS = INDICATOR_ROLES
MONEY_COLUMNS = MONEY_ROLES
TOTAL_WORDS = headers.TOTAL_WORDS
EXECUTION_WORDS = ("预算执行率", "预算执行情况", "资金执行率", "预算资金执行率", "执行率")


@dataclass(frozen=True)
class Problem:
    """A cell the reader could not use, and why."""

    cell: Cell
    reason: str


def _blank(row: int = 0, column: int = 0, sheet: str = "") -> Cell:
    return Cell("", row, column, sheet)


@dataclass
class IndicatorRow:
    level1: str
    level2: str
    name: Cell
    target: Cell
    actual: Cell
    weight: Cell
    score: Cell
    reason: Cell
    direction: Cell = field(default_factory=_blank)
    unit: Cell = field(default_factory=_blank)
    review: Cell = field(default_factory=_blank)
    remark: Cell = field(default_factory=_blank)
    standard: Cell = field(default_factory=_blank)
    evidence: Cell = field(default_factory=_blank)  # a 佐证材料 column
    seq: Cell = field(default_factory=_blank)  # 序号: the rule file's order says it, so it is not written
    uppers: list[Cell] = field(default_factory=list)  # the 一级/二级 cells of this row that are cells of their own
    extra: list[Cell] = field(default_factory=list)  # cells in no known column, kept as comments
    inferred: str = ""  # how the weight was inferred, when the form has no 分值 column


@dataclass
class Subtotal:
    """A 小计 row: the block it closes and its cells."""

    level1: str
    level2: str
    label: Cell
    weight: Cell
    score: Cell
    cells: list[Cell]  # every non-empty cell of the row


@dataclass
class SelfEvaluation:
    file: str
    project: str = ""
    year: int | None = None
    money: dict[str, Cell] = field(default_factory=dict)
    rows: list[IndicatorRow] = field(default_factory=list)
    total_weight: Cell | None = None
    total_score: Cell | None = None
    problems: list[Problem] = field(default_factory=list)
    sheet: str = ""
    skipped_sheets: list[str] = field(default_factory=list)
    other_sheets: list[str] = field(default_factory=list)
    money_unit: str = "万元"
    money_unit_from: Cell | None = None  # the header cell that names the unit
    execution_row: IndicatorRow | None = None  # the 预算执行率 row inside the indicator table, when it has one
    subtotals: list[Subtotal] = field(default_factory=list)
    total_cells: list[Cell] = field(default_factory=list)  # every non-empty cell of the total row
    # Cells kept as comments: (cell, where) with where "heading", "money", "header", "table", "footer";
    # `problems` holds those that are also findings.
    kept: list[tuple[Cell, str]] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)  # every non-empty cell of the sheet (merge copies left out)
    header_row: int = 0


class FormError(ValueError):
    """A file that is not a recognisable self-evaluation form; `row`/`column` say where, when known."""

    def __init__(self, reason: str, row: int | None = None, column: int | None = None) -> None:
        super().__init__(reason)
        self.row, self.column = row, column


def read_selfeval(path: str | Path, sheet: str | None = None) -> SelfEvaluation:
    from perfrules.data.tables import TableError

    try:
        table = read_sheet(path, sheet)
    except TableError as error:
        raise FormError(error.reason, error.row, error.column) from error
    rows = table.rows
    form = SelfEvaluation(str(path), sheet=table.name, skipped_sheets=table.skipped, other_sheets=table.others)
    form.cells = [c for row in rows for c in row if c.text and not c.filled]
    header = find_indicator_header(rows)
    if header is None:
        raise FormError("找不到指标表的表头：须有「三级指标」（或「指标名称」）和「指标值」等列",
                        rows[0][0].row if rows else None, 1 if rows else None)
    start, end, columns = header
    form.header_row = rows[start][0].row
    money = _find_money_header(rows[:start])
    _heading(rows[: money[0] if money else start], form)
    if money is not None:
        _money(rows[money[0]: start], money[1], form)
    _header_cells(rows[start: end + 1], columns, form, "header")
    _table(rows[end + 1:], columns, form)
    if not form.rows and form.execution_row is None:
        raise FormError("指标表中没有三级指标", form.header_row, 1)
    if "weight" not in columns:
        _infer_weights(form)
    return form


# ---------------------------------------------------------------- headers


def _roles(row: Row, roles: dict[str, tuple[str, ...]], upper: Row | None = None) -> dict[str, int]:
    """Column index of each role a header row names (an exact spelling wins over a contained one)."""
    found: dict[str, tuple[bool, int]] = {}
    for position, cell in enumerate(row):
        lower_text = cell.text
        upper_text = upper[position].text if upper is not None and position < len(upper) else ""
        candidates = [lower_text] if not upper_text or upper_text == lower_text else [
            lower_text, lower_text + upper_text, upper_text + lower_text, upper_text]
        for text in candidates:
            match = headers.role_of(text, roles) if text else None
            if match is None:
                continue
            better = match.role not in found or (match.exact and not found[match.role][0])
            if better and position not in (p for _e, p in found.values()):
                found[match.role] = (match.exact, position)
            break
    return {role: position for role, (_exact, position) in found.items()}


def find_indicator_header(rows: list[Row]) -> tuple[int, int, dict[str, int]] | None:
    """The indicator table's header: (first header row, last header row, column of each role).

    The header names the indicator (三级指标 / 指标名称) and its target; a second header row below
    (得分 over 自评 | 复核) or a merged 绩效指标 above the names is read with it.
    """
    for index, row in enumerate(rows):
        columns = _roles(row, INDICATOR_ROLES)
        if "level3" not in columns or not ({"target", "actual", "weight", "score"} & set(columns)):
            continue
        end = index
        if index + 1 < len(rows) and _is_header_continuation(rows[index + 1], row):
            both = _roles(rows[index + 1], INDICATOR_ROLES, row)  # each column: lower, lower+upper, upper+lower, upper
            if "level3" in both:
                columns, end = both, index + 1
        return index, end, columns
    return None


def _is_header_continuation(row: Row, above: Row) -> bool:
    """A row under the header that is more header: only copies of merged header cells and header words."""
    own = [c for c in row if c.text and not c.filled]
    if not own:
        return False
    return all(headers.role_of(c.text, INDICATOR_ROLES) is not None and headers.normalise(c.text) not in
               ("", ) and parse_number(c.text) is None for c in own)


def _find_money_header(rows: list[Row]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows):
        columns = _roles(row, MONEY_ROLES)
        if "budget" in columns and "spent" in columns:
            return index, columns
        if "spent" in columns and ("start" in columns or "rate" in columns):
            return index, columns
    return None


def _header_cells(rows: list[Row], columns: dict[str, int], form: SelfEvaluation, where: str) -> None:
    """The cells of header rows: placed ones kept as the header comment; an unplaced one is a finding."""
    used = set(columns.values())
    for row in rows:
        for position, cell in enumerate(row):
            if not cell.text or cell.filled:
                continue
            form.kept.append((cell, where))
            if position not in used and not headers.is_group_label(cell.text):
                # a header word in a column with no role: every cell below it is kept as a comment, and said so
                why = "无法识别" if headers.role_of(cell.text, INDICATOR_ROLES) is None else "与另一列重复"
                form.problems.append(Problem(cell, f"表头「{_short(cell.text)}」{why}：该列各单元格作为注释保留"))


def _short(text: str) -> str:
    one = re.sub(r"\s+", " ", text).strip()
    return one if len(one) <= 30 else one[:30] + "…"


# ---------------------------------------------------------------- heading and money


def _heading(rows: list[Row], form: SelfEvaluation) -> None:
    for row in rows:
        texts = [c.text for c in row if c.text]
        for cell in row:
            if cell.text and not cell.filled:
                form.kept.append((cell, "heading"))
        for index, text in enumerate(texts):
            if text.startswith("项目名称") and not form.project:
                inline = re.sub(r"^项目名称[:：]?", "", text).strip()
                form.project = inline or (texts[index + 1] if index + 1 < len(texts) else "")
            year = re.search(r"(20\d{2})\s*年度?", text)
            if year and form.year is None and ("自评" in text or "年度" in text):
                form.year = int(year.group(1))
            unit = headers.header_unit(text)
            if unit and ("资金" in text or "单位" in text) and form.money_unit_from is None:
                form.money_unit = unit
                form.money_unit_from = next(c for c in row if c.text == text)


def _money(rows: list[Row], columns: dict[str, int], form: SelfEvaluation) -> None:
    header, *body = rows
    for cell in header:
        unit = headers.header_unit(cell.text) if cell.text else None
        if unit:
            form.money_unit, form.money_unit_from = unit, cell
    for cell in header:
        if cell.text and not cell.filled:
            form.kept.append((cell, "money"))
    first_data = min(columns.values())
    chosen: Row | None = None
    for row in body[:8]:
        label = " ".join(c.text for c in row[:first_data] if c.text)
        cells = {name: _cell(row, columns, name) for name in columns}
        if ("年度资金总额" in label or "合计" in label or "总额" in label) or (cells.get("budget", _blank()).text
                                                                          and chosen is None):
            if chosen is None or "年度资金总额" in label or "合计" in label or "总额" in label:
                chosen = row
                form.money = cells
            if "年度资金总额" in label or "合计" in label or "总额" in label:
                break
    for row in body:
        for cell in row:
            if not cell.text or cell.filled:
                continue
            if row is chosen and cell in form.money.values():
                continue
            form.kept.append((cell, "money"))


# ---------------------------------------------------------------- the indicator table


def _table(rows: list[Row], columns: dict[str, int], form: SelfEvaluation) -> None:
    above = ("", "")  # a blank 一级/二级 cell continues the one above, as a merged cell does
    roles = {position: role for role, position in columns.items()}
    for row in rows:
        own = [c for c in row if c.text and not c.filled]
        if not own:
            continue
        name = _cell(row, columns, "level3")
        if any(headers.is_total(c.text) for c in own[:2]) or headers.is_total(name.text):
            _total(row, columns, form)
            continue
        if _roles(row, INDICATOR_ROLES).keys() >= {"level3", "target"} and name.text and \
                headers.role_of(name.text, INDICATOR_ROLES) is not None:
            for cell in own:  # the header repeated (a page break): kept as a comment
                form.kept.append((cell, "header"))
            continue
        level1_cell, level2_cell = _cell(row, columns, "level1"), _cell(row, columns, "level2")
        level1 = level1_cell.text or above[0]
        level2 = level2_cell.text or (above[1] if level1 == above[0] else "")
        if any(headers.is_subtotal(c.text) for c in (name, level2_cell, level1_cell) if c.text) and \
                (not name.text or headers.is_subtotal(name.text) or headers.is_subtotal(level2_cell.text)):
            form.subtotals.append(Subtotal(level1, level2 if not headers.is_subtotal(level2_cell.text) else "",
                                           name, _cell(row, columns, "weight"), _cell(row, columns, "score"), own))
            continue
        if not name.text or (name.filled and not level1_cell.text):
            for cell in own:
                form.kept.append((cell, "table"))
                if _is_data_column(roles.get(cell.column - 1)):
                    form.problems.append(Problem(cell, "这一行没有三级指标名称，单元格作为注释保留"))
            continue
        above = (level1, level2)
        used = {columns[r] for r in ("level1", "level2", "level3", "target", "actual", "weight", "score", "reason",
                                     "direction", "unit", "review", "remark", "standard", "evidence", "seq")
                if r in columns}
        entry = IndicatorRow(
            level1=level1 or "绩效指标",
            level2=level2,
            name=name,
            target=_cell(row, columns, "target"),
            actual=_cell(row, columns, "actual"),
            weight=_cell(row, columns, "weight"),
            score=_cell(row, columns, "score"),
            reason=_cell(row, columns, "reason"),
            direction=_cell(row, columns, "direction"),
            unit=_cell(row, columns, "unit"),
            review=_cell(row, columns, "review"),
            remark=_cell(row, columns, "remark"),
            standard=_cell(row, columns, "standard"),
            evidence=_cell(row, columns, "evidence"),
            seq=_cell(row, columns, "seq"),
            uppers=[c for c in (level1_cell, level2_cell) if c.text and not c.filled],
            extra=[c for c in row if c.text and not c.filled and (c.column - 1) not in used],
        )
        if _is_execution(entry) and form.execution_row is None:
            form.execution_row = entry
            continue
        form.rows.append(entry)


def _is_data_column(role: str | None) -> bool:
    return role in ("target", "actual", "weight", "score", "level3")


def _is_execution(row: IndicatorRow) -> bool:
    """The 预算执行率 row of layouts that put the budget inside the table (管理, 预算执行情况 20分)."""
    name = headers.normalise(row.name.text)
    return any(name == w or name.startswith(w + "(") for w in EXECUTION_WORDS) or \
        any(headers.normalise(row.level1).startswith(w) for w in ("预算执行情况", "预算执行率"))


def _total(row: Row, columns: dict[str, int], form: SelfEvaluation) -> None:
    weight, score = _cell(row, columns, "weight"), _cell(row, columns, "score")
    if not score.text:  # a total merged across or written in another column: the last number of the row
        numbers = [c for c in row if c.text and not c.filled and parse_number(c.text) is not None and c != weight]
        if numbers:
            score = numbers[-1]
    if form.total_score is None:
        form.total_weight = weight if weight.text else None
        form.total_score = score if score.text else None
    form.total_cells += [c for c in row if c.text and not c.filled]


def _cell(row: Row, columns: dict[str, int], name: str) -> Cell:
    position = columns.get(name)
    if position is not None and position < len(row):
        return row[position]
    anchor = row[0] if row else Cell("", 0, 0, "")
    return Cell("", anchor.row, (position or 0) + 1, anchor.sheet)


# ---------------------------------------------------------------- weights the form does not print


NATIONAL = {"产出": Decimal(50), "效益": Decimal(30), "满意度": Decimal(10)}


def _infer_weights(form: SelfEvaluation) -> None:
    """No 分值 column: a block's weight from its name (「产出指标（40分）」), the national 50/30/10, or an even
    share of what the budget row leaves; within a block, an even share per row. Each is marked as inferred."""
    blocks: dict[str, list[IndicatorRow]] = {}
    for row in form.rows:
        blocks.setdefault(row.level1, []).append(row)
    budget = Decimal(10)
    if form.money.get("weight") is not None and parse_number(form.money["weight"].text) is not None:
        budget = parse_number(form.money["weight"].text) or budget
    named = {name: _points_in(name) for name in blocks}
    national = {name: next((v for k, v in NATIONAL.items() if headers.normalise(name).startswith(k)), None)
                for name in blocks}
    use_national = budget == 10 and all(national.values()) and not any(named.values())
    left = Decimal(100) - budget - sum((v for v in named.values() if v is not None), Decimal(0))
    unnamed = [n for n in blocks if named[n] is None]
    for name, rows in blocks.items():
        if named[name] is not None:
            block, why = named[name], f"一级指标「{_short(name)}」写明的分值"
        elif use_national:
            block, why = national[name], "国家自评表的默认分值（产出 50、效益 30、满意度 10）"
        else:
            block, why = (left / len(unnamed)) if unnamed else Decimal(0), f"除预算执行率 {budget} 分外平均分配"
        assert block is not None
        share = (block / len(rows)).quantize(Decimal("0.01"))
        for index, row in enumerate(rows):
            value = share if index < len(rows) - 1 else block - share * (len(rows) - 1)
            row.weight = Cell(f"{value.normalize():f}", row.name.row, 0, row.name.sheet)
            row.inferred = f"表中没有分值列，按{why}推断为每行约 {share.normalize():f} 分"


def _points_in(text: str) -> Decimal | None:
    match = re.search(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]|(\d+(?:\.\d+)?)\s*分$", text)
    if not match:
        return None
    return Decimal(match.group(1) or match.group(2))


# ---------------------------------------------------------------- cell texts


# What a form writes that a rule file does not. The comparator words of a 指标值 cell (besides the
# language's own spellings, vocabulary.COMPARATOR_SPELLINGS), the synonyms of the tier words, and a
# digit anywhere (a text with one that does not read as a number is unreadable, never a wording).
_FORM_COMPARATORS = {"大于等于": ">=", "不低于": ">=", "不少于": ">=", "小于等于": "<=", "不高于": "<=", "不超过": "<="}
COMPARATOR_WORDS = {**vocabulary.COMPARATOR_SPELLINGS, **_FORM_COMPARATORS, "达到": ">="}
TIER_SYNONYMS = {"已达成": vocabulary.MET, "完成": vocabulary.MET, "已完成": vocabulary.MET, "基本达成": vocabulary.PARTLY,
                 "未完成": vocabulary.NOT_MET}
_LEADING_COMPARATOR = re.compile(rf"\s*({vocabulary.alternation(list(COMPARATOR_WORDS))})?\s*")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")  # 87,411 (after full-width mapping: 87，411 too)
_VALUE_START = re.compile(r"\s*(?:[\d-]|" + vocabulary.alternation([*vocabulary.KEYWORDS["TIER"], *vocabulary.NA_WORDS]) + ")")
_WORD = re.compile(r"[^\W\d_]+")  # a form's unit is words
_DIGIT = re.compile("[0-9" + "".join(vocabulary.FULL_WIDTH_DIGITS) + "*＊]")


def language_value(text: str) -> ast.ActualValue | None:
    """The language's own reading of a cell's text (the value parser of `actuals` and data files: `8755 人`,
    `95%`, `-5`, `达成`), once the form's own habits are taken off; None when it reads no value there.

    A `#` or a quote in a cell is the cell's text, not the rule file's comment or string: None. A text that
    cannot start a value (the grammar's `actual_value` starts with a digit, `-`, a tier or an n/a word) is
    not parsed: most cells of a form are words, and a line the parser rejects costs a syntax message."""
    if not text or any(char in text for char in "#＃\"“") or _VALUE_START.match(text) is None:
        return None
    value, findings = parse_value(text)
    return value if value is not None and not findings else None


@dataclass(frozen=True)
class Target:
    comparator: str | None  # None for a qualitative (wording) target
    number: Decimal | None
    unit: str
    text: str
    explicit: bool = True  # the comparator is written (「≥95%」), not taken for `=` (「95%」)
    date: str = ""  # a date as the language writes it (`2023-12-31`, `2023-12`, `12 月`): a deadline


def parse_target(text: str) -> Target | None:
    """「≥8755人」「>=530元/人*月」「≤5300元/户」「100%」「87,411人」; a wording target (「达成年度指标」) has no number.

    The form's habits are taken off here (a comparator word, thousands separators, a unit's `*` and
    brackets); the number and its unit are the language's (`language_value`). None when the text has
    a number but cannot be read (「≥**人」).
    """
    clean = text.strip()
    plain = _THOUSANDS.sub("", normalise(clean))  # full-width digits and signs as the rule file reads them
    lead = _LEADING_COMPARATOR.match(plain)
    assert lead is not None  # every part of it is optional
    rest = plain[lead.end():]
    number = re.match(NUMBER, rest)  # the grammar's NUMBER
    if number is not None:
        unit = read_unit(rest[number.end():].strip())
        value = language_value(f"{number[0]} {unit}" if unit else number[0]) if unit is not None else None
        if value is None or value.kind != "quantity" or value.quantity is None:
            return None
        written = lead[1]
        # no comparator: 「100%」「0起」 mean exactly that much; `=` scores as `>=` above zero and handles a zero target
        comparator = COMPARATOR_WORDS.get(written or "", "=")
        return Target(comparator, value.quantity.value, value.quantity.unit or "", clean, bool(written))
    if _DIGIT.search(clean) or not clean:
        return None
    return Target(None, None, "", clean)


_DATE_COMPARATORS = {"不晚于": "<=", "不迟于": "<=", "不早于": ">="}  # what a 完成时间 cell writes besides those above
_DATE_LEAD = re.compile(rf"\s*({vocabulary.alternation([*COMPARATOR_WORDS, *_DATE_COMPARATORS])})?\s*")
_DATE_CELL = re.compile(
    r"(?:(?P<y>\d{4})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})(?:\s*(?P=sep)\s*(?P<d>\d{1,2}))?"
    r"|(?P<y2>\d{4})\s*年\s*(?P<m2>\d{1,2})\s*月份?(?:\s*(?P<d2>\d{1,2})\s*[日号])?"
    r"|(?P<mo>\d{1,2})\s*月份?)"
    r"\s*(?:00:00(?::00)?)?\s*(?P<after>底之前|底以前|底前|底|之前|以前|前|内)?(?:完成)?\s*")


def parse_date_target(text: str) -> Target | None:
    """A deadline as forms print it: 「≤2023年12月31日」「2023-12-31」（a date cell）「2023年12月底前」「12月底前」「2023/12/31」.

    Before the date or after it (前, 之前, 底前) the comparator; a date with neither is taken for a deadline (`<=`,
    `explicit` False: the importer says so). A month of the year alone (「12月底前」) is `12 月`, that month of the
    ruleset's year. `date` is the date as the language writes it. None when the text is no date.
    """
    clean = normalise(text.strip())
    lead = _DATE_LEAD.match(clean)
    assert lead is not None  # every part of it is optional
    m = _DATE_CELL.fullmatch(clean, lead.end())
    if m is None or (m["sep"] == "." and m["d"] is None):  # 2023.12 is a number
        return None
    written = lead[1]
    comparator = (COMPARATOR_WORDS.get(written) or _DATE_COMPARATORS.get(written)) if written else \
        "<=" if m["after"] else None
    if m["mo"] is not None:
        if not written and not m["after"]:
            return None  # 「12月」 alone is more likely a count of months than a deadline: left to parse_target
        date = f"{int(m['mo'])} 月"
    else:
        year, month, day = m["y"] or m["y2"], m["m"] or m["m2"], m["d"] or m["d2"]
        date = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    return Target(comparator or "<=", None, "", text.strip(), comparator is not None, date)


# A window of dates as tables print it: 「2023年10月-12月」「2023年10月至12月」「2023.10-2023.12」「2023-10-01至2023-12-31」
# 「2023年10月1日—12月31日」; the second date may leave out its year (the first's is meant).
_DAY_PART = r"(?:{sep}(?P<d{n}>\d{{1,2}}))?"
_WINDOW_DATE = (r"(?:(?P<y{n}>\d{{4}})\s*年\s*)?(?P<m{n}>\d{{1,2}})\s*月份?(?:\s*(?P<dd{n}>\d{{1,2}})\s*[日号])?"
                r"|(?:(?P<yy{n}>\d{{4}})\s*(?P<s{n}>[-/.])\s*)?(?P<mm{n}>\d{{1,2}})(?:\s*(?P<sd{n}>[-/.])\s*(?P<ddd{n}>\d{{1,2}}))?")
_DATE_WINDOW = re.compile(r"\s*(?:" + _WINDOW_DATE.format(n=1) + r")\s*(?:-|—|–|~|至|到)\s*(?:"
                          + _WINDOW_DATE.format(n=2) + r")\s*(?:期间|之间|内)?\s*")


def parse_date_range(text: str) -> Target | None:
    """A window of dates (「2023年10月-12月」「2023.10-2023.12」): a Target `in` whose `date` is `2023-10 ~ 2023-12`, as
    the language writes it; a second date without a year is in the first's. None when the text is no such window
    (a single date is parse_date_target's)."""
    m = _DATE_WINDOW.fullmatch(normalise(text.strip()))
    if m is None:
        return None
    parts = []
    year = m["y1"] or m["yy1"]
    if year is None:  # the first date must say its year: 「10月-12月」 is left to parse_target (a count, or words)
        return None
    for n in (1, 2):
        chinese = m[f"m{n}"] is not None
        month = m[f"m{n}"] or m[f"mm{n}"]
        day = m[f"dd{n}"] or m[f"ddd{n}"]
        if not chinese and m[f"s{n}"] is None and m[f"yy{n}"] is None and n == 1:
            return None
        year = m[f"y{n}"] or m[f"yy{n}"] or year
        if not chinese and n == 2 and m["yy2"] is None and day is None and m["s1"] is not None and m["s1"] == "-":
            return None  # 「2023-10-12」 is a date, not October to December (parse_date_target reads it)
        parts.append(f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else ""))
    return Target("in", None, "", text.strip(), True, f"{parts[0]} ~ {parts[1]}")


def read_unit(text: str) -> str | None:
    """A unit as a form writes it, as the rule file writes it: `元/人*月` is `元/人/月`, `元每人` is `元/人`, words in
    brackets are dropped; "" for none, None when the language reads no unit there."""
    unit = re.sub(r"[（(].*?[)）]", "", text).strip().replace("％", "%").replace("＊", "*")
    if not unit:
        return ""
    unit = unit.replace("*", "/").replace("／", "/").replace("每", "/")
    if unit not in vocabulary.PERCENT_UNITS:
        parts = [p for p in unit.split("/") if p]
        if not parts or not all(_WORD.fullmatch(p) for p in parts):  # a digit in it (1e999, 1/2): a misread number
            return None
        unit = "/".join(parts)
    value = language_value(f"1 {unit}")
    if value is None or value.quantity is None or value.quantity.unit != unit:
        return None
    return unit


DIRECTION_WORDS = {
    **vocabulary.COMPARATOR_SPELLINGS,  # the language's spellings (≥ ≧ >= …), ＝ ﹦ ═ as it reads them
    **{char: vocabulary.COMPARATOR_SPELLINGS[meant] for char, meant in vocabulary.FULL_WIDTH.items()
       if meant in vocabulary.COMPARATOR_SPELLINGS},
    **_FORM_COMPARATORS,
    "正向": ">=", "正向指标": ">=", "反向": "<=", "反向指标": "<=", "等于": "=", "大于": ">", "小于": "<",
    "定性": "qualitative", "定性指标": "qualitative", "定量": "", "定量指标": "",
}


def parse_direction(text: str) -> str | None:
    """A 指标性质 / 指标方向 cell: `>=` `<=` `=` `>` `<`, "qualitative", "" (定量: no comparator), None if unreadable."""
    import unicodedata

    plain = re.sub(r"\s+", "", text)
    if plain in DIRECTION_WORDS:
        return DIRECTION_WORDS[plain]
    plain = unicodedata.normalize("NFKC", plain)
    return DIRECTION_WORDS.get(plain)


MONEY_SCALE = vocabulary.MONEY_UNITS  # 元 1, 千元 1000, 万元 10⁴, 亿元 10⁸
_SPACES = re.compile(r"\s+")


def parse_money(text: str) -> tuple[Decimal, str | None] | None:
    """An amount and the unit written in the cell, if any: 「72,890元」 -> (72890, 元), 「5800」 -> (5800, None).

    The form's spaces and thousands separators are taken off; the amount is the language's (`language_value`)."""
    clean = _SPACES.sub("", normalise(text)).replace(",", "")
    value = language_value(clean) if not clean.startswith("-") else None  # an amount is not negative
    if value is None or value.kind != "quantity" or value.quantity is None:
        return None
    unit = value.quantity.unit
    if unit is not None and unit not in MONEY_SCALE:
        return None
    return value.quantity.value, unit


def parse_number(text: str) -> Decimal | None:
    """「9.63」「10分」「1,000」「－5」: a plain decimal as a form prints it (no exponent, NaN or Infinity).

    The form's habits are taken off (separators, a trailing 分, a leading +); the number is the language's."""
    clean = normalise(text.strip().replace(",", "")).removesuffix("分").strip().removeprefix("+")
    if clean[:1] == "-" and clean[1:2].isspace():
        return None  # 「- 5」 is not a number a form prints
    value = language_value(clean)
    if value is None or value.kind != "quantity" or value.quantity is None or value.quantity.unit is not None:
        return None
    return value.quantity.value


_TIER_FIRST = re.compile(r"\s*([^，,。；;：:、\s]+)\s*[，,。；;：:、]\s*\S")


def leading_tier(text: str) -> str | None:
    """The tier a qualitative 实际完成值 cell begins with when evidence follows it: 「达成，人均补助提高了5%」 is 达成."""
    match = _TIER_FIRST.match(text)
    return tier_word(match[1]) if match else None


def tier_word(text: str) -> str | None:
    """The tier a 实际完成值 cell names (「达成年度指标」「部分达成」「基本达成」), read as the language reads a tier word."""
    word = text.strip().rstrip("。")
    value = language_value(TIER_SYNONYMS.get(word, word))
    if value is None or value.kind != "tier" or value.quantity is not None or value.tier is None:
        return None
    return vocabulary.LONG_TIERS.get(value.tier, value.tier)
