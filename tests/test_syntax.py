"""The grammar and the line-wise parser: every construct, spans, and syntax errors."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from perfrules.syntax import ast, parse, parse_value
from perfrules.syntax.source import caret_line, display_width, normalise

from conftest import syntax


def doc(text: str) -> ast.Document:
    import textwrap

    document, findings = parse(textwrap.dedent(text), "t.perf")
    assert findings == [], [f.message() for f in findings]
    return document


def test_the_briefs_line_parses_as_written() -> None:
    (ind,) = doc("资格认证人数 >= 60000 weight 5 cap 100%\n").body
    assert isinstance(ind, ast.Indicator)
    assert ind.name.text == "资格认证人数"
    assert ind.comparator == ">="
    assert ind.target == ast.Quantity(Decimal(60000), None, ind.target.span)  # type: ignore[union-attr]
    assert ind.clauses.weight == Decimal(5)
    assert ind.clauses.cap is not None and ind.clauses.cap.value == 100 and ind.clauses.cap.unit == "%"


def test_spans_point_at_the_written_text() -> None:
    (section,) = doc("group 数量 {\n  资格认证人数 >= 60000 人 weight 5\n}\n").body
    assert isinstance(section, ast.Section)
    assert (section.span.line, section.span.end_line) == (1, 3)
    (ind,) = section.children
    assert isinstance(ind, ast.Indicator)
    assert (ind.name.span.line, ind.name.span.column, ind.name.span.end_column) == (2, 3, 9)
    assert ind.target is not None
    assert (ind.target.span.column, ind.target.span.end_column) == (13, 20)  # "60000 人"
    assert ind.clauses.span_of("weight") is not None
    assert ind.clauses.span_of("weight").column == 21  # type: ignore[union-attr]


@pytest.mark.parametrize("comparator, written", [(">=", ">="), ("<=", "<="), (">", ">"), ("<", "<"),
                                                 ("=", "="), (">=", "≥"), ("<=", "≤"), (">=", "≧"), ("<=", "≦")])
def test_comparators(comparator: str, written: str) -> None:
    (ind,) = doc(f"指标 {written} 5 人 weight 1\n").body
    assert isinstance(ind, ast.Indicator) and ind.comparator == comparator


def test_input_method_characters_are_accepted() -> None:
    (ind,) = doc("满意度　＞＝　９５％　权重　１０\n").body
    assert isinstance(ind, ast.Indicator)
    assert ind.comparator == ">=" and ind.target is not None
    assert ind.target.value == Decimal(95) and ind.target.unit == "%"
    assert ind.clauses.weight == Decimal(10)


def test_normalise_keeps_columns_and_quoted_text() -> None:
    line = '"（≥**人）" ＞＝ ６０％'
    out = normalise(line)
    assert len(out) == len(line)
    assert out.startswith('"（≥**人）"') and out.endswith(">= 60%")


def test_full_width_brackets_belong_to_a_bare_name() -> None:
    (ind,) = doc("资金到位率（%） >= 100% weight 4\n").body
    assert isinstance(ind, ast.Indicator) and ind.name.text == "资金到位率（%）"


def test_quoted_names_take_any_text() -> None:
    (ind,) = doc('"★★★农村低保发放人数(按月平均)(≥**人)" >= 8755 人 weight 10\n').body
    assert isinstance(ind, ast.Indicator)
    assert ind.name.text == "★★★农村低保发放人数(按月平均)(≥**人)" and ind.name.quoted


def test_keyword_glued_to_a_number_reads_as_two_tokens() -> None:
    (ind,) = doc("资格认证人数 >= 60000 人 权重5\n").body
    assert isinstance(ind, ast.Indicator) and ind.clauses.weight == Decimal(5)


def test_names_may_contain_digits_inside() -> None:
    (ind,) = doc("第1季度完成率 >= 25% weight 5\n").body
    assert isinstance(ind, ast.Indicator) and ind.name.text == "第1季度完成率"


def test_keywords_are_names_where_no_keyword_fits() -> None:
    document = doc("""\
        dimension 产出 weight 10 {
          实际 >= 1 人 weight 10
        }
        """)
    (section,) = document.body
    assert isinstance(section, ast.Section)
    assert section.children[0].name.text == "实际"  # type: ignore[union-attr]


def test_every_construct() -> None:
    document = doc("""\
        # comment
        use std/evaluation
        ruleset "项目" {
          year 2023
          kind 评价
          rounding 2 half-up
          total 100
          tiers 80% 60%
        }
        grades { 优 >= 90  良 >= 80  中 >= 60  差 otherwise }
        policy {
          over_completion 200%
        }
        facts {
          预算 = 100 万元
          执行 = 预算 * 0.5
          到位 万元
        }
        dimension 产出 weight 60 {
          group 数量 {
            group 细分 weight 10 {
              a >= 5 场 weight 5
              b <= 260 元/人/年 weight 5 method linear
            }
          }
          c = 100% weight 10 method equal
          d in 90% ~ 110% weight 10
          e = 执行 / 预算 >= 100% weight 10
          f qualitative "逐步提高" weight 10
          g >= 100% weight 10 steps 100%:10 90%:8 otherwise 2 tiers 80% 50%
          h >= 100% 权重 5 扣 1 每差 3% 封顶 120%
          i >= 1 人 weight 0 不适用
        }
        check 成本: a * 2 <= 预算 severity warning tolerance 5%
        actuals {
          a = 6 场 reason "多办了一场"
          b = 300 score 4.2
            偏差原因 "物价上涨"
          f = 达成 90%
          g = 部分达成年度指标并具有一定效果 70%
          i = 不适用
          c = "完成"
        }
        expect { 产出 55.5  total 90  grade 优 }
        """)
    assert document.meta.year == 2023 and document.meta.kind is not None and document.meta.kind.text == "评价"
    assert document.meta.rounding_places == 2 and document.meta.rounding_mode == "half-up"
    assert [u.path for u in document.uses] == ["std/evaluation"]
    assert [b.name.text for b in document.grades] == ["优", "良", "中", "差"]
    assert [f.name.text for f in document.facts] == ["预算", "执行", "到位"]
    assert document.facts[2].expr is None and document.facts[2].unit == "万元"
    assert document.policy[0].key.text == "over_completion"
    (section, check) = document.body
    assert isinstance(section, ast.Section) and isinstance(check, ast.Check)
    inner = section.children[0]
    assert isinstance(inner, ast.Section) and isinstance(inner.children[0], ast.Section)
    by_name = {c.name.text: c for c in section.children if isinstance(c, ast.Indicator)}
    assert by_name["c"].comparator == "=" and by_name["c"].formula is None
    assert by_name["d"].comparator == "in" and by_name["d"].target_high is not None
    assert by_name["e"].formula is not None and by_name["e"].comparator == ">="
    assert by_name["f"].qualitative and by_name["f"].target_text == "逐步提高"
    assert len(by_name["g"].clauses.steps) == 2 and by_name["g"].clauses.steps_otherwise is not None
    assert by_name["h"].clauses.deduct is not None and by_name["h"].clauses.cap is not None
    assert by_name["i"].clauses.na
    assert check.severity is not None and check.tolerance is not None
    actual = {a.name.text: a for a in document.actuals}
    assert actual["a"].reason == "多办了一场"
    assert actual["b"].score == Decimal("4.2") and actual["b"].reason == "物价上涨"
    assert actual["f"].value is not None and actual["f"].value.tier == "达成"
    assert actual["g"].value is not None and actual["g"].value.tier == "部分达成年度指标并具有一定效果"
    assert actual["i"].value is not None and actual["i"].value.kind == "na"
    assert actual["c"].value is not None and actual["c"].value.kind == "text"
    assert [e.target for e in document.expect] == ["产出", "total", "grade"]


def test_chinese_keyword_aliases() -> None:
    document = doc("""\
        规则集 "项目" {
          年度 2023
          类型 自评
        }
        维度 产出 权重 100 {
          分组 数量 分值 100 {
            a >= 5 场 权重 50 封顶 100%
            b 定性 权重 50
          }
        }
        实际 {
          a = 5 场 原因 "无"
          b = 达成年度指标
        }
        核对 { 总分 100  评级 优 }
        """)
    assert document.meta.year == 2023
    assert document.body[0].name.text == "产出"  # type: ignore[union-attr]
    assert [a.name.text for a in document.actuals] == ["a", "b"]
    assert [e.target for e in document.expect] == ["total", "grade"]


# ---------------------------------------------------------------- errors


def test_several_errors_are_reported_each_on_its_line() -> None:
    findings = syntax("""\
        dimension 产出 weight 100 {
          a >= 5 人 weight
          b >= 5 人 weight 50
          c ?? 5 人 weight 50
        }
        """)
    assert [(f.code, f.span.line) for f in findings] == [("PR001", 2), ("PR001", 4)]  # type: ignore[union-attr]


def test_error_says_what_was_expected_in_words() -> None:
    (finding,) = syntax("a >= 5 人 weight\n")
    assert finding.message() == "本行不完整，应为数字"
    assert finding.message("en") == "incomplete line; expected a number"


def test_missing_comparator_gets_a_hint() -> None:
    (finding,) = syntax("资格认证人数 60000 人 weight 5\n")
    assert finding.span is not None and finding.span.column == 8
    assert "比较符" in finding.hint() and "comparator" in finding.hint("en")


def test_unclosed_string_hint() -> None:
    (finding,) = syntax('"未闭合的名称 >= 5 weight 1\n')
    assert finding.hint_key == "unclosed_string"


def test_thousands_separator_hint() -> None:
    (finding,) = syntax("人数 >= 60,00 人 weight 5\n")  # 60,000 is a number (thousands in groups of three)
    assert finding.hint_key == "thousands"


def test_unclosed_block_names_its_opening_line() -> None:
    findings = syntax("""\
        dimension 产出 weight 100 {
          a >= 5 人 weight 100
        """)
    assert [(f.code, f.key, f.span.line) for f in findings] == [("PR002", "PR002.unclosed", 1)]  # type: ignore[union-attr]


def test_stray_closing_brace() -> None:
    (finding,) = syntax("a >= 5 人 weight 100\n}\n")
    assert finding.key == "PR002.stray" and finding.span is not None and finding.span.line == 2


def test_a_broken_header_does_not_hide_its_block() -> None:
    findings = syntax("""\
        dimension 产出 weight {
          a >= 5 人 weight ?
        }
        b >= 1 weight 1
        """)
    assert [f.span.line for f in findings] == [1, 2]  # type: ignore[union-attr]


def test_caret_sits_under_the_character_by_display_width() -> None:
    (finding,) = syntax("资格认证人数 ?? 5\n")
    assert finding.span is not None
    caret = caret_line(finding.source_line, finding.span.column)
    assert caret == " " * (display_width("资格认证人数 ")) + "^"
    assert display_width("资格认证人数 ") == 13


def test_parse_value_reads_data_file_strings() -> None:
    value, findings = parse_value("达成 90%")
    assert findings == [] and value is not None and value.tier == "达成"
    assert value.quantity is not None and value.quantity.value == 90
    value, findings = parse_value("80646 人")
    assert value is not None and value.quantity is not None and value.quantity.unit == "人"
    value, findings = parse_value("很 多")
    assert value is None and findings[0].code == "PR001"
    value, findings = parse_value("很多")  # one word is a level (`= 良`); data files keep it as text (data.actuals)
    assert findings == [] and value is not None and value.kind == "level"


def test_every_message_and_hint_renders_in_both_languages() -> None:
    import string

    from perfrules import messages

    for table, render in ((messages.MESSAGES, messages.render), (messages.HINTS, messages.render_hint)):
        for key, pair in table.items():
            fields = {f for text in pair for _, f, _, _ in string.Formatter().parse(text) if f}
            for lang in ("zh", "en"):
                text = render(key, lang, dict.fromkeys(fields, "X"))
                assert text and not re.search(r"\{[a-z_]+\}", text), (key, lang, text)


def test_syntax_errors_do_not_cascade_into_compile_findings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from perfrules import pipeline

    path = tmp_path / "x.perf"
    path.write_text("dimension 产出 weight 100 {\n  a >= 1 weight 50\n  b >= weight 50\n}\nr = a / b >= 1 weight 1\n",
                    encoding="utf-8")
    run = pipeline.compile_file(path)
    assert [f.code for f in run.findings] == ["PR001"]


def test_expected_tokens_are_exact_for_the_context() -> None:
    (finding,) = syntax("资格认证人数 >= 60000 人 weigth 5\n")
    assert finding.hint_key == "keyword_typo.word" and finding.hint() == "是不是 weight？"
    words = finding.message()
    assert "weight/权重" in words and "kind" not in words and ":" not in words


def test_an_escaped_quote_keeps_a_hash_inside_the_text() -> None:
    (ind,) = doc('"a \\" # b（c）" >= 1 weight 100  # 注释\n').body
    assert isinstance(ind, ast.Indicator) and ind.name.text == 'a " # b（c）'
