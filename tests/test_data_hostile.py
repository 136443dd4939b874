"""Hostile data files and spreadsheets: every one a located PR019 (exit 2), quickly, never a traceback.

The hostile workbooks are built here with zipfile by hand (`_xlsx`), never shipped as binaries.
"""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from perfrules import limits, pipeline
from perfrules.data.actuals import load_actuals

from conftest import SEED, cli

RULES = '"资格认证人数" >= 60000 人 weight 5 cap 100%\n"满意度" >= 95% weight 5\n'


def _run(tmp_path: Path, name: str, content: str | bytes, rules: str = RULES) -> pipeline.Run:
    rule_file = tmp_path / "r.perf"
    rule_file.write_text(rules, encoding="utf-8")
    data = tmp_path / name
    if isinstance(content, bytes):
        data.write_bytes(content)
    else:
        data.write_text(content, encoding="utf-8", newline="")
    return pipeline.evaluate_run(pipeline.compile_file(rule_file), data)


def _pr019(run: pipeline.Run) -> list[str]:
    """`line:column: message` of each PR019, in order."""
    return [f"{f.span.line}:{f.span.column}: {f.message()}" for f in run.findings if f.code == "PR019" and f.span]


def _eval_cli(tmp_path: Path, name: str, content: str | bytes) -> tuple[int, str]:
    data = tmp_path / name
    if isinstance(content, bytes):
        data.write_bytes(content)
    else:
        data.write_text(content, encoding="utf-8", newline="")
    out = cli("eval", str(SEED), "--data", str(data))
    return out.exit_code, out.stderr


# ---------------------------------------------------------------- bounded reading


def test_data_files_are_read_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for suffix in ("json", "yaml", "csv", "xlsx"):
        fifo = tmp_path / f"fifo.{suffix}"
        os.mkfifo(fifo)
        started = time.monotonic()
        out = cli("eval", str(SEED), "--data", str(fifo))
        assert out.exit_code == 2 and f"fifo.{suffix}:1:1: PR019" in out.stderr and "设备或管道" in out.stderr
        assert time.monotonic() - started < 5
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    for suffix, text in (("json", '{"资格认证人数": 1}' + " " * 200), ("yaml", "资格认证人数: 1\n" + "#\n" * 100),
                         ("csv", "指标名称,实际完成值\n" + "资格认证人数,1\n" * 20)):
        run = _run(tmp_path, f"big.{suffix}", text)
        assert _pr019(run) == [f"1:1: 数据文件 {tmp_path / f'big.{suffix}'} 无效：文件太大"
                               f"（{len(text.encode())} 字节，上限 100 字节）"]
    book = _xlsx({"xl/worksheets/sheet1.xml": _sheet(_cells(HEADER, ["资格认证人数", "1"]))})
    run = _run(tmp_path, "big.xlsx", book)
    assert _pr019(run) == [f"1:1: 数据文件 {tmp_path / 'big.xlsx'} 无效：文件太大（{len(book):,} 字节，上限 100 字节）"]


# ---------------------------------------------------------------- YAML as typed


def test_yaml_is_read_as_typed_with_the_core_schema(tmp_path: Path) -> None:
    rules = "".join(f'"{n}" >= 1 weight 10\n' for n in "abcefh")
    text = "a: 010\nb: 1:30\nc: yes\ne: 1.5e1\nf: off\nh: 12\n"
    run = _run(tmp_path, "a.yaml", text, rules)
    assert run.result is not None
    results = {i.name: i for i in run.result.indicators()}
    assert results["a"].actual == Decimal(10) and results["a"].status == "scored"  # never octal 8
    assert results["e"].actual == Decimal(15) and isinstance(results["e"].actual, Decimal)
    assert results["h"].actual == Decimal(12)
    texts = {name: r.actual_text for name, r in results.items() if r.status == "text"}
    assert texts == {"b": "1:30", "c": "yes", "f": "off"}  # kept as typed: scored 0 (PR023)
    lines = sorted(f.span.line for f in run.findings if f.code == "PR023" and f.span)
    assert lines == [2, 3, 5]
    for text in ("a: 1\n资格认证人数: 0x1F\n", "a: 1\n资格认证人数: 0o17\n"):  # 31 and 15 in YAML 1.2: not guessed
        (message,) = _pr019(_run(tmp_path, "r.yaml", text))
        assert message.startswith("2:9: ") and "十六进制或八进制" in message


