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
    assert time.perf_counter() - started < 3
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
    assert time.perf_counter() - started < 5
    assert out.exit_code == 2
    output = out.stdout + out.stderr
    assert "Traceback" not in output
    assert output.count(f"deep.perf:{FIRST_TOO_DEEP_LINE}:1: PR002") == 1
    assert path.read_text(encoding="utf-8") == text  # fmt leaves a file with errors alone


def test_the_language_server_analysis_refuses_deep_nesting() -> None:
    started = time.perf_counter()
    result = analysis.analyse(nested(100_000), "deep.perf")
    assert time.perf_counter() - started < 5
    assert [(f.code, f.span.line if f.span else 0) for f in result.findings()] == [("PR002", FIRST_TOO_DEEP_LINE)]
    outline = analysis.outline(result)
    levels = 0
    while outline:
        levels, outline = levels + 1, list(outline[0].children)
    assert levels == limits.MAX_NESTING  # the dimension and its groups, at depths 1 to MAX_NESTING


def test_formula_depth_has_one_home() -> None:
    assert ast.MAX_DEPTH == limits.MAX_FORMULA_DEPTH
