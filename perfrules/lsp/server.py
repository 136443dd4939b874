"""`perfrules lsp`: the language server over stdio, a thin face over perfrules.lsp.analysis.

It speaks JSON-RPC itself, in plain dicts (no lsprotocol or pygls at start-up: importing their
types took most of the half second the server needed to start). Every request gets a response:
an unknown method, parameters it cannot read or a failure inside are JSON-RPC errors, never
silence.

Documents: it keeps the text of each open document itself, lines split as LSP splits them (only
"\\n", "\\r\\n" and "\\r" end one). It never reads a file the client did not open; a position or
range past the end of a document is taken as its end.

Positions: the client counts columns in the encoding negotiated at `initialize` (utf-8, utf-16
or utf-32; utf-16 when the client offers none), perfrules in code points. Every position the
server sends goes through `to_range`/`to_position`, every one it reads through `from_position`
or `offset`.

Analysis: a change is analysed DEBOUNCE seconds after the last keystroke, on a worker thread, so
a burst of changes costs one analysis and requests never wait for one: hover, completion and the
rest answer at once from the last finished analysis. An analysis whose text is replaced while it
runs stops at the next stage (pipeline.Stopped). Only what an edit changed is made again: the
parser keeps each document's lines and top-level blocks, compile and evaluate what they made of
each section (perfrules.syntax.parser.LineCache and its `later`; tests/test_lsp_incremental.py
compares the result with an analysis from nothing). Lines inserted or deleted above (Enter, a
deleted or pasted block) do not make the lines below new: their spans are re-based in place
(parser._rebase), so a request answered from the last analysis while the next one runs may see
the new line numbers of the lines that moved.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable
from json.encoder import encode_basestring as _encode_string
from typing import IO, Any

from perfrules import __version__
from perfrules.findings import Finding, Span
from perfrules.lsp import analysis as core
from perfrules.lsp.positions import (
    apply_change,
    clean,
    end_of,
    from_position,
    line_and_character,
    to_position,
    to_range,
)
from perfrules.lsp.protocol import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    SERVER_NOT_INITIALIZED,
    Json,
    RequestError,
)
from perfrules.messages import hint_label, render
from perfrules.syntax.parser import LineCache
from perfrules.syntax.source import lines as split_lines

DOCS = "https://github.com/perfrules/perfrules/blob/main/docs/checks.md"
DEBOUNCE = 0.04
"""Seconds after the last change before a document is analysed (a burst of keystrokes costs one analysis):
longer than the 30 ms between the keys of a key repeat or a fast burst (bench/lsp_latency.py), short
enough to leave most of the 100 ms a 2,000-indicator file may take (issue 14) to the analysis."""

IDLE = 1.0
"""Seconds without a change before the garbage of the last analyses is collected (see Server._analyse)."""

MAX_COMPLETIONS = 200
"""Items in one completion answer; past that it is marked incomplete and the client asks again as more is typed."""

SEVERITY = {"error": 1, "warning": 2, "info": 3}
SYMBOL_KIND = {"dimension": 2, "group": 3, "indicator": 8, "facts": 23, "fact": 14}  # Module, Namespace, Field, ...
COMPLETION_KIND = {"keyword": 14, "unit": 11, "fact": 21, "indicator": 5, "code": 12}
ENCODINGS = ("utf-8", "utf-16", "utf-32")





# ---------------------------------------------------------------- diagnostics


def diagnostic(finding: Finding, lines: list[str], lang: str, encoding: str = "utf-16",
               sources: dict[str, list[str]] | None = None) -> Json:
    """A finding as a diagnostic of the document whose `lines` are given.

    A finding located in a file the document `use`s (not std/: `via` is its use line) is shown at the use
    line, as a std/ framework's are, its message led by where it is (「base.perf:11：」), with that place as
    related information (`sources`: the lines of the files the analysis read, for its range).
    """
    span = finding.via or finding.span or Span("", 1, 1, 1, 1)
    message = finding.message(lang)
    related: list[Json] = []
    if finding.via is not None and finding.span is not None:
        place = finding.span
        shown = os.path.relpath(place.file, os.path.dirname(finding.via.file) or os.curdir)
        message = render("use.at", lang, {"file": shown, "line": place.line}) + message
        related = [{"location": {"uri": _file_uri(place.file),
                                 "range": to_range(place, (sources or {}).get(place.file, []), encoding)},
                    "message": finding.message(lang)}]
    hint = finding.hint(lang)
    out: Json = {
        "range": to_range(span, lines, encoding),
        "message": f"{message}\n{hint_label(lang)}{hint}" if hint else message,
        "severity": SEVERITY[finding.severity.value],
        "code": finding.code,
        "codeDescription": {"href": f"{DOCS}#{finding.code.lower()}"},
        "source": "perfrules",
    }
    if related:
        out["relatedInformation"] = related
    return out


def _file_uri(path: str) -> str:
    from pathlib import Path

    return Path(os.path.abspath(path)).as_uri()


def _range_json(span: Span, lines: list[str], encoding: str) -> str:
    """`to_range(span, lines, encoding)` as JSON text, made directly (a 10,000-row outline has 40,000 positions)."""
    start, end = to_position(span.line, span.column, lines, encoding), to_position(span.end_line, span.end_column,
                                                                                  lines, encoding)
    return (f'{{"start":{{"line":{start["line"]},"character":{start["character"]}}},'
            f'"end":{{"line":{end["line"]},"character":{end["character"]}}}}}')


def _string(text: str) -> str:
    """A string as JSON text, as `_json` writes it (not ASCII-escaped)."""
    return _encode_string(text)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_HEAD = re.compile(r'\{"range":\{"start":\{"line":\d+,("character":\d+\},"end":\{"line":)\d+,')


def _moved(encoded: str, span: Span) -> str:
    """A diagnostic's JSON text (`diagnostic`, encoded) with the lines of `span`: the same finding, moved."""
    return _HEAD.sub(lambda m: f'{{"range":{{"start":{{"line":{span.line - 1},{m[1]}{span.end_line - 1},', encoded,
                     count=1)


