"""The language server's incremental analysis (issue 14): after an edit only what the changed lines affect is
parsed, compiled, scored again, and the result is exactly that of an analysis from nothing.

Untimed: the latency goals are measured by bench/lsp_latency.py; here the results are compared.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfrules import pipeline
from perfrules.lsp import analysis
from perfrules.lsp.server import Server
from perfrules.syntax.parser import LineCache

ROOT = Path(__file__).resolve().parent.parent
FILE = str(ROOT / "rulesets" / "examples" / "incremental.perf")  # not written: only its name is used

BASE = """\
ruleset "增量分析" {
  year 2023
  rounding 2 half-up
}

grades { 优 >= 90  良 >= 80  中 >= 60  差 otherwise }

facts {
  全年预算数 = 600 万元
  到位资金 = 600 万元
  执行数 = 540 万元
  服务人数 = 2000 人
}

dimension 决策 weight 20 {
  group 项目立项 weight 10 {
    立项依据充分性 qualitative weight 5
    立项程序规范性 qualitative weight 5
  }
  group 绩效目标 weight 10 levels 优:100% 良:80% 中:60% 差:0 {
    绩效目标合理性 qualitative weight 6
    绩效指标明确性 qualitative weight 4
  }
}

dimension 过程 weight 20 {
  group 资金管理 {
    资金到位率 = 到位资金 / 全年预算数 >= 100% weight 5
    预算执行率 = 执行数 / 到位资金 >= 100% weight 5
    资金使用合规性 qualitative weight 5
  }
  group 组织实施 {
    管理制度健全性 qualitative weight 3
    档案管理规范性 scale 100 weight 2
  }
}

dimension 产出 weight 40 {
  group 产出数量 {
    培训人数 >= 450 人 weight 10
    活动场次 >= 4 场 weight 5
    group 东片区 {
      东片区走访户数 >= 300 户 weight 5
    }
    group 西片区 {
      西片区走访户数 >= 300 户 weight 5
    }
  }
  group 产出成本 {
    人均成本 <= 3000 元/人 weight 10
    每户补助 <= 500 元/户 weight 5
  }
}

dimension 效益 weight 20 {
  group 社会效益 {
    群众知晓率 >= 90% weight 10
  }
  group 满意度 {
    服务对象满意度 >= 95% weight 10
  }
}

check 成本与预算匹配: 人均成本 * 服务人数 <= 全年预算数

actuals {
  立项依据充分性 = 达成 100%
  立项程序规范性 = 部分达成 70%
  绩效目标合理性 = 良
  绩效指标明确性 = 差
    reason "指标表述不够清晰"
  资金使用合规性 = 达成 100%
  管理制度健全性 = 达成 90%
  档案管理规范性 = 85 分
  培训人数 = 480 人
  活动场次 = 3 场
  东片区走访户数 = 320 户
  西片区走访户数 = 280 户
    reason "部分农户外出务工"
  人均成本 = 2800 元/人
  每户补助 = 520 元/户
  群众知晓率 = 92%
  服务对象满意度 = 96%
  执行数 = 540 万元
}

