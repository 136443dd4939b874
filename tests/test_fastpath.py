"""The fast path against lark: whenever `fastpath` reads a line, lark reads it the same way.

Same node (class, fields, spans, Decimal exponents: compared by `repr` as well as `==`), no
findings from lark, and whole documents identical with and without the fast path. Lines come
from every rule file in the repository, the benchmark generator, the check cases, hand-picked
corners, and hypothesis (random token soup and lines shaped like the grammar's).
"""

from __future__ import annotations

import gc
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfrules.findings import Finding
from perfrules.syntax import ast, fastpath, parser, source, tokens
from perfrules.syntax.parser import START, parse, parse_value
from perfrules.syntax.source import FULL_WIDTH, FULL_WIDTH_BRACKETS, QUOTES, split_lines

from conftest import ROOT

RULESETS = sorted((ROOT / "rulesets").rglob("*.perf"))
CHECK_CASES = sorted((ROOT / "tests" / "fixtures" / "check_cases").glob("*.yml"))
STARTS = sorted({*START.values(), "value_line"})
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate: Callable[[int, int], str] = _generator().generate


# ---------------------------------------------------------------- helpers


def lark_line(code: str, start: str, number: int = 3) -> tuple[Any, list[Finding]]:
    return parser.lark_read(code, start, "<t>", number)


def same_as_lark(code: str, start: str, number: int = 3) -> bool:
    """Whether the fast path read the line; when it did, lark must read it the same way."""
    fast = fastpath.parse_line(code, start, "<t>", number)
    if fast is None:
        return False
    slow, findings = lark_line(code, start, number)
    assert not findings, f"fast path read a line lark rejects: {code!r} ({start}): {[f.message() for f in findings]}"
    assert repr(fast) == repr(slow), f"{code!r} ({start})\nfast: {fast!r}\nlark: {slow!r}"
    assert fast == slow
    return True


def statements(text: str) -> list[tuple[str, str, int]]:
    """(code, start rule, line number) of every statement line, as `parse` meets them."""
    seen: list[tuple[str, str, int]] = []
    real = fastpath.line_parser

    def spy(start: str) -> Callable[[str, str, int], Any]:
        parse_line = real(start)

        def record(code: str, file: str, number: int) -> Any:
            seen.append((code, start, number))
            return parse_line(code, file, number)

        return record

    with mock.patch.object(fastpath, "line_parser", spy):
        parse(text)
    return seen


@contextmanager
def lark_only() -> Iterator[None]:
    with mock.patch.object(fastpath, "line_parser", lambda start: lambda code, file, number: None):
        yield


def assert_same_document(text: str) -> None:
    fast_doc, fast_findings = parse(text, "t.perf")
    with lark_only():
        slow_doc, slow_findings = parse(text, "t.perf")
    assert repr(fast_doc) == repr(slow_doc)
    assert fast_doc == slow_doc
    assert [repr(f) for f in fast_findings] == [repr(f) for f in slow_findings]


def check_case_texts() -> list[str]:
    texts = []
    for path in CHECK_CASES:
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(case, dict) and isinstance(case.get("rules"), str):
                texts.append(case["rules"])
    return texts