def _publish_json(uri: str, diagnostics: list[str], version: int | None) -> str:
    """The publishDiagnostics notification as `send` would encode it, from diagnostics encoded already."""
    params = f'{{"uri":{_json(uri)},"diagnostics":[{",".join(diagnostics)}]'
    if version is not None:
        params += f',"version":{_json(version)}'
    return f'{{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{params}}}}}'


# ---------------------------------------------------------------- the server


def _fs_path(uri: str) -> str:
    if not uri.startswith("file://"):
        return uri
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    path = unquote(parsed.path)
    if os.name == "nt" and re.match(r"/[A-Za-z]:", path):
        path = path[1:]
    return path


def _locale_lang(locale: object) -> str | None:
    if not isinstance(locale, str) or not locale:
        return None
    return "zh" if locale.lower().startswith("zh") else "en"


def _environment_lang(environ: dict[str, str] | os._Environ[str]) -> str | None:
    """The language of the environment the editor started the server in, for a client that sends no locale (Neovim):
    the first of LC_ALL, LC_MESSAGES and LANG that is set, as POSIX reads them; "C" and "POSIX" say nothing."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return None if value.split(".")[0] in ("C", "POSIX") else _locale_lang(value)
    return None


def _params_problem(method: str, error: Exception) -> str:
    """Why the parameters of `method` could not be read, Chinese first, in the words of the protocol (a missing
    field is named; no Python internals such as `KeyError('position')`)."""
    if isinstance(error, KeyError) and error.args:
        name = str(error.args[0])
        return f"{method} 的参数缺少字段 {name} / invalid params for {method}: the field {name} is missing"
    if isinstance(error, (TypeError, AttributeError, IndexError)):
        return (f"{method} 的参数类型不对（应为 LSP 规定的对象、字符串与整数）/ invalid params for {method}: "
                "a field is not of the type the protocol gives it")
    return f"{method} 的参数取值无效 / invalid params for {method}: a value is out of range"


def _length(value: bytes) -> int | None:
    """A Content-Length value, or None when it is no length."""
    text = value.strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None


class Server:
    """One client over a pair of byte streams; requests are answered on the reading thread,
    analyses run on one worker thread."""

    def __init__(self, reader: IO[bytes], writer: IO[bytes], lang: str | None = None) -> None:
        self.reader, self.writer = reader, writer
        self.forced_lang = lang  # --lang or PERFRULES_LANG: wins over what the client says
        self.lang = lang or "zh"
        self.encoding = "utf-16"
        self.texts: dict[str, str] = {}  # as the client has them, but for a leading BOM (see BOM_STAND_IN)
        self.boms: set[str] = set()  # the documents that start with a BOM
        # per document: the last outline's memo and its rows' symbols as JSON text (see _document_symbols)
        self.outlines: dict[str, Outline] = {}
        self.versions: dict[str, int] = {}
        self.analyses: dict[str, core.Analysis] = {}
        self.ready: dict[str, core.Analysis] = {}  # per document: the last analysis indexed for requests
        self.formatted: dict[str, str] = {}  # per document: the last text `_formatting` made (or found formatted)
        self.caches: dict[str, LineCache | None] = {}  # per document: the parser's lines
        self.published: dict[str, dict[object, str]] = {}  # per document: the last diagnostics (as JSON), by finding and line
        self._published_ids: dict[str, dict[int, tuple[Finding, object, str, int, int]]] = {}  # the same, by the finding object (and its lines)
        self.due: dict[str, float] = {}  # documents waiting for analysis, with when to start
        self.initialized = False
        self.shut_down = False
        self.analysed = 0  # analyses run (tests and benchmarks count them)
        self.stopped = 0  # analyses given up between two stages because a newer change came in
        self._collect = False  # an analysis ran since the last collection (see _analyse)
        self._write_lock = threading.Lock()
        self._state = threading.Condition()
        self._worker = threading.Thread(target=self._work, name="perfrules-analysis", daemon=True)
        self._worker.start()

    # ------------------------------------------------------------ the wire

    def send(self, message: Json) -> None:
        self.send_text(_json(message))

    def send_text(self, text: str) -> None:
        """A message already encoded as JSON text."""
        body = text.encode("utf-8", "surrogatepass")
        with self._write_lock:
            self.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.writer.flush()

    def notify(self, method: str, params: Json) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def show(self, zh: str, en: str, kind: int = 2) -> None:
        """A message for the user (window/showMessage), in the server's language, and in the log."""
        text = en if self.lang == "en" else zh
        self.notify("window/showMessage", {"type": kind, "message": text})
        self.notify("window/logMessage", {"type": kind, "message": text})

    def read(self) -> bytes | None:
        """One message body, or None at the end of input.

        A header block without a readable Content-Length (`Content-Lenght: 2`, `Content-Length: x`) cannot say
        where its body ends: it is answered with a JSON-RPC error (id null) and logged, and the server reads on
        to the next `Content-Length` header, also when the skipped body runs into it on the same line
        (`{}Content-Length: 52`). A message is never waited for that will not come."""
        length: int | None = None
        bad: list[bytes] = []  # the lines of a header block that gives no length
        skipping = False  # reported already: what follows up to the next Content-Length is its body
        while True:
            header = self.reader.readline()
            if not header:
                return None
            header = header.strip()
            if not header:
                if length is not None:
                    break
                if bad:
                    self._bad_header(bad)
                    bad, skipping = [], True
                continue
            name, colon, value = header.partition(b":")
            key = name.strip().lower()
            if colon and key == b"content-length":
                length = _length(value)
                skipping = False
                if length is None:
                    bad.append(header)
            elif colon and key == b"content-type":
                if not skipping and length is None:  # reported with the block when no length follows
                    bad.append(header)
            elif (at := header.lower().rfind(b"content-length:")) > 0:  # a skipped body, then the next header
                if not skipping:
                    self._bad_header([*bad, header[:at]])
                bad, skipping = [], False
                length = _length(header[at + len(b"content-length:"):])
                if length is None:
                    bad.append(header[at:])
            elif not skipping:
                bad.append(header)
        body = self.reader.read(length)
        return body if len(body) == length else None

    def _bad_header(self, lines: list[bytes]) -> None:
        shown = " | ".join(line.decode("utf-8", "replace")[:80] for line in lines[:3])
        zh = f"消息头无效，缺少可读的 Content-Length，已跳过：{shown}"
        en = f"bad message header, no readable Content-Length; skipped: {shown}"
        self.send({"jsonrpc": "2.0", "id": None, "error": {"code": PARSE_ERROR, "message": f"{zh} / {en}"}})
        self.log(f"{zh} / {en}")

    def serve(self) -> int:
        while True:
            body = self.read()
            if body is None:
                return 0 if self.shut_down else 1
            if self.handle(body) == "exit":
                return 0 if self.shut_down else 1

    def handle(self, body: bytes) -> str | None:
        try:
            message = json.loads(body.decode("utf-8", "replace"))
        except ValueError as error:
            self.send({"jsonrpc": "2.0", "id": None,
                       "error": {"code": PARSE_ERROR, "message": f"不是 JSON / not JSON: {error}"}})
            return None
        if not isinstance(message, dict):
            self.send({"jsonrpc": "2.0", "id": None,
                       "error": {"code": INVALID_REQUEST, "message": "请求须是对象 / a request is an object"}})
            return None
        method, ident = message.get("method"), message.get("id")
        is_request = "id" in message
        if not isinstance(method, str):
            if is_request and "result" not in message and "error" not in message:  # not a response to us either
                self.send({"jsonrpc": "2.0", "id": ident,
                           "error": {"code": INVALID_REQUEST, "message": "缺少 method / no method"}})
            return None
        params = message.get("params")
        if params is None:
            params = {}
        if method == "exit":
            return "exit"
        try:
            if not isinstance(params, (dict, list)):
                raise RequestError(INVALID_PARAMS, "params 须是对象 / params must be an object")
            result = self.dispatch(method, params, is_request)
        except RequestError as error:
            if is_request:
                self.send({"jsonrpc": "2.0", "id": ident, "error": {"code": error.code, "message": str(error)}})
            return None
        except (KeyError, TypeError, AttributeError, IndexError, ValueError) as error:
            text = _params_problem(method, error)
            if is_request:
                self.send({"jsonrpc": "2.0", "id": ident, "error": {"code": INVALID_PARAMS, "message": text}})
            else:
                self.log(text)
            return None
        except Exception as error:  # a perfrules bug: answer and keep serving
            self.log("".join(traceback.format_exception(error)))
            if is_request:
                self.send({"jsonrpc": "2.0", "id": ident, "error": {
                    "code": INTERNAL_ERROR, "message": f"perfrules 内部错误 / internal error: {error!r}"}})
            return None
        if is_request:
            if isinstance(result, Encoded):
                self.send_text(f'{{"jsonrpc":"2.0","id":{_json(ident)},"result":{result.text}}}')
            else:
                self.send({"jsonrpc": "2.0", "id": ident, "result": result})
        return None

    def log(self, text: str) -> None:
        self.notify("window/logMessage", {"type": 1, "message": text})

    def dispatch(self, method: str, params: Any, is_request: bool) -> Any:
        if method == "initialize":
            return self.initialize(params)
        if not self.initialized and is_request:
            raise RequestError(SERVER_NOT_INITIALIZED, "尚未初始化 / not initialized")
        if self.shut_down and is_request:
            raise RequestError(INVALID_REQUEST, "已关闭 / shut down")
        handler = HANDLERS.get(method)
        if handler is None:
            if is_request:
                raise RequestError(METHOD_NOT_FOUND, f"不支持的方法 / unsupported method: {method}")
            return None
        return handler(self, params)

    # ------------------------------------------------------------ life cycle

    def initialize(self, params: Json) -> Json:
        if not isinstance(params, dict):
            raise RequestError(INVALID_PARAMS, "initialize 的参数须是对象 / initialize params must be an object")
        general = ((params.get("capabilities") or {}).get("general") or {})
        offered = general.get("positionEncodings") or []
        self.encoding = next((e for e in offered if e in ENCODINGS), "utf-16")
        options = params.get("initializationOptions") or {}
        chosen = options.get("lang") if isinstance(options, dict) else None
        if self.forced_lang is None:
            self.lang = chosen if chosen in ("zh", "en") else \
                _locale_lang(params.get("locale")) or _environment_lang(os.environ) or "zh"
        self.initialized = True
        return {
            "capabilities": {
                "positionEncoding": self.encoding,
                "textDocumentSync": {"openClose": True, "change": 2, "save": {"includeText": False}},
                "hoverProvider": True,
                "definitionProvider": True,
                "referencesProvider": True,
                "documentSymbolProvider": True,
                "completionProvider": {"triggerCharacters": [" ", ":", ",", "=", "*", "/", "("]},
                "documentFormattingProvider": True,
                "codeActionProvider": {"codeActionKinds": ["quickfix"]},
            },
            "serverInfo": {"name": "perfrules", "version": __version__},
        }

    # ------------------------------------------------------------ analysis

    def schedule(self, uri: str, delay: float) -> None:
        with self._state:
            self.due[uri] = time.monotonic() + delay
            self._state.notify()

    def _work(self) -> None:
        while True:
            with self._state:
                while True:
                    now = time.monotonic()
                    ready = [(when, uri) for uri, when in self.due.items() if when <= now]
                    if ready:
                        _when, uri = min(ready)
                        del self.due[uri]
                        text, version = self.texts.get(uri), self.versions.get(uri)
                        break
                    if not self.due and self._collect:  # the garbage of the last analyses, once the edits pause
                        if not self._state.wait(IDLE):
                            uri, text = "", None
                            break
                        continue
                    self._state.wait(min(self.due.values()) - now if self.due else None)
            if text is None:
                if not uri:
                    self._collect = False
                    from perfrules import gcpause

                    gcpause.collect_when_grown()
                continue
            try:
                self._analyse(uri, text, version)
            except Exception as error:  # a perfrules bug: say it, keep serving
                self.log("".join(traceback.format_exception(error)))

    def _analyse(self, uri: str, text: str, version: int | None) -> None:
        from perfrules import gcpause
        from perfrules.pipeline import Stopped

        cache = self.caches.get(uri) or LineCache()
        self.caches[uri] = cache  # kept even when this analysis stops: the stages it finished are not made again
        try:
            result = core.analyse(text, _fs_path(uri), cache=cache, collect=False,
                                  stop=lambda: self.texts.get(uri) is not text)
        except Stopped:  # a newer change came in meanwhile: its own analysis is due
            self.stopped += 1
            return
        self.analysed += 1
        with self._state:
            if uri not in self.texts:  # closed meanwhile
                return
            self.analyses[uri] = result
            current = self.versions.get(uri) == version and self.texts.get(uri) is text
        if current:  # otherwise a newer change is waiting for its own analysis
            lines = result.lines
            diagnostics = self._diagnostics(uri, result.findings(), lines)
            self.send_text(_publish_json(uri, diagnostics, version))
        if self.texts.get(uri) is text:  # else a newer change is waiting, and its analysis indexes its own names
            # (objects that live until the next analysis, made with the collector paused like the stages' own: its
            # generations would otherwise start a full collection of the whole document, seconds on a large one)
            with gcpause.paused():
                result.index()  # names for hover and definition, after the diagnostics are out
                cache.prepare()  # the spans of the lines parsed anew, for an edit that moves them (parser._rebase)
            with self._state:
                if uri in self.texts:
                    self.ready[uri] = result  # requests are answered from it from now on (see current)
        # The server analyses every edit: its garbage cycles must not pile up. They are collected when the edits
        # pause (IDLE), and at once only when what the process holds has doubled: a full collection of a large
        # document's objects takes longer than an analysis, and must not hold up the next one.
        self._collect = True
        gcpause.collect_when_grown(1.0)

    def _diagnostics(self, uri: str, findings: list[Finding], lines: list[str]) -> list[str]:
        """The findings as diagnostics, each as its JSON text; one made for the last analysis is taken again when
        the finding (the same object, or an equal one) and the text of its lines are the same (an edit changes a
        few lines: thousands of messages need not be made, nor encoded, again; the incremental analysis hands
        back the very same finding objects for what did not change, found by identity without hashing them).
        A finding whose lines moved (lines inserted or deleted above it: its span is re-based) keeps its text
        and columns: only the line numbers at the head of its JSON are written again."""
        last = self.published.get(uri, {})
        same = self._published_ids.get(uri, {})
        made: dict[object, str] = {}
        ids: dict[int, tuple[Finding, object, str, int, int]] = {}
        out = []
        count = len(lines)
        for finding in findings:
            span = finding.via or finding.span  # a used file's finding is shown at its use line
            where = (lines[span.line - 1] if span and 0 < span.line <= count else None,
                     lines[span.end_line - 1] if span and 0 < span.end_line <= count else None)
            kept = same.get(id(finding))
            if kept is not None and kept[0] is finding and kept[1] == where:
                if span is not None and (span.line, span.end_line) != (kept[3], kept[4]):
                    kept = (finding, where, _moved(kept[2], span), span.line, span.end_line)
                ids[id(finding)] = kept
                out.append(kept[2])
                continue
            try:
                key: object = (finding, where)
                found = last.get(key) or made.get(key)
            except TypeError:  # an argument that cannot be hashed: made every time
                key, found = None, None
            if found is None:
                used = self.analyses[uri].run.sources if finding.via is not None and uri in self.analyses else None
                found = _json(diagnostic(finding, lines, self.lang, self.encoding, used))
            if key is not None:
                made[key] = found
            ids[id(finding)] = (finding, where, found, span.line if span else 0, span.end_line if span else 0)
            out.append(found)
        self.published[uri] = made
        self._published_ids[uri] = ids
        return out

    def current(self, params: Json) -> core.Analysis | None:
        """The last finished analysis of an open document that is indexed (Analysis.index), else the last finished
        one; None for a document the client did not open (never read). A request never makes the index itself while
        the worker makes it (at 10,000 indicators that took the reading thread over a second: functools'
        cached_property holds one lock per property for every instance, and the two threads share the GIL)."""
        uri = params["textDocument"]["uri"]
        with self._state:
            if uri not in self.texts:
                return None
            newest = self.analyses.get(uri)
            if newest is not None and not newest.indexed:
                return self.ready.get(uri, newest)
            return newest

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until no analysis is due or running (for tests)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._state:
                if not self.due and all(self.analyses.get(u) is not None and self.analyses[u].text is t
                                        for u, t in self.texts.items()):
                    return True
            time.sleep(0.005)
        return False


