"""Workbooks (.xlsx, .xls) as plain rows of cells: checked as a zip first, then read from their stored cells.

A workbook is refused before openpyxl sees it when its archive is beyond the limits (parts,
unpacked size, pack ratio) or a part declares a DTD; only the cells a sheet really stores are
read (its declared dimension is never trusted), and merged ranges are filled inside the content.
Split from `perfrules.data.tables`, which holds the cells, CSV and the header search.
"""

from __future__ import annotations

import datetime
import io
import math
import re
from typing import Any

from perfrules import limits
from perfrules.data.tables import Cell, Row, Sheet, TableError, column_letter

EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # A1:XFD1048576, the largest sheet Excel has
RATIO_FLOOR = 1024 * 1024  # limits.MAX_PACK_RATIO is held to parts of more than this many bytes unpacked


def read_xlsx(data: bytes, sheet: str | None = None) -> list[Row]:
    """A worksheet's stored cells as rows (see `read_xlsx_sheet`)."""
    return read_xlsx_sheet(data, sheet).rows


def read_xlsx_sheet(data: bytes, sheet: str | None = None) -> Sheet:
    """A worksheet's stored cells as rows, checked as a zip before openpyxl opens it.

    Only the cells the sheet stores are read (read-only mode; the declared dimension is not
    trusted), rows without text are left out, merged ranges are filled only where the
    sheet has content, and every input problem is a TableError naming the part or cell.
    Without a name, the first visible worksheet is read; hidden ones before it are listed in `skipped`.
    """
    check_archive(data)
    import warnings

    with warnings.catch_warnings():  # openpyxl warns about what it drops (extensions, odd dates) on stderr
        warnings.simplefilter("ignore")
        book, chosen, source = _open_sheet(data, sheet)
        try:
            stored, merges = _stored_cells(book, chosen.name, source)
        finally:
            book.close()
    chosen.rows = _rows(stored, merges, chosen.name)
    return chosen


def read_xls(data: bytes, sheet: str | None = None) -> Sheet:
    """An Excel 97–2003 workbook (.xls) read through xlrd, as `read_xlsx_sheet` reads an .xlsx.

    The same choice of sheet (the first visible one), the same texts (numbers as Excel shows them
    with their number format, dates, error cells by their Excel name), merged ranges filled.
    """
    try:
        import xlrd  # type: ignore[import-untyped]
    except ImportError as error:  # pragma: no cover - xlrd is a dependency
        raise TableError("读取 .xls 需要 xlrd（pip install xlrd）；也可在 Excel 中另存为 .xlsx") from error
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as error:  # xlrd on a damaged or hostile file raises many kinds of errors
        raise TableError(f"无法打开 xls 工作簿：{_why(error)}") from error
    try:
        return _xls_sheet(book, sheet)
    except TableError:
        raise
    except Exception as error:
        raise TableError(f"xls 工作簿无法读取：{_why(error)}") from error
    finally:
        book.release_resources()


def _xls_sheet(book: Any, sheet: str | None) -> Sheet:
    import xlrd

    names = [str(n) for n in book.sheet_names()]
    if sheet is not None:
        if sheet not in names:
            raise TableError(f"工作簿中没有工作表 {sheet}（有：{'、'.join(names) or '无'}）")
        index, skipped = names.index(sheet), []
    else:
        if not names:
            raise TableError("工作簿中没有工作表")
        hidden = [i for i in range(len(names)) if book.sheet_by_index(i).visibility != 0]
        visible = [i for i in range(len(names)) if i not in hidden]
        index = visible[0] if visible else 0
        skipped = [names[i] for i in hidden if i != index]
        if index in hidden:
            skipped = [names[index] + "（隐藏，仍读取：没有可见的工作表）", *skipped]
    ws = book.sheet_by_index(index)
    title = names[index]
    stored: dict[int, dict[int, str]] = {}
    count = 0
    for r in range(ws.nrows):
        for c, cell in enumerate(ws.row(r)):
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            count += 1
            if count > limits.MAX_CELLS:
                raise TableError(f"工作表 {title} 存储的单元格超过 {limits.MAX_CELLS:,} 个（MAX_CELLS）", r + 1, c + 1)
            text = _xls_text(book, cell)
            if text:
                stored.setdefault(r + 1, {})[c + 1] = text
    merges = [f"{column_letter(c0 + 1)}{r0 + 1}:{column_letter(c1)}{r1}" for r0, r1, c0, c1 in ws.merged_cells
              if r1 > r0 and c1 > c0]
    return Sheet(_rows(stored, merges, title), title, skipped, [n for n in names if n != title])


