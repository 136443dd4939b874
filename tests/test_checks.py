"""The validator: every check's documented examples, data-driven cases, settings and suppressions."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
import yaml

from perfrules import pipeline
from perfrules.checks import all_checks, get_check
from perfrules.checks.config import Config, ConfigError
from perfrules.checks.docs import markdown
from perfrules.settings import find_settings

from conftest import ROOT

CASES = sorted((Path(__file__).parent / "fixtures" / "check_cases").glob("*.yml"))


def analyse(text: str, config: Config | None = None, as_of: date | None = None) -> pipeline.Run:
    run = pipeline.compile_text(textwrap.dedent(text), "case.perf")
    return pipeline.check_run(pipeline.evaluate_run(run), config, as_of)


@pytest.mark.parametrize("check", all_checks(), ids=lambda c: c.code)
def test_documented_examples(check) -> None:  # type: ignore[no-untyped-def]
    """The anti-pattern triggers the check; the best practice does not."""
    bad, good = check.examples()
    bad_run, good_run = analyse(bad), analyse(good)
    assert not bad_run.blocked and not good_run.blocked
    assert check.code in {f.code for f in bad_run.findings}, [f.message() for f in bad_run.findings]
    assert check.code not in {f.code for f in good_run.findings}, [f.message() for f in good_run.findings]


def load_cases() -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    """Each file's cases run its own check alone, unless a case selects more (`select`)."""
    return [(f"{path.stem}: {case['name']}", {"select": [path.stem], **case}) for path in CASES
            for case in yaml.safe_load(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("name, case", load_cases(), ids=[n for n, _ in load_cases()])
def test_check_cases(name: str, case: dict) -> None:  # type: ignore[type-arg]
    config = Config().merged({"select": case["select"]}, "case") if "select" in case else Config()
    as_of = case.get("as_of")
    run = analyse(case["rules"], config, as_of)
    found = sorted([f.code, f.severity.value, f.span.line if f.span else 0] for f in run.findings)
    assert found == sorted(case["expect"]), [f.message() for f in run.findings]
    if "message" in case:
        assert any(case["message"] in f.message() for f in run.findings)


def test_docs_page_is_generated_from_the_registry() -> None:
    """docs/checks.md drifts when a check changes: regenerate with `perfrules rules --format markdown`."""
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == markdown()


def test_registry_is_complete_and_consistent() -> None:
    codes = [c.code for c in all_checks()]
    required = {"PR101", "PR102", "PR103", "PR104", "PR105", "PR106", "PR107", "PR108", "PR109", "PR201", "PR202",
                "PR203", "PR204", "PR205", "PR206", "PR301", "PR302", "PR303", "PR304", "PR305", "PR306", "PR307",
                "PR308", "PR901"}
    assert required <= set(codes) and codes == sorted(codes)
    assert get_check("pr201") is not None and get_check("PR999") is None


def test_a_check_without_examples_is_refused_when_defined() -> None:
    from perfrules.checks.registry import Check
    from perfrules.findings import Severity

    with pytest.raises(TypeError, match="反例"):
        class Broken(Check):  # defining it is the test
            """No examples."""

            code = "PR199"
            severity = Severity.INFO
            title = "x"
            title_en = "x"


def test_severity_override_and_off() -> None:
    text = "场次 >= 4 场 weight 100\nactuals {\n  场次 = 12 场\n}\n"
    config = Config().merged({"severity": {"PR201": "error"}}, "t")
    assert [f.severity.value for f in analyse(text, config).findings if f.code == "PR201"] == ["error"]
    config = Config().merged({"severity": {"PR201": "off"}}, "t")
    assert not [f for f in analyse(text, config).findings if f.code == "PR201"]
    policy = "policy {\n  PR201 off\n}\n" + text
    assert not [f for f in analyse(policy).findings if f.code == "PR201"]


def test_select_and_ignore_by_prefix() -> None:
    text = "场次 >= 4 场 weight 100\nactuals {\n  场次 = 12 场\n}\n"
    codes = {f.code for f in analyse(text, Config().merged({"select": ["PR1"]}, "t")).findings}
    assert codes and all(c.startswith("PR1") for c in codes)
    codes = {f.code for f in analyse(text, Config().merged({"ignore": ["PR2"]}, "t")).findings}
    assert not any(c.startswith("PR2") for c in codes)


def test_bad_settings_are_reported_with_their_place() -> None:
    with pytest.raises(ConfigError, match="百分比"):
        Config().merged({"over-completion-warning": "lots"}, "pyproject.toml")
    with pytest.raises(ConfigError, match=r"unknown|Additional"):
        Config().merged({"unknown": 1}, "pyproject.toml")


def test_settings_are_found_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.perfrules]\nover-completion-info = "150%"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    found = find_settings(tmp_path / "sub" / "x.perf")
    assert found is not None and found[0] == {"over-completion-info": "150%"}
    config = Config().merged(*found)
    assert config.threshold("over-completion-info") == 1.5