# ---------------------------------------------------------------- notifications


BOM = "\ufeff"
BOM_STAND_IN = "\u3000"
"""What the server keeps for a BOM at the start of a document (the CLI drops it when it reads a file): a space to the
parser, and of a BOM's size in every encoding (one code point, one UTF-16 unit, three UTF-8 bytes), so that every
position the client sends or receives stays as it is. `Server.boms` says which documents hold one."""


def _keep(server: Server, uri: str, text: str) -> str:
    """A client's text as the server keeps it (a leading BOM stood in for, see BOM_STAND_IN)."""
    if text.startswith(BOM):
        server.boms.add(uri)
        return BOM_STAND_IN + text[1:]
    server.boms.discard(uri)
    return text


def client_text(server: Server, uri: str) -> str | None:
    """The document's text as the client has it (its BOM given back)."""
    text = server.texts.get(uri)
    if text is not None and uri in server.boms:
        return BOM + text[1:]
    return text


def _did_open(server: Server, params: Json) -> None:
    document = params["textDocument"]
    uri, text = document["uri"], document["text"]
    if not isinstance(uri, str) or not isinstance(text, str):
        raise TypeError("textDocument.uri and .text are strings")
    with server._state:
        server.texts[uri] = _keep(server, uri, clean(text))
        server.versions[uri] = document.get("version")
    server.schedule(uri, 0.0)


