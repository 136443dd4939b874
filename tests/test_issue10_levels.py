"""Issue 10, item 4 (scoring rules tables use): rows rated by named levels, `levels 优:100% 良:80% 中:60% 差:0`
with the actual the level given (`= 良`), score = weight × its share. Found writing a Sichuan 2019 评价 table whose
qualitative rows are rated 优/良/中/差: the language had only 达成/部分达成/未达成 with rates. Every place a
construct must live: the language (both spellings, errors located), the plan JSON, fmt, data files, the reports."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from test_fastpath import same_as_lark

from conftest import ROOT, SCHEMAS, cli, load

D = Decimal
HEAD = 'ruleset "等次" { year 2019 total 8 kind 评价 }\n'
ROW = "立项依据充分性 levels 优:100% 良:80% 中:60% 差:0 weight 8\n"


def _one(actual: str, row: str = ROW) -> tuple[Decimal | None, bool | None, list[str]]:
    loaded = load(f"{HEAD}{row}actuals {{\n  立项依据充分性 = {actual}\n}}\n")
    node = loaded.ind("立项依据充分性")
    return node.score, node.met, [f.code for f in loaded.findings if f.code.startswith("PR0") and f.code != "PR021"]


def _section(heading: str, end: str) -> str:
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    return page[page.index(heading):page.index(end)]


def _documented() -> tuple[str, str]:
    section = _section("### 11.7 等次 levels", "## 12. 指标子句")
    perf = re.search(r"```perf\n(.*?)```", section, re.S)
    text = re.search(r"```text\n(.*?)```", section, re.S)
    assert perf is not None and text is not None
    return perf[1], text[1]


# ---------------------------------------------------------------- the documented example and table


def test_the_documented_example_prints_what_the_docs_show(tmp_path: Path) -> None:
    perf, text = _documented()
    path = tmp_path / "doc.perf"
    path.write_text(perf, encoding="utf-8")
    outcome = cli("eval", str(path))
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    shown = [line.rstrip() for line in outcome.stdout.splitlines()]
    for line in text.strip("\n").splitlines():
        assert line.rstrip() in shown, (line, outcome.stdout)
    assert cli("fmt", "--check", str(path)).exit_code == 0  # the docs write it as fmt does


def test_the_scoring_table_of_17_19_holds() -> None:
    section = _section("### 17.19 等次 levels", "### 17.20 满分打分 scale")
    rows = re.findall(r"^\| `([^`]+)` \| (?:[^|]*\*\*([\d.]+)\*\*|`([^`]+)`) \|$", section, re.M)
    assert len(rows) == 5
    for actual, score, message in rows:
        loaded = load(f"{HEAD}{ROW}actuals {{\n  立项依据充分性 = {actual}\n}}\n")
        if score:
            assert loaded.ind("立项依据充分性").score == D(score), actual
        else:
            assert message in [f"{f.code} 错误 {f.message()}" for f in loaded.findings], actual


@pytest.mark.parametrize("actual, score, met", [
    ("优", "8.00", True), ("良", "6.40", False), ("中", "4.80", False), ("差", "0.00", False),
])
def test_a_level_scores_its_share(actual: str, score: str, met: bool) -> None:
    assert _one(actual) == (D(score), met, [])


def test_the_best_level_is_met_even_below_100_percent_and_rounding_is_half_up() -> None:
    row = "立项依据充分性 levels 好:95% 一般:50.0625% weight 8\n"
    assert _one("好", row) == (D("7.60"), True, [])
    assert _one("一般", row) == (D("4.01"), False, [])  # 8 × 50.0625% = 4.005 → 4.01 (half-up)


def test_chinese_spellings_read_the_same() -> None:
    english = load(f"{HEAD}立项 qualitative levels 优:100% 良:80% weight 8\nactuals {{\n  立项 = 良\n}}\n")
    chinese = load(f"{HEAD}立项 定性 分档 优:100% 良:80% 权重 8\nactuals {{\n  立项 = 良\n}}\n")
    other = load(f"{HEAD}立项 等次 优:100% 良:80% 分值 8\nactuals {{\n  立项 = 良\n}}\n")
    rows = [loaded.plan.body[0] for loaded in (english, chinese, other)]
    assert {(row.method, row.levels, row.target_text, row.weight) for row in rows} == {
        ("levels", (("优", D(1)), ("良", D("0.8"))), "等次 优100% 良80%", D(8))}
    assert english.ind("立项").score == chinese.ind("立项").score == other.ind("立项").score == D("6.40")


def test_a_qualitative_row_with_levels_keeps_its_wording() -> None:
    loaded = load(f'{HEAD}合规性 qualitative "合规" levels 合规:100% 基本合规:60% 不合规:0 weight 8\n'
                  "actuals {\n  合规性 = 基本合规\n}\n")
    node = loaded.ind("合规性")
    assert (node.score, node.target, node.actual_text) == (D("4.80"), "合规（等次 合规100% 基本合规60% 不合规0%）", "基本合规")


# ---------------------------------------------------------------- what is refused, located


def test_an_unknown_level_is_located_pr018() -> None:
    loaded = load(f"{HEAD}{ROW}actuals {{\n  立项依据充分性 = 较好\n}}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR018"]
    assert finding.message() == "立项依据充分性 没有等次「较好」，可选：优、良、中、差"
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (4, 13, 15)


def test_a_tier_on_a_levels_row_and_a_level_on_a_row_without_levels_are_pr018() -> None:
    assert _one("达成 80%")[2] == ["PR018"]
    loaded = load(f"{HEAD}立项依据充分性 qualitative weight 8\nactuals {{\n  立项依据充分性 = 良\n}}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR018"]
    assert "该行没有写等次" in finding.message() and "levels 优:100% 良:80%" in finding.message()
    assert (finding.span.line, finding.span.column) == (4, 13)
    number = load(f"{HEAD}人数 >= 10 人 weight 8\nactuals {{\n  人数 = 很多\n}}\n")
    assert "PR018" in number.codes()  # a word where a number is measured: never scored silently


@pytest.mark.parametrize("row, key, column", [
    ("立项 >= 90% weight 8 levels 优:100% 良:80%", "PR014.levels_on", 20),
    ("立项 qualitative weight 8 levels 优:100% 优:80%", "PR014.levels_twice", 39),
    ("立项 qualitative weight 8 levels 优:120% 良:80%", "PR014.levels_share", 34),
    ("立项 elements ①:50% ②:50% weight 8 levels 优:100%", "PR014.levels_and_elements", 34),
])
def test_what_a_levels_clause_refuses_is_located_pr014(row: str, key: str, column: int) -> None:
    loaded = load(f"{HEAD}{row}\n")
    found = [f for f in loaded.findings if f.code == "PR014"]
    assert [f.key for f in found] == [key], [f.message() for f in found]
    assert (found[0].span.line, found[0].span.column) == (2, column)


def test_levels_named_as_the_tiers_are_levels() -> None:
    row = "立项依据充分性 levels 达成:100% 基本达成:70% 未达成:0 weight 8\n"
    assert _one("未达成", row) == (D("0.00"), False, [])
    assert _one("基本达成", row) == (D("5.60"), False, [])
    assert _one("达成", row) == (D("8.00"), True, [])
    assert _one("达成 90%", row)[2] == ["PR018"]  # a rate is no level: refused, not taken as 达成


# ---------------------------------------------------------------- audits


def test_published_scores_of_levels_rows_are_audited() -> None:
    loaded = load(f"{HEAD}{ROW}actuals {{\n  立项依据充分性 = 良 score 8\n}}\n")
    messages = [f.message() for f in loaded.findings if f.code == "PR301"]
    assert messages == ["立项依据充分性 公布得分 8，按规则（等次）应得 6.40"]
    clean = load(f"{HEAD}{ROW}actuals {{\n  立项依据充分性 = 良 score 6.4 reason \"可研不充分\"\n}}\n")
    assert not [f for f in clean.findings if f.code.startswith("PR30")]


# ---------------------------------------------------------------- parser, plan JSON, fmt


@pytest.mark.parametrize("line, start", [
    (ROW.strip(), "section_line"),
    ("立项 定性 \"合规\" 等次 优:100% 良:80% 权重 8", "section_line"),
    ("立项依据充分性 = 良", "actuals_line"),
    ("立项依据充分性 = 良 reason \"x\" score 6.4", "actuals_line"),
    ("良", "value_line"),
])
def test_the_fast_path_leaves_levels_to_lark_or_reads_them_alike(line: str, start: str) -> None:
    same_as_lark(line, start)


def test_the_plan_json_round_trips_and_fits_its_schema(tmp_path: Path) -> None:
    perf, _ = _documented()
    path = tmp_path / "p.perf"
    path.write_text(perf, encoding="utf-8")
    plan_file = tmp_path / "plan.json"
    assert cli("compile", str(path), "-o", str(plan_file)).exit_code == 0
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    schema = json.loads((SCHEMAS / "plan.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(plan, schema, cls=jsonschema.Draft202012Validator)
    first = plan["body"][0]
    assert (first["method"], first["levels"]) == ("levels", [["优", "1.00"], ["良", "0.80"], ["中", "0.60"], ["差", "0.00"]])
    assert (plan["actuals"][0]["kind"], plan["actuals"][0]["text"]) == ("level", "良")
    direct = cli("eval", str(path), "--format", "json").json()
    again = cli("eval", "--plan", str(plan_file), "--format", "json").json()
    assert [i["score"] for i in again["indicators"]] == [i["score"] for i in direct["indicators"]] == [6.4, 8, 2]
    del first["levels"]  # method levels without its levels breaks the schema: refused
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    assert cli("eval", "--plan", str(plan_file)).exit_code == 2


def test_fmt_keeps_levels(tmp_path: Path) -> None:
    path = tmp_path / "f.perf"
    path.write_text(f"{HEAD}立项依据充分性  levels 优 : 100%  良:80% 中:60% 差:0   weight 8\n"
                    "actuals {\n  立项依据充分性 =   良\n}\n", encoding="utf-8")
    assert cli("fmt", str(path)).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert f"{HEAD}{ROW}actuals {{\n  立项依据充分性 = 良\n}}\n" == text
    assert cli("fmt", "--check", str(path)).exit_code == 0


# ---------------------------------------------------------------- data files and reports

RULES = f"{HEAD.replace('total 8', 'total 18')}{ROW}人数 >= 10 人 weight 10\n"


@pytest.mark.parametrize("name, content", [
    ("a.json", '{"立项依据充分性": "良", "人数": "12 人"}'),
    ("a.yaml", "立项依据充分性: 良\n人数: 12\n"),
    ("a.csv", "指标名称,实际完成值\n立项依据充分性,良\n人数,12\n"),
])
def test_levels_in_data_files(tmp_path: Path, name: str, content: str) -> None:
    rules = tmp_path / "r.perf"
    rules.write_text(RULES, encoding="utf-8")
    data = tmp_path / name
    data.write_text(content, encoding="utf-8")
    out = cli("eval", str(rules), "--data", str(data), "--format", "json")
    assert out.exit_code == 0, out.stdout + out.stderr
    assert [i["score"] for i in out.json()["indicators"]] == [6.4, 10]


def test_a_word_for_a_number_in_a_data_file_stays_text(tmp_path: Path) -> None:
    rules = tmp_path / "r.perf"
    rules.write_text(RULES, encoding="utf-8")
    data = tmp_path / "a.json"
    data.write_text('{"立项依据充分性": "良", "人数": "很多"}', encoding="utf-8")
    out = cli("eval", str(rules), "--data", str(data))
    assert "PR023" in out.stdout + out.stderr  # 很多 is text against a count: scored 0 with a finding, as before
    data.write_text('{"立项依据充分性": "较好", "人数": 12}', encoding="utf-8")
    out = cli("eval", str(rules), "--data", str(data))
    assert out.exit_code == 2 and "PR018 错误 立项依据充分性 没有等次「较好」，可选：优、良、中、差" in out.stderr


def test_every_report_shows_the_level(tmp_path: Path) -> None:
    perf, _ = _documented()
    path = tmp_path / "d.perf"
    path.write_text(perf, encoding="utf-8")
    for fmt in ("markdown", "html"):
        out = cli("eval", str(path), "--format", fmt)
        assert "基本健全" in out.stdout and "等次 优100% 良80% 中60% 差0%" in out.stdout, fmt
    result = cli("eval", str(path), "--format", "json").json()
    jsonschema.validate(result, json.loads((SCHEMAS / "result.schema.json").read_text(encoding="utf-8")),
                        cls=jsonschema.Draft202012Validator)
    assert [(i["method"], i["actual_text"], i["met"]) for i in result["indicators"]] == [
        ("levels", "良", False), ("levels", "优", True), ("levels", "基本健全", False)]
    import openpyxl

    book_file = tmp_path / "d.xlsx"
    assert cli("eval", str(path), "--format", "xlsx", "-o", str(book_file)).exit_code == 0
    row = [c.value for c in openpyxl.load_workbook(book_file).active[6]]
    assert "良" in row and "等次：分值 × 所评等次的比例（优100% 良80% 中60% 差0%）" in row, row
    assert cli("report", str(path), "-o", str(tmp_path / "r.docx")).exit_code in (0, 1)


def test_the_language_server_offers_the_new_words() -> None:
    from perfrules.lsp.analysis import _keywords

    assert {"levels", "等次", "分档"} <= {c.label for c in _keywords()}


# ---------------------------------------------------------------- levels written once, on a section

SECTION = """ruleset "分档" { year 2019 total 30 kind 评价 }
dimension 项目决策 weight 30 levels 优:100% 良:80% 中:60% 差:0 {
  立项依据充分性 qualitative weight 8
  组织机构健全性 levels 健全:100% 不健全:0 weight 4
  制度健全性 elements ①:50% ②:50% weight 4
  group 资金 weight 14 levels 好:100% 差:50% {
    资金分配合理性 定性 "分配科学" 权重 8
    到位率 >= 100% weight 6
  }
}
actuals {
  立项依据充分性 = 良
  组织机构健全性 = 健全
  制度健全性 = 具备 ①
  资金分配合理性 = 差
  到位率 = 90%
}
"""


def test_levels_on_a_section_rate_its_qualitative_rows_that_name_none() -> None:
    loaded = load(SECTION)
    assert not [f for f in loaded.findings if f.code.startswith("PR0")]
    scores = {name: loaded.ind(name).score for name in ("立项依据充分性", "组织机构健全性", "制度健全性", "资金分配合理性", "到位率")}
    # 良 of the dimension's levels; a row's own levels; a checklist keeps its elements; the group's own levels (差 50%);
    # a compared row is scored by its target
    assert scores == {"立项依据充分性": D("6.40"), "组织机构健全性": D("4.00"), "制度健全性": D("2.00"),
                      "资金分配合理性": D("4.00"), "到位率": D("5.40")}
    assert loaded.ind("资金分配合理性").target == "分配科学（等次 好100% 差50%）"


def test_bad_levels_on_a_section_are_reported_once_and_not_inherited() -> None:
    text = SECTION.replace("levels 优:100% 良:80% 中:60% 差:0", "levels 优:100% 优:80%")
    loaded = load(text)
    found = [(f.code, f.key, f.span.line, f.span.column) for f in loaded.findings if f.code in ("PR014", "PR018")]
    assert found == [("PR014", "PR014.levels_twice", 2, 40), ("PR018", "PR018.no_levels", 12, 13)]
