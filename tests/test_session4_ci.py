"""CI conventions after a CI engineer's trial (issue 14): --exit-zero, the shipped workflow, baselines that
survive `perfrules fmt`, --write-baseline with input errors, typo hints in every CI format, folders with no
rule files, JUnit names, Chinese-first messages, stdin."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml

from conftest import ROOT, SEED, cli

WORKFLOW = ROOT / ".github" / "workflows" / "lint-rulesets.yml"

# PR202 (no reason) and PR203 (not met) on 慰问人数, PR301 (published score 40, the rule gives 45) once scored.
RULES = """\
ruleset "慰问项目" {
  year 2023
}

dimension 产出 weight 100 {
  慰问人数 >= 500 人 weight 50
  活动场次 >= 10 场  weight 30
  满意度   >= 90%    weight 20
}

actuals {
  慰问人数 = 450 人
  活动场次 = 10 场
  满意度   = 95%
}
"""

SYNTAX_ERROR = "a >= weight\n"
COMPILE_ERROR = 'ruleset "c" {\n  year 2023\n}\na >= 1 人 weight 50\na >= 2 人 weight 50\n'  # PR010


# ---------------------------------------------------------------- --exit-zero


def test_exit_zero_is_zero_whatever_the_findings_but_usage_errors_stay_two(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = write("broken.perf", SYNTAX_ERROR)
    unknown = write("unknown.perf", COMPILE_ERROR)
    for path in (broken, unknown):
        assert cli("lint", path).exit_code == 2
        for fmt in ("text", "github", "sarif", "junit", "json"):
            out = cli("lint", path, "--exit-zero", "--format", fmt)
            assert out.exit_code == 0, (path, fmt, out)
            assert "PR0" in out.stdout  # the finding is still reported
    assert cli("lint", broken, "--exit-zero", "--select", "PR999").exit_code == 2  # usage
    (tmp_path / "empty").mkdir()
    assert cli("lint", str(tmp_path / "empty"), "--exit-zero").exit_code == 2  # usage: nothing to lint
    assert cli("lint", str(tmp_path / "missing"), "--exit-zero").exit_code == 2


def test_exit_zero_help_says_syntax_errors_are_included() -> None:
    out = cli("lint", "--help").stdout
    assert "有问题（包括语法和编译错误）也以 0 退出；用法错误仍为 2" in out


# ---------------------------------------------------------------- the shipped workflow


def _steps_run_whatever_failed(steps: list[dict[str, object]]) -> None:
    names = [str(s.get("name", s.get("uses", ""))) for s in steps]
    at = {name.split(" (")[0]: i for i, name in enumerate(names)}
    install = at["Install perfrules"]
    assert steps[install].get("id") == "install"
    sarif, annotate, formatting, upload = (at["Lint"], at["Annotate the pull request"], at["Formatting"],
                                           at["Upload to code scanning"])
    assert install < sarif < annotate < upload and sarif < formatting < upload  # the SARIF is written first
    assert "--format sarif -o perfrules.sarif" in str(steps[sarif]["run"])
    assert "--exit-zero" in str(steps[annotate]["run"]) and "fmt --check" in str(steps[formatting]["run"])
    for i in (sarif, annotate, formatting):  # a failed step before does not skip these
        condition = str(steps[i].get("if", ""))
        assert "success() || failure()" in condition and "steps.install.outcome == 'success'" in condition, names[i]
    condition = str(steps[upload].get("if", ""))
    assert "always()" in condition and "hashFiles('perfrules.sarif') != ''" in condition
    assert steps[upload]["with"]["sarif_file"] == "perfrules.sarif"  # type: ignore[index]


def test_the_workflow_runs_every_step_and_always_uploads_the_sarif() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    _steps_run_whatever_failed(workflow["jobs"]["perfrules"]["steps"])


def test_docs_ci_shows_the_same_steps() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "upload-sarif" in b)
    _steps_run_whatever_failed(yaml.safe_load(block))


def test_a_workflow_lint_of_a_syntax_error_writes_the_sarif(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "rulesets"
    folder.mkdir()
    (folder / "bad.perf").write_text(SYNTAX_ERROR, encoding="utf-8")
    sarif = tmp_path / "perfrules.sarif"
    out = cli("lint", str(folder), "--format", "sarif", "-o", str(sarif))
    assert out.exit_code == 2 and json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"][0]["ruleId"] == "PR001"
    assert cli("lint", str(folder), "--format", "github", "--exit-zero").exit_code == 0


# ---------------------------------------------------------------- baselines and fmt


def _baselined(write, tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = write("x.perf", text)
    baseline = tmp_path / "baseline.json"
    out = cli("lint", path, "--write-baseline", str(baseline), "--fail-on", "info")
    assert out.exit_code == 0 and "已把 2 个问题写入基线" in out.stderr, out
    assert {e["code"] for e in json.loads(baseline.read_text(encoding="utf-8"))["findings"]} == {"PR202", "PR203"}
    return Path(path), baseline


def _new(path: Path, baseline: Path) -> list[str]:
    out = cli("lint", str(path), "--baseline", str(baseline), "--fail-on", "info", "--format", "json")
    return sorted(f["code"] for f in json.loads(out.stdout)["findings"])


def test_a_baseline_survives_fmt_realigning_the_lines_and_comments(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, baseline = _baselined(write, tmp_path, RULES)
    longer = RULES.replace("  活动场次 >= 10 场  weight 30\n", "  活动场次 >= 10 场 weight 20\n  一个名字更长的新指标 >= 1 场 weight 10\n")
    longer = longer.replace("  活动场次 = 10 场\n", "  活动场次 = 10 场\n  一个名字更长的新指标 = 1 场\n")
    path.write_text(longer, encoding="utf-8")
    assert cli("fmt", str(path)).exit_code == 0
    formatted = path.read_text(encoding="utf-8")
    assert "  慰问人数             >= 500 人 weight 50\n" in formatted  # fmt realigned the baselined line
    assert "  慰问人数             = 450 人\n" in formatted
    assert _new(path, baseline) == []
    path.write_text(formatted.replace("weight 50\n", "weight 50  # 目标见任务书\n", 1)
                    .replace("= 450 人\n", "= 450 人  # 年底数\n"), encoding="utf-8")
    assert _new(path, baseline) == []
    path.write_text(formatted.replace("= 450 人\n", "＝ ４５０ 人\n"), encoding="utf-8")  # full-width, as fmt --fix undoes
    assert _new(path, baseline) == []


def test_a_new_score_brings_back_only_the_checks_that_read_it(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, baseline = _baselined(write, tmp_path, RULES)
    path.write_text(RULES.replace("慰问人数 = 450 人", "慰问人数 = 450 人 score 40"), encoding="utf-8")
    assert _new(path, baseline) == ["PR301"]  # PR202/PR203 do not depend on the score
    cli("lint", str(path), "--write-baseline", str(baseline))
    path.write_text(RULES.replace("慰问人数 = 450 人", "慰问人数 = 450 人 score 41"), encoding="utf-8")
    assert _new(path, baseline) == ["PR301"]  # PR301 does: its published score changed


def test_what_a_finding_depends_on_still_unsuppresses_it(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, baseline = _baselined(write, tmp_path, RULES)
    path.write_text(RULES.replace("慰问人数 = 450 人", "慰问人数 = 449 人"), encoding="utf-8")
    assert _new(path, baseline) == ["PR202", "PR203"]  # a changed actual
    path.write_text(RULES.replace("慰问人数 >= 500 人", "慰问人数 >= 600 人"), encoding="utf-8")
    assert _new(path, baseline) == ["PR202", "PR203"]  # a changed target
    path.write_text(RULES.replace("慰问人数 = 450 人", "慰问人数 = 450 人 reason \"\""), encoding="utf-8")
    assert _new(path, baseline) == ["PR202", "PR203"]  # its actuals line changed otherwise


# ---------------------------------------------------------------- --write-baseline with input errors


def test_write_baseline_leaves_out_input_errors_says_so_and_exits_two(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "rulesets"
    folder.mkdir()
    (folder / "a.perf").write_text(RULES, encoding="utf-8")
    (folder / "b.perf").write_text(SYNTAX_ERROR, encoding="utf-8")
    (folder / "c.perf").write_text(COMPILE_ERROR, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    out = cli("lint", str(folder), "--write-baseline", str(baseline))
    assert out.exit_code == 2
    said = out.stderr.splitlines()[-1]
    assert said.startswith(f"已把 2 个问题写入基线 {baseline}；2 个语法或编译错误未写入基线，须修正"), said
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert sorted(e["code"] for e in entries) == ["PR202", "PR203"]  # no PR001, no PR020
    assert cli("lint", str(folder), "--write-baseline", str(baseline), "--exit-zero").exit_code == 0
    out = cli("lint", str(folder), "--write-baseline", str(baseline), "--lang", "en")
    assert "wrote 2 finding(s) to the baseline" in out.stderr and "2 syntax or compile error(s)" in out.stderr
    clean = cli("lint", str(folder / "a.perf"), "--write-baseline", str(baseline))
    assert clean.exit_code == 0 and clean.stderr.splitlines()[-1].startswith("已把 2 个问题写入基线")
    assert "须修正" not in clean.stderr


def test_a_bad_baseline_file_is_said_in_chinese_first(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("x.perf", RULES)
    bad = tmp_path / "bad.json"
    for text, said in (("{bad", "不是有效的 JSON（第 1 行第 2 列）"), ('{"a": 1}', "不是 perfrules 基线文件"),
                       ('{"format": "perfrules-baseline/1", "findings": [1]}', "的 findings 应为带 fingerprint 的条目列表"),
                       (b"\xff\xfe{", "不是 UTF-8 文本")):
        bad.write_bytes(text if isinstance(text, bytes) else text.encode())
        out = cli("lint", path, "--baseline", str(bad))
        assert out.exit_code == 2 and f"--baseline 的取值无效：{bad} {said}" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr


# ---------------------------------------------------------------- typo hints and cascades


def test_the_typo_suggestion_reaches_text_sarif_github_and_junit(write) -> None:  # type: ignore[no-untyped-def]
    path = write("t.perf", 'ruleset "x" {\n  year 2023\n}\ndimension 产出 weight 100 {\n  a >= 1 人 wieght 100\n}\n')
    text = cli("lint", path).stdout
    assert text.rstrip().endswith("；提示：是不是 weight？"), text
    assert cli("lint", path, "--lang", "en").stdout.rstrip().endswith("; hint: did you mean weight?")
    sarif = json.loads(cli("lint", path, "--format", "sarif").stdout)
    assert sarif["runs"][0]["results"][0]["message"]["text"].endswith("\n提示：是不是 weight？")
    github = cli("lint", path, "--format", "github").stdout
    assert github.startswith("::error file=") and github.rstrip().endswith("%0A提示：是不是 weight？")
    junit = ET.fromstring(cli("lint", path, "--format", "junit").stdout)
    failure = junit.find(".//failure")
    assert failure is not None and failure.get("message", "").endswith("提示：是不是 weight？")


def test_a_misspelt_block_keyword_reads_its_lines_in_that_block(write) -> None:  # type: ignore[no-untyped-def]
    body = 'dimension 产出 weight 100 {\n  a >= 1 人 weight 100\n}\n'
    cases = {
        'rulset "x" {\n  year 2023\n}\n' + body: "ruleset",
        'ruleset "x" {\n  year 2023\n}\n' + body + "expcet {\n  total 100\n}\n": "expect",
        'ruleset "x" {\n  year 2023\n}\n' + body + "actual {\n  a = 1 人\n}\n": "actuals",
        'ruleset "x" {\n  year 2023\n}\n' + body + "grdes {\n  优 >= 90\n}\n": "grades",
        'ruleset "x" {\n  year 2023\n}\n' + body + "polcy {\n}\n": "policy",
    }
    for text, meant in cases.items():
        path = write("typo.perf", text)
        data = json.loads(cli("lint", path, "--format", "json").stdout)
        assert [(f["code"], f["column"], f.get("hint")) for f in data["findings"]] == [
            ("PR001", 1, f"是不是 {meant}？")], (text, data["findings"])
        message = data["findings"][0]["message"]
        assert "dimension/维度" in message and "比较符" not in message, message  # what may start a line there
        assert re.match(f"此处不应出现「[a-z]+」，应为{meant}/", message), message  # the one meant first, never cut off


def test_a_misspelt_word_inside_a_block_still_lists_that_blocks_words(write) -> None:  # type: ignore[no-untyped-def]
    path = write("y.perf", 'ruleset "x" {\n  yaer 2023\n}\n')
    (finding,) = json.loads(cli("lint", path, "--format", "json").stdout)["findings"]
    assert finding["hint"] == "是不是 year？" and "year/年度" in finding["message"]


# ---------------------------------------------------------------- no rule files, stdin


def test_a_folder_with_no_rule_files_is_a_usage_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("x", encoding="utf-8")
    for args in (("lint", str(empty)), ("check", str(empty)), ("fmt", str(empty)), ("fmt", "--check", str(empty))):
        out = cli(*args)
        assert out.exit_code == 2, args
        assert f"{empty} 中没有 .perf 规则文件，没有检查任何文件（目录名写错了？）" in out.stderr, out.stderr
    assert cli("lint", str(empty), str(SEED)).exit_code in (0, 1)  # one folder with rule files among them is enough


def test_lint_and_check_say_they_do_not_read_stdin() -> None:
    for command in ("lint", "check"):
        out = cli(command, "-")
        assert out.exit_code == 2 and "此命令不读标准输入：请给出规则文件或目录（只有 fmt - 读标准输入" in out.stderr, out


# ---------------------------------------------------------------- JUnit, fmt and help wording


def test_junit_test_case_names_are_unique(write) -> None:  # type: ignore[no-untyped-def]
    # std/self_evaluation's facts 全年预算数 and 全年执行数 have no values: two PR021 at the use line
    path = write("j.perf", 'use std/self_evaluation\n\nruleset "j" {\n  year 2023\n}\n\ndimension 产出 {\n'
                           '  group 数量指标 {\n    培训人数 >= 500 人 weight 90\n  }\n}\n\nactuals {\n  培训人数 = 450 人\n}\n')
    suites = ET.fromstring(cli("lint", path, "--format", "junit").stdout)
    names = [case.get("name") for case in suites.iter("testcase")]
    assert names[:2] == ["PR021 1:1 全年执行数", "PR021 1:1 全年预算数"], names
    assert len(names) == len(set(names)), names


def test_junit_lists_failures_with_exit_zero_as_the_docs_say(write) -> None:  # type: ignore[no-untyped-def]
    path = write("b.perf", SYNTAX_ERROR)
    out = cli("lint", path, "--format", "junit", "--exit-zero")
    assert out.exit_code == 0 and ET.fromstring(out.stdout).get("failures") == "1"
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert "所以退出码为 0 时报告中没有失败" not in docs and "加了 `--exit-zero`，报告照样列出失败" in docs


def test_fmt_check_on_a_syntax_error_says_it_cannot_be_formatted(write) -> None:  # type: ignore[no-untyped-def]
    bad = write("bad.perf", SYNTAX_ERROR)
    good = write("good.perf", "a >= 1 人  weight 100\n")
    out = cli("fmt", "--check", bad, good)
    assert out.exit_code == 2
    assert f"无法格式化: {bad}" in out.stderr and f"需要格式化: {good}" in out.stderr
    assert out.stderr.splitlines()[-1] == "需要格式化 1 个文件，1 个文件无法格式化（有语法错误或无法读取，见上），共 2 个"
    out = cli("fmt", "--check", bad, "--lang", "en")
    assert out.exit_code == 2 and out.stderr.splitlines()[-1] == "would reformat 0 / 1, 1 would fail to reformat"
    assert f"would fail to reformat: {bad}" in out.stderr
    assert cli("fmt", bad).exit_code == 2 and Path(bad).read_text(encoding="utf-8") == SYNTAX_ERROR
    binary = write("binary.perf", b"\xff\xfe\x00a")
    out = cli("fmt", "--check", binary)
    assert out.exit_code == 2 and f"无法格式化: {binary}" in out.stderr and "1 个文件无法格式化" in out.stderr


def test_fmt_says_one_file_is_already_formatted_plainly() -> None:
    out = cli("fmt", "--check", str(SEED))
    assert out.exit_code == 0 and out.stderr == "1 个文件已是规范格式\n"


def test_help_texts() -> None:
    lint = cli("lint", "--help").stdout
    assert "--diff 只输出这些修复的统一差异" in lint and "的 统一" not in lint and "； --diff" not in lint
    audit = cli("audit", "--help").stdout
    assert re.search(r"--fail-on \[error\|warning\|info\]\s+达到此级别的问题使退出码为 1", audit), audit


def test_two_findings_of_one_code_at_one_place_are_numbered(write) -> None:  # type: ignore[no-untyped-def]
    from perfrules import pipeline
    from perfrules.render.lint import junit

    path = write("two.perf", SYNTAX_ERROR)
    (finding,) = pipeline.analyse(path).sorted_findings()
    suites = ET.fromstring(junit([finding, finding], [path], "zh"))
    assert [case.get("name") for case in suites.iter("testcase")] == ["PR001 1:6", "PR001 1:6 #2"]


def test_a_baseline_survives_fmt_dropping_thousands_separators(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = RULES.replace(">= 500 人", ">= 1,500 人").replace("= 450 人", "= 1,450 人")
    path, baseline = _baselined(write, tmp_path, text)
    assert cli("fmt", str(path)).exit_code == 0
    assert "= 1450 人" in path.read_text(encoding="utf-8")  # fmt wrote the number without its separator
    assert _new(path, baseline) == []
