"""Hostile inputs for the campaign: hypothesis strategies and fixed builders.

Rule files are mutations of the shipped examples and frameworks; data files hold random values
for the seed example's indicators in every format; plans are mutations of `perfrules compile`
output; workbooks are built byte by byte with zipfile where openpyxl would refuse to write them.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "rulesets" / "examples"
STD = ROOT / "rulesets" / "std"
SEED = EXAMPLES / "retiree-services-2023.perf"
RULE_TEXTS = {f"{p.parent.name}/{p.name}": p.read_text(encoding="utf-8")
              for p in sorted([*EXAMPLES.glob("*.perf"), *STD.glob("*.perf")])}

# --- pieces of text a hostile or careless file holds -------------------------------------------

PIECES = [
    "中", "指标", "人", "元/人", "万元", "％", "＞", "＝", "（", "）", "＞＝", "６００００", "\u3000",
    "≥", "≤", "≧", "≦", '"', "“", "”", "'", "「", "」", "#", "# noqa", "{", "}", "(", ")", "=", ">=", "<=",
    "%", "/", "-", ".", ",", ":", "0", "1", "7", "9", "1234567890123456789", "0.0000000000001",
    "\u2028", "\u2029", "\u0085", "\r", "\r\n", "\n", "\x00", "\ufeff", "\t", " ", "\x0b", "\x0c",
    "weight ", "权重 ", "cap ", "qualitative ", "group ", "dimension ", "facts {", "actuals {", "use ",
    "reason ", "expect {", "check ", "steps ", "deduct ", "per ", "otherwise ", "不适用", "达成 ",
    "\ud800", "\udfff", "😀", "\u202e", "\u0301",
]

NUMBERS = [
    "0", "-0", "-1", "-5300", "1", "0.5", ".5", "5.", "00010", "010", "1,000", "1_000", "1e3", "1E-30",
    "0.0000000000001", "0.00000000000000000001", "999999999999999", "9999999999999999",
    "1" + "0" * 20, "1" * 40, "1" * 400, "3.14159265358979323846", "NaN", "Infinity", "１２３", "١٢٣",
]

HOSTILE_USES = [
    "../../../../etc/passwd", "/etc/passwd", "/dev/zero", "/dev/urandom", "/proc/self/environ",
    "std/../../README.md", "std/../../pyproject.toml", "std/../../x", "../outside/secret",
    "../outside/secret.perf", "link-to-passwd", "link-to-secret.perf", "fifo.perf", "sub", "a" * 300,
    "std/" + "b" * 300, "." * 300, "%2e%2e/%2e%2e/etc/passwd", "..\\..\\etc\\passwd", "~/.bashrc",
    "std/self_evaluation/../../../../etc/passwd",
]

SECRET = "SECRETLINE_4242 >= 1 人 weight 100\n# SECRETCOMMENT_4242 某某机密内容\n"


def encode(text: str, bom: bool = False) -> bytes:
    """The bytes a file holds: UTF-8 (lone surrogates written as they would be by a careless tool)."""
    data = text.encode("utf-8", "surrogatepass")
    return b"\xef\xbb\xbf" + data if bom else data


@st.composite
def mutated_rule_text(draw: st.DrawFn) -> tuple[str, str]:
    """(source name, mutated text) from a shipped rule file, after one to five mutations."""
    name = draw(st.sampled_from(sorted(RULE_TEXTS)))
    text = RULE_TEXTS[name]
    for _ in range(draw(st.integers(1, 5))):
        text = draw(_one_mutation(text))
    return name, text


def _one_mutation(text: str) -> st.SearchStrategy[str]:
    lines = text.split("\n")
    n = len(lines)
    numbers = [m.span() for m in re.finditer(r"\d+(?:\.\d+)?", text)]

    def delete(i: int) -> str:
        return "\n".join(lines[:i] + lines[i + 1:])

    def duplicate(i: int) -> str:
        return "\n".join(lines[: i + 1] + lines[i:])

    def swap(ij: tuple[int, int]) -> str:
        copy = list(lines)
        copy[ij[0]], copy[ij[1]] = copy[ij[1]], copy[ij[0]]
        return "\n".join(copy)

    def insert(args: tuple[int, list[str]]) -> str:
        return text[: args[0]] + "".join(args[1]) + text[args[0]:]

    def number(args: tuple[int, str]) -> str:
        start, end = numbers[args[0] % len(numbers)] if numbers else (0, 0)
        return text[:start] + args[1] + text[end:]

    line = st.integers(0, max(n - 1, 0))
    options = [
        line.map(delete), line.map(duplicate), st.tuples(line, line).map(swap),
        st.tuples(st.integers(0, len(text)), st.lists(st.sampled_from(PIECES), min_size=1, max_size=6)).map(insert),
        st.tuples(st.integers(0, 10_000), st.sampled_from(NUMBERS)).map(number),
        st.integers(0, len(text)).map(lambda cut: text[:cut]),
        st.tuples(line, st.sampled_from(HOSTILE_USES)).map(
            lambda args: "\n".join([*lines[: args[0]], f'use "{args[1]}"', *lines[args[0]:]])),
    ]
    return st.one_of(options)


def nested_groups(depth: int, kind: str = "groups") -> str:
    """A rule file with `depth` groups inside each other (or parentheses in one formula)."""
    if kind == "parens":
        formula = "(" * depth + "a" + ")" * depth
        return f"facts {{\n  a = 1 万元\n}}\nx = {formula} >= 1 万元 weight 100\n"
    if kind == "braces":
        return "x >= 1 人 weight 100 " + "{" * depth + "\n" + "}\n" * depth
    opening = "".join(f"{'  ' * i}group g{i} weight 100 {{\n" for i in range(depth))
    closing = "".join(f"{'  ' * i}}}\n" for i in reversed(range(depth)))
    return (f"dimension d weight 100 {{\n{opening}{'  ' * depth}x >= 1 人 weight 100\n{closing}}}\n"
            "actuals {\n  x = 2 人\n}\n")


def number_ruleset(target: str, actual: str, weight: str, extra: str) -> str:
    return f"x >= {target} 人 weight {weight}{extra}\nactuals {{\n  x = {actual} 人\n}}\n"


# --- data files for the seed example ----------------------------------------------------------

SEED_NAMES = [m.group(1).strip('"') for m in re.finditer(r"^  (\S+)\s+=", SEED.read_text(encoding="utf-8").split(
    "actuals {")[1], re.M)]
FACT_NAMES = ["年初预算数", "全年预算数", "到位资金", "执行数"]
COUNT_NAMES = ["开展退休人员慰问活动", "退休人员社会化管理人数", "资格认证人数", "组织开展退休人员活动场次"]

scalar_values = st.one_of(
    st.integers(-10**20, 10**20), st.sampled_from([0, -1, -5, 10**15, 10**400, -(10**30)]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e-300, 5e-324, 1e308, -0.0]),
    st.sampled_from(["80646 人", "95%", "达成 90%", "达成", "不适用", "-5", "-5 人", "010", "1:30", "1,000",
                     "87,411 人", "１２３", "12 场", "12 米", "100 万元", "", " ", "NaN", "1e999999999",
                     "0x10", "+5", "5 %", "５０％", "≥5", "\u2028", "a\u2028b", "line1\nline2", "\x00",
                     "1" * 100, "0." + "0" * 30 + "1"]),
    st.lists(st.sampled_from(PIECES[:60]), max_size=5).map("".join), st.booleans(), st.none(),
)


def _json_values(leaf: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(leaf, lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["value", "unit", "reason", "score", "x", ""]), inner, max_size=4)),
        max_leaves=8)


data_values = _json_values(scalar_values)


@st.composite
def data_mapping(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from([*SEED_NAMES, *FACT_NAMES, "产出质量/资金到位率", "不存在的指标", "",
                                           "过程/资金管理/资金到位率", "a/b/c"]), max_size=8, unique=True))
    return {name: draw(data_values) for name in names}


def json_text(mapping: dict[str, Any]) -> str:
    return json.dumps(mapping, ensure_ascii=False, allow_nan=True, default=str)


def yaml_text(mapping: dict[str, Any]) -> str:
    """YAML written by hand: plain scalars as a user types them (so 010 and 1:30 stay unquoted)."""
    out = []
    for key, value in mapping.items():
        out.append(f"{json.dumps(key, ensure_ascii=False)}: {_yaml_scalar(value)}")
    return "\n".join(out) + "\n"


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"[-+]?[0-9][0-9:,._]*", value):
        return value  # as typed: 010, 1:30, 1,000
    if isinstance(value, (dict, list)) or value is None or isinstance(value, bool):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, float):
        return {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}.get(str(value), repr(value))
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _cell_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return "" if value is None else str(value)


def csv_text(mapping: dict[str, Any], reasons: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["指标名称", "实际完成值", "单位", "偏差原因", "得分"])
    for i, (name, value) in enumerate(mapping.items()):
        writer.writerow([name, _cell_text(value), "", reasons[i % len(reasons)] if reasons else "", ""])
    return out.getvalue()


def xlsx_bytes(mapping: dict[str, Any], reasons: list[str]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["指标名称", "实际完成值", "单位", "偏差原因", "得分"])
    for i, (name, value) in enumerate(mapping.items()):
        cell: Any = value if isinstance(value, (int, float, str)) and not isinstance(value, bool) else _cell_text(value)
        if isinstance(cell, int) and abs(cell) > 10**15:
            cell = str(cell)
        if isinstance(cell, str):
            cell = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", "?", cell)  # openpyxl refuses these
        if isinstance(cell, float) and cell != cell:
            cell = "NaN"
        if isinstance(cell, float) and cell in (float("inf"), float("-inf")):
            cell = str(cell)
        reason = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", "?", reasons[i % len(reasons)] if reasons else "")
        ws.append([name, cell, "", reason, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


reason_texts = st.lists(st.sampled_from(["", "原因", "第一行\n第二行", "含\u2028分隔", "含\u0085", "引号\"在内",
                                         "逗号,在内", "x" * 200]), max_size=3)


def deep_json(depth: int, kind: str) -> str:
    inner = "[" * depth + "1" + "]" * depth if kind == "list" else '{"a":' * depth + "1" + "}" * depth
    return '{"资格认证人数": ' + inner + "}"


def deep_yaml(depth: int) -> str:
    return "资格认证人数: " + "[" * depth + "1" + "]" * depth + "\n"


def many_keys(count: int, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({f"指标{i}": i for i in range(count)}, ensure_ascii=False)
    if fmt == "yaml":
        return "".join(f"指标{i}: {i}\n" for i in range(count))
    return "指标名称,实际完成值\n" + "".join(f"指标{i},{i}\n" for i in range(count))


def yaml_alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append(f"资格认证人数: *a{levels - 1}")
    return "\n".join(lines) + "\n"


# --- workbooks built by hand ----------------------------------------------------------------

def _good_parts(rows: list[list[Any]]) -> dict[str, bytes]:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        return {name: z.read(name) for name in z.namelist()}


DATA_ROWS: list[list[Any]] = [["指标名称", "实际完成值"], ["资格认证人数", 80646], ["全区退休人员满意度", "95%"]]
SHEET = "xl/worksheets/sheet1.xml"


def _zip(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _sheet_xml(body: str, dimension: str = "A1:B3") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>').encode()


def hostile_xlsx(kind: str, rows: list[list[Any]] = DATA_ROWS) -> bytes:
    """A workbook that is broken or hostile in one way (see HOSTILE_XLSX)."""
    parts = _good_parts(rows)
    if kind == "chartsheet-first":
        book = openpyxl.Workbook()
        ws = book.active
        for row in rows:
            ws.append(row)
        chart = openpyxl.chart.BarChart()
        chart.add_data(openpyxl.chart.Reference(ws, min_col=2, min_row=1, max_row=len(rows)))
        sheet = book.create_chartsheet("图表", 0)
        sheet.add_chart(chart)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    if kind == "corrupt-deflate":
        data = bytearray(_zip(parts))
        start = data.find(SHEET.encode()) + len(SHEET) + 20
        for i in range(start, min(start + 40, len(data))):
            data[i] ^= 0x5A
        return bytes(data)
    if kind == "missing-sheet-part":
        return _zip({k: v for k, v in parts.items() if k != SHEET})
    if kind == "missing-workbook-part":
        return _zip({k: v for k, v in parts.items() if k != "xl/workbook.xml"})
    if kind == "missing-content-types":
        return _zip({k: v for k, v in parts.items() if k != "[Content_Types].xml"})
    if kind == "huge-dimension":
        parts[SHEET] = _sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c></row>'
                                  '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "A1:XFD1048576")
        return _zip(parts)
    if kind == "many-cells":
        cells = "".join(f'<row r="{r}">' + "".join(f'<c r="{_col(c)}{r}"><v>1</v></c>' for c in range(1, 101))
                        + "</row>" for r in range(1, 11_002))
        parts[SHEET] = _sheet_xml(cells, "A1:CV11001")
        return _zip(parts)
    if kind == "malformed-xml":
        parts[SHEET] = parts[SHEET][: len(parts[SHEET]) // 2]
        return _zip(parts)
    if kind == "entities":
        laughs = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
        doctype = "<!DOCTYPE worksheet [" + "".join(laughs) + "]>"
        parts[SHEET] = ('<?xml version="1.0" encoding="UTF-8"?>' + doctype +
                        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                        '<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>'
                        ).encode()
        return _zip(parts)
    if kind == "external-entity":
        parts[SHEET] = (b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>'
                        )
        return _zip(parts)
    if kind == "ratio-bomb":
        parts[SHEET] = parts[SHEET].replace(b"<sheetData>", b"<sheetData>" + b" " * (40 * 1024 * 1024))
        return _zip(parts)
    if kind == "stored-not-deflated":
        return _zip(parts, zipfile.ZIP_STORED)
    if kind == "not-a-zip":
        return b"PK\x03\x04 this is not really a workbook"
    if kind == "empty":
        return b""
    if kind == "csv-renamed":
        return "指标名称,实际完成值\n资格认证人数,80646\n".encode()
    if kind == "bad-shared-string-index":
        parts[SHEET] = _sheet_xml('<row r="1"><c r="A1" t="s"><v>99999</v></c><c r="B1" t="s"><v>-1</v></c></row>')
        return _zip(parts)
    if kind == "bad-cell-refs":
        parts[SHEET] = _sheet_xml('<row r="0"><c r="ZZZZ0"><v>1</v></c><c r="A-1"><v>x</v></c></row>'
                                  '<row r="99999999999"><c r="A99999999999"><v>1</v></c></row>')
        return _zip(parts)
    if kind == "bad-number":
        parts[SHEET] = _sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c>'
                                  '<c r="B1" t="inlineStr"><is><t>实际完成值</t></is></c></row>'
                                  '<row r="2"><c r="A2" t="inlineStr"><is><t>资格认证人数</t></is></c>'
                                  '<c r="B2"><v>1e999999</v></c></row><row r="3"><c r="A3" t="inlineStr"><is>'
                                  '<t>全区退休人员满意度</t></is></c><c r="B3"><v>NaN</v></c></row>')
        return _zip(parts)
    raise ValueError(kind)


def _col(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


HOSTILE_XLSX = ["chartsheet-first", "corrupt-deflate", "missing-sheet-part", "missing-workbook-part",
                "missing-content-types", "huge-dimension", "many-cells", "malformed-xml", "entities",
                "external-entity", "ratio-bomb", "stored-not-deflated", "not-a-zip", "empty", "csv-renamed",
                "bad-shared-string-index", "bad-cell-refs", "bad-number"]


# --- plans ----------------------------------------------------------------------------------

PLAN_REPLACEMENTS: list[Any] = [None, True, False, 0, -1, 1.5, 10**100, "", "x", "NaN", "1e999999", "-1e999999",
                                "Infinity", "1" * 5000, [], {}, [None], {"x": 1}, float("nan"), float("inf"),
                                "ROUND_SIDEWAYS", "../../../../etc/passwd", "\ud800"]


def plan_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every JSON path (keys and list indexes) inside a plan, down to 30 levels."""
    paths = [prefix]
    if len(prefix) >= 30:
        return paths
    if isinstance(value, dict):
        for key, item in value.items():
            paths += plan_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += plan_paths(item, (*prefix, index))
    return paths


