"""Issue 10, items 2 and 8: a criterion scored on a scale, with no target (`相关性 scale 100 weight 20%`, 中文
`满分 100`): the row scores weight × actual / scale, and no target-based check speaks about it. Each boundary, the
language in both spellings, the fast path, fmt, the plan JSON, every report, the checks, the docs and the shipped
framework."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from test_fastpath import same_as_lark, statements
from test_reports import check_workbook

from conftest import EXAMPLES, ROOT, SCHEMAS, cli, load

D = Decimal
HEAD = 'ruleset "满分打分" { year 2023 }\n'

# The trial's table (/tmp/trial/criteria.perf) written with the construct: what the docs now tell a user to write.
TRIAL = """\
ruleset "世行贷款农村供水项目绩效评价" {
  year 2023
  kind 评价
}
dimension 评价准则 weight 100% {
  相关性 scale 100 weight 20%
  效率 scale 100 weight 25%
  效果 scale 100 weight 35%
  可持续性 scale 100 weight 20%
}
actuals {
  相关性 = 90 分
  效率 = 80 分
  效果 = 83.5 分
  可持续性 = 77.25 分
}
expect {
  total 82.68
}
"""
NAMES = ("相关性", "效率", "效果", "可持续性")


def _one(rule: str, actual: str, head: str = HEAD) -> tuple[Decimal | None, str, list[str]]:
    """The score and shown actual of the one row `rule` (named 相关性) with `actual`, and its PR0xx keys."""
    loaded = load(f"{head}{rule}\nactuals {{\n  相关性 = {actual}\n}}\n")
    node = loaded.ind("相关性")
    keys = [f.key or f.code for f in loaded.findings if f.code.startswith("PR0") and f.code != "PR021"]
    return node.score, node.actual_text, keys


def _documented(heading: str) -> tuple[str, str]:
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    section = page[page.index(heading):]
    perf = re.search(r"```perf\n(.*?)```", section, re.S)
    text = re.search(r"```text\n(.*?)```", section, re.S)
    assert perf is not None and text is not None
    return perf[1], text[1]


# ---------------------------------------------------------------- the trial's table


def test_the_trial_table_reproduces_the_published_total_with_no_false_finding() -> None:
    loaded = load(TRIAL)
    assert [loaded.ind(n).score for n in NAMES] == [D("18.00"), D("20.00"), D("29.23"), D("15.45")]
    assert loaded.result.total == D("82.68")  # 18 + 20 + 29.225 + 15.45 = 82.675; rows rounded first: 82.68
    assert [f.code for f in loaded.findings if f.code.startswith("PR2")] == []
    assert loaded.codes() == []
    for name in NAMES:
        node = loaded.ind(name)
        assert (node.kind, node.method, node.target, node.completion, node.met) == ("scale", "scale", "满分 100", None,
                                                                                    None)


def test_the_trial_table_lints_clean_and_its_expect_holds(tmp_path: Path) -> None:
    path = tmp_path / "criteria.perf"
    path.write_text(TRIAL, encoding="utf-8")
    out = cli("lint", str(path))
    assert out.exit_code == 0 and "发现 0 个问题" in out.stderr, out.stdout + out.stderr
    shown = cli("eval", str(path))
    assert shown.exit_code == 0
    assert "  相关性      20  满分 100  90 分               18.00" in shown.stdout.splitlines()
    assert "  ✓ 总分 total   82.68 → 82.68" in shown.stdout.splitlines()


def test_a_target_of_100_points_is_still_a_target_and_the_hint_says_how_to_write_a_scale() -> None:
    """The workaround the trial used: every criterion then misses a target of 100 (PR202/PR203), as it says; the
    hint names the construct, since a target in 分 may be a criterion scored 0–100."""
    loaded = load(TRIAL.replace("scale 100 weight", ">= 100 分 weight"))
    assert loaded.result.total == D("82.68")
    assert sorted(set(loaded.codes())) == ["PR202", "PR203"]
    pr202, pr203 = [f for f in loaded.findings if f.span is not None and f.span.line == 6]
    assert pr202.message() == "相关性 未完成目标（完成率 90.00%），但没有写偏差原因"
    assert pr202.hint() == ('在实际值后写 reason "偏差原因及改进措施"；若这一行是按 0–100 打分、没有目标的评价准则，'
                            "写成 相关性 scale 100 weight …（满分打分，见 docs/language.md 11.8），就没有偏差可言")
    assert pr203.message() == "相关性 未完成目标：完成率 90.00%（目标 >= 100 分，实际 90 分）"
    assert "写成 相关性 scale 100 weight …" in pr203.hint() and "11.8" in pr203.hint("en")
    other = load(HEAD + "人数 >= 100 人 weight 10\nactuals {\n  人数 = 90 人\n}\n")
    assert [f.hint() for f in other.findings if f.code == "PR203"] == ['在实际值后写 reason "未完成的原因及改进措施"']
    given = load(TRIAL.replace("scale 100 weight", ">= 100 分 weight").replace("相关性 = 90 分", '相关性 = 90 分 reason "x"'))
    assert [f.hint() for f in given.findings if f.code == "PR203" and f.span and f.span.line == 6] == [""]


# ---------------------------------------------------------------- boundaries


@pytest.mark.parametrize("rule, actual, score, shown", [
    ("相关性 scale 100 weight 20", "100", "20.00", "100 分"),  # the scale itself
    ("相关性 scale 100 weight 20", "100 分", "20.00", "100 分"),
    ("相关性 scale 100 weight 20", "0", "0.00", "0 分"),
    ("相关性 scale 100 weight 20", "90", "18.00", "90 分"),
    ("相关性 scale 100 weight 20", "90 分", "18.00", "90 分"),
    ("相关性 scale 100 weight 20", "85%", "17.00", "85%"),  # 85% of the scale
    ("相关性 scale 100 weight 20", "100%", "20.00", "100%"),
    ("相关性 scale 100 weight 20", "0.025", "0.01", "0.025 分"),  # 0.005: half up
    ("相关性 scale 100 weight 20", "0.0249", "0.00", "0.0249 分"),  # 0.00498
    ("相关性 scale 100 weight 5", "2.5", "0.13", "2.5 分"),  # 0.125 → 0.13
    ("相关性 scale 100 weight 35", "83.5", "29.23", "83.5 分"),  # 29.225 → 29.23
    ("相关性 scale 5 weight 10", "4.5", "9.00", "4.5 分"),  # a 1–5 rating
    ("相关性 scale 5 weight 10", "5", "10.00", "5 分"),
    ("相关性 scale 5 weight 10", "80%", "8.00", "80%"),  # 80% of 5 is 4
    ("相关性 scale 3 weight 10", "1", "3.33", "1 分"),  # 10 / 3
    ("相关性 scale 100 weight 20%", "77.25 分", "15.45", "77.25 分"),
    ("相关性 scale 100 weight 35 rounding 0", "83.5", "29", "83.5 分"),  # the row's own rounding
    ("相关性 scale 100 weight 35 rounding 1 down", "83.5", "29.2", "83.5 分"),
    ("相关性 满分 100 分 权重 20", "90", "18.00", "90 分"),  # the scale may carry its unit
])
def test_a_score_on_a_scale_at_its_boundaries(rule: str, actual: str, score: str, shown: str) -> None:
    assert _one(rule, actual) == (D(score), shown, [])


@pytest.mark.parametrize("rule, actual, key", [
    ("相关性 scale 100 weight 20", "101", "PR018.scale_above"),
    ("相关性 scale 100 weight 20", "100.01 分", "PR018.scale_above"),
    ("相关性 scale 100 weight 20", "101%", "PR018.scale_above"),
    ("相关性 scale 5 weight 10", "5.5", "PR018.scale_above"),
    ("相关性 scale 100 weight 20", "-1", "PR018.negative_scale"),
    ("相关性 scale 100 weight 20", "-0.5 分", "PR018.negative_scale"),
    ("相关性 scale 100 weight 20", "达成", "PR018.scale_kind"),
    ("相关性 scale 100 weight 20", "达成 90%", "PR018.scale_kind"),
    ("相关性 scale 100 weight 20", "90 人", "PR018.scale_kind"),
    ("相关性 scale 100 weight 20", "9 万元", "PR018.scale_kind"),
    ("相关性 scale 100 weight 20", "2023-12-31", "PR018.scale_kind"),
    ("相关性 scale 100 weight 20", "具备 ①", "PR018.scale_kind"),
])
def test_an_actual_a_scale_cannot_take_is_a_located_pr018(rule: str, actual: str, key: str) -> None:
    loaded = load(f"{HEAD}{rule}\nactuals {{\n  相关性 = {actual}\n}}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR018"]
    assert finding.key == key
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (4, 9, 9 + len(actual))
    assert loaded.ind("相关性").score == D(0)


def test_the_pr018_messages_say_the_scale() -> None:
    loaded = load(HEAD + "相关性 scale 100 weight 20\n效率 scale 5 weight 10\nactuals {\n  相关性 = 101\n"
                  "  效率 = 达成\n}\n")
    assert [f.message() for f in loaded.findings if f.code == "PR018"] == [
        "相关性 的实际得分 101 超过满分 100",
        "效率 按满分 5 打分，实际值应为 0–5 的得分（如 90、90 分）或满分的百分比（如 90%），而不是 达成",
    ]
    assert [f.message("en") for f in loaded.findings if f.code == "PR018"] == [
        "the actual 101 of 相关性 is above its scale of 100",
        "效率 is scored out of 5; its actual must be a score of 0-5 (90, 90 分) or a percentage of the scale (90%), "
        "not 达成",
    ]


def test_the_cli_refuses_an_actual_above_the_scale(tmp_path: Path) -> None:
    path = tmp_path / "a.perf"
    path.write_text(HEAD + "相关性 scale 100 weight 100\nactuals {\n  相关性 = 120 分\n}\n", encoding="utf-8")
    out = cli("eval", str(path))
    assert out.exit_code == 2
    assert "a.perf:4:9: PR018 错误 相关性 的实际得分 120 分 超过满分 100" in out.stderr


def test_not_applicable_text_and_missing_actuals_work_as_on_other_rows() -> None:
    text = HEAD + "甲 scale 100 weight 50\n乙 scale 100 weight 25\n丙 scale 100 weight 25 na\n丁 scale 100 weight 0.5\n"
    loaded = load(text + "actuals {\n  甲 = 不适用\n  乙 = 80\n  丁 = \"优秀\"\n}\n")
    assert [loaded.ind(n).status for n in "甲乙丙丁"] == ["na", "scored", "na", "text"]
    assert loaded.ind("乙").score == D("20.00") and loaded.ind("丁").score == D(0)
    assert loaded.result.total == D("78.43")  # 20 of the 25.5 points that apply, scaled to 100
    assert "PR023" in loaded.codes()
    missing = load(text.replace(" na\n", "\n") + "actuals {\n  乙 = 80\n}\n")
    assert missing.ind("甲").status == "missing" and "PR021" in missing.codes()


@pytest.mark.parametrize("clause", [
    "cap 120%", "method actual", "steps 100%:20 otherwise 0", "deduct 1 per 1", "tiers 90% 70%", "signed",
    "elements ①:50% ②:50%", "levels 优:100% 良:80%",
])
def test_a_clause_that_needs_a_target_is_a_located_pr014(clause: str) -> None:
    loaded = load(f"{HEAD}相关性 scale 100 weight 20 {clause}\nactuals {{\n  相关性 = 90\n}}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR014"]
    assert finding.key == "PR014.scale_clause"
    word = clause.split()[0]
    assert finding.message() == f"相关性 按满分 100 打分，没有目标可比，不能写 {word}：得分 = 分值 × 实际得分 / 满分"
    column = len("相关性 scale 100 weight 20 ") + 1
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (2, column, column + len(clause))


@pytest.mark.parametrize("rule, key, message, column", [
    ("相关性 scale 0 weight 20", "PR014.scale", "满分 scale 须大于 0：相关性 写了 scale 0", 5),  # the clause
    ("相关性 scale 5 人 weight 20", "PR014.scale_unit", "满分 scale 是得分，只能写数字或 分：相关性 写了 scale 5 人",
     11),  # the quantity
    ("相关性 scale 100% weight 20", "PR014.scale_unit", "满分 scale 是得分，只能写数字或 分：相关性 写了 scale 100%",
     11),
])
def test_a_scale_that_is_no_scale_is_pr014(rule: str, key: str, message: str, column: int) -> None:
    loaded = load(f"{HEAD}{rule}\nactuals {{\n  相关性 = 1\n}}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR014"]
    assert (finding.key, finding.message(), finding.span.line, finding.span.column) == (key, message, 2, column)


def test_a_printed_rate_on_a_scale_row_is_pr014() -> None:
    loaded = load(HEAD + "相关性 scale 100 weight 20\nactuals {\n  相关性 = 90 rate 90%\n}\n")
    assert [f.key for f in loaded.findings if f.code == "PR014"] == ["PR014.rate_unit"]


def test_a_scale_without_a_number_is_a_syntax_error() -> None:
    loaded = load(HEAD + "相关性 scale weight 20\n")
    assert loaded.codes()[:1] == ["PR001"]


# ---------------------------------------------------------------- the language: both spellings, fast path, fmt


def test_the_chinese_spelling_compiles_to_the_same_plan() -> None:
    from perfrules.plan.serialize import dump_plan

    def body(text: str) -> list[dict[str, object]]:
        rows = dump_plan(load(text).plan)["body"][0]["children"]
        return [{k: v for k, v in row.items() if k != "span"} for row in rows]

    chinese = TRIAL.replace("scale 100 weight", "满分 100 权重").replace("dimension", "维度").replace("weight 100%",
                                                                                                 "权重 100%")
    assert "scale" not in chinese and "weight" not in chinese
    assert body(chinese) == body(TRIAL)
    assert body(TRIAL.replace("scale 100 weight", "满分 100 分 weight")) == body(TRIAL)
    assert load(chinese).result.total == D("82.68")


@pytest.mark.parametrize("code", [
    "相关性 scale 100 weight 20", "  相关性 满分 100 权重 20", "相关性 scale 5 weight 10 n/a",
    "相关性 满分 100 分 分值 20 cap 120%", "相关性 scale 100", '"相关性（准则）" scale 100 weight 20',
])
def test_the_fast_path_reads_a_scale_row_as_lark_does(code: str) -> None:
    assert same_as_lark(code, "top_line")
    assert same_as_lark(code, "section_line")


@pytest.mark.parametrize("code", ["相关性 scale 100 weight 20%", "相关性 scale 100 weight 20 rounding 0",
                                  "相关性 scale weight 20", "相关性 scale 100 scale 5 weight 1"])
def test_what_the_fast_path_leaves_to_lark(code: str) -> None:
    assert not same_as_lark(code, "section_line")  # lark reads it (or reports it)


def test_every_line_of_the_trial_reads_the_same_either_way() -> None:
    for code, start, number in statements(TRIAL):
        same_as_lark(code, start, number)  # asserts equality whenever the fast path reads the line


def test_fmt_keeps_a_scale_row_and_is_stable(tmp_path: Path) -> None:
    from perfrules.fmt import format_text

    messy = ('ruleset "x" {  year 2023 }\n相关性   满分   100  权重 20%\n效率 scale 100 分 weight 80%   rounding 0\n'
             "actuals {\n  相关性 =   90  分\n  效率 = 85%  score 68\n}\n")
    formatted, findings = format_text(messy)
    assert findings == []
    assert formatted == ('ruleset "x" { year 2023 }\n相关性 满分 100     权重 20%\n'
                         "效率   scale 100 分 weight 80% rounding 0\nactuals {\n  相关性 = 90 分\n"
                         "  效率   = 85%   score 68\n}\n")
    assert format_text(formatted) == (formatted, [])
    before, after = load(messy), load(formatted)
    assert [i.score for i in before.result.indicators()] == [i.score for i in after.result.indicators()] == [
        D("18.00"), D("68")]
    path = tmp_path / "t.perf"
    path.write_text(TRIAL, encoding="utf-8")
    assert cli("fmt", str(path)).exit_code == 0
    assert cli("fmt", "--check", str(path)).exit_code == 0
    assert load(path.read_text(encoding="utf-8")).result.total == D("82.68")


# ---------------------------------------------------------------- plan JSON


def test_the_plan_json_round_trips_and_fits_its_schema(tmp_path: Path) -> None:
    path = tmp_path / "p.perf"
    path.write_text(TRIAL.replace("效率 scale 100 weight 25%", "效率 scale 5 weight 25%").replace("效率 = 80 分",
                                                                                              "效率 = 4"),
                    encoding="utf-8")
    plan_file = tmp_path / "plan.json"
    assert cli("compile", str(path), "-o", str(plan_file)).exit_code == 0
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    schema = json.loads((SCHEMAS / "plan.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(plan, schema, cls=jsonschema.Draft202012Validator)
    rows = plan["body"][0]["children"]
    assert [(r["kind"], r["method"], r["scale"], r["target"], r["target_text"]) for r in rows[:2]] == [
        ("scale", "scale", "100", None, "满分 100"), ("scale", "scale", "5", None, "满分 5")]
    direct = cli("eval", str(path), "--format", "json").json()
    again = cli("eval", "--plan", str(plan_file), "--format", "json").json()
    assert [i["score"] for i in again["indicators"]] == [i["score"] for i in direct["indicators"]] == [
        18, 20, 29.23, 15.45]
    assert again["total"] == 82.68
    del rows[0]["scale"]  # a scale row without its scale breaks the schema: refused, never guessed
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    assert cli("eval", "--plan", str(plan_file)).exit_code == 2


def test_a_plan_without_scale_rows_is_written_as_before() -> None:
    from perfrules.plan.serialize import dump_plan

    assert "scale" not in dump_plan(load("a >= 1 人 weight 100\n").plan)["body"][0]


# ---------------------------------------------------------------- every report


def test_the_text_table_in_english_says_out_of(tmp_path: Path) -> None:
    path = tmp_path / "t.perf"
    path.write_text(TRIAL, encoding="utf-8")
    out = cli("eval", str(path), "--lang", "en")
    assert "  相关性        20  out of 100  90 分                 18.00" in out.stdout.splitlines()


def test_markdown_html_and_json_show_a_scale_row(tmp_path: Path) -> None:
    path = tmp_path / "t.perf"
    path.write_text(TRIAL, encoding="utf-8")
    markdown = cli("eval", str(path), "--format", "markdown").stdout
    assert "| 评价准则 |  | 相关性 | 20 | 满分 100 | 90 分 |  | 18.00 |" in markdown
    html = cli("eval", str(path), "--format", "html").stdout
    assert ('<td class="row nowrap">满分 100</td><td class="row nowrap">90 分</td><td class="row num"></td>'
            '<td class="row num">18.00</td>') in html
    english = cli("eval", str(path), "--format", "markdown", "--lang", "en").stdout
    assert "| out of 100 | 90 分 |" in english
    result = cli("eval", str(path), "--format", "json").json()
    jsonschema.validate(result, json.loads((SCHEMAS / "result.schema.json").read_text(encoding="utf-8")),
                        cls=jsonschema.Draft202012Validator)
    first = result["indicators"][0]
    assert {k: first[k] for k in ("kind", "method", "target", "unit", "actual", "actual_text", "completion", "score",
                                  "met")} == {
        "kind": "scale", "method": "scale", "target": "满分 100", "unit": "分", "actual": 90, "actual_text": "90 分",
        "completion": None, "score": 18, "met": None}


def test_the_xlsx_row_is_weight_times_actual_over_scale_and_recomputes(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "criteria.perf"
    path.write_text(TRIAL.replace("效率 scale 100 weight 25%", "效率 scale 5 weight 25%").replace("效率 = 80 分",
                                                                                              "效率 = 4 分"),
                    encoding="utf-8")
    _run, layout, values = check_workbook(path, tmp_path)  # every row, subtotal and the total recompute
    assert values[f"{layout.sheet.upper()}!{layout.total}"] == 82.68
    sheet = openpyxl.load_workbook(tmp_path / "criteria.xlsx")[layout.sheet]
    ref = layout.indicators["评价准则/效率"]
    r = int(re.sub(r"\D", "", ref))
    cells = {c.column_letter: c.value for c in sheet[r]}
    assert (cells["E"], cells["F"], cells["G"], cells["H"], cells["I"]) == ("满分 5", 5, 4, "分", None)
    assert cells["K"] == f"=MAX(0,MIN(D{r}*G{r}/F{r},D{r}))"
    assert cells["J"] == "满分打分：分值 × 实际得分 / 满分 5"
    english = tmp_path / "en.xlsx"
    assert cli("eval", str(path), "--format", "xlsx", "--lang", "en", "-o", str(english)).exit_code == 0
    row = [c.value for c in openpyxl.load_workbook(english).active[r]]
    assert "out of 5" in row and "on a scale: weight × actual / 5 (out of 5)" in row


def test_the_report_says_the_score_and_its_conversion(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "t.perf"
    path.write_text(TRIAL, encoding="utf-8")
    report = cli("report", str(path), "--format", "markdown").stdout
    assert "指标1：相关性，满分100，实际得分：90分，按分值20折算得18分。" in report
    assert "指标3：效果，满分100，实际得分：83.5分，按分值35折算得29.23分。" in report
    assert "无法计算完成率" not in report
    out = tmp_path / "r.docx"
    assert cli("report", str(path), "-o", str(out)).exit_code in (0, 1)  # 1: the sections only a person writes
    document = docx.Document(str(out))
    assert "指标2：效率，满分100，实际得分：80分，按分值25折算得20分。" in [p.text for p in document.paragraphs]
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["评价准则", "", "相关性", "20", "满分100", "90分", "—", "18", ""] in rows


# ---------------------------------------------------------------- checks


def test_no_target_based_check_speaks_about_scale_rows() -> None:
    """Low scores without a reason (PR202/PR203), a full score (PR201), every actual at the scale (PR206)."""
    low = load(HEAD + "甲 scale 100 weight 40\n乙 scale 100 weight 30\n丙 scale 100 weight 30\n"
               "actuals {\n  甲 = 10\n  乙 = 0\n  丙 = 100\n}\n")
    assert [c for c in low.codes() if c.startswith(("PR2", "PR4"))] == []
    full = load(HEAD + "甲 scale 100 weight 40\n乙 scale 100 weight 30\n丙 scale 100 weight 30\n"
                "actuals {\n  甲 = 100\n  乙 = 100\n  丙 = 100%\n}\n")
    assert [c for c in full.codes() if c.startswith(("PR2", "PR4"))] == []


def test_a_wrong_published_score_on_a_scale_row_is_pr301() -> None:
    text = HEAD + "相关性 scale 100 weight 20\n效率 scale 100 weight 80\nactuals {\n  相关性 = 90 score S review R\n" \
        "  效率 = 50 score 40\n}\n"
    wrong = load(text.replace("S", "20").replace("R", "19"))
    assert [(f.code, f.key, f.message()) for f in wrong.findings if f.code.startswith("PR3")] == [
        ("PR301", "PR301", "相关性 公布得分 20，按规则（满分打分）应得 18.00"),
        ("PR301", "PR301.review", "相关性 复核分 19，按规则（满分打分）应得 18.00"),
    ]
    right = load(text.replace("S", "18").replace("R", "18.00"))
    assert [f.code for f in right.findings if f.code.startswith("PR3")] == []


def test_an_unreadable_published_score_on_a_scale_row_still_bounds_the_total() -> None:
    loaded = load(HEAD + "相关性 scale 100 weight 20\n效率 scale 100 weight 80\nactuals {\n  相关性 = 90 score ?\n"
                  "  效率 = 50 score 40\n}\nexpect {\n  total 98\n}\n")
    assert "PR302" in loaded.codes()  # 98 printed, but the rows allow at most 20 + 40


def test_the_audit_face_recomputes_a_scale_row(tmp_path: Path) -> None:
    path = tmp_path / "a.perf"
    path.write_text(HEAD + "相关性 scale 100 weight 20\n效率 scale 100 weight 80\nactuals {\n  相关性 = 90 score 20\n"
                    "  效率 = 50 score 40\n}\n", encoding="utf-8")
    out = cli("audit", str(path), "--format", "json")
    (audit,) = out.json()["audits"]
    rows = {row["name"]: row for row in audit["rows"]}
    assert (rows["相关性"]["recomputed"], rows["相关性"]["published"], rows["相关性"]["codes"]) == (18, 20, ["PR301"])
    assert rows["相关性"]["rule"]["text"] == "满分打分：分值 × 实际得分 / 满分 100"
    assert rows["效率"]["codes"] == []


# ---------------------------------------------------------------- data files


@pytest.mark.parametrize("content, scores", [
    ('{"相关性": 90, "效率": "80 分", "效果": "83.5", "可持续性": "77.25%"}', [18, 20, 29.23, 15.45]),
    ('{"相关性": {"value": 90, "score": 18}, "效率": 80, "效果": 83.5, "可持续性": "不适用"}', [18, 20, 29.23, None]),
])
def test_scale_rows_in_data_files(tmp_path: Path, content: str, scores: list[float | None]) -> None:
    rules = tmp_path / "r.perf"
    rules.write_text(TRIAL.replace("expect {\n  total 82.68\n}\n", ""), encoding="utf-8")
    data = tmp_path / "a.json"
    data.write_text(content, encoding="utf-8")
    out = cli("eval", str(rules), "--data", str(data), "--format", "json")
    assert out.exit_code == 0, out.stdout + out.stderr
    assert [i["score"] for i in out.json()["indicators"]] == scores


def test_a_data_file_above_the_scale_is_located(tmp_path: Path) -> None:
    rules = tmp_path / "r.perf"
    rules.write_text(TRIAL, encoding="utf-8")
    data = tmp_path / "a.json"
    data.write_text('{"相关性": 190}', encoding="utf-8")
    out = cli("eval", str(rules), "--data", str(data))
    assert out.exit_code == 2 and "a.json:1:2: PR018 错误 相关性 的实际得分 190 超过满分 100" in out.stderr


# ---------------------------------------------------------------- the shipped framework and the docs


def test_the_criteria_framework_and_its_example_give_no_finding() -> None:
    example = EXAMPLES / "criteria-evaluation-2023.perf"
    out = cli("lint", str(example), str(ROOT / "rulesets" / "std" / "evaluation_criteria.perf"))
    assert out.exit_code == 0 and "发现 0 个问题" in out.stderr, out.stdout + out.stderr
    loaded = load(example.read_text(encoding="utf-8"), str(example))
    assert loaded.result.total == D("82.43")  # 17 + 20 + 29.225 + 16.2 = 82.425, half up
    assert [i.kind for i in loaded.result.indicators()] == ["scale"] * 4
    assert loaded.codes() == []


def test_the_old_percent_actuals_of_the_framework_still_score_the_same() -> None:
    """`相关性得分 = 85%` (how the framework's users wrote it before) is 85% of the scale: 85 points."""
    loaded = load("use std/criteria\nactuals {\n  相关性得分 = 85%\n  效率得分 = 80%\n  效果得分 = 83.5%\n"
                  "  可持续性得分 = 81%\n}\n")
    assert loaded.result.total == D("82.43")
    assert loaded.ind("相关性得分").actual_text == "85%"


@pytest.mark.parametrize("heading", ["### 11.8 满分打分 scale", "### 百分比权重"])
def test_the_documented_example_prints_what_the_docs_show(tmp_path: Path, heading: str) -> None:
    perf, text = _documented(heading)
    path = tmp_path / "doc.perf"
    path.write_text(perf, encoding="utf-8")
    outcome = cli("eval", str(path))
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    shown = [line.rstrip() for line in outcome.stdout.splitlines()]
    for line in text.strip("\n").splitlines():
        assert line.rstrip() in shown, (line, outcome.stdout)
    lint = cli("lint", str(path))
    assert lint.exit_code == 0 and "发现 0 个问题" in lint.stderr, lint.stdout  # no false PR202/PR203
    assert cli("fmt", "--check", str(path)).exit_code == 0  # written as fmt writes it


def test_the_section_9_example_reproduces_its_total(tmp_path: Path) -> None:
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    section = page[page.index("按准则评价的例子"):]
    perf = re.search(r"```perf\n(.*?)```", section, re.S)
    assert perf is not None and "scale" not in perf[1]  # the framework holds the scale rows
    loaded = load(perf[1], str(ROOT / "doc.perf"))
    assert loaded.result.total == D("82.43") and loaded.codes() == []


def test_the_scoring_table_of_17_20_holds() -> None:
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    section = page[page.index("### 17.20 满分打分 scale"):page.index("## 18. 等级与边界")]
    rows = re.findall(r"^\| `([^`]+)`[^|]*\| [^|]*?\*\*([\d.]+)\*\*[^|]*\|$", section, re.M)
    assert len(rows) == 5
    for actual, expected in rows:
        assert _one("相关性 scale 100 weight 20", actual)[0] == D(expected), actual
    refused = re.findall(r"^\| `([^`]+)` \| (?:`)?PR018", section, re.M)
    assert refused == ["101", "-1"]
    for actual in refused:
        assert any(k.startswith("PR018") for k in _one("相关性 scale 100 weight 20", actual)[2])
    assert "`scale 5 weight 10`、实际 `4.5`：10 × 4.5 / 5 = **9.00**" in section


def test_the_keyword_is_in_the_table_of_section_21() -> None:
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    assert "| `scale` | `满分` | 满分打分的指标" in page[page.index("## 21."):page.index("## 22.")]


# ---------------------------------------------------------------- the language server


def test_the_language_server_offers_and_explains_a_scale_row() -> None:
    from perfrules.lsp.analysis import _keywords, analyse, hover, outline

    assert {"scale", "满分"} <= {c.label for c in _keywords()}
    analysis = analyse(TRIAL, "t.perf")
    shown = hover(analysis, 6, 4)
    assert shown is not None
    assert "- 目标：满分 100" in shown and "- 计分：满分打分：分值 × 实际得分 / 满分 100" in shown
    assert "- 实际：90 分" in shown and "- 得分：18.00 / 20" in shown and "完成率" not in shown
    english = hover(analysis, 6, 4, "en")
    assert english is not None and "- target: out of 100" in english
    (section,) = outline(analysis)
    assert section.children[0].detail.startswith("满分 100")


def test_what_a_printed_row_holds_works_on_a_scale_row() -> None:
    """weight … inferred, evidence text, review and an unreadable published score, as on any row."""
    loaded = load(HEAD + "相关性 scale 100 weight 20 inferred\n效率 满分 5 权重 80\nactuals {\n"
                  '  相关性 = 90 "项目与规划一致" review 18\n  效率 = 4 分 score ?\n}\n')
    first, second = loaded.ind("相关性"), loaded.ind("效率")
    assert (first.score, first.weight_inferred, first.evidence, first.review) == (D("18.00"), True, "项目与规划一致",
                                                                                  D(18))
    assert (second.score, second.published_unreadable) == (D("64.00"), True)
    assert sorted(set(loaded.codes())) == ["PR027", "PR105"]  # the inferred weight; two rows only