expect { total 90  grade 优 }
"""

NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")
NAMES = ("培训人数", "活动场次", "东片区走访户数", "人均成本", "产出数量", "东片区", "过程", "全年预算数", "执行数",
         "服务人数", "资金到位率", "群众知晓率", "满意度")


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[str, int, Any]]:
    """A sequence of edits: what kind, on which line (an index into the lines as they are then), with what."""
    kinds = st.sampled_from(["number", "number", "number", "rename", "rename", "delete", "duplicate", "comment",
                             "blank", "noqa", "use", "weight", "swap", "year", "deadline", *MOVES, *MOVES])
    return draw(st.lists(st.tuples(kinds, st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=8))


MOVES = ("enter", "row", "comment_line", "cut", "paste", "move", "unlabelled")
"""Edits that insert or delete lines: every later line moves (the language server re-bases what it keeps of them)."""
NEW_LINES = ("    新增指标 >= 5 人 weight 1", "  # 新的一行", "    培训人数 >= 400 人 weight 2", "  新增维度 = 2 人",
             "  check: 人均成本 <= 5000 元/人", "group 新增分组 {", "}", "  reason \"新增原因\"",
             "    到位资金 >= 1 万元 weight 1", "    人均成本 <= 1 元/人 weight 1")  # (a fact's name; a name checks use)


def apply(text: str, kind: str, where: int, what: int) -> str:
    lines = text.split("\n")
    at = where % len(lines)
    line = lines[at]
    if kind in MOVES:
        return "\n".join(move(lines, kind, at, what))
    if kind == "number":  # a weight, target, fact value, actual value or rounding: another number
        numbers = list(NUMBER.finditer(line))
        if numbers:
            m = numbers[what % len(numbers)]
            new = str((what % 7) * 10 + (what % 3)) if what % 5 else m.group() + ".5"
            line = line[: m.start()] + new + line[m.end():]
    elif kind == "rename":  # a name defined or used (an indicator, section, fact): another one, maybe a clash
        found = [name for name in NAMES if name in line]
        if found:
            name = found[what % len(found)]
            line = line.replace(name, NAMES[what % len(NAMES)] if what % 4 else name + "乙", 1)
    elif kind == "weight":  # a weight added or dropped
        line = line.replace(" weight ", " ", 1) if " weight " in line else \
            (line + f" weight {what % 9}" if line.strip() and not line.rstrip().endswith(("{", "}")) else line)
    elif kind == "delete":
        del lines[at]
        return "\n".join(lines)
    elif kind == "duplicate":
        lines.insert(at, line)
        return "\n".join(lines)
    elif kind == "swap" and at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
        return "\n".join(lines)
    elif kind == "comment":
        line += f"  # 注{what % 10}"
    elif kind == "noqa":
        line += "  # noqa: PR203" if what % 2 else "  # noqa"
    elif kind == "blank":
        lines.insert(at, "")
        return "\n".join(lines)
    elif kind == "use":
        lines.insert(0, 'use "std/evaluation_criteria.perf"' if what % 2 else "use std/nothing_here")
        return "\n".join(lines)
    elif kind == "year":  # the ruleset's year changed, written or dropped (a deadline row reads it)
        years = [i for i, row in enumerate(lines) if row.strip().startswith("year ")]
        if years:
            lines[years[0]] = f"  year {2021 + what % 4}" if what % 5 else ""
        return "\n".join(lines)
    elif kind == "deadline":  # a deadline row: a month of the ruleset's year, or a written date
        lines.insert(at, "    完工时间 <= 12 月 weight 2" if what % 2 else "    验收时间 <= 2023-11-30 weight 2")
        return "\n".join(lines)
    lines[at] = line
    return "\n".join(lines)


def move(lines: list[str], kind: str, at: int, what: int) -> list[str]:
    """Lines inserted, deleted, pasted or moved at line index `at`."""
    size = 1 + what % 6
    if kind == "enter":  # Enter inside a line: the rest of it on a line of its own (maybe a syntax error)
        line = lines[at]
        cut = what % (len(line) + 1)
        lines[at : at + 1] = [line[:cut], line[cut:]]
    elif kind == "row":  # a new line typed: a row, a comment, a duplicate name, a check, a brace, a reason
        lines.insert(at, NEW_LINES[what % len(NEW_LINES)])
    elif kind == "comment_line":
        lines.insert(at, "# 注释" if what % 2 else "")
    elif kind == "cut":  # a selection of lines deleted
        del lines[at : at + size]
    elif kind == "paste":  # a block of lines copied (from elsewhere in the file) and pasted
        start = (what * 7) % len(lines)
        lines[at:at] = lines[start : start + size]
    elif kind == "move":  # a block cut and pasted further on or back
        block = lines[at : at + size]
        del lines[at : at + size]
        to = (what * 13) % (len(lines) + 1)
        lines[to:to] = block
    elif kind == "unlabelled":  # a check without a label: named by its line (第 N 行)
        lines.insert(at, "check: 人均成本 * 服务人数 <= 全年预算数" if what % 2 else "check: 人均成本 >= 1 元/人")
    return lines


def full(text: str) -> pipeline.Run:
    """An analysis from nothing: no line cache, nothing kept from an earlier one."""
    return analysis.analyse(text, FILE).run


def same(incremental: pipeline.Run, fresh: pipeline.Run) -> None:
    assert incremental.findings == fresh.findings
    assert [f.to_dict() for f in incremental.findings] == [f.to_dict() for f in fresh.findings]  # the messages too
    assert [f.message("en") for f in incremental.findings] == [f.message("en") for f in fresh.findings]
    assert incremental.plan == fresh.plan
    assert incremental.result == fresh.result
    assert incremental.document == fresh.document


@settings(max_examples=int(os.environ.get("PERFRULES_EXAMPLES", "120")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_incremental_analysis_equals_a_full_one(sequence: list[tuple[str, int, Any]]) -> None:
    cache = LineCache()
    text = BASE
    first = analysis.analyse(text, FILE, cache)
    same(first.run, full(text))
    for kind, where, what in sequence:
        text = apply(text, kind, where, what)
        incremental = analysis.analyse(text, FILE, cache)
        same(incremental.run, full(text))


def test_the_base_file_is_clean_enough_to_exercise_every_stage() -> None:
    run = full(BASE)
    assert run.plan is not None and run.result is not None
    assert run.result.total is not None and run.result.checks
    codes = {f.code for f in run.findings}
    assert not any(code.startswith("PR00") for code in codes), codes


def test_an_edit_that_changes_one_weight_reuses_the_other_sections() -> None:
    cache = LineCache()
    before = analysis.analyse(BASE, FILE, cache).run
    edited = BASE.replace("培训人数 >= 450 人 weight 10", "培训人数 >= 450 人 weight 12")
    after = analysis.analyse(edited, FILE, cache).run
    same(after, full(edited))
    assert before.plan is not None and after.plan is not None
    old = {s.key: s for s in before.plan.sections()}
    new = {s.key: s for s in after.plan.sections()}
    assert [key for key in new if new[key] is not old[key]] == ["产出", "产出/产出数量"]
    assert after.result is not None and before.result is not None
    assert after.result.section("效益") is before.result.section("效益")
    assert after.findings != before.findings  # the weights of 产出 no longer add up to 40 (PR103)


def test_a_formula_or_check_that_failed_on_a_unit_is_compiled_again_when_the_unit_changes() -> None:
    broken = BASE.replace("服务人数 = 2000 人", "服务人数 = 2000 元").replace(
        "check 成本与预算匹配: 人均成本 * 服务人数 <= 全年预算数", "check 成本与预算匹配: 人均成本 + 服务人数 <= 全年预算数")
    cache = LineCache()
    first = analysis.analyse(broken, FILE, cache).run
    assert "PR013" in {f.code for f in first.findings}
    fixed = broken.replace("服务人数 = 2000 元", "服务人数 = 2000 元/人")
    again = analysis.analyse(fixed, FILE, cache).run
    same(again, full(fixed))
    assert again.findings != first.findings


def test_two_documents_keep_their_own_memo() -> None:
    other = BASE.replace("产出", "产出指标")
    first, second = LineCache(), LineCache()
    analysis.analyse(BASE, FILE, first)
    analysis.analyse(other, FILE, second)
    edited = BASE.replace("活动场次 = 3 场", "活动场次 = 5 场")
    same(analysis.analyse(edited, FILE, first).run, full(edited))
    assert first.later and second.later and first.later["compile"] is not second.later["compile"]


# ---------------------------------------------------------------- lines inserted or deleted: what moved is taken again


def test_a_line_inserted_at_the_top_moves_every_later_line_and_remakes_none_of_them() -> None:
    cache = LineCache()
    before = analysis.analyse(BASE, FILE, cache).run
    lines = BASE.split("\n")
    edited = "\n".join([*lines[:1], "  # 一行新的注释", *lines[1:]])
    after = analysis.analyse(edited, FILE, cache).run
    same(after, full(edited))
    count = len(BASE.splitlines())
    assert cache.moved == count - 1 and cache.misses == 0  # only the comment is new, and it makes nothing
    assert before.plan is not None and after.plan is not None and before.result is not None and after.result is not None
    assert all(new is old for new, old in zip(after.plan.sections(), before.plan.sections(), strict=True))
    assert after.result.section("效益") is before.result.section("效益")
    ind = after.plan.indicator_by_key["产出/产出数量/培训人数"]
    assert (ind.span.line, ind.span.end_line) == (lines.index("    培训人数 >= 450 人 weight 10") + 2,) * 2
    back = analysis.analyse(BASE, FILE, cache).run  # and deleted again
    same(back, full(BASE))
    assert cache.moved == count - 1 and cache.misses == 0
    assert back.plan is not None and back.plan.indicator_by_key["产出/产出数量/培训人数"] is ind


def test_a_message_quoting_a_line_that_moved_quotes_its_new_number() -> None:
    doubled = BASE.replace("    活动场次 >= 4 场 weight 5\n", "    活动场次 >= 4 场 weight 5\n    培训人数 >= 400 人 weight 5\n")
    cache = LineCache()
    first = analysis.analyse(doubled, FILE, cache).run
    line = doubled.split("\n").index("    培训人数 >= 450 人 weight 10") + 1
    assert [f.message() for f in first.findings if f.code == "PR010"] == [f"名称 培训人数 重复定义（首次定义在第 {line} 行）"]
    for edited in ("\n\n" + doubled, doubled.replace("  group 产出数量 {\n", "  group 产出数量 {\n    # 注释\n")):
        run = analysis.analyse(edited, FILE, cache).run
        same(run, full(edited))
        assert [f.message() for f in run.findings if f.code == "PR010"] == \
            [f"名称 培训人数 重复定义（首次定义在第 {edited.split(chr(10)).index('    培训人数 >= 450 人 weight 10') + 1} 行）"]
        analysis.analyse(doubled, FILE, cache)


def test_a_check_without_a_label_is_named_by_its_new_line() -> None:
    unlabelled = BASE.replace("check 成本与预算匹配: 人均成本 * 服务人数 <= 全年预算数", "check: 人均成本 * 服务人数 <= 全年预算数")
    cache = LineCache()
    analysis.analyse(unlabelled, FILE, cache)
    edited = "# 一行\n" + unlabelled
    run = analysis.analyse(edited, FILE, cache).run
    same(run, full(edited))
    assert cache.moved > 0 and run.plan is not None
    assert [c.label for c in run.plan.checks] == [f"第{edited.split(chr(10)).index('check: 人均成本 * 服务人数 <= 全年预算数') + 1}行"]


def test_a_new_name_makes_again_only_what_looks_that_name_up() -> None:
    cache = LineCache()
    before = analysis.analyse(BASE, FILE, cache).run
    row = "    档案管理规范性 scale 100 weight 2\n"
    edited = BASE.replace(row, row + "    到位资金 >= 1 万元 weight 1\n")  # the name of a fact two formulas use
    after = analysis.analyse(edited, FILE, cache).run
    same(after, full(edited))
    assert [f.message() for f in after.findings if f.code == "PR012"][:1] == \
        ["名称 到位资金 有歧义，可能指：到位资金、过程/组织实施/到位资金"]
    assert before.plan is not None and after.plan is not None
    assert after.plan.checks[0] is before.plan.checks[0]  # 人均成本 * 服务人数 <= 全年预算数: none of its names changed
    assert after.plan.actuals[-1] is before.plan.actuals[-1]
    back = analysis.analyse(BASE, FILE, cache).run
    same(back, full(BASE))
    assert back.plan is not None and back.plan.checks[0] is before.plan.checks[0]


def test_a_pasted_block_and_a_cut_one_are_analysed_as_from_nothing() -> None:
    cache = LineCache()
    analysis.analyse(BASE, FILE, cache)
    lines = BASE.split("\n")
    start = lines.index("  group 产出成本 {")
    block = lines[start : start + 4]  # the group with its rows, without its closing brace
    pasted = "\n".join([*lines[:5], *block, "  }", *lines[5:]])  # a group pasted at the top level: 产出成本 twice
    run = analysis.analyse(pasted, FILE, cache).run
    same(run, full(pasted))
    assert cache.moved == len(BASE.splitlines()) - 5
    cut = "\n".join([*lines[:start], *lines[start + 5 :]])  # the group cut from 产出
    same(analysis.analyse(cut, FILE, cache).run, full(cut))
    same(analysis.analyse(BASE, FILE, cache).run, full(BASE))


def test_a_parse_that_fails_forgets_what_it_moved(monkeypatch: Any) -> None:
    from perfrules.syntax import parser

    cache = LineCache()
    analysis.analyse(BASE, FILE, cache)
    edited = "\n" + BASE
    calls = []

    def failing(*args: Any) -> Any:
        calls.append(args)
        raise MemoryError

    with monkeypatch.context() as patched, pytest.raises(MemoryError):
        patched.setattr(parser, "_statement", failing)
        analysis.analyse(edited + "\n不是一行", FILE, cache)  # a new line to parse: it fails after the re-base
    assert calls and cache.lines is None and not cache.entries and not cache.later
    same(analysis.analyse(edited, FILE, cache).run, full(edited))


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads RSS from /proc")
def test_memory_stays_flat_over_two_thousand_lines_inserted_and_deleted() -> None:
    def rss_mb() -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    cache = LineCache()
    lines = BASE.split("\n")
    texts = ["\n".join([*lines[:at], "    新增指标 >= 5 人 weight 1", *lines[at:]]) for at in (20, 40, 60)]
    for text in texts * 10:  # warm up
        analysis.analyse(text, FILE, cache)
        analysis.analyse(BASE, FILE, cache)
    before = rss_mb()
    for i in range(1000):
        analysis.analyse(texts[i % 3], FILE, cache)
        cache.prepare()
        analysis.analyse(BASE, FILE, cache)
    grown = rss_mb() - before
    assert grown < 20, f"RSS grew {grown:.1f} MB over 2,000 edits"


# ---------------------------------------------------------------- the server: a burst is one analysis


class Pipe:
    """A byte stream the server reads from (what a client writes) or writes to."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(data)
        return len(data)

    def flush(self) -> None:
        pass

    def messages(self) -> list[dict[str, Any]]:
        import json

        out = []
        for chunk in self.chunks:
            _header, _, body = chunk.partition(b"\r\n\r\n")
            out.append(json.loads(body))
        return out


