"""`perfrules lsp`: the language server over stdio, a thin face over perfrules.lsp.analysis.

It keeps the text of each open document itself (lines split as LSP splits them: only "\\n",
"\\r\\n" and "\\r" end one, where pygls's own copy also splits at U+2028 and the like), the
latest analysis of each, publishes its findings as diagnostics on open and on every change, and
answers requests by converting positions (the client counts in the negotiated encoding, UTF-16
by default, perfrules in code points) and wrapping the analysis's plain answers in lsprotocol
types. It never reads a file the client did not open; a position or range past the end of a
document is taken as its end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.protocol.language_server import LanguageServerProtocol, lsp_method
from pygls.uris import to_fs_path

from perfrules import __version__
from perfrules.findings import Finding, Span
from perfrules.lsp import analysis as core
from perfrules.syntax.source import lines as split_lines

DOCS = "https://github.com/perfrules/perfrules/blob/main/docs/checks.md"
SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
            "info": lsp.DiagnosticSeverity.Information}
SYMBOL_KIND = {"dimension": lsp.SymbolKind.Module, "group": lsp.SymbolKind.Namespace,
               "indicator": lsp.SymbolKind.Field, "facts": lsp.SymbolKind.Struct, "fact": lsp.SymbolKind.Constant}
COMPLETION_KIND = {"keyword": lsp.CompletionItemKind.Keyword, "unit": lsp.CompletionItemKind.Unit,
                   "fact": lsp.CompletionItemKind.Constant, "indicator": lsp.CompletionItemKind.Field,
                   "code": lsp.CompletionItemKind.Value}


class Protocol(LanguageServerProtocol):
    """pygls's protocol, keeping each open document's text as the client has it (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.texts: dict[str, str] = {}

    @property
    def encoding(self) -> str:
        try:
            encoding = self.workspace.position_encoding
        except RuntimeError:  # not initialised yet
            encoding = None
        return str(getattr(encoding, "value", encoding) or "utf-16")

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: lsp.DidOpenTextDocumentParams) -> Iterator[Any]:
        self.texts[params.text_document.uri] = clean(params.text_document.text)
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams) -> Iterator[Any]:
        uri = params.text_document.uri
        text = self.texts.get(uri)
        if text is None:  # a change to a document that was never opened
            return
        for change in params.content_changes:
            text = apply_change(text, change, self.encoding)
        self.texts[uri] = text
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: lsp.DidCloseTextDocumentParams) -> Iterator[Any]:
        self.texts.pop(params.text_document.uri, None)
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


class PerfrulesServer(LanguageServer):
    protocol: Protocol

    def __init__(self) -> None:
        super().__init__("perfrules", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
                         protocol_cls=Protocol)
        self.analyses: dict[str, core.Analysis] = {}
        self.lang = "zh"

    @property
    def encoding(self) -> str:
        return self.protocol.encoding

    def analyse(self, uri: str) -> core.Analysis | None:
        text = self.protocol.texts.get(uri)
        if text is None:
            self.analyses.pop(uri, None)
            return None
        result = core.analyse(text, to_fs_path(uri) or uri)
        self.analyses[uri] = result
        return result

    def current(self, uri: str) -> core.Analysis | None:
        """The analysis of an open document; None for one the client did not open (never read from disk)."""
        return self.analyses.get(uri) or self.analyse(uri)


server = PerfrulesServer()


# ---------------------------------------------------------------- texts and positions


_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_END = re.compile(r"\r\n|\r|\n")


def clean(text: str) -> str:
    """A lone surrogate (JSON allows `"\\ud800"`) becomes U+FFFD: one UTF-16 unit for one, so positions hold."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def apply_change(text: str, change: lsp.TextDocumentContentChangeEvent, encoding: str) -> str:
    """`text` after one didChange event; a range past the end of the document reaches to its end."""
    if not isinstance(change, lsp.TextDocumentContentChangePartial):
        return clean(change.text)
    start = offset(text, change.range.start, encoding)
    end = offset(text, change.range.end, encoding)
    if end < start:
        start, end = end, start
    return text[:start] + clean(change.text) + text[end:]


def offset(text: str, position: lsp.Position, encoding: str) -> int:
    """The index in `text` of a client position; past the end of its line is the end of the line,
    past the last line the end of the text."""
    start = 0
    if position.line > 0:
        for number, match in enumerate(_LINE_END.finditer(text), start=1):
            if number == position.line:
                start = match.end()
                break
        else:
            return len(text)
    end = _LINE_END.search(text, start)
    line = text[start : end.start() if end else len(text)]
    return start + _index(line, max(position.character, 0), encoding)


def _index(line: str, units: int, encoding: str) -> int:
    """The code-point index in `line` of a column counted in the client's units (clamped to the line)."""
    if encoding == lsp.PositionEncodingKind.Utf32 or line.isascii() or (
            encoding == lsp.PositionEncodingKind.Utf16 and _units(line, encoding) == len(line)):
        return min(units, len(line))
    count = 0
    for index, char in enumerate(line):
        if count >= units:
            return index
        count += _units(char, encoding)
    return len(line)


def _units(text: str, encoding: str) -> int:
    """The length of `text` in the client's units."""
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_range(span: Span, lines: list[str], encoding: str = lsp.PositionEncodingKind.Utf16) -> lsp.Range:
    return lsp.Range(start=_position(span.line, span.column, lines, encoding),
                     end=_position(span.end_line, span.end_column, lines, encoding))