EVERY_CONSTRUCT = """\
# comment
use std/evaluation
use "std/self_evaluation"
ruleset "项目" {
  year 2023
  kind 评价
  rounding 2 half-up
  total 100
  tiers 80% 60%
}
ruleset "一行" { year 2024 rounding 3 total 100 }
grades { 优 >= 90  良 > 80  中 = 60  差 otherwise }
grades {
  优 >= 90 良 >= 80
  差 其他
}
policy {
  over_completion 200%
  mode strict
  note "说明"
}
facts {
  预算 = 100 万元
  执行 = 预算 * 0.5
  到位 万元
  比例 %
  人均 = 预算 / 人数 + 2 - 1
  单价 元 / 人
}
dimension 产出 weight 60 {
  group 数量 {
    group 细分 weight 10 cap 100% {
      a >= 5 场 weight 5
      b <= 260 元/人/年 weight 5 method linear
    }
  }
  c = 100% weight 10 method equal
  c2 = 5 人
  d in 90% ~ 110% weight 10
  d2 介于 1 人 ~ 2 人
  e = 执行 / 预算 >= 100% weight 10
  e2 = 执行 / 预算
  e3 = "执行" / "预算" ≥ 95%
  f qualitative "逐步提高" weight 10
  f2 定性 “有效保障”
  f3 qualitative
  g >= 100% weight 10 steps 100%:10 90%:8 otherwise 2 tiers 80% 50%
  g2 >= 100% 阶梯 100%:10 95%:9 90%:8 其他 6 分值 3
  h >= 100% 权重 5 扣 1 每差 3% 封顶 120%
  h2 >= 100%权重5扣1每差3%
  i >= 1 人 weight 0 不适用
  i2 >= 1 人 n/a weight 1 档次 90% 60% 计分 linear
  "带 空格 的名字" >= 3 个 weight 1
  资金到位率（%） >= 100% weight 1
  weights >= 1 weight 1
  in1 < 5 天 weight 1
  j ≧ 5 ≦ weight 1
}
check 成本: a * 2 <= 预算 severity warning tolerance 5%
check: a + b - c * d / e >= 1 人 容差 1 级别 error
校验 "标签": a == b
actuals {
  a = 6 场 reason "多办了一场"
  b = 300 score 4.2
    偏差原因 "物价上涨"
    score 4
    reason “说明” 得分 3
  f = 达成 90%
  f2 = 达成90%
  f3 = 达成
  g = 部分达成年度指标并具有一定效果 70%
  i = 不适用
  i2 = n/a reason "无"
  i3 = na
  c = "完成"
  e 原因 "派生指标"
  "带 空格 的名字" = 3 个
  h = 1.50 元 / 人
}
expect { 产出 55.5  total 90  grade 优 }
核对 { "带 空格 的名字" 1  总分 90  评级 良 }
expect {
  产出 55.5
  total 90 grade 优
}
"""


# ---------------------------------------------------------------- the terminals are the grammar's


def test_terminals_are_spelled_as_in_the_grammar() -> None:
    terminals = {t.name: t.pattern for t in parser.lark_parser().terminals}
    keyword_names = {name for name in terminals if terminals[name].to_regexp().endswith(tokens.WORD_END)}
    assert keyword_names == set(tokens.KEYWORDS)
    for name, spellings in tokens.KEYWORDS.items():
        assert sorted(parser._spellings(terminals[name].value)) == sorted(spellings), name
    assert terminals["NAME"].value == tokens.NAME
    assert terminals["NUMBER"].value == tokens.NUMBER
    assert terminals["STRING"].to_regexp().replace("\n", "\\n") == tokens.STRING  # lark keeps `\n` unescaped
    for spelling in tokens.COMPARATOR_SPELLINGS:
        matched = [name for name in ("GE", "LE", "GT", "LT", "EQ") if re.fullmatch(terminals[name].to_regexp(), spelling)]
        assert [fastpath.COMPARATORS[m] for m in matched] == [tokens.COMPARATOR_SPELLINGS[spelling]]


NAME_CHARS = [*"ab_Z9０1（）%‰/.、·字率 -\"“”\\x", "达成", "权重", "in", "n/a"]


@SETTINGS
@given(text=st.lists(st.sampled_from(NAME_CHARS), max_size=12).map("".join))
def test_fast_name_and_string_match_what_the_grammars_terminals_match(text: str) -> None:
    pairs = [(re.compile(tokens.NAME), re.compile(tokens.FAST_NAME)),
             (re.compile(tokens.STRING), re.compile(tokens.FAST_STRING))]
    for grammar, fast in pairs:
        for pos in range(len(text) + 1):
            expected, got = grammar.match(text, pos), fast.match(text, pos)
            assert (expected and expected.group()) == (got and got.group()), (text, pos)


# ---------------------------------------------------------------- every line of real and generated files


@pytest.mark.parametrize("path", RULESETS, ids=[p.name for p in RULESETS])
def test_every_line_of_the_rulesets_takes_the_fast_path_and_reads_as_lark_reads_it(path: Path) -> None:
    lines = statements(path.read_text(encoding="utf-8"))
    assert lines
    missed = [(code, start) for code, start, number in lines if not same_as_lark(code, start, number)]
    assert not missed


@pytest.mark.parametrize(("n", "seed"), [(4, 0), (37, 1), (150, 2), (400, 3)])
def test_every_line_of_generated_rulesets_takes_the_fast_path(n: int, seed: int) -> None:
    text = generate(n, seed)
    lines = statements(text)
    missed = [(code, start) for code, start, number in lines if not same_as_lark(code, start, number)]
    assert not missed
    assert_same_document(text)