def _opened() -> tuple[Server, Pipe, str, Callable[[str, dict[str, Any]], None]]:
    """A server driven by handle() (nothing is read), initialized, with BASE opened and analysed; its writer, the
    document's uri, and a function that sends it a notification."""
    import json

    writer = Pipe()
    server = Server(None, writer)  # type: ignore[arg-type]
    uri = "file://" + FILE

    def send(method: str, params: dict[str, Any]) -> None:
        server.handle(json.dumps({"jsonrpc": "2.0", "method": method, "params": params}).encode())

    server.handle(b'{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}')
    send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "perfrules", "version": 1, "text": BASE}})
    assert server.wait_idle()
    return server, writer, uri, send


def test_a_burst_of_edits_runs_one_analysis_and_publishes_what_a_full_one_finds() -> None:
    server, writer, uri, send = _opened()
    assert server.analysed == 1
    line = BASE.split("\n").index("  培训人数 = 480 人")
    for version, char in enumerate("4321", start=2):  # 480 人 -> 4804321 人, typed within the debounce
        at = {"line": line, "character": 12 + version - 2}
        send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                        "contentChanges": [{"range": {"start": at, "end": at}, "text": char}]})
    time.sleep(0.01)
    assert server.wait_idle()
    assert server.analysed == 2  # the open, then one for the burst
    published = [m["params"] for m in writer.messages() if m.get("method") == "textDocument/publishDiagnostics"]
    assert [p["version"] for p in published] == [1, 5]
    text = server.texts[uri]
    assert "  培训人数 = 4804321 人" in text.split("\n")
    fresh = full(text)
    lines = fresh.source
    expected = [f for f in fresh.findings if f.span is None or f.span.file == FILE]
    assert [d["code"] for d in published[-1]["diagnostics"]] == [f.code for f in expected]
    from perfrules.lsp.server import diagnostic

    assert published[-1]["diagnostics"] == [diagnostic(f, lines, "zh", "utf-16") for f in expected]


