"""The language server as editor users expect it (issue 14, the trial of HEAD 0b91c29): quick fixes only for the
diagnostics asked about, with the safe fixes of `lint --fix` and no `noqa` for what noqa cannot suppress;
completion at an actual's value; a BOM at the start of a document; malformed headers; requests answered from the
last indexed analysis; the outline and formatting at 10,000 indicators; hovers (severity words, an actual that a
compile error kept from scoring, the row's own scoring rule, the server's language); JSON-RPC errors in words.

End to end through a raw JSON-RPC client (it can send what pytest-lsp cannot: bad headers, missing fields, the
environment the server starts in), and on perfrules.lsp.analysis directly for the words offered and shown.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from lsp_client import Client

from perfrules.lsp import analysis as core
from perfrules.lsp import server as lsp_server

from conftest import SEED

NQ13 = """ruleset "x" {
  year 2023
}
dimension 产出 weight 100 {
  "𠀀合格率" >= 95 weight 50
  培训人数 >= 100 weight 50
}
actuals {
  "𠀀合格率" = 96%
  培训人数 = 120 人
}
"""


@pytest.fixture
def client() -> Any:
    made = Client()
    yield made
    if made.process.poll() is None:
        made.process.kill()
        made.process.wait()


def _apply(text: str, edits: list[dict[str, Any]], encoding: str = "utf-16") -> str:
    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]),
                       reverse=True):
        text = lsp_server.apply_change(text, {"range": edit["range"], "text": edit["newText"]}, encoding)
    return text


def _actions(client: Client, uri: str, diagnostics: list[dict[str, Any]] | None, line: int) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"textDocument": {"uri": uri},
                              "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}}
    if diagnostics is not None:
        params["context"] = {"diagnostics": diagnostics}
    return client.request("textDocument/codeAction", params)["result"]  # type: ignore[no-any-return]


# ---------------------------------------------------------------- item 7: quick fixes


def test_no_noqa_for_an_input_error_but_the_percent_lint_fix_makes(client: Client, tmp_path: Path) -> None:
    client.initialize()
    uri = (tmp_path / "q.perf").as_uri()
    diagnostics = client.open(uri, NQ13)
    by_code = {d["code"]: d for d in diagnostics}
    assert sorted(by_code) == ["PR013", "PR108", "PR109", "PR201"]
    # PR013 (the actual is a %, the target has no unit): an input error, which no noqa suppresses
    actions = _actions(client, uri, [by_code["PR013"]], 8)
    assert [a["title"] for a in actions] == ["在目标后补写 %（同 lint --fix）"]
    assert actions[0]["isPreferred"] is True and actions[0]["diagnostics"][0]["code"] == "PR013"
    fixed = _apply(NQ13, actions[0]["edit"]["changes"][uri])
    assert fixed == NQ13.replace(">= 95 weight", ">= 95% weight")
    # PR108 on the row itself: the same fix, and its suppression
    actions = _actions(client, uri, [by_code["PR108"]], 4)
    assert [a["title"] for a in actions] == ["在目标后补写 %（同 lint --fix）", "抑制 PR108（# noqa）"]
    assert client.close() == 0


def test_actions_answer_only_the_diagnostics_asked_about(client: Client, tmp_path: Path) -> None:
    client.initialize()
    uri = (tmp_path / "q.perf").as_uri()
    by_code = {d["code"]: d for d in client.open(uri, NQ13)}
    pr109 = [a["title"] for a in _actions(client, uri, [by_code["PR109"]], 5)]
    assert pr109 == ["在目标后补写单位「人」（同 lint --fix）", "插入单位「个」", "插入单位「次」", "插入单位「元」",
                     "抑制 PR109（# noqa）"]
    pr201 = [a["title"] for a in _actions(client, uri, [by_code["PR201"]], 5)]
    assert pr201 == ["抑制 PR201（# noqa）"]
    assert [a["title"] for a in _actions(client, uri, [], 5)] == []  # a line the client knows no diagnostic on
    both = [a["title"] for a in _actions(client, uri, None, 5)]  # no context at all: every finding on the line
    assert "抑制 PR109（# noqa）" in both and "抑制 PR201（# noqa）" in both
    assert client.close() == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_a_suppression_goes_at_the_end_of_the_line_in_the_encoding(encoding: str, tmp_path: Path) -> None:
    client = Client()
    try:
        assert client.initialize(capabilities={"general": {"positionEncodings": [encoding]}})["capabilities"][
            "positionEncoding"] == encoding
        uri = (tmp_path / "q.perf").as_uri()
        by_code = {d["code"]: d for d in client.open(uri, NQ13)}
        (suppress,) = [a for a in _actions(client, uri, [by_code["PR108"]], 4) if "noqa" in a["title"]]
        (edit,) = suppress["edit"]["changes"][uri]
        row = NQ13.splitlines()[4]
        end = {"utf-8": len(row.encode()), "utf-16": len(row.encode("utf-16-le")) // 2, "utf-32": len(row)}[encoding]
        assert edit["range"]["start"] == {"line": 4, "character": end} and edit["newText"] == "  # noqa: PR108"
        assert suppress["diagnostics"][0]["range"] == by_code["PR108"]["range"]
        assert _apply(NQ13, [edit], encoding).splitlines()[4] == row + "  # noqa: PR108"
        assert client.close() == 0
    finally:
        if client.process.poll() is None:
            client.process.kill()


def test_full_width_characters_are_made_half_width_as_lint_fix_does() -> None:
    text = "满意度 ＞＝ ９５％ weight 100  # 注释：＞＝ 不改\nactuals {\n  满意度 = 96%\n}\n"
    analysis = core.analyse(text, "/tmp/fw.perf")
    (action,) = [a for a in core.code_actions(analysis, 1, 1) if a.finding is None]
    assert action.title == "把全角字符改为半角（同 lint --fix）"
    line = text.splitlines()[0]
    for edit in sorted(action.edits, key=lambda e: e.span.column, reverse=True):
        line = line[: edit.span.column - 1] + edit.text + line[edit.span.end_column - 1:]
    assert line == "满意度 >= 95% weight 100  # 注释：＞＝ 不改"
    assert [a.title for a in core.code_actions(analysis, 1, 1, lang="en") if a.finding is None] == \
        ["make the full-width characters half-width (as lint --fix)"]


# ---------------------------------------------------------------- item 8: completion in actuals


ROWS = """dimension 效益 weight 100 {
  满意度 >= 90% weight 20
  制度健全性 levels 健全:100% 基本健全:60% 不健全:0 weight 20
  服务质量 qualitative weight 20
  要素齐全 elements ①:50% ②:50% weight 20
  人数 >= 10 人 weight 20
}
actuals {
  满意度 = 92%
}
"""


def _offered(text_before: str, text: str = ROWS) -> list[str]:
    analysis = core.analyse(text, "/tmp/rows.perf")
    analysis.index()
    lines = text.splitlines()
    at = lines.index("actuals {") + 1
    lines.insert(at, text_before)
    return [c.label for c in core.completions(analysis, at + 1, len(text_before) + 1, lines)]


def test_completion_at_an_actuals_value_offers_that_rows_words() -> None:
    na = ["不适用", "n/a", "na"]
    assert _offered("  满意度 = ") == na
    assert _offered("  制度健全性 = ") == ["健全", "基本健全", "不健全", *na]
    assert _offered("  服务质量 = ") == ["达成", "部分达成", "未达成", "达成年度指标", "部分达成年度指标并具有一定效果",
                                        "未达成年度指标且效果较差", *na]
    assert _offered("  要素齐全 = ") == ["has", "具备", *na]
    clauses = ["reason", "score", "review", "rate", "偏差原因", "原因", "得分", "复核分", "审核分", "执行率"]
    assert _offered("  满意度 = 92% ") == clauses  # after a value: the row's clauses, never a name
    assert _offered("  服务质量 = 达成 ") == clauses
    after_number = _offered("  人数 = 12 ")
    assert after_number[0] == "人" and after_number[-len(clauses):] == clauses
    assert _offered('  满意度 = 92% "佐证') == []  # inside the quoted evidence
    names = _offered("  ")
    assert names[:5] == ["制度健全性", "服务质量", "要素齐全", "人数", "满意度"]  # without an actual first
    assert "健全" not in names and "不适用" not in names


def test_completion_in_actuals_end_to_end(client: Client, tmp_path: Path) -> None:
    client.initialize()
    uri = (tmp_path / "rows.perf").as_uri()
    client.open(uri, ROWS)
    line = ROWS.splitlines().index("  满意度 = 92%")
    character = len("  满意度 = ")
    position = {"line": line, "character": character}
    client.send(method="textDocument/didChange", params={"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
        {"range": {"start": position, "end": {"line": line, "character": character + 3}}, "text": ""}]})
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position})["result"]
    assert [i["label"] for i in items["items"]] == ["不适用", "n/a", "na"]
    assert client.close() == 0


# ---------------------------------------------------------------- item 9: a BOM


def test_a_bom_is_accepted_and_positions_stay_the_clients(tmp_path: Path) -> None:
    text = 'dimension 产出 weight ?? {\n  人数 >= 10 人 weight 100\n}\nactuals {\n  人数 = 9 人\n}\n'
    for encoding, bom_units in (("utf-16", 1), ("utf-8", 3)):
        client = Client()
        try:
            client.initialize(capabilities={"general": {"positionEncodings": [encoding]}})
            plain = client.open((tmp_path / "plain.perf").as_uri(), text)
            uri = (tmp_path / "bom.perf").as_uri()
            with_bom = client.open(uri, "\ufeff" + text)
            assert [d["code"] for d in with_bom] == [d["code"] for d in plain] == ["PR001"]  # no 「\ufeff」 error
            start, end = plain[0]["range"]["start"], with_bom[0]["range"]["start"]
            assert end == {"line": 0, "character": start["character"] + bom_units}
            # an edit on line 0 in the client's units: 「??」 becomes 「100」
            at = {"line": 0, "character": start["character"] + bom_units}
            client.send(method="textDocument/didChange", params={
                "textDocument": {"uri": uri, "version": 2},
                "contentChanges": [{"range": {"start": at, "end": {"line": 0, "character": at["character"] + 2}},
                                    "text": "100"}]})
            fixed = client.publish()["diagnostics"]
            assert sorted(d["code"] for d in fixed) == ["PR105", "PR202", "PR203"]
            assert {d["range"]["start"]["line"] for d in fixed} == {0, 1}  # PR105 on the client's line 0 itself
            hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                          "position": {"line": 1, "character": 3}})["result"]
            assert "**人数**" in hover["contents"]["value"]
            edits = client.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                               "options": {"tabSize": 2, "insertSpaces": True}})["result"]
            assert edits == []  # formatted already, its BOM kept (never offered as a full-width space)
            actions = _actions(client, uri, None, 0)
            assert not [a for a in actions if "全角" in a["title"]]
            assert client.close() == 0
        finally:
            if client.process.poll() is None:
                client.process.kill()


# ---------------------------------------------------------------- item 10: malformed headers


@pytest.mark.parametrize("bad", [b"Content-Lenght: 2\r\n\r\n{}", b"Content-Length: x\r\n\r\n{}",
                                 b"Content-Type: text\r\n\r\n{}\r\n"])
def test_a_bad_header_is_answered_and_the_next_message_read(client: Client, bad: bytes, tmp_path: Path) -> None:
    client.initialize()
    uri = (tmp_path / "a.perf").as_uri()
    client.open(uri, 'ruleset "x" {\n  year 2023\n}\n')
    client.write(bad)
    error = client.response(None, timeout=10)["error"]
    assert error["code"] == -32700 and error["message"].startswith("消息头无效，缺少可读的 Content-Length")
    logged = client.next(timeout=10)
    assert logged["method"] == "window/logMessage" and "Content-Length" in logged["params"]["message"]
    answer = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}},
                            timeout=10)
    assert answer == {"jsonrpc": "2.0", "id": client.ident, "result": None}
    assert client.close() == 0


# ---------------------------------------------------------------- item 19: missing fields


def test_a_missing_field_is_named_in_words(client: Client) -> None:
    client.initialize()
    error = client.request("textDocument/hover", {"textDocument": {"uri": "file:///a.perf"}})["error"]
    assert error == {"code": -32602, "message": "textDocument/hover 的参数缺少字段 position / "
                                                "invalid params for textDocument/hover: the field position is missing"}
    error = client.request("textDocument/codeAction", {"textDocument": {"uri": "file:///a.perf"}, "range": 3})["error"]
    assert error["code"] == -32602 and error["message"].startswith("textDocument/codeAction 的参数类型不对")
    assert "Error(" not in error["message"]
    assert client.close() == 0


# ---------------------------------------------------------------- item 18: hovers and the server's language


def _hover_at(text: str, needle: str, lang: str = "zh", offset: int = 1) -> str:
    analysis = core.analyse(text, "/tmp/h.perf")
    analysis.index()
    line = next(n for n, t in enumerate(analysis.lines, start=1) if needle in t)
    hover = core.hover(analysis, line, analysis.lines[line - 1].index(needle) + offset, lang)
    assert hover is not None
    return hover


def test_hovers_say_the_severity_in_chinese() -> None:
    text = "满意度 >= 90% weight 100  # noqa: PR201\nactuals {\n  满意度 = 99%\n}\n"
    assert _hover_at(text, "PR201").startswith("**PR201 超额完成，目标可能偏低**（默认级别：警告）\n\n")
    assert "（默认级别 warning）" not in _hover_at(text, "PR201")
    assert "(default severity warning)" in _hover_at(text, "PR201", "en")


def test_a_compile_error_still_shows_the_actual_written() -> None:
    assert "- 实际：96%（第 9 行；未能计分：PR013）" in _hover_at(NQ13, '"𠀀合格率" >= 95')
    assert "- actual: 96% (line 9; not scored: PR013)" in _hover_at(NQ13, '"𠀀合格率" >= 95', "en")
    assert "- 实际：120 人" in _hover_at(NQ13, "培训人数 >= 100")  # the other row is scored


def test_the_scoring_line_is_the_rows_own() -> None:
    text = """dimension 产出 weight 100 {
  人数 >= 10 人 weight 20
  成本 <= 100 元 weight 20
  进度 >= 100% weight 20 steps 100%:20 80%:12 otherwise 0
  质量 qualitative weight 20 tiers 90% 70%
  合格率 >= 95% weight 20 deduct 1 per 1%
}
"""
    # the score table's 计分规则 (perfrules.render.xlsx_rules.rule_words), not one line for every ratio row
    assert "- 计分：正向比例：分值 × 实际/目标" in _hover_at(text, "人数")
    assert "- 计分：反向比例：分值 × 目标/实际" in _hover_at(text, "成本")
    assert "- scoring: reverse ratio: weight × target/actual" in _hover_at(text, "成本", "en")
    assert "- 计分：阶梯（按完成率）：≥100% 得 20，≥80% 得 12，其他 0" in _hover_at(text, "进度")
    assert "- 计分：定性：分值 × 得分率（达成 90–100%、部分达成 70–90%、未达成 0–70%）" in _hover_at(text, "质量")
    assert "- 计分：扣分：达标得满分，每差 1% 扣 1 分，扣完为止" in _hover_at(text, "合格率")
    assert "比例法（正向 a/t，反向 t/a）" not in _hover_at(text, "人数")


def _hover_in(env: dict[str, str], *args: str, **initialize: Any) -> str:
    client = Client(*args, env=env)
    try:
        client.initialize(**initialize)
        text = SEED.read_text(encoding="utf-8")
        client.open(SEED.as_uri(), text)
        line = next(i for i, t in enumerate(text.splitlines()) if "资格认证人数" in t)
        character = text.splitlines()[line].index("资格认证人数") + 1
        hover = client.request("textDocument/hover", {"textDocument": {"uri": SEED.as_uri()},
                                                      "position": {"line": line, "character": character}})
        client.close()
        return str(hover["result"]["contents"]["value"])
    finally:
        if client.process.poll() is None:
            client.process.kill()


def test_the_language_follows_options_then_locale_then_the_environment() -> None:
    assert "- weight: 5" in _hover_in({"LANG": "en_US.UTF-8"})  # a client that sends no locale (Neovim)
    assert "- 权重：5" in _hover_in({"LANG": "zh_CN.UTF-8"})
    assert "- 权重：5" in _hover_in({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"})  # LC_ALL first
    assert "- 权重：5" in _hover_in({"LANG": "C.UTF-8"})  # C says no language
    assert "- 权重：5" in _hover_in({"LANG": "en_US.UTF-8"}, locale="zh-CN")  # the client's locale before the env
    assert "- weight: 5" in _hover_in({}, locale="zh-CN", initializationOptions={"lang": "en"})
    assert "- 权重：5" in _hover_in({"LANG": "en_US.UTF-8"}, "--lang", "zh", initializationOptions={"lang": "en"})


def test_environment_lang_reads_posix_order() -> None:
    assert lsp_server._environment_lang({"LANG": "en_GB.UTF-8"}) == "en"
    assert lsp_server._environment_lang({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US"}) == "zh"
    assert lsp_server._environment_lang({"LC_ALL": "POSIX", "LANG": "en_US"}) is None
    assert lsp_server._environment_lang({}) is None


# ---------------------------------------------------------------- item 11: requests from the last indexed analysis


def test_requests_are_answered_from_the_last_indexed_analysis() -> None:
    read, write = os.pipe()
    with open(read, "rb") as reader, open(write, "wb") as writer:
        server = lsp_server.Server(reader, writer)
        text = SEED.read_text(encoding="utf-8")
        older, newer = core.analyse(text, "/tmp/a.perf"), core.analyse(text + "\n", "/tmp/a.perf")
        older.index()
        server.texts["u"] = newer.text
        server.analyses["u"], server.ready["u"] = newer, older
        assert server.current({"textDocument": {"uri": "u"}}) is older  # the newest is not indexed yet
        newer.index()
        assert server.current({"textDocument": {"uri": "u"}}) is newer


def test_the_outline_taken_again_equals_one_made_afresh() -> None:
    read, write = os.pipe()
    with open(read, "rb") as reader, open(write, "wb") as writer:
        server = lsp_server.Server(reader, writer)
        text = SEED.read_text(encoding="utf-8")
        first = core.analyse(text, "/tmp/a.perf")
        first.index()
        server.texts["u"], server.analyses["u"] = text, first
        params = {"textDocument": {"uri": "u"}}
        before = lsp_server._document_symbols(server, params)
        assert isinstance(before, lsp_server.Encoded)
        assert [s["name"] for s in json.loads(before.text)][:2] == ["基础数据", "决策"]
        year = text.replace("2023", "2024", 1)
        edited = core.analyse(year, "/tmp/a.perf", cache=first.cache)
        edited.index()
        server.texts["u"], server.analyses["u"] = year, edited
        again = lsp_server._document_symbols(server, params)
        server.outlines.clear()
        fresh = lsp_server._document_symbols(server, params)
        assert isinstance(again, lsp_server.Encoded) and isinstance(fresh, lsp_server.Encoded)
        assert again.text == fresh.text == before.text
        # a row's score changes: its detail does
        row = next(t for t in year.splitlines() if "资格认证人数" in t and "= 80646" in t)
        scored = year.replace(row, row.replace("80646", "30000"))
        third = core.analyse(scored, "/tmp/a.perf", cache=edited.cache)
        third.index()
        server.texts["u"], server.analyses["u"] = scored, third
        changed = lsp_server._document_symbols(server, params)
        server.outlines.clear()
        assert isinstance(changed, lsp_server.Encoded) and changed.text != before.text
        assert changed.text == lsp_server._document_symbols(server, params).text  # type: ignore[union-attr]


@pytest.mark.parametrize(("old", "new"), [("a\nb\nc\n", "a\nB\nc\n"), ("a\nb\nc", "a\nb\nC"), ("a\r\nb\r\n", "a\r\nb\r\nc\r\n"),
                                          ("", "x\n"), ("x\n", ""), ("a\nb", "a\nb\n"), ("\ufeffa\n", "\ufeffb\n"),
                                          ("a\n\n\nb\n", "a\n\nb\n"), ("a\rb\r", "a\rc\r"), ("a\u2028b\nc\n", "a\u2028b\nd\n")])
def test_formatting_edits_only_the_lines_that_change(old: str, new: str) -> None:
    for encoding in ("utf-8", "utf-16"):
        edit = lsp_server._changed_lines(old, new, encoding)
        assert lsp_server.apply_change(old, {"range": edit["range"], "text": edit["newText"]}, encoding) == new
    edit = lsp_server._changed_lines("a\nb\nc\nd\n", "a\nb\nX\nd\n", "utf-16")
    assert edit == {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 3, "character": 0}}, "newText": "X\n"}


def test_formatting_a_text_formatted_already_is_answered_from_the_last_answer(client: Client, tmp_path: Path) -> None:
    client.initialize()
    uri = (tmp_path / "f.perf").as_uri()
    text = "dimension 产出 weight 100 {\n    人数 >= 10 人 weight 100\n}\n"
    client.open(uri, text)
    options = {"tabSize": 2, "insertSpaces": True}
    (edit,) = client.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": options})["result"]
    formatted = _apply(text, [edit])
    assert formatted == "dimension 产出 weight 100 {\n  人数 >= 10 人 weight 100\n}\n"
    client.send(method="textDocument/didChange", params={"textDocument": {"uri": uri, "version": 2},
                                                         "contentChanges": [{"text": formatted}]})
    assert client.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": options})["result"] == []
    assert client.close() == 0


def test_the_first_collection_only_records_what_the_process_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    from perfrules import gcpause

    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(gcpause, "_kept", 0)
    monkeypatch.setattr(gcpause.gc, "collect", lambda *args: calls.append(args) or 0)
    assert gcpause.collect_when_grown(1.0) is False and calls == [] and gcpause._kept > 0
    assert gcpause.collect_when_grown(1.0) is False and calls == []  # not grown since
    monkeypatch.setattr(gcpause, "_kept", 1)  # far more is held now than "then"
    assert gcpause.collect_when_grown(1.0) is True and calls == [()]
