"""What a docs-only user trial of issue 10 found (the tables of a reader who had only docs/language.md): each defect as a class,
with the tests that failed before its fix."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from perfrules import display, pipeline
from perfrules.settings import Settings
from perfrules.syntax import fastpath
from perfrules.syntax.parser import lark_read

from conftest import SCHEMAS, cli, load, syntax

D = Decimal

# ---------------------------------------------------------------- 2. block items: the error at the item, a hint that says what is allowed


def _one(text: str) -> tuple[int, int, str, str]:
    (finding,) = syntax(text)
    return finding.span.line, finding.span.column, finding.message(), finding.hint()


def test_an_unreadable_expect_total_is_at_the_question_mark_with_what_to_write() -> None:
    line, column, message, hint = _one("a >= 1 个 weight 100\nexpect { total ? }\n")
    assert (line, column) == (2, 16)
    assert message == "此处不应出现「?」，应为数字"
    assert "写报告公布的数字，如 total 90.5" in hint and "是不是" not in hint
    # the same inside a block of several lines
    assert _one("a >= 1 个 weight 100\nexpect {\n  total ?\n}\n")[:2] == (3, 9)
    assert "如 total 90.5" in _one("a >= 1 个 weight 100\nexpect {\n  total ?\n}\n")[3]


@pytest.mark.parametrize(("line", "column"), [
    ('ruleset "x" { year 2023 total abc }', 31),
    ("grades { 优 >= 90 良 80 中 >= 60 差 otherwise }", 20),
    ("expect { 产出 abc }", 13),
    ("dimension 产出 weight abc {\n  a >= 1 个 weight 1\n}", 21),
    ("check 匹配: a <= 1 个 ?", 20),
])
def test_a_keyword_spelt_right_is_never_the_error_nor_guessed_as_a_typo(line: str, column: int) -> None:
    """A line that starts with its keyword spelt right had its error at column 1 and the hint 「是不是 <that keyword>？」."""
    (finding,) = syntax(f"a >= 1 个 weight 1\n{line}\n")
    assert (finding.span.line, finding.span.column) == (2, column)
    assert "是不是" not in finding.hint()


def test_misspelt_block_keywords_are_still_guessed() -> None:
    (finding,) = syntax('rulset "x" {\n}\n')
    assert finding.hint() == "是不是 ruleset？"


@pytest.mark.parametrize(("text", "hint"), [
    ("grades { 优 >= 90 良 80 差 otherwise }\n", "分数段写成 名称 >= 分数，如 良 >= 80；最低一档写 差 otherwise"),
    ("facts {\n  预算数 100 万元\n}\n", "基础数据写成 名称 = 数值，如 预算数 = 100 万元"),
    ("grades { 优 >= 90 良 >= ? 差 otherwise }\n", "? 只用于实际值行上无法辨认的公布得分（score ? 或 review ?）：这里请写数字"),
    ("facts {\n  预算数 = ?\n}\n", "? 只用于实际值行上无法辨认的公布得分（score ? 或 review ?）：这里请写数字"),
])
def test_block_items_get_the_hint_of_their_block(text: str, hint: str) -> None:
    (finding,) = syntax(text)
    assert finding.hint() == hint


def test_the_english_hint_for_an_unreadable_expect_figure() -> None:
    (finding,) = syntax("expect { total ? }\n")
    assert finding.hint("en").startswith("expect holds the figures the report publishes, e.g. total 90.5")


# ---------------------------------------------------------------- 7. numbers as tables print them


@pytest.mark.parametrize(("written", "value"), [("8,755", "8755"), ("1,234,567.5", "1234567.5"), ("8，755", "8755"),
                                                ("12,345", "12345"), ("８，７５５", "8755")])
def test_thousands_separators_in_groups_of_three_read_as_the_number(written: str, value: str) -> None:
    loaded = load(f"培训人次 ≧ {written} 人 weight 100\nactuals {{\n  培训人次 = {written} 人\n}}\nexpect {{ total {written} }}\n")
    assert not [f for f in loaded.findings if f.code.startswith("PR00")]
    (indicator,) = loaded.plan.indicators()
    assert indicator.target == D(value) and loaded.plan.expect[0].value == D(value)
    assert loaded.plan.actuals[0].value == D(value)


@pytest.mark.parametrize("written", ["8,75", "1,2345", "8,755,5", "1,23.5"])
def test_separators_not_in_groups_of_three_are_an_error_that_says_how_to_write_the_number(written: str) -> None:
    (finding,) = syntax(f"培训人次 >= {written} 人 weight 15\n")
    assert finding.code == "PR001" and finding.hint_key == "thousands"
    assert finding.span.column >= 10 and finding.message().startswith("无法识别的字符 「,」")
    assert finding.hint() == "千位分隔符须每三位一组（8,755、1,234,567.5），或者不写：8755"


def test_a_comma_between_clauses_is_an_error_at_the_comma_that_says_to_remove_it() -> None:
    (finding,) = syntax("培训合格率 >= 95%，weight 10\n")
    assert (finding.span.column, finding.message()[:11]) == (13, "无法识别的字符 「，」")
    assert finding.hint() == "子句之间不需要逗号「，」：删除它，用空格分开（如 >= 95% weight 10）"
    (after_number,) = syntax("培训人次 >= 8,755，weight 10\n")  # a number with separators, then the comma
    assert after_number.span.column == 14 and after_number.hint_key == "comma"


def test_fmt_writes_the_number_without_separators_and_the_fast_path_defers_to_lark(tmp_path: Path) -> None:
    path = tmp_path / "t.perf"
    path.write_text("培训人次 ≧ 8,755 人 weight 100\nactuals {\n  培训人次 = 1,234,567.5 人\n}\nexpect { total 1,000 }\n",
                    encoding="utf-8")
    assert cli("fmt", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8") == ("培训人次 ≧ 8755 人 weight 100\nactuals {\n  培训人次 = 1234567.5 人\n}\n"
                                                "expect { total 1000 }\n")
    for code, start in [("培训人次 ≧ 8,755 人 weight 100", "section_line"), ("培训人次 = 8,755 人", "actuals_line"),
                        ("total 1,000", "expect_line")]:
        assert fastpath.parse_line(code, start, "<t>", 1) is None  # lark reads it (the fast path knows no separators)
        node, findings = lark_read(code, start)
        assert node is not None and not findings


# ---------------------------------------------------------------- 8. fmt and lint --fix write input-method characters alike


def test_fmt_and_lint_fix_agree_on_input_method_characters(tmp_path: Path) -> None:
    text = ("dimension 产出 weight 100 {\n  培训人次 ≧ ８７５５ 人 weight 50\n  c ＞＝ ８７５５ 人 weight 10\n  d ═ 5 人 weight 10\n"
            "  e ﹦ 5 人 weight 10\n  f ≦ 5％ weight 10\n  g ≥ 5 人 weight 10\n}\n")
    fmt_only, fixed = tmp_path / "a.perf", tmp_path / "b.perf"
    fmt_only.write_text(text, encoding="utf-8")
    fixed.write_text(text, encoding="utf-8")
    assert cli("fmt", str(fmt_only)).exit_code == 0
    cli("lint", "--fix", str(fixed))
    after_fix = fixed.read_text(encoding="utf-8")
    assert "＞＝" not in after_fix and "═" not in after_fix and "﹦" not in after_fix and "８" not in after_fix
    assert "≧" in after_fix and "≦" in after_fix  # comparator spellings of their own: kept
    assert cli("fmt", str(fixed)).exit_code == 0
    assert fixed.read_text(encoding="utf-8") == fmt_only.read_text(encoding="utf-8")
    assert "  c        >= 8755 人 weight 10\n" in fmt_only.read_text(encoding="utf-8")


# ---------------------------------------------------------------- 1. a syntax error hides only what its line can cause

ERRS = """\
ruleset "错误示例" { year 2023 kind 自评 }
facts {
  预算数 = 100 万元
  执行数 = 95.27 万元
}
预算执行率 = 执行数 / 预算数 >= 100% weight 20 method actual
dimension 产出 weight 40 {
  培训人次 ≧ 8,75 人 weight 15
  培训合格率 >= 95%，weight 10
  制度健全性 elements ①:40% ②③④:20% weight 10
  完成时间 ≤ 2023年12月31日 weight 5 deduct 1 per 人
}
dimension 效益 weight 40 {
  群众满意度 >= 90%
  就业率 >= 80% weight 40
}
actuals {
  预算执行率 执行率 96.3%
  培训人次 = 8800 次
  制度健全性 = 具备 ①②⑤
  完成时间 = 2024-01
  群众满意度 = 92
  就业 = 76%
}
expect { 产出 30 total 90 grade 优秀 }
"""


def test_every_problem_of_a_file_with_syntax_errors_is_listed_at_once(tmp_path: Path) -> None:
    """The trial's errs.perf with two broken lines: the compile findings of the lines that parsed are listed too
    (before, PR017 群众满意度 and PR020 就业 were left out as if the broken lines had caused them)."""
    path = tmp_path / "errs.perf"
    path.write_text(ERRS, encoding="utf-8")
    outcome = cli("check", str(path))
    assert outcome.exit_code == 2
    found = [[line.split(" ")[1], line.split(":")[1]] for line in (outcome.stdout + outcome.stderr).splitlines()
             if line.startswith(str(path))]
    assert found == [["PR001", "8"], ["PR001", "9"], ["PR013", "11"], ["PR017", "14"], ["PR018", "20"],
                     ["PR018", "21"], ["PR020", "23"]]
    # 培训人次's own actual (line 19) is not reported as unknown: its indicator is the broken line 8
    assert "实际值中的 培训人次" not in outcome.stdout + outcome.stderr


PARTIAL = """\
dimension 产出 weight 50 {
  a >= 10 个 weight 20
  b >= 10 个，weight 30
}
dimension 效益 weight 50 {
  c >= 10 个 weight 20
  d >= 10 个 weight 20
}
actuals {
  a = 10 个
  b = 10 个
  c = 10 个
  d = 10 个
  e = 5 个
}
"""


def test_a_broken_indicator_line_causes_no_unknown_actual_nor_a_weight_sum_of_its_section() -> None:
    for partial in (False, True):  # the command line, and the language server (which scores what compiled)
        run = pipeline.analyse_text(PARTIAL, "p.perf", settings=Settings(), partial=partial)
        found = [(f.code, f.span.line, f.arg("name")) for f in run.sorted_findings() if f.code != "PR206"]
        # b's actual (line 11) is b's broken line; e is unknown on its own; 效益 adds up to 40, not 50, while
        # 产出 holds the broken line (the command line does not check a file that did not parse)
        assert found == [("PR001", 3, None), *([("PR103", 5, "效益")] if partial else []), ("PR020", 14, "e")]


def test_a_reference_to_a_name_of_a_broken_line_is_not_reported_but_an_unknown_one_is() -> None:
    text = """\
