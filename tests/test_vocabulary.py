"""One vocabulary: the language's words live in perfrules/vocabulary.py and everything else derives them.

A word list copied into a second module (a tier word, a comparator spelling, a unit list), a grammar,
editor grammar or completion list that drifts from the vocabulary, or a second number/unit/tier parser
in the 自评表 reader fails here.
"""

from __future__ import annotations

import ast as pyast
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from perfrules import resources, vocabulary
from perfrules.syntax import parser
from perfrules.syntax.parser import parse_value

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "perfrules"
VSCODE = ROOT / "editors" / "vscode"


# ---------------------------------------------------------------- each word list in one module


def _constants(path: Path) -> list[tuple[int, object]]:
    """The constants of a module's code (docstrings left out), and every list, tuple, set or dict display as a tuple."""
    tree = pyast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in pyast.walk(tree):
        if isinstance(node, (pyast.Module, pyast.ClassDef, pyast.FunctionDef, pyast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, pyast.Expr) and isinstance(first.value, pyast.Constant):
                docstrings.add(id(first.value))
    out: list[tuple[int, object]] = []
    for node in pyast.walk(tree):
        if isinstance(node, pyast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            out.append((node.lineno, node.value))
        elif isinstance(node, (pyast.List, pyast.Tuple, pyast.Set)):
            out.append((node.lineno, tuple(e.value for e in node.elts if isinstance(e, pyast.Constant))))
        elif isinstance(node, pyast.Dict):
            out.append((node.lineno, tuple(k.value for k in node.keys if isinstance(k, pyast.Constant))))
    return out


def _modules_where(found: object) -> dict[str, list[int]]:
    """The package modules (path: lines) whose code holds a constant for which `found(constant)` is true."""
    out: dict[str, list[int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, constant in _constants(path):
            if found(constant):  # type: ignore[operator]
                out.setdefault(str(path.relative_to(ROOT)), []).append(line)
    return out


def _as_word(word: str) -> re.Pattern[str]:
    """`word` as an item of a list written in a string: the whole string, or between `|`, `(` `)` or `,`."""
    return re.compile(rf"(?:^|[|(,]){re.escape(word)}(?:$|[|),])")


def test_the_tier_word_is_written_in_the_vocabulary_only() -> None:
    as_word = _as_word("部分达成")
    where = _modules_where(lambda c: (isinstance(c, str) and as_word.search(c) is not None)
                           or (isinstance(c, tuple) and "部分达成" in c))
    assert list(where) == ["perfrules/vocabulary.py"], where


def test_a_comparator_spelling_is_written_in_the_vocabulary_only() -> None:
    where = _modules_where(lambda c: (isinstance(c, str) and "≧" in c) or (isinstance(c, tuple) and "≧" in c))
    assert list(where) == ["perfrules/vocabulary.py"], where


def test_the_unit_lists_are_written_in_the_vocabulary_only() -> None:
    money = set(vocabulary.MONEY_UNITS)
    alternation = re.compile("|".join(rf"{u}\||\|{u}(?![元])" for u in money))

    def unit_list(c: object) -> bool:
        if isinstance(c, tuple):
            return len(money & set(c)) >= 2
        return isinstance(c, str) and alternation.search(c) is not None

    where = _modules_where(unit_list)
    assert list(where) == ["perfrules/vocabulary.py"], where


def test_no_underscore_name_crosses_a_module_of_syntax_or_data() -> None:
    crossing = []
    for folder in ("syntax", "data"):
        for path in sorted((PACKAGE / folder).glob("*.py")):
            for node in pyast.walk(pyast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, pyast.ImportFrom) and (node.module or "").startswith("perfrules"):
                    crossing += [f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    assert crossing == []


def test_the_vocabulary_imports_nothing_of_perfrules() -> None:
    tree = pyast.parse((PACKAGE / "vocabulary.py").read_text(encoding="utf-8"))
    imported = [n.module for n in pyast.walk(tree) if isinstance(n, pyast.ImportFrom)]
    imported += [a.name for n in pyast.walk(tree) if isinstance(n, pyast.Import) for a in n.names]
    assert not [m for m in imported if m and m.startswith("perfrules")]


# ---------------------------------------------------------------- the grammar's words are the vocabulary's


def test_the_grammar_file_names_the_terminals_and_the_vocabulary_spells_them() -> None:
    text = resources.read_text(resources.grammar_path())
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    for terminal in vocabulary.KEYWORDS:
        assert f"\n{terminal}.2: <vocabulary>\n" in code, terminal
    for terminal in vocabulary.COMPARATORS:
        assert f"\n{terminal}: <vocabulary>\n" in code, terminal
    assert "部分达成" not in code and "≧" not in code and "权重" not in code


def test_the_parser_reads_every_spelling_the_vocabulary_gives() -> None:
    terminals = {t.name: t.pattern for t in parser._parser().lark.terminals}
    for terminal, spellings in vocabulary.KEYWORDS.items():
        regexp = terminals[terminal].to_regexp()
        assert all(re.fullmatch(regexp, s) for s in spellings), terminal
        assert sorted(parser._spellings(terminals[terminal].value)) == sorted(spellings)
    for terminal, spellings in vocabulary.COMPARATORS.items():
        assert all(re.fullmatch(terminals[terminal].to_regexp(), s) for s in spellings), terminal
    assert parser._parser().keywords == {t: vocabulary.spellings(t) for t in vocabulary.KEYWORDS}


def test_a_new_spelling_changes_the_filled_grammar_and_the_parser_cache_key(monkeypatch: pytest.MonkeyPatch,
                                                                             tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("PERFRULES_NO_CACHE", raising=False)
    text = resources.read_text(resources.grammar_path())
    before = vocabulary.fill_grammar(text)
    monkeypatch.setitem(vocabulary.KEYWORDS, "WEIGHT", (*vocabulary.KEYWORDS["WEIGHT"], "权值"))
    after = vocabulary.fill_grammar(text)
    assert "WEIGHT.2: /(?:weight|权重|分值|权值)(?![^\\W\\d])/" in after.splitlines()
    assert parser._cache_file(before) != parser._cache_file(after)


def test_a_placeholder_the_vocabulary_does_not_know_and_a_terminal_missing_from_the_grammar_are_errors() -> None:
    text = resources.read_text(resources.grammar_path())
    with pytest.raises(ValueError, match=re.escape("SPARKLE.2 is not in perfrules.vocabulary")):
        vocabulary.fill_grammar(text + "\nSPARKLE.2: <vocabulary>\n")
    with pytest.raises(ValueError, match=re.escape("missing from the grammar: TIER.2")):
        vocabulary.fill_grammar(text.replace("TIER.2: <vocabulary>", ""))


def test_the_filled_grammar_spells_the_terminals_as_lark_writes_them() -> None:
    terminals = vocabulary.lark_terminals()
    assert terminals["GE"] == '">=" | "≥" | "≧"'
    assert terminals["NA.2"] == r"/(?:n\/a|不适用|na)(?![^\W\d])/"
    assert terminals["TIER.2"] == (r"/(?:部分达成年度指标并具有一定效果|未达成年度指标且效果较差|达成年度指标|部分达成|未达成|达成)"
                                   r"(?![^\W\d])/")


# ---------------------------------------------------------------- the VS Code grammar agrees


def _tm_alternations() -> list[set[str]]:
    """Each keyword alternation `(?:a|b)(?![\\p{L}...])` of the TextMate grammar, as a set of words."""
    text = (VSCODE / "syntaxes" / "perfrules.tmLanguage.json").read_text(encoding="utf-8")
    grammar = json.dumps(json.loads(text), ensure_ascii=False)
    found = re.findall(r"\(\?:((?:[^()|\\]|\\\\.)+(?:\|(?:[^()|\\]|\\\\.)+)*)\)\(\?!\[\\\\p\{L\}", grammar)
    return [{w.replace("\\\\", "") for w in body.split("|")} for body in found]


def test_the_vscode_grammar_has_every_keyword_and_the_tier_and_na_words_exactly() -> None:
    alternations = _tm_alternations()
    written = set().union(*alternations)
    assert set(vocabulary.KEYWORD_OF) <= written, set(vocabulary.KEYWORD_OF) - written
    assert written <= set(vocabulary.KEYWORD_OF) | {"PR"}, written - set(vocabulary.KEYWORD_OF)
    assert set(vocabulary.KEYWORDS["TIER"]) in alternations
    assert set(vocabulary.NA_WORDS) in alternations


def test_the_vscode_comparator_pattern_reads_every_comparator_spelling() -> None:
    grammar = json.loads((VSCODE / "syntaxes" / "perfrules.tmLanguage.json").read_text(encoding="utf-8"))
    pattern = grammar["repository"]["comparators"]["match"] if "comparators" in grammar["repository"] else None
    if pattern is None:  # the comparator rule, wherever it is named
        pattern = next(r["match"] for r in grammar["repository"].values() if isinstance(r, dict)
                       and "comparison" in r.get("name", ""))
    for spelling in vocabulary.COMPARATOR_SPELLINGS:
        assert re.fullmatch(f"(?:{pattern})", spelling), spelling
    for wide, meant in vocabulary.FULL_WIDTH.items():
        if meant in vocabulary.COMPARATOR_SPELLINGS and wide not in "﹦═":  # ﹦ ═ are mapped by the reader only
            assert re.fullmatch(f"(?:{pattern})", wide), wide


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_vscode_grammar_is_what_the_generator_writes_from_the_vocabulary() -> None:
    out = subprocess.run(["node", "scripts/build-grammar.js", "--check"], cwd=VSCODE, capture_output=True, text=True,
                         env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "PYTHON": sys.executable})
    assert out.returncode == 0, out.stderr
    assert "is up to date with ../../perfrules/vocabulary.py" in out.stdout


def test_the_vocabulary_prints_its_json_without_the_package(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-I", str(PACKAGE / "vocabulary.py"), "--json"], cwd=tmp_path,
                         capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    assert data["keywords"]["TIER"] == list(vocabulary.KEYWORDS["TIER"])
    assert data["comparators"]["GE"] == [">=", "≥", "≧"]


# ---------------------------------------------------------------- tiers and their bounds


@pytest.mark.parametrize("rate, tier", [("1", "达成"), ("0.8", "达成"), ("0.7999", "部分达成"), ("0.6", "部分达成"),
                                        ("0.5999", "未达成"), ("0", "未达成")])
def test_tier_of_rate_at_the_default_bounds(rate: str, tier: str) -> None:
    assert vocabulary.tier_of(Decimal(rate)) == tier
    assert vocabulary.in_tier(tier, Decimal(rate))


def test_tier_ranges_include_the_top_of_met_only() -> None:
    assert vocabulary.tier_range("达成") == (Decimal("0.8"), Decimal(1))
    assert vocabulary.tier_range("部分达成") == (Decimal("0.6"), Decimal("0.8"))
    assert vocabulary.tier_range("未达成") == (Decimal(0), Decimal("0.6"))
    assert not vocabulary.in_tier("部分达成", Decimal("0.8")) and not vocabulary.in_tier("未达成", Decimal("0.6"))
    assert vocabulary.in_tier("部分达成", Decimal("0.75"), (Decimal("0.9"), Decimal("0.7")))
    assert vocabulary.tier_bounds_text() == "达成 80–100%、部分达成 60–80%、未达成 0–60%"
    with pytest.raises(KeyError):
        vocabulary.tier_range("基本达成")


def test_plans_and_the_audit_use_the_vocabularys_bounds() -> None:
    from perfrules.plan.model import QUALITATIVE_TIERS, Indicator

    assert QUALITATIVE_TIERS == ("达成", "部分达成", "未达成")
    assert Indicator.__dataclass_fields__["tiers"].default == vocabulary.DEFAULT_TIER_BOUNDS
    from perfrules.pipeline import compile_text

    run = compile_text("质量 qualitative weight 10\nactuals {\n  质量 = 部分达成 79%\n}\n", "t.perf")
    (indicator,) = run.plan.indicators()  # type: ignore[union-attr]
    assert indicator.tiers == (Decimal("0.8"), Decimal("0.6"))
    bad = compile_text("质量 qualitative weight 10\nactuals {\n  质量 = 部分达成 80%\n}\n", "t.perf")
    assert [f.code for f in bad.findings] == ["PR018"]
    assert "60%" in bad.findings[0].message() and "80%" in bad.findings[0].message()


# ---------------------------------------------------------------- faces: completions and the importer


def test_completions_offer_every_keyword_spelling() -> None:
    from perfrules.lsp.analysis import _keywords

    labels = [c.label for c in _keywords()]
    assert set(labels) == set(vocabulary.KEYWORD_OF) and len(labels) == len(set(labels))
    assert labels.index("weight") < labels.index("权重")  # the English spellings first


def test_the_importer_quotes_a_name_spelt_as_any_keyword() -> None:
    from perfrules.data.importer import quote

    chinese = [w for w in vocabulary.KEYWORD_OF if re.fullmatch(r"[\u4e00-\u9fff]+", w)]
    assert len(chinese) > 40
    assert [w for w in chinese if quote(w) != f'"{w}"'] == []
    assert quote("得分") == '"得分"' and quote("档次") == '"档次"' and quote("培训人次") == "培训人次"


def test_the_data_schema_patterns_come_from_the_vocabulary() -> None:
    from perfrules.data import schema

    for word in vocabulary.KEYWORDS["TIER"]:
        assert re.search(schema.TIER, word) and re.search(schema.TIER, f"{word} ９０％")
    assert not re.search(schema.TIER, "基本达成")
    assert schema.NOT_APPLICABLE == ["不适用", "na", "n/a"]


# ---------------------------------------------------------------- the 自评表 reader hands values to the language


@pytest.mark.parametrize("cell, value", [
    ("≥8755人", "8755 人"), (">=530元/人*月", "530 元/人/月"), ("87,411人", "87411 人"), ("＞＝８７５５人", "8755 人"),
    ("不低于95%", "95%"), ("100%（含）", "100%"), ("≧ 3.5 万元", "3.5 万元"),
])
def test_a_target_cell_reads_as_the_language_reads_its_value(cell: str, value: str) -> None:
    from perfrules.data.selfeval import parse_target

    target = parse_target(cell)
    read, findings = parse_value(value)
    assert target is not None and read is not None and read.quantity is not None and not findings
    assert (target.number, target.unit or None) == (read.quantity.value, read.quantity.unit)


def test_the_reader_takes_the_languages_limits_and_tier_words() -> None:
    from perfrules.data.selfeval import parse_money, parse_number, parse_target, read_unit, tier_word

    assert parse_number("9" * 15) == Decimal("9" * 15)
    assert parse_number("9" * 16) is None  # beyond the language's numbers (PR014.big in a rule file)
    assert parse_target("9" * 16) is None
    assert parse_number("－5") == Decimal(-5) and parse_number("10分") == Decimal(10) and parse_number("+5") == 5
    assert parse_money("1,234.5 万元") == (Decimal("1234.5"), "万元") and parse_money("5 人") is None
    assert parse_money("-5") is None
    assert [tier_word(w) for w in ("部分达成年度指标并具有一定效果", "基本达成", "已完成", "未完成", "达成。")] == \
        ["部分达成", "部分达成", "达成", "未达成", "达成"]
    assert tier_word("达成 90%") is None and tier_word("达成#") is None and tier_word("不适用") is None
    assert read_unit("元每人") == "元/人" and read_unit("（个）") == "" and read_unit("1/2") is None
    assert read_unit("分值") is None  # a keyword: the language reads no unit there
