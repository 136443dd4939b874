"""Issue 10, item 4 (scoring rules tables use): step rules on the actual value as tables print them
(`steps actual 90%:100% 80%:60% otherwise 0`, 「≤ 5 天 满分，≤ 7 天 得 60%」), PR111 for completion-rate thresholds
that are a rounded actual boundary (88.89% for 80/90), and the deduction words tables print (「每少 1 处扣 1 分」,
「每低 1% 扣 0.5 分」, 「每超支 1 万元扣 1 分」). Found by a practitioner who read only the docs (/tmp/trial2/probes:
steps-actual.perf scored an actual of 80% 0.00 instead of 1.8; d2.perf's 每少/每低 were PR001)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from test_fastpath import same_as_lark
from test_reports import check_workbook

from perfrules import vocabulary

from conftest import ROOT, SCHEMAS, cli, load, syntax

D = Decimal
HEAD = 'ruleset "阶梯" { year 2019 total 100 }\n'
SATISFACTION = "受益群众满意度 >= 90% weight 5 steps actual 90%:100% 80%:60% otherwise 0"
DEADLINE = "办结时限 <= 5 天 weight 5 steps actual 5 天:100% 7 天:60% otherwise 0"


def _one(rule: str, actual: str) -> tuple[Decimal | None, list[str]]:
    name = rule.split(" ", 1)[0]
    loaded = load(f"{HEAD}{rule}\nactuals {{\n  {name} = {actual}\n}}\n")
    return loaded.ind(name).score, [f.code for f in loaded.findings if f.code.startswith("PR0")]


def _errors(rule: str) -> list[str]:
    loaded = load(f"{HEAD}{rule}\n")
    return [f"{f.code} {f.message()}" for f in loaded.findings if f.code in ("PR013", "PR014")]


def _page() -> str:
    return (ROOT / "docs" / "language.md").read_text(encoding="utf-8")


def _section(heading: str, end: str) -> str:
    page = _page()
    start = page.index(heading)
    return page[start:page.index(end, start)]


# ---------------------------------------------------------------- the trial's table, as printed


def test_the_trials_table_written_as_printed_scores_as_it_says() -> None:
    loaded = load(HEAD + SATISFACTION + "\n工程验收合格率 >= 95% weight 5 steps actual 95%:5 90%:4 otherwise 0\n"
                  "actuals {\n  受益群众满意度 = 80% reason \"施工扰民\"\n  工程验收合格率 = 90% reason \"整改\"\n}\n")
    assert loaded.ind("受益群众满意度").score == D("3.00")  # 80% is the 80% step: 60% of 5
    assert loaded.ind("工程验收合格率").score == D("4.00")
    completion = loaded.ind("受益群众满意度").completion  # the completion rate is still shown
    assert completion is not None and completion.quantize(D("0.0001")) == D("0.8889")
    assert not [f for f in loaded.findings if f.code.startswith("PR0") or f.code == "PR111"]


@pytest.mark.parametrize("actual, score", [
    ("95%", "5.00"), ("90%", "5.00"), ("89.99%", "3.00"), ("80%", "3.00"), ("79.99%", "0.00"), ("0%", "0.00"),
    ("100%", "5.00"),
])
def test_lower_bounds_on_a_ge_target_are_inclusive_as_printed(actual: str, score: str) -> None:
    assert _one(SATISFACTION, actual) == (D(score), [])


@pytest.mark.parametrize("actual, score", [
    ("0 天", "5.00"), ("4 天", "5.00"), ("5 天", "5.00"), ("5.01 天", "3.00"), ("6 天", "3.00"), ("7 天", "3.00"),
    ("7.01 天", "0.00"), ("30 天", "0.00"),
])
def test_upper_bounds_on_a_le_target_are_inclusive_as_printed(actual: str, score: str) -> None:
    assert _one(DEADLINE, actual) == (D(score), [])


@pytest.mark.parametrize("rule, actual, score", [
    ("培训人数 >= 100 人 weight 10 steps actual 100 人:10 80 人:6", "80 人", "6"),
    ("培训人数 >= 100 人 weight 10 steps actual 100 人:10 80 人:6", "79 人", "0.00"),
    ("培训人数 >= 100 人 weight 10 steps actual 100 人:10 80 人:6", "120 人", "10"),
    ("培训人数 > 100 人 weight 10 steps actual 100 人:10 80 人:6", "100 人", "10"),  # the step as printed, not `>`
    ("配套资金 >= 100 万元 weight 5 steps actual 100 万元:5 800000 元:3", "80 万元", "3"),
    ("配套资金 >= 100 万元 weight 5 steps actual 100 万元:5 800000 元:3", "799999 元", "0.00"),
    ("配套资金 >= 100 万元 weight 5 steps actual 100 万元:5 800000 元:3", "1000000 元", "5"),
    ("项目成本 <= 50 万元 weight 5 steps actual 50 万元:5 520000 元:3", "52 万元", "3"),
    ("项目成本 <= 50 万元 weight 5 steps actual 50 万元:5 520000 元:3", "52.01 万元", "0.00"),
    ("投诉率 < 2% weight 5 steps actual 2%:5 3%:2", "2%", "5"),
    ("满意度 >= 90% weight 5 steps actual 90:5 80:3", "80%", "3"),  # a bare threshold is in the indicator's unit
    ("人数 >= 100 人 weight 5 steps actual 100:5 80:3", "80 人", "3"),
    ("满意度 >= 90% weight 5 阶梯 实际完成 90%:100% 80%:60% 其他 20%", "70%", "1.00"),  # the Chinese spelling
])
def test_counts_money_and_bare_thresholds(rule: str, actual: str, score: str) -> None:
    assert _one(rule, actual) == (D(score), [])


def test_the_completion_rate_steps_are_unchanged() -> None:
    assert _one("满意度 >= 90% weight 5 steps 100%:100% 88.89%:60% otherwise 0", "80%")[0] == D("0.00")
    assert _one("满意度 >= 90% weight 5 steps 100%:100% 88.88%:60% otherwise 0", "80%")[0] == D("3.00")


# ---------------------------------------------------------------- refused: units, order, no direction


@pytest.mark.parametrize("rule, expected", [
    ("培训人数 >= 100 人 weight 5 steps actual 100 户:5", "PR013 培训人数 的单位不一致：人 与 户"),
    ("配套资金 >= 100 万元 weight 5 steps actual 100 人:5", "PR013 配套资金 的单位不一致：万元 与 人"),
    ("培训人数 >= 100 人 weight 5 steps actual 90%:5", "PR013 培训人数 的单位不一致：人 与 %"),
    ("满意度 >= 90% weight 5 steps actual 80%:3 90%:5", "PR014 阶梯计分的门槛须从高到低排列：满意度"),
    ("满意度 >= 90% weight 5 steps actual 90%:5 90%:3", "PR014 阶梯计分的门槛须从高到低排列：满意度"),
    ("办结时限 <= 5 天 weight 5 steps actual 7 天:3 5 天:5",
     "PR014 阶梯按实际值（steps actual）在 <= 或 < 目标上的门槛是上限，须从低到高排列：办结时限"),
    ("验收合格率 = 100% weight 5 steps actual 100%:5",
     "PR014 阶梯按实际值（steps actual）只用于目标为 >= > <= < 的指标，验收合格率 的目标是 =：门槛是下限还是上限无从判断"),
    ("预算调整率 in 95% ~ 105% weight 5 steps actual 100%:5",
     "PR014 阶梯按实际值（steps actual）只用于目标为 >= > <= < 的指标，预算调整率 的目标是 in：门槛是下限还是上限无从判断"),
    ("群众获得感 qualitative weight 5 steps actual 100%:5",
     "PR014 群众获得感 是定性指标，没有可与门槛比较的实际数值，不能写阶梯按实际值（steps actual）"),
])
def test_mismatched_units_disordered_thresholds_and_no_direction_are_located_errors(rule: str, expected: str) -> None:
    assert _errors(rule) == [expected]


def test_the_errors_say_it_in_english_too() -> None:
    loaded = load(HEAD + "办结时限 <= 5 天 weight 5 steps actual 7 天:3 5 天:5\n验收合格率 = 100% weight 5 steps actual 100%:5\n")
    assert [f.message("en") for f in loaded.findings if f.code == "PR014"] == [
        "steps actual thresholds on a <= or < target are upper bounds and must run from low to high: 办结时限",
        "steps actual needs a >=, >, <= or < target, and 验收合格率's is =: whether the thresholds are lower or upper"
        " bounds cannot be told"]


def test_a_formula_without_a_target_is_one_pr017() -> None:
    loaded = load(HEAD + "facts {\n  a = 1 人\n}\nb = a * 2 weight 10 steps actual 2 人:10\n")
    assert [f.key for f in loaded.findings if f.code in ("PR014", "PR017")] == ["PR017.target"]


def test_the_errors_point_at_the_threshold_or_the_clause() -> None:
    loaded = load(HEAD + "培训人数 >= 100 人 weight 5 steps actual 100 户:5\n满意度 >= 90% weight 5 steps actual 80%:3 90%:5\n")
    spans = {f.code: (f.span.line, f.span.column, f.span.end_column) for f in loaded.findings
             if f.code in ("PR013", "PR014") and f.span is not None}
    assert spans == {"PR013": (2, 37, 42), "PR014": (3, 21, 45)}


def test_a_refused_rule_stops_eval_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.perf"
    path.write_text(HEAD + "培训人数 >= 100 人 weight 5 steps actual 100 户:5\nactuals {\n  培训人数 = 90 人\n}\n",
                    encoding="utf-8")
    outcome = cli("eval", str(path))
    assert outcome.exit_code == 2
    assert "PR013" in outcome.stdout + outcome.stderr


def test_a_date_row_refuses_steps_as_before() -> None:
    loaded = load(HEAD + "完成时间 <= 2019-12-31 weight 5 steps actual 100%:5\n")
    assert [f.key for f in loaded.findings if f.code == "PR014"] == ["PR014.date_clause"]


# ---------------------------------------------------------------- parser: lark and the fast path agree


@pytest.mark.parametrize("line", [
    SATISFACTION, DEADLINE,
    "培训人数 >= 100 人 weight 10 steps actual 100 人:10 80 人:6",
    "满意度 >= 90% 权重 5 阶梯 实际完成 90%:100% 80%:60% 其他 0",
    "配套资金 >= 100 万元 weight 5 steps actual 100 万元:5 800000 元:3 cap 100%",
    "满意度 >= 90% weight 5 steps 100%:5 90%:3",
    "绩效指标明确性 >= 5 处 weight 3 扣 1 每少 1 处",
    "资金到位率 >= 100% weight 3 扣 0.5 每低 1%",
    "项目成本 <= 50 万元 weight 5 扣 1 每超支 1 万元",
    "项目成本 <= 50 万元 weight 5 扣 1 每超 1 万元",
    "办结时限 <= 5 天 weight 5 扣 1 每多 1 天",
    "投诉率 <= 2% weight 5 扣 1 每高 1%",
])
def test_the_fast_path_reads_the_lines_as_lark_does(line: str) -> None:
    assert same_as_lark(line, "section_line")


def test_steps_actual_is_in_the_ast_and_the_plan() -> None:
    loaded = load(HEAD + SATISFACTION + "\n" + DEADLINE + "\n满意度2 >= 90% weight 5 steps 100%:5\n")
    on, upper, rate = (loaded.plan.indicator_by_key.get(k) for k in ("受益群众满意度", "办结时限", "满意度2"))
    assert on is not None and upper is not None and rate is not None
    assert (on.steps_actual, upper.steps_actual, rate.steps_actual) == (True, True, False)
    assert [(s.threshold, s.points) for s in on.steps] == [(D("0.90"), D("5.00")), (D("0.80"), D("3.00"))]
    assert [(s.threshold, s.points) for s in upper.steps] == [(D(5), D("5.00")), (D(7), D("3.00"))]


# ---------------------------------------------------------------- plan JSON, fmt, reports


def test_the_plan_json_keeps_it_fits_its_schema_and_scores_the_same(tmp_path: Path) -> None:
    path = tmp_path / "p.perf"
    path.write_text(HEAD + SATISFACTION + "\n" + DEADLINE + "\n满意度2 >= 90% weight 5 steps 100%:5\n", encoding="utf-8")
    plan_file = tmp_path / "plan.json"
    assert cli("compile", str(path), "-o", str(plan_file)).exit_code == 0
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    jsonschema.validate(plan, json.loads((SCHEMAS / "plan.schema.json").read_text(encoding="utf-8")),
                        cls=jsonschema.Draft202012Validator)
    rows = {n["name"]: n for n in plan["body"]}
    assert rows["受益群众满意度"]["steps_actual"] is True and rows["受益群众满意度"]["steps"] == [["0.90", "5.00"], ["0.80", "3.00"]]
    assert rows["办结时限"]["steps_actual"] is True
    assert "steps_actual" not in rows["满意度2"]  # a plan without it is as before
    data = tmp_path / "a.json"
    data.write_text(json.dumps({"受益群众满意度": "80%", "办结时限": "7 天", "满意度2": "90%"}, ensure_ascii=False),
                    encoding="utf-8")
    outcome = cli("eval", "--plan", str(plan_file), "--data", str(data), "--format", "json")
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    scores = {i["name"]: i["score"] for i in _indicators(json.loads(outcome.stdout))}
    assert scores == {"受益群众满意度": 3, "办结时限": 3, "满意度2": 5}


def _indicators(result: dict) -> list[dict]:  # type: ignore[type-arg]
    out = []
    stack = list(result["body"]) if "body" in result else list(result["indicators"])
    while stack:
        node = stack.pop(0)
        if "children" in node:
            stack = list(node["children"]) + stack
        else:
            out.append(node)
    return out


def test_fmt_writes_the_clause_in_one_way_and_keeps_the_plan() -> None:
    from perfrules.fmt import format_text

    text = HEAD + "满意度>=90% weight 5 steps  actual 90%:100%  80% : 60% otherwise 0\n时限 <= 5 天 weight 5 阶梯 实际完成 5天:100% 7 天:60%\n"
    out, findings = format_text(text)
    assert out is not None and findings == []
    assert "满意度 >= 90%  weight 5 steps actual 90%:100% 80%:60% otherwise 0" in out
    assert "时限   <= 5 天 weight 5 阶梯 实际完成 5 天:100% 7 天:60%" in out
    assert format_text(out)[0] == out


def test_the_xlsx_formula_recomputes_each_score_and_says_the_rule(tmp_path: Path) -> None:
    path = tmp_path / "x.perf"
    rows = [SATISFACTION, DEADLINE, "培训人数 >= 100 人 weight 10 steps actual 100 人:10 80 人:6",
            "配套资金 >= 100 万元 weight 5 steps actual 100 万元:5 800000 元:3"]
    actuals = {"受益群众满意度": ["80%", "90%", "79.99%"], "办结时限": ["7 天", "5 天", "7.5 天"],
               "培训人数": ["80 人", "100 人", "79 人"], "配套资金": ["80 万元", "100 万元", "79.99 万元"]}
    for case in range(3):
        lines = "\n".join(f"  {name} = {values[case]}" for name, values in actuals.items())
        path.write_text(HEAD + "\n".join(rows) + f"\nactuals {{\n{lines}\n}}\n", encoding="utf-8")
        check_workbook(path, tmp_path)  # every score the formulas give equals perfrules' own
    from perfrules.render.xlsx_rules import Rule

    loaded = load(HEAD + DEADLINE + "\nactuals {\n  办结时限 = 6 天\n}\n")
    ind = loaded.plan.indicator_by_key.get("办结时限")
    assert ind is not None
    rule = Rule(ind, loaded.ind("办结时限"), 6)
    assert rule.describe("zh") == "阶梯（按实际值）：≤5 天 得 5.00，≤7 天 得 3.00，其他 0"
    assert rule.describe("en") == "steps (by the actual): ≤5 天: 5.00, ≤7 天: 3.00, else 0"
    assert rule.raw() == "IF(G6-1E-9<=5,5,IF(G6-1E-9<=7,3,0))"


def test_the_audit_recomputes_a_published_score_by_the_printed_rule() -> None:
    right = load(HEAD + SATISFACTION + "\nactuals {\n  受益群众满意度 = 80% score 3\n}\n")
    assert not [f for f in right.findings if f.code == "PR301"]
    wrong = load(HEAD + SATISFACTION + "\nactuals {\n  受益群众满意度 = 80% score 0\n}\n")
    assert [f.code for f in wrong.findings if f.code == "PR301"] == ["PR301"]


def test_the_audit_paper_says_the_rule_in_words(tmp_path: Path) -> None:
    path = tmp_path / "a.perf"
    path.write_text(HEAD + SATISFACTION + "\nactuals {\n  受益群众满意度 = 80% score 3 reason \"施工扰民\"\n}\n",
                    encoding="utf-8")
    paper = cli("audit", str(path), "--format", "markdown")
    assert "| 阶梯（按实际值）：≥90% 得 5.00，≥80% 得 3.00，其他 0 | 3 | 3.00 |" in paper.stdout, paper.stdout
    rows = json.loads(cli("audit", str(path), "--format", "json").stdout)["audits"][0]["rows"]
    assert rows[0]["rule"]["text"] == "阶梯（按实际值）：≥90% 得 5.00，≥80% 得 3.00，其他 0"


def test_the_language_server_hover_says_the_thresholds_are_actual_values() -> None:
    from perfrules.lsp.analysis import analyse, hover

    shown = hover(analyse(HEAD + DEADLINE + "\nactuals {\n  办结时限 = 6 天\n}\n", "s.perf"), 2, 2)
    assert shown is not None
    # the row's own rule, as the score table's 计分规则 writes it
    assert "- 计分：阶梯（按实际值）：≤5 天 得 5.00，≤7 天 得 3.00，其他 0" in shown and "- 得分：3.00 / 5" in shown
    english = hover(analyse(HEAD + DEADLINE + "\n", "s.perf"), 2, 2, "en")
    assert english is not None and "- scoring: steps (by the actual): ≤5 天: 5.00, ≤7 天: 3.00, else 0" in english


def test_the_text_markdown_and_html_tables_show_the_score(tmp_path: Path) -> None:
    path = tmp_path / "s.perf"
    path.write_text(HEAD + SATISFACTION + "\nactuals {\n  受益群众满意度 = 80% reason \"施工扰民\"\n}\n", encoding="utf-8")
    text = cli("eval", str(path)).stdout
    assert re.search(r"受益群众满意度 +5 +>= 90% +80% +88\.89% +3\.00", text), text
    for fmt in ("markdown", "html"):
        shown = cli("eval", str(path), "--format", fmt).stdout
        assert "受益群众满意度" in shown and "3.00" in shown, fmt


# ---------------------------------------------------------------- PR111: a rounded actual boundary


def _pr111(rule: str) -> list[str]:
    return [f.message() for f in load(HEAD + rule + "\n").findings if f.code == "PR111"]


def test_pr111_says_a_threshold_is_a_rounded_actual_boundary() -> None:
    assert _pr111("满意度 >= 90% weight 5 steps 100%:100% 88.89%:60% otherwise 0") == [
        "满意度 的阶梯门槛 88.89% 像是实际值 80% 的完成率（88.8889%）四舍五入而来：实际恰好是 80% 时，"
        "完成率 88.8889% 低于 88.89%，得不到这一档"]
    assert _pr111("工程验收合格率 >= 95% weight 5 steps 100%:5 94.74%:4") == [
        "工程验收合格率 的阶梯门槛 94.74% 像是实际值 90% 的完成率（94.7368%）四舍五入而来：实际恰好是 90% 时，"
        "完成率 94.7368% 低于 94.74%，得不到这一档"]
    assert _pr111("办结时限 <= 5 天 weight 5 steps 100%:5 71.43%:3") == [  # t/a: 5/7 = 71.4286% < 71.43%
        "办结时限 的阶梯门槛 71.43% 像是实际值 7 天 的完成率（71.4286%）四舍五入而来：实际恰好是 7 天 时，"
        "完成率 71.4286% 低于 71.43%，得不到这一档"]
    assert len(_pr111("满意度 >= 90% weight 5 steps 100%:5 88.89%:3 66.67%:1")) == 1  # one finding a row
    assert _pr111("受益人数 >= 60000 人 weight 5 steps 100%:5 66.67%:3") == [  # 40000 / 60000 = 66.6667% < 66.67%
        "受益人数 的阶梯门槛 66.67% 像是实际值 40000 人 的完成率（66.6667%）四舍五入而来：实际恰好是 40000 人 时，"
        "完成率 66.6667% 低于 66.67%，得不到这一档"]


def test_pr111_is_a_warning_with_the_rule_to_write() -> None:
    found = [f for f in load(HEAD + "满意度 >= 90% weight 5 steps 100%:5 88.89%:3\n").findings if f.code == "PR111"]
    assert len(found) == 1
    assert found[0].severity.value == "warning"
    assert found[0].hint() == "表上按实际值印门槛时，照印的写 steps actual（如 steps actual 80%:…），边界精确且含门槛本身"
    assert found[0].message("en").startswith("the step threshold 88.89% of 满意度 looks like the completion rate of an actual"
                                             " of 80% (88.8889%) rounded up")


@pytest.mark.parametrize("rule", [
    "满意度 >= 90% weight 5 steps 100%:5 89%:3",  # a whole percentage may be meant
    "满意度 >= 90% weight 5 steps 100%:5 88.88%:3",  # rounded down: 80% reaches it
    "满意度 >= 100% weight 5 steps 100%:5 88.89%:3",  # 88.89% of 100% is no round actual
    "满意度 >= 90% weight 5 steps 100%:5 90%:3 80%:1",
    "人数 >= 60000 人 weight 5 steps 100%:5 83.33%:3",  # 50000 / 60000 = 83.333…% reaches 83.33%
    "满意度 >= 95.5% weight 5 steps 100%:5 94.24%:3",  # 90 / 95.5 = 94.2408% reaches 94.24%
    "满意度 >= 90% weight 5 steps actual 90%:5 80%:3",  # written as printed
    "满意度 >= 90% weight 5 steps 100%:5 0.0000000000001%:1",
])
def test_pr111_is_silent_where_nothing_is_missed(rule: str) -> None:
    assert _pr111(rule) == []


def test_pr111_is_silent_on_every_shipped_ruleset() -> None:
    outcome = cli("lint", str(ROOT / "rulesets"), "--select", "PR111")
    assert outcome.exit_code == 0 and "PR111" not in outcome.stdout


def test_the_trial_probe_gets_pr111_on_both_rows() -> None:
    probe = (HEAD + "受益群众满意度 >= 90% weight 5 steps 100%:100% 88.89%:60% otherwise 0\n"
             "工程验收合格率 >= 95% weight 5 steps 100%:5 94.74%:4 otherwise 0\n")
    assert [f.span.line for f in load(probe).findings if f.code == "PR111" and f.span] == [2, 3]


# ---------------------------------------------------------------- deduction words as tables print them


@pytest.mark.parametrize("rule, actual, score", [
    ("绩效指标明确性 >= 5 处 weight 3 扣 1 每少 1 处", "3 处", "1.00"),
    ("资金到位率 >= 100% weight 3 扣 0.5 每低 1%", "96%", "1.00"),
    ("项目成本 <= 50 万元 weight 5 扣 1 每超支 1 万元", "52 万元", "3.00"),
    ("项目成本 <= 50 万元 weight 5 扣 1 每超 1 万元", "52 万元", "3.00"),
    ("办结时限 <= 5 天 weight 5 扣 1 每多 1 天", "7 天", "3.00"),
    ("投诉率 <= 2% weight 5 扣 1 每高 1%", "3.5%", "3.50"),
    ("绩效指标明确性 >= 5 处 weight 3 deduct 1 per 1 处", "3 处", "1.00"),  # the same rule
    ("完成时间 <= 2019-12-31 weight 5 扣 1 每逾期 1 天", "2020-01-02", "3.00"),
])
def test_every_per_word_deducts_alike(rule: str, actual: str, score: str) -> None:
    assert _one(rule, actual) == (D(score), [])


@pytest.mark.parametrize("printed, written", [
    ("绩效指标明确性 >= 5 处 weight 3 每少 1 处 扣 1", "绩效指标明确性 >= 5 处 weight 3 扣 1 每少 1 处"),
    ("资金到位率 >= 100% 每低 1% 扣 0.5 weight 3", "资金到位率 >= 100% weight 3 扣 0.5 每低 1%"),
    ("项目成本 <= 50 万元 weight 5 每超支 1 万元 扣 1", "项目成本 <= 50 万元 weight 5 扣 1 每超支 1 万元"),
    ("完成时间 <= 2019-12-31 weight 2 每逾期 1 天 扣 1", "完成时间 <= 2019-12-31 weight 2 扣 1 每逾期 1 天"),
    ("完成时间 <= 2019-12-31 weight 2 每逾期 天 扣 1", "完成时间 <= 2019-12-31 weight 2 扣 1 per 天"),
])
def test_the_printed_order_is_the_same_clause(printed: str, written: str) -> None:
    from perfrules.plan.serialize import dump_plan

    def plan_of(line: str) -> dict:  # type: ignore[type-arg]
        loaded = load(HEAD + line + "\n")
        assert [f.code for f in loaded.findings if f.code.startswith("PR0")] == ["PR021"]  # no actual given
        body = dict(dump_plan(loaded.plan)["body"][0])
        body.pop("span")
        return body

    assert plan_of(printed) == plan_of(written)
    assert not same_as_lark(printed, "section_line")  # the fast path leaves it to lark


def test_the_printed_order_scores_fmt_keeps_it_and_twice_is_pr005() -> None:
    from perfrules.fmt import format_text

    assert _one("绩效指标明确性 >= 5 处 weight 3 每少 1 处 扣 1", "3 处") == (D("1.00"), [])
    out, _ = format_text(HEAD + "项目成本<=50 万元 每超支 1 万元  扣 1 weight 5\n")
    assert out == HEAD + "项目成本 <= 50 万元 每超支 1 万元 扣 1 weight 5\n"
    twice = load(HEAD + "a >= 5 处 weight 3 每少 1 处 扣 1 每少 2 处 扣 1\n")
    assert [f.message() for f in twice.findings if f.code == "PR005"] == ["子句 deduct 重复出现"]


@pytest.mark.parametrize("line, column, hint", [
    ("c >= 5 处 weight 3 每少 1 处 扣 1 分", 30, "扣分子句不写「分」：写成 扣 1 每少 1 处，或照表上的顺序 每少 1 处 扣 1"),
    ("c >= 5 处 weight 3 扣 1 分 每少 1 处", 23, "扣分子句不写「分」：写成 扣 1 每少 1 处，或照表上的顺序 每少 1 处 扣 1"),
    ("b >= 5 处 weight 3 每少 1 处扣 1", 27,
     "单位与「扣」连在一起会读成一个单位（如「处扣」）：在「扣」前加空格，如 每少 1 处 扣 1"),
])
def test_the_printed_deduction_written_too_closely_gets_a_hint(line: str, column: int, hint: str) -> None:
    found = [f for f in syntax(line + "\n") if f.code == "PR001"]
    assert [(f.span.column, f.hint()) for f in found if f.span] == [(column, hint)]


def test_the_printed_order_without_spaces_between_number_and_unit_reads() -> None:
    assert _one("绩效指标明确性 >= 5 处 weight 3 每少1处 扣1", "3 处") == (D("1.00"), [])


def test_the_trial_probe_d2_now_checks_clean(tmp_path: Path) -> None:
    path = tmp_path / "d2.perf"
    path.write_text('ruleset "x" { year 2019 total 6 }\n绩效指标明确性 >= 5 处 weight 3 扣 1 每少 1 处\n'
                    "资金到位率 >= 100% weight 3 扣 0.5 每低 1%\nactuals {\n  绩效指标明确性 = 3 处\n"
                    "  资金到位率 = 96%\n}\n", encoding="utf-8")
    outcome = cli("eval", str(path), "--format", "json")
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    assert {i["name"]: i["score"] for i in _indicators(json.loads(outcome.stdout))} == {"绩效指标明确性": 1, "资金到位率": 1}


def test_the_per_words_are_keywords_of_the_vocabulary_only() -> None:
    words = ("每少", "每低", "每超", "每超支", "每多", "每高")
    assert set(words) <= set(vocabulary.KEYWORDS["PER"])
    assert set(words) <= vocabulary.RESERVED_WORDS  # the importer quotes a name spelt so
    assert vocabulary.spellings("PER")[0] == "per"


def test_no_shipped_ruleset_doc_or_test_name_is_one_of_the_new_words() -> None:
    words = ("每少", "每低", "每超", "每多", "每高")
    here = Path(__file__).name
    for folder, pattern in (("rulesets", "*.perf"), ("tests", "*.py"), ("docs", "*.md"), ("tests", "*.perf")):
        for path in (ROOT / folder).rglob(pattern):
            if path.name in (here, "language.md", "test_session4_defects.py"):  # the files about the words
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not any(w in text for w in words), path
    page = _page()  # the docs use them only in per clauses and the keyword tables
    for line in page.splitlines():
        if any(w in line for w in words):
            # (写成 每少、每低: PR014.deduct_over's hint, as the docs quote it)
            assert re.search(r"扣 [\d.]+ (每少|每低|每超支|每超|每多|每高)|`每|「每|`\"每|写成 每", line), line


def test_a_name_spelt_as_a_new_word_still_reads_as_a_name() -> None:
    loaded = load('每少 >= 1 处 weight 1\n"每低" >= 1 处 weight 1\nactuals {\n  每少 = 1 处\n  "每低" = 1 处\n}\n')
    assert [f.code for f in loaded.findings if f.code.startswith("PR0")] == []
    assert loaded.ind("每少").score == D("1.00") and loaded.ind("每低").score == D("1.00")


# ---------------------------------------------------------------- the docs


def test_the_documented_example_prints_what_the_docs_show(tmp_path: Path) -> None:
    section = _section("#### 按实际值的门槛 steps actual", "### 17.9")
    perf = re.search(r"```perf\n(.*?)```", section, re.S)
    text = re.search(r"```text\n(.*?)```", section, re.S)
    assert perf is not None and text is not None
    path = tmp_path / "doc.perf"
    path.write_text(perf[1], encoding="utf-8")
    outcome = cli("eval", str(path))
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    shown = [line.rstrip() for line in outcome.stdout.splitlines()]
    for line in text[1].strip("\n").splitlines():
        assert line.rstrip() in shown, (line, outcome.stdout)
    assert cli("fmt", "--check", str(path)).exit_code == 0  # the docs write it as fmt does


def test_the_documented_boundary_table_holds() -> None:
    section = _section("#### 按实际值的门槛 steps actual", "### 17.9")
    rows = re.findall(r"^\| (`[^|]+|同上) \| `([^`]+)`[^|]*\| \*\*([\d.]+)\*\*", section, re.M)
    assert len(rows) == 13
    last = ""
    for rule, actual, expected in rows:
        rule = last if rule == "同上" else rule.split("`")[1]
        last = rule
        assert _one(rule, actual) == (D(expected), []), (rule, actual)


def test_the_documented_deduction_words_table_holds() -> None:
    section = _section("### 17.9 扣分 deduct", "### 17.10")
    rows = re.findall(r"^\| 「[^」]+」 \| `([^`]+)` \| `([^`]+)` \| \*\*([\d.]+)\*\*", section, re.M)
    assert len(rows) == 5
    for rule, actual, expected in rows:
        assert _one(rule, actual) == (D(expected), []), rule


def test_the_keyword_table_and_the_clause_table_list_the_words() -> None:
    keywords = _section("## 21. 关键字中英对照表", "## 22.")
    row = next(line for line in keywords.splitlines() if line.startswith("| `per` |"))
    assert set(re.findall(r"`([^`]+)`", row.split("|")[2])) == set(vocabulary.KEYWORDS["PER"]) - {"per"}
    assert "`steps actual`" in next(line for line in keywords.splitlines() if line.startswith("| `actual` |"))
    clauses = _section("## 12. 指标子句", "### 百分比权重")
    assert "| `steps actual T:S … [otherwise S]` | `阶梯 实际完成 T:S … [其他 S]` |" in clauses
    assert "`扣 N 每少 X`" in clauses and "`扣 N 每超支 X`" in clauses
    assert "PR111" in _section("### 17.8 阶梯 steps", "### 17.9")
