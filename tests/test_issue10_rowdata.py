"""Issue 10, item 5 everywhere: what a printed row holds (review score, `score ?`, printed 执行率, evidence text).

- data files (JSON, YAML, CSV, XLSX) carry them as the language does, validated with located errors, and give the
  same findings and scores as the same table written as a rule file;
- the audit paper (markdown, html, xlsx) shows the 复核分 column when a row has one, its findings marked;
- the importer writes a printed 执行率 as `rate P`, a 复核分 as `review N`, evidence text as the evidence string;
- date ranges as tables print them (2023年10月-12月, 2023.10-2023.12) import as `in 2023-10 ~ 2023-12`.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from perfrules import pipeline
from perfrules.findings import Finding

from conftest import cli

D = Decimal

# ---------------------------------------------------------------- the table, as a rule file and as data

RULES = """\
ruleset "表上的其他内容" { year 2023 kind 自评 }
facts {
  全年预算数 = 600 万元
  全年执行数 = 571.6 万元
}
预算执行率 = 全年执行数 / 全年预算数 >= 100% weight 10 method execution
dimension 产出 weight 50 {
  维护里程   >= 50 公里 weight 25
  验收合格率 >= 100%    weight 25
}
dimension 效益 weight 40 {
  制度健全性 qualitative weight 40
}
"""
ACTUALS = """\
actuals {
  预算执行率 执行率 98.5% reason "两笔资金于次年拨付" score 9.53 review 9.53
  维护里程   = 48 公里  reason "两段道路顺延至次年" score ? review 24
  验收合格率 = 100%     score 25 review 24
  制度健全性 = 达成 85% "人均补助提高了5%，覆盖2216户" score 34 review ?
}
"""
EXPECT = "expect { total 98 }\n"

DATA = {
    "预算执行率": {"value": None, "rate": "98.5%", "reason": "两笔资金于次年拨付", "score": 9.53, "review": 9.53},
    "维护里程": {"value": "48 公里", "reason": "两段道路顺延至次年", "score": "?", "review": 24},
    "验收合格率": {"value": "100%", "score": 25, "review": 24},
    "制度健全性": {"value": "达成 85%", "evidence": "人均补助提高了5%，覆盖2216户", "score": 34, "review": "？"},
}
HEADER = ["指标名称", "实际完成值", "偏差原因", "得分", "复核分", "执行率", "佐证材料"]
TABLE = [
    HEADER,
    ["预算执行率", "", "两笔资金于次年拨付", "9.53", "9.53", "98.5%", ""],
    ["维护里程", "48 公里", "两段道路顺延至次年", "?", "24", "", ""],
    ["验收合格率", "100%", "", "25", "24", "", ""],
    ["制度健全性", "达成 85%", "", "34", "?", "", "人均补助提高了5%，覆盖2216户"],
]


def _yaml(data: dict[str, dict[str, object]]) -> str:
    lines = []
    for name, fields in data.items():
        lines.append(f"{name}:")
        for key, value in fields.items():
            shown = "null" if value is None else json.dumps(value, ensure_ascii=False)
            lines.append(f"  {key}: {shown}")
    return "\n".join(lines) + "\n"


def _write_data(tmp_path: Path, suffix: str, data: dict[str, dict[str, object]] = DATA,
                table: list[list[str]] = TABLE) -> Path:
    path = tmp_path / f"data{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    elif suffix == ".yaml":
        path.write_text(_yaml(data), encoding="utf-8")
    elif suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(table)
    else:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in table:
            sheet.append([cell or None for cell in row])
        book.save(path)
    return path


def _said(findings: list[Finding]) -> list[tuple[str, str, str]]:
    """The findings without their places (a rule file's line and a data file's key are elsewhere)."""
    return sorted((f.code, f.key, f.message()) for f in findings)


def _outcome(run: pipeline.Run) -> tuple[dict[str, object], list[tuple[str, str, str]]]:
    assert run.result is not None
    rows = {i.name: (i.score, i.published, i.published_unreadable, i.review, i.review_unreadable, i.printed_rate,
                     i.evidence, i.reason) for i in run.result.indicators()}
    return {"rows": rows, "total": run.result.total}, _said(run.findings)


@pytest.fixture
def as_rules(tmp_path: Path) -> tuple[dict[str, object], list[tuple[str, str, str]]]:
    path = tmp_path / "rules.perf"
    path.write_text(RULES + ACTUALS + EXPECT, encoding="utf-8")
    return _outcome(pipeline.analyse(path))


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".csv", ".xlsx"])
def test_a_data_file_holds_what_the_printed_row_holds_as_the_language_does(
        tmp_path: Path, suffix: str, as_rules: tuple[dict[str, object], list[tuple[str, str, str]]]) -> None:
    path = tmp_path / "data.perf"
    path.write_text(RULES + EXPECT, encoding="utf-8")
    run = pipeline.analyse(path, _write_data(tmp_path, suffix))
    assert _outcome(run) == as_rules
    rows, said = as_rules
    assert rows["total"] == D("92.53")
    assert rows["rows"]["维护里程"] == (D("24.00"), None, True, D(24), False, None, None,  # type: ignore[index]
                                       "两段道路顺延至次年")
    assert rows["rows"]["制度健全性"][3:7] == (None, True, None, "人均补助提高了5%，覆盖2216户")  # type: ignore[index]
    codes = [(code, key) for code, key, _message in said]
    assert ("PR301", "PR301.review") in codes  # 验收合格率 review 24 where its rule gives 25
    assert ("PR302", "PR302.bound") in codes  # 98 printed, the rows allow 68.53-93.53
    assert ("PR309", "PR309") in codes  # 98.5% printed, 571.6 / 600 = 95.27%
    assert [m for c, _k, m in said if c == "PR309"] == \
        ["预算执行率 印出的执行率 98.5% 与计算值 95.27% 不符（按所印位数四舍五入或截断后仍不同）"]


def test_the_cli_shows_the_printed_row_from_a_csv(tmp_path: Path) -> None:
    (tmp_path / "data.perf").write_text(RULES + EXPECT, encoding="utf-8")
    _write_data(tmp_path, ".csv")
    outcome = cli("eval", str(tmp_path / "data.perf"), "--data", str(tmp_path / "data.csv"))
    assert outcome.exit_code == 1, outcome.stdout
    lines = [line.rstrip() for line in outcome.stdout.splitlines()]
    assert "  预算执行率  复核分 9.53；表上执行率 98.5%" in lines
    assert "  维护里程    公布得分 ?（无法辨认）；复核分 24" in lines
    assert "  制度健全性  复核分 ?（无法辨认）；佐证「人均补助提高了5%，覆盖2216户」" in lines


def test_the_schema_lists_the_printed_fields(tmp_path: Path) -> None:
    (tmp_path / "data.perf").write_text(RULES, encoding="utf-8")
    outcome = cli("schema", str(tmp_path / "data.perf"))
    assert outcome.exit_code == 0
    schema = json.loads(outcome.stdout)
    branch = schema["$defs"]["quantity"]["anyOf"][-1]
    assert set(branch["properties"]) == {"value", "unit", "reason", "score", "review", "rate", "evidence"}
    assert branch["additionalProperties"] is False


# ---------------------------------------------------------------- bad values: located PR019 (never dropped silently)


def _pr019(tmp_path: Path, data_path: Path) -> list[tuple[int, int, str]]:
    path = tmp_path / "data.perf"
    path.write_text(RULES, encoding="utf-8")
    run = pipeline.analyse(path, data_path)
    return [(f.span.line, f.span.column, dict(f.args)["reason"]) for f in run.findings
            if f.code == "PR019" and f.span is not None]


def test_bad_printed_values_in_json_are_located_at_their_key(tmp_path: Path) -> None:
    data = {
        "预算执行率": {"value": None, "rate": "高"},
        "维护里程": {"value": "48 公里", "review": "24分"},
        "验收合格率": {"value": "100%", "score": -1},
        "制度健全性": {"value": "达成 85%", "evidence": 5},
    }
    path = tmp_path / "bad.json"
    lines = [f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items()]
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    assert sorted(_pr019(tmp_path, path)) == [
        (2, 2, "/预算执行率/rate：执行率 rate 须是百分数，如 95.3%（不写 % 也按 % 读），而不是 高"),
        (3, 2, "/维护里程/review：复核分 review 须是数字，或 ?（印了但无法辨认）"),
        (4, 2, "/验收合格率/score：得分 score 须是不小于 0 的数字（不超过 15 位整数），而不是 -1"),
        (5, 2, "/制度健全性/evidence：佐证 evidence 须是文字"),
    ]


def test_an_unknown_field_names_the_fields_there_are(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"维护里程": {"value": "48 公里", "printed_rate": "95%"}}, ensure_ascii=False),
                    encoding="utf-8")
    assert [r for _l, _c, r in _pr019(tmp_path, path)] == ["/维护里程：对象只能有 value、unit、reason、score、review、rate、evidence"]


def test_a_boolean_rate_in_yaml_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("维护里程:\n  value: 48 公里\n  rate: true\n", encoding="utf-8")
    assert _pr019(tmp_path, path) == [
        (1, 1, "/维护里程/rate：执行率 rate 须是百分数，如 95.3%（不写 % 也按 % 读）")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_bad_printed_cells_are_located_at_their_own_cell(tmp_path: Path, suffix: str) -> None:
    table = [HEADER,
             ["预算执行率", "", "", "", "", "很高", ""],
             ["维护里程", "48 公里", "", "?", "24分", "", ""],
             ["验收合格率", "100%", "", "25", "-3", "", ""]]
    found = _pr019(tmp_path, _write_data(tmp_path, suffix, table=table))
    where = ("第 2 行第 6 列", "第 3 行第 5 列", "第 4 行第 5 列") if suffix == ".csv" else ("Sheet!F2", "Sheet!E3", "Sheet!E4")
    assert found == [
        (2, 6, f"{where[0]}：执行率 rate 须是百分数，如 95.3%（不写 % 也按 % 读），而不是 很高"),
        (3, 5, f"{where[1]}：复核分 review 须是数字，或 ?（印了但无法辨认）"),
        (4, 5, f"{where[2]}：复核分 review 须是不小于 0 的数字（不超过 15 位整数），而不是 -3"),
    ]


def test_printed_figures_on_a_fact_are_pr014_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "fact.json"
    path.write_text(json.dumps({"全年预算数": {"value": "600 万元", "review": 3}}, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "data.perf").write_text(RULES, encoding="utf-8")
    run = pipeline.analyse(tmp_path / "data.perf", path)
    assert [(f.code, f.key, f.span.line if f.span else 0) for f in run.findings if f.code == "PR014"] == \
        [("PR014", "PR014.fact_clause", 1)]


def test_a_rate_on_a_row_not_in_percent_is_pr014_at_its_cell(tmp_path: Path) -> None:
    table = [HEADER, ["维护里程", "48 公里", "", "", "", "96%", ""]]
    (tmp_path / "data.perf").write_text(RULES, encoding="utf-8")
    run = pipeline.analyse(tmp_path / "data.perf", _write_data(tmp_path, ".csv", table=table))
    found = [(f.key, f.span.line, f.span.column) for f in run.findings if f.code == "PR014" and f.span]
    assert found == [("PR014.rate_unit", 2, 6)]


def test_a_rate_without_percent_is_read_in_percent_as_the_language_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "rate.json"
    path.write_text(json.dumps({"预算执行率": {"value": None, "rate": 95.3}}, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "data.perf").write_text(RULES, encoding="utf-8")
    run = pipeline.analyse(tmp_path / "data.perf", path)
    assert run.result is not None
    row = run.result.indicator("预算执行率")
    assert row is not None and (row.printed_rate, row.printed_rate_text) == (D("0.953"), "95.3%")
    assert not [f for f in run.findings if f.code in ("PR309", "PR019")]


def test_a_review_column_named_fuhe_defen_is_not_the_score_column(tmp_path: Path) -> None:
    table = [["指标名称", "实际完成值", "自评得分", "复核得分"], ["验收合格率", "100%", "25", "24"]]
    (tmp_path / "data.perf").write_text(RULES, encoding="utf-8")
    run = pipeline.analyse(tmp_path / "data.perf", _write_data(tmp_path, ".csv", table=table))
    assert run.result is not None
    row = run.result.indicator("产出/验收合格率")
    assert row is not None and (row.published, row.review) == (D(25), D(24))


def test_the_documented_data_files_give_what_the_documented_rule_file_gives(tmp_path: Path) -> None:
    """docs/language.md 19.2: the JSON and the CSV of the 14 example give the example's scores and findings."""
    import re

    from conftest import ROOT

    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    example = page[page.index("### 表上的其他内容"):]
    perf = re.search(r"```perf\n(.*?)```", example, re.S)
    assert perf is not None
    section = page[page.index("表上还印有复核分、执行率、佐证时"):]
    data_json = re.search(r"```json\n(.*?)```", section, re.S)
    data_csv = re.search(r"```text\n(指标名称.*?)```", section, re.S)
    assert data_json is not None and data_csv is not None
    rules = tmp_path / "rules.perf"
    rules.write_text(perf[1], encoding="utf-8")
    bare = tmp_path / "bare.perf"
    bare.write_text(re.sub(r"actuals \{\n.*?\n\}\n", "", perf[1], flags=re.S), encoding="utf-8")
    (tmp_path / "d.json").write_text(data_json[1], encoding="utf-8")
    (tmp_path / "d.csv").write_text(data_csv[1], encoding="utf-8")
    want = _outcome(pipeline.analyse(rules))
    assert want[0]["total"] == D("92.53")
    for data in ("d.json", "d.csv"):
        assert _outcome(pipeline.analyse(bare, tmp_path / data)) == want, data


