"""The language server as an editor uses it: positions in the negotiated encoding on CJK and non-BMP
text, one analysis per burst of edits, requests answered from the last analysis, JSON-RPC errors for
malformed requests, formatting that says why it did not, completion inside actuals, hovers in the
user's language, a light start-up, and syntax findings capped.

End to end through pytest-lsp (as tests/test_lsp.py) and a raw JSON-RPC client for what pytest-lsp
cannot send (bytes that are not JSON, requests with missing parameters).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsp_client import SERVER, Client
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from perfrules.limits import MAX_SYNTAX_ERRORS
from perfrules.lsp import analysis
from perfrules.syntax import parse
from perfrules.syntax.parser import LineCache

from conftest import SEED

CJK = "培训人数 >= 400 人 weight 100\nactuals {\n  培训人数 = 450 次\n}\n"
NON_BMP = CJK.replace("培训人数", "𠀀培训人数")


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def sliced(line: str, start: int, end: int, encoding: str) -> str:
    """The characters of `line` between two columns counted in `encoding` (as the client cuts them)."""
    if encoding == "utf-8":
        return line.encode("utf-8")[start:end].decode("utf-8")
    if encoding == "utf-16":
        return line.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")
    return line[start:end]


def cut(text: str, r: lsp.Range, encoding: str) -> str:
    assert r.start.line == r.end.line
    return sliced(text.splitlines()[r.start.line], r.start.character, r.end.character, encoding)


def at(line: int, character: int) -> lsp.Position:
    return lsp.Position(line=line, character=character)


# ---------------------------------------------------------------- positions in each encoding


def _client_with(encoding: str) -> Any:
    @pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
    async def fixture(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
        general = lsp.GeneralClientCapabilities(position_encodings=[lsp.PositionEncodingKind(encoding)])
        result = await lsp_client.initialize_session(
            lsp.InitializeParams(capabilities=lsp.ClientCapabilities(general=general)))
        assert result.capabilities.position_encoding == encoding
        yield
        await lsp_client.shutdown_session()

    return fixture


utf8_client = _client_with("utf-8")
utf16_client = _client_with("utf-16")
utf32_client = _client_with("utf-32")


async def open_document(client: LanguageClient, uri: str, text: str) -> list[lsp.Diagnostic]:
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="perfrules", version=1, text=text)))
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


async def _every_position_in(client: LanguageClient, encoding: str, tmp_path: Path) -> None:
    for name, text in (("cjk", CJK), ("non_bmp", NON_BMP)):
        uri = (tmp_path / f"{name}.perf").as_uri()
        document = lsp.TextDocumentIdentifier(uri=uri)
        (diagnostic,) = await open_document(client, uri, text)
        # the diagnostic underlines exactly 「450 次」 on 「  培训人数 = 450 次」
        assert diagnostic.code == "PR013" and cut(text, diagnostic.range, encoding) == "450 次"
        indicator = text.split(" ")[0]  # 培训人数 or 𠀀培训人数
        actual_line = text.splitlines()[2]
        inside = at(2, units("  " + indicator[:-1], encoding))  # on the last character of the name
        definition = await client.text_document_definition_async(lsp.DefinitionParams(
            text_document=document, position=inside))
        assert isinstance(definition, list) and len(definition) == 1
        assert definition[0].range.start.line == 0 and cut(text, definition[0].range, encoding) == indicator
        references = await client.text_document_references_async(lsp.ReferenceParams(
            text_document=document, position=inside, context=lsp.ReferenceContext(include_declaration=True)))
        assert references is not None
        assert sorted((r.range.start.line, cut(text, r.range, encoding)) for r in references) == \
            [(0, indicator), (2, indicator)]
        hover = await client.text_document_hover_async(lsp.HoverParams(text_document=document, position=inside))
        assert hover is not None and f"**{indicator}**" in hover.contents.value  # type: ignore[union-attr]
        # a position just past the name is not on it
        past = at(2, units("  " + indicator + " =", encoding))
        assert await client.text_document_hover_async(lsp.HoverParams(text_document=document, position=past)) is None
        # code actions: PR013 is an input error, which a noqa comment cannot suppress: none is offered (where a
        # suppression goes, counted in the encoding, is tested in tests/test_session4_lsp.py)
        actions = await client.text_document_code_action_async(lsp.CodeActionParams(
            text_document=document, range=lsp.Range(start=at(2, 0), end=at(2, 0)),
            context=lsp.CodeActionContext(diagnostics=[diagnostic])))
        assert actions is not None
        assert not [a for a in actions if isinstance(a, lsp.CodeAction) and "noqa" in a.title]
        assert units(actual_line, encoding) > 0
        # completion: the text edit replaces what was typed of the name, 「𠀀培」 or 「培」
        typed = indicator[: 2 if indicator.startswith("𠀀") else 1]
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangePartial(
                range=lsp.Range(start=at(3, 0), end=at(3, 0)), text=f"  {typed}\n")]))
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        edited = text.replace("次\n}", f"次\n  {typed}\n}}")
        completion = await client.text_document_completion_async(lsp.CompletionParams(
            text_document=document, position=at(3, units("  " + typed, encoding))))
        items = completion.items if isinstance(completion, lsp.CompletionList) else completion
        assert items
        first = items[0]
        assert first.label == indicator and isinstance(first.text_edit, lsp.TextEdit)
        assert cut(edited, first.text_edit.range, encoding) == typed
        # formatting: one edit over the whole text, ending after the last character in the encoding
        unformatted = edited.replace("  " + typed + "\n", "").rstrip("\n").replace("}", "} # 𠀀尾")
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=unformatted)]))
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
            text_document=document, options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)))
        assert edits is not None and len(edits) == 1
        last = unformatted.splitlines()[-1]
        assert edits[0].range.end == at(3, units(last, encoding))
        assert edits[0].new_text.endswith("}  # 𠀀尾\n")


@pytest.mark.asyncio
async def test_positions_in_utf8(utf8_client: LanguageClient, tmp_path: Path) -> None:
    await _every_position_in(utf8_client, "utf-8", tmp_path)


@pytest.mark.asyncio
async def test_positions_in_utf16(utf16_client: LanguageClient, tmp_path: Path) -> None:
    await _every_position_in(utf16_client, "utf-16", tmp_path)


@pytest.mark.asyncio
async def test_positions_in_utf32(utf32_client: LanguageClient, tmp_path: Path) -> None:
    await _every_position_in(utf32_client, "utf-32", tmp_path)


def test_the_three_encodings_differ_on_this_text() -> None:
    """The tests above would not notice a wrong encoding if the columns agreed: they do not."""
    line = NON_BMP.splitlines()[2][: NON_BMP.splitlines()[2].index("450")]
    assert (units(line, "utf-8"), units(line, "utf-16"), units(line, "utf-32")) == (21, 11, 10)


# ---------------------------------------------------------------- a raw JSON-RPC client


@pytest.fixture
def raw() -> Any:
    client = Client()
    yield client
    if client.process.poll() is None:
        client.process.kill()
        client.process.wait()


# ---------------------------------------------------------------- malformed requests


def test_malformed_requests_get_json_rpc_errors(raw: Client) -> None:
    raw.send(id=1, method="textDocument/hover", params={})  # before initialize
    assert raw.response(1)["error"]["code"] == -32002
    raw.initialize()
    raw.send_body(b"{not json")
    assert raw.response(None)["error"]["code"] == -32700
    raw.send(id=2, method="textDocument/hover", params={"textDocument": {"uri": "file:///a.perf"}})  # no position
    error = raw.response(2)["error"]
    assert error["code"] == -32602 and "textDocument/hover" in error["message"]
    raw.send(id=3, method="textDocument/hover", params={"textDocument": {"uri": "file:///a.perf"},
                                                        "position": {"line": "x", "character": 0}})
    assert raw.response(3)["error"]["code"] == -32602
    raw.send(id=4, method="textDocument/definition", params=[1, 2])
    assert raw.response(4)["error"]["code"] == -32602
    raw.send(id=5, method="workspace/noSuchThing", params={})
    assert raw.response(5)["error"]["code"] == -32601
    raw.send(id="six", params={})  # no method
    assert raw.response("six")["error"]["code"] == -32600
    raw.send(method="textDocument/didOpen", params={"textDocument": {}})  # a broken notification: no answer, no crash
    raw.send(id=7, method="textDocument/hover", params={"textDocument": {"uri": "file:///unopened.perf"},
                                                        "position": {"line": 0, "character": 0}})
    assert raw.response(7) == {"jsonrpc": "2.0", "id": 7, "result": None}
    assert raw.close() == 0


# ---------------------------------------------------------------- debounce, and requests never wait


def test_a_burst_of_changes_costs_one_analysis(raw: Client, tmp_path: Path) -> None:
    raw.initialize()
    uri = (tmp_path / "a.perf").as_uri()
    text = SEED.read_text(encoding="utf-8")
    raw.open(uri, text, wait=False)
    (first,) = raw.publishes(quiet=1.0)
    assert first["version"] == 1
    blank = text.splitlines().index("")
    for version in range(2, 12):  # ten keystrokes on a blank line, 10 ms apart: within the debounce of each other
        position = {"line": blank, "character": version - 2}
        raw.send(method="textDocument/didChange", params={
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": position, "end": position}, "text": "#" if version == 2 else "x"}]})
        time.sleep(0.01)
    published = raw.publishes(quiet=1.0)
    assert [p["version"] for p in published] == [11]
    assert published[0]["diagnostics"] == first["diagnostics"]  # a comment changes nothing
    raw.close()


def test_hover_and_completion_answer_while_an_analysis_runs(raw: Client, tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import generate  # bench/generate.py

    raw.initialize()
    uri = (tmp_path / "big.perf").as_uri()
    text = generate.generate(5000, 0)
    raw.open(uri, text, wait=False)
    raw.publishes(quiet=3.0)
    lines = text.splitlines()
    line = next(i for i, t in enumerate(lines) if ">=" in t and "{" not in t)
    name_at = len(lines[line]) - len(lines[line].lstrip()) + 1
    # the ruleset's rounding: every row is compiled and scored again (an edit of one row, or of the year, is analysed
    # incrementally, in a few tens of ms: over before the hover below is asked)
    rounding = next(i for i, t in enumerate(lines) if t.strip().startswith("rounding "))
    at = lines[rounding].index("rounding ") + len("rounding ")
    raw.send(method="textDocument/didChange", params={
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": rounding, "character": at},
                                      "end": {"line": rounding, "character": at + 1}}, "text": "3"}]})
    time.sleep(0.08)  # past the debounce: the analysis (hundreds of ms on 5,000 indicators) is running
    started = time.perf_counter()
    raw.send(id=10, method="textDocument/hover",
             params={"textDocument": {"uri": uri}, "position": {"line": line, "character": name_at}})
    hover = raw.response(10)
    hover_seconds = time.perf_counter() - started
    published_before = [m for m in raw.seen if m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"].get("version") == 2]
    assert hover["result"] is not None and "**" in hover["result"]["contents"]["value"]
    assert not published_before, "the hover waited for the analysis"
    assert hover_seconds < 0.15, f"hover took {hover_seconds * 1000:.0f} ms while an analysis ran"
    assert [p["version"] for p in raw.publishes(quiet=5.0)] == [2]
    raw.close()


def test_unchanged_lines_are_not_parsed_again() -> None:
    text = SEED.read_text(encoding="utf-8")
    cache = LineCache()
    parse(text, str(SEED), cache)
    parsed = cache.misses
    assert parsed > 50 and cache.hits == 0
    edited = text.replace("60000", "60001", 1)
    doc, findings = parse(edited, str(SEED), cache)
    assert cache.misses == 1 and cache.hits == parsed - 1
    fresh_doc, fresh_findings = parse(edited, str(SEED))
    assert doc == fresh_doc and findings == fresh_findings
    result = analysis.analyse(edited, str(SEED), cache)  # the analysis keeps it for the next one
    assert result.cache is cache and cache.misses == 0


def test_the_line_cache_keeps_syntax_errors_and_their_lines() -> None:
    text = "dimension 产出 weight 100 {\n  数量 ?? 1 人 weight 100\n  人数 >= 1 人 weight 1\n}\n"
    cache = LineCache()
    _, first = parse(text, "a.perf", cache)
    _, again = parse(text + "# 注释\n", "a.perf", cache)
    assert [(f.code, f.span) for f in again] == [(f.code, f.span) for f in first] and cache.misses == 0
    _, shifted = parse("\n" + text, "a.perf", cache)  # every line moved: parsed again, at its new number
    assert [f.span.line for f in shifted if f.span] == [3]


# ---------------------------------------------------------------- formatting, completion, language


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_formatting_a_broken_file_returns_no_edits_and_says_why(client: LanguageClient, tmp_path: Path) -> None:
    uri = (tmp_path / "a.perf").as_uri()
    await open_document(client, uri, "a >= 5 人 weight 100\n数量 ?? 1 人 weight 1\n")
    edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert edits is not None and len(edits) == 0
    for _ in range(100):  # the message comes with the answer
        if client.messages:
            break
        await asyncio.sleep(0.02)
    (shown,) = client.messages
    # `?` is a token now (`score ?`), so the line reads as a misplaced `?` rather than an unknown character
    assert shown.message.startswith("perfrules 未格式化此文件：第 2 行有错误（此处不应出现「?」")
    assert shown.type == lsp.MessageType.Warning


@pytest.mark.asyncio
async def test_completion_inside_actuals_offers_indicator_names_first(client: LanguageClient, tmp_path: Path) -> None:
    text = ("facts {\n  到位资金 = 100 万元\n}\ndimension 产出 weight 100 {\n  人数 >= 1 人 weight 50\n"
            "  \"满意度（%）\" >= 90% weight 50\n}\nactuals {\n  人数 = 2 人\n  \n}\n")
    uri = (tmp_path / "a.perf").as_uri()
    await open_document(client, uri, text)
    result = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=at(9, 2)))
    items = result.items if isinstance(result, lsp.CompletionList) else result  # type: ignore[union-attr]
    labels = [item.label for item in items]
    assert labels[:2] == ["满意度（%）", "人数"]  # the one without an actual first
    assert "weight" not in labels and items[0].kind == lsp.CompletionItemKind.Field
    # after 「=」 in actuals: units, not names
    result = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=at(8, 9)))
    items = result.items if isinstance(result, lsp.CompletionList) else result  # type: ignore[union-attr]
    assert items[0].label == "人"  # the unit of the indicator on this line first


def _hover_text(*args: str, **initialize: Any) -> str:
    raw = Client(*args)
    try:
        raw.initialize(**initialize)
        text = SEED.read_text(encoding="utf-8")
        uri = SEED.as_uri()
        raw.open(uri, text, wait=False)
        raw.publishes(quiet=1.0)
        line = next(i for i, t in enumerate(text.splitlines()) if "资格认证人数" in t)
        character = text.splitlines()[line].index("资格认证人数") + 1
        raw.send(id=5, method="textDocument/hover",
                 params={"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
        value = raw.response(5)["result"]["contents"]["value"]
        raw.close()
        return str(value)
    finally:
        if raw.process.poll() is None:
            raw.process.kill()


def test_hovers_follow_lang_then_the_client_locale() -> None:
    assert "- 权重：5" in _hover_text()
    assert "- weight: 5" in _hover_text(locale="en-US")
    assert "- 权重：5" in _hover_text(locale="zh-CN")
    assert "- weight: 5" in _hover_text("--lang", "en", locale="zh-CN")  # the command line wins
    english = _hover_text("--lang", "en")
    assert "- score: 5.00 / 5" in english and "- completion: 134.41%" in english


# ---------------------------------------------------------------- start-up


def test_the_server_starts_without_lsprotocol_pygls_or_lark() -> None:
    code = ("import sys, perfrules.lsp.server; "
            "print([m for m in ('lsprotocol', 'pygls', 'lark', 'cattrs') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_initialize_answers_the_negotiated_encoding_and_capabilities(raw: Client) -> None:
    result = raw.initialize(capabilities={"general": {"positionEncodings": ["utf-32", "utf-8"]}})
    assert result["capabilities"]["positionEncoding"] == "utf-32"
    assert result["capabilities"]["textDocumentSync"]["change"] == 2
    assert result["serverInfo"]["name"] == "perfrules"
    raw.close()


# ---------------------------------------------------------------- syntax errors capped


def test_syntax_findings_are_capped_with_one_saying_how_many_more() -> None:
    started = time.perf_counter()
    _doc, findings = parse("}\n" * 100_000, "a.perf")
    seconds = time.perf_counter() - started
    assert len(findings) == MAX_SYNTAX_ERRORS + 1 == 1001
    assert [f.key for f in findings[:MAX_SYNTAX_ERRORS]] == ["PR002.stray"] * MAX_SYNTAX_ERRORS
    last = findings[-1]
    assert (last.code, last.key, last.span.line if last.span else 0) == ("PR001", "PR001.more", 1001)
    assert last.message() == "另有 99000 个语法错误未列出（每个文件最多列出 1000 个）：先改正上面的错误"
    assert last.message("en") == "99000 more syntax errors not listed (at most 1000 per file): fix the ones above first"
    assert seconds < 3, f"{seconds:.1f} s"


def test_lines_past_the_cap_are_not_explained_and_stay_linear() -> None:
    started = time.perf_counter()
    _doc, findings = parse("数量 ?? 1\n" * 20_000, "a.perf")
    seconds = time.perf_counter() - started
    assert len(findings) == 1001 and findings[-1].arg("count") == 19_000
    assert seconds < 5, f"{seconds:.1f} s (the messages of all 20,000 took about 6.5 s)"