def _xls_text(book: Any, cell: Any) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_TEXT:
        return str(cell.value).strip()
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return str(xlrd.error_text_from_code.get(cell.value, "#N/A"))
    try:
        fmt = str(book.format_map[book.xf_list[cell.xf_index].format_key].format_str)
    except (IndexError, KeyError, AttributeError, TypeError):
        fmt = "General"
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return _text(xlrd.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return "#VALUE!"
    value = cell.value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return shown(value, fmt)


def check_archive(data: bytes) -> None:
    """Refuse a workbook that is no zip, too many parts, a zip bomb, or XML with a DTD or another encoding."""
    import zipfile

    parts = data.count(b"PK\x01\x02")  # central-directory entries (an upper bound), before zipfile lists them
    if parts > limits.MAX_ARCHIVE_PARTS:
        raise TableError(f"工作簿有 {parts:,} 个以上的部件，超过上限 {limits.MAX_ARCHIVE_PARTS:,}（MAX_ARCHIVE_PARTS）")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, UnicodeDecodeError) as error:
        raise TableError(f"不是有效的 xlsx 文件（zip 结构损坏或不完整：{error}）") from error
    if len(infos) > limits.MAX_ARCHIVE_PARTS:
        raise TableError(f"工作簿有 {len(infos):,} 个部件，超过上限 {limits.MAX_ARCHIVE_PARTS:,}（MAX_ARCHIVE_PARTS）")
    total = sum(info.file_size for info in infos)
    if total > limits.MAX_UNPACKED_BYTES:
        raise TableError(f"工作簿解压后共 {total:,} 字节，超过上限 {limits.MAX_UNPACKED_BYTES:,} 字节（MAX_UNPACKED_BYTES）")
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > limits.MAX_PACK_RATIO * max(info.compress_size, 1):
            raise TableError(f"工作簿的部件 {info.filename} 压缩比超过 {limits.MAX_PACK_RATIO}（MAX_PACK_RATIO）：疑为压缩炸弹")
    with archive:
        for info in infos:
            _check_part(archive, info)


_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CHUNK = 1024 * 1024


