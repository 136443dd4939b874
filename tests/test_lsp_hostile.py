"""The language server on hostile editing: noqa on a broken line, U+2028, odd positions, lone surrogates, memory.

The end-to-end tests drive `perfrules lsp` over stdio with pytest-lsp (as tests/test_lsp.py); the
text and position arithmetic and the memory bound are tested in-process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from perfrules.findings import Span
from perfrules.lsp import analysis
from perfrules.lsp.positions import apply_change, end_of, from_position, offset, to_range

from conftest import SEED, cli

BROKEN = "dimension 产出 weight 100 {\n  数量 ?? 1 人 weight 100{tail}\n  人数 >= 1 人 weight 1\n}\n"


# ---------------------------------------------------------------- noqa never hides a syntax error


@pytest.mark.parametrize("tail", ["  # noqa", "  # noqaXYZ", "  # noqa: PR001", "  # noqa: PR", "  # perfrules: noqa"])
def test_noqa_never_hides_its_own_syntax_error(tmp_path: Path, tail: str) -> None:
    text = BROKEN.replace("{tail}", tail)
    result = analysis.analyse(text, "a.perf")
    assert [(f.code, f.span.line if f.span else 0) for f in result.findings()] == [("PR001", 2)]
    path = tmp_path / "a.perf"
    path.write_text(text, encoding="utf-8")
    out = cli("check", str(path))
    assert out.exit_code == 2 and f"{path}:2:6: PR001" in out.stdout + out.stderr


def test_noqa_still_suppresses_a_validator_finding_on_a_line_that_parses() -> None:
    text = "dimension 产出 weight 100 {  # noqa: PR105\n  数量 >= 1 人 weight 100\n}\n"
    assert sorted(f.code for f in analysis.analyse(text, "a.perf").findings()) == ["PR021"]
    unsuppressed = text.replace("  # noqa: PR105", "")
    assert sorted(f.code for f in analysis.analyse(unsuppressed, "a.perf").findings()) == ["PR021", "PR105"]


# ---------------------------------------------------------------- lines and positions, in-process


def test_analysis_lines_split_as_lsp() -> None:
    result = analysis.analyse("# 注释\u2028仍是注释\r\n数量 ?? 1\r坏\n", "a.perf")
    assert result.lines == ["# 注释\u2028仍是注释", "数量 ?? 1", "坏"]
    assert sorted((f.span.line if f.span else 0) for f in result.findings()) == [2, 3]


def at(line: int, character: int) -> lsp.Position:
    return lsp.Position(line=line, character=character)


def partial(start: lsp.Position, end: lsp.Position, text: str) -> lsp.TextDocumentContentChangePartial:
    return lsp.TextDocumentContentChangePartial(range=lsp.Range(start=start, end=end), text=text)


def test_apply_change_counts_lines_and_units_as_the_client() -> None:
    text = "a\u2028b\r\n😀x\ry\n"
    assert offset(text, at(0, 3), "utf-16") == 3  # U+2028 does not end line 0
    assert offset(text, at(1, 2), "utf-16") == 6  # 😀 is two UTF-16 units, one code point
    assert offset(text, at(1, 4), "utf-8") == 6 and offset(text, at(1, 1), "utf-32") == 6
    assert offset(text, at(2, 1), "utf-16") == 9
    assert apply_change(text, partial(at(1, 2), at(2, 0), "Z"), "utf-16") == "a\u2028b\r\n😀Zy\n"
    assert apply_change(text, lsp.TextDocumentContentChangeWholeDocument(text="new"), "utf-16") == "new"


def test_apply_change_past_the_end_reaches_to_the_end() -> None:
    text = "ab\ncd"
    assert apply_change(text, partial(at(0, 99), at(0, 99), "!"), "utf-16") == "ab!\ncd"
    assert apply_change(text, partial(at(7, 3), at(9, 0), "!"), "utf-16") == "ab\ncd!"
    assert apply_change(text, partial(at(1, 1), at(99, 99), ""), "utf-16") == "ab\nc"
    assert apply_change(text, partial(at(1, 0), at(0, 1), ""), "utf-16") == "acd"  # reversed range


def test_lone_surrogates_become_replacement_characters() -> None:
    text = apply_change("ab", partial(at(0, 1), at(0, 1), "\ud800"), "utf-16")
    assert text == "a\ufffdb"
    text.encode("utf-8")  # no UnicodeEncodeError anywhere after this


def test_positions_past_the_end_give_empty_answers() -> None:
    result = analysis.analyse(SEED.read_text(encoding="utf-8"), str(SEED))
    lines = result.lines
    for position in (at(10**6, 0), at(0, 10**6), at(len(lines), 5)):
        line, column = from_position(position, lines)
        assert analysis.hover(result, line, column) is None
        assert analysis.definition(result, line, column) == []
        assert analysis.references(result, line, column) == []
        analysis.completions(result, line, column)
    assert from_position(at(0, 10**6), lines) == (1, len(lines[0]) + 1)
    assert to_range(Span("x", 10**6, 1, 10**6, 9), lines)["start"]["line"] == 10**6 - 1  # the server speaks JSON dicts
    point = lambda line, character: {"line": line, "character": character}  # noqa: E731
    assert end_of("a\nbc", "utf-16") == point(1, 2) and end_of("a\n", "utf-16") == point(1, 0) \
        and end_of("", "utf-16") == point(0, 0)


# ---------------------------------------------------------------- memory over a long session


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads RSS from /proc")
def test_memory_stays_flat_over_two_thousand_edits() -> None:
    text = SEED.read_text(encoding="utf-8")
    for i in range(50):  # warm up: the parser, the caches, the allocator's arenas
        analysis.analyse(text + f"# {i}\n", str(SEED))
    before = rss_mb()
    for i in range(2000):
        edited = text.replace("60000", str(60000 + i % 97), 1) if i % 2 else text + f"# 编辑 {i}\n"
        analysis.analyse(edited, str(SEED))
    grown = rss_mb() - before
    assert grown < 20, f"RSS grew {grown:.1f} MB over 2,000 edits"  # was about 140 MB before the fix


# ---------------------------------------------------------------- end to end over stdio


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "perfrules.cli", "lsp"]))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


async def open_document(client: LanguageClient, uri: str, text: str) -> list[lsp.Diagnostic]:
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="perfrules", version=1, text=text)))
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


async def change(client: LanguageClient, uri: str, version: int,
                 *changes: lsp.TextDocumentContentChangeEvent) -> list[lsp.Diagnostic]:
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=list(changes)))
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


def found(diagnostics: list[lsp.Diagnostic]) -> list[tuple[object, int, int]]:
    return sorted((d.code, d.range.start.line, d.range.start.character) for d in diagnostics)


@pytest.mark.asyncio
async def test_server_noqa_does_not_hide_a_syntax_error(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "a.perf").as_uri()
    assert found(await open_document(client, uri, BROKEN.replace("{tail}", "  # noqa"))) == [("PR001", 1, 5)]


@pytest.mark.asyncio
async def test_server_lines_agree_with_the_client_around_u2028(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "a.perf").as_uri()
    text = "dimension 产出 weight 100 {  # 注释\u2028仍是注释\n    数量 >= 1 人 weight 100\n}\n"  # fmt re-indents
    assert found(await open_document(client, uri, text)) == [("PR021", 1, 4), ("PR105", 0, 0)]
    # an edit on the client's line 1 lands on line 1: 「>=」 becomes 「??」
    diagnostics = await change(client, uri, 2, partial(at(1, 7), at(1, 9), "??"))
    assert found(diagnostics) == [("PR001", 1, 7)]
    # and an edit at the end of line 0, after the U+2028, stays on line 0
    end = len(text.split("\n")[0])  # UTF-16 units too: no character beyond the BMP
    diagnostics = await change(client, uri, 3, partial(at(1, 7), at(1, 9), ">="), partial(at(0, end), at(0, end), "X"))
    assert found(diagnostics) == [("PR021", 1, 4), ("PR105", 0, 0)]
    edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)))
    # one edit of the one line fmt changes: the client's line 1 (a U+2028 counted as a break would make it line 2)
    assert edits is not None and [(e.range.start, e.range.end, e.new_text) for e in edits] == \
        [(at(1, 0), at(2, 0), "  数量 >= 1 人 weight 100\n")]


@pytest.mark.asyncio
async def test_server_survives_hostile_changes_and_requests(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "a.perf").as_uri()
    text = SEED.read_text(encoding="utf-8")
    before = found(await open_document(client, uri, text))
    # a range far past the end, a lone surrogate, a reversed range: no crash, diagnostics keep coming
    await change(client, uri, 2, partial(at(10**6, 10**6), at(10**6 + 5, 0), "\n# 尾\ud800\n"))
    await change(client, uri, 3, partial(at(3, 10**6), at(2, 0), ""))
    diagnostics = await change(client, uri, 4, lsp.TextDocumentContentChangeWholeDocument(text=text))
    assert found(diagnostics) == before
    document = lsp.TextDocumentIdentifier(uri=uri)
    for position in (at(10**6, 0), at(0, 10**6), at(2**31 - 1, 2**31 - 1)):
        assert await client.text_document_hover_async(lsp.HoverParams(text_document=document, position=position)) \
            is None
        assert await client.text_document_definition_async(
            lsp.DefinitionParams(text_document=document, position=position)) == []
        await client.text_document_completion_async(lsp.CompletionParams(text_document=document, position=position))
    # a document that was never opened is never read from disk
    secret = tmp_path / "secret.perf"
    secret.write_text(text, encoding="utf-8")
    unopened = lsp.TextDocumentIdentifier(uri=secret.as_uri())
    assert await client.text_document_hover_async(lsp.HoverParams(text_document=unopened, position=at(5, 4))) is None
    assert await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=unopened)) == []


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "perfrules.cli", "lsp"]))
async def utf8_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    general = lsp.GeneralClientCapabilities(position_encodings=[lsp.PositionEncodingKind.Utf8])
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(general=general)))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_server_counts_columns_in_the_negotiated_encoding(utf8_client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "a.perf").as_uri()
    diagnostics = await open_document(utf8_client, uri, BROKEN.replace("{tail}", ""))
    assert found(diagnostics) == [("PR001", 1, 2 + len("数量 ".encode()))]  # UTF-8 bytes, as Neovim asks