def mutate_plan(plan: Any, path: tuple[Any, ...], op: str, replacement: Any) -> Any:
    if not path:
        return replacement if op == "replace" else plan
    parent = plan
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if op == "delete":
        del parent[last]
    elif op == "replace":
        parent[last] = replacement
    elif op == "wrap":
        parent[last] = [[[[[[[[parent[last]]]]]]]]]
    elif op == "deep":  # written out by plan_text (json.dumps itself would recurse too deep)
        parent[last] = DEEP
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(last, json.loads(json.dumps(parent[last])))
    elif op == "add-key" and isinstance(parent[last], dict):
        parent[last]["unexpected"] = replacement
    return plan


DEEP = "__deep_nesting__"


def plan_text(plan: Any) -> str:
    text = json.dumps(plan, ensure_ascii=False, allow_nan=True)
    text = text.replace(f'"{DEEP}"', "[" * 5000 + "1" + "]" * 5000)
    return text.replace('"1e999999"', "1e999999", 1) if '"1e999999"' in text else text


# --- self-evaluation forms ------------------------------------------------------------------

CELL_VALUES: list[Any] = [None, "", " ", 0, -1, 100, 1e308, 10**18, -0.5, "≥８７５５人", "≥8755人", "≤5300元/户",
                          ">=530元/人*月", "100%", "１００％", "达成年度指标", "逐步提高", "部分达成", "未达成", "—",
                          "=1/0", "=A1", "#DIV/0!", "总分", "合计", "三级指标", "分值", "得分", "指标值",
                          "≥" + "9" * 30 + "人", "≥0.0000000000001%", "≤-5人", "含\u2028分隔", "换\n行", '"引号"',
                          "x" * 2000, "1:30", "010", "1,000", "NaN", "inf", "１２３"]


def form_rows_as_csv(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    ws = book.active
    out = io.StringIO()
    writer = csv.writer(out)
    for row in ws.iter_rows(values_only=True):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()