def _did_change(server: Server, params: Json) -> None:
    document = params["textDocument"]
    uri = document["uri"]
    with server._state:
        text = client_text(server, uri)
    if text is None:  # a change to a document that was never opened
        return
    for change in params["contentChanges"]:
        text = apply_change(text, change, server.encoding)
    with server._state:
        server.texts[uri] = _keep(server, uri, text)
        server.versions[uri] = document.get("version")
    server.schedule(uri, DEBOUNCE)


def _did_save(server: Server, params: Json) -> None:
    uri = params["textDocument"]["uri"]
    if uri in server.texts:
        server.schedule(uri, 0.0)


def _did_close(server: Server, params: Json) -> None:
    uri = params["textDocument"]["uri"]
    with server._state:
        server.texts.pop(uri, None)
        server.boms.discard(uri)
        server.outlines.pop(uri, None)
        server.versions.pop(uri, None)
        server.analyses.pop(uri, None)
        server.ready.pop(uri, None)
        server.formatted.pop(uri, None)
        server.caches.pop(uri, None)
        server.published.pop(uri, None)
        server._published_ids.pop(uri, None)
        server.due.pop(uri, None)
    server.notify("textDocument/publishDiagnostics", {"uri": uri, "diagnostics": []})


def _shutdown(server: Server, params: Json) -> None:
    server.shut_down = True