def _check_part(archive: Any, info: Any) -> None:
    """One part, decompressed in chunks: UTF-8 only, no DTD or entity, at most MAX_CELLS cells in a worksheet."""
    import zipfile
    import zlib

    name = info.filename
    worksheet = name.lower().startswith("xl/worksheets/")
    cells, tail, first = 0, b"", True
    try:
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                if first:
                    first = False
                    head = chunk.removeprefix(b"\xef\xbb\xbf")
                    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:2] in (b"<\x00", b"\x00<"):
                        raise TableError(f"工作簿的部件 {name} 不是 UTF-8 编码：拒绝读取")
                    if head.lstrip()[:1] != b"<":
                        return  # not XML (an image, a binary part): openpyxl does not parse it as XML
                    declared = _DECLARED_ENCODING.match(head.lstrip())
                    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
                        raise TableError(f"工作簿的部件 {name} 声明了编码 {declared.group(1).decode('ascii', 'replace')}"
                                         "：只接受 UTF-8")
                window = tail + chunk
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    raise TableError(f"工作簿的部件 {name} 含有 DTD 或实体声明（<!DOCTYPE、<!ENTITY）：为安全起见拒绝读取")
                if worksheet:
                    cells += sum(1 for _ in _CELL_TAG.finditer(chunk))
                    if cells > limits.MAX_CELLS:
                        raise TableError(f"工作表 {name} 存储的单元格超过 {limits.MAX_CELLS:,} 个（MAX_CELLS）")
                tail = chunk[-16:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as error:
        if isinstance(error, TableError):
            raise
        raise TableError(f"工作簿的部件 {name} 压缩数据损坏：{error}") from error


def _open_sheet(data: bytes, sheet: str | None) -> tuple[Any, Sheet, Any]:
    """The opened workbook, the sheet to read (rows still empty) and its XML source."""
    from openpyxl.reader.excel import ExcelReader

    class Reader(ExcelReader):  # type: ignore[misc]
        def read_chartsheet(self, sheet: Any, rel: Any) -> None:
            """Charts hold no data; openpyxl fails on a chartsheet without relationships, so none is read."""

    try:
        reader = Reader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read()
    except Exception as error:  # openpyxl on a hostile workbook raises anything; all of it is the file's fault
        raise TableError(f"无法打开工作簿：{_why(error)}") from error
    book = reader.wb
    try:
        declared = [(str(s.name), str(rel.target), "chartsheet" in rel.Type, (getattr(s, "state", None) or "visible"))
                    for s, rel in reader.parser.find_sheets()]
        names = [d[0] for d in declared]
        skipped: list[str] = []
        if sheet is not None:
            chosen = next((d for d in declared if d[0] == sheet), None)
            if chosen is None:
                raise TableError(f"工作簿中没有工作表 {sheet}（有：{'、'.join(names) or '无'}）")
            if chosen[2]:
                raise TableError(f"{sheet} 是图表，不是工作表")
        else:
            worksheets = [d for d in declared if not d[2]]
            chosen = next((d for d in worksheets if d[3] == "visible"), None)
            if chosen is None:
                chosen = next(iter(worksheets), None)  # only hidden worksheets: the first of them, still noticed
            if chosen is None:
                raise TableError("工作簿中没有工作表（只有图表或什么也没有）")
            skipped = [d[0] for d in worksheets if d[3] != "visible" and d != chosen]
            if chosen[3] != "visible":
                skipped = [chosen[0] + "（隐藏，仍读取：没有可见的工作表）", *skipped]
        title, target, _chart, _state = chosen
        if target not in reader.valid_files:
            raise TableError(f"工作表 {title} 的部件 {target} 缺失")
        found = Sheet([], title, skipped, [n for n in names if n != title])
        return book, found, book._archive.open(target)
    except TableError:
        book.close()
        raise
    except Exception as error:
        book.close()
        raise TableError(f"无法打开工作簿：{_why(error)}") from error


def _stored_cells(book: Any, title: str, source: Any) -> tuple[dict[int, dict[int, str]], list[str]]:
    """The text of every stored cell by row and column, and the merged ranges, as the sheet's XML holds them."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> dict[str, Any]:
            """A formula saved without its value (no <v>) is kept as its formula text, marked as such."""
            cell: dict[str, Any] = super().parse_cell(element)
            if cell["value"] is None and cell.get("data_type") != "inlineStr":
                formula = element.find(FORMULA_TAG)
                if formula is not None:
                    cell["value"] = FormulaText("=" + (formula.text or "").strip())
            return cell

    stored: dict[int, dict[int, str]] = {}
    parser = Parser(source, _shared_strings(book), data_only=True, epoch=book.epoch,
                             date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
    count = 0
    try:
        with source:
            for _index, cells in parser.parse():
                for cell in cells:
                    count += 1
                    row, column = cell["row"], cell["column"]
                    if count > limits.MAX_CELLS:
                        raise TableError(f"工作表 {title} 存储的单元格超过 {limits.MAX_CELLS:,} 个（MAX_CELLS）", row, column)
                    if not (1 <= row <= EXCEL_ROWS and 1 <= column <= EXCEL_COLUMNS):
                        raise TableError(f"工作表 {title} 的单元格 {column_letter(column)}{row} 超出 Excel 的范围"
                                         "（A1:XFD1048576）")
                    value = cell["value"]
                    text = value if isinstance(value, FormulaText) else shown(value, _number_format(book, cell["style_id"]))
                    if text:
                        stored.setdefault(row, {})[column] = text
        merged = parser.merged_cells
        merges = [str(m.ref) for m in merged.mergeCell] if merged is not None else []
    except TableError:
        raise
    except Exception as error:  # malformed XML, a bad shared-string index, a number that is no number ...
        raise TableError(f"工作表 {title} 无法读取：{_why(error)}") from error
    return stored, merges


class FormulaText(str):
    """The text of a formula cell saved without its computed value (「=SUM(H11:H19)」)."""


def _shared_strings(book: Any) -> Any:
    for ws in book.worksheets:
        return ws._shared_strings
    return []


def _number_format(book: Any, style_id: Any) -> str:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    try:
        number = book._cell_styles[int(style_id or 0)].numFmtId
        if number < BUILTIN_FORMATS_MAX_SIZE:
            return str(BUILTIN_FORMATS.get(number, "General"))
        return str(book._number_formats[number - BUILTIN_FORMATS_MAX_SIZE])
    except (IndexError, KeyError, AttributeError, TypeError, ValueError):
        return "General"


def _why(error: BaseException) -> str:
    """What went wrong, in a short line."""
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    text = str(error)[:200]
    if isinstance(error, (zlib.error, zipfile.BadZipFile, EOFError)):
        return f"压缩数据损坏（{text}）"
    if isinstance(error, ParseError):
        return f"XML 格式错误（{text}）"
    if isinstance(error, KeyError):
        return f"缺少部件 {text}"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _rows(stored: dict[int, dict[int, str]], merges: list[str], title: str) -> list[Row]:
    """Rows up to the last one with text; each up to its last cell with text; merged ranges filled within them."""
    if not stored:
        return []
    last_row = max(stored)
    last_column = max(max(columns) for columns in stored.values())
    filled = 0
    copies: set[tuple[int, int]] = set()
    for ref in merges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError) as error:
            raise TableError(f"工作表 {title} 的合并单元格范围 {ref} 无效") from error
        if min_row is None or min_col is None or max_row is None or max_col is None:
            raise TableError(f"工作表 {title} 的合并单元格范围 {ref} 无效")
        top = stored.get(min_row, {}).get(min_col, "")
        for row in range(min_row, min(max_row, last_row) + 1):
            columns = range(min_col, min(max_col, last_column) + 1)
            filled += len(columns)
            if filled > limits.MAX_CELLS:
                raise TableError(f"工作表 {title} 的合并单元格共覆盖超过 {limits.MAX_CELLS:,} 个单元格（MAX_CELLS）",
                                 min_row, min_col)
            cells = stored.setdefault(row, {})
            for column in columns:  # a merged range shows its top-left value in every cell it covers
                if (row, column) == (min_row, min_col):
                    continue
                if top:
                    cells[column] = top
                    copies.add((row, column))
                else:
                    cells.pop(column, None)
    rows: list[Row] = []
    total = 0
    for number in sorted(stored):  # rows without text are left out: a cell at XFD1048576 costs no million rows
        texts = stored[number]
        if not texts:
            continue
        width = max(texts)
        total += width
        if total > limits.MAX_CELLS:
            raise TableError(f"工作表 {title} 的行列范围内超过 {limits.MAX_CELLS:,} 个单元格（MAX_CELLS）", number, width)
        rows.append([_cell(texts.get(column, ""), number, column, title, (number, column) in copies)
                     for column in range(1, width + 1)])
    return rows


def _cell(text: str, row: int, column: int, sheet: str, filled: bool) -> Cell:
    return Cell(str(text), row, column, sheet, filled, "formula" if isinstance(text, FormulaText) else "")


def range_boundaries(ref: str) -> tuple[int | None, int | None, int | None, int | None]:
    from openpyxl.utils.cell import range_boundaries as boundaries

    return boundaries(ref)  # type: ignore[no-any-return]


def shown(value: object, number_format: str) -> str:
    """A cell's value as Excel shows it: =10*2216/2300 formatted 0.00 is 9.63, 0.92 formatted 0% is 92%."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    percent = "%" in number_format
    if isinstance(value, float):
        if not math.isfinite(value):
            return _text(value)
        places = re.search(r"0\.(0+)", number_format)
        scale = 100 if percent else 1
        value = round(value * scale, len(places.group(1)) if places else 10) / scale
    if isinstance(value, (int, float)) and percent:
        return _text(round(value * 100, 10)) + "%"  # a cell Excel shows as 92% holds 0.92
    return _text(value)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()  # a date cell (2023-11-30), as the language writes a date
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value).strip()