def test_the_server_publishes_the_moved_lines_of_an_insertion_and_a_deletion_as_a_full_analysis_would() -> None:
    from perfrules.lsp.server import diagnostic

    server, writer, uri, send = _opened()
    top = {"line": 1, "character": 0}
    end = {"line": 2, "character": 0}
    pasted = "  # 注释\n  kind 评价\n"  # two lines pasted into the ruleset block: every later line moves down two
    changes = [{"range": {"start": top, "end": top}, "text": pasted},  # pasted,
               {"range": {"start": top, "end": end}, "text": ""},  # one of them deleted, then the other
               {"range": {"start": top, "end": end}, "text": ""}]
    for version, change in enumerate(changes, start=2):
        send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        assert server.wait_idle()
        published = [m["params"] for m in writer.messages() if m.get("method") == "textDocument/publishDiagnostics"]
        assert published[-1]["version"] == version
        fresh = full(server.texts[uri])
        expected = [diagnostic(f, fresh.source, "zh", "utf-16") for f in fresh.findings if f.span is None or f.span.file == FILE]
        assert published[-1]["diagnostics"] == expected
        assert {d["code"] for d in expected} >= {"PR202", "PR203"}
    assert server.texts[uri] == BASE
    assert server.caches[uri] is not None and server.caches[uri].moved == len(BASE.splitlines()) - 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0)


