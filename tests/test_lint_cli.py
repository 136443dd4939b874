"""`perfrules lint` as CI runs it: formats (SARIF against the official schema), exit codes, options."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from conftest import EXAMPLES, ROOT, SEED, cli

SARIF_SCHEMA = ROOT.parent / "shared" / "data" / "sarif-schema-2.1.0.json"
OVER = "场次 >= 4 场 weight 100\nactuals {\n  场次 = 12 场\n}\n"  # PR201 warning and PR202 warning, nothing else


def test_text_format_is_file_line_col_code_message() -> None:
    out = cli("lint", str(SEED))
    assert out.exit_code == 1  # PR204 is an error
    pattern = re.compile(r"^(?P<file>[^:]+\.perf):(?P<line>\d+):(?P<col>\d+): (?P<code>PR\d{3}) \S")
    lines = out.stdout.splitlines()
    assert lines and all(pattern.match(line) for line in lines)
    assert "\x1b[" not in out.stdout  # no colour when not on a terminal


@pytest.mark.skipif(not SARIF_SCHEMA.exists(), reason="../shared/data is not beside this checkout")
def test_sarif_validates_against_the_official_schema() -> None:
    out = cli("lint", str(EXAMPLES), "--format", "sarif")
    log = json.loads(out.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    (run,) = log["runs"]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert {"PR201", "PR204"} <= set(rules)
    assert rules["PR201"]["helpUri"].startswith("https://") and rules["PR201"]["shortDescription"]["text"]
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert not location["artifactLocation"]["uri"].startswith(("/", "file:"))  # relative to the checkout
        assert result["partialFingerprints"]["perfrulesFinding/v1"]
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_fingerprints_are_stable() -> None:
    first = json.loads(cli("lint", str(SEED), "--format", "sarif").stdout)
    second = json.loads(cli("lint", str(SEED), "--format", "sarif").stdout)
    prints = [r["partialFingerprints"] for r in first["runs"][0]["results"]]
    assert prints == [r["partialFingerprints"] for r in second["runs"][0]["results"]]
    assert len({json.dumps(p) for p in prints}) == len(prints)


def test_github_annotations() -> None:
    out = cli("lint", str(SEED), "--format", "github")
    pattern = re.compile(r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+(,endLine=\d+,endColumn=\d+)?,"
                         r"title=PR\d{3}[^:]*::.+$")
    lines = out.stdout.splitlines()
    assert lines and all(pattern.match(line) for line in lines), lines
    assert any(line.startswith("::error ") and "PR204" in line for line in lines)


def test_junit_xml() -> None:
    out = cli("lint", str(EXAMPLES), "--format", "junit")
    root = ElementTree.fromstring(out.stdout)
    suites = root.findall("testsuite")
    assert len(suites) == len(list(EXAMPLES.glob("*.perf")))
    failures = [f.get("type") for f in root.iter("failure")]
    assert "PR204" in failures and root.get("failures") == str(len(failures))


def test_json_format_summary() -> None:
    data = json.loads(cli("lint", str(SEED), "--format", "json").stdout)
    assert data["summary"]["files"] == 1 and data["summary"]["error"] == 1
    assert all({"code", "severity", "message", "file", "line", "column", "title"} <= set(f) for f in data["findings"])


def test_exit_codes_and_fail_level(write) -> None:  # type: ignore[no-untyped-def]
    path = write("over.perf", OVER)
    assert cli("lint", path).exit_code == 0                      # warnings only: below the default fail level
    assert cli("lint", path, "--fail-on", "warning").exit_code == 1
    assert cli("lint", path, "--fail-on", "warning", "--exit-zero").exit_code == 0
    broken = write("broken.perf", "a >= weight\n")
    assert cli("lint", broken).exit_code == 2                    # unparseable input
    assert cli("lint", broken, "--exit-zero").exit_code == 0     # as flake8/ruff: a syntax error is a finding too
    assert cli("lint", "missing-dir").exit_code == 2             # I/O
    assert cli("lint", path, "--format", "xml").exit_code == 2   # usage


def test_select_ignore_and_statistics(write) -> None:  # type: ignore[no-untyped-def]
    path = write("over.perf", OVER)
    out = cli("lint", path, "--select", "PR201")
    assert {line.split()[1] for line in out.stdout.splitlines()} == {"PR201"}
    out = cli("lint", path, "--ignore", "PR2,PR1")
    assert out.stdout == ""
    out = cli("lint", path, "--statistics")
    assert re.search(r"^\s+1  PR201  超额完成", out.stdout, re.M)


def test_noqa_comment(write) -> None:  # type: ignore[no-untyped-def]
    path = write("over.perf", OVER.replace("weight 100\n", "weight 100  # noqa: PR201, PR202\n", 1))
    out = cli("lint", path, "--select", "PR2,PR9")
    assert out.stdout == ""


def test_data_and_data_dir(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    data = tmp_path / "data"
    rules.mkdir()
    data.mkdir()
    (rules / "a.perf").write_text("场次 >= 4 场 weight 100\n", encoding="utf-8")
    (rules / "b.perf").write_text("人数 >= 10 人 weight 100\n", encoding="utf-8")
    (data / "a.json").write_text('{"场次": 12}', encoding="utf-8")
    (data / "b.yaml").write_text("人数: 5\n", encoding="utf-8")
    out = cli("lint", str(rules), "--data-dir", str(data), "--select", "PR201,PR203")
    codes = sorted(line.split()[1] for line in out.stdout.splitlines())
    assert codes == ["PR201", "PR203"]
    out = cli("lint", str(rules / "a.perf"), "--data", str(data / "a.json"), "--select", "PR201")
    assert "PR201" in out.stdout
    assert cli("lint", str(rules), "--data", str(data / "a.json")).exit_code == 2  # --data takes one ruleset


def test_settings_file_and_bad_settings(tmp_path: Path) -> None:
    (tmp_path / "perfrules.toml").write_text('over-completion-warning = "400%"\n', encoding="utf-8")
    (tmp_path / "x.perf").write_text(OVER, encoding="utf-8")
    out = cli("lint", str(tmp_path / "x.perf"), "--select", "PR201", "--format", "json")
    assert [f["severity"] for f in json.loads(out.stdout)["findings"]] == ["info"]
    (tmp_path / "perfrules.toml").write_text('over-completion-warning = "much"\n', encoding="utf-8")
    out = cli("lint", str(tmp_path / "x.perf"))
    assert out.exit_code == 2 and "perfrules.toml" in out.stderr


def test_rules_and_rule() -> None:
    out = cli("rules")
    assert out.exit_code == 0 and re.search(r"^PR201\s+警告\s+超额完成", out.stdout, re.M)
    assert re.search(r"^PR201\s+warning\s+over-completion", cli("rules", "--lang", "en").stdout, re.M)
    out = cli("rule", "PR201")
    assert out.exit_code == 0 and "反例" in out.stdout and "正例" in out.stdout
    assert "over-completion" in cli("rule", "pr201", "--lang", "en").stdout
    assert cli("rule", "PR999").exit_code == 2


def test_the_shipped_rulesets_lint_without_errors() -> None:
    out = cli("lint", str(ROOT / "rulesets"), "--ignore", "PR2,PR107")
    assert out.exit_code == 0, out.stdout


def test_baseline_reports_only_new_findings(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write("over.perf", OVER)
    baseline = tmp_path / "baseline.json"
    assert cli("lint", path, "--write-baseline", str(baseline), "--fail-on", "warning").exit_code == 0  # written: the run is fine
    assert cli("lint", path, "--baseline", str(baseline), "--fail-on", "warning").exit_code == 0
    Path(path).write_text(OVER + "人数 >= 10 人 weight 1\n", encoding="utf-8")  # a new indicator, no actual
    out = cli("lint", path, "--baseline", str(baseline), "--select", "PR0,PR2")
    assert [line.split()[1] for line in out.stdout.splitlines()] == ["PR021"]
