"""`perfrules lint` over a tree of projects: each rule file under its own settings file, as `check` and batch `eval` do.

Before, every file was linted under the first file's settings: a second project's `ignore`, `select` or
`fail-on` was silently not applied, and its broken settings file was never reported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RULES = "场次 >= 4 场 weight 100\nactuals {\n  场次 = 12 场\n}\n"  # PR201 (a warning): 300% of the target


def _lint(*args: str, cwd: Path) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "perfrules", "lint", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, check=False, env={"PYTHONUTF8": "1", "PATH": "/usr/bin:/bin",
                                                                    "PERFRULES_NO_CACHE": "1"})
    return proc.returncode, proc.stdout + proc.stderr


def _project(root: Path, name: str, settings: str | None) -> None:
    (root / name).mkdir(parents=True)
    (root / name / "r.perf").write_text(RULES, encoding="utf-8")
    if settings is not None:
        (root / name / "pyproject.toml").write_text(settings, encoding="utf-8")


def test_each_project_in_a_tree_is_linted_under_its_own_settings(tmp_path: Path) -> None:
    _project(tmp_path, "a", '[tool.perfrules]\nignore = ["PR201"]\n')
    _project(tmp_path, "b", None)
    _project(tmp_path, "c", '[tool.perfrules]\nfail-on = "info"\n')
    code, out = _lint(".", cwd=tmp_path)
    reported = sorted(line.split(":")[0] for line in out.splitlines() if " PR201 " in line)
    assert reported == [str(Path("b/r.perf")), str(Path("c/r.perf"))], out  # a's own settings ignore PR201
    assert code == 1, out  # c's fail-on = "info" fails the run on its PR201
    code, out = _lint("a", "b", cwd=tmp_path)
    assert code == 0 and next(line for line in out.splitlines() if " PR201 " in line).startswith("b"), out


def test_a_later_project_s_broken_settings_is_its_finding_and_the_others_are_linted(tmp_path: Path) -> None:
    _project(tmp_path, "a", None)
    _project(tmp_path, "b", '[tool.perfrules]\nignore = [\n')
    code, out = _lint(".", cwd=tmp_path)
    assert code == 2, out
    assert any(line.startswith(str(Path("a/r.perf"))) and " PR201 " in line for line in out.splitlines()), out
    assert any(" PR014 " in line and "pyproject.toml" in line for line in out.splitlines()), out


def test_the_command_line_s_options_hold_for_every_project(tmp_path: Path) -> None:
    _project(tmp_path, "a", '[tool.perfrules]\nfail-on = "error"\n')
    _project(tmp_path, "b", '[tool.perfrules]\nselect = ["PR1"]\n')
    code, out = _lint(".", "--ignore", "PR201", cwd=tmp_path)
    assert code == 0 and " PR201 " not in out, out
    code, out = _lint(".", "--fail-on", "info", cwd=tmp_path)
    assert code == 1 and " PR201 " in out and "b/r.perf" not in out.replace("\\", "/").split("PR201")[0], out


def test_the_language_server_s_noqa_action_is_the_one_lint_add_noqa_writes() -> None:
    """A noqa already on the line is extended however it is written (full-width ＃ and ：, written back as lint
    --add-noqa writes it), not followed by a second one; none is offered for
    what noqa cannot suppress (an input error, PR901/PR902) or where a bare noqa covers the code already."""
    from perfrules.lsp import analysis as core

    def suppressions(text: str, line: int) -> list[tuple[str, list[str]]]:
        found = core.analyse(text, "/tmp/nq.perf")
        lines = text.splitlines()
        made = []
        for action in core.code_actions(found, line, line):
            if action.finding is None or "noqa" not in action.title:
                continue
            row = lines[line - 1]
            for edit in sorted(action.edits, key=lambda e: e.span.column, reverse=True):
                row = row[: edit.span.column - 1] + edit.text + row[edit.span.end_column - 1:]
            made.append((action.finding.code, [row]))
        return made

    actuals = "\nactuals {\n  场次 = 12 场\n}\n"
    assert ("PR201", ["场次 >= 4 场 weight 100  # noqa: PR202, PR201"]) in \
        suppressions("场次 >= 4 场 weight 100  ＃ noqa：PR202" + actuals, 1)
    assert [code for code, _row in suppressions("场次 >= 4 场 weight 100  # noqa" + actuals, 1)] == []
    assert [code for code, _row in suppressions("场次 >= 4 场 weight 100  # noqa=PR201" + actuals, 1)] == []
    assert ("PR201", ["场次 >= 4 场 weight 100  # noqa: PR201"]) in suppressions("场次 >= 4 场 weight 100" + actuals, 1)


def test_a_variant_with_a_level_of_its_own_is_said_so_where_the_catalogue_lists_its_code() -> None:
    """PR014 is an error that stops the file, but `weight 0` and a deduction word of the other side are warnings:
    `perfrules rule PR014` marks those messages, and a finding made without a severity takes its variant's level."""
    from click.testing import CliRunner

    from perfrules.cli import main
    from perfrules.findings import Finding, Severity, Span
    from perfrules.messages import MESSAGES, VARIANT_SEVERITY

    assert set(VARIANT_SEVERITY) <= set(MESSAGES)
    span = Span.point("x.perf", 1, 1)
    assert Finding.make("PR014", span, key="PR014.zero", name="丙").severity is Severity.WARNING
    assert Finding.make("PR014", span, key="PR014.weight", name="丙", value=-1).severity is Severity.ERROR
    said = CliRunner().invoke(main, ["rule", "PR014"]).output
    assert "标注「警告」「提示」的几种不妨碍计分，可以用 noqa 抑制" in said
    assert "  - （警告）权重不能为 0：{name} 写了 weight 0" in said
    assert "（警告）{name} 的取值" not in said
    listed = CliRunner().invoke(main, ["rules"]).output
    assert "其中个别写法只是警告或提示" in listed


