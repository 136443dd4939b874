"""Suppression comments as ruff users expect them (issue 14, the trial of HEAD 0b91c29, items 1, 14, 15, 20).

A noqa comment is read in every form an input method or a flake8 habit writes it (full-width ＃ ： ，
ＰＲ２０２, codes separated by commas, whitespace, 、 or ;, a remark after the codes); what cannot be read is a
located PR902 warning and never a blanket suppression; an unknown code names the nearest codes; PR901 and
PR902 stand on the directive; `lint --fix` deletes unused noqa codes and comments like ruff's RUF100 fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from perfrules import pipeline
from perfrules.checks import known_codes, nearest_codes
from perfrules.checks.suppress import read_directive
from perfrules.settings import Settings
from tests.conftest import cli

# 甲 (line 5) misses its target: PR202 (warning, no reason) and PR203 (info); 乙 meets it.
RULES = """\
ruleset "x" {{
  year 2023
}}
dimension 产出 weight 100 {{
  甲 >= 100 人 weight 50{tail}
  乙 >= 100 人 weight 50
  丙 >= 100 人 weight 0
}}
actuals {{
  甲 = 90 人
  乙 = 100 人
  丙 = 100 人
}}
"""


def on_line(tail: str, line: int = 5) -> list[tuple[str, str]]:
    """(code, message) of the findings on `line` of RULES with `tail` after 甲's line."""
    run = pipeline.analyse_text(RULES.format(tail=tail), "n.perf", settings=Settings())
    return sorted((f.code, f.message()) for f in run.findings if f.span is not None and f.span.line == line)


def codes_on(tail: str) -> list[str]:
    return [code for code, _message in on_line(tail)]


# ---------------------------------------------------------------- what a noqa comment suppresses


@pytest.mark.parametrize("tail", [
    "  # noqa: PR202", "  # noqa:PR202", "  #noqa: PR202", "  # NOQA: pr202", "  # noqa : PR202",
    "  # noqa：PR202", "  ＃ noqa: PR202", "  ＃ noqa：PR202", "  # noqa: ＰＲ２０２", "  # ｎｏｑａ： ＰＲ２０２",
    "  # noqa: PR202 这是说明", "  # noqa: PR202，这是说明", "  # noqa: PR202（说明）", "  # noqa: PR202  # 别的注释",
    "  # noqa: PR202 2023年的说明", "  # 说明 # noqa: PR202",
])
def test_each_form_of_one_code_suppresses_that_code_only(tail: str) -> None:
    assert codes_on(tail) == ["PR203"], tail


@pytest.mark.parametrize("tail", [
    "  # noqa: PR202, PR203", "  # noqa: PR202,PR203", "  # noqa: PR202 PR203", "  # noqa: PR202，PR203",
    "  # noqa: PR202、PR203", "  # noqa: PR202；PR203", "  # noqa: PR202; PR203", "  # noqa: PR203, PR202",
    "  # noqa: PR2", "  # noqa: PR20", "  # noqa", "  # noqa 见附件", "  ＃ noqa",
])
def test_codes_separated_by_commas_whitespace_or_enumeration_commas_all_count(tail: str) -> None:
    assert codes_on(tail) == [], tail


def test_a_missing_colon_is_read_as_the_codes_it_names_and_said() -> None:
    assert on_line("  # noqa PR202") == [
        ("PR203", "甲 未完成目标：完成率 90.00%（目标 >= 100 人，实际 90 人）"),
        ("PR902", "noqa 注释「# noqa PR202」的代码前缺少冒号，按 # noqa: PR202 读取"),
    ]
    assert codes_on("  # noqa PR202, PR203") == ["PR902"]  # both suppressed, the guess reported


