"""Read a 项目支出绩效自评表 (self-evaluation form) as provinces publish it, from XLSX or CSV.

The form is found by its header words, not by fixed positions: the money block (年初预算数,
全年预算数, 全年执行数, 分值, 执行率, 得分), the indicator table (一级/二级/三级指标, 指标值,
实际完成值, 分值, 得分, 偏差原因) with its merged upper levels, and the total row. Every cell
that cannot be understood is kept and reported with its address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from perfrules.data.tables import Cell, Row, find_header, read_table

INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标",),
    "target": ("年度指标值", "指标值", "目标值", "预期指标值"),
    "actual": ("实际完成值", "完成值", "实际值"),
    "weight": ("分值", "权重"),
    "score": ("得分",),
    "reason": ("偏差原因", "原因分析", "改进措施"),
}
MONEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "start": ("年初预算数",),
    "budget": ("全年预算数", "调整后预算数"),
    "spent": ("全年执行数", "执行数"),
    "weight": ("分值",),
    "rate": ("执行率",),
    "score": ("得分",),
}
TOTAL_WORDS = ("总分", "合计", "总计")


@dataclass(frozen=True)
class Problem:
    """A cell the reader could not use, and why."""

    cell: Cell
    reason: str


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


class FormError(ValueError):
    """A file that is not a recognisable self-evaluation form; `row`/`column` say where, when known."""

    def __init__(self, reason: str, row: int | None = None, column: int | None = None) -> None:
        super().__init__(reason)
        self.row, self.column = row, column


def read_selfeval(path: str | Path) -> SelfEvaluation:
    from perfrules.data.tables import TableError

    try:
        rows = read_table(path)
    except TableError as error:
        raise FormError(error.reason, error.row, error.column) from error
    form = SelfEvaluation(str(path))
    _heading(rows, form)
    header = find_header(rows, INDICATOR_COLUMNS, ("level3", "target", "weight"))
    if header is None:
        raise FormError("找不到指标表的表头：须有「三级指标」「指标值」「分值」等列")
    start, columns = header
    money = find_header(rows[:start], MONEY_COLUMNS, ("budget", "spent"))
    if money is not None:
        _money(rows, money, form)
    above = ("", "")  # a blank 一级/二级 cell continues the one above, as a merged cell does
    for row in rows[start + 1:]:
        if _is_total(row):
            weight, score = _cell(row, columns, "weight"), _cell(row, columns, "score")
            form.total_weight = weight if weight.text else None
            form.total_score = score if score.text else None
            break
        name = _cell(row, columns, "level3")
        if not name.text or name.text in INDICATOR_COLUMNS["level3"]:
            continue
        level1 = _cell(row, columns, "level1").text or above[0]
        level2 = _cell(row, columns, "level2").text or (above[1] if level1 == above[0] else "")
        above = (level1, level2)
        form.rows.append(IndicatorRow(
            level1=level1 or "绩效指标",
            level2=level2,
            name=name,
            target=_cell(row, columns, "target"),
            actual=_cell(row, columns, "actual"),
            weight=_cell(row, columns, "weight"),
            score=_cell(row, columns, "score"),
            reason=_cell(row, columns, "reason"),
        ))
    if not form.rows:
        raise FormError("指标表中没有三级指标")
    return form


def _cell(row: Row, columns: dict[str, int], name: str) -> Cell:
    position = columns.get(name)
    if position is not None and position < len(row):
        return row[position]
    anchor = row[0] if row else Cell("", 0, 0, "")
    return Cell("", anchor.row, (position or 0) + 1, anchor.sheet)


def _heading(rows: list[Row], form: SelfEvaluation) -> None:
    for row in rows[:12]:
        texts = [c.text for c in row if c.text]
        for index, text in enumerate(texts):
            if text.startswith("项目名称") and not form.project:
                inline = re.sub(r"^项目名称[:：]?", "", text).strip()
                form.project = inline or (texts[index + 1] if index + 1 < len(texts) else "")
            year = re.search(r"(20\d{2})\s*年度?", text)
            if year and form.year is None and ("自评" in text or "年度" in text):
                form.year = int(year.group(1))


def _money(rows: list[Row], money: tuple[int, dict[str, int]], form: SelfEvaluation) -> None:
    header, columns = money
    for row in rows[header + 1: header + 6]:
        label = " ".join(c.text for c in row[: min(columns.values())] if c.text)
        cells = {name: _cell(row, columns, name) for name in columns}
        if "年度资金总额" in label or "合计" in label or (cells["budget"].text and not form.money):
            form.money = cells
            if "年度资金总额" in label or "合计" in label:
                return


def _is_total(row: Row) -> bool:
    first = next((c.text.replace(" ", "") for c in row if c.text), "")
    return first in TOTAL_WORDS or first.startswith("总分")


# ---------------------------------------------------------------- cell texts


TARGET = re.compile(
    r"^\s*(?P<cmp>≥|≤|≧|≦|>=|<=|＞＝|＜＝|>|<|＞|＜|=|＝|大于等于|不低于|不少于|小于等于|不高于|不超过|达到)?"
    r"\s*(?P<number>[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*(?P<unit>[^\d\s].*?)?\s*$")
COMPARATOR_WORDS = {
    "≥": ">=", "≧": ">=", ">=": ">=", "＞＝": ">=", "大于等于": ">=", "不低于": ">=", "不少于": ">=", "达到": ">=",
    "≤": "<=", "≦": "<=", "<=": "<=", "＜＝": "<=", "小于等于": "<=", "不高于": "<=", "不超过": "<=",
    ">": ">", "＞": ">", "<": "<", "＜": "<", "=": "=", "＝": "=",
}
TIER_WORDS = {
    "达成年度指标": "达成", "达成": "达成", "已达成": "达成", "完成": "达成", "已完成": "达成",
    "部分达成年度指标并具有一定效果": "部分达成", "部分达成": "部分达成", "基本达成": "部分达成",
    "未达成年度指标且效果较差": "未达成", "未达成": "未达成", "未完成": "未达成",
}
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


@dataclass(frozen=True)
class Target:
    comparator: str | None  # None for a qualitative (wording) target
    number: Decimal | None
    unit: str
    text: str


def parse_target(text: str) -> Target | None:
    """「≥8755人」「>=530元/人*月」「≤5300元/户」「100%」「87,411人」; a wording target (「达成年度指标」) has no number.

    None when the text has a number but cannot be read (「≥**人」).
    """
    clean = text.strip()
    plain = re.sub(r"(?<=\d)[,，](?=\d{3})", "", clean.translate(FULL_WIDTH_DIGITS))  # 87,411 人
    match = TARGET.match(plain)
    if match:
        unit = _unit(match["unit"] or "")
        if unit is None:
            return None
        # no comparator: 「100%」「0起」 mean exactly that much; `=` scores as `>=` above zero and handles a zero target
        comparator = COMPARATOR_WORDS.get(match["cmp"] or "", "=")
        return Target(comparator, Decimal(match["number"]), unit, clean)
    if re.search(r"[0-9０-９*＊]", clean) or not clean:
        return None
    return Target(None, None, "", clean)


def _unit(text: str) -> str | None:
    """A unit perfrules can read: `元/人*月` becomes `元/人/月`; words in brackets are dropped."""
    unit = re.sub(r"[（(].*?[)）]", "", text).strip().replace("％", "%").replace("＊", "*")
    if not unit:
        return ""
    if unit == "%" or unit == "‰":
        return unit
    unit = unit.replace("*", "/").replace("／", "/").replace("每", "/")
    parts = [p for p in unit.split("/") if p]
    if not parts or not all(re.fullmatch(r"[^\W\d_]+", p) for p in parts):
        return None
    return "/".join(parts)


def parse_number(text: str) -> Decimal | None:
    try:
        number = Decimal(text.strip().translate(FULL_WIDTH_DIGITS).replace(",", "").removesuffix("分"))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def tier_word(text: str) -> str | None:
    return TIER_WORDS.get(text.strip().rstrip("。"))
