"""`perfrules lsp`: the language server over stdio, a thin face over perfrules.lsp.analysis.

It keeps the latest analysis of each open document, publishes its findings as diagnostics on
open and on every change, and answers requests by converting positions (LSP counts UTF-16 code
units, perfrules code points) and wrapping the analysis's plain answers in lsprotocol types.
"""

from __future__ import annotations

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from perfrules import __version__
from perfrules.findings import Finding, Span
from perfrules.lsp import analysis as core

DOCS = "https://github.com/perfrules/perfrules/blob/main/docs/checks.md"
SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
            "info": lsp.DiagnosticSeverity.Information}
SYMBOL_KIND = {"dimension": lsp.SymbolKind.Module, "group": lsp.SymbolKind.Namespace,
               "indicator": lsp.SymbolKind.Field, "facts": lsp.SymbolKind.Struct, "fact": lsp.SymbolKind.Constant}
COMPLETION_KIND = {"keyword": lsp.CompletionItemKind.Keyword, "unit": lsp.CompletionItemKind.Unit,
                   "fact": lsp.CompletionItemKind.Constant, "indicator": lsp.CompletionItemKind.Field,
                   "code": lsp.CompletionItemKind.Value}


class PerfrulesServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("perfrules", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.analyses: dict[str, core.Analysis] = {}
        self.lang = "zh"

    def analyse(self, uri: str) -> core.Analysis:
        document = self.workspace.get_text_document(uri)
        path = to_fs_path(uri) or uri
        result = core.analyse(document.source, path)
        self.analyses[uri] = result
        return result

    def current(self, uri: str) -> core.Analysis:
        return self.analyses.get(uri) or self.analyse(uri)


server = PerfrulesServer()


# ---------------------------------------------------------------- positions


def to_range(span: Span, lines: list[str]) -> lsp.Range:
    return lsp.Range(start=_position(span.line, span.column, lines), end=_position(span.end_line, span.end_column, lines))


def _position(line: int, column: int, lines: list[str]) -> lsp.Position:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return lsp.Position(line=max(line - 1, 0), character=_utf16(text[: max(column - 1, 0)]))


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def from_position(position: lsp.Position, lines: list[str]) -> tuple[int, int]:
    """A client position as a 1-based line and 1-based code-point column."""
    text = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for index, char in enumerate(text):
        if units >= position.character:
            return position.line + 1, index + 1
        units += _utf16(char)
    return position.line + 1, len(text) + 1


# ---------------------------------------------------------------- diagnostics


def diagnostic(finding: Finding, lines: list[str], lang: str) -> lsp.Diagnostic:
    span = finding.span or Span("", 1, 1, 1, 1)
    message = finding.message(lang)
    hint = finding.hint(lang)
    return lsp.Diagnostic(
        range=to_range(span, lines),
        message=f"{message}\n{'提示' if lang != 'en' else 'hint'}: {hint}" if hint else message,
        severity=SEVERITY[finding.severity.value],
        code=finding.code,
        code_description=lsp.CodeDescription(href=f"{DOCS}#{finding.code.lower()}"),
        source="perfrules",
    )


def publish(ls: PerfrulesServer, uri: str) -> None:
    result = ls.analyse(uri)
    lines = result.lines
    diagnostics = [diagnostic(f, lines, ls.lang) for f in result.findings()]
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))


@server.feature(lsp.INITIALIZE)
def initialize(ls: PerfrulesServer, params: lsp.InitializeParams) -> None:
    options = params.initialization_options or {}
    if isinstance(options, dict) and options.get("lang") in ("zh", "en"):
        ls.lang = options["lang"]


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PerfrulesServer, params: lsp.DidOpenTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PerfrulesServer, params: lsp.DidChangeTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PerfrulesServer, params: lsp.DidSaveTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PerfrulesServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.analyses.pop(params.text_document.uri, None)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


# ---------------------------------------------------------------- requests


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: PerfrulesServer, params: lsp.HoverParams) -> lsp.Hover | None:
    result = ls.current(params.text_document.uri)
    line, column = from_position(params.position, result.lines)
    text = core.hover(result, line, column)
    if text is None:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def definition(ls: PerfrulesServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
    result = ls.current(params.text_document.uri)
    line, column = from_position(params.position, result.lines)
    return [lsp.Location(uri=params.text_document.uri, range=to_range(span, result.lines))
            for span in core.definition(result, line, column)]


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def references(ls: PerfrulesServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    result = ls.current(params.text_document.uri)
    line, column = from_position(params.position, result.lines)
    spans = core.references(result, line, column, params.context.include_declaration)
    return [lsp.Location(uri=params.text_document.uri, range=to_range(span, result.lines)) for span in spans]


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbols(ls: PerfrulesServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
    result = ls.current(params.text_document.uri)
    lines = result.lines

    def convert(item: core.OutlineItem) -> lsp.DocumentSymbol:
        return lsp.DocumentSymbol(name=item.name, detail=item.detail or None, kind=SYMBOL_KIND[item.kind],
                                  range=to_range(item.span, lines), selection_range=to_range(item.selection, lines),
                                  children=[convert(c) for c in item.children])

    return [convert(item) for item in core.outline(result)]


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION,
                lsp.CompletionOptions(trigger_characters=[" ", ":", ",", "=", "*", "/", "("]))
def completion(ls: PerfrulesServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    result = ls.current(params.text_document.uri)  # analysed on the change that came before this request
    line, column = from_position(params.position, result.lines)
    items = [lsp.CompletionItem(label=c.label, kind=COMPLETION_KIND[c.kind], detail=c.detail or None)
             for c in core.completions(result, line, column)]
    return lsp.CompletionList(is_incomplete=False, items=items)


@server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: PerfrulesServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
    from perfrules.fmt import format_text

    document = ls.workspace.get_text_document(params.text_document.uri)
    formatted, _findings = format_text(document.source, to_fs_path(params.text_document.uri) or "")
    if formatted is None or formatted == document.source:
        return [] if formatted is not None else None
    lines = document.source.splitlines() or [""]
    end = lsp.Position(line=len(lines), character=0)
    return [lsp.TextEdit(range=lsp.Range(start=lsp.Position(line=0, character=0), end=end), new_text=formatted)]


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
def code_action(ls: PerfrulesServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    result = ls.current(uri)
    lines = result.lines
    first, last = params.range.start.line + 1, params.range.end.line + 1
    actions = []
    for action in core.code_actions(result, first, last):
        edits = [lsp.TextEdit(range=to_range(edit.span, lines), new_text=edit.text) for edit in action.edits]
        actions.append(lsp.CodeAction(
            title=action.title, kind=lsp.CodeActionKind.QuickFix, is_preferred=action.preferred or None,
            diagnostics=[diagnostic(action.finding, lines, ls.lang)],
            edit=lsp.WorkspaceEdit(changes={uri: edits}),
        ))
    return actions


def main() -> None:
    server.start_io()


if __name__ == "__main__":
    main()