def test_every_construct_reads_as_lark_reads_it() -> None:
    lines = statements(EVERY_CONSTRUCT)
    taken = [same_as_lark(code, start, number) for code, start, number in lines]
    # left to lark: a name where a keyword can be read (`in1`: lark reads a name there), and an error
    left = [code.strip() for (code, _, _), fast in zip(lines, taken, strict=True) if not fast]
    assert left == ["in1 < 5 天 weight 1", "j ≧ 5 ≦ weight 1"]
    assert_same_document(EVERY_CONSTRUCT)


def test_check_case_rules_read_as_lark_reads_them() -> None:
    texts = check_case_texts()
    assert texts
    taken = 0
    for text in texts:
        for code, start, number in statements(text):
            taken += same_as_lark(code, start, number)
        assert_same_document(text)
    assert taken > 100


def test_documents_with_errors_are_the_same_with_and_without_the_fast_path() -> None:
    broken = EVERY_CONSTRUCT.replace("a >= 5 场 weight 5", "a >= 5 场 weight 5 weight 6").replace(
        "  b = 300 score 4.2", "  b == score 4.2\n  b = 1,000 人").replace("grades {\n", "grades {{\n")
    for text in (broken, EVERY_CONSTRUCT + "\n}\n", "dimension 产出 {\n  a >= 1\n", "reason \"x\"\nactuals {\n  score 4\n}"):
        assert_same_document(text)


# ---------------------------------------------------------------- corners


@pytest.mark.parametrize(("code", "start", "fast"), [
    ("a >= 5 weight 3", "section_line", True),  # no unit: `weight` is the clause
    ("a >= 5 weightx 3", "section_line", False),  # a unit `weightx`, then a stray number: lark's error
    ("a >= 5 人weight 3", "section_line", False),  # the unit is `人weight`
    ("a >= 5 weight3", "section_line", True),  # `weight3` reads as `weight 3`
    ("权重5 >= 3", "section_line", False),  # WEIGHT 5 at the start: lark's error
    ("达成率 >= 3%", "section_line", True),  # a whole word only: `达成率` is a name
    ("a >= 5 weight 3 weight 4", "section_line", False),  # written twice: lark's PR005
    ("a >= 5 元 / 2 weight 1", "section_line", False),  # the `/` goes on with the unit
    ("a = 5 元 / 人", "facts_line", True),
    ("a = 5 元 / 2", "facts_line", False),
    ("a = 5 / 2", "facts_line", True),
    ("a = -5", "facts_line", False),  # unary minus: lark's
    ("a = (b + c) * 2", "facts_line", False),  # brackets: lark's
    ("total = 5", "facts_line", False),  # a keyword where a name is expected: lark's call
    ("a weight", "facts_line", False),  # lark reads WEIGHT after a name, not a unit
    ("a 人 / weight", "facts_line", False),  # lark reads a unit `人/weight`: left to lark all the same
    ("use std/evaluation", "top_line", True),
    ("use weight/b", "top_line", False),
    ("group 产出 weight 5 {", "section_line", True),
    ("group 产出 weight 5 { a >= 1 }", "section_line", False),
    ("dimension 产出 {", "top_line", True),
    ("facts {", "section_line", False),
    ("facts {", "top_line", True),
    ("  reason \"x\" score 3", "actuals_line", True),
    ("a reason \"x\"", "actuals_line", True),
    ("a", "actuals_line", False),
    ("a =", "actuals_line", False),
    ("a = 达成 90% 得分 3 原因 \"x\"", "actuals_line", True),
    ("a = 5 reason", "actuals_line", False),
    ("达成 90%", "value_line", True),
    ("80646 人", "value_line", True),
    ("很多", "value_line", False),
    ("a >= 5 ~ 6", "section_line", False),
    ("a in 5 ~", "section_line", False),
    ("a >= 5 steps 100%:1 otherwise", "section_line", False),
    ("a >= 5 steps otherwise 1", "section_line", False),
    ("a qualitative \"x\" \"y\"", "section_line", False),
    ("a qualitative \"unclosed", "section_line", False),
    ("a >= 5 method weight", "section_line", False),  # a keyword as the method's name: lark's call
    ("check a: b <= c severity", "section_line", False),
    ("year 2023 kind", "meta_line", False),
    ("优 >= 90 良", "grades_line", False),
    ("产出 55.5 total", "expect_line", False),
    ("key 5 人 extra", "policy_line", False),
])
def test_corners(code: str, start: str, fast: bool) -> None:
    assert same_as_lark(code, start) == fast