def test_yaml_alias_bomb_stops_quickly(tmp_path: Path) -> None:
    bomb = "a: &a [" + ",".join(['"lol"'] * 9) + "]\n" + "".join(
        f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    assert len(bomb) < 1024
    started = time.monotonic()
    code, stderr = _eval_cli(tmp_path, "bomb.yaml", bomb)
    assert time.monotonic() - started < 1
    assert code == 2 and "bomb.yaml:4:8: PR019" in stderr and "别名" in stderr and "100" in stderr
    run = _run(tmp_path, "ok.yaml", '"资格认证人数": &n 80646\n"满意度": *n\n')  # a few aliases are fine
    assert not _pr019(run)


def test_yaml_nesting_and_huge_integers_are_findings(tmp_path: Path) -> None:
    run = _run(tmp_path, "deep.yaml", "资格认证人数: " + "[" * 100_000)
    assert _pr019(run) and "嵌套超过 50 层" in _pr019(run)[0]
    run = _run(tmp_path, "deep2.yaml", "资格认证人数:\n" + "".join("  " * i + "- \n" for i in range(1, 60)))
    assert _pr019(run)[0].startswith("51:101: ") and "嵌套超过 50 层" in _pr019(run)[0]
    started = time.monotonic()
    run = _run(tmp_path, "huge.yaml", "满意度: 1\n资格认证人数: " + "9" * 100_000 + "\n")
    assert time.monotonic() - started < 2
    (message,) = _pr019(run)
    assert message.startswith("2:") and "太大（不超过 15 位整数）" in message and "100,000" in message
    assert len(message) < 200
    for text, words in (("资格认证人数: .inf\n", ".inf 不是有限的数"), ("资格认证人数: .nan\n", ".nan 不是有限的数"),
                        ("资格认证人数: !!binary aGk=\n", "不支持的 YAML 标签"),
                        ("资格认证人数: &a [*a]\n", "YAML 格式错误"),
                        ('资格认证人数: "\\ud800"\n', "YAML 格式错误"),
                        ("资格认证人数: 1\n资格认证人数: 2\n", "出现了两次")):
        run = _run(tmp_path, "x.yaml", text)
        assert run.result is None and len(_pr019(run)) == 1 and words in _pr019(run)[0], (text, _pr019(run))


# ---------------------------------------------------------------- JSON


def test_json_nesting_numbers_and_surrogates_are_located_findings(tmp_path: Path) -> None:
    cases = [
        ('{"资格认证人数": ' + "[" * 100_000, "1:61: ", "嵌套超过 50 层"),
        ('{"资格认证人数": 1e999999999}', "1:12: ", "数值 1e999999999 太大（不超过 15 位整数）"),
        ('{"满意度": 1,\n "资格认证人数": -1e999999999}', "2:12: ", "数值 -1e999999999 太大"),
        ('{"资格认证人数": 1e-999999999}', "1:12: ", "太小"),
        ('{"资格认证人数": NaN}', "1:12: ", "JSON 中的 NaN 不是数"),
        ('{"资格认证人数": Infinity}', "1:12: ", "JSON 中的 Infinity 不是数"),
        ('{"资格认证人数": "\\ud800"}', "1:2: ", "文字中有不成对的代理字符（\\ud800）"),
        ('{"满意度": 1, "\\udfff": 2}', "1:12: ", "名称中有不成对的代理字符（\\udfff）"),
        ('{"资格认证人数": {"value": 1, "reason": "a\\ud83d"}}', "1:2: ", "代理字符"),
        ('{"资格认证人数": ' + "1" * 100_000 + "}", "1:12: ", "（共 100,000 个字符） 太大"),
        ('{"资格认证人数": 1,\n"满意度": 2,\n"资格认证人数": 3}', "3:1: ", "名称「资格认证人数」出现了两次"),
    ]
    for text, where, words in cases:
        started = time.monotonic()
        run = _run(tmp_path, "a.json", text)
        assert time.monotonic() - started < 2, text[:40]
        found = _pr019(run)
        assert len(found) == 1 and found[0].startswith(where) and words in found[0], (text[:60], found)
        assert run.result is None
    code, stderr = _eval_cli(tmp_path, "s.json", '{"资格认证人数": "\\ud800"}')
    assert code == 2 and "s.json:1:2: PR019" in stderr and "Traceback" not in stderr and "内部错误" not in stderr


def test_keys_are_located_on_physical_lines(tmp_path: Path) -> None:
    text = '{"满意度": "96%\u2028",\n\n  "资格认证人数": true}'  # U+2028 is no line break for an editor
    (message,) = _pr019(_run(tmp_path, "a.json", text))
    assert message.startswith("3:3: ") and "/资格认证人数：实际值应为数字" in message
    (message,) = _pr019(_run(tmp_path, "a.yaml", '满意度: "96%\u2028"\n\n  \n"资格认证人数": true\n'))
    assert message.startswith("4:1: ") and "/资格认证人数：实际值应为数字" in message


def test_many_keys_cost_linear_time(tmp_path: Path) -> None:
    """Loading 20,000 names takes about five times as long as 4,000 (it was quadratic: 11 s for 4,000)."""
    rules = tmp_path / "many.perf"
    count = 20_000
    rules.write_text("".join(f'"指标{i}" >= 10 人 weight 1\n' for i in range(count)), encoding="utf-8")
    plan = pipeline.compile_file(rules).plan
    assert plan is not None
    timings = {}
    for suffix, render in (("json", lambda n: json.dumps({f"指标{i}": i for i in range(n)}, ensure_ascii=False)),
                           ("yaml", lambda n: "".join(f"指标{i}: {i}\n" for i in range(n))),
                           ("csv", lambda n: "指标名称,实际完成值\n" + "".join(f"指标{i},{i}\n" for i in range(n)))):
        path = tmp_path / f"many.{suffix}"
        path.write_text(render(count), encoding="utf-8")
        started = time.monotonic()
        actuals, findings = load_actuals(path, plan)
        timings[suffix] = time.monotonic() - started
        assert len(actuals) == count and not findings
    assert max(timings.values()) < 10, timings


# ---------------------------------------------------------------- xlsx helpers


def _sheet(rows: str, extra: str = "", head: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>' + head +
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{extra}<sheetData>{rows}</sheetData></worksheet>")


def _xlsx(parts: dict[str, str | bytes], sheets: list[tuple[str, str, str]] | None = None,
          method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A workbook made by hand: `sheets` as (name, kind, part) with kind worksheet or chartsheet."""
    sheets = sheets or [("Sheet1", "worksheet", "worksheets/sheet1.xml")]
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    content_types = {"worksheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
                     "chartsheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"}
    overrides = "".join(f'<Override PartName="/xl/{part}" ContentType="{content_types[kind]}"/>'
                        for _name, kind, part in sheets)
    files: dict[str, str | bytes] = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        + "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _k, _p) in
                  enumerate(sheets, start=1)) + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{i}" Type="{rel}/{kind}" Target="{part}"/>'
                  for i, (_n, kind, part) in enumerate(sheets, start=1)) + "</Relationships>",
    }
    files.update(parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _cells(*rows: list[str]) -> str:
    """Rows of inline-string cells from A1."""
    from perfrules.data.tables import column_letter

    return "".join(f'<row r="{r}">' + "".join(
        f'<c r="{column_letter(c)}{r}" t="inlineStr"><is><t>{text}</t></is></c>' for c, text in enumerate(row, start=1))
        + "</row>" for r, row in enumerate(rows, start=1))


HEADER = ["指标名称", "实际完成值"]


def _book_run(tmp_path: Path, parts: dict[str, str | bytes], **options: object) -> tuple[pipeline.Run, float]:
    started = time.monotonic()
    run = _run(tmp_path, "a.xlsx", _xlsx(parts, **options))  # type: ignore[arg-type]
    return run, time.monotonic() - started


# ---------------------------------------------------------------- CSV as the standard splits it


def test_csv_keeps_u2028_and_quoted_line_breaks_and_reports_physical_lines(tmp_path: Path) -> None:
    text = ('指标名称,实际完成值,偏差原因\r\n'
            '满意度,96%,"第一行\r\n第二行"\r\n'
            '"不存在的\n指标",1,\r\n'
            '资格认证人数,50000,疫情\u2028影响\x0c与\x85其他\r\n'
            '又一个,1,\r\n')
    run = _run(tmp_path, "a.csv", text)
    assert run.result is not None
    reasons = {i.name: i.reason for i in run.result.indicators()}
    assert reasons == {"满意度": "第一行\r\n第二行", "资格认证人数": "疫情\u2028影响\x0c与\x85其他"}
    unknown = [f for f in run.findings if f.code == "PR020"]
    assert [(f.span.line, f.span.column) for f in unknown if f.span] == [(4, 2), (7, 2)]  # where each record starts
    from perfrules.data.tables import read_table

    rows = read_table(tmp_path / "a.csv")
    assert [row[0].row for row in rows] == [1, 2, 4, 6, 7]
    assert rows[3][2].text == "疫情\u2028影响\x0c与\x85其他"


def test_csv_fields_beyond_the_limit_are_findings_at_their_row(tmp_path: Path) -> None:
    wide = "x" * 200_000  # beyond csv's default 128 KB limit, within MAX_CSV_FIELD_BYTES: a value
    run = _run(tmp_path, "a.csv", f"指标名称,实际完成值,偏差原因\n资格认证人数,80646,{wide}\n")
    assert not _pr019(run) and run.result is not None
    huge = "x" * (limits.MAX_CSV_FIELD_BYTES + 1)
    run = _run(tmp_path, "a.csv", f"指标名称,实际完成值\n满意度,96%\n\n资格认证人数,{huge}\n")
    (message,) = _pr019(run)
    assert message.startswith("4:") and "超过 1,048,576 字节的上限" in message
    wide_cjk = "字" * (limits.MAX_CSV_FIELD_BYTES // 3 + 1)  # within the character limit, beyond the bytes
    run = _run(tmp_path, "a.csv", f"指标名称,实际完成值,偏差原因\n资格认证人数,1,{wide_cjk}\n")
    (message,) = _pr019(run)
    assert message.startswith("2:3: ") and "超过 1,048,576 字节的上限" in message
    code, stderr = _eval_cli(tmp_path, "b.csv", f"指标名称,实际完成值\n资格认证人数,{huge}\n")
    assert code == 2 and "b.csv:2:1: PR019" in stderr and "Traceback" not in stderr
    run = _run(tmp_path, "a.csv", "指标名称,实际完成值\n资格认证人数,8\x0046\n")  # NUL: text, scored 0 (PR023)
    assert not _pr019(run) and [f.code for f in run.findings if f.code == "PR023"] == ["PR023"]


def test_csv_with_too_many_cells_is_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_CELLS", 10)
    (message,) = _pr019(_run(tmp_path, "a.csv", "指标名称,实际完成值\n" + "a,1\n" * 4 + ",,,\n"))
    assert message.startswith("6:1: ") and "单元格超过 10 个" in message


# ---------------------------------------------------------------- XLSX


def test_a_chartsheet_first_reads_the_first_worksheet(tmp_path: Path) -> None:
    chart = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    sheets = [("图表", "chartsheet", "chartsheets/sheet1.xml"), ("数据", "worksheet", "worksheets/sheet1.xml")]
    parts = {"xl/chartsheets/sheet1.xml": chart,
             "xl/worksheets/sheet1.xml": _sheet(_cells(HEADER, ["资格认证人数", "80646"], ["满意度", "96%"]))}
    run, _ = _book_run(tmp_path, parts, sheets=sheets)
    assert not _pr019(run) and run.result is not None and run.result.total == Decimal("10.00")
    run, _ = _book_run(tmp_path, {"xl/chartsheets/sheet1.xml": chart}, sheets=sheets[:1])
    assert _pr019(run) == [f"1:1: 数据文件 {tmp_path / 'a.xlsx'} 无效：工作簿中没有工作表（只有图表或什么也没有）"]
    from perfrules.data.tables import TableError, read_table

    with pytest.raises(TableError, match="图表 是图表，不是工作表"):
        read_table(tmp_path / "a.xlsx", "图表")


def _corrupt_deflate(book: bytes, part: str) -> bytes:
    """The workbook with the compressed bytes of `part` overwritten (its headers intact)."""
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        info = archive.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    return book[:start] + b"\xff" * info.compress_size + book[start + info.compress_size:]


def test_broken_workbooks_are_located_findings(tmp_path: Path) -> None:
    good = _xlsx({"xl/worksheets/sheet1.xml": _sheet(_cells(HEADER, ["资格认证人数", "80646"]))})
    cases: list[tuple[str, bytes, str]] = [
        ("corrupt deflate", _corrupt_deflate(good, "xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml 压缩数据损坏"),
        ("truncated", good[: len(good) // 2], "不是有效的 xlsx 文件"),
        ("not a zip", b"PK\x03\x04 nothing", "不是有效的 xlsx 文件"),
        ("missing sheet", _xlsx({}), "工作表 Sheet1 的部件 xl/worksheets/sheet1.xml 缺失"),
        ("malformed", _xlsx({"xl/worksheets/sheet1.xml": _sheet("<row r='1'><c r='A1'>")}), "XML 格式错误"),
        ("entities", _xlsx({"xl/worksheets/sheet1.xml": _sheet(
            _cells(["&a;"]), head='<!DOCTYPE w [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')}),
         "含有 DTD 或实体声明"),
        ("utf-16", _xlsx({"xl/worksheets/sheet1.xml": _sheet(_cells(HEADER)).replace("UTF-8", "UTF-16")
                          .encode("utf-16")}), "不是 UTF-8 编码"),
        ("declared latin-1", _xlsx({"xl/worksheets/sheet1.xml": _sheet(_cells(HEADER)).replace("UTF-8", "ISO-8859-1")}),
         "声明了编码 ISO-8859-1"),
        ("bad shared string", _xlsx({"xl/worksheets/sheet1.xml": _sheet("<row r='1'><c r='A1' t='s'><v>7</v></c></row>")}),
         "工作表 Sheet1 无法读取"),
        ("bad number", _xlsx({"xl/worksheets/sheet1.xml": _sheet("<row r='1'><c r='A1'><v>x1</v></c></row>")}),
         "工作表 Sheet1 无法读取"),
        ("huge integer", _xlsx({"xl/worksheets/sheet1.xml": _sheet(f"<row r='1'><c r='A1'><v>{'9' * 100_000}</v></c></row>")}),
         "工作表 Sheet1 无法读取"),
        ("bad merge", _xlsx({"xl/worksheets/sheet1.xml": _sheet(_cells(HEADER)).replace(
            "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A0:!!"/></mergeCells>')}),
         "工作表 Sheet1 无法读取"),
    ]
    for label, book, words in cases:
        path = tmp_path / f"{label}.xlsx"
        path.write_bytes(book)
        started = time.monotonic()
        run = pipeline.evaluate_run(pipeline.compile_file(_rules(tmp_path)), path)
        assert time.monotonic() - started < 5, label
        found = _pr019(run)
        assert len(found) == 1 and words in found[0] and run.result is None, (label, found)
        for command in (["eval", str(SEED), "--data", str(path)], ["import", str(path), "-o", str(tmp_path / "x.perf")],
                        ["audit", str(path)]):
            out = cli(*command)
            shown = out.stdout + out.stderr
            assert out.exit_code == 2 and f"{path}:1:1: PR019" in shown and words in shown, (label, command, shown)


def _rules(tmp_path: Path) -> Path:
    rules = tmp_path / "r.perf"
    rules.write_text(RULES, encoding="utf-8")
    return rules


def test_zip_bombs_stop_before_anything_is_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blank = _sheet(_cells(HEADER, ["资格认证人数", "80646"]) + " " * (8 * 1024 * 1024))  # 8 MB packed ~1000:1
    run, seconds = _book_run(tmp_path, {"xl/worksheets/sheet1.xml": blank})
    (message,) = _pr019(run)
    assert "xl/worksheets/sheet1.xml 压缩比超过 200" in message and seconds < 2
    stored = _xlsx({"xl/worksheets/sheet1.xml": _sheet(_cells(HEADER, ["资格认证人数", "80646"]))},
                   method=zipfile.ZIP_STORED)
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 1000)
    (message,) = _pr019(_run(tmp_path, "b.xlsx", stored))
    assert "超过上限 1,000 字节（MAX_UNPACKED_BYTES）" in message
    monkeypatch.setattr(limits, "MAX_ARCHIVE_PARTS", 6)
    parts: dict[str, str | bytes] = {f"xl/media/{i}.bin": b"" for i in range(3)}
    (message,) = _pr019(_run(tmp_path, "c.xlsx", _xlsx(parts)))
    assert "超过上限 6（MAX_ARCHIVE_PARTS）" in message


def test_declared_dimensions_and_far_cells_cost_only_what_is_stored(tmp_path: Path) -> None:
    import tracemalloc

    rows = _cells(HEADER, ["资格认证人数", "80646"], ["满意度", "96%"])
    cases = {
        "dimension": _sheet(rows, extra='<dimension ref="A1:XFD1048576"/>'),
        "far cell": _sheet(rows + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>远</t></is></c></row>'),
        "merged": _sheet(rows).replace("</sheetData>", '</sheetData><mergeCells count="1">'
                                                      '<mergeCell ref="C1:XFD1048576"/></mergeCells>'),
    }
    for label, sheet in cases.items():
        tracemalloc.start()
        run, seconds = _book_run(tmp_path, {"xl/worksheets/sheet1.xml": sheet})
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert not _pr019(run) and run.result is not None and run.result.total == Decimal("10.00"), label
        assert seconds < 3 and peak < 100 * 1024 * 1024, (label, seconds, peak)
    from perfrules.data.tables import read_table

    rows_read = read_table(tmp_path / "a.xlsx")  # the merged case: C1:XFD1048576 filled only within the content
    assert [len(row) for row in rows_read] == [2, 2, 2]
    (tmp_path / "far.xlsx").write_bytes(_xlsx({"xl/worksheets/sheet1.xml": cases["far cell"]}))
    far = read_table(tmp_path / "far.xlsx")
    assert len(far) == 4 and far[-1][-1].address == "Sheet1!XFD1048576" and far[-1][-1].text == "远"
    assert len(far[-1]) == 16_384 and sum(len(row) for row in far) == 6 + 16_384


def test_too_many_cells_are_refused_before_they_are_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_CELLS", 50)
    many = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in "ABCDEFGHIJ") + "</row>"
                   for r in range(1, 7))
    (message,) = _pr019(_book_run(tmp_path, {"xl/worksheets/sheet1.xml": _sheet(many)})[0])
    assert "存储的单元格超过 50 个" in message
    wide = _sheet(_cells(HEADER) + "".join(f'<row r="{r}"><c r="AZ{r}"><v>1</v></c></row>' for r in range(2, 4)))
    (message,) = _pr019(_book_run(tmp_path, {"xl/worksheets/sheet1.xml": wide})[0])
    assert message.startswith("2:52: ") and "行列范围内超过 50 个单元格" in message
    merged = _sheet(_cells(HEADER, ["a", "1"], ["b", "2"]) + '<row r="40"><c r="Z40"><v>1</v></c></row>').replace(
        "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
    (message,) = _pr019(_book_run(tmp_path, {"xl/worksheets/sheet1.xml": merged})[0])
    assert message.startswith("1:1: ") and "合并单元格共覆盖超过 50 个单元格" in message


def test_cell_values_of_every_kind_are_values_or_findings(tmp_path: Path) -> None:
    styles = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
              "</cellXfs></styleSheet>")
    rules = "".join(f'"{n}" >= 1 weight 10\n' for n in ("错误", "布尔", "日期", "坏日期", "长", "大", "小"))
    rows = (_cells(HEADER) +
            '<row r="2"><c r="A2" t="inlineStr"><is><t>错误</t></is></c><c r="B2" t="e"><v>#DIV/0!</v></c></row>'
            '<row r="3"><c r="A3" t="inlineStr"><is><t>布尔</t></is></c><c r="B3" t="b"><v>1</v></c></row>'
            '<row r="4"><c r="A4" t="inlineStr"><is><t>日期</t></is></c><c r="B4" s="1"><v>45000</v></c></row>'
            '<row r="5"><c r="A5" t="inlineStr"><is><t>坏日期</t></is></c><c r="B5" s="1"><v>1e300</v></c></row>'
            f'<row r="6"><c r="A6" t="inlineStr"><is><t>长</t></is></c><c r="B6" t="inlineStr"><is><t>{"长" * 100_000}'
            "</t></is></c></row>"
            '<row r="7"><c r="A7" t="inlineStr"><is><t>大</t></is></c><c r="B7"><v>1e300</v></c></row>'
            '<row r="8"><c r="A8" t="inlineStr"><is><t>小</t></is></c><c r="B8" s="9"><v>-1e-300</v></c></row>')
    path = tmp_path / "kinds.xlsx"
    path.write_bytes(_xlsx({"xl/worksheets/sheet1.xml": _sheet(rows), "xl/styles.xml": styles}))
    rule_file = tmp_path / "kinds.perf"
    rule_file.write_text(rules, encoding="utf-8")
    started = time.monotonic()
    run = pipeline.evaluate_run(pipeline.compile_file(rule_file), path)
    assert time.monotonic() - started < 5
    assert all(f.span is not None and f.span.file in (str(path), str(rule_file)) for f in run.findings)
    from perfrules.data.tables import read_table

    texts = [row[1].text for row in read_table(path)[1:]]
    assert texts[:4] == ["#DIV/0!", "TRUE", "2023-03-15", "#VALUE!"]  # a date cell reads as the date
    assert len(texts[4]) == 100_000 and texts[5] == "1e+300"
    for command in (["eval", str(rule_file), "--data", str(path)], ["import", str(path), "-o", str(tmp_path / "x.perf")],
                    ["audit", str(path)]):
        out = cli(*command)
        assert out.exit_code in (0, 1, 2) and "Traceback" not in out.stderr and "内部错误" not in out.stderr, command


def test_a_form_that_cannot_be_read_says_where(tmp_path: Path) -> None:
    from perfrules.data.selfeval import FormError, read_selfeval

    path = tmp_path / "form.csv"
    path.write_text("三级指标,指标值,分值\n\n人数," + "x" * (limits.MAX_CSV_FIELD_BYTES + 1) + ",5\n", encoding="utf-8")
    with pytest.raises(FormError, match="第 3 行起的记录中有字段超过") as raised:
        read_selfeval(path)
    assert (raised.value.row, raised.value.column) == (3, None)


@pytest.mark.parametrize("value, why", [
    ({"value": 0, "unit": []}, "unit 须是文字"),
    ({"value": 0, "unit": {}}, "unit 须是文字"),
    ({"value": [1]}, "value 须是数字或文字"),
    ({"value": 1, "reason": 5}, "reason 须是文字"),
    ({"value": 1, "x": 2}, "不认识的字段 x"),
])
def test_an_object_under_a_partial_path_is_checked_like_any_other(tmp_path: Path, value: object, why: str) -> None:
    """A name the schema does not list (a partial path the index resolves) must not skip the field checks."""
    seed = Path(__file__).parent.parent / "rulesets" / "examples" / "retiree-services-2023.perf"
    data = tmp_path / "u.json"
    data.write_text(json.dumps({"产出质量/资金到位率": value}, ensure_ascii=False), encoding="utf-8")
    run = pipeline.evaluate_run(pipeline.compile_file(seed), data)
    found = [f for f in run.findings if f.code == "PR019"]
    assert len(found) == 1 and why in str(found[0].arg("reason")) and run.result is None