@pytest.mark.parametrize(("tail", "message"), [
    ("  # noqa:", "noqa 注释「# noqa:」的冒号后没有代码，不抑制任何问题"),
    ("  # noqa：", "noqa 注释「# noqa：」的冒号后没有代码，不抑制任何问题"),
    ("  # noqa: 这是说明", "noqa 注释「# noqa: 这是说明」的冒号后没有代码，不抑制任何问题"),
    ("  # noqa=PR202", "无法读取 noqa 注释「# noqa=PR202」，它不抑制任何问题"),
    ("  # noqa,PR202", "无法读取 noqa 注释「# noqa,PR202」，它不抑制任何问题"),
    ("  # perfrules noqa", "无法读取 noqa 注释「# perfrules noqa」，它不抑制任何问题"),
])
def test_a_directive_that_cannot_be_read_suppresses_nothing_and_is_a_warning(tail: str, message: str) -> None:
    run = pipeline.analyse_text(RULES.format(tail=tail), "n.perf", settings=Settings())
    mine = [f for f in run.findings if f.span is not None and f.span.line == 5]
    assert sorted(f.code for f in mine) == ["PR202", "PR203", "PR902"]  # never a blanket suppression
    (bad,) = [f for f in mine if f.code == "PR902"]
    assert bad.message() == message and bad.severity.value == "warning"
    assert (bad.span.column, bad.span.end_column) == (25, 25 + len(tail.strip()))  # type: ignore[union-attr]
    assert "PR014" in {f.code for f in run.findings}  # the rest of the file is not suppressed either


def test_an_unknown_code_names_the_nearest_codes_and_suppresses_nothing() -> None:
    assert on_line("  # noqa: PR999") == [
        ("PR202", "甲 未完成目标（完成率 90.00%），但没有写偏差原因"),
        ("PR203", "甲 未完成目标：完成率 90.00%（目标 >= 100 人，实际 90 人）"),
        ("PR902", "noqa 注释中的 PR999 不是已知的代码，不抑制任何问题：是不是 PR902、PR901、PR309？"),
    ]
    # a typo of a code is not a blanket suppression either, and the others named still count
    assert on_line("  # noqa: PR2O2, PR203") == [
        ("PR202", "甲 未完成目标（完成率 90.00%），但没有写偏差原因"),
        ("PR902", "noqa 注释中的 PR2O2 不是已知的代码，不抑制任何问题：是不是 PR202、PR022、PR902？"),
    ]
    assert ("PR902", "noqa 注释中的 202 不是已知的代码，不抑制任何问题：是不是 PR202、PR902、PR402？") in on_line(
        "  # noqa: 202, PR203")


def test_the_english_messages() -> None:
    run = pipeline.analyse_text(RULES.format(tail="  # noqa: PR999"), "n.perf", settings=Settings())
    (bad,) = [f for f in run.findings if f.code == "PR902"]
    assert bad.message("en") == ("the noqa comment names PR999, which is no known code: it suppresses nothing; "
                                 "did you mean PR902, PR901, PR309?")
    assert "perfrules lint --fix" in bad.hint("en")


def test_positions_of_the_directive_and_its_codes() -> None:
    line = "  甲 >= 100 人 weight 50  ＃ noqa：ＰＲ２０２，PR999 说明 # 其他"
    comment_at = line.index("＃")
    s = read_directive(line[comment_at:], 5, comment_at + 1)
    assert s is not None
    assert (s.column, s.end_column) == (comment_at + 1, line.index(" 说明") + 1)
    assert [(c.text, c.column) for c in s.tokens] == [("PR202", line.index("ＰＲ") + 1), ("PR999", line.index("PR999") + 1)]
    assert s.codes == ("PR202",) and [c.text for c in s.unknown] == ["PR999"]
    assert line[s.remark_column - 1: s.stop - 1] == "说明 "
    assert read_directive("# 普通注释") is None and read_directive("# 这里不写 noqa") is None


