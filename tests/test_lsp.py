"""The language server end to end: a real LSP client (pytest-lsp) drives `perfrules lsp` over stdio."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import SEED

TWO_ERRORS_AND_A_FINDING = textwrap.dedent("""\
    facts {
      到位资金 = 100 万元
      执行数 = 50 万元
    }
    dimension 产出 weight 100 {
      资格认证人数 ?? 60000 人 weight 40
      活动场次 >= 4 场 weight
      执行率 = 执行数 / 到位资金 >= 100% weight 30
      满意度 >= 95 weight 30
    }
    """)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "perfrules.cli", "lsp"]))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


async def open_document(client: LanguageClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="perfrules", version=1, text=text)))
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


def position_of(text: str, needle: str, offset: int = 0) -> lsp.Position:
    """The LSP position (UTF-16 units) of `needle` in `text`."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return lsp.Position(line=line, character=len(text.splitlines()[line][:column].encode("utf-16-le")) // 2)


@pytest.mark.asyncio
async def test_diagnostics_for_two_syntax_errors_and_a_lint_finding(client: LanguageClient, tmp_path: Path) -> None:
    uri = await open_document(client, tmp_path / "a.perf", TWO_ERRORS_AND_A_FINDING)
    diagnostics = sorted(client.diagnostics[uri], key=lambda d: d.range.start.line)
    found = [(d.code, d.range.start.line, d.range.start.character, d.range.end.character) for d in diagnostics]
    assert ("PR001", 5, 9, 10) in found    # 「?」 after 资格认证人数 (6 CJK characters + 2 spaces + 1)
    assert ("PR001", 6, 20, 20) in found   # the end of the line, where the weight's number is missing
    (pr108,) = [d for d in diagnostics if d.code == "PR108"]
    assert (pr108.range.start.line, pr108.range.start.character) == (8, 2)
    assert pr108.code_description is not None and pr108.code_description.href.endswith("#pr108")
    assert pr108.severity == lsp.DiagnosticSeverity.Warning


@pytest.mark.asyncio
async def test_diagnostics_follow_changes(client: LanguageClient, tmp_path: Path) -> None:
    uri = await open_document(client, tmp_path / "a.perf", TWO_ERRORS_AND_A_FINDING)
    fixed = TWO_ERRORS_AND_A_FINDING.replace("??", ">=").replace("weight\n", "weight 0\n").replace("95 w", "95% w")
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=fixed)]))
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not [d for d in client.diagnostics[uri] if d.code in ("PR001", "PR108")]


@pytest.mark.asyncio
async def test_hover_shows_target_and_weight(client: LanguageClient) -> None:
    text = SEED.read_text(encoding="utf-8")
    uri = await open_document(client, SEED, text)
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position_of(text, "资格认证人数   ", 2)))
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    value = hover.contents.value
    assert ">= 60000 人" in value and "权重：5" in value and "134.41%" in value and "得分：5.00" in value


@pytest.mark.asyncio
async def test_hover_on_a_check_code(client: LanguageClient, tmp_path: Path) -> None:
    text = "场次 >= 4 场 weight 100  # noqa: PR201\n"
    uri = await open_document(client, tmp_path / "a.perf", text)
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position_of(text, "PR201", 2)))
    assert hover is not None and "超额完成" in hover.contents.value  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_completion_in_a_formula_offers_fact_names(client: LanguageClient, tmp_path: Path) -> None:
    text = "facts {\n  到位资金 = 100 万元\n  执行数 = 50 万元\n}\n执行率 = \n"
    uri = await open_document(client, tmp_path / "a.perf", text)
    result = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=4, character=6)))
    assert result is not None
    items = result.items if isinstance(result, lsp.CompletionList) else result
    labels = {item.label for item in items}
    assert {"到位资金", "执行数"} <= labels and "weight" not in labels


@pytest.mark.asyncio
async def test_completion_of_codes_in_a_suppression(client: LanguageClient, tmp_path: Path) -> None:
    text = "场次 >= 4 场 weight 100  # noqa: \n"
    uri = await open_document(client, tmp_path / "a.perf", text)
    result = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=0, character=len(text) - 1)))
    items = result.items if isinstance(result, lsp.CompletionList) else result  # type: ignore[union-attr]
    assert "PR201" in {item.label for item in items}


@pytest.mark.asyncio
async def test_definition_jumps_to_a_fact_and_references_find_uses(client: LanguageClient) -> None:
    text = SEED.read_text(encoding="utf-8")
    uri = await open_document(client, SEED, text)
    use = position_of(text, "执行数 / 到位资金", 1)
    result = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=use))
    assert isinstance(result, list) and len(result) == 1
    assert result[0].range.start == position_of(text, "执行数     = 16.67")
    refs = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=use,
        context=lsp.ReferenceContext(include_declaration=True)))
    assert refs is not None and len(refs) == 2


@pytest.mark.asyncio
async def test_document_symbols_outline(client: LanguageClient) -> None:
    text = SEED.read_text(encoding="utf-8")
    uri = await open_document(client, SEED, text)
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert symbols is not None
    names = [s.name for s in symbols]  # type: ignore[union-attr]
    assert names == ["基础数据", "决策", "过程", "产出", "效益"]
    output = symbols[3]
    assert [g.name for g in output.children] == ["产出数量", "产出质量", "产出时效", "产出成本"]  # type: ignore[union-attr]
    assert "资格认证人数" in [i.name for i in output.children[0].children]  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_formatting(client: LanguageClient, tmp_path: Path) -> None:
    text = "a>=5人   weight 100 # 注释\n"
    uri = await open_document(client, tmp_path / "a.perf", text)
    edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert edits is not None and edits[0].new_text == "a >= 5 人 weight 100  # 注释\n"


@pytest.mark.asyncio
async def test_code_actions_suppress_and_insert_a_unit(client: LanguageClient, tmp_path: Path) -> None:
    text = "人数 >= 60000 weight 100\nactuals {\n  人数 = 60000 人\n}\n"
    uri = await open_document(client, tmp_path / "a.perf", text)
    diagnostics = client.diagnostics[uri]
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=5)),
        context=lsp.CodeActionContext(diagnostics=diagnostics)))
    assert actions is not None
    titles = [a.title for a in actions]  # type: ignore[union-attr]
    # the unit of the actual, as `perfrules lint --fix` writes it, is the preferred fix (the other units follow)
    assert "在目标后补写单位「人」（同 lint --fix）" in titles and "抑制 PR109（# noqa）" in titles
    assert "插入单位「人」" not in titles and "插入单位「个」" in titles
    unit = next(a for a in actions if a.title == "在目标后补写单位「人」（同 lint --fix）")  # type: ignore[union-attr]
    assert unit.is_preferred  # type: ignore[union-attr]
    (edit,) = unit.edit.changes[uri]  # type: ignore[union-attr]
    assert edit.new_text == " 人" and edit.range.start == lsp.Position(line=0, character=11)