DATED = """\
ruleset "年度" {
  year 2023
}
dimension 产出 weight 60 {
  group 时效 {
    完工时间 <= 12 月 weight 10
    验收时间 <= 2023-11-30 weight 10
  }
  group 数量 {
    培训人数 >= 450 人 weight 40
  }
}
dimension 效益 weight 40 {
  满意度 >= 90% weight 40
}
actuals {
  完工时间 = 2023-12-20
  验收时间 = 2023-11-15
  培训人数 = 480 人
  满意度 = 93%
}
"""


def test_editing_the_year_compiles_again_only_the_rows_that_read_it() -> None:
    """The ruleset's year matters to a deadline row only (`<= 12 月` is December of that year): an edit of the year
    compiles the date rows and their sections again and takes the others as they were; the analysis equals one
    from nothing for each year, none included (then the month row is a PR014)."""
    cache = LineCache()
    before = analysis.analyse(DATED, FILE, cache).run
    for year in ("  year 2024", "  year 2022", "", "  year 2023"):
        text = DATED.replace("  year 2023", year) if year else DATED.replace("  year 2023\n", "")
        after = analysis.analyse(text, FILE, cache).run
        same(after, full(text))
        assert before.plan is not None and after.plan is not None
        old = {s.key: s for s in before.plan.sections()}
        new = {s.key: s for s in after.plan.sections()}
        assert new["产出/数量"] is old["产出/数量"] and new["效益"] is old["效益"]
        assert new["产出/时效"] is not old["产出/时效"]
        before = after
    assert any(f.code == "PR014" for f in full(DATED.replace("  year 2023\n", "")).findings)