def test_pr901_covers_the_noqa_directive_not_only_its_hash() -> None:
    tail = "  # noqa: PR201 说明"
    run = pipeline.analyse_text(RULES.format(tail=tail), "n.perf", settings=Settings())
    (unused,) = [f for f in run.findings if f.code == "PR901"]
    assert unused.span is not None
    assert (unused.span.line, unused.span.column, unused.span.end_column) == (5, 25, 25 + len("# noqa: PR201"))
    assert unused.message() == "抑制注释 PR201 没有抑制任何问题，可以删除"


def test_a_full_width_file_level_suppression() -> None:
    text = "＃ perfrules：noqa：PR202\n" + RULES.format(tail="")
    run = pipeline.analyse_text(text, "n.perf", settings=Settings())
    assert "PR202" not in {f.code for f in run.findings} and "PR203" in {f.code for f in run.findings}


def test_a_noqa_never_hides_pr901_or_pr902() -> None:
    assert codes_on("  # noqa: PR999  # noqa") == ["PR202", "PR203", "PR902"]  # the first directive of a comment


def test_check_reports_a_malformed_noqa_too(write) -> None:  # type: ignore[no-untyped-def]
    path = write("c.perf", RULES.format(tail="  # noqa: PR1O5"))
    out = cli("check", path)
    assert f"{path}:5:33: PR902 警告 noqa 注释中的 PR1O5 不是已知的代码" in out.stderr


def test_known_and_nearest_codes() -> None:
    assert {"PR001", "PR013", "PR201", "PR901", "PR902"} <= set(known_codes())
    assert nearest_codes("PR2O1")[0] == "PR201" and nearest_codes("PR7") == ["PR9", "PR4", "PR3"]


# ---------------------------------------------------------------- lint --fix deletes what suppresses nothing

FIXED_BY_LINE = [  # (甲's tail, what --fix leaves): PR201 is unused on 甲 (it misses, not over-completes)
    ("  # noqa: PR201", ""),
    ("  # noqa: PR201, PR202", "  # noqa: PR202"),
    ("  # noqa: PR202 PR201 PR203", "  # noqa: PR202, PR203"),
    ("  # noqa: PR201 因为缺少数据", "  # 因为缺少数据"),
    ("  ＃ noqa：PR201，见附件", "  ＃ 见附件"),
    ("  # noqa: PR201  # 另一条注释", "  # 另一条注释"),
    ("  # 说明 # noqa: PR201", "  # 说明"),
    ("  # noqa: PR999, PR202", "  # noqa: PR202"),
    ("  # noqa PR202", "  # noqa: PR202"),
    ("  # noqa：ＰＲ２０２，PR201", "  # noqa: PR202"),
]


@pytest.mark.parametrize(("tail", "left"), FIXED_BY_LINE)
def test_fix_deletes_unused_noqa_codes_and_comments(write, tail: str, left: str) -> None:  # type: ignore[no-untyped-def]
    path = write("f.perf", RULES.format(tail=tail))
    before = cli("lint", path)
    out = cli("lint", "--fix", path)
    assert Path(path).read_text(encoding="utf-8") == RULES.format(tail=left)
    assert "已修复 1 处（PR90" in out.stderr
    after = cli("lint", path)  # what it suppressed stays suppressed: only PR901/PR902 are gone
    assert [line for line in before.stdout.splitlines() if " PR90" not in line] == after.stdout.splitlines()
    assert "PR901" not in after.stdout and "PR902" not in after.stdout
    again = cli("lint", "--fix", path)
    assert "已修复" not in again.stderr


def test_fix_deletes_a_line_that_held_only_an_unused_noqa(write) -> None:  # type: ignore[no-untyped-def]
    text = "# perfrules: noqa: PR304\r\n" + RULES.format(tail="  # noqa: PR202").replace("\n", "\r\n")
    path = write("f.perf", text.encode("utf-8"))
    out = cli("lint", "--fix", path)
    assert Path(path).read_bytes() == RULES.format(tail="  # noqa: PR202").replace("\n", "\r\n").encode("utf-8")
    assert "已修复 1 处（PR901 ×1）" in out.stderr