# ---------------------------------------------------------------- requests


def _hover(server: Server, params: Json) -> Json | None:
    position = line_and_character(params["position"])  # a request that cannot be read is an error, opened or not
    result = server.current(params)
    if result is None:
        return None
    line, column = from_position(position, result.lines, server.encoding)
    text = core.hover(result, line, column, server.lang)
    if text is None:
        return None
    return {"contents": {"kind": "markdown", "value": text}}


def _locations(server: Server, params: Json, spans: Callable[[core.Analysis, int, int], list[Span]]) -> list[Json]:
    position = line_and_character(params["position"])
    result = server.current(params)
    if result is None:
        return []
    line, column = from_position(position, result.lines, server.encoding)
    uri = params["textDocument"]["uri"]
    return [{"uri": uri, "range": to_range(span, result.lines, server.encoding)} for span in spans(result, line, column)]


def _definition(server: Server, params: Json) -> list[Json]:
    return _locations(server, params, core.definition)


def _references(server: Server, params: Json) -> list[Json]:
    include = bool((params.get("context") or {}).get("includeDeclaration", True))
    return _locations(server, params, lambda r, line, column: core.references(r, line, column, include))


class Encoded:
    """A result encoded as JSON text already (sent as it is)."""

    def __init__(self, text: str) -> None:
        self.text = text


