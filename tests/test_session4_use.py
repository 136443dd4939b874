"""Findings located in a file a rule file `use`s (not std/), and settings that do not fit (issue 14, items 5 and 6).

Item 5: the pair of docs/language.md §9 (a province's framework base.perf, a project using it). The project's
budget execution (95%) is below the framework's 预算执行率 row, so the project's lint finds PR202 located in
base.perf line 11. Every format shows that place relative like the others, with the use line it came through;
JUnit counts it in the project's suite; a noqa on that line of base.perf suppresses it, and base.perf's own lint
(no actuals: it scores nothing) does not call that noqa unused; the language server shows it at the use line.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from perfrules import pipeline
from perfrules.lsp.analysis import analyse as lsp_analyse
from perfrules.lsp.server import diagnostic

from conftest import SCHEMAS, cli, lsp_diagnostics

BASE = """\
# 文件 base.perf：本省框架
ruleset "某省自评框架" {
  kind 自评
  tiers 80% 50%
}
grades { 优 >= 90  良 >= 80  中 >= 60  差 otherwise }
facts {
  全年预算数 万元
  全年执行数 万元
}
预算执行率 = 全年执行数 / 全年预算数 >= 100% weight 20 method executionNOQA
dimension 产出 weight 40 {
  group 数量指标 {
  }
  group 质量指标 {
  }
}
dimension 效益 weight 40 {
  group 社会效益指标 {
  }
}
"""
PROJECT = """\
# 文件 project.perf，与 base.perf 在同一目录
use "base.perf"

