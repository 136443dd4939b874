"""`perfrules lint --fix`, `--diff` and `--add-noqa`: the safe fixes, made by line and column (comments kept),
idempotent, and refused when the plan would change anywhere else."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfrules import fixes
from tests.conftest import cli

HEAD = 'ruleset "示例" {\n  year 2023\n}\ndimension 产出 weight 100 {\n  group 数量 {\n'
TAIL = "  }\n}\n"


def _file(body: str, actuals: str = "") -> str:
    return HEAD + body + TAIL + (f"actuals {{\n{actuals}}}\n" if actuals else "")


def _fix(write, text: str) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    path = write("t.perf", text)
    out = cli("lint", "--fix", path)
    return Path(path).read_text(encoding="utf-8"), out


@pytest.mark.parametrize(("before", "after", "label"), [
    ("    资格认证人数 ＞＝ ６0000 人 weight 100  # 全角：保留\n",
     "    资格认证人数 >= 60000 人 weight 100  # 全角：保留\n", "全角符号 ×2"),  # ＞＝ and ６: one fix a run
    ('    "满意度（＞９０）" ＞ 90 人 weight 100\n', '    "满意度（＞９０）" > 90 人 weight 100\n', "全角符号 ×1"),
    ("    群众满意度 >= 95 weight 100  # 调查\n", "    群众满意度 >= 95% weight 100  # 调查\n", "PR108 ×1"),
])
def test_each_fix_before_and_after(write, before: str, after: str, label: str) -> None:  # type: ignore[no-untyped-def]
    text, out = _fix(write, _file(before))
    assert text == _file(after)
    assert f"已修复 {label.split('×')[1]} 处（{label}）" in out.stderr  # type: ignore[attr-defined]


def test_a_unit_is_copied_from_the_actual_onto_the_bare_target(write) -> None:  # type: ignore[no-untyped-def]
    text, out = _fix(write, _file("    资格认证人数 >= 60000 weight 100  # 人数\n", "  资格认证人数 = 60000 人\n"))
    assert text == _file("    资格认证人数 >= 60000 人 weight 100  # 人数\n", "  资格认证人数 = 60000 人\n")
    assert "PR109 ×1" in out.stderr  # type: ignore[attr-defined]
    assert out.exit_code == 0  # type: ignore[attr-defined]


def test_a_percent_actual_against_a_bare_rate_target_pr013_plain(write) -> None:  # type: ignore[no-untyped-def]
    before = _file("    资金到位率 >= 95 weight 100\n", "  资金到位率 = 98%\n")
    path = write("t.perf", before)
    assert cli("lint", path).exit_code == 2  # PR013.plain blocks
    out = cli("lint", "--fix", path)
    assert Path(path).read_text(encoding="utf-8") == _file("    资金到位率 >= 95% weight 100\n", "  资金到位率 = 98%\n")
    assert "PR013 ×1" in out.stderr
    assert out.exit_code == 0  # lint's exit on what is left


def test_fixing_twice_changes_nothing_more(write) -> None:  # type: ignore[no-untyped-def]
    path = write("t.perf", _file("    群众满意度 ＞＝ 95 weight 100  # 注\n"))
    cli("lint", "--fix", path)
    once = Path(path).read_bytes()
    again = cli("lint", "--fix", path)
    assert Path(path).read_bytes() == once
    assert "已修复" not in again.stderr
    assert cli("lint", "--diff", path).exit_code == 0


def test_line_endings_and_bom_are_kept(write) -> None:  # type: ignore[no-untyped-def]
    text = "\ufeff" + _file("    群众满意度 >= 95 weight 100\n").replace("\n", "\r\n")
    path = write("t.perf", text.encode("utf-8"))
    cli("lint", "--fix", path)
    assert Path(path).read_bytes() == text.replace(">= 95 ", ">= 95% ").encode("utf-8")


def test_diff_prints_the_fixes_and_writes_nothing(write) -> None:  # type: ignore[no-untyped-def]
    before = _file("    群众满意度 >= 95 weight 100  # 注\n")
    path = write("t.perf", before)
    out = cli("lint", "--diff", path)
    assert out.exit_code == 1
    assert out.stdout == (f"--- {path}\n+++ {path}\n" "@@ -3,6 +3,6 @@\n }\n dimension 产出 weight 100 {\n"
                          "   group 数量 {\n-    群众满意度 >= 95 weight 100  # 注\n+    群众满意度 >= 95% weight 100  # 注\n"
                          "   }\n }\n")
    assert "可修复 1 处（PR108 ×1）" in out.stderr
    assert Path(path).read_text(encoding="utf-8") == before
    clean = write("c.perf", _file("    群众满意度 >= 95% weight 100\n"))
    nothing = cli("lint", "--diff", clean)
    assert (nothing.exit_code, nothing.stdout) == (0, "")


def test_add_noqa_writes_and_merges(write) -> None:  # type: ignore[no-untyped-def]
    before = _file("    群众满意度 >= 95 weight 50  # 调查\n    人数 >= 5 weight 50  # noqa: PR201\n")
    path = write("t.perf", before)
    out = cli("lint", "--add-noqa", path)
    assert out.exit_code == 0
    assert "已添加 3 个 noqa 注释" in out.stderr  # PR105 stands on the dimension's line
    assert Path(path).read_text(encoding="utf-8") == _file(
        "    群众满意度 >= 95 weight 50  # 调查  # noqa: PR108\n    人数 >= 5 weight 50  # noqa: PR201, PR109\n"
    ).replace("weight 100 {\n", "weight 100 {  # noqa: PR105\n")
    after = cli("lint", path)
    assert "PR108" not in after.stdout and "PR109" not in after.stdout
    cli("lint", "--add-noqa", path)  # nothing new to add
    assert "# noqa: PR201, PR109\n" in Path(path).read_text(encoding="utf-8")


def test_add_noqa_and_fix_cannot_be_combined(write) -> None:  # type: ignore[no-untyped-def]
    out = cli("lint", "--fix", "--add-noqa", write("t.perf", _file("    a >= 5 人 weight 100\n")))
    assert out.exit_code == 2


def test_a_fix_that_changes_another_part_of_the_plan_is_refused(write, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def heavier(finding, run):  # type: ignore[no-untyped-def]  # a wrong fix: it also changes the weight
        edit = fixes.percent(finding, run)
        if edit is None:
            return None
        line = run.source[edit.line - 1]
        at = line.index("weight 60") + len("weight ") + 1
        return [edit, fixes.Edit(edit.line, at, at + 2, "70", "PR108", edit.owner)]

    def edits_for(findings, run, lines):  # type: ignore[no-untyped-def]
        return [e for f in findings for e in (heavier(f, run) or [])]

    monkeypatch.setattr(fixes, "edits_for", edits_for)
    before = _file("    群众满意度 >= 95 weight 60\n    人数 >= 5 人 weight 40\n")
    path = write("t.perf", before)
    out = cli("lint", "--fix", path)
    assert Path(path).read_text(encoding="utf-8") == before
    assert "未修复" in out.stderr and "section:产出/数量" in out.stderr


def test_verify_allows_only_the_owner() -> None:
    before = _file("    群众满意度 >= 95 weight 100\n")
    after = before.replace(">= 95 ", ">= 95% ")
    assert fixes.verify(before, after, "t.perf", {"产出/数量/群众满意度"}) == ""
    assert "indicator:产出/数量/群众满意度" in fixes.verify(before, after, "t.perf", set())


def test_edits_are_made_by_column_keeping_the_rest() -> None:
    lines = ["a ＞ 1  # ＞ 注", "b"]
    edits = fixes.full_width(lines)
    assert edits == [fixes.Edit(1, 3, 4, ">", fixes.FULL_WIDTH_CODE)]
    assert fixes.apply(lines, edits) == ["a > 1  # ＞ 注", "b"]