def _document_symbols(server: Server, params: Json) -> Encoded | list[Json]:
    """The outline of the last analysis, encoded here: a row's symbol made for the last outline is taken again as
    its JSON text when its outline item is (perfrules.lsp.analysis.outline's memo), so that a 10,000-row outline
    asked after an edit costs what changed."""
    uri = params["textDocument"]["uri"]
    result = server.current(params)
    if result is None:
        return []
    with server._state:
        last = server.outlines.get(uri)
    if last is not None and last.analysis is result and last.lang == server.lang:  # asked again: the same answer
        return last.encoded
    memo, texts = (last.memo, last.texts) if last is not None else ({}, {})
    from perfrules import gcpause

    with gcpause.paused():  # thousands of new objects: no full collection of the whole process for them
        outline = _encode_symbols(server, result, memo, texts)
    with server._state:
        if uri in server.texts:
            server.outlines[uri] = outline
    return outline.encoded


class Outline:
    """A document's last outline: the analysis it is of, the analysis module's memo, each row's symbol as JSON text
    (by the id of its outline item, with the item), and the whole answer."""

    def __init__(self, analysis: core.Analysis, lang: str, memo: core.OutlineMemo,
                 texts: dict[int, tuple[core.OutlineItem, str]], encoded: Encoded) -> None:
        self.analysis, self.lang, self.memo, self.texts, self.encoded = analysis, lang, memo, texts, encoded