# ---------------------------------------------------------------- hypothesis: token soup and grammar-shaped lines

KEYWORD_SPELLINGS = sorted(spelling for spellings in tokens.KEYWORDS.values() for spelling in spellings)
NAMES = ["a", "b1", "x_y", "Ab9c", "资金到位率", "资金到位率（%）", "第12子项目", "权重5", "weights", "达成率", "in1", "n",
         "（%）率", "人（元/人）", "ab12", "a1b", "年度目标", "扣分", "分组5", "金额（万元）", "nab"]
NUMBERS = ["0", "5", "12.5", "100", "007", "1.", "3.14159", "٣", "１０"]
UNITS = ["%", "‰", "人", "元/人", "元 / 人 / 年", "万元", "人次", "场", "％", "个（户）"]
STRINGS = ['"x"', '"a\\"b"', "“逐步提高”", '""', '"带 # 号"', '"未闭合', "“未闭合"]
SYMBOLS = [">=", "<=", ">", "<", "=", "==", "≥", "≤", "≧", "≦", "~", ":", "/", "{", "}", "+", "-", "*", "(", ")", ",",
           "> =", "%", "＞＝", "～", "：", "（", "）", "\u3000", "\t", "★", "#", "＃ 注", ";"]
TOKEN = st.one_of(st.sampled_from(KEYWORD_SPELLINGS), st.sampled_from(NAMES), st.sampled_from(NUMBERS),
                  st.sampled_from(UNITS), st.sampled_from(STRINGS), st.sampled_from(SYMBOLS))
GAP = st.sampled_from(["", " ", " ", "  "])


@st.composite
def soup(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(st.tuples(GAP, TOKEN), min_size=1, max_size=9))
    return draw(st.sampled_from(["", "  ", "\t"])) + "".join(gap + token for gap, token in tokens)


def spelled(terminal: str) -> st.SearchStrategy[str]:
    return st.sampled_from(tokens.KEYWORDS[terminal])


NAME = st.one_of(st.sampled_from(NAMES), st.sampled_from(['"名 字"', "“名字”"]), st.sampled_from(KEYWORD_SPELLINGS))
NUMBER = st.sampled_from(NUMBERS[:6])
CMP = st.sampled_from([">=", "<=", ">", "<", "≥", "≤", "≧", "≦", "=", "=="])


@st.composite
def quantity(draw: st.DrawFn) -> str:
    unit = draw(st.one_of(st.just(""), st.sampled_from(UNITS), st.sampled_from(KEYWORD_SPELLINGS)))
    return draw(NUMBER) + draw(GAP) + unit


@st.composite
def clause(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["WEIGHT", "CAP", "METHOD", "STEPS", "DEDUCT", "NA", "TIERS"]))
    word = draw(spelled(kind))
    if kind == "WEIGHT":
        return f"{word} {draw(NUMBER)}"
    if kind == "CAP":
        return f"{word} {draw(quantity())}"
    if kind == "METHOD":
        return f"{word} {draw(NAME)}"
    if kind == "STEPS":
        steps = draw(st.lists(st.tuples(quantity(), GAP, quantity()), min_size=0, max_size=3))
        tail = f" {draw(spelled('OTHERWISE'))} {draw(quantity())}" if draw(st.booleans()) else ""
        return word + "".join(f" {a}:{gap}{b}" for a, gap, b in steps) + tail
    if kind == "DEDUCT":
        return f"{word} {draw(NUMBER)} {draw(spelled('PER'))} {draw(quantity())}"
    if kind == "TIERS":
        return f"{word} {draw(quantity())} {draw(quantity())}"
    return word


