"""One driver with settings: every face runs perfrules.pipeline under the same settings, and reads each text once.

The project below has a settings file that ignores PR201, turns PR105 down to info and raises the
completion from which a deviation needs a reason (PR202) to 400%: without it the file gives PR105,
PR201 and PR202 warnings; with it, every command and the language server give the one PR105 info.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from perfrules import limits, pipeline
from perfrules.batch import run_batch
from perfrules.lsp.analysis import analyse as lsp_analyse
from perfrules.settings import Settings, resolve

from conftest import cli, lsp_diagnostics

RULES = """\
ruleset "项目" {
  year 2023
}
dimension 产出 weight 100 {
  场次 >= 4 场 weight 50
  人数 >= 100 人 weight 50
}
actuals {
  场次 = 12 场
  人数 = 100 人
}
"""
SETTINGS = """\
[tool.perfrules]
ignore = ["PR201"]
deviation-reason = "400%"

[tool.perfrules.severity]
PR105 = "info"
"""
EXPECTED = [("PR105", "info", 4)]  # with the settings: the one finding, turned down
WITHOUT = [("PR105", "warning", 4), ("PR201", "warning", 5), ("PR202", "warning", 5)]
TEXT_FINDING = re.compile(r"^(?P<file>\S+):(?P<line>\d+):(?P<column>\d+): (?P<code>PR\d{3}) (?P<level>错误|警告|提示) ", re.M)
LEVELS = {"错误": "error", "警告": "warning", "提示": "info"}
Json = dict[str, Any]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    (tmp_path / "projects").mkdir()
    path = tmp_path / "projects" / "p.perf"
    path.write_text(RULES, encoding="utf-8")
    return path


def from_text(output: str) -> list[tuple[str, str, int]]:
    return sorted((m["code"], LEVELS[m["level"]], int(m["line"])) for m in TEXT_FINDING.finditer(output))


def from_json(findings: list[Json]) -> list[tuple[str, str, int]]:
    return sorted((f["code"], f["severity"], f["line"]) for f in findings)


# ---------------------------------------------------------------- the same findings in every face


def test_without_settings_the_file_gives_three_warnings(tmp_path: Path) -> None:
    path = tmp_path / "p.perf"
    path.write_text(RULES, encoding="utf-8")
    out = cli("eval", str(path), "--format", "json")
    assert from_json(out.json()["findings"]) == WITHOUT


def test_eval_text_json_html_obey_the_settings(project: Path) -> None:
    table = cli("eval", str(project))
    assert table.exit_code == 0 and from_text(table.stdout) == EXPECTED
    data = cli("eval", str(project), "--format", "json")
    assert data.exit_code == 0 and from_json(data.json()["findings"]) == EXPECTED
    html = cli("eval", str(project), "--format", "html").stdout
    assert "PR105" in html and "PR201" not in html and "PR202" not in html
    markdown = cli("eval", str(project), "--format", "markdown").stdout
    assert "PR105" in markdown and "PR201" not in markdown and "PR202" not in markdown


def test_check_lint_audit_obey_the_settings(project: Path) -> None:
    check = cli("check", str(project))
    assert check.exit_code == 0 and from_text(check.stderr) == EXPECTED  # PR105 is a static check
    lint = cli("lint", str(project), "--format", "json")
    assert lint.exit_code == 0 and from_json(lint.json()["findings"]) == EXPECTED
    audit = cli("audit", str(project), "--select", "PR1,PR2", "--format", "json")
    assert audit.exit_code == 0 and from_json(audit.json()["findings"]) == EXPECTED


def test_batch_obeys_each_projects_settings(project: Path) -> None:
    (row,) = list(run_batch([project], {}, "zh", jobs=1))
    assert (row.errors, row.warnings, row.infos, row.worst_code) == (0, 0, 1, "PR105")
    out = cli("eval", str(project.parent), "--format", "json")
    (summary,) = json.loads(out.stdout)
    assert (summary["warnings"], summary["infos"], summary["worst_code"]) == (0, 1, "PR105")


def test_the_language_server_obeys_the_settings(project: Path) -> None:
    analysis = lsp_analyse(RULES, str(project))
    assert sorted((f.code, f.severity.value, f.span.line) for f in analysis.findings() if f.span) == EXPECTED
    diagnostics = lsp_diagnostics(project, RULES)
    levels = {1: "error", 2: "warning", 3: "info"}
    assert sorted((d["code"], levels[d["severity"]], d["range"]["start"]["line"] + 1) for d in diagnostics) == EXPECTED


def test_the_ruleset_policy_goes_over_the_settings_file(project: Path) -> None:
    project.write_text(RULES.replace("  year 2023\n", "  year 2023\n}\npolicy {\n  PR105 error\n"), encoding="utf-8")
    out = cli("lint", str(project), "--format", "json")
    assert [(f["code"], f["severity"]) for f in out.json()["findings"]] == [("PR105", "error")]
    assert out.exit_code == 1


def test_command_line_options_go_over_the_settings_file(project: Path) -> None:
    out = cli("lint", str(project), "--format", "json", "--select", "PR2")
    assert out.json()["findings"] == []  # PR201 is still ignored by the file, PR202 is below its threshold
    out = cli("lint", str(project), "--format", "json", "--fail-on", "info")
    assert out.exit_code == 1


def test_resolve_layers_defaults_file_policy_options(project: Path) -> None:
    settings = resolve(project, cli=(("select", ["PR1"]),))
    assert settings.file.ignore == ("PR201",) and settings.file.severities == {"PR105": "info"}
    config = settings.config((("PR105", "warning"), ("deviation_reason", "500%")), "policy")
    assert config.severities == {"PR105": "warning"} and config.select == ("PR1",)
    assert config.threshold("deviation-reason") == 5
    assert Settings().config().select == () and resolve(None).file.ignore == ()


# ---------------------------------------------------------------- bad settings: the same error everywhere


@pytest.mark.parametrize("args", [("eval", "{file}"), ("eval", "{file}", "--format", "json"), ("check", "{file}"),
                                  ("lint", "{file}"), ("audit", "{file}"), ("report", "{file}", "--format", "markdown"),
                                  ("targets", "{file}")])
def test_bad_settings_are_one_usage_error_in_every_command(project: Path, args: tuple[str, ...]) -> None:
    (project.parent.parent / "pyproject.toml").write_text('[tool.perfrules]\nignore = ["PR2O1"]\n', encoding="utf-8")
    out = cli(*(a.format(file=project, folder=project.parent) for a in args))
    assert out.exit_code == 2
    assert ('pyproject.toml:2: ignore 中的 "PR2O1" 不是检查代码：应为 PR201 这样的代码或 PR2 这样的前缀；是不是 PR201、'
            in out.stderr.replace("\n", "")) and "错误：设置有误：" in out.stderr and " / bad settings: " in out.stderr
    # a batch (`eval DIR`, `check DIR`) reports it as that project's PR014 and goes on: tests/test_session4_defects.py


def test_bad_settings_in_the_editor_are_a_finding(project: Path) -> None:
    (project.parent.parent / "pyproject.toml").write_text('[tool.perfrules]\nmin-indicators = "many"\n', encoding="utf-8")
    findings = lsp_analyse(RULES, str(project)).findings()
    assert [(f.code, f.severity.value) for f in findings] == [("PR014", "error")]
    assert findings[0].message().startswith("设置有误：") and "min-indicators" in findings[0].message()


def test_a_settings_file_is_read_again_when_it_changes(project: Path) -> None:
    assert resolve(project).file.ignore == ("PR201",)
    settings = project.parent.parent / "pyproject.toml"
    settings.write_text(SETTINGS.replace('"PR201"', '"PR201", "PR105"') + "\n", encoding="utf-8")
    assert resolve(project).file.ignore == ("PR201", "PR105")


# ---------------------------------------------------------------- each text read once


def count_reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts: dict[str, int] = {}
    real = limits.read_bytes

    def counting(path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> bytes:
        counts[str(path)] = counts.get(str(path), 0) + 1
        return real(path, *args, **kwargs)

    monkeypatch.setattr(limits, "read_bytes", counting)
    return counts


def count_parses(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    import perfrules.plan.frameworks
    import perfrules.syntax
    import perfrules.syntax.parser

    counts: dict[str, int] = {}
    real = perfrules.syntax.parser.parse

    def counting(text: str, file: str = "<text>", *args: Any, **kwargs: Any) -> Any:
        counts[file] = counts.get(file, 0) + 1
        return real(text, file, *args, **kwargs)

    for module in (perfrules.syntax, perfrules.syntax.parser, perfrules.plan.frameworks):
        monkeypatch.setattr(module, "parse", counting)
    return counts


@pytest.mark.parametrize("fmt", ["table", "json", "html", "markdown"])
def test_eval_reads_the_rule_file_once(project: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    reads = count_reads(monkeypatch)
    out = cli("eval", str(project), "--format", fmt)
    assert out.exit_code == 0 and "PR105" in out.stdout
    assert reads[str(project)] == 1


def test_audit_of_a_form_parses_the_imported_text_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fixtures.selfeval_forms import standard_form

    form = standard_form(tmp_path / "自评表.xlsx")
    parses = count_parses(monkeypatch)
    out = cli("audit", str(form), "--format", "json")
    assert out.exit_code == 1 and "PR3" in out.stdout  # the form's faults are found as before
    assert parses == {"自评表.xlsx": 1}


def test_a_used_file_is_parsed_once_per_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    common = tmp_path / "共用.perf"
    common.write_text("dimension 产出 weight 100 {\n  场次 >= 4 场 weight 100\n}\n", encoding="utf-8")
    files = []
    for number in range(5):
        path = tmp_path / f"p{number}.perf"
        path.write_text(f'use "共用.perf"\nuse std/self_evaluation\nactuals {{\n  场次 = {number + 4} 场\n}}\n',
                        encoding="utf-8")
        files.append(path)
    parses = count_parses(monkeypatch)
    runs = [pipeline.analyse(path) for path in files]
    assert all(run.result is not None for run in runs)
    assert parses[str(common)] == 1
    std = next(key for key in runs[0].sources if key.endswith("self_evaluation.perf"))
    assert parses.get(std, 0) <= 1  # std/ too (0: an earlier test of this process parsed it)
    assert all(std in run.sources and str(common) in run.sources for run in runs)  # messages can still quote them
    common.write_text("dimension 产出 weight 100 {\n  场次 >= 5 场 weight 100\n}\n", encoding="utf-8")
    os.utime(common, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    run = pipeline.analyse(files[0])
    assert parses[str(common)] == 2  # changed: read again
    assert run.plan is not None and run.plan.indicator_by_key["产出/场次"].target == 5


# ---------------------------------------------------------------- the language server over stdio




def test_audit_of_a_form_obeys_the_settings_of_its_folder(tmp_path: Path) -> None:
    from fixtures.selfeval_forms import standard_form

    form = standard_form(tmp_path / "自评表.xlsx")
    codes = {f["code"] for f in cli("audit", str(form), "--format", "json").json()["findings"]}
    assert "PR302" in codes and "PR307" in codes
    (tmp_path / "perfrules.toml").write_text('ignore = ["PR302"]\n', encoding="utf-8")
    from perfrules.audit import audit

    run, _rows = audit(form)
    kept = {f.code for f in run.findings}
    assert "PR302" not in kept and "PR307" in kept
    codes = {f["code"] for f in cli("audit", str(form), "--format", "json").json()["findings"]}
    assert "PR302" not in codes and "PR307" in codes
    (tmp_path / "perfrules.toml").write_text('ignore = "PR302"\n', encoding="utf-8")
    run, _rows = audit(form)
    assert [(f.code, f.span.file if f.span else None) for f in run.findings if f.code == "PR014"] == [("PR014", str(form))]
