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


def test_a_record_compares_hashes_and_shows_as_a_frozen_dataclass_does() -> None:
    import dataclasses

    from perfrules.findings import Finding, Span
    from perfrules.syntax import ast

    @dataclasses.dataclass(frozen=True)
    class Plain:  # Finding as `@dataclass(frozen=True)` makes it
        code: str
        severity: object
        span: object
        args: tuple[tuple[str, object], ...] = ()
        key: str = ""
        hint_key: str = ""
        source_line: str = dataclasses.field(default="", compare=False)
        via: object = None

    span = Span("a.perf", 3, 5, 3, 9)
    one = Finding.make("PR101", span, source_line="x")
    other = Finding.make("PR101", span, source_line="y")  # source_line is not compared
    plain = [Plain(*(getattr(f, n.name) for n in dataclasses.fields(f))) for f in (one, other)]
    assert one == other and plain[0] == plain[1]
    assert hash(one) == hash(other) == hash(plain[0]) == hash(plain[1])
    assert repr(one) == repr(plain[0]).replace("Plain(", "Finding(", 1).replace(
        "test_a_record_compares_hashes_and_shows_as_a_frozen_dataclass_does.<locals>.", "")
    assert one != Finding.make("PR102", span) and (one == plain[0]) is False  # another class is never equal
    assert repr(span) == "Span(file='a.perf', line=3, column=5, end_line=3, end_column=9)"
    assert hash(span) == hash(("a.perf", 3, 5, 3, 9))
    name = ast.Name("指标", span)
    assert (ast.Ref(name) == ast.Ref(ast.Name("指标", span)), hash(ast.Ref(name)) == hash((name,))) == (True, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.line = 4  # type: ignore[misc]
    assert dataclasses.replace(span, line=4) == Span("a.perf", 4, 5, 3, 9)
    doc = parse("# a\n", "a.perf")[0]
    assert doc == dataclasses.replace(doc, text="b") and "text=" not in repr(doc)  # text: compare=False, repr=False


def test_diagnostics_encoded_ahead_are_the_bytes_json_would_write() -> None:
    import io
    import json

    from perfrules.lsp import server as lsp

    text = (ROOT / "rulesets" / "examples" / "retiree-services-2023.perf").read_text(encoding="utf-8")
    out = io.BytesIO()
    srv = lsp.Server(io.BytesIO(), out)
    uri = "file:///tmp/甲 𠀀.perf"
    lsp._did_open(srv, {"textDocument": {"uri": uri, "version": 7, "text": text + "\n  错 = = 𠀀\n"}})
    assert srv.wait_idle(60)
    lsp._did_change(srv, {"textDocument": {"uri": uri, "version": 8}, "contentChanges": [{"text": text}]})
    assert srv.wait_idle(60)
    bodies = [b for b in out.getvalue().split(b"Content-Length: ") if b]
    published = []
    for chunk in bodies:
        head, body = chunk.split(b"\r\n\r\n", 1)
        assert int(head) == len(body)
        message = json.loads(body)
        if message.get("method") == "textDocument/publishDiagnostics":
            published.append(message)
            expected = json.dumps({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
                                   "params": {"uri": uri, "diagnostics": message["params"]["diagnostics"],
                                              "version": message["params"]["version"]}},
                                  ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
            assert body == expected
    assert [(m["params"]["version"], len(m["params"]["diagnostics"])) for m in published][-1][0] == 8
    codes = [sorted({d["code"] for d in m["params"]["diagnostics"]}) for m in (published[0], published[-1])]
    assert "PR001" in codes[0] and "PR001" not in codes[1] and "PR106" in codes[1]