@st.composite
def shaped(draw: st.DrawFn) -> tuple[str, str]:
    """A line shaped like one of the grammar's statements (often valid, sometimes not), and its start rule."""
    name, gap = draw(NAME), draw(GAP)
    clauses = " ".join(draw(st.lists(clause(), max_size=3)))
    expr = draw(st.one_of(NAME, quantity()))
    for _ in range(draw(st.integers(0, 2))):
        expr += f" {draw(st.sampled_from(['+', '-', '*', '/']))} {draw(st.one_of(NAME, quantity()))}"
    value = draw(st.one_of(quantity(), spelled("NA"), st.sampled_from(STRINGS[:3]),
                           st.tuples(spelled("TIER"), st.one_of(st.just(""), quantity())).map(" ".join)))
    more = " ".join(draw(st.lists(st.one_of(st.tuples(spelled("REASON"), st.sampled_from(STRINGS[:3])).map(" ".join),
                                            st.tuples(spelled("SCORE"), NUMBER).map(" ".join)), max_size=2)))
    choices = [
        ("section_line", f"{name}{gap}{draw(CMP)}{gap}{draw(quantity())} {clauses}"),
        ("section_line", f"{name} {draw(spelled('QUALITATIVE'))} {draw(st.sampled_from(['', *STRINGS[:3]]))} {clauses}"),
        ("section_line", f"{name} {draw(spelled('IN'))} {draw(quantity())} ~ {draw(quantity())} {clauses}"),
        ("top_line", f"{name} = {draw(NAME)} / {draw(NAME)} {draw(CMP)} {draw(quantity())} {clauses}"),
        ("top_line", f"{name} = {draw(quantity())} {clauses}"),
        ("section_line", f"{draw(spelled('GROUP'))} {name} {clauses} {{"),
        ("top_line", f"{draw(spelled('DIMENSION'))} {name} {clauses}{gap}{{"),
        ("top_line", f"{draw(spelled('CHECK'))} {name}: {expr} {draw(CMP)} {expr} {draw(spelled('SEVERITY'))} {draw(NAME)}"),
        ("facts_line", f"{name} = {expr}"),
        ("facts_line", f"{name} {draw(st.sampled_from(UNITS))}"),
        ("actuals_line", f"{name}{gap}={gap}{value} {more}"),
        ("actuals_line", f"{more}"),
        ("value_line", value),
        ("expect_line", f"{name} {draw(NUMBER)} {draw(spelled('TOTAL'))} {draw(NUMBER)} {draw(spelled('GRADE'))} {draw(NAME)}"),
        ("grades_line", f"{draw(NAME)} {draw(CMP)} {draw(NUMBER)} {draw(NAME)} {draw(spelled('OTHERWISE'))}"),
        ("meta_line", f"{draw(spelled('YEAR'))} {draw(NUMBER)} {draw(spelled('KIND'))} {draw(NAME)} "
                      f"{draw(spelled('ROUNDING'))} {draw(NUMBER)} {draw(spelled('ROUND_MODE'))}"),
        ("policy_line", f"{draw(NAME)} {draw(st.one_of(quantity(), NAME, st.sampled_from(STRINGS[:3])))}"),
        ("top_line", f"{draw(spelled('USE'))} {draw(NAME)}/{draw(NAME)}"),
        ("top_line", f"{draw(spelled('GRADES'))} {{ {draw(NAME)} {draw(CMP)} {draw(NUMBER)} }}"),
        ("top_line", f"{draw(spelled('RULESET'))} {name} {{ {draw(spelled('YEAR'))} {draw(NUMBER)} }}"),
    ]
    return draw(st.sampled_from(choices))


def as_code(raw: str) -> str:
    lines = split_lines(raw)
    return lines[0].code.rstrip() if lines else ""


def test_random_lines_read_as_lark_reads_them() -> None:
    taken: list[str] = []

    @SETTINGS
    @given(raw=soup(), start=st.sampled_from(STARTS))
    def soup_line(raw: str, start: str) -> None:
        code = as_code(raw)
        if code.strip() and same_as_lark(code, start):
            taken.append(code)

    @settings(SETTINGS, max_examples=1000)
    @given(line=shaped())
    def shaped_line(line: tuple[str, str]) -> None:
        start, raw = line
        code = as_code(raw)
        for rule in {start, "top_line"} if start == "section_line" else {start}:
            if code.strip() and same_as_lark(code, rule):
                taken.append(code)

    soup_line()
    shaped_line()
    assert len(taken) > 200  # the comparison is not vacuous: many generated lines take the fast path


# ---------------------------------------------------------------- lark stays unimported