ruleset "某项目自评" {
  year 2024
}
facts {
  全年预算数 = 100 万元
  全年执行数 = 95 万元
}
dimension 产出 {
  group 数量指标 weight 25 {
    培训人数 >= 500 人 weight 25
  }
  group 质量指标 weight 15 {
    培训合格率 >= 95% weight 15
  }
}
dimension 效益 {
  group 社会效益指标 weight 40 {
    就业帮扶效果 qualitative "明显" weight 40
  }
}
actuals {
  培训人数 = 487 人
  培训合格率 = 96%
  就业帮扶效果 = 部分达成 55%
}
"""
# What base.perf gives by itself (a framework: its one row, and no indicator in its groups yet)
BASE_ALONE = ["rulesets/base.perf:11:1: PR103 警告 一级权重之和为 20，应为 100",
              "rulesets/base.perf:11:1: PR105 警告 只有 1 个三级指标，少于 3 个"]
USED = "rulesets/base.perf:11:1: PR202 警告 预算执行率 未完成目标（完成率 95.00%），但没有写偏差原因（由 rulesets/project.perf:2 的 use 引用）"
PROJECT_OWN = [
    "rulesets/project.perf:13:5: PR202 警告 培训人数 未完成目标（完成率 97.40%），但没有写偏差原因",
    "rulesets/project.perf:13:5: PR203 提示 培训人数 未完成目标：完成率 97.40%（目标 >= 500 人，实际 487 人）",
    "rulesets/project.perf:21:5: PR101 警告 就业帮扶效果 的目标「明显」含糊，无法衡量",
    "rulesets/project.perf:21:5: PR202 警告 就业帮扶效果 未完成目标（完成率 55.00%），但没有写偏差原因",
    "rulesets/project.perf:21:5: PR203 警告 就业帮扶效果 未完成目标：完成率 55.00%（目标 明显，实际 部分达成 55%）",
]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The §9 pair under tmp_path/rulesets, the current folder tmp_path (paths as a CI job gives them)."""
    (tmp_path / "rulesets").mkdir()
    (tmp_path / "rulesets" / "base.perf").write_text(BASE.replace("NOQA", ""), encoding="utf-8")
    (tmp_path / "rulesets" / "project.perf").write_text(PROJECT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def noqa(repo: Path, comment: str) -> None:
    (repo / "rulesets" / "base.perf").write_text(BASE.replace("NOQA", comment), encoding="utf-8")


def lines(output: str) -> list[str]:
    """The findings' lines, each without the hint the text format shows after it (「；提示：…」)."""
    return [line.split("；提示：")[0].split("; hint: ")[0] for line in output.splitlines() if line.startswith("rulesets/")]


# ---------------------------------------------------------------- where a used file's finding is shown


def test_lint_text_shows_a_used_files_finding_relative_with_its_use_line(repo: Path) -> None:
    out = cli("lint", "rulesets")  # base.perf, a framework project.perf uses, is linted through it (not alone)
    assert (out.exit_code, lines(out.stdout)) == (0, [USED, *PROJECT_OWN])
    assert str(repo) not in out.stdout
    assert "检查了 2 个文件，发现 6 个问题（0 个错误）；1 个被引用的框架（rulesets/base.perf）随引用它的文件检查" in \
        out.stderr.replace("\\", "/")
    out = cli("lint", "rulesets/project.perf", "--lang", "en")
    assert ("rulesets/base.perf:11:1: PR202 warning 预算执行率 deviates (95.00%) but gives no reason "
            "(through the use at rulesets/project.perf:2)") in lines(out.stdout)


def test_a_used_file_is_shown_from_the_folder_the_project_was_named_from(repo: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "rulesets")
    out = cli("lint", "project.perf")
    assert out.stdout.splitlines()[0].split("；提示：")[0] == USED.replace("rulesets/", "")
    out = cli("lint", str(repo / "rulesets" / "project.perf"))
    assert out.stdout.splitlines()[0].split("；提示：")[0] == USED.replace("rulesets/", f"{repo}/rulesets/")


def test_github_and_sarif_locate_it_in_the_used_file_relative_with_the_use_line_related(repo: Path) -> None:
    out = cli("lint", "rulesets", "--format", "github")
    assert ("::warning file=rulesets/base.perf,line=11,col=1,endLine=11,endColumn=57,title=PR202 有偏差但没有偏差原因::"
            "预算执行率 未完成目标（完成率 95.00%25），但没有写偏差原因（由 rulesets/project.perf:2 的 use 引用）"
            ) in [line.split("%0A")[0] for line in out.stdout.splitlines()]
    sarif = json.loads(cli("lint", "rulesets", "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    uris = sorted({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results})
    assert uris == ["rulesets/base.perf", "rulesets/project.perf"]
    used = [r for r in results if "relatedLocations" in r]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in used] == [("PR202", 11)]
    related = used[0]["relatedLocations"][0]
    assert related["physicalLocation"] == {"artifactLocation": {"uri": "rulesets/project.perf", "uriBaseId": "%SRCROOT%"},
                                           "region": {"startLine": 2, "startColumn": 1}}
    assert related["message"]["text"] == "由 rulesets/project.perf:2 的 use 引用"


def test_junit_has_one_suite_per_file_linted_and_its_tests_add_up_to_the_findings(repo: Path) -> None:
    root = ET.fromstring(cli("lint", "rulesets", "--format", "junit").stdout)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert sorted(suites) == ["rulesets/base.perf", "rulesets/project.perf"]
    assert [(n, s.get("tests")) for n, s in sorted(suites.items())] == [("rulesets/base.perf", "1"),
                                                                         ("rulesets/project.perf", "6")]
    assert root.get("tests") == "7"  # base.perf, a framework linted through the project: its one passing case
    assert suites["rulesets/base.perf"].get("failures") == "0"
    cases = [c.get("name") for c in suites["rulesets/project.perf"].iter("testcase")]
    assert cases[0] == "PR202 rulesets/base.perf:11:1 预算执行率"
    assert lines(suites["rulesets/project.perf"].find("testcase/system-out").text or "") == [USED]  # type: ignore[union-attr]
    # the project alone: one suite, although one finding is located in base.perf
    root = ET.fromstring(cli("lint", "rulesets/project.perf", "--format", "junit").stdout)
    assert [(s.get("name"), s.get("tests")) for s in root.iter("testsuite")] == [("rulesets/project.perf", "6")]


def test_json_gives_the_use_line_and_fits_the_result_schema(repo: Path) -> None:
    found = json.loads(cli("lint", "rulesets/project.perf", "--format", "json").stdout)["findings"]
    assert [(f["file"], f["line"], f.get("via")) for f in found if f["file"] != "rulesets/project.perf"] == [
        ("rulesets/base.perf", 11, {"file": "rulesets/project.perf", "line": 2, "column": 1})]
    result = cli("eval", "rulesets/project.perf", "--format", "json").json()
    jsonschema.validate(result, json.loads((SCHEMAS / "result.schema.json").read_text(encoding="utf-8")))
    assert [f["via"] for f in result["findings"] if "via" in f] == [{"file": "rulesets/project.perf", "line": 2,
                                                                      "column": 1}]


# ---------------------------------------------------------------- suppressions written in the used file


def test_a_noqa_in_the_used_file_suppresses_its_finding_and_is_not_unused_in_its_own_lint(repo: Path) -> None:
    noqa(repo, "  # noqa: PR202")
    out = cli("lint", "rulesets")
    assert lines(out.stdout) == PROJECT_OWN
    assert lines(cli("lint", "rulesets/base.perf").stdout) == BASE_ALONE  # no PR901: base.perf scores nothing
    assert lines(cli("lint", "rulesets/project.perf").stdout) == PROJECT_OWN


def test_a_bare_or_prefix_noqa_in_a_framework_is_not_unused_either(repo: Path) -> None:
    for comment, left in (("  # noqa", []), ("  # noqa: PR2", BASE_ALONE)):  # the bare one hides PR103/PR105
        noqa(repo, comment)
        assert lines(cli("lint", "rulesets").stdout) == PROJECT_OWN, comment  # base.perf: through the project
        assert lines(cli("lint", "rulesets/base.perf").stdout) == left, comment


def test_a_framework_still_reports_an_unused_noqa_of_what_it_checks_itself(repo: Path) -> None:
    noqa(repo, "  # noqa: PR101")  # static: base.perf's own lint looks for it, and its row has no vague target
    base = lines(cli("lint", "rulesets/base.perf").stdout)
    assert base[:2] == BASE_ALONE and len(base) == 3  # (the noqa comments' own wording and column are H4's)
    assert base[2].startswith("rulesets/base.perf:11:") and " PR901 警告 " in base[2] and "PR101" in base[2]
    project = lines(cli("lint", "rulesets/project.perf").stdout)  # the project's lint says nothing of base's noqa
    assert project == [USED, *PROJECT_OWN]


def test_a_noqa_of_a_project_with_actuals_stays_unused_when_nothing_uses_it(repo: Path) -> None:
    path = repo / "rulesets" / "project.perf"
    path.write_text(PROJECT.replace("培训合格率 = 96%", "培训合格率 = 96%  # noqa: PR202"), encoding="utf-8")
    unused = [line for line in lines(cli("lint", "rulesets/project.perf").stdout) if " PR901 " in line]
    assert len(unused) == 1 and unused[0].startswith("rulesets/project.perf:26:") and "PR202" in unused[0]


def test_a_whole_file_noqa_in_the_used_file_speaks_only_of_that_file_alone(repo: Path) -> None:
    base = repo / "rulesets" / "base.perf"
    base.write_text("# perfrules: noqa: PR103, PR105, PR202\n" + BASE.replace("NOQA", ""), encoding="utf-8")
    assert lines(cli("lint", "rulesets/base.perf").stdout) == []  # the framework's empty groups, silenced
    # a project's weights that do not add up are located in the framework's dimension line: still reported
    project = repo / "rulesets" / "project.perf"
    project.write_text(PROJECT.replace("weight 25", "weight 20"), encoding="utf-8")
    found = lines(cli("lint", "rulesets/project.perf").stdout)
    assert found[:2] == [USED.replace(":11:1:", ":12:1:"), "rulesets/base.perf:13:1: PR103 警告 产出 的下级权重之和为 35，应为 40"
                               "（由 rulesets/project.perf:2 的 use 引用）"]


def test_a_file_used_through_another_is_shown_with_the_projects_use_line(repo: Path) -> None:
    (repo / "rulesets" / "mid.perf").write_text('use "base.perf"\n', encoding="utf-8")
    path = repo / "rulesets" / "project.perf"
    path.write_text(PROJECT.replace('use "base.perf"', 'use "mid.perf"'), encoding="utf-8")
    assert lines(cli("lint", "rulesets/project.perf").stdout)[0] == USED
    noqa(repo, "  # noqa: PR202")
    assert lines(cli("lint", "rulesets/project.perf").stdout) == PROJECT_OWN


# ---------------------------------------------------------------- the language server agrees with lint


def test_the_language_server_shows_the_used_files_finding_at_the_use_line(repo: Path) -> None:
    path = repo / "rulesets" / "project.perf"
    published = lsp_diagnostics(path, PROJECT)
    cli_findings = json.loads(cli("lint", "rulesets/project.perf", "--format", "json").stdout)["findings"]
    assert len(published) == len(cli_findings) == 6
    used = [d for d in published if d.get("relatedInformation")]
    assert [(d["code"], d["range"]["start"]) for d in used] == [("PR202", {"line": 1, "character": 0})]
    assert used[0]["message"].startswith("base.perf:11：预算执行率 未完成目标（完成率 95.00%），但没有写偏差原因")
    assert used[0]["relatedInformation"] == [{
        "location": {"uri": (repo / "rulesets" / "base.perf").resolve().as_uri(),
                     "range": {"start": {"line": 10, "character": 0}, "end": {"line": 10, "character": 56}}},
        "message": "预算执行率 未完成目标（完成率 95.00%），但没有写偏差原因"}]
    noqa(repo, "  # noqa: PR202")
    assert len(lsp_diagnostics(path, PROJECT)) == 5


def test_no_quick_fix_edits_the_project_for_a_finding_of_the_used_file(repo: Path) -> None:
    from perfrules.lsp.analysis import code_actions

    path = repo / "rulesets" / "project.perf"
    analysis = lsp_analyse(PROJECT, str(path.resolve()))
    assert [f.code for f in analysis.findings() if f.via is not None] == ["PR202"]
    assert all(a.finding.via is None for a in code_actions(analysis, 1, 30))
    finding = next(f for f in analysis.findings() if f.via is not None)
    english = diagnostic(finding, analysis.lines, "en", "utf-16", analysis.run.sources)
    assert english["message"].startswith("base.perf:11: 预算执行率 deviates (95.00%) but gives no reason")


def test_the_driver_marks_only_findings_of_used_files(repo: Path) -> None:
    run = pipeline.analyse("rulesets/project.perf", quiet_missing=True)
    assert sorted((f.code, f.span.file, f.via.line if f.via else None) for f in run.findings if f.span) == [
        ("PR101", "rulesets/project.perf", None), ("PR202", "rulesets/base.perf", 2),
        ("PR202", "rulesets/project.perf", None), ("PR202", "rulesets/project.perf", None),
        ("PR203", "rulesets/project.perf", None), ("PR203", "rulesets/project.perf", None)]
    assert "rulesets/base.perf" in run.sources


# ---------------------------------------------------------------- item 6: settings that do not fit, said where and how

RULES = """\
ruleset "x" {
  year 2023
}
dimension 产出 weight 100 {
  甲 >= 100 人 weight 100
}
"""
NEAR_PR999 = "是不是 PR902、PR901、PR309？用 perfrules rules 查看全部检查"


def settings_error(tmp_path: Path, toml: str, name: str = "pyproject.toml") -> str:
    (tmp_path / name).write_text(toml, encoding="utf-8")
    (tmp_path / "x.perf").write_text(RULES, encoding="utf-8")
    out = cli("lint", str(tmp_path / "x.perf"))
    assert out.exit_code == 2
    said = " ".join(line for line in out.stderr.splitlines() if line.strip())
    assert "错误：设置有误：" in said and " / bad settings: " in said
    return said.split("错误：设置有误：", 1)[1].replace(str(tmp_path) + "/", "")


def test_an_unknown_code_in_the_settings_is_the_usage_error_the_option_is(tmp_path: Path) -> None:
    (tmp_path / "x.perf").write_text(RULES, encoding="utf-8")
    option = cli("lint", "--ignore", "PR999", str(tmp_path / "x.perf"))
    assert option.exit_code == 2 and f"--ignore 中的 PR999 不是已知的代码：{NEAR_PR999}" in option.stderr
    said = settings_error(tmp_path, '[tool.perfrules]\nselect = ["PR1"]\nignore = ["PR999"]\n')
    assert said == (f"pyproject.toml:3: ignore 中的 PR999 不是已知的代码：{NEAR_PR999} / bad settings: pyproject.toml:3: "
                    "ignore: unknown code PR999; did you mean PR902, PR901, PR309? (perfrules rules lists them)")
    said = settings_error(tmp_path, '[tool.perfrules]\n\n[tool.perfrules.severity]\nPR105 = "info"\nPR999 = "warning"\n')
    assert said.startswith(f"pyproject.toml:5: severity 中的 PR999 不是已知的代码：{NEAR_PR999} / ")
    said = settings_error(tmp_path, 'select = ["PR2O1"]\n', "perfrules.toml")
    assert said.startswith('perfrules.toml:1: select 中的 "PR2O1" 不是检查代码：应为 PR201 这样的代码或 PR2 这样的前缀；'
                           "是不是 PR201、PR021、PR902？ / ")


def test_schema_errors_are_said_in_chinese_first_with_the_key_line_and_a_guess(tmp_path: Path) -> None:
    said = settings_error(tmp_path, '[tool.perfrules]\nfail-on = "warning"\nover-completion-warnin = "150%"\n')
    assert said == ("pyproject.toml:3: 未知的设置 over-completion-warnin：是不是 over-completion-warning、"
                    "over-completion-info、history-over-completion？（可写的设置见 docs/checks.md「设置」一节） / bad settings: "
                    "pyproject.toml:3: unknown setting over-completion-warnin; did you mean over-completion-warning, "
                    "over-completion-info, history-over-completion? (the settings: docs/checks.md, Settings)")
    said = settings_error(tmp_path, '[tool.perfrules.severity]\nPR202 = "warnign"\n')
    assert said.startswith('pyproject.toml:2: severity.PR202 的取值 "warnign" 无效：应为 error、warning、info 或 off；'
                           "是不是 warning？ / bad settings: pyproject.toml:2: severity.PR202: \"warnign\" is not one of "
                           "error, warning, info, off; did you mean warning?")
    said = settings_error(tmp_path, '[tool.perfrules]\nselect = "PR2"\n')
    assert said.startswith('pyproject.toml:2: select 应为列表（如 ["PR2"]），写的是 "PR2" / ')
    said = settings_error(tmp_path, '[tool.perfrules]\ndeviation-reason = "lots"\n')
    assert said.startswith('pyproject.toml:2: deviation-reason 的取值 "lots" 不是有效的百分比（如 "120%"） / ')
    said = settings_error(tmp_path, '[tool.perfrules]\nunknown-key = 1\n')
    assert said.startswith("pyproject.toml:2: 未知的设置 unknown-key（可写的设置见 docs/checks.md「设置」一节） / ")
    assert "Additional properties" not in said and "is not one of" not in said.split(" / ")[0]


POLICY = """\
ruleset "x" {
  year 2023
}
policy {
  PR999 off
  PR2O1 off
  over_completion_warnin 150%
  deviation_reason lots
}
dimension 产出 weight 100 {
  甲 >= 100 人 weight 100
}
"""


def test_a_bad_policy_block_is_reported_at_each_line_as_the_user_wrote_it(tmp_path: Path) -> None:
    path = tmp_path / "pol.perf"
    path.write_text(POLICY, encoding="utf-8")
    out = cli("lint", str(path))
    assert out.exit_code == 2
    found = [line.replace(str(tmp_path) + "/", "").split("；提示：")[0] for line in out.stdout.splitlines()]
    assert found == [
        f"pol.perf:5:3: PR014 错误 规则集的 policy 有误：PR999 不是已知的代码：{NEAR_PR999}",
        "pol.perf:6:3: PR014 错误 规则集的 policy 有误：未知的设置 PR2O1：是不是 PR201、PR021、PR902？"
        "（可写的设置见 docs/checks.md「设置」一节）",
        "pol.perf:7:3: PR014 错误 规则集的 policy 有误：未知的设置 over_completion_warnin：是不是 over_completion_warning、"
        "over_completion_info、history_over_completion？（可写的设置见 docs/checks.md「设置」一节）",
        'pol.perf:8:3: PR014 错误 规则集的 policy 有误：deviation_reason 的取值 "lots" 不是有效的百分比（如 "120%"）',
    ]
    english = [line.split("; hint: ")[0] for line in cli("lint", str(path), "--lang", "en").stdout.splitlines()]
    assert english[0].endswith("PR014 error the ruleset's policy: unknown code PR999; did you mean PR902, PR901, "
                               "PR309? (perfrules rules lists them)")
    assert english[2].endswith("unknown setting over_completion_warnin; did you mean over_completion_warning, "
                               "over_completion_info, history_over_completion? (the settings: docs/checks.md, Settings)")
    # the language server says the same, at the same places
    findings = lsp_analyse(POLICY, str(path)).findings()
    assert [(f.code, f.span.line, f.span.column) for f in findings if f.span and f.code == "PR014"] == [
        ("PR014", 5, 3), ("PR014", 6, 3), ("PR014", 7, 3), ("PR014", 8, 3)]
    assert next(f for f in findings if f.code == "PR014").hint().startswith("policy 中一行一项，如 over_completion_warning 150% 或 PR201 off")


def test_roots_in_a_policy_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "r.perf"
    path.write_text(POLICY.replace("  PR999 off\n  PR2O1 off\n  over_completion_warnin 150%\n  deviation_reason lots\n",
                                   '  PR105 info\n  roots "../x"\n'), encoding="utf-8")
    out = cli("lint", str(path))
    assert [line.replace(str(tmp_path) + "/", "").split("；提示：")[0] for line in out.stdout.splitlines()] == [
        "r.perf:6:3: PR014 错误 规则集的 policy 有误：roots 只能写在 pyproject.toml 或 perfrules.toml 中，不能写在规则集的 policy 中"]


def test_a_good_policy_still_holds(tmp_path: Path) -> None:
    path = tmp_path / "g.perf"
    path.write_text(POLICY.replace("  PR999 off\n  PR2O1 off\n  over_completion_warnin 150%\n  deviation_reason lots\n",
                                   "  PR105 off\n  pr201 off\n  over_completion_warning 150%\n"), encoding="utf-8")
    out = cli("lint", str(path))
    assert (out.exit_code, out.stdout) == (0, "")


# ---------------------------------------------------------------- docs/language.md §9: the example pair


def test_the_docs_example_pair_is_fmt_clean_and_lints_as_the_docs_say(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from conftest import ROOT

    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    section = page[page.index("## 9. use"):page.index("## 10. ")]
    base, project = re.findall(r"```perf\n(.*?)```", section, re.S)[-2:]
    assert base == BASE.replace("NOQA", "") and project == PROJECT.replace(
        "  培训人数 = 487 人\n  培训合格率 = 96%\n", "  培训人数     = 487 人\n  培训合格率   = 96%\n")
    (tmp_path / "base.perf").write_text(base, encoding="utf-8")
    (tmp_path / "project.perf").write_text(project, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli("fmt", "--check", ".").exit_code == 0
    texts = re.findall(r"```text\n(.*?)```", section, re.S)
    assert cli("lint", "base.perf").stdout == texts[-2]
    assert cli("lint", "project.perf").stdout.splitlines()[0] == texts[-1].strip()
    assert "总分 80.35" in cli("eval", "project.perf").stdout


def test_a_folder_s_framework_is_checked_through_the_files_that_use_it(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`lint DIR`/`check DIR`: base.perf (used by project.perf, no actuals of its own) is not linted again alone, where
    its empty groups give PR103/PR105; its findings through the project are shown; named alone it is linted as before;
    a file with actuals of its own that another uses is still linted alone."""
    (tmp_path / "rulesets").mkdir()
    (tmp_path / "rulesets" / "base.perf").write_text(BASE.replace("NOQA", ""), encoding="utf-8")
    (tmp_path / "rulesets" / "project.perf").write_text(PROJECT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = cli("lint", "rulesets")
    assert out.exit_code == 0 and " PR103 " not in out.stdout and " PR105 " not in out.stdout, out.stdout
    assert "rulesets/base.perf:11:1: PR202 " in out.stdout.replace("\\", "/")  # through the project, with its use line
    assert "；1 个被引用的框架（rulesets" in out.stderr and "随引用它的文件检查" in out.stderr
    assert "PR103" not in cli("check", "rulesets").stderr
    assert " PR103 " in cli("lint", "rulesets/base.perf").stdout
    junit = cli("lint", "rulesets", "--format", "junit").stdout
    assert junit.count("<testsuite ") == 2 and "PR103" not in junit
    (tmp_path / "rulesets" / "base.perf").write_text(BASE.replace("NOQA", "") + "actuals {\n  全年预算数 = 100 万元\n}\n",
                                                     encoding="utf-8")
    assert " PR103 " in cli("lint", "rulesets").stdout  # actuals of its own: a project too, linted alone
