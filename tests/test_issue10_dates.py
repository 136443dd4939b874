"""Issue 10, item 4: deadlines and dates (`完成时间 <= 2023-12-31`, `<= 12 月`, deductions per day or month late)
and element checklists (`elements ①:40% ②③④:20%`, `具备 ① ② ④`). Each at its boundaries, in every place a
construct must live: the language, the plan JSON, fmt, data files, the importer and the reports."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from test_fastpath import same_as_lark

from conftest import ROOT, SCHEMAS, cli, load

D = Decimal
HEAD = 'ruleset "日期" { year 2023 total 5 }\n'


def _score(rule: str, actual: str, head: str = HEAD) -> tuple[Decimal | None, bool | None, list[str]]:
    """The score and met of the one indicator `rule` (named 完成时间) with `actual`, and the PR0xx codes."""
    loaded = load(f"{head}{rule}\nactuals {{\n  完成时间 = {actual}\n}}\n")
    node = loaded.ind("完成时间")
    # a refused actual is then missing (PR021), as the CLI would not evaluate: left out here
    return node.score, node.met, [f.code for f in loaded.findings if f.code.startswith("PR0") and f.code != "PR021"]


def _documented(heading: str) -> tuple[str, str]:
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    section = page[page.index(heading):]
    perf = re.search(r"```perf\n(.*?)```", section, re.S)
    text = re.search(r"```text\n(.*?)```", section, re.S)
    assert perf is not None and text is not None
    return perf[1], text[1]


# ---------------------------------------------------------------- the documented examples


@pytest.mark.parametrize("heading", ["### 11.5 日期 完成时间", "### 11.6 要素 elements"])
def test_the_documented_example_prints_what_the_docs_show(tmp_path: Path, heading: str) -> None:
    perf, text = _documented(heading)
    path = tmp_path / "doc.perf"
    path.write_text(perf, encoding="utf-8")
    outcome = cli("eval", str(path))
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    shown = [line.rstrip() for line in outcome.stdout.splitlines()]
    for line in text.strip("\n").splitlines():
        assert line.rstrip() in shown, (line, outcome.stdout)
    assert cli("fmt", "--check", str(path)).exit_code == 0  # the docs write it as fmt does


def test_the_scoring_tables_of_17_17_and_17_18_hold() -> None:
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    section = page[page.index("### 17.17 日期 date"):page.index("## 18. 等级与边界")]
    rows = re.findall(r"^\| (`[^|]+|同上) \| `([^`]+)`[^|]*\| \*\*([\d.]+)\*\*", section, re.M)
    assert len(rows) == 10
    last = ""
    for rule, actual, expected in rows:
        rule = last if rule == "同上" else rule.split("`")[1]
        last = rule
        name, text = rule.split(" ", 1)
        head = 'ruleset "x" { year 2023 }\n'
        loaded = load(f"{head}{name} {text.split('（')[0]}\nactuals {{\n  {name} = {actual}\n}}\n")
        assert loaded.ind(name).score == D(expected), (rule, actual)
    for actual, expected in re.findall(r"^\| `具备 ([^`]*)`[^|]*\| (?:10 × \d+% = )?\*\*([\d.]+)\*\*", section, re.M):
        loaded = load(f"制度健全性 elements ①:40% ②③④:20% weight 10\nactuals {{\n  制度健全性 = 具备 {actual}\n}}\n")
        assert loaded.ind("制度健全性").score == D(expected), actual


# ---------------------------------------------------------------- deadlines: met, missed, per day


@pytest.mark.parametrize("actual, score, met", [
    ("2023-12-31", "5.00", True),    # on the day
    ("2024-01-01", "4.00", False),   # one day late
    ("2024-01-03", "2.00", False),   # three days late: 5 − 3
    ("2024-01-05", "0.00", False),   # five days late: nothing left
    ("2024-03-01", "0.00", False),   # long after: never below 0
    ("2023-01-01", "5.00", True),    # early is on time
    ("2023年12月31日", "5.00", True),
])
def test_a_deadline_deducts_per_day_late(actual: str, score: str, met: bool) -> None:
    assert _score("完成时间 <= 2023-12-31 weight 5 deduct 1 per 天", actual) == (D(score), met, [])


def test_without_a_deduction_a_missed_deadline_scores_0() -> None:
    assert _score("完成时间 <= 2023-12-31 weight 5", "2023-12-31") == (D("5.00"), True, [])
    assert _score("完成时间 <= 2023-12-31 weight 5", "2024-01-01") == (D("0.00"), False, [])


def test_leap_days() -> None:
    rule = "完成时间 <= 2024-02-29 weight 5 deduct 1 per 天"
    assert _score(rule, "2024-02-29") == (D("5.00"), True, [])
    assert _score(rule, "2024-03-01") == (D("4.00"), False, [])
    assert _score("完成时间 <= 2023-02-28 weight 5 deduct 1 per 天", "2023-03-01") == (D("4.00"), False, [])
    loaded = load(HEAD + "完成时间 <= 2023-02-29 weight 5\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR014"]
    assert finding.message() == "日期 2023-02-29 不存在：2023 年 2 月只有 28 天"
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (2, 9, 19)


@pytest.mark.parametrize("rule, actual, score, met", [
    ("完成时间 < 2024-01-01 weight 5 deduct 1 per 天", "2023-12-31", "5.00", True),
    ("完成时间 < 2024-01-01 weight 5 deduct 1 per 天", "2024-01-01", "4.00", False),  # before: the day itself is late
    ("完成时间 >= 2023-03-01 weight 5 deduct 1 per 天", "2023-03-01", "5.00", True),  # not before: on the day
    ("完成时间 >= 2023-03-01 weight 5 deduct 1 per 天", "2023-02-27", "3.00", False),  # two days early
    ("完成时间 >= 2023-03-01 weight 5", "2023-02-28", "0.00", False),
    ("完成时间 > 2023-03-01 weight 5", "2023-03-01", "0.00", False),
    ("完成时间 > 2023-03-01 weight 5", "2023-03-02", "5.00", True),
    ("完成时间 = 2023-11-30 weight 5", "2023-11-30", "5.00", True),  # a date exactly
    ("完成时间 = 2023-11-30 weight 5", "2023-12-01", "0.00", False),
    ("完成时间 = 2023-11-30 weight 5 deduct 1 per 天", "2023-11-28", "3.00", False),  # either side counts
    ("完成时间 = 2023-11 weight 5", "2023-11-01", "5.00", True),  # a month exactly: any day of it
    ("完成时间 = 2023-11 weight 5", "2023-12-01", "0.00", False),
    ("完成时间 <= 2023-12-31 weight 5 deduct 2 per 3 天", "2024-01-03", "3.00", False),  # per 3 days: 3 days lose 2
])
def test_every_comparator_on_dates(rule: str, actual: str, score: str, met: bool) -> None:
    assert _score(rule, actual) == (D(score), met, [])


@pytest.mark.parametrize("rule, actual, score, met", [
    ("完成时间 in 2023-10-01 ~ 2023-12-31 weight 5 deduct 1 per 天", "2023-10-01", "5.00", True),  # both ends count
    ("完成时间 in 2023-10-01 ~ 2023-12-31 weight 5 deduct 1 per 天", "2023-12-31", "5.00", True),
    ("完成时间 in 2023-10-01 ~ 2023-12-31 weight 5 deduct 1 per 天", "2023-09-29", "3.00", False),  # 2 days early
    ("完成时间 in 2023-10-01 ~ 2023-12-31 weight 5 deduct 1 per 天", "2024-01-01", "4.00", False),
    ("完成时间 in 10 月 ~ 11 月 weight 5", "2023-11-30", "5.00", True),  # a window of months: to its last day
    ("完成时间 in 10 月 ~ 11 月 weight 5", "2023-12-01", "0.00", False),
])
def test_a_window_of_dates(rule: str, actual: str, score: str, met: bool) -> None:
    assert _score(rule, actual) == (D(score), met, [])


def test_a_window_must_run_forward_with_ends_alike() -> None:
    backwards = load(HEAD + "完成时间 in 2023-12-01 ~ 2023-10-01 weight 5\n")
    assert [f.message() for f in backwards.findings if f.code == "PR014"] == ["区间下限大于上限：完成时间 2023-12-01 ~ 2023-10-01"]
    mixed = load(HEAD + "完成时间 in 2023-10-01 ~ 2023-12 weight 5\n")
    (finding,) = [f for f in mixed.findings if f.code == "PR013"]
    assert finding.message() == "完成时间 的单位不一致：日期 与 月份" and finding.span.column == 22


# ---------------------------------------------------------------- month targets and per month


@pytest.mark.parametrize("rule, actual, score, met", [
    ("完成时间 <= 12 月 weight 5", "2023-12-31", "5.00", True),  # month end
    ("完成时间 <= 12 月 weight 5", "2024-01-01", "0.00", False),
    ("完成时间 <= 12 月 weight 5", "11 月", "5.00", True),  # a month of the ruleset's year
    ("完成时间 <= 2023-12 weight 5", "2023-12", "5.00", True),
    ("完成时间 <= 2023年12月 weight 5", "2023-12-15", "5.00", True),
    ("完成时间 <= 12 月 weight 5 deduct 1 per 月", "2024-02", "3.00", False),  # two months late
    ("完成时间 <= 12 月 weight 5 deduct 1 per 月", "2024-01-31", "4.00", False),
    ("完成时间 <= 12 月 weight 5 扣 1 每逾期 1 月", "2024-02-01", "3.00", False),
    ("完成时间 <= 12 月 weight 5 deduct 1 per 天", "2024-01-03", "2.00", False),  # days after December 31
    ("完成时间 <= 2023-11-30 weight 5 deduct 1 per 月", "2023-12-31", "4.00", False),  # a month end + 1 month
    ("完成时间 <= 2023-11-30 weight 5 deduct 1 per 月", "2024-01-01", "3.00", False),  # a begun month counts
    ("完成时间 <= 2023-12-15 weight 5 deduct 1 per 月", "2024-01-15", "4.00", False),
    ("完成时间 <= 2023-12-15 weight 5 deduct 1 per 月", "2024-01-16", "3.00", False),
    ("完成时间 >= 2023-03 weight 5 deduct 1 per 个月", "2023-01-31", "3.00", False),  # two months early
])
def test_month_targets_and_deductions_per_month(rule: str, actual: str, score: str, met: bool) -> None:
    assert _score(rule, actual) == (D(score), met, [])


def test_a_month_target_needs_the_ruleset_year() -> None:
    loaded = load("完成时间 <= 12 月 weight 5\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR014"]
    assert "规则集没有写年度" in finding.message() and finding.span.column == 9
    assert "2023-12" in finding.message()
    loaded = load(HEAD + "完成时间 <= 13 月 weight 5\n")
    assert [f.message() for f in loaded.findings if f.code == "PR014"] == ["日期 13 月 不存在：月份应为 1–12"]


def test_a_count_of_months_is_no_date() -> None:
    loaded = load(HEAD + "项目周期 <= 12 个月 weight 5\nactuals {\n  项目周期 = 11 个月\n}\n")
    assert loaded.plan.indicators()[0].kind == "quantitative" and loaded.ind("项目周期").score == D("5.00")


# ---------------------------------------------------------------- what a date cannot be


def test_a_date_against_a_number_is_pr013() -> None:
    codes = _score("完成时间 <= 2023-12-31 weight 5", "5")[2]
    assert codes == ["PR013"]
    loaded = load(HEAD + "完成时间 <= 2023-12-31 weight 5\nactuals {\n  完成时间 = 30 天\n}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR013"]
    assert finding.message() == "完成时间：日期与数量不能比较（目标 <= 2023-12-31，实际值 30 天）"
    assert finding.message("en") == "完成时间: a date cannot be compared with a number (target <= 2023-12-31, actual 30 天)"
    loaded = load(HEAD + "培训人数 >= 10 人 weight 5\nactuals {\n  培训人数 = 2023-11-30\n}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR013"]
    assert (finding.span.line, finding.span.column) == (4, 10) and "2023-11-30" in finding.message()
    loaded = load(HEAD + "完成时间 <= 2023-12-31 weight 5 deduct 1 per 人\n")
    assert [f.code for f in loaded.findings if f.code in ("PR013", "PR014")] == ["PR013"]
    loaded = load(HEAD + "facts {\n  截止日 = 2023-12-31\n}\n完成时间 <= 2023-12-31 weight 5\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR014"]  # a fact is a quantity, never 2023 − 12 − 31
    assert finding.message().startswith("基础数据 截止日 的值 2023-12-31 是日期") and finding.span.column == 9
    loaded = load(HEAD + "facts {\n  截止日 天\n}\n完成时间 <= 2023-12-31 weight 5\nactuals {\n  截止日 = 2023-12-31\n}\n")
    assert "PR018" in loaded.codes()


def test_an_impossible_actual_is_located_pr018() -> None:
    loaded = load(HEAD + "完成时间 <= 2023-12-31 weight 5\nactuals {\n  完成时间 = 2023-02-30\n}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR018"]
    assert finding.message() == "实际值中的日期 2023-02-30 不存在：2023 年 2 月只有 28 天"
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (4, 10, 20)
    assert _score("完成时间 <= 2023-12-31 weight 5", "2023-13-01")[2] == ["PR018"]
    assert _score("完成时间 <= 2023-12-31 weight 5", "2023年0月1日")[2] == ["PR018"]
    assert _score("完成时间 <= 2023-12-31 weight 5", "0023-12-01")[2] == ["PR018"]  # a year outside 1000–9000
    far = load(HEAD + "完成时间 < 9999-12-31 weight 5 deduct 1 per 月\n")
    assert [f.message() for f in far.findings if f.code == "PR014"] == ["日期 9999-12-31 的年份超出 1000–9000，请检查是否写错"]


def test_a_month_actual_where_the_day_counts_is_pr018() -> None:
    assert _score("完成时间 <= 2023-12-15 weight 5", "2023-12")[2] == ["PR018"]
    assert _score("完成时间 <= 12 月 weight 5 deduct 1 per 天", "2024-01")[2] == ["PR018"]
    assert _score("完成时间 <= 12 月 weight 5 deduct 1 per 月", "2024-01")[:2] == (D("4.00"), False)


@pytest.mark.parametrize("clause", ["cap 120%", "method ratio", "steps 100%:5", "signed", "tiers 90% 70%"])
def test_clauses_that_do_not_fit_a_date_are_pr014(clause: str) -> None:
    loaded = load(HEAD + f"完成时间 <= 2023-12-31 weight 5 {clause}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR014"]
    assert finding.message().startswith("日期指标 完成时间 不能写 ")


def test_text_and_na_on_a_date_row() -> None:
    loaded = load(HEAD + "完成时间 <= 2023-12-31 weight 5\nactuals {\n  完成时间 = \"按期完成\"\n}\n")
    assert loaded.ind("完成时间").score == D(0) and "PR023" in loaded.codes()
    assert _score("完成时间 <= 2023-12-31 weight 5", "不适用")[:2] == (None, None)


def test_missed_dates_are_said_as_such() -> None:
    loaded = load(HEAD + "完成时间 <= 2023-12-31 weight 5 deduct 1 per 天\nactuals {\n  完成时间 = 2024-01-03\n}\n")
    node = loaded.ind("完成时间")
    assert node.actual_text == "2024-01-03（逾期 3 天）" and node.completion is None
    messages = {f.code: f.message() for f in loaded.findings}
    assert messages["PR202"] == "完成时间 未按期完成（2024-01-03（逾期 3 天）），但没有写偏差原因"
    assert messages["PR203"] == "完成时间 未按期完成：目标 <= 2023-12-31，实际 2024-01-03（逾期 3 天）"
    early = load(HEAD + "完成时间 >= 2023-03-01 weight 5 deduct 1 per 月\nactuals {\n  完成时间 = 2023-01-15\n}\n")
    assert early.ind("完成时间").actual_text == "2023-01-15（提前 2 个月）"


# ---------------------------------------------------------------- element checklists

CHECKLIST = "制度健全性 elements ①:40% ②③④:20% weight 10\n"


@pytest.mark.parametrize("actual, score, met", [
    ("具备 ① ② ③ ④", "10.00", True),  # all
    ("具备 ①②③④", "10.00", True),
    ("具备 ① ② ④", "8.00", False),
    ("具备 ②", "2.00", False),  # one
    ("具备 无", "0.00", False),  # none
    ("has none", "0.00", False),
    ("具备 ① ①", "4.00", False),  # an element said twice counts once
])
def test_a_checklist_scores_the_shares_it_has(actual: str, score: str, met: bool) -> None:
    loaded = load(CHECKLIST + f"actuals {{\n  制度健全性 = {actual}\n}}\n")
    node = loaded.ind("制度健全性")
    assert (node.score, node.met) == (D(score), met)
    assert [f.code for f in loaded.findings if f.code.startswith("PR0")] == []


def test_an_unknown_element_is_located_pr018() -> None:
    loaded = load(CHECKLIST + "actuals {\n  制度健全性 = 具备 ① ⑤\n}\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR018"]
    assert finding.message() == "制度健全性 没有要素 ⑤，可选：①、②、③、④"
    assert (finding.span.line, finding.span.column) == (3, 16)
    loaded = load(CHECKLIST + "actuals {\n  制度健全性 = 具备 ①⑤\n}\n")
    assert [f.code for f in loaded.findings if f.code == "PR018"] == ["PR018"]


def test_shares_must_sum_to_100_percent() -> None:
    loaded = load("戊 elements ①:40% ②:20% weight 5\n")
    (finding,) = [f for f in loaded.findings if f.code == "PR014"]
    assert finding.message() == "戊 各要素的分值之和为 60%，应为 100%"
    assert finding.message("en") == "the element shares of 戊 add up to 60%, not 100%"
    assert (finding.span.column, finding.span.end_column) == (3, 23)
    assert [f.code for f in load("己 elements ①:50% ②③:30% weight 5\n").findings if f.code == "PR014"] == ["PR014"]
    bare = load("己 elements ①:50 ②:50 weight 5\nactuals {\n  己 = 具备 ②\n}\n")  # a bare share is a percentage
    assert [f.code for f in bare.findings if f.code.startswith("PR0")] == [] and bare.ind("己").score == D("2.50")


def test_what_a_checklist_refuses() -> None:
    twice = load("己 elements ①:50% ①:50% weight 5\n")
    assert [f.message() for f in twice.findings if f.code == "PR014"] == ["己 的要素 ① 写了两次"]
    share = load("己 elements ①:5 人 ②:95% weight 5\n")
    assert [f.code for f in share.findings if f.code.startswith("PR00")] == ["PR001"]  # a share is a percentage
    tier = load(CHECKLIST + "actuals {\n  制度健全性 = 达成 90%\n}\n")
    assert any(f.code == "PR018" and "具备的要素" in f.message() for f in tier.findings)
    elements_on_a_quantity = load("培训人数 >= 10 人 weight 5 elements ①:100%\n")
    assert [f.code for f in elements_on_a_quantity.findings if f.code == "PR014"] == ["PR014"]
    elements_on_a_count = load("培训人数 >= 10 人 weight 5\nactuals {\n  培训人数 = 具备 ①\n}\n")
    assert "PR018" in elements_on_a_count.codes()


def test_a_qualitative_row_with_elements_keeps_its_wording() -> None:
    loaded = load('合规性 qualitative "合规" elements 甲:60% 乙:40% weight 10\nactuals {\n  合规性 = 具备 乙\n}\n')
    node = loaded.ind("合规性")
    assert (node.score, node.target, node.actual_text) == (D("4.00"), "合规（要素 甲60% 乙40%）", "具备 乙")


# ---------------------------------------------------------------- the parser: fast path and lark agree


@pytest.mark.parametrize("line, start", [
    ("完成时间 <= 2023-12-31 weight 5 deduct 1 per 天", "section_line"),
    ("完成时间 <= 12 月 weight 5", "section_line"),
    ("制度健全性 elements ①:40% ②③④:20% weight 10", "section_line"),
    ("完成时间 = 2023-11-30", "actuals_line"),
    ("制度健全性 = 具备 ① ② ④", "actuals_line"),
    ("2023年11月30日", "value_line"),
])
def test_the_fast_path_leaves_dates_and_elements_to_lark_or_reads_them_alike(line: str, start: str) -> None:
    same_as_lark(line, start)  # the fast path reads the line as lark does, or leaves it to lark


def test_a_date_is_one_token_where_a_date_may_stand() -> None:
    loaded = load(HEAD + "完成时间 <= 2023-12-31 weight 5\nactuals {\n  完成时间 = 2023年12月31日 reason \"按期\"\n}\n")
    assert loaded.ind("完成时间").reason == "按期" and loaded.ind("完成时间").score == D("5.00")
    bad = load(HEAD + "完成时间 <= 2023-12-31-01 weight 5\n")
    assert "PR001" in bad.codes()


# ---------------------------------------------------------------- plan JSON, fmt


def test_the_plan_json_round_trips_and_fits_its_schema(tmp_path: Path) -> None:
    perf, _text = _documented("### 11.5 日期 完成时间")
    more, _ = _documented("### 11.6 要素 elements")
    path = tmp_path / "p.perf"
    path.write_text(perf, encoding="utf-8")
    plan_file = tmp_path / "plan.json"
    assert cli("compile", str(path), "-o", str(plan_file)).exit_code == 0
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    jsonschema.validate(plan, json.loads((SCHEMAS / "plan.schema.json").read_text(encoding="utf-8")),
                        cls=jsonschema.Draft202012Validator)
    first = plan["body"][0]
    assert (first["kind"], first["method"], first["target"]) == ("date", "date", "2023-12-31")
    assert plan["body"][2]["target"] == "2023-09" and plan["body"][2]["deduct_period"] == "month"
    assert plan["actuals"][1]["value"] == "2023-07-03"
    direct = cli("eval", str(path), "--format", "json").json()
    again = cli("eval", "--plan", str(plan_file), "--format", "json").json()
    assert [i["score"] for i in again["indicators"]] == [i["score"] for i in direct["indicators"]] == [20, 17, 16, 0, 20]
    path.write_text(more, encoding="utf-8")
    assert cli("compile", str(path), "-o", str(plan_file)).exit_code == 0
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    assert plan["body"][0]["elements"] == [["①", "0.40"], ["②", "0.20"], ["③", "0.20"], ["④", "0.20"]]
    assert plan["actuals"][0]["elements"] == ["①", "②", "④"]
    again = cli("eval", "--plan", str(plan_file), "--format", "json").json()
    assert [i["score"] for i in again["indicators"]] == [8, 10, 0]
    plan["body"][0]["target"] = "2023-02-30"
    plan["body"][0]["kind"] = "date"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    assert cli("eval", "--plan", str(plan_file)).exit_code == 2  # a plan that breaks the schema is refused


def test_a_plan_without_the_new_constructs_is_written_as_before() -> None:
    from perfrules.plan.serialize import dump_plan

    dumped = dump_plan(load("a >= 1 人 weight 100\n").plan)
    assert "elements" not in dumped["body"][0] and "deduct_period" not in dumped["body"][0]


def test_fmt_keeps_dates_and_elements(tmp_path: Path) -> None:
    from perfrules.fmt import format_text

    messy = ('ruleset "x" {  year 2023 }\n完成时间   <=   2023-12-31 weight 5   扣 1 每逾期 1 天\n'
             '制度健全性 要素 ① : 40%  ②③④:20% 权重 10\nactuals {\n  完成时间 =   2023年12月31日\n'
             '  制度健全性 =  具备  ①  ②\n}\n')
    formatted, findings = format_text(messy)
    assert findings == [] and formatted is not None
    assert "扣 1 每逾期 1 天" in formatted and "要素 ①:40% ②③④:20% 权重 10" in formatted
    assert "= 2023年12月31日" in formatted and "= 具备 ① ②" in formatted
    assert format_text(formatted) == (formatted, [])  # stable
    before, after = load(messy), load(formatted)
    assert [i.score for i in before.result.indicators()] == [i.score for i in after.result.indicators()]


# ---------------------------------------------------------------- data files

RULES = (HEAD.replace("total 5", "total 30") + "完成时间 <= 2023-12-31 weight 10 deduct 1 per 天\n"
         "开工时间 >= 2023-03-01 weight 10\n" + CHECKLIST)


@pytest.mark.parametrize("name, content", [
    ("a.json", '{"完成时间": "2024-01-03", "开工时间": "2023/03/01", "制度健全性": ["①", "②", "④"]}'),
    ("a.yaml", "完成时间: 2024-01-03\n开工时间: 2023年3月1日\n制度健全性: 具备 ①②④\n"),
    ("a.csv", "指标名称,实际完成值\n完成时间,2024-01-03 00:00:00\n开工时间,2023.03.01\n制度健全性,具备 ① ② ④\n"),
])
def test_dates_and_elements_in_data_files(tmp_path: Path, name: str, content: str) -> None:
    rules = tmp_path / "r.perf"
    rules.write_text(RULES, encoding="utf-8")
    data = tmp_path / name
    data.write_text(content, encoding="utf-8")
    out = cli("eval", str(rules), "--data", str(data), "--format", "json")
    assert out.exit_code == 0, out.stdout + out.stderr
    assert [i["score"] for i in out.json()["indicators"]] == [7, 10, 8]


def test_real_date_cells_of_a_workbook(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["指标名称", "实际完成值"])
    sheet.append(["完成时间", datetime.date(2024, 1, 3)])
    sheet.append(["开工时间", datetime.datetime(2023, 2, 28)])
    sheet.append(["制度健全性", "具备 ①"])
    data = tmp_path / "a.xlsx"
    book.save(data)
    rules = tmp_path / "r.perf"
    rules.write_text(RULES, encoding="utf-8")
    out = cli("eval", str(rules), "--data", str(data), "--format", "json")
    assert [i["actual_text"] for i in out.json()["indicators"]] == ["2024-01-03（逾期 3 天）", "2023-02-28（提前 1 天）",
                                                                    "具备 ①"]
    assert [i["score"] for i in out.json()["indicators"]] == [7, 0, 4]


def test_bad_dates_and_elements_in_a_data_file_are_located(tmp_path: Path) -> None:
    rules = tmp_path / "r.perf"
    rules.write_text(RULES, encoding="utf-8")
    data = tmp_path / "a.csv"
    data.write_text("指标名称,实际完成值\n完成时间,2023-02-30\n开工时间,5\n制度健全性,具备 ⑤\n", encoding="utf-8")
    out = cli("eval", str(rules), "--data", str(data))
    assert out.exit_code == 2
    lines = [line for line in out.stdout.splitlines() + out.stderr.splitlines() if ": PR0" in line]
    assert [[*line.split(": ")[0].rsplit(":", 2)[1:], line.split(" ")[1]] for line in lines] == [
        ["2", "2", "PR018"], ["3", "2", "PR013"], ["4", "2", "PR018"]]


def test_the_actuals_schema_describes_dates_and_elements(tmp_path: Path) -> None:
    rules = tmp_path / "r.perf"
    rules.write_text(RULES, encoding="utf-8")
    schema = json.loads(cli("schema", str(rules)).stdout)
    assert schema["properties"]["完成时间"]["$ref"] == "#/$defs/date"
    assert schema["properties"]["制度健全性"]["$ref"] == "#/$defs/elements"
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors({"完成时间": "2023-11-30", "制度健全性": ["①"]}))
    assert list(validator.iter_errors({"制度健全性": "达成 90%"}))


# ---------------------------------------------------------------- the 自评表 importer


def test_a_form_with_date_cells_imports_dates(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目支出绩效自评表（2023年度）"])
    sheet.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"])
    sheet.append(["产出指标", "数量指标", "培训人数", "≥100人", "120人", 25, 25, ""])
    sheet.append(["产出指标", "时效指标", "完成时间", "≤2023年12月31日", datetime.date(2023, 11, 30), 25, 25, ""])
    sheet.append(["产出指标", "时效指标", "验收时间", datetime.date(2023, 12, 15), "2024年1月5日", 25, 0, "延期"])
    sheet.append(["产出指标", "时效指标", "上线时间", "12月底前", "2023年12月", 25, 25, ""])
    sheet.append(["总分", "", "", "", "", 100, 75, ""])
    form = tmp_path / "form.xlsx"
    book.save(form)
    out_file = tmp_path / "form.perf"
    out = cli("import", str(form), "-o", str(out_file))
    assert out.exit_code == 0, out.stdout + out.stderr
    text = out_file.read_text(encoding="utf-8")
    assert "完成时间 <= 2023-12-31" in text and "上线时间 <= 12 月" in text and "验收时间 <= 2023-12-15" in text
    assert "完成时间 = 2023-11-30" in text and "验收时间 = 2024-01-05" in text and "上线时间 = 2023-12 " in text
    assert "PR024 提示 单元格 Sheet!D5「2023-12-15」是没有比较符的日期" in out.stdout + out.stderr
    result = cli("eval", str(out_file), "--format", "json").json()
    assert result["total"] == 75 and [i["kind"] for i in result["indicators"]] == ["quantitative", "date", "date", "date"]


# ---------------------------------------------------------------- reports


def test_every_report_shows_dates_and_elements(tmp_path: Path) -> None:
    perf, _text = _documented("### 11.5 日期 完成时间")
    more, _ = _documented("### 11.6 要素 elements")
    dates_file, elements_file = tmp_path / "d.perf", tmp_path / "e.perf"
    dates_file.write_text(perf, encoding="utf-8")
    elements_file.write_text(more, encoding="utf-8")
    for fmt in ("markdown", "html"):
        out = cli("eval", str(dates_file), "--format", fmt)
        assert "2023-07-03（逾期 3 天）" in out.stdout and "<= 2023-06-30" in out.stdout.replace("&lt;", "<"), fmt
        out = cli("eval", str(elements_file), "--format", fmt)
        assert "具备 ①②④" in out.stdout and "要素 ①40% ②③④各20%" in out.stdout, fmt
    result = cli("eval", str(dates_file), "--format", "json").json()
    jsonschema.validate(result, json.loads((SCHEMAS / "result.schema.json").read_text(encoding="utf-8")),
                        cls=jsonschema.Draft202012Validator)
    assert result["indicators"][1]["met"] is False and result["indicators"][1]["completion"] is None
    import openpyxl

    for source, row, expected in ((dates_file, 7, "日期：按期得满分，每逾期 1 天扣 1 分，扣完为止"),
                                  (elements_file, 6, "要素：分值 × 具备要素的分值之和（①40% ②20% ③20% ④20%）")):
        book_file = tmp_path / f"{source.stem}.xlsx"
        assert cli("eval", str(source), "--format", "xlsx", "-o", str(book_file)).exit_code == 0
        sheet = openpyxl.load_workbook(book_file).active
        assert expected in [c.value for c in sheet[row]], [c.value for c in sheet[row]]
    report = cli("report", str(dates_file))
    assert "实际完成值：2023-07-03（逾期3天），未按期完成。" in report.stdout
    assert "实际完成值：2023-12-31，按期完成。" in report.stdout
    assert cli("report", str(dates_file), "-o", str(tmp_path / "r.docx")).exit_code in (0, 1)


def test_the_language_server_offers_the_new_words() -> None:
    from perfrules.lsp.analysis import _keywords

    words = {c.label for c in _keywords()}
    assert {"elements", "has", "要素", "具备", "每逾期"} <= words


def test_a_date_where_only_a_number_may_stand_is_a_located_syntax_error() -> None:
    findings = [f for f in load(HEAD + "a >= 1 人 weight 5\ncheck 期限: a <= 2023-12-31\n").findings if f.code == "PR001"]
    (finding,) = findings
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (3, 16, 26)
    assert "日期只能写在日期指标的目标" in (finding.hint() or "")


def test_published_scores_of_dates_and_checklists_are_audited() -> None:
    loaded = load(HEAD.replace("total 5", "total 15") + "完成时间 <= 2023-12-31 weight 5 deduct 1 per 天\n"
                  + CHECKLIST + "actuals {\n  完成时间 = 2024-01-02 score 5\n  制度健全性 = 具备 ① ② score 8\n}\n")
    messages = [f.message() for f in loaded.findings if f.code in ("PR301", "PR305")]
    assert messages == ["完成时间 公布得分 5，按规则（日期）应得 3.00", "制度健全性 公布得分 8，按规则（要素）应得 6.00",
                        "完成时间 未完成目标（实际 2024-01-02（逾期 2 天），目标 <= 2023-12-31），却得满分 5"]
    clean = load(HEAD + "完成时间 <= 2023-12-31 weight 5 deduct 1 per 天\nactuals {\n  完成时间 = 2024-01-02 score 3\n}\n")
    assert not [f for f in clean.findings if f.code in ("PR301", "PR305")]  # no false alarm on a right score


def test_the_language_server_hover_shows_a_date_row() -> None:
    from perfrules.lsp.analysis import analyse, hover

    perf, _text = _documented("### 11.5 日期 完成时间")
    shown = hover(analyse(perf, "d.perf"), 3, 2)
    assert shown is not None
    assert "- 目标：<= 2023-06-30" in shown and "- 实际：2023-07-03（逾期 3 天）" in shown and "- 得分：17.00 / 20" in shown
    assert "日期：按期得满分" in shown