# ---------------------------------------------------------------- the audit paper: a 复核分 column


PAPER = RULES + ACTUALS.replace("98.5%", "95.3%") + EXPECT  # PR301.review on 验收合格率, 制度健全性 review ?


def _paper(tmp_path: Path, fmt: str, text: str = PAPER) -> Path | str:
    path = tmp_path / "审核.perf"
    path.write_text(text, encoding="utf-8")
    if fmt == "xlsx":
        out = tmp_path / "底稿.xlsx"
        assert cli("audit", str(path), "--format", "xlsx", "-o", str(out)).exit_code == 1
        return out
    outcome = cli("audit", str(path), "--format", fmt)
    assert outcome.exit_code == 1, outcome.stdout + outcome.stderr
    return outcome.stdout


def test_markdown_paper_has_a_review_column_with_its_finding_marked(tmp_path: Path) -> None:
    text = str(_paper(tmp_path, "markdown"))
    lines = text.splitlines()
    assert "| 序号 | 一级指标 | 二级指标 | 三级指标 | 分值 | 指标值 | 实际完成值 | 计分规则 | 公布得分 | 复核分 | 重算得分 | 差异 | " \
           "偏差原因 | 佐证 | 审核发现 | 位置 |" in lines
    assert "|--:|---|---|---|--:|---|---|---|--:|--:|--:|--:|---|---|---|---|" in lines
    assert "| 3 | 产出 |  | 验收合格率 | 25 | >= 100% | 100% | 正向比例：分值 × 实际/目标 | 25 | **24** | 25.00 |  |  |  | " \
           "PR301 错误 复核分 24，按规则（比例法）应得 25.00 | 第 9 行 |" in lines
    assert "| 2 | 产出 |  | 维护里程 | 25 | >= 50 公里 | 48 公里 | 正向比例：分值 × 实际/目标 | ?（无法辨认） | 24 | 24.00 |  | " \
           "两段道路顺延至次年 |  |  | 第 8 行 |" in lines
    assert "| 4 | 效益 |  | 制度健全性 | 40 | 定性 | 达成 85% | 定性：分值 × 得分率 | 34 | ?（无法辨认） | 34.00 |  |  | " \
           "人均补助提高了5%，覆盖2216户 |  | 第 12 行 |" in lines
    assert any(line.startswith("| 1 | 预算执行率 |") and "| 两笔资金于次年拨付 | 表上执行率 95.3% |  | 第 6 行 |" in line
               for line in lines)
    assert "|  | 各行公布得分之和 |  |  | 100 |  |  |  | 68.53 |  |  |  |  |  |  |  |" in lines