def test_a_code_written_in_a_noqa_s_remark_is_said_not_dropped(tmp_path: Path) -> None:
    """`# noqa: PR202/PR203` and `# noqa: PR202 and PR203` suppress PR202 only (the rest is the remark, as documented):
    the PR203 in it is a PR902 at that code, with the directive that would read it; a remark with no code is left alone."""
    for comment in ("# noqa: PR202/PR203", "# noqa: PR202 and PR203", "＃ noqa：PR202（另见 PR203）"):
        (tmp_path / "r.perf").write_text(f"乙 >= 10 人 weight 100  {comment}\nactuals {{\n  乙 = 5 人\n}}\n", encoding="utf-8")
        _code, out = _lint("r.perf", cwd=tmp_path)
        said = [line for line in out.splitlines() if " PR902 " in line]
        column = len("乙 >= 10 人 weight 100  ") + comment.index("PR203") + 1
        assert said == [f"r.perf:1:{column}: PR902 警告 noqa 注释中的 PR203 写在说明里，不被读作代码，不抑制它；"
                        "要抑制它请写作 # noqa: PR202, PR203；提示：代码之间用逗号、空格、顿号或分号分开，说明写在代码之后"], out
        assert " PR203 " in out and " PR202 " not in out, out
    (tmp_path / "r.perf").write_text("乙 >= 10 人 weight 100  # noqa: PR202 见 PR 说明 2023\nactuals {\n  乙 = 5 人\n}\n",
                                     encoding="utf-8")
    assert " PR902 " not in _lint("r.perf", cwd=tmp_path)[1]


def test_a_vague_target_that_is_only_the_vague_word_is_not_said_twice(tmp_path: Path) -> None:
    (tmp_path / "v.perf").write_text('满意度 qualitative "明显" weight 50\n质量 qualitative "逐步提高质量" weight 50\n',
                                     encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "perfrules", "check", "v.perf"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120, check=False, env={"PYTHONUTF8": "1", "PATH": "/usr/bin:/bin"})
    said = [line for line in proc.stderr.splitlines() if " PR101 " in line]
    assert said == ["v.perf:1:1: PR101 警告 满意度 的目标「明显」含糊，无法衡量",
                    "v.perf:2:1: PR101 警告 质量 的目标「逐步提高质量」含糊（逐步提高），无法衡量"], proc.stderr


def test_completion_after_an_actual_offers_only_the_clauses_not_written_yet() -> None:
    from perfrules.lsp import analysis as core

    def offered(row: str) -> list[str]:
        text = f"满意度 >= 90% weight 100\nactuals {{\n{row}\n}}\n"
        return [c.label for c in core.completions(core.analyse(text, "/tmp/c.perf"), 3, len(row) + 1)]

    assert {"reason", "偏差原因", "score"} <= set(offered("  满意度 = 92% "))
    assert not {"reason", "偏差原因", "原因"} & set(offered('  满意度 = 92% reason "score 低" '))
    assert "score" in offered('  满意度 = 92% reason "score 低" ')  # the word in the reason's text is no clause
    assert not {"reason", "score", "得分"} & set(offered('  满意度 = 92% 偏差原因 "x" 得分 5 '))


def test_whichever_project_s_settings_are_broken_it_is_that_file_s_finding(tmp_path: Path) -> None:
    """The first file found is no different from the others: its broken settings do not stop the run (the
    review found `lint b a` a usage error where `lint a b` was b's PR014)."""
    _project(tmp_path, "0broken", '[tool.perfrules]\nfail-on = "warnign"\n')
    _project(tmp_path, "a", None)
    for args in ((".",), ("0broken", "a"), ("a", "0broken")):
        code, out = _lint(*args, cwd=tmp_path)
        assert code == 2 and " PR014 " in out and any(line.startswith(str(Path("a/r.perf"))) and " PR201 " in line
                                                      for line in out.splitlines()), (args, out)
    code, out = _lint("0broken/r.perf", cwd=tmp_path)  # one file: the usage error every command gives
    assert code == 2 and "设置有误" in out and " PR201 " not in out, out


def test_junit_fails_each_file_at_its_own_settings_level_as_the_exit_status_does(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    _project(tmp_path, "a", None)
    _project(tmp_path, "b", '[tool.perfrules]\nfail-on = "warning"\n')
    for args in (("a", "b"), ("b", "a")):
        proc = subprocess.run([sys.executable, "-m", "perfrules", "lint", *args, "--format", "junit"],
                              capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
                              env={"PYTHONUTF8": "1", "PATH": "/usr/bin:/bin", "PERFRULES_NO_CACHE": "1"})
        suites = {s.get("name"): s.get("failures") for s in ET.fromstring(proc.stdout).iter("testsuite")}
        assert proc.returncode == 1 and suites == {str(Path("a/r.perf")): "0", str(Path("b/r.perf")): "3"}, \
            (args, suites, proc.stdout)


def test_a_file_named_twice_is_checked_once(tmp_path: Path) -> None:
    _project(tmp_path, "a", None)
    code, out = _lint("a", "a/r.perf", "./a/r.perf", cwd=tmp_path)
    assert code == 0 and "检查了 1 个文件" in out and out.count(" PR201 ") == 1, out
