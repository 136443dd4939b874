"""Reports: the Markdown 综合评分表, the self-contained HTML page (rendered in headless Chromium) and
the XLSX workbook whose formulas, recomputed with the `formulas` package, give perfrules' own scores."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import textwrap
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from perfrules import pipeline
from perfrules.render.html import render_html
from perfrules.render.markdown import escape, render_markdown
from perfrules.render.xlsx import Layout, write_xlsx
from perfrules.scoring.budget import budget_facts, execution_rate

from conftest import EXAMPLES, SEED, cli

MLA = EXAMPLES / "minimum-living-allowance-2023.perf"

# Every scoring rule, its edge cases and rounding ties, n/a (rescaled total), missing and text
# actuals, nesting deeper than three levels, a top-level indicator, ‰, `>` grade bands.
COVERAGE = """\
ruleset "计分方法全覆盖" {
  year 2023
}
grades { 优 > 90  良 > 80  中 >= 60  差 otherwise }

预算执行率 >= 100% weight 10 method execution
dimension 甲 weight 40 {
  group 比例 weight 20 {
    group 深层 weight 10 {
      正向 >= 100 人 weight 3
      反向 <= 5300 元/户 weight 3
      反向零 <= 0 起 weight 2
      封顶 >= 60000 人 weight 2 cap 120%
    }
    线性 <= 100 万元 weight 5 method linear
    等于 = 4 场 weight 5
  }
  group 其他 weight 20 {
    区间 in 95% ~ 105% weight 4
    区间下 in 95% ~ 105% weight 4
    阶梯 >= 90% weight 4 steps 100%:4 95%:3 90%:2 otherwise 1
    阶梯边界 >= 60% weight 4 steps 100%:4 95%:3 otherwise 1
    扣分 >= 500 人 weight 4 deduct 1 per 2%
    扣分绝对 >= 500 人 weight 4 deduct 0.5 per 10 人
    扣分百分点 >= 100% weight 4 deduct 1 per 1%
  }
}
dimension 乙 weight 50 {
  定性 qualitative weight 10
  零目标 = 0 起 weight 10
  不适用 >= 10 台 weight 10 na
  缺失 >= 10 台 weight 5
  文字 >= 10 台 weight 5
  千分 <= 2‰ weight 5
  超额 > 50 人 weight 5 cap 150%
}
actuals {
  预算执行率 = 97.5%
  正向 = 9.5 人
  反向 = 5830 元/户
  反向零 = 0 起
  封顶 = 80646 人
  线性 = 120 万元
  等于 = 3 场
  区间 = 110%
  区间下 = 85.5%
  阶梯 = 85.5%
  阶梯边界 = 57%
  扣分 = 470 人
  扣分绝对 = 475 人
  扣分百分点 = 97%
  定性 = 部分达成 65%
  零目标 = 1 起
  文字 = "进行中"
  千分 = 0.25%
  超额 = 61.4 人
}
"""


def run_of(path: Path | str) -> pipeline.Run:
    """What `perfrules eval` computes for a file."""
    run = pipeline.check_run(pipeline.evaluate_run(pipeline.compile_file(path)))
    assert run.result is not None and run.plan is not None
    return run


@pytest.fixture
def coverage(tmp_path: Path) -> Path:
    path = tmp_path / "coverage.perf"
    path.write_text(COVERAGE, encoding="utf-8")
    return path


# ---------------------------------------------------------------- Markdown


def table_rows(markdown: str) -> list[list[str]]:
    """The cells of each table line, split at unescaped pipes."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            rows.append([c.strip() for c in cells])
    return rows


