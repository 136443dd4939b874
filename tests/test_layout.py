"""The layout core (perfrules.syntax.layout) and the parser's per-line tokens it reads; the fmt face's
meaning check (a formatter bug that changes a plan is refused, in fmt, fmt --diff and format_text);
the direction of imports (nothing but a face imports fmt; no underscore name crosses into fmt/layout)."""

from __future__ import annotations

import ast as pyast
from pathlib import Path

import pytest

import perfrules.syntax.layout as layout
from perfrules.fmt import format_text
from perfrules.syntax import parse
from perfrules.syntax.fastpath import Token
from perfrules.syntax.parser import LineRead, lark_tokens
from perfrules.syntax.source import display_width

from conftest import ROOT, cli

PACKAGE = ROOT / "perfrules"
GOLDEN = Path(__file__).parent / "golden" / "fmt"
MESSY = "a>=1 weight 60\nb  >=  2 weight 40\n"
TIDY = "a >= 1 weight 60\nb >= 2 weight 40\n"
PR004 = "格式化后的文件与原文件含义不同，已保持原样：这是 perfrules 的缺陷，请报告"


def reads_of(text: str) -> list[LineRead]:
    reads: list[LineRead] = []
    _doc, findings = parse(text, "t.perf", lines=reads)
    assert [f for f in findings if f.severity.value == "error"] == []
    return reads


# ---------------------------------------------------------------- parse(lines=...): the one reader


def test_parse_gives_every_line_with_its_tokens_block_depth_and_comment() -> None:
    text = "dimension 产出 weight 100 {  # 一级\n\n  # 说明\n  资格认证人数 ＞＝ 60000 人 weight 100\n}\n"
    reads = reads_of(text)
    assert [(r.number, r.block, r.depth, r.comment) for r in reads] == [
        (1, "top", 0, "# 一级"), (2, "dimension", 1, ""), (3, "dimension", 1, "# 说明"), (4, "dimension", 1, ""),
        (5, "dimension", 0, "")]
    assert reads[0].tokens == (Token("DIMENSION", "dimension", 1), Token("NAME", "产出", 11),
                               Token("WEIGHT", "weight", 14), Token("NUMBER", "100", 21), Token("LBRACE", "{", 25))
    assert reads[1].tokens == () and reads[2].tokens == ()
    # columns count the line as written (indentation, the full-width ＞＝ read as >=)
    assert reads[3].tokens == (Token("NAME", "资格认证人数", 3), Token("GE", ">=", 10), Token("NUMBER", "60000", 13),
                               Token("NAME", "人", 19), Token("WEIGHT", "weight", 21), Token("NUMBER", "100", 28))
    assert reads[4].tokens == (Token("RBRACE", "}", 1),)


def test_a_line_lark_read_has_lark_tokens() -> None:
    text = 'ruleset "示例" {\n  rounding 2 half-up\n}\n'
    reads = reads_of(text)
    rounding = reads[1]
    assert (rounding.block, rounding.depth) == ("ruleset", 1)
    assert rounding.tokens == lark_tokens("  rounding 2 half-up", "ruleset")
    assert [t.type for t in rounding.tokens] == ["ROUNDING", "NUMBER", "ROUND_MODE"]
    assert [t.column for t in rounding.tokens] == [3, 12, 14]


