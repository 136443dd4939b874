"""Spreadsheet-like files (CSV, XLSX, XLS) as plain rows of text, with the address of every cell.

This module holds the cells, the reading of a file by its content (`read_sheet`), CSV, and the
search for a header row; workbooks are read by `perfrules.data.workbook`. Merged cells are filled
with their top-left value (a 一级指标 merged down a column belongs to every row it spans), so
readers can treat each row on its own.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfrules import limits
from perfrules.messages import Said


class TableError(ValueError):
    """A file that cannot be read as a table; the message says why, `row`/`column` say where when known."""

    def __init__(self, reason: str, row: int | None = None, column: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.row, self.column = reason, row, column


@dataclass(frozen=True)
class Cell:
    text: str
    row: int  # 1-based
    column: int  # 1-based
    sheet: str  # "" for CSV
    filled: bool = False  # a copy of a merged range's top-left value, not a cell of its own
    kind: str = ""  # "formula": a formula saved without its value (the text is the formula); "" otherwise

    @property
    def address(self) -> str:
        """`Sheet1!B5` for a workbook, `第 5 行第 2 列` for CSV (`row 5, column 2` where a finding is shown in English)."""
        if self.sheet:
            return f"{self.sheet}!{column_letter(self.column)}{self.row}"
        return Said(f"第 {self.row} 行第 {self.column} 列", f"row {self.row}, column {self.column}")


Row = list[Cell]


@dataclass
class Sheet:
    """The rows of the sheet read, its name, and what was passed over to get to it (hidden sheets)."""

    rows: list[Row]
    name: str = ""
    skipped: list[str] = field(default_factory=list)  # hidden sheets passed over, in workbook order
    others: list[str] = field(default_factory=list)  # the other sheets of the workbook


SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls")


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(path: str | Path, sheet: str | None = None) -> list[Row]:
    """The rows of a CSV file or of a workbook's sheet (the first visible worksheet, or the named one)."""
    return read_sheet(path, sheet).rows


def read_sheet(path: str | Path, sheet: str | None = None) -> Sheet:
    """A CSV file or a workbook's sheet (the first visible worksheet, or the named one), with its name.

    The file is read through `limits.read_bytes` (bounded, devices refused) and must hold what its
    extension says (a CSV named .xlsx is refused with a message saying it is CSV text). Rows
    without any cell (blank lines, empty sheet rows) are left out, so row i of the list need not
    be line or row i + 1 of the file: each cell carries its own row and column.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise TableError(f"不支持的表格格式 {suffix}：请用 .csv、.xlsx 或 .xls")
    try:
        data = limits.read_bytes(path, limits.MAX_FILE_BYTES)
    except limits.LimitError as error:
        raise TableError(str(error)) from error
    except OSError as error:
        raise TableError(error.strerror or "无法读取文件") from error
    found = sniff(data)
    expected = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls"}[suffix]
    if found != expected and not (expected == "csv" and found in ("binary", "empty")):
        raise TableError(f"这是{KINDS[found]}，不是 {suffix.lstrip('.')} {'文本' if expected == 'csv' else '工作簿'}"
                         f"：{_advice(found)}")
    if suffix == ".csv":
        return Sheet(read_csv(data))
    from perfrules.data import workbook  # openpyxl and xlrd only for workbooks

    if suffix == ".xls":
        return workbook.read_xls(data, sheet)
    return workbook.read_xlsx_sheet(data, sheet)


KINDS = {"xlsx": " xlsx 工作簿（zip）", "xls": " xls 工作簿（Excel 97–2003）", "html": " HTML 网页", "pdf": " PDF 文件",
         "csv": " CSV 文本", "binary": "无法识别的二进制数据", "empty": "空文件"}


def _advice(found: str) -> str:
    return {"xlsx": "请把扩展名改为 .xlsx", "xls": "请把扩展名改为 .xls，或在 Excel 中另存为 .xlsx",
            "html": "请在 Excel 中打开后另存为 .xlsx", "pdf": "请使用原始的 Excel 表格",
            "csv": "请把扩展名改为 .csv"}.get(found, "请检查文件")


def sniff(data: bytes) -> str:
    """What the bytes are: xlsx (a zip), xls (an OLE2 compound file), html, pdf, csv text, binary or empty."""
    head = data[:2048]
    if not data.strip():
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta")):
        return "html"
    for encoding in ("utf-8", "gb18030"):
        try:
            data[:65536].decode(encoding)
            return "csv"
        except UnicodeDecodeError as error:
            if error.start > 65536 - 4:  # a character cut at the sample's end
                return "csv"
    return "binary"


# ---------------------------------------------------------------- CSV


def read_csv(data: bytes) -> list[Row]:
    """CSV as the standard splits it: quoted line breaks stay in their field, U+2028 and the like are text.

    Each cell's row is the physical line where its record starts (what an editor shows).
    """
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError("CSV 不是 UTF-8 或 GBK 编码的文本")
    limit = limits.MAX_CSV_FIELD_BYTES
    previous = csv.field_size_limit(limit)  # counts characters; bytes are checked below
    try:
        return _csv_rows(csv.reader(io.StringIO(text, newline="")), limit)
    finally:
        csv.field_size_limit(previous)


def _csv_rows(reader: Any, limit: int) -> list[Row]:
    rows: list[Row] = []
    cells, line = 0, 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:
            if "field limit" in str(error):
                raise TableError(f"第 {line} 行起的记录中有字段超过 {limit:,} 字节的上限（MAX_CSV_FIELD_BYTES）",
                                 line) from error
            raise TableError(f"第 {line} 行起的记录不是有效的 CSV：{error}", line) from error
        cells += len(values)
        if cells > limits.MAX_CELLS:
            raise TableError(f"单元格超过 {limits.MAX_CELLS:,} 个（MAX_CELLS）", line)
        for column, value in enumerate(values, start=1):
            if len(value) * 4 > limit and len(value.encode("utf-8", "surrogatepass")) > limit:
                raise TableError(f"第 {line} 行第 {column} 列的字段超过 {limit:,} 字节的上限（MAX_CSV_FIELD_BYTES）",
                                 line, column)
        if values:  # a blank line is no row (32 MB of blank lines would otherwise be 32 million lists)
            rows.append([Cell(v.strip(), line, column, "") for column, v in enumerate(values, start=1)])
        line = reader.line_num + 1  # the next record starts on the line after this one ends


# ---------------------------------------------------------------- XLSX


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