def test_a_paper_without_review_scores_has_no_review_column(tmp_path: Path) -> None:
    plain = PAPER.replace(" review ?", "").replace(" review 24", "").replace(" review 9.53", "")
    plain = plain.replace("执行率 95.3% ", "").replace(' "人均补助提高了5%，覆盖2216户"', "")  # no evidence either
    text = str(_paper(tmp_path, "markdown", plain))
    assert "复核分" not in text.split("## 其他发现")[0].replace("复核人", "") and "佐证" not in text
    assert "| 序号 | 一级指标 | 二级指标 | 三级指标 | 分值 | 指标值 | 实际完成值 | 计分规则 | 公布得分 | 重算得分 | 差异 | 偏差原因 | " \
           "审核发现 | 位置 |" in text.splitlines()


def test_html_paper_marks_the_review_score_a_finding_is_about(tmp_path: Path) -> None:
    html = str(_paper(tmp_path, "html"))
    assert "<th>公布得分</th><th>复核分</th><th>重算得分</th>" in html
    assert '<td class="row num">25</td><td class="row num diff">24</td><td class="row num">25.00</td>' in html
    assert '<td class="row num">?（无法辨认）</td><td class="row num">24</td>' in html  # 维护里程: score ?, review 24
    # the total lines keep their columns: one blank cell under 复核分
    assert '<td class="num">68.53</td><td></td><td colspan="6"></td>' in html
    assert "<th>偏差原因</th><th>佐证</th><th>审核发现</th>" in html
    assert '<td class="row">人均补助提高了5%，覆盖2216户</td>' in html