def test_fmt_reads_a_fast_file_once_without_lark(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every line of TIDY is read by the fast path: the one parse gives all tokens, lark is never asked."""
    import perfrules.syntax as syntax
    import perfrules.syntax.parser as parser

    parses: list[str] = []
    real_parse = syntax.parse

    def counting(text: str, *args: object, **kwargs: object) -> object:
        parses.append(text)
        return real_parse(text, *args, **kwargs)  # type: ignore[arg-type]

    def no_lark(code: str, block: str) -> tuple[Token, ...]:
        raise AssertionError(f"lark asked for {code!r}")

    monkeypatch.setattr(syntax, "parse", counting)
    monkeypatch.setattr(parser, "lark_tokens", no_lark)
    assert format_text(MESSY, "t.perf", verify=False) == (TIDY, [])
    assert parses == [MESSY]


def test_fmt_check_parses_once_and_compiles_nothing(monkeypatch: pytest.MonkeyPatch, write) -> None:  # type: ignore[no-untyped-def]
    import perfrules.plan.compile as compile_module
    import perfrules.syntax as syntax

    parses: list[str] = []
    compiles: list[object] = []
    real_parse, real_compile = syntax.parse, compile_module.compile_document

    def counting_parse(text: str, *args: object, **kwargs: object) -> object:
        parses.append(text)
        return real_parse(text, *args, **kwargs)  # type: ignore[arg-type]

    def counting_compile(*args: object, **kwargs: object) -> object:
        compiles.append(args)
        return real_compile(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(syntax, "parse", counting_parse)
    monkeypatch.setattr(compile_module, "compile_document", counting_compile)
    path = write("m.perf", MESSY)
    out = cli("fmt", "--check", path)
    assert out.exit_code == 1 and f"需要格式化: {path}" in out.stderr
    assert (parses, compiles) == ([MESSY], [])
    parses.clear()
    assert cli("fmt", path).exit_code == 0  # writing compares the plans: the result parsed, both compiled
    assert (parses, len(compiles)) == ([MESSY, TIDY], 2)
    assert Path(path).read_text(encoding="utf-8") == TIDY


def test_the_result_is_parsed_again_only_where_the_layout_changed_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """fmt compares the plans; the parse of the result takes the original's unchanged lines from its cache."""
    import perfrules.syntax as syntax
    from perfrules.syntax.parser import LineCache

    caches: list[LineCache] = []
    real_parse = syntax.parse

    def watching(text: str, *args: object, **kwargs: object) -> object:
        cache = kwargs.get("cache")
        assert isinstance(cache, LineCache)
        caches.append(cache)
        return real_parse(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(syntax, "parse", watching)
    text = "a >= 1 weight 50\nb  >=  2 weight 30\nc >= 3 weight 20\n"
    assert format_text(text, "t.perf") == ("a >= 1 weight 50\nb >= 2 weight 30\nc >= 3 weight 20\n", [])
    assert len(caches) == 2 and caches[0] is caches[1]
    assert (caches[1].hits, caches[1].misses) == (2, 1)  # lines 1 and 3 as they were; line 2 read again


# ---------------------------------------------------------------- the layout core


def test_layout_text_is_the_canonical_layout() -> None:
    scrambled = (GOLDEN / "scrambled.perf").read_text(encoding="utf-8")
    expected = (GOLDEN / "scrambled.expected.perf").read_text(encoding="utf-8")
    assert layout.layout_text(scrambled, "s.perf") == (expected, [])
    assert layout.layout_text(expected, "s.perf") == (expected, [])


def test_layout_of_a_broken_text_is_none_with_its_finding() -> None:
    laid, findings = layout.layout_text("a   >=  weight 5\n", "b.perf")
    assert laid is None
    assert [(f.code, f.span and f.span.line) for f in findings] == [("PR001", 1)]


def test_column_widths_count_chinese_as_two() -> None:
    assert layout.width_of("资金到位率（%）") == 15 == display_width("资金到位率（%）")
    assert (layout.width_of("abc"), layout.width_of(""), layout.width_of("𠀀ab")) == (3, 0, 4)
    text = "facts {\n  全年预算数 = 1 万元\n  ab = 2 万元\n}\n"
    assert layout.layout_text(text)[0] == "facts {\n  全年预算数 = 1 万元\n  ab         = 2 万元\n}\n"


# ---------------------------------------------------------------- the meaning check stays on


@pytest.fixture
def layout_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulate a bug in the layout: the text it renders gives `a` another weight (its plan differs)."""
    real = layout.render

    def render(rows: list[layout.Row]) -> str:
        return real(rows).replace("weight 60", "weight 61")

    monkeypatch.setattr(layout, "render", render)


@pytest.mark.usefixtures("layout_bug")
def test_format_text_refuses_a_layout_that_changes_the_plan() -> None:
    formatted, findings = format_text(MESSY, "m.perf")
    assert formatted is None
    assert [(f.code, f.span and (f.span.line, f.span.column), f.message()) for f in findings] == [("PR004", (1, 1), PR004)]


@pytest.mark.usefixtures("layout_bug")
def test_fmt_and_fmt_diff_leave_the_file_when_the_plan_would_change(write) -> None:  # type: ignore[no-untyped-def]
    path = write("m.perf", MESSY)
    for args in (["fmt", path], ["fmt", "--diff", path]):
        out = cli(*args)
        assert out.exit_code == 2, args
        assert "PR004" in out.stdout + out.stderr and "weight 61" not in out.stdout
        assert Path(path).read_text(encoding="utf-8") == MESSY


def test_the_same_file_is_formatted_without_the_bug(write) -> None:  # type: ignore[no-untyped-def]
    """The control: the tests above are not vacuous."""
    assert format_text(MESSY, "m.perf") == (TIDY, [])
    path = write("m.perf", MESSY)
    assert cli("fmt", path).exit_code == 0
    assert Path(path).read_text(encoding="utf-8") == TIDY


# ---------------------------------------------------------------- the direction of imports


def imports_of(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every `from module import name` and (module, "") of every `import module`."""
    out: list[tuple[str, str]] = []
    for node in pyast.walk(pyast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, pyast.ImportFrom) and node.module:
            out += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, pyast.Import):
            out += [(alias.name, "") for alias in node.names]
    return out


FACES = ("cli", "lsp")


def test_only_a_face_imports_fmt() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in FACES or relative == Path("fmt.py"):
            continue
        for module, name in imports_of(path):
            if module == "perfrules.fmt" or (module == "perfrules" and name == "fmt"):
                offenders.append(str(relative))
    assert offenders == []


@pytest.mark.parametrize("module", ["fmt.py", "syntax/layout.py", "fixes.py", "data/importer.py"])
def test_no_underscore_name_is_imported_from_another_module(module: str) -> None:
    taken = [(m, n) for m, n in imports_of(PACKAGE / module) if m.startswith("perfrules") and n.startswith("_")]
    assert taken == []


def test_the_layout_core_reads_only_the_syntax_stage() -> None:
    modules = {m for m, _n in imports_of(PACKAGE / "syntax" / "layout.py") if m.startswith("perfrules")}
    assert modules and all(m == "perfrules.syntax" or m.startswith(("perfrules.syntax.", "perfrules.findings"))
                           for m in modules), modules
