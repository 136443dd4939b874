"""Reports show the history (issue 13, item 5): the 综合评分表 in Markdown, HTML and XLSX gains a column of actuals
per earlier year (「2022年实际」), the batch summary the indicator whose target trails last year's actual most, and
the dashboard lists those targets, most trailing first. Without history nothing changes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import test_reports
from test_reports import check_workbook, run_of

from perfrules.batch import TRAIL_COLUMNS, summarise, summary_text
from perfrules.render.dashboard import render_dashboard
from perfrules.render.markdown import render_markdown
from perfrules.render.xlsx import write_xlsx

from conftest import SEED, cli

ACTIVITIES = "组织开展退休人员活动场次"
HISTORY = f"\nhistory {{\n  2022 {ACTIVITIES} >= 4 场 actual 10 场\n}}\n"


def seed_with(tmp_path: Path, block: str = HISTORY, name: str = "seed-2023.perf") -> Path:
    """The seed with a hand-made previous year appended (10 场 delivered in 2022 against a target of 4)."""
    path = tmp_path / name
    path.write_text(SEED.read_text(encoding="utf-8") + block, encoding="utf-8")
    return path


def table_rows(markdown: str) -> tuple[list[str], dict[str, list[str]]]:
    """The 综合评分表's header cells and its indicator rows by 三级指标 (split on unescaped bars)."""
    lines = [line for line in markdown.splitlines() if line.startswith("| ")]
    split = [[cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]
    return split[0], {cells[2]: cells for cells in split[1:] if cells[2]}


# ---------------------------------------------------------------- the 综合评分表


def test_markdown_shows_last_years_actual_on_its_row(tmp_path: Path) -> None:
    out = cli("eval", str(seed_with(tmp_path)), "--format", "markdown")
    assert out.exit_code == 0, out.stderr
    header, rows = table_rows(out.stdout)
    assert header[-3:] == ["偏差原因", "2022年实际", "问题"]  # after the score columns, before 问题
    column = header.index("2022年实际")
    assert rows[ACTIVITIES][column] == "10 场"
    assert all(len(cells) == len(header) for cells in rows.values())
    others = [name for name, cells in rows.items() if name != ACTIVITIES and cells[column]]
    assert others == []  # empty where an indicator has no history
    assert "PR401" in rows[ACTIVITIES][-1]


def test_one_column_per_earlier_year_from_history_files(tmp_path: Path) -> None:
    earlier = tmp_path / "actuals-2021.yaml"
    earlier.write_text(f"{ACTIVITIES}: 9 场\n", encoding="utf-8")
    out = cli("eval", str(seed_with(tmp_path)), "--history", str(earlier), "--format", "markdown", "--lang", "en")
    header, rows = table_rows(out.stdout)
    assert header[-4:] == ["Reason", "2021 actual", "2022 actual", "Findings"]
    assert rows[ACTIVITIES][-3:-1] == ["9 场", "10 场"]


def test_without_history_the_table_is_unchanged(tmp_path: Path) -> None:
    plain = cli("eval", str(SEED), "--format", "markdown").stdout
    header, _rows = table_rows(plain)
    assert header == ["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "完成率", "得分", "偏差原因", "问题"]
    assert "年实际" not in plain
    run = run_of(SEED)
    assert run.history is None and run.result is not None
    assert render_markdown(run.result, run.sorted_findings(), "zh", run.plan, history=run.history) == \
        render_markdown(run.result, run.sorted_findings(), "zh", run.plan)


def test_html_shows_last_years_actual_on_its_row(tmp_path: Path) -> None:
    page = tmp_path / "seed.html"
    out = cli("eval", str(seed_with(tmp_path)), "--format", "html", "-o", str(page))
    assert out.exit_code == 0, out.stderr
    text = page.read_text(encoding="utf-8")
    heads = re.findall(r"<th>([^<]*)</th>", text.split("<thead>", 1)[1].split("</thead>", 1)[0])
    assert heads[-3:] == ["偏差原因", "2022年实际", "问题"]
    row = next(r for r in text.split("<tr") if f'<td class="row first">{ACTIVITIES}</td>' in r)
    assert re.findall(r'<td class="row nowrap past">([^<]*)</td>', row) == ["10 场"]
    blanks = [r for r in text.split("<tr") if 'class="row nowrap past"></td>' in r]
    assert len(blanks) == text.count('class="row nowrap past"') - 1  # every other row's cell is empty
    assert "年实际" not in cli("eval", str(SEED), "--format", "html").stdout


def test_xlsx_history_columns_after_the_formula_columns_and_still_recomputing(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    seed = seed_with(tmp_path)
    history = run_of(seed).history
    assert history is not None

    def with_history(*args: Any, **kwargs: Any) -> Any:
        return write_xlsx(*args, **{**kwargs, "history": history})

    monkeypatch.setattr(test_reports, "write_xlsx", with_history)
    _run, layout, values = check_workbook(seed, tmp_path)  # every score, subtotal, total and grade recomputes
    sheet = layout.sheet.upper()
    assert values[f"{sheet}!{layout.total}"] == 91.23 and values[f"{sheet}!{layout.grade}"] == "优"
    book = openpyxl.load_workbook(tmp_path / (seed.stem + ".xlsx"))
    ws = book[layout.sheet]
    headers = [ws.cell(layout.header_row, c).value for c in range(1, ws.max_column + 1)]
    assert headers[13:] == ["适用分值", "偏差原因", "2022年实际", "问题"]  # N is the last formula column
    column = headers.index("2022年实际") + 1
    row = int(layout.indicators[next(k for k in layout.indicators if k.endswith("/" + ACTIVITIES))][1:])
    cell = ws.cell(row, column)
    assert cell.value == 10 and cell.number_format == 'General" 场"'
    filled = [r for r in range(layout.header_row + 1, ws.max_row + 1) if ws.cell(r, column).value is not None]
    assert filled == [row]
    cli_book = tmp_path / "cli.xlsx"
    assert cli("eval", str(seed), "--format", "xlsx", "-o", str(cli_book)).exit_code == 0
    cli_ws = openpyxl.load_workbook(cli_book).worksheets[0]
    assert cli_ws.cell(layout.header_row, column).value == "2022年实际" and cli_ws.cell(row, column).value == 10


def test_xlsx_without_history_keeps_its_columns(tmp_path: Path) -> None:
    _run, layout, _values = check_workbook(SEED, tmp_path)
    ws = openpyxl.load_workbook(tmp_path / (SEED.stem + ".xlsx"))[layout.sheet]
    headers = [ws.cell(layout.header_row, c).value for c in range(1, ws.max_column + 1)]
    assert headers[13:] == ["适用分值", "偏差原因", "问题"]


# ---------------------------------------------------------------- the portfolio summary and dashboard


def test_summary_row_has_the_most_trailing_target(tmp_path: Path) -> None:
    row = summarise((str(seed_with(tmp_path)), None, "zh"))
    assert (row.trail_indicator, row.trail_target, row.trail_year, row.trail_actual, row.trail_gap) == (
        ACTIVITIES, ">= 4 场", "2022", "10 场", "0.6")
    plain = summarise((str(SEED), None, "zh"))
    assert (plain.trail_indicator, plain.trail_gap) == ("", "")
    raised = summarise((str(seed_with(tmp_path, f"\nhistory {{\n  2022 {ACTIVITIES} >= 3 场 actual 3 场\n}}\n",
                                      "raised.perf")), None, "zh"))
    assert raised.trail_indicator == ""  # a target above last year's actual does not trail


def test_summary_csv_and_json_carry_it_only_with_history(tmp_path: Path) -> None:
    rows = [summarise((str(seed_with(tmp_path)), None, "zh")), summarise((str(SEED), None, "zh"))]
    table = list(csv.reader(io.StringIO(summary_text(rows, ".csv", "zh"))))
    assert table[0][-5:] == ["目标低于历史最多的指标", "目标", "上年", "上年实际", "目标低于上年实际的比例"]
    assert table[1][-5:] == [ACTIVITIES, ">= 4 场", "2022", "10 场", "0.6"] and table[2][-5:] == [""] * 5
    assert json.loads(summary_text(rows, ".json", "en"))[0]["trail_actual"] == "10 场"
    plain = list(csv.reader(io.StringIO(summary_text(rows[1:], ".csv", "en"))))
    assert not set(TRAIL_COLUMNS) & set(plain[0]) and len(plain[0]) == 10


def test_dashboard_lists_the_trailing_targets_most_trailing_first(tmp_path: Path) -> None:
    seed = seed_with(tmp_path)
    rows: list[object] = [summarise((str(seed), None, "zh")), summarise((str(SEED), None, "zh"))]
    rows.append({"file": "b.perf", "ruleset": "乙项目", "total": "80", "grade": "良", "status": "ok",
                 "trail_indicator": "培训人次", "trail_target": ">= 50 人次", "trail_year": "2022",
                 "trail_actual": "200 人次", "trail_gap": "0.75"})
    rows.append({"file": "c.perf", "ruleset": "丙项目", "total": "70", "grade": "中", "status": "ok",
                 "trail_indicator": "办结时限", "trail_target": "<= 30 天", "trail_year": "2022",
                 "trail_actual": "20 天", "trail_gap": "0.5"})
    page = render_dashboard(rows, "zh")
    section = page.split("<h2>目标低于历史最多的指标</h2>", 1)[1].split("</table>", 1)[0]
    heads = re.findall(r"<th>([^<]*)</th>", section)
    assert heads == ["项目", "指标", "目标", "上年实际", "低于上年实际"]
    listed = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", section)
    assert [(p, i) for p, i, _t, _a in listed] == [("乙项目", "培训人次"), (rows[0].ruleset, ACTIVITIES),  # type: ignore[attr-defined]
                                                  ("丙项目", "办结时限")]
    assert listed[1][2:] == ("&gt;= 4 场", "10 场（2022）")
    assert "目标低于历史最多的指标" not in render_dashboard(rows[1:2], "zh")  # no history: no list


def test_batch_summary_html_lists_it(tmp_path: Path) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    seed_with(folder, name="a.perf")
    (folder / "b.perf").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    page = tmp_path / "汇总.html"
    out = cli("eval", str(folder), "--summary", str(page), "--jobs", "1")
    assert out.exit_code == 0, out.stderr
    text = page.read_text(encoding="utf-8")
    section = text.split("<h2>目标低于历史最多的指标</h2>", 1)[1].split("</table>", 1)[0]
    assert section.count("<tr><td>") == 1 and f"<td>{ACTIVITIES}</td>" in section and "10 场（2022）" in section


MIXED = """
history {
  2022 组织开展退休人员活动场次 >= 4 场 actual 10 场
  2022 全区退休人员满意度 >= 90% actual 97%
  2022 活动每人标准 <= 300 元/人/年 actual 200 元/人/年
  2022 资格认证人数 >= 50000 人次 actual 70000 人次
}
"""


def test_percent_reverse_and_unconvertible_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A percentage in its unit (Excel's percentage in the workbook), a `<=` indicator, and 人次 against 人: blank."""
    seed = seed_with(tmp_path, MIXED, "mixed.perf")
    header, rows = table_rows(cli("eval", str(seed), "--format", "markdown").stdout)
    column = header.index("2022年实际")
    assert [rows[n][column] for n in (ACTIVITIES, "全区退休人员满意度", "活动每人标准", "资格认证人数")] == [
        "10 场", "97%", "200 元/人/年", ""]
    history = run_of(seed).history
    monkeypatch.setattr(test_reports, "write_xlsx", lambda *a, **k: write_xlsx(*a, **{**k, "history": history}))
    _run, layout, _values = check_workbook(seed, tmp_path)
    ws = openpyxl.load_workbook(tmp_path / (seed.stem + ".xlsx"))[layout.sheet]
    headers = [ws.cell(layout.header_row, c).value for c in range(1, ws.max_column + 1)]
    letter = openpyxl.utils.get_column_letter(headers.index("2022年实际") + 1)
    assert letter == "P"  # after N (the last formula column) and O (偏差原因)

    def past(name: str) -> Any:
        ref = layout.indicators[next(k for k in layout.indicators if k.endswith("/" + name))]
        return ws[f"{letter}{ref[1:]}"]

    assert (past("全区退休人员满意度").value, past("全区退休人员满意度").number_format) == (0.97, "0.00%")
    assert (past("活动每人标准").value, past("活动每人标准").number_format) == (200, 'General" 元/人/年"')
    assert past("资格认证人数").value is None
    # the most trailing: 4 场 against 10 场 (60%), before 260 元 against 200 元 (30%) and 95% against 97% (2.06%)
    row = summarise((str(seed), None, "zh"))
    assert (row.trail_indicator, row.trail_gap) == (ACTIVITIES, "0.6")
    reverse = seed_with(tmp_path, "\n".join(line for line in MIXED.splitlines() if ACTIVITIES not in line) + "\n",
                        "reverse.perf")
    row = summarise((str(reverse), None, "zh"))
    assert (row.trail_indicator, row.trail_target, row.trail_actual, row.trail_gap) == (
        "活动每人标准", "<= 260 元/人/年", "200 元/人/年", "0.3")