def test_xlsx_paper_review_is_a_number_cell_filled_like_the_score(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from perfrules.render.xlsx import FILLS

    book = load_workbook(_paper(tmp_path, "xlsx"))
    sheet = book["审核底稿"]
    header_row = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "序号")
    heads = [c.value for c in sheet[header_row]]
    assert heads == ["序号", "一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "计分规则", "公布得分", "复核分",
                     "重算得分", "差异", "偏差原因", "佐证", "审核发现", "位置"]
    rows = {sheet.cell(r, 4).value or sheet.cell(r, 2).value: r for r in range(header_row + 1, header_row + 5)}
    review = sheet.cell(rows["验收合格率"], 10)
    assert review.value == 24 and review.data_type == "n"
    assert review.fill.fgColor.rgb.endswith(FILLS["error"])  # the review's PR301 marks the 复核分 cell
    assert sheet.cell(rows["验收合格率"], 9).fill.fgColor.rgb in ("00000000", None)  # the self-score is right: unmarked
    assert sheet.cell(rows["制度健全性"], 10).value == "?（无法辨认）"
    assert sheet.cell(rows["维护里程"], 9).value == "?（无法辨认）" and sheet.cell(rows["维护里程"], 10).value == 24
    assert sheet.cell(rows["制度健全性"], 14).value == "人均补助提高了5%，覆盖2216户"
    assert sheet.cell(rows["预算执行率"], 14).value == "表上执行率 95.3%"
    total_row = header_row + 4 + 2
    assert sheet.cell(total_row, 2).value == "总分"
    assert [sheet.cell(total_row, c).value for c in (9, 10, 11, 12)] == [98, None, 92.53, 5.47]
    assert sheet.cell(total_row, 12).number_format == "+0.00;-0.00;0"  # the table's places (a difference shows its sign)