def test_markdown_seed_table() -> None:
    run = run_of(SEED)
    assert run.result is not None
    text = render_markdown(run.result, run.sorted_findings(), "zh", run.plan)
    rows = table_rows(text)
    assert rows[0] == ["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "完成率", "得分", "偏差原因", "问题"]
    assert all(len(r) == 10 for r in rows)
    by_name = {r[2]: r for r in rows[2:] if r[2]}
    assert by_name["资格认证人数"][3:8] == ["5", ">= 60000 人", "80646 人", "134.41%", "5.00"]
    assert by_name["资格认证人数"][8].startswith("退休人员日益增加")
    assert by_name["资格认证人数"][9].startswith("PR201 提示 完成率 134.41%")
    assert by_name["资金拨付及时率"][7] == "0.13" and "PR203 警告" in by_name["资金拨付及时率"][9]
    assert "PR202 警告" in by_name["预算执行率"][9] and "PR204 错误" in by_name["预算执行率"][9]
    subtotals = {r[0].strip("*"): r for r in rows if r[1] == "**小计**"}
    assert {k: (v[3], v[6], v[7]) for k, v in subtotals.items()} == {
        "决策": ("**20**", "**得分率 100.00%**", "**20.00**"),
        "过程": ("**20**", "**得分率 80.50%**", "**16.10**"),
        "产出": ("**40**", "**得分率 87.83%**", "**35.13**"),
        "效益": ("**20**", "**得分率 100.00%**", "**20.00**"),
    }
    assert rows[-1] == ["**总分**", "", "", "**100**", "", "", "", "**91.23**", "", "**等级 优**"]
    assert "**总分 91.23 / 100，等级 优**" in text
    findings = text.split("## 发现的问题", 1)[1]
    assert findings.count("\n- **PR") == len(run.findings)
    assert "- **PR110** 警告 `retiree-services-2023.perf:79` 校验 成本与预算匹配 不成立" in findings


def test_markdown_merges_repeated_names_and_joins_deep_groups(coverage: Path) -> None:
    run = run_of(coverage)
    assert run.result is not None
    rows = table_rows(render_markdown(run.result, run.sorted_findings(), "zh", run.plan))
    names = [r[:3] for r in rows[2:]]
    assert names[0] == ["预算执行率", "", ""]  # a top-level indicator is its own 一级指标
    assert names[1] == ["甲", "比例 / 深层", "正向"]  # deeper than three levels: the middle groups joined
    assert names[2] == ["", "", "反向"]  # repeated names left blank, as merged cells
    assert ["", "比例", "线性"] in names
    na = next(r for r in rows if r[2] == "不适用")
    assert na[5:8] == ["不适用", "", "—"]
    assert "总分 66.37 / 100，等级 中（不适用指标已剔除，总分按比例折算）" in render_markdown(run.result, [], "zh", run.plan)


def test_markdown_escapes_cells(write) -> None:  # type: ignore[no-untyped-def]
    path = write("p.perf", """\
        dimension "产出|数量" weight 100 {
          "合格率|A*类_" >= 90% weight 100
        }
        actuals {
          "合格率|A*类_" = 95%
        }
        """)
    run = run_of(path)
    assert run.result is not None
    text = render_markdown(run.result, run.sorted_findings(), "zh", run.plan)
    assert "| 产出\\|数量 | " in text and "合格率\\|A\\*类\\_" in text
    assert all(len(r) == 10 for r in table_rows(text))
    assert escape("a|b\nc") == "a\\|b c"


def test_markdown_in_english() -> None:
    run = run_of(MLA)
    assert run.result is not None
    text = render_markdown(run.result, run.sorted_findings(), "en", run.plan)
    assert table_rows(text)[0][:4] == ["Dimension", "Group", "Indicator", "Weight"]
    assert "**Total 92.88 / 100, grade 优**" in text and "## Findings" in text
    assert "★★★农村低保发放人数(按月平均)(≥\\*\\*人)" in text  # ** would turn bold


# ---------------------------------------------------------------- HTML


def test_html_is_self_contained_with_summary_chart_and_highlights() -> None:
    run = run_of(SEED)
    assert run.result is not None
    page = render_html(run.result, run.sorted_findings(), "zh", run.plan)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    for remote in ("<link", "<script", "src=", "url(", "@import", "https://"):
        assert remote not in page
    assert re.findall(r"http://[^\"]+", page) == ["http://www.w3.org/2000/svg"]  # the SVG namespace, not a fetch
    summary = page.index('class="summary"')
    assert summary < page.index("<table>")  # total and grade on top
    assert '<div class="total">91.23 <small>/ 100</small></div>' in page and '<span class="grade">优</span>' in page
    assert page.count("<rect") == 8  # a track and a bar for each of the four dimensions
    assert "80.50%  (16.10 / 20)" in page
    assert '<tr class="sev-error" title="PR202 警告' in page  # 预算执行率: its worst finding colours the row
    assert page.count('class="sev-warning"') == 4 and page.count('class="sev-info"') == 1
    assert "&lt;= 260 元/人/年" in page and "<= 260" not in page
    assert page.count('<tr class="subtotal">') == 4 and "得分率 87.83%" in page
    assert "@media print" in page and "@page" in page


def test_html_in_english_with_rescaled_total(coverage: Path) -> None:
    run = run_of(coverage)
    assert run.result is not None
    page = render_html(run.result, run.sorted_findings(), "en", run.plan)
    assert '<html lang="en">' in page and "Score rate by dimension" in page
    assert "n/a indicators left out, total rescaled" in page
    assert '<td class="row first" colspan="3">预算执行率</td>' in page


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def png_rows(data: bytes, limit: int) -> tuple[int, int, list[bytes]]:
    """Width, bytes per pixel and the first `limit` unfiltered rows of an 8-bit PNG (grey, RGB or RGBA)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, bpp = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (0, 2, 6), (depth, colour)
            bpp = {0: 1, 2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(min(height, limit)):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + (left + previous[i]) // 2) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = previous[i], previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, bpp, rows


def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("no chromium binary on PATH (apt-get install chromium); CI installs it")
    run = run_of(SEED)
    assert run.result is not None
    page = tmp_path / "report.html"
    page.write_text(render_html(run.result, run.sorted_findings(), "zh", run.plan), encoding="utf-8")
    shot = tmp_path / "report.png"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1280,2000",
         page.resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    width, bpp, rows = png_rows(shot.read_bytes(), 700)  # the title, summary, chart and the table's top
    assert width == 1280
    pixels = [row[i:i + 3] if bpp >= 3 else row[i:i + 1] * 3 for row in rows for i in range(0, len(row), bpp * 2)]
    colours = set(pixels)
    inked = sum(1 for p in pixels if p != b"\xff\xff\xff") / len(pixels)
    assert len(colours) > 40, len(colours)  # text, the dark table header, green and blue bars, row tints
    assert inked > 0.05, inked
    assert any(p[1] > 100 and p[0] < 80 and p[2] < 80 for p in colours)  # the green 100% bars of the chart


# ---------------------------------------------------------------- XLSX


def recompute(path: Path) -> dict[str, Any]:
    """Every cell's value, recomputed from the workbook's formulas; keys like "综合评分表!L5"."""
    formulas = pytest.importorskip("formulas")
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out: dict[str, Any] = {}
    for key, value in solution.items():
        match = re.fullmatch(r"'\[[^\]]+\](.+)'!([A-Z]+[0-9]+)", key)
        if match:
            cell = value.value[0, 0] if hasattr(value, "value") else value
            out[f"{match.group(1).upper()}!{match.group(2)}"] = cell
    return out


def check_workbook(path: Path, tmp_path: Path, lang: str = "zh") -> tuple[pipeline.Run, Layout, dict[str, Any]]:
    run = run_of(path)
    assert run.result is not None and run.plan is not None
    book = tmp_path / (path.stem + ".xlsx")
    layout = write_xlsx(run.result, run.plan, run.sorted_findings(), book, lang)
    values = recompute(book)

    def value(ref: str) -> Any:
        return values[f"{layout.sheet.upper()}!{ref}"]

    result = run.result
    for ind in result.indicators():
        got = value(layout.indicators[ind.key])
        if ind.score is None:
            assert got == "—", ind.key
        else:
            assert float(got) == float(ind.score), (ind.key, got, ind.score)
    for dim in result.dimensions():
        got = value(layout.sections[dim.key])
        assert abs(float(got) - float(dim.score)) < 1e-9, (dim.key, got, dim.score)
        assert round(float(got), 2) == float(dim.score)
        rate = value(layout.rates[dim.key])
        assert dim.rate is not None and abs(float(rate) - float(dim.rate)) < 1e-12, (dim.key, rate, dim.rate)
    assert float(value(layout.total)) == float(result.total)
    assert value(layout.grade) == result.grade
    rate = execution_rate(budget_facts(run.plan, result))
    if rate is None:
        assert not layout.execution or value(layout.execution) == ""
    else:  # 预算执行率 is a formula over the budget cells, and recomputes to perfrules' rate
        assert abs(float(value(layout.execution)) - float(rate)) < 1e-12, (value(layout.execution), rate)
    return run, layout, values


def test_xlsx_seed_recomputes_to_the_published_scores(tmp_path: Path) -> None:
    _, layout, values = check_workbook(SEED, tmp_path)
    sheet = layout.sheet.upper()
    assert values[f"{sheet}!{layout.total}"] == 91.23 and values[f"{sheet}!{layout.grade}"] == "优"
    assert {k.split("/")[0]: round(float(values[f"{sheet}!{v}"]), 2) for k, v in layout.sections.items()} == {
        "决策": 20, "过程": 16.1, "产出": 35.13, "效益": 20}
    assert values[f"{sheet}!{layout.head_total}"] == 91.23 and values[f"{sheet}!{layout.head_grade}"] == "优"  # the header
    assert values[f"{sheet}!{layout.execution}"] == pytest.approx(16.67 / 662.77)  # 预算执行率 over the money cells


def test_xlsx_self_evaluation_recomputes(tmp_path: Path) -> None:
    _, layout, values = check_workbook(MLA, tmp_path)
    assert values[f"{layout.sheet.upper()}!{layout.total}"] == 92.88


def test_xlsx_every_rule_recomputes(coverage: Path, tmp_path: Path) -> None:
    run, layout, values = check_workbook(coverage, tmp_path)
    assert run.result is not None and run.result.rescaled
    assert values[f"{layout.sheet.upper()}!{layout.total}"] == float(run.result.total) == 66.37
    scores = {i.name: i.score for i in run.result.indicators()}
    assert scores["正向"] == Decimal("0.29")  # 3 × 9.5/100 = 0.285, half up; binary floating point says 0.28499…
    assert scores["阶梯边界"] == Decimal(3)  # 57/60 is exactly 95%; as a binary float just below
    assert scores["超额"] == Decimal("6.14")


def test_xlsx_other_rounding_modes(tmp_path: Path) -> None:
    for mode, expected in (("half-even", "0.28"), ("down", "0.28"), ("half-up", "0.29")):
        path = tmp_path / f"{mode}.perf"
        path.write_text(textwrap.dedent(f"""\
            ruleset "舍入" {{
              rounding 2 {mode}
            }}
            a >= 100 人 weight 3
            b >= 100 人 weight 97
            actuals {{
              a = 9.5 人
              b = 100 人
            }}
            """), encoding="utf-8")
        run, layout, values = check_workbook(path, tmp_path)
        assert run.result is not None and str(run.result.indicators()[0].score) == expected
        assert values[f"{layout.sheet.upper()}!{layout.indicators['a']}"] == float(expected)


def test_xlsx_cells_are_formulas_with_formats(tmp_path: Path) -> None:
    run = run_of(MLA)
    assert run.result is not None and run.plan is not None
    book = tmp_path / "mla.xlsx"
    layout = write_xlsx(run.result, run.plan, run.sorted_findings(), book)
    wb = openpyxl.load_workbook(book)
    ws = wb[layout.sheet]
    head = layout.header_row
    assert ws.freeze_panes == f"D{head + 1}"
    assert [c.value for c in ws[head]] == ["一级指标", "二级指标", "三级指标", "分值", "指标值", "目标值", "实际完成值",
                                         "单位/档次", "完成率", "计分规则", "原始分", "得分", "得分率", "适用分值",
                                         "偏差原因", "问题"]
    row = {ws[f"C{r}"].value: r for r in range(head + 1, ws.max_row + 1)}
    reverse = row["户均审核管理费用"]
    assert ws[f"K{reverse}"].value == f"=IF(G{reverse}<=0,D{reverse},MIN(1,F{reverse}/G{reverse})*D{reverse})"
    assert ws[f"L{reverse}"].value == f"=ROUND(K{reverse}+1E-9,2)" and ws[f"L{reverse}"].number_format == "0.00"
    assert ws[f"I{reverse}"].number_format == "0.00%" and ws[f"F{reverse}"].value == 5300
    deduct = row["资金按月发放及时率"]
    assert ws[f"G{deduct}"].value == 0.97 and ws[f"G{deduct}"].number_format == "0.00%"
    assert "MAX(0," in ws[f"K{deduct}"].value and "/0.01" in ws[f"K{deduct}"].value
    steps = row["低保对象满意度"]
    assert f"IF(I{steps}+1E-9>=0.95,9," in ws[f"K{steps}"].value
    qualitative = row["低保动态管理机制"]
    assert ws[f"K{qualitative}"].value == f"=D{qualitative}*MIN(G{qualitative},1)" and ws[f"H{qualitative}"].value == "部分达成"
    for key, ref in {**layout.indicators, **layout.sections}.items():
        assert str(ws[ref].value).startswith("="), key
    assert ws[layout.total].value.startswith("=ROUND(SUM(")
    assert ws[layout.grade].value == f'=IF({layout.total}>=90,"优",IF({layout.total}>=80,"良",IF({layout.total}>=60,"中","差")))'
    subtotal = layout.sections["产出"]
    assert re.fullmatch(r"=SUM\(L\d+:L\d+\)", ws[subtotal].value)
    assert ws.column_dimensions["C"].width >= 30  # the widest name, CJK counted double
    assert wb.sheetnames == ["综合评分表", "问题清单"]
    assert wb["问题清单"].max_row == 1 + len(run.findings)


def test_xlsx_keeps_a_target_that_looks_like_a_formula_as_text(coverage: Path, tmp_path: Path) -> None:
    run = run_of(coverage)
    assert run.result is not None and run.plan is not None
    book = tmp_path / "c.xlsx"
    layout = write_xlsx(run.result, run.plan, run.sorted_findings(), book, "en")
    ws = openpyxl.load_workbook(book)[layout.sheet]
    cell = next(ws[f"E{r}"] for r in range(layout.header_row + 1, ws.max_row + 1) if ws[f"C{r}"].value == "等于")
    assert cell.value == "= 4 场" and cell.data_type == "s"
    assert layout.sheet == "Scores" and ws[f"D{layout.header_row}"].value == "Weight"


# ---------------------------------------------------------------- the command line


def test_cli_markdown_to_stdout_and_html_to_a_file(tmp_path: Path) -> None:
    out = cli("eval", str(SEED), "--format", "markdown")
    assert out.exit_code == 0 and out.stdout.startswith("# 国有企业退休人员社会化管理补助资金")
    assert "| **总分** |  |  | **100** |  |  |  | **91.23** |  | **等级 优** |" in out.stdout
    page = tmp_path / "r.html"
    out = cli("eval", str(SEED), "--format", "html", "-o", str(page), "--lang", "en")
    assert out.exit_code == 0 and out.stdout == ""
    assert '<html lang="en">' in page.read_text(encoding="utf-8")
    assert cli("eval", str(MLA), "--format", "html").stdout.startswith("<!DOCTYPE html>")


def test_cli_xlsx_needs_an_output_file(tmp_path: Path) -> None:
    out = cli("eval", str(SEED), "--format", "xlsx")
    assert out.exit_code == 2 and "-o" in out.stderr
    book = tmp_path / "seed.xlsx"
    out = cli("eval", str(SEED), "--format", "xlsx", "-o", str(book))
    assert out.exit_code == 0 and out.stdout == ""
    assert openpyxl.load_workbook(book).sheetnames == ["综合评分表", "问题清单"]
    out = cli("eval", str(SEED), "--format", "xlsx", "-o", str(tmp_path / "missing" / "seed.xlsx"))
    assert out.exit_code != 0 and "missing" in out.stderr


def test_cli_report_exit_codes(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    failed = write("e.perf", "a >= 100 weight 100\nactuals {\n  a = 50\n}\nexpect { total 60 }\n")
    for fmt in ("markdown", "html"):
        out = cli("eval", failed, "--format", fmt)
        assert out.exit_code == 1 and "PR308" in out.stdout
    assert cli("eval", failed, "--format", "xlsx", "-o", str(tmp_path / "e.xlsx")).exit_code == 1
    broken = write("s.perf", "dimension 产出 weight 100 {\n  资格认证人数 ?? 5\n}\n")
    for args in (("--format", "markdown"), ("--format", "html"), ("--format", "xlsx", "-o", str(tmp_path / "s.xlsx"))):
        out = cli("eval", broken, *args)
        assert out.exit_code == 2 and out.stdout == "" and "PR001" in out.stderr
    assert not (tmp_path / "s.xlsx").exists()