def _encode_symbols(server: Server, result: core.Analysis, memo: core.OutlineMemo,
                    texts: dict[int, tuple[core.OutlineItem, str]]) -> Outline:
    made: core.OutlineMemo = {}
    items = core.outline(result, server.lang, memo, made)
    lines, encoding = result.lines, server.encoding
    kept: dict[int, tuple[core.OutlineItem, str]] = {}

    def encode(item: core.OutlineItem) -> str:
        known = texts.get(id(item))
        if known is not None and known[0] is item:
            kept[id(item)] = known
            _keep_children(item)
            return known[1]
        children = f',"children":[{",".join([encode(c) for c in item.children])}]' if item.children else ""
        detail = f',"detail":{_string(item.detail)}' if item.detail else ""
        text = (f'{{"name":{_string(item.name)}{detail},"kind":{SYMBOL_KIND[item.kind]},'
                f'"range":{_range_json(item.span, lines, encoding)},'
                f'"selectionRange":{_range_json(item.selection, lines, encoding)}{children}}}')
        kept[id(item)] = (item, text)
        return text

    def _keep_children(item: core.OutlineItem) -> None:
        """The rows of a section taken again are kept too (the next outline may change one of them only)."""
        for child in item.children:
            known = texts.get(id(child))
            if known is not None:
                kept[id(child)] = known
                _keep_children(child)

    encoded = Encoded(f"[{','.join(encode(item) for item in items)}]")
    return Outline(result, server.lang, made, kept, encoded)


def _completion(server: Server, params: Json) -> Json:
    position = line_and_character(params["position"])
    result = server.current(params)
    uri = params["textDocument"]["uri"]
    text = server.texts.get(uri)
    if result is None or text is None:
        return {"isIncomplete": False, "items": []}
    lines = result.lines if result.text is text else split_lines(text)  # the cursor is in the text as it is now
    line, column = from_position(position, lines, server.encoding)
    prefix = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
    word = core.word_before(prefix)
    start = Span("", line, column - len(word), line, column)
    replace = to_range(start, lines, server.encoding)
    offered = core.completions(result, line, column, lines, server.lang)
    if word:  # what was typed so far narrows the list here, not in the client: 10,000 names are a slow answer
        offered = [c for c in offered if word in c.label]
    incomplete = len(offered) > MAX_COMPLETIONS
    items = []
    for rank, c in enumerate(offered[:MAX_COMPLETIONS]):
        items.append({"label": c.label, "kind": COMPLETION_KIND[c.kind], "detail": c.detail or None,
                      "sortText": f"{rank:05d}", "filterText": c.label,
                      "textEdit": {"range": replace, "newText": c.label}})
    return {"isIncomplete": incomplete, "items": items}


