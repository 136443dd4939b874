"""Lint and CI conventions users of ruff, sqlfluff, pre-commit and SARIF expect (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

from conftest import ROOT, SEED, cli

OVER = """\
ruleset "t" {
  year 2023
}
a >= 10 人 weight 100
actuals {
  a = 12 人 score 50
}
"""


def test_unknown_select_code_is_a_usage_error_with_a_suggestion() -> None:
    out = cli("lint", str(SEED), "--select", "PR999")
    assert out.exit_code == 2
    assert "--select 中的 PR999 不是已知的代码：是不是 PR902、PR901、PR309？" in out.stderr
    out = cli("lint", str(SEED), "--ignore", "PR2,PR7")
    assert out.exit_code == 2 and "--ignore 中的 PR7 不是已知的代码" in out.stderr
    assert cli("lint", str(SEED), "--select", "PR2,PR013").exit_code in (0, 1)  # known codes and prefixes pass


def test_select_does_not_call_a_noqa_for_other_families_unused(write) -> None:  # type: ignore[no-untyped-def]
    path = write("noqa.perf", OVER.replace("weight 100\n", "weight 100  # noqa: PR105, PR201, PR301, PR304\n"))
    out = cli("lint", path, "--select", "PR3,PR9")
    assert "PR901" not in out.stdout, out.stdout
    out = cli("lint", path.replace("noqa.perf", "noqa.perf"), "--select", "PR1,PR9")
    assert "PR901" not in out.stdout
    stale = write("stale.perf", OVER.replace("weight 100\n", "weight 100  # noqa: PR106\n"))
    assert "PR901" in cli("lint", stale, "--select", "PR1,PR9").stdout  # PR106 ran and found nothing: unused


def test_a_changed_actual_makes_the_baselined_finding_new(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("b.perf", OVER)
    baseline = tmp_path / "baseline.json"
    written = cli("lint", path, "--write-baseline", str(baseline))
    assert written.exit_code == 0 and "写入基线" in written.stderr
    assert cli("lint", path, "--baseline", str(baseline)).stdout == ""
    Path(path).write_text(OVER.replace("a = 12 人", "a = 11 人"), encoding="utf-8")  # PR301's score stays 100
    out = cli("lint", path, "--baseline", str(baseline))
    assert "PR301" in out.stdout and out.exit_code == 1


def test_junit_totals_agree_and_warnings_fail_only_by_fail_on(write) -> None:  # type: ignore[no-untyped-def]
    clean = write("clean.perf", 'ruleset "c" {\n  year 2023\n}\na >= 1 人 weight 40\nb >= 1 人 weight 30\n'
                                 'c >= 1 人 weight 30\n')
    warned = write("w.perf", OVER)
    out = cli("lint", clean, warned, "--format", "junit", "--select", "PR1,PR2")
    suites = ET.fromstring(out.stdout)
    assert int(suites.get("tests", "")) == sum(int(s.get("tests", "")) for s in suites)
    assert suites.get("tests") == "3"  # the clean file's one passing case, PR105 and PR201
    assert out.exit_code == 0 and suites.get("failures") == "0"  # a warning (PR105) and an info (PR201): exit 0
    for fail_on, failures in (("warning", "1"), ("info", "2")):
        out = cli("lint", clean, warned, "--format", "junit", "--select", "PR1,PR2", "--fail-on", fail_on)
        suites = ET.fromstring(out.stdout)
        assert out.exit_code == 1 and suites.get("failures") == failures
        assert sum(int(s.get("failures", "")) for s in suites) == int(failures)


def test_lint_and_audit_text_show_the_severity(write) -> None:  # type: ignore[no-untyped-def]
    path = write("s.perf", OVER)
    out = cli("lint", path)
    assert f"{path}:4:1: PR105 警告 " in out.stdout and f"{path}:4:1: PR301 错误 " in out.stdout
    assert f"{path}:4:1: PR201 提示 " in out.stdout
    assert "PR105 warning " in cli("lint", path, "--lang", "en").stdout
    assert f"{path}:4:1: PR301 错误 " in cli("audit", path).stdout


def test_keyword_typos_name_the_keyword_at_the_word(write) -> None:  # type: ignore[no-untyped-def]
    cases = {
        'rulset "x" {\n}\n': (1, "rulset", "ruleset"),
        "dimention 决策 {\n}\n": (1, "dimention", "dimension"),
        "expcet {\n}\n": (1, "expcet", "expect"),
        "a >= 5 人 wieght 10\n": (10, "wieght", "weight"),
        "a >= 5 人 weight 10 cpa 5\n": (20, "cpa", "cap"),
    }
    for text, (column, word, meant) in cases.items():
        path = write("typo.perf", text)
        out = cli("check", path, "--lang", "zh")
        assert f"{path}:1:{column}: PR001 错误 此处不应出现「{word}」" in out.stderr, out.stderr
        assert f"提示：是不是 {meant}？" in out.stderr
        assert " " * (4 + column - 1) + "^" * len(word) + "\n" in out.stderr


def test_every_code_explains_itself_from_the_package() -> None:
    from perfrules.messages import CODES

    for code in CODES:
        out = cli("rule", code)
        assert out.exit_code == 0 and "docs/language.md" not in out.stdout and CODES[code].title_zh in out.stdout
    out = cli("rule", "PR013")
    assert "{name} 的单位不一致：{left} 与 {right}" in out.stdout
    assert "https://github.com/perfrules/perfrules/blob/main/docs/checks.md#pr013" in out.stdout


def test_click_messages_are_chinese_first(tmp_path: Path) -> None:
    out = cli("lint")
    assert out.exit_code == 2 and "错误：缺少参数 / Missing argument" in out.stderr and "用法：" in out.stderr
    out = cli("lint", str(SEED), "--data", str(tmp_path))
    assert out.exit_code == 2 and "是一个目录" in out.stderr
    assert "没有选项 '--bogus'" in cli("fmt", "--bogus").stderr


def test_a_pre_commit_hook_formats() -> None:
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["perfrules-fmt"]["entry"] == "perfrules fmt" and hooks["perfrules-fmt"]["files"] == r"\.perf$"
    assert hooks["perfrules-fmt-check"]["entry"] == "perfrules fmt --check"


def test_sarif_and_docs_links_are_one_url() -> None:
    from perfrules.checks import get_check
    from perfrules.checks.registry import DOCS_URL

    assert DOCS_URL == "https://github.com/perfrules/perfrules/blob/main/docs/checks.md"
    sarif = cli("lint", str(SEED), "--format", "sarif").json()
    uris = {r["helpUri"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert uris and all(u.startswith(DOCS_URL + "#pr") for u in uris)
    check = get_check("PR201")
    assert check is not None and check.help_url() == DOCS_URL + "#pr201"
    assert DOCS_URL in (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert '<a id="pr013"></a>' in (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")


def test_ci_installs_from_the_repository_without_placeholders() -> None:
    for path in [ROOT / "docs" / "ci.md", *(ROOT / ".github" / "workflows").glob("*.yml")]:
        text = path.read_text(encoding="utf-8")
        assert "<owner>" not in text and "pip install perfrules" not in text, path
    workflow = (ROOT / ".github" / "workflows" / "lint-rulesets.yml").read_text(encoding="utf-8")
    assert 'pip install "git+https://github.com/perfrules/perfrules"' in workflow and "pip install ." in workflow
    assert "git+https://github.com/perfrules/perfrules" in (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def test_readme_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("venv") < readme.index("pip install .")
    assert "PowerShell" in readme and "Activate.ps1" in readme
    assert "0.10" in readme and "single_file_support" in readme
    assert "`.yaml`/`.yml`" in readme and "`.xlsx`" in readme
    assert "severity warning" in readme  # which check severities make eval exit 1
    json.dumps(readme)
