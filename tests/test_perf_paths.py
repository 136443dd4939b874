"""The fast paths give what the slow ones give (issue 14): behaviour only, never timing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from perfrules.syntax.parser import LineCache, parse

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "rulesets" / "examples").glob("*.perf"))
sys.path.insert(0, str(ROOT / "bench"))


def _edits(text: str) -> list[str]:
    """The text after edits an editor makes: a comment typed, a line broken, a brace removed, full-width
    text and a quote typed, a line inserted at the top (every later line moves), the text emptied."""
    lines = text.splitlines(keepends=True)
    first = next(i for i, t in enumerate(lines) if t.strip() and not t.lstrip().startswith("#") and "{" not in t)
    brace = next(i for i, t in enumerate(lines) if t.strip() == "}")
    return [
        "".join([*lines[:first], lines[first].rstrip("\n") + "  # 注释 1\n", *lines[first + 1:]]),
        "".join([*lines[:first], lines[first].rstrip("\n") + " >= ＞ (\n", *lines[first + 1:]]),
        "".join(lines[:brace] + lines[brace + 1:]),
        "".join([*lines[:first], '  指标"引号 ＞＝ １００％  # x\n', *lines[first:]]),
        "# 新的一行\n" + text,
        text,
        "",
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_a_cached_parse_gives_what_a_fresh_one_gives(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    cache = LineCache()
    first = parse(text, str(path), cache)
    assert first == parse(text, str(path))
    for edited in _edits(text):
        cached = parse(edited, str(path), cache)
        fresh = parse(edited, str(path))
        assert cached[0] == fresh[0]
        assert cached[1] == fresh[1]
        again = parse(edited, str(path), cache)  # every line from the cache now
        assert again == fresh
        assert cache.misses == 0 or not edited


def test_a_cached_parse_of_a_generated_file_gives_what_a_fresh_one_gives() -> None:
    from generate import generate

    text = generate(300, 0)
    cache = LineCache()
    parse(text, "big.perf", cache)
    for edited in _edits(text):
        assert parse(edited, "big.perf", cache) == parse(edited, "big.perf")


def test_the_cache_reads_again_only_the_lines_that_changed() -> None:
    text = (ROOT / "rulesets" / "examples" / "retiree-services-2023.perf").read_text(encoding="utf-8")
    cache = LineCache()
    parse(text, "a.perf", cache)
    statements = cache.misses
    edited = _edits(text)[0]
    parse(edited, "a.perf", cache)
    assert (cache.hits, cache.misses) == (statements - 1, 1)


def test_a_cache_of_another_file_is_not_used() -> None:
    text = (ROOT / "rulesets" / "examples" / "retiree-services-2023.perf").read_text(encoding="utf-8")
    cache = LineCache()
    parse(text, "a.perf", cache)
    doc, findings = parse(text, "b.perf", cache)
    assert cache.hits == 0
    assert (doc, findings) == parse(text, "b.perf")