def test_parsing_the_rulesets_does_not_import_lark() -> None:
    probe = (
        "import sys, pathlib\n"
        "from perfrules.syntax import parse\n"
        "assert 'lark' not in sys.modules\n"
        "for path in sys.argv[1:]:\n"
        "    document, findings = parse(pathlib.Path(path).read_text(encoding='utf-8'), path)\n"
        "    assert not findings, path\n"
        "print('lark' in sys.modules)\n"
        "parse('a >= 5 weight 3 weight 4')\n"  # a line only lark reads (a PR005): the probe can see lark come in
        "print('lark' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *map(str, RULESETS)], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "True"]


# ---------------------------------------------------------------- source: the quick paths give what the loops gave


def reference_split_comment(raw: str) -> tuple[str, int]:
    closing = ""
    escaped = False
    for index, char in enumerate(raw):
        if closing:
            if escaped:
                escaped = False
            elif char == "\\" and closing == '"':  # a straight quote may hold \" and \\
                escaped = True
            elif char == closing:
                closing = ""
        elif char in QUOTES:
            closing = QUOTES[char]
        elif char in "#＃":
            return raw[:index], index
    return raw, -1


def reference_normalise(code: str) -> str:
    out = []
    closing = ""
    escaped = False
    for index, char in enumerate(code):
        if closing:
            if escaped:
                escaped = False
            elif char == "\\" and closing == '"':
                escaped = True
            elif char == closing:
                closing = ""
            out.append(char)
        elif char in QUOTES:
            closing = QUOTES[char]
            out.append(char)
        elif char in FULL_WIDTH:
            out.append(FULL_WIDTH[char])
        elif char in FULL_WIDTH_BRACKETS and not source._inside_name(code, index):
            out.append(FULL_WIDTH_BRACKETS[char])
        else:
            out.append(char)
    return "".join(out)


SOURCE_CHARS = [*FULL_WIDTH, *FULL_WIDTH_BRACKETS, *QUOTES, "”", "#", "＃", "a", "字", " ", "1", "(", ")", "\\"]


@SETTINGS
@given(text=st.lists(st.lists(st.sampled_from(SOURCE_CHARS), max_size=14).map("".join), max_size=4).map("\n".join))
def test_split_lines_gives_what_the_character_loops_gave(text: str) -> None:
    for line in split_lines(text):
        code, at = reference_split_comment(line.text)
        assert (line.code, line.comment, line.comment_column) == (
            reference_normalise(code), line.text[at:] if at >= 0 else "", at + 1)
        assert source.normalise(line.text) == reference_normalise(line.text)


# ---------------------------------------------------------------- the rest of the parser


def test_parse_value_takes_the_fast_path() -> None:
    for text in ("达成 90%", "80646 人", "不适用", '"完成"', "部分达成", "95%"):
        value, findings = parse_value(text, "d.yml", 4)
        assert isinstance(value, ast.ActualValue) and not findings
        with lark_only():
            assert parse_value(text, "d.yml", 4) == (value, findings)
    value, findings = parse_value("很 多", "d.yml", 4)
    assert value is None and findings[0].code == "PR001"
    value, findings = parse_value("很多", "d.yml", 4)  # one word: a level (`= 良`), read by lark
    assert value is not None and value.kind == "level" and value.text == "很多" and not findings
    for text in ("达成\r90%", "80646\n人", "1\u20282"):  # any line break reads as a space (it used to raise)
        value, findings = parse_value(text, "d.yml", 4)
        assert (value is None) == bool(findings)


def test_a_continuation_line_rebuilds_the_actual_field_by_field() -> None:
    # parser._continue_actual builds the Actual from its fields (faster than dataclasses.replace)
    assert [f.name for f in fields(ast.Actual)] == ["name", "value", "reason", "score", "span", "extra"]


def test_the_lark_parser_cache_lives_in_the_users_cache_dir(tmp_path: Path) -> None:
    # `perfrules check` on a file the fast path reads never loads lark; a line that needs lark still does
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("PERFRULES_NO_CACHE", None)
    before = set(os.listdir(tempfile.gettempdir()))
    probe = "from perfrules.syntax import parse; print(len(parse('a >= 5 weight 3 weight 4')[1]))"
    for _ in range(2):  # the first run writes the cache, the second loads it
        done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
        assert done.stdout.split() == ["1"]
    assert len(list((tmp_path / "cache" / "perfrules").glob("parser-*.lark"))) == 1
    assert not [n for n in set(os.listdir(tempfile.gettempdir())) - before if n.startswith(".lark")]


def test_parse_leaves_the_garbage_collector_as_it_found_it() -> None:
    text = generate(40, 0)
    frozen = gc.get_freeze_count()
    assert gc.isenabled()
    parse(text)
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    try:
        parse(text)
        assert not gc.isenabled()
    finally:
        gc.enable()
