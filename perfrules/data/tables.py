"""Spreadsheet-like files (CSV, XLSX) as plain rows of text, with the address of every cell.

Merged cells are filled with their top-left value (a 一级指标 merged down a column belongs to
every row it spans), so readers can treat each row on its own.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path


class TableError(ValueError):
    """A file that cannot be read as a table; the message says why."""


@dataclass(frozen=True)
class Cell:
    text: str
    row: int  # 1-based
    column: int  # 1-based
    sheet: str  # "" for CSV

    @property
    def address(self) -> str:
        """`Sheet1!B5` for a workbook, `第 5 行第 2 列` for CSV."""
        if self.sheet:
            return f"{self.sheet}!{column_letter(self.column)}{self.row}"
        return f"第 {self.row} 行第 {self.column} 列"


Row = list[Cell]


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(path: str | Path, sheet: str | None = None) -> list[Row]:
    """The rows of a CSV file or of a workbook's sheet (the first, or the named one)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    raise TableError(f"不支持的表格格式 {suffix}：请用 .csv 或 .xlsx")


def _read_csv(path: Path) -> list[Row]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError("CSV 不是 UTF-8 或 GBK 编码的文本")
    rows = []
    for number, values in enumerate(csv.reader(text.splitlines()), start=1):
        rows.append([Cell(v.strip(), number, column, "") for column, v in enumerate(values, start=1)])
    return rows


def _read_xlsx(path: Path, sheet: str | None) -> list[Row]:
    from zipfile import BadZipFile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableError(f"无法打开工作簿：{error}") from error
    if sheet is not None and sheet not in book.sheetnames:
        raise TableError(f"工作簿中没有工作表 {sheet}（有：{'、'.join(book.sheetnames)}）")
    ws = book[sheet] if sheet else book.worksheets[0]
    merged: dict[tuple[int, int], object] = {}
    for cells in ws.merged_cells.ranges:
        top = ws.cell(cells.min_row, cells.min_col).value
        for r in range(cells.min_row, cells.max_row + 1):
            for c in range(cells.min_col, cells.max_col + 1):
                merged[(r, c)] = top
    rows = []
    for r, cells in enumerate(ws.iter_rows(), start=1):
        row = []
        for c, cell in enumerate(cells, start=1):
            value = merged.get((r, c), cell.value)
            shown = str(cell.number_format or "")
            if isinstance(value, float):  # as the cell shows it: =10*2216/2300 formatted 0.00 is 9.63
                places = re.search(r"0\.(0+)", shown)
                value = round(value * (100 if "%" in shown else 1), len(places.group(1)) if places else 10) / \
                    (100 if "%" in shown else 1)
            text = _text(value)
            if isinstance(value, (int, float)) and "%" in shown:
                text = _text(round(value * 100, 10)) + "%"  # a cell Excel shows as 92% holds 0.92
            row.append(Cell(text, r, c, ws.title))
        rows.append(row)
    return rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value).strip()


def find_header(rows: list[Row], wanted: dict[str, tuple[str, ...]], required: tuple[str, ...],
                start: int = 0) -> tuple[int, dict[str, int]] | None:
    """The first row (from `start`) naming every required column, and the index of each known column.

    `wanted` maps a field to the header words that name it; a header cell matches a word it
    equals or contains ("年度指标值" matches "指标值").
    """
    for index in range(start, len(rows)):
        labels = [cell.text.replace(" ", "").replace("\n", "") for cell in rows[index]]
        columns: dict[str, int] = {}
        for exact in (True, False):  # 「三级指标」 names its column before 「一级指标」 merely contains 「指标」
            for position, label in enumerate(labels):
                if not label or position in columns.values():
                    continue
                for name, words in wanted.items():
                    if name not in columns and any(label == w if exact else w in label for w in words):
                        columns[name] = position
                        break
        if all(name in columns for name in required):
            return index, columns
    return None