def _position(line: int, column: int, lines: list[str], encoding: str) -> lsp.Position:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return lsp.Position(line=max(line - 1, 0), character=_units(text[: max(column - 1, 0)], encoding))


def from_position(position: lsp.Position, lines: list[str],
                  encoding: str = lsp.PositionEncodingKind.Utf16) -> tuple[int, int]:
    """A client position as a 1-based line and 1-based code-point column (past the end: the end)."""
    line = max(position.line, 0)
    text = lines[line] if line < len(lines) else ""
    return line + 1, _index(text, max(position.character, 0), encoding) + 1


def end_of(text: str, encoding: str) -> lsp.Position:
    """The position just after the last character of `text`."""
    lines = split_lines(text)
    if not lines or _LINE_END.match(text[-1]):
        return lsp.Position(line=len(lines), character=0)
    return lsp.Position(line=len(lines) - 1, character=_units(lines[-1], encoding))


# ---------------------------------------------------------------- diagnostics


def diagnostic(finding: Finding, lines: list[str], lang: str,
               encoding: str = lsp.PositionEncodingKind.Utf16) -> lsp.Diagnostic:
    span = finding.span or Span("", 1, 1, 1, 1)
    message = finding.message(lang)
    hint = finding.hint(lang)
    return lsp.Diagnostic(
        range=to_range(span, lines, encoding),
        message=f"{message}\n{'提示' if lang != 'en' else 'hint'}: {hint}" if hint else message,
        severity=SEVERITY[finding.severity.value],
        code=finding.code,
        code_description=lsp.CodeDescription(href=f"{DOCS}#{finding.code.lower()}"),
        source="perfrules",
    )


def publish(ls: PerfrulesServer, uri: str) -> None:
    result = ls.analyse(uri)
    if result is None:
        return
    lines = result.lines
    diagnostics = [diagnostic(f, lines, ls.lang, ls.encoding) for f in result.findings()]
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
    if result is None:
        return None
    line, column = from_position(params.position, result.lines, ls.encoding)
    text = core.hover(result, line, column)
    if text is None:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def definition(ls: PerfrulesServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
    result = ls.current(params.text_document.uri)
    if result is None:
        return []
    line, column = from_position(params.position, result.lines, ls.encoding)
    return [lsp.Location(uri=params.text_document.uri, range=to_range(span, result.lines, ls.encoding))
            for span in core.definition(result, line, column)]


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def references(ls: PerfrulesServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    result = ls.current(params.text_document.uri)
    if result is None:
        return []
    line, column = from_position(params.position, result.lines, ls.encoding)
    spans = core.references(result, line, column, params.context.include_declaration)
    return [lsp.Location(uri=params.text_document.uri, range=to_range(span, result.lines, ls.encoding))
            for span in spans]


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbols(ls: PerfrulesServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
    result = ls.current(params.text_document.uri)
    if result is None:
        return []
    lines, encoding = result.lines, ls.encoding

    def convert(item: core.OutlineItem) -> lsp.DocumentSymbol:
        return lsp.DocumentSymbol(name=item.name, detail=item.detail or None, kind=SYMBOL_KIND[item.kind],
                                  range=to_range(item.span, lines, encoding),
                                  selection_range=to_range(item.selection, lines, encoding),
                                  children=[convert(c) for c in item.children])

    return [convert(item) for item in core.outline(result)]


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION,
                lsp.CompletionOptions(trigger_characters=[" ", ":", ",", "=", "*", "/", "("]))
def completion(ls: PerfrulesServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    result = ls.current(params.text_document.uri)  # analysed on the change that came before this request
    if result is None:
        return lsp.CompletionList(is_incomplete=False, items=[])
    line, column = from_position(params.position, result.lines, ls.encoding)
    items = [lsp.CompletionItem(label=c.label, kind=COMPLETION_KIND[c.kind], detail=c.detail or None)
             for c in core.completions(result, line, column)]
    return lsp.CompletionList(is_incomplete=False, items=items)


@server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: PerfrulesServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
    from perfrules.fmt import format_text

    text = ls.protocol.texts.get(params.text_document.uri)
    if text is None:
        return None
    formatted, _findings = format_text(text, to_fs_path(params.text_document.uri) or "")
    if formatted is None or formatted == text:
        return [] if formatted is not None else None
    whole = lsp.Range(start=lsp.Position(line=0, character=0), end=end_of(text, ls.encoding))
    return [lsp.TextEdit(range=whole, new_text=formatted)]


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
def code_action(ls: PerfrulesServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    result = ls.current(uri)
    if result is None:
        return []
    lines, encoding = result.lines, ls.encoding
    first, last = params.range.start.line + 1, params.range.end.line + 1
    actions = []
    for action in core.code_actions(result, first, last):
        edits = [lsp.TextEdit(range=to_range(edit.span, lines, encoding), new_text=edit.text)
                 for edit in action.edits]
        actions.append(lsp.CodeAction(
            title=action.title, kind=lsp.CodeActionKind.QuickFix, is_preferred=action.preferred or None,
            diagnostics=[diagnostic(action.finding, lines, ls.lang, encoding)],
            edit=lsp.WorkspaceEdit(changes={uri: edits}),
        ))
    return actions


def main() -> None:
    server.start_io()


if __name__ == "__main__":
    main()