def test_fix_keeps_a_noqa_of_a_check_this_run_did_not_look_for(write) -> None:  # type: ignore[no-untyped-def]
    path = write("f.perf", RULES.format(tail="  # noqa: PR201, PR301"))
    cli("lint", "--fix", "--select", "PR2,PR9", path)
    assert Path(path).read_text(encoding="utf-8") == RULES.format(tail="  # noqa: PR301")


def test_diff_shows_the_noqa_fix_and_counts_full_width_by_runs(write) -> None:  # type: ignore[no-untyped-def]
    text = RULES.format(tail="  # noqa: PR201").replace("乙 >= 100 人", "乙 ＞＝ １００ 人")
    path = write("f.perf", text)
    out = cli("lint", "--diff", path)
    assert out.exit_code == 1
    assert "-  甲 >= 100 人 weight 50  # noqa: PR201\n-  乙 ＞＝ １００ 人 weight 50\n" in out.stdout
    assert "+  甲 >= 100 人 weight 50\n+  乙 >= 100 人 weight 50\n" in out.stdout
    assert "可修复 3 处（PR901 ×1，全角符号 ×2）" in out.stderr  # ＞＝ and １００: one fix each
    assert Path(path).read_text(encoding="utf-8") == text


def test_add_noqa_merges_into_a_full_width_or_colonless_noqa(write) -> None:  # type: ignore[no-untyped-def]
    for tail, merged in (("  # noqa：PR203", "  # noqa: PR203, PR202"), ("  # noqa PR203", "  # noqa: PR203, PR202"),
                         ("  # noqa: 说明", "  # noqa: PR202, PR203 说明")):
        path = write("a.perf", RULES.format(tail=tail))
        cli("lint", "--add-noqa", "--select", "PR2", path)
        assert Path(path).read_text(encoding="utf-8").splitlines()[4] == "  甲 >= 100 人 weight 50" + merged, tail


# ---------------------------------------------------------------- the catalogue: rules, rule


def test_rules_lists_the_language_codes_too() -> None:
    out = cli("rules")
    lines = out.stdout.splitlines()
    assert lines[0] == "PR001 ✱ 错误     语法错误"
    assert "PR021   警告     指标缺少实际值" in lines
    assert "PR902   警告     noqa 注释写错了" in lines
    assert lines[-1].startswith("✱ 语言与编译错误：文件无法评分")
    codes = [line.split()[0] for line in lines[:-1]]
    assert codes == sorted(codes) == list(known_codes())
    assert 'PR013 ✱ error    unit mismatch' in cli("rules", "--lang", "en").stdout.splitlines()


def test_rule_of_an_unknown_code_suggests_the_nearest() -> None:
    out = cli("rule", "PR999")
    assert out.exit_code == 2
    assert "没有检查 PR999；是不是 PR902、PR901、PR309？用 perfrules rules 查看全部" in out.stderr
    assert "did you mean PR902, PR901, PR309?" in out.stderr
    assert "是不是 PR201" in cli("rule", "pr2o1").stderr


def test_rule_of_a_meta_check_says_noqa_cannot_suppress_it() -> None:
    out = cli("rule", "PR902")
    assert "抑制：不能用 noqa 抑制（# noqa: PR902 不起作用），用 --ignore PR902 或 severity 设置关闭" in out.stdout
    assert "perfrules/checks" not in out.stdout and "perfrules/checks" not in cli("rule", "PR901").stdout


def test_add_noqa_adds_no_code_for_what_is_said_of_the_noqa_itself(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.perf", RULES.format(tail="  # noqa: PR999"))
    out = cli("lint", "--add-noqa", "--select", "PR2,PR9", path)
    assert "已添加 1 个 noqa 注释" in out.stderr
    assert Path(path).read_text(encoding="utf-8").splitlines()[4] == "  甲 >= 100 人 weight 50  # noqa: PR999, PR202, PR203"
    assert [line.split()[1] for line in cli("lint", "--select", "PR2,PR9", path).stdout.splitlines()] == ["PR902"]
