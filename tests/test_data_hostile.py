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
    for suffix in ("json", "yaml"):
        fifo = tmp_path / f"fifo.{suffix}"
        os.mkfifo(fifo)
        started = time.monotonic()
        out = cli("eval", str(SEED), "--data", str(fifo))
        assert out.exit_code == 2 and f"fifo.{suffix}:1:1: PR019" in out.stderr and "设备或管道" in out.stderr
        assert time.monotonic() - started < 5
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    for suffix, text in (("json", '{"资格认证人数": 1}' + " " * 200), ("yaml", "资格认证人数: 1\n" + "#\n" * 100)):
        run = _run(tmp_path, f"big.{suffix}", text)
        assert _pr019(run) == [f"1:1: 数据文件 {tmp_path / f'big.{suffix}'} 无效：文件太大"
                               f"（{len(text.encode())} 字节，上限 100 字节）"]


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