def _formatting(server: Server, params: Json) -> list[Json] | None:
    """`perfrules fmt` on the document (perfrules.fmt.format_text: the same code, so the same time), answered with
    one edit of the lines it changes (the lines before and after them kept: the client keeps its marks and folds
    there). A text formatted already, or the one this answered last, is answered at once."""
    from perfrules.fmt import format_text

    uri = params["textDocument"]["uri"]
    text = client_text(server, uri)
    if text is None:
        return None
    if server.formatted.get(uri) == text:
        return []
    formatted, findings = format_text(text, _fs_path(uri))
    if formatted is None:
        first = next((f for f in findings if f.span is not None), None)
        where = f"第 {first.span.line} 行" if first and first.span else ""
        where_en = f" on line {first.span.line}" if first and first.span else ""
        reason_zh = first.message("zh") if first else ""
        reason_en = first.message("en") if first else ""
        server.show(f"perfrules 未格式化此文件：{where}有错误（{reason_zh}），请先改正",
                    f"perfrules did not format this file: an error{where_en} ({reason_en}); fix it first")
        return []
    with server._state:
        if uri in server.texts:
            server.formatted[uri] = formatted
    if formatted == text:
        return []
    return [_changed_lines(text, formatted, server.encoding)]


def _changed_lines(text: str, formatted: str, encoding: str) -> Json:
    """One edit that makes `text` into `formatted`: the lines from the first that differs to the last that differs."""
    from perfrules.fixes import split_keeping_ends

    def lines_of(value: str) -> list[str]:
        parts, ends = split_keeping_ends(value)
        return [part + (ends[i] if i < len(ends) else "") for i, part in enumerate(parts) if part or i < len(ends)]

    old, new = lines_of(text), lines_of(formatted)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    last = len(old) - tail
    end = {"line": last, "character": 0} if last < len(old) else end_of(text, encoding)
    return {"range": {"start": {"line": head, "character": 0}, "end": end}, "newText": "".join(new[head:len(new) - tail])}


def _code_action(server: Server, params: Json) -> list[Json]:
    """Quick fixes for the diagnostics the client names in `context.diagnostics` (those on the range when it names
    none: a client that sends no context)."""
    uri = params["textDocument"]["uri"]
    first = line_and_character(params["range"]["start"])[0] + 1
    last = line_and_character(params["range"]["end"])[0] + 1
    context = params.get("context")
    named = context.get("diagnostics") if isinstance(context, dict) else None
    wanted = None
    if isinstance(named, list):
        wanted = {(str(d.get("code")), line_and_character(d["range"]["start"])[0] + 1)
                  for d in named if isinstance(d, dict) and d.get("source", "perfrules") == "perfrules"}
        if named:  # the diagnostics may begin above the range (a cursor inside a long one)
            first = min([first, *(line for _code, line in wanted)])
    result = server.current(params)
    if result is None:
        return []
    lines, encoding = result.lines, server.encoding
    bom = uri in server.boms
    actions = []
    for action in core.code_actions(result, first, last, wanted, server.lang):
        edits = [{"range": to_range(edit.span, lines, encoding), "newText": edit.text} for edit in action.edits
                 if not (bom and (edit.span.line, edit.span.column) == (1, 1))]  # the BOM stand-in is no full-width space
        if not edits:
            continue
        entry: Json = {"title": action.title, "kind": "quickfix", "edit": {"changes": {uri: edits}}}
        if action.finding is not None:
            entry["diagnostics"] = [diagnostic(action.finding, lines, server.lang, encoding)]
        if action.preferred:
            entry["isPreferred"] = True
        actions.append(entry)
    return actions


HANDLERS: dict[str, Callable[[Server, Any], Any]] = {
    "initialized": lambda server, params: None,
    "shutdown": _shutdown,
    "textDocument/didOpen": _did_open,
    "textDocument/didChange": _did_change,
    "textDocument/didSave": _did_save,
    "textDocument/didClose": _did_close,
    "textDocument/hover": _hover,
    "textDocument/definition": _definition,
    "textDocument/references": _references,
    "textDocument/documentSymbol": _document_symbols,
    "textDocument/completion": _completion,
    "textDocument/formatting": _formatting,
    "textDocument/codeAction": _code_action,
}


def main(lang: str | None = None) -> None:
    sys.setswitchinterval(0.001)  # the reading thread answers within a millisecond while an analysis runs
    server = Server(sys.stdin.buffer, sys.stdout.buffer, lang)
    sys.exit(server.serve())


if __name__ == "__main__":
    main()
