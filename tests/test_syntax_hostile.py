"""The parser and formatter on hostile rule files: deep nesting, odd line breaks, huge lines, random bytes.

Every case ends in located findings (exit 2 for input errors), never a traceback, and quickly.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from perfrules import limits
from perfrules.lsp import analysis
from perfrules.syntax import ast, parse
from perfrules.syntax.source import lines, split_lines

from conftest import cli


def nested(depth: int) -> str:
    """A ruleset whose one indicator sits inside `depth` groups inside a dimension."""
    opening = "".join(f"group g{n} {{\n" for n in range(depth))
    return ('ruleset "深" { year 2023 }\n' "dimension 产出 weight 100 {\n" + opening
            + "  数量 >= 1 人 weight 100\n" + "}\n" * depth + "}\n")


# The dimension is depth 1 on line 2, group g{n} is depth n + 2 on line n + 3: the first block too
# deep is group g{MAX_NESTING - 1}, on line MAX_NESTING + 2.
FIRST_TOO_DEEP_LINE = limits.MAX_NESTING + 2


@pytest.mark.parametrize("depth", [60, 1000, 100_000])
def test_nesting_beyond_the_limit_is_one_located_finding(depth: int) -> None:
    started = time.perf_counter()
    doc, findings = parse(nested(depth), "deep.perf")
    assert time.perf_counter() - started < 10  # about 0.6 s on an idle 2-core machine; CI may be busy
    assert [(f.code, f.span.line if f.span else 0, f.span.column if f.span else 0) for f in findings] == [
        ("PR002", FIRST_TOO_DEEP_LINE, 1)]
    assert findings[0].message("zh") == f"代码块嵌套超过 {limits.MAX_NESTING} 层：此处及其内部的内容未被读取"
    # nothing deeper than the limit is built
    levels, node = 0, doc.body[0]
    while isinstance(node, ast.Section) and node.children:
        levels, node = levels + 1, node.children[0]
    assert levels == limits.MAX_NESTING - 1 and isinstance(node, ast.Section) and node.children == ()


def test_nesting_at_the_limit_is_read() -> None:
    doc, findings = parse(nested(limits.MAX_NESTING - 1), "deep.perf")
    assert findings == []
    node: object = doc.body[0]
    while isinstance(node, ast.Section):
        node = node.children[0]
    assert isinstance(node, ast.Indicator) and node.name.text == "数量"


def test_unclosed_deep_blocks_are_not_reported_one_by_one() -> None:
    text = nested(500).rsplit("}\n" * 501, 1)[0]  # no closing braces at all
    _doc, findings = parse(text, "deep.perf")
    deep = [f for f in findings if f.key == "PR002.deep"]
    unclosed = [f for f in findings if f.key == "PR002.unclosed"]
    assert len(deep) == 1 and len(unclosed) == limits.MAX_NESTING


def test_two_separate_too_deep_blocks_are_each_reported() -> None:
    inner = "".join(f"group g{n} {{\n" for n in range(limits.MAX_NESTING))
    text = "dimension 产出 weight 100 {\n" + (inner + "}\n" * limits.MAX_NESTING) * 2 + "}\n"
    _doc, findings = parse(text, "deep.perf")
    assert [(f.key, f.span.line if f.span else 0) for f in findings] == [
        ("PR002.deep", limits.MAX_NESTING + 1), ("PR002.deep", 3 * limits.MAX_NESTING + 1)]


@pytest.mark.parametrize("depth", [60, 1000, 100_000])
@pytest.mark.parametrize("command", [["check"], ["eval"], ["lint"], ["fmt", "--check"], ["fmt"]])
def test_every_command_refuses_deep_nesting_with_exit_2(tmp_path: Path, command: list[str], depth: int) -> None:
    path = tmp_path / "deep.perf"
    text = nested(depth)
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    out = cli(*command, str(path))
    assert time.perf_counter() - started < 10
    assert out.exit_code == 2
    output = out.stdout + out.stderr
    assert "Traceback" not in output
    assert output.count(f"deep.perf:{FIRST_TOO_DEEP_LINE}:1: PR002") == 1
    assert path.read_text(encoding="utf-8") == text  # fmt leaves a file with errors alone


def test_the_language_server_analysis_refuses_deep_nesting() -> None:
    started = time.perf_counter()
    result = analysis.analyse(nested(100_000), "deep.perf")
    assert time.perf_counter() - started < 10
    assert [(f.code, f.span.line if f.span else 0) for f in result.findings()] == [("PR002", FIRST_TOO_DEEP_LINE)]
    outline = analysis.outline(result)
    levels = 0
    while outline:
        levels, outline = levels + 1, list(outline[0].children)
    assert levels == limits.MAX_NESTING  # the dimension and its groups, at depths 1 to MAX_NESTING


def test_formula_depth_has_one_home() -> None:
    assert ast.MAX_DEPTH == limits.MAX_FORMULA_DEPTH


# ---------------------------------------------------------------- lines as LSP and editors count them


def test_lines_end_only_at_lf_crlf_and_cr() -> None:
    assert lines("") == [] and lines("a") == ["a"] and lines("a\n") == ["a"] and lines("a\n\n") == ["a", ""]
    assert lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    odd = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
    assert lines(f"x{odd}y\nz") == [f"x{odd}y", "z"]  # str.splitlines would make ten lines of these two
    assert [line.number for line in split_lines(f"a{odd}\nb")] == [1, 2]


def test_u2028_in_a_comment_does_not_shift_the_lines_below() -> None:
    text = "dimension 产出 weight 100 {  # 注释\u2028仍是注释\n  数量 ?? 1 人 weight 100\n}\n"
    _doc, findings = parse(text, "a.perf")
    assert [(f.code, f.span.line if f.span else 0, f.span.column if f.span else 0) for f in findings] == [
        ("PR001", 2, 6)]


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x0b", "\x0c", "\x85", "\x1c"])
def test_a_line_separator_inside_code_is_whitespace(char: str) -> None:
    text = f"dimension 产出 weight 100 {{\n  数量 >= 1 人{char}weight 100\n  人数 >= 2 人 weight 0\n}}\n"
    doc, findings = parse(text, "a.perf")
    assert findings == []
    (dimension,) = doc.body
    assert isinstance(dimension, ast.Section)
    first = dimension.children[0]
    assert isinstance(first, ast.Indicator) and first.clauses.weight == 100 and first.span.line == 2
    assert dimension.children[1].span.line == 3


def test_a_line_separator_inside_quotes_is_kept_in_the_name() -> None:
    doc, findings = parse('dimension 产出 weight 100 {\n  "数\u2028量" >= 1 人 weight 100\n}\n', "a.perf")
    assert findings == []
    section = doc.body[0]
    assert isinstance(section, ast.Section) and section.children[0].name.text == "数\u2028量"


def test_fmt_keeps_a_u2028_comment_on_its_line(tmp_path: Path) -> None:
    from perfrules.fmt import format_text

    formatted, findings = format_text("dimension 产出 weight 100 {  # a\u2028b\n    数量 >= 1 人 weight 100\n}\n")
    assert findings == [] and formatted == "dimension 产出 weight 100 {  # a\u2028b\n  数量 >= 1 人 weight 100\n}\n"


# ---------------------------------------------------------------- other hostile text


def test_many_unary_minus_signs_are_a_located_depth_error() -> None:
    text = "dimension 产出 weight 100 {\n  数量 = " + "-" * 50_000 + "a >= 1 人 weight 100\n}\n"
    _doc, findings = parse(text, "a.perf")
    assert [(f.key, f.span.line if f.span else 0) for f in findings] == [("PR014.depth", 2)]
    assert [f.code for f in analysis.analyse(text, "a.perf").findings()] == ["PR014"]


HOSTILE = {
    "huge line": "dimension 产出 weight 100 {\n  数量 >= 1 人 weight 100 " + "x " * 500_000 + "\n}\n",
    "long name": "dimension 产出 weight 100 {\n  " + "名" * 100_000 + " ?? 1 人 weight 100\n}\n",
    "long quoted name": 'dimension 产出 weight 100 {\n  "' + "名" * 100_000 + " >= 1 人 weight 100\n}\n",
    "many opening braces": "{" * 100_000 + "\n",
    "many closing braces": "}\n" * 100_000,
    "blocks on one line": "dimension 产出 weight 100 { " + "group a { " * 10_000 + "\n",
    "control characters": "dimension 产出 weight 100 {\n  数\x1f量 >= 1 人 weight 100\n}\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_findings_quickly(tmp_path: Path, name: str) -> None:
    path = tmp_path / "h.perf"
    path.write_text(HOSTILE[name], encoding="utf-8")
    for command in (["check"], ["fmt", "--check"]):
        started = time.perf_counter()
        out = cli(*command, str(path))
        assert time.perf_counter() - started < 10
        assert out.exit_code == 2 and "h.perf:" in out.stdout + out.stderr
    assert analysis.analyse(HOSTILE[name], "h.perf").findings()


def test_random_bytes_are_findings(tmp_path: Path) -> None:
    import random

    rng = random.Random(9)
    for number in range(40):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000)))
        path = tmp_path / f"r{number}.perf"
        path.write_bytes(data)
        out = cli("check", str(path))
        assert out.exit_code in (1, 2), data
        text = data.decode("utf-8", "replace")
        parse(text, "r.perf")
        analysis.analyse(text, "r.perf")