facts {
  预算 = 100 万元，
}
a >= 10 个 weight 50
率 = 执行 / 预算 >= 90% weight 50
check 核对: a <= 未知
"""
    run = pipeline.analyse_text(text, "r.perf", settings=Settings())
    assert [(f.code, f.span.line, f.arg("name")) for f in run.sorted_findings()] == [
        ("PR001", 2, None), ("PR011", 5, "执行"), ("PR011", 6, "未知")]


def test_names_inside_a_block_whose_header_did_not_parse_are_lost_with_it() -> None:
    text = ("dimension 产出 weight abc {\n  a >= 10 个 weight 50\n  group 数量 weight 50 {\n    b >= 1 个 weight 50\n"
            "  }\n}\nactuals {\n  a = 10 个\n  b = 1 个\n  c = 1 个\n}\nexpect { 产出 50 数量 30 }\n")
    run = pipeline.analyse_text(text, "h.perf", settings=Settings())
    assert [(f.code, f.span.line, f.arg("name")) for f in run.sorted_findings()] == [
        ("PR001", 1, None), ("PR020", 10, "c")]


def test_an_unusable_framework_still_hides_every_unknown_name(tmp_path: Path) -> None:
    path = tmp_path / "u.perf"
    path.write_text("use std/没有这个框架\na >= 1 个 weight 100\nactuals {\n  b = 1 个\n}\n", encoding="utf-8")
    outcome = cli("check", str(path))
    codes = [line.split(" ")[1] for line in (outcome.stdout + outcome.stderr).splitlines() if line.startswith(str(path))]
    assert codes == ["PR016"]


# ---------------------------------------------------------------- 3. a bare grade is a band's name; a verbal grade is quoted

ROWS = "a >= 10 个 weight 100\nactuals {\n  a = 10 个\n}\n"


def _grade_findings(expect: str, grades: str = "") -> list[tuple[str, str, str, str]]:
    loaded = load(grades + ROWS + expect)
    return [(f.key, f.severity.value, f.message(), f.hint()) for f in loaded.findings if f.code == "PR303"]


@pytest.mark.parametrize(("written", "meant"), [("优秀", "优"), ("良好", "良"), ("较差", "差"), ("中等", "中")])
def test_an_unknown_bare_grade_is_a_warning_naming_the_nearest_band(written: str, meant: str) -> None:
    for expect in (f"expect {{ total 100 grade {written} }}\n", f"expect {{ grade {written} }}\n"):
        assert _grade_findings(expect) == [(
            "PR303.unknown", "warning",
            f"公布的等级 {written} 不是分数段（优、良、中、差）的名称，无法与总分比较；最接近的分数段是 {meant}",
            f'是不是 {meant}？表上只印了文字等级时加引号：grade "{written}"')]


def test_an_unknown_bare_grade_far_from_every_band_lists_the_bands() -> None:
    assert _grade_findings("expect { grade 合格 }\n") == [(
        "PR303.unknown_far", "warning", "公布的等级 合格 不是分数段（优、良、中、差）的名称，无法与总分比较",
        '写分数段的名称（优、良、中、差）；表上只印了文字等级时加引号：grade "合格"')]


def test_a_quoted_grade_stays_a_verbal_grade_and_a_band_of_that_name_is_compared() -> None:
    assert [(k, s) for k, s, _, _ in _grade_findings('expect { total 100 grade "优秀" }\n')] == [("PR303.verbal", "info")]
    bands = "grades { 优秀 >= 90 良好 >= 80 一般 >= 60 较差 otherwise }\n"
    assert _grade_findings("expect { total 100 grade 优秀 }\n", bands) == []
    wrong = _grade_findings("expect { total 100 grade 良好 }\n", bands)
    assert [(k, s) for k, s, _, _ in wrong] == [("PR303", "error")]


def test_the_plan_json_keeps_a_quoted_grade(tmp_path: Path) -> None:
    path = tmp_path / "g.perf"
    path.write_text(ROWS + 'expect { total 100 grade "优秀" }\n', encoding="utf-8")
    plan = tmp_path / "plan.json"
    assert cli("compile", str(path), "-o", str(plan)).exit_code == 0
    data = json.loads(plan.read_text(encoding="utf-8"))
    assert [e.get("quoted") for e in data["expect"]] == [None, True]
    jsonschema.validate(data, json.loads((SCHEMAS / "plan.schema.json").read_text(encoding="utf-8")))
    outcome = cli("eval", "--plan", str(plan))
    assert "PR303 提示" in outcome.stdout + outcome.stderr and "PR303 警告" not in outcome.stdout + outcome.stderr


# ---------------------------------------------------------------- 4. expect in JSON: numbers, and null where nothing was compared


def test_expect_in_json_holds_numbers_and_says_null_where_nothing_was_compared(tmp_path: Path) -> None:
    path = tmp_path / "e.perf"
    path.write_text('ruleset "e" { year 2023 }\ndimension 产出 weight 100 {\n  a >= 10 个 weight 60\n  b >= 10 个 weight 40\n}\n'
                    'actuals {\n  a = 10 个\n  b = 5 个\n}\nexpect { 产出 80.5 total 80 grade "实施比较顺利" }\n',
                    encoding="utf-8")
    outcome = cli("eval", str(path), "--format", "json")
    data = json.loads(outcome.stdout)
    jsonschema.validate(data, json.loads((SCHEMAS / "result.schema.json").read_text(encoding="utf-8")))
    assert data["expect"] == [
        {"name": "产出", "target": "产出", "published": 80.5, "computed": 80, "published_text": "80.5",
         "computed_text": "80.00", "equal": False},
        {"name": "总分 total", "target": "total", "published": 80, "computed": 80, "published_text": "80",
         "computed_text": "80.00", "equal": True},
        {"name": "等级 grade", "target": "grade", "published": "实施比较顺利", "computed": "良",
         "published_text": "实施比较顺利", "computed_text": "良（文字等级，不比较）", "equal": None},
    ]
    assert outcome.exit_code == 1  # 产出 differs (PR308); the verbal grade is not a difference
    table = cli("eval", str(path)).stdout
    assert "  ✗ 产出         80.5 → 80.00\n  ✓ 总分 total   80 → 80.00\n  – 等级 grade   实施比较顺利 → 良（文字等级，不比较）\n" in table


def test_a_bare_grade_that_is_no_band_is_not_compared_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "g.perf"
    path.write_text(ROWS + "expect { total 100 grade 优秀 }\n", encoding="utf-8")
    data = json.loads(cli("eval", str(path), "--format", "json").stdout)
    assert data["expect"][1]["equal"] is None and data["expect"][1]["computed_text"] == "优（不是分数段，不比较）"
    english = json.loads(cli("eval", str(path), "--format", "json", "--lang", "en").stdout)
    assert english["expect"][1]["computed_text"] == "优 (not a band, not compared)"
    assert [f["code"] for f in data["findings"] if f["code"].startswith("PR30")] == ["PR303"]


# ---------------------------------------------------------------- 5. a printed score above what the row (or the table) can give

OVER = """\
ruleset "x" { year 2023 }
dimension 产出 weight 60 {
  指标 >= 10 人 weight 10
  质量 qualitative weight 20
  其他 >= 5 个 weight 30
}
dimension 效益 weight 40 {
  满意度 >= 90% weight 40
}
actuals {
  指标 = 12 人 score 15 review 12
  质量 = 达成 score 25
  其他 = 5 个 score 30 review 29
  满意度 = 95% score 40
}
expect { 产出 65 效益 39 total 105 }
"""


def test_a_score_above_the_rows_weight_or_the_full_marks_is_said_with_both_figures() -> None:
    found = [(f.key, f.severity.value, f.message()) for f in load(OVER).findings if f.code in ("PR301", "PR306", "PR308")]
    assert found == [
        ("PR301.over", "error", "指标 公布得分 15 超过该行的分值 10：这一行最多得 10 分"),
        ("PR301.review_over", "error", "指标 复核分 12 超过该行的分值 10：这一行最多得 10 分"),
        ("PR301.over", "error", "质量 公布得分 25 超过该行的分值 20：这一行最多得 20 分"),  # not also PR306
        ("PR301.review", "error", "其他 复核分 29，按规则（比例法）应得 30.00"),  # within the weight: the plain mismatch
        ("PR308.over", "error", "核对 产出：公布数 65 超过满分 60（计算结果 60.00）"),
        ("PR308", "error", "核对 效益：公布数 39，计算结果 40.00"),
        ("PR308.over", "error", "核对 总分 total：公布数 105 超过满分 100（计算结果 100.00）"),
    ]
    english = [f.message("en") for f in load(OVER).findings if f.key == "PR308.over"]
    assert english == ["expect 产出: the published 65 exceeds the full marks 60 (computed 60.00)",
                       "expect total: the published 105 exceeds the full marks 100 (computed 100.00)"]


def test_a_score_equal_to_the_weight_is_no_finding() -> None:
    text = "a >= 10 个 weight 10\n质量 qualitative weight 90\nactuals {\n  a = 10 个 score 10 review 10\n  质量 = 达成 score 90\n}\n"
    assert not [f for f in load(text + "expect { total 100 }\n").findings if f.code in ("PR301", "PR306", "PR308")]


def test_pr306_writes_its_bounds_as_numbers() -> None:
    """PR306 printed its bounds with an exponent (「16–2E+1 分」)."""
    (finding,) = [f for f in load("质量 qualitative weight 20\nb >= 1 个 weight 80\nactuals {\n  质量 = 达成 score 12\n"
                                  "  b = 1 个\n}\n").findings if f.code == "PR306"]
    assert finding.message() == "质量 评为「达成」，公布得分 12 不在 16–20 分之间"


# ---------------------------------------------------------------- 9. what perfrules adds to a row's actual and target, in the reader's language

LATE = """\
ruleset "x" { year 2023 }
完成时间 <= 2023-12-31 weight 40 deduct 1 per 天
制度健全性 elements ①:40% ②③④:20% weight 30
质量 qualitative weight 20
其他 >= 1 个 weight 10 na
actuals {
  完成时间 = 2024-01-03
  制度健全性 = 具备 ①②④
  质量 = 达成
}
"""


def test_a_late_date_and_a_checklist_row_read_in_english_under_lang_en(tmp_path: Path) -> None:
    path = tmp_path / "late.perf"
    path.write_text(LATE, encoding="utf-8")
    english = cli("eval", str(path), "--lang", "en")
    out = english.stdout + english.stderr
    assert "2024-01-03 (3 day(s) late)" in out and "逾期" not in out
    assert "elements ①40% ②③④ 20% each" in out and "has ①②④" in out and "要素" not in out and "具备" not in out
    assert "20  qualitative                 达成 100%" in out
    chinese = cli("eval", str(path)).stdout
    assert "2024-01-03（逾期 3 天）" in chinese and "要素 ①40% ②③④各20%" in chinese and "具备 ①②④" in chinese
    data = json.loads(cli("eval", str(path), "--lang", "en", "--format", "json").stdout)
    rows = {i["name"]: (i["target"], i["actual_text"]) for i in data["indicators"]}
    assert rows == {"完成时间": ("<= 2023-12-31", "2024-01-03 (3 day(s) late)"),
                    "制度健全性": ("elements ①40% ②③④ 20% each", "has ①②④"),
                    "质量": ("qualitative", "达成 100%"), "其他": (">= 1 个", "n/a")}
    for fmt in ("markdown", "html"):
        page = cli("eval", str(path), "--lang", "en", "--format", fmt).stdout
        assert "3 day(s) late" in page and "逾期" not in page, fmt


def test_findings_say_the_late_date_in_the_readers_language() -> None:
    loaded = load(LATE)
    (missed,) = [f for f in loaded.findings if f.code == "PR203" and f.arg("name") == "完成时间"]
    assert missed.message() == "完成时间 未按期完成：目标 <= 2023-12-31，实际 2024-01-03（逾期 3 天）"
    assert missed.message("en").endswith("actual 2024-01-03 (3 day(s) late)")


# ---------------------------------------------------------------- 6. a rate never displays on the other side of a boundary it scored against

NEAR = """\
ruleset "x" { year 2023 }
满意度 >= 100% weight 50 steps 100%:10 95%:9 otherwise 6
质量 qualitative weight 30
就业率 >= 80% weight 10
覆盖率 >= 80% weight 10
actuals {
  满意度 = 99.99999999%
  质量 = 部分达成 79.999999%
  就业率 = 79.9999%
  覆盖率 = 79.9%
}
"""


@pytest.mark.parametrize(("rate", "bounds", "places"), [
    ("0.9999999999", ("1",), 8), ("0.99995", ("1",), 3), ("0.9999", ("1",), 2), ("1", ("1",), 2),
    ("0.79999999", ("1", "0.8", "0.6"), 6), ("0.949999", ("1", "0.95"), 4), ("1.34405", ("1",), 2),
])
def test_rate_places_keep_the_display_on_the_side_of_each_boundary(rate: str, bounds: tuple[str, ...], places: int) -> None:
    assert display.rate_places(D(rate), tuple(D(b) for b in bounds)) == places


def test_a_rate_just_below_a_boundary_shows_why_it_scored_the_lower_step(tmp_path: Path) -> None:
    path = tmp_path / "near.perf"
    path.write_text(NEAR, encoding="utf-8")
    table = cli("eval", str(path)).stdout
    assert "满意度    50  >= 100%  99.99999999%         99.99999999%   9.00" in table
    assert "部分达成 79.999999%    79.999999%  24.00" in table
    assert "  99.9999%" in table and "  99.88%" in table and "100.00%" not in table
    loaded = load(NEAR)
    missed = {f.arg("name"): f.arg("rate") for f in loaded.findings if f.code == "PR203"}
    assert missed["满意度"] == "99.99999999%" and missed["覆盖率"] == "99.88%"
    data = json.loads(cli("eval", str(path), "--format", "json").stdout)
    assert {i["name"]: i["completion"] for i in data["indicators"]} == {
        "满意度": 99.99999999, "质量": 79.999999, "就业率": 99.9999, "覆盖率": 99.88}
    page = cli("eval", str(path), "--format", "markdown").stdout
    assert "| 99.99999999% | 9.00 |" in page and "100.00%" not in page
    xlsx = tmp_path / "near.xlsx"
    assert cli("eval", str(path), "--format", "xlsx", "-o", str(xlsx)).exit_code in (0, 1)
    from openpyxl import load_workbook

    formats = {cell.number_format for row in load_workbook(xlsx).active.iter_rows() for cell in row
               if isinstance(cell.value, str) and cell.value.startswith("=") and "%" in cell.number_format}
    assert "0.00000000%" in formats  # 满意度's completion cell, eight places


def test_a_levels_rows_target_reads_in_english_too(tmp_path: Path) -> None:
    path = tmp_path / "lv.perf"
    path.write_text("立项依据充分性 levels 优:100% 良:80% 中:60% 差:0 weight 100\nactuals {\n  立项依据充分性 = 良\n}\n",
                    encoding="utf-8")
    assert "levels 优100% 良80% 中60% 差0%" in cli("eval", str(path), "--lang", "en").stdout
    assert "等次 优100% 良80% 中60% 差0%" in cli("eval", str(path)).stdout