def test_audit_json_says_an_unreadable_review(tmp_path: Path) -> None:
    import jsonschema

    from conftest import ROOT

    data = json.loads(str(_paper(tmp_path, "json")))
    schema = json.loads((ROOT / "docs" / "schemas" / "audit.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    rows = {r["name"]: r for r in data["audits"][0]["rows"]}
    assert rows["制度健全性"].get("review_unreadable") is True and "review" not in rows["制度健全性"]
    assert rows["验收合格率"]["review"] == 24 and rows["验收合格率"]["codes"] == ["PR301"]
    assert rows["维护里程"]["published_unreadable"] is True and rows["维护里程"]["review"] == 24
    assert rows["制度健全性"]["evidence"] == "人均补助提高了5%，覆盖2216户"
    assert rows["预算执行率"]["printed_rate"] == "95.3%" and "evidence" not in rows["预算执行率"]


def test_terminal_audit_shows_an_unreadable_review(tmp_path: Path) -> None:
    text = str(_paper(tmp_path, "text"))
    assert any(line.startswith("制度健全性") and "?（无法辨认）" in line for line in text.splitlines())


# ---------------------------------------------------------------- the importer: rate P, review N, evidence text


def _form(tmp_path: Path, rows: list[list[object]], name: str = "自评表.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def _imported(path: Path) -> tuple[str, list[Finding]]:
    from perfrules.data.importer import import_form
    from perfrules.data.selfeval import read_selfeval

    result = import_form(read_selfeval(path), path.name)
    run = pipeline.compile_text(result.text, "out.perf")
    assert run.plan is not None and not [f for f in run.findings if f.severity.value == "error"], result.text
    return result.text, result.findings


MONEY = ["项目资金（万元）", "全年预算数", "全年执行数", "分值", "执行率", "得分", "复核分"]
TABLE_HEAD = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "复核分"]


def test_import_writes_the_printed_rate_and_the_money_review_on_the_budget_line(tmp_path: Path) -> None:
    path = _form(tmp_path, [MONEY, ["年度资金总额", 600, 571.6, 10, "95.3%", 9.53, 9],
                            TABLE_HEAD, ["产出指标", "数量指标", "维护里程", "≥50公里", "48公里", 90, 86.4, 86.4]])
    text, findings = _imported(path)
    assert findings == []
    assert "  预算执行率 score 9.53 review 9 rate 95.3%\n" in text
    # no longer a comment beside the formula
    assert "\n预算执行率 = 全年执行数 / 全年预算数 >= 100% weight 10 method execution\n" in text
    assert "# 资金 复核分" not in text  # the money block's 复核分 is the budget line's `review 9`
    from perfrules.audit import audit

    run, rows = audit(path)
    assert [(f.code, f.key, f.span.line, f.span.column) for f in run.findings if f.code.startswith("PR3")] == \
        [("PR301", "PR301.review", 2, 7)]  # review 9 where the rule gives 9.53: at the money block's 复核分 cell
    assert rows[0].review == D(9) and rows[0].published == D("9.53")


def test_a_printed_rate_the_amounts_do_not_give_is_pr309_at_its_cell(tmp_path: Path) -> None:
    from perfrules.audit import audit

    path = _form(tmp_path, [MONEY[:6], ["年度资金总额", 600, 571.6, 10, "98.5%", 9.53],
                            TABLE_HEAD[:7], ["产出指标", "数量指标", "维护里程", "≥50公里", "50公里", 90, 90]])
    text, findings = _imported(path)
    assert findings == [] and "预算执行率 score 9.53 rate 98.5%" in text
    run, _rows = audit(path)
    assert [(f.code, f.span.line, f.span.column, f.message()) for f in run.findings if f.code == "PR309"] == \
        [("PR309", 2, 5, "预算执行率 印出的执行率 98.5% 与计算值 95.27% 不符（按所印位数四舍五入或截断后仍不同）")]


def test_a_rate_printed_as_a_ratio_is_read_as_a_percentage_and_said(tmp_path: Path) -> None:
    path = _form(tmp_path, [MONEY[:6], ["年度资金总额", 600, 571.6, 10, "0.953", 9.53],
                            TABLE_HEAD[:7], ["产出指标", "数量指标", "维护里程", "≥50公里", "50公里", 90, 90]])
    text, findings = _imported(path)
    assert "预算执行率 score 9.53 rate 95.3%  # 执行率 第 2 行第 5 列「0.953」 按比值读作 95.3%" in text
    assert [(f.key, f.severity.value, f.span.line, f.span.column) for f in findings] == \
        [("PR024.rate_ratio", "info", 2, 5)]
    assert findings[0].message() == ("单元格 第 2 行第 5 列 印出的执行率「0.953」没有 %，按比值读作 95.3%（写作 rate 95.3%）："
                                     "若表上就是 0.953%，请改正")


def test_a_rate_cell_that_is_no_rate_stays_a_comment(tmp_path: Path) -> None:
    path = _form(tmp_path, [MONEY[:6], ["年度资金总额", 600, 571.6, 10, "较高", 9.53],
                            TABLE_HEAD[:7], ["产出指标", "数量指标", "维护里程", "≥50公里", "50公里", 90, 90]])
    text, _findings = _imported(path)
    assert "预算执行率 score 9.53  # 执行率 第 2 行第 5 列「较高」" in text


def test_the_budget_row_inside_the_table_carries_its_rate_and_review(tmp_path: Path) -> None:
    path = _form(tmp_path, [
        ["项目资金（万元）", "全年预算数", "全年执行数"], ["年度资金总额", 500, 450],
        TABLE_HEAD,
        ["管理", "资金管理", "预算执行率", "100%", "90%", 10, 9, "8.5"],
        ["产出", "数量指标", "绿化面积", "≥120万平方米", "125万平方米", 90, 90, 90]])
    text, _findings = _imported(path)
    assert "  预算执行率 score 9 review 8.5 rate 90%\n" in text
    from perfrules.audit import audit

    run, _rows = audit(path)
    assert [(f.key, f.span.line, f.span.column) for f in run.findings if f.code.startswith("PR3")] == \
        [("PR301.review", 4, 8)]


QUALITATIVE = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"]


def test_evidence_text_in_a_qualitative_actual_cell_is_the_evidence_string(tmp_path: Path) -> None:
    path = _form(tmp_path, [QUALITATIVE,
                            ["效益指标", "社会效益指标", "补助水平", "逐步提高", "达成，人均补助提高了5%", 10, 10],
                            ["效益指标", "社会效益指标", "覆盖面", "逐步扩大", "人均补助提高了5%，覆盖2216户", 10, 9],
                            ["效益指标", "社会效益指标", "制度", "健全", "达成年度指标", 10, 10],
                            ["效益指标", "社会效益指标", "说不清", "健全", "还行吧", 10, ""]])
    text, findings = _imported(path)
    assert '补助水平 = 达成 100% "达成，人均补助提高了5%" score 10' in text
    assert '覆盖面   = 达成 90%  "人均补助提高了5%，覆盖2216户" score 9' in text
    assert "制度     = 达成 100% score 10  # 实际完成值 第 4 行第 5 列「达成年度指标」" in text  # a tier word only
    assert [(f.span.line, f.span.column) for f in findings] == [(5, 5)]  # no tier, no score: PR024, kept as before
    path_perf = tmp_path / "out.perf"
    path_perf.write_text(text, encoding="utf-8")
    outcome = cli("eval", str(path_perf))
    assert "  覆盖面    佐证「人均补助提高了5%，覆盖2216户」" in outcome.stdout.splitlines()


def test_an_evidence_column_is_the_evidence_of_its_row(tmp_path: Path) -> None:
    path = _form(tmp_path, [[*QUALITATIVE, "佐证材料"],
                            ["产出指标", "数量指标", "甲", "≥10个", "10个", 50, 50, "见附件3"],
                            ["效益指标", "社会效益指标", "乙", "逐步提高", "达成，人均补助提高了5%", 50, 50, "见附件4"],
                            ["效益指标", "社会效益指标", "丙", "逐步提高", "", 0, "", "见附件5"]])
    text, findings = _imported(path)
    assert findings == []
    assert '甲 = 10 个     "见附件3" score 50' in text
    assert '"达成，人均补助提高了5%；见附件4"' in text
    assert "佐证 第 4 行第 8 列「见附件5」" in text  # no actual to follow: kept as a comment


# ---------------------------------------------------------------- date windows as tables print them


def test_a_window_whose_second_date_has_no_year_is_a_located_error_with_the_spelling(tmp_path: Path) -> None:
    from conftest import syntax

    found = syntax('ruleset "x" { year 2023 }\n完成时间 in 2023年10月 ~ 12月 weight 10\n')
    assert [(f.code, f.span.line, f.span.column, f.span.end_column) for f in found] == [("PR001", 2, 20, 23)]
    assert found[0].message() == "此处不应出现「12月」，应为日期（如 2023-12-31、2023-12、2023年12月）"
    assert found[0].hint() == ("日期区间的第二个日期也要写出年份（不会取第一个日期的年份），如 in 2023年10月 ~ 2023年12月"
                               "（或 in 2023-10 ~ 2023-12）")
    assert found[0].hint("en") == ("the second date of a window needs its year too (it is not taken from the first): "
                                   "in 2023年10月 ~ 2023年12月 (or in 2023-10 ~ 2023-12)")
    iso = syntax('ruleset "x" { year 2023 }\n完成时间 in 2023-10-01 ~ 12-31 weight 10\n')
    assert [(f.span.column, f.span.end_column) for f in iso] == [(22, 27)]
    assert iso[0].hint() == "日期区间的第二个日期也要写出年份（不会取第一个日期的年份），如 in 2023-10-01 ~ 2023-12-31"
    days = syntax('ruleset "x" { year 2023 }\n完成时间 in 2023年10月1日 ~ 12 月 31 日 weight 10\n')
    assert "in 2023年10月1日 ~ 2023年12月31日（或 in 2023-10-01 ~ 2023-12-31）" in days[0].hint()


def test_the_spelling_the_hint_gives_is_accepted_and_scores(tmp_path: Path) -> None:
    from conftest import load

    for target in ("in 2023年10月 ~ 2023年12月", "in 2023-10 ~ 2023-12"):
        loaded = load(f'ruleset "x" {{ year 2023 }}\n完成时间 {target} weight 10\n'
                      "actuals {\n  完成时间 = 2023-12-31\n}\n")
        assert not [f for f in loaded.findings if f.code.startswith("PR0")], target
        assert loaded.result.total == D("10.00"), target


@pytest.mark.parametrize(("printed", "window"), [
    ("2023年10月-12月", "2023-10 ~ 2023-12"),
    ("2023年10月至12月", "2023-10 ~ 2023-12"),
    ("2023.10-2023.12", "2023-10 ~ 2023-12"),
    ("2023-10-01至2023-12-31", "2023-10-01 ~ 2023-12-31"),
    ("2023年10月1日—12月31日", "2023-10-01 ~ 2023-12-31"),
    ("２０２３年１０月～１２月", "2023-10 ~ 2023-12"),
    ("2023/10/01-2023/12/31", "2023-10-01 ~ 2023-12-31"),
    ("2023年10月-2024年2月", "2023-10 ~ 2024-02"),
])
def test_date_windows_as_tables_print_them(printed: str, window: str) -> None:
    from perfrules.data.selfeval import parse_date_range

    found = parse_date_range(printed)
    assert found is not None and (found.comparator, found.date) == ("in", window)


@pytest.mark.parametrize("printed", ["2023-10-12", "10月-12月", "≤2023年12月31日", "12月底前", "≥10个", "达成年度指标"])
def test_what_is_no_window_stays_as_it_was(printed: str) -> None:
    from perfrules.data.selfeval import parse_date_range

    assert parse_date_range(printed) is None


def test_import_writes_a_printed_window_as_in_and_audits_it(tmp_path: Path) -> None:
    from perfrules.audit import audit

    path = _form(tmp_path, [QUALITATIVE,
                            ["产出指标", "时效指标", "完成时间", "2023年10月-12月", "2023年11月20日", 10, 10],
                            ["产出指标", "时效指标", "开工时间", "2023年10月至12月", "2024年1月5日", 10, 10],
                            ["产出指标", "时效指标", "验收时间", "2023.10-2023.12", "2023.12.15", 10, 10],
                            ["产出指标", "数量指标", "甲", "≥10个", "10个", 70, 70]])
    text, findings = _imported(path)
    assert findings == []
    for name in ("完成时间", "开工时间", "验收时间"):
        assert f"{name} in 2023-10 ~ 2023-12 weight 10" in text
    assert "开工时间 = 2024-01-05 score 10" in text
    run, rows = audit(path)
    assert {r.name: r.computed for r in rows} == {"完成时间": D("10.00"), "开工时间": D("0.00"), "验收时间": D("10.00"),
                                                   "甲": D("70.00")}
    assert sorted((f.code, f.span.line, f.span.column) for f in run.findings if f.code.startswith("PR3")) == \
        [("PR301", 3, 7), ("PR305", 3, 7)]  # printed 10 for a start after the window's end


def test_a_review_cell_that_is_no_number_is_review_unreadable_and_kept(tmp_path: Path) -> None:
    path = _form(tmp_path, [MONEY, ["年度资金总额", 600, 571.6, 10, "95.3%", 9.53, "待复核"],
                            TABLE_HEAD, ["产出指标", "数量指标", "维护里程", "≥50公里", "48公里", 90, 86.4, "?"],
                            ["产出指标", "数量指标", "验收", "≥50公里", "50公里", 0, 0, "-1"]])
    text, _findings = _imported(path)
    assert "# 资金 复核分 第 2 行第 7 列「待复核」" in text
    assert "  预算执行率 score 9.53 review ? rate 95.3%\n" in text
    assert "维护里程 = 48 公里 score 86.4 review ?  # 复核分 第 4 行第 8 列「?」" in text
    assert "验收     = 50 公里 score 0  # 复核分 第 5 行第 8 列「-1」" in text  # a negative number: only a comment


@pytest.mark.parametrize("review", ["复核分", "审核分", "财政审核评分", "复核得分", "review"])
def test_a_data_sheet_names_the_review_column_as_forms_do(tmp_path: Path, review: str) -> None:
    table = [["指标名称", "实际完成值", "得分", review, "预算执行率", "佐证"], ["验收合格率", "100%", "25", "24", "", "附件2"]]
    (tmp_path / "data.perf").write_text(RULES, encoding="utf-8")
    run = pipeline.analyse(tmp_path / "data.perf", _write_data(tmp_path, ".csv", table=table))
    assert run.result is not None
    row = run.result.indicator("产出/验收合格率")
    assert row is not None and (row.published, row.review, row.evidence) == (D(25), D(24), "附件2")
