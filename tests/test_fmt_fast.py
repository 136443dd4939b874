"""The formatter's one reader: on every line the parser's fast path read, `fastpath.line_tokens`
gives exactly the tokens lark's interactive parser reads (type, text and column), so `parse(lines=...)`
needs lark only for the lines the fast path did not take."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from perfrules.syntax import parse
from perfrules.syntax.fastpath import Token, line_tokens
from perfrules.syntax.parser import LineRead, lark_tokens
from perfrules.syntax.source import split_lines

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

TRICKY = """\
ruleset "示例" {
  year 2023
  rounding 2 half-up
}
grades { 优 >= 90  良 ≥ 80  差 otherwise }
facts {
  全年预算数 = 662.77 万元
  人数 = 3 * (全年预算数 - 2) / 4
  单价 元/人
}
dimension 产出 weight 40 {
  group 产出数量 {
    资格认证人数 >= 60000 人 weight 5 cap 100%
    资金到位率（%） >= 95% weight 5 n/a
    达成率 >= 95% weight 5
    A1类人数 <= 260 元/人/年 weight 4 signed
    增长率 in 1% ~ 5% weight 3
    评分 >= 90% weight 2 steps 100%:2 90%:1 otherwise 0
    扣分项 >= 100% weight 2 deduct 0.5 per 1%
    定性项 qualitative "逐步提高" weight 10
    到位率 = 全年预算数 / 人数 >= 100% weight 4
    "★★★农村低保(按月平均)" >= 4 场 weight 4
  }
}
check 成本: 人数 * 单价 <= 全年预算数 severity warning
actuals {
  资格认证人数 = 80646 人
    reason "举办各种活动" score 4
  增长率 = -3.2%
  扣分项 = - 1 %
  定性项 = 达成 100%
  达成率 = 不适用
  A1类人数 = "好"
}
expect { 产出 35.13  total 91.23  grade 优 }
"""


def _fast_lines(text: str) -> list[tuple[str, str]]:
    """(block kind, code) of each statement line the fast path read."""
    reads: list[LineRead] = []
    _doc, findings = parse(text, "t.perf", lines=reads)
    assert [f for f in findings if f.severity.value == "error"] == []
    code = {line.number: line.code.rstrip() for line in split_lines(text)}
    return [(read.block, code[read.number]) for read in reads
            if read.tokens and not read.by_lark and read.tokens[0].type != "RBRACE"]


def _corpus() -> list[tuple[str, str]]:
    from generate import generate

    texts = [TRICKY, generate(300, seed=3)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("rulesets/**/*.perf"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("tests/golden/fmt/*.perf"))]
    return [line for text in texts for line in _fast_lines(text)]


def test_every_fast_line_is_lexed_as_lark_lexes_it() -> None:
    lines = _corpus()
    assert len(lines) > 500
    unsure = []
    for kind, code in lines:
        ours = line_tokens(code, kind)
        if ours is None:
            unsure.append(code)
            continue
        assert tuple(ours) == lark_tokens(code, kind), code
    assert 0 < len(unsure) < 10  # only `n/a` and `half-up`, left to lark
    assert all("n/a" in code or "half-" in code for code in unsure), unsure


@pytest.mark.parametrize(("code", "kind", "expected"), [
    ("增长率 = -3.2%", "actuals", [Token("NAME", "增长率", 1), Token("EQ", "=", 5), Token("NEGATIVE", "-3.2", 7),
                                    Token("PERCENT", "%", 11)]),
    ("x = a - 3", "facts", [Token("NAME", "x", 1), Token("EQ", "=", 3), Token("NAME", "a", 5), Token("MINUS", "-", 7),
                            Token("NUMBER", "3", 9)]),
    ("  x >= 5 人 权重 3", "group", [Token("NAME", "x", 3), Token("GE", ">=", 5), Token("NUMBER", "5", 8),
                                    Token("NAME", "人", 10), Token("WEIGHT", "权重", 12), Token("NUMBER", "3", 15)]),
])
def test_tokens_of_a_line(code: str, kind: str, expected: list[Token]) -> None:
    assert line_tokens(code, kind) == expected


@pytest.mark.parametrize("code", ["x >= 5% weight 3 n/a", "rounding 2 half-up", "x >= 5 ？"])
def test_a_keyword_past_a_name_or_an_unknown_character_is_left_to_lark(code: str) -> None:
    assert line_tokens(code, "group") is None
