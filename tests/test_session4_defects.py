"""Six defects a user would hit, each pinned by what the user sees (session 4, brief H2).

1. a batch (`eval DIR`, `check DIR`) with one project whose settings file cannot be used;
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import cli

PROJECT = "a >= 1 人 weight 100\nactuals {\n  a = 2 人\n}\n"


# ---------------------------------------------------------------- 1. bad settings in a batch


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """good/a.perf with no settings, bad/b.perf under a pyproject.toml written by each test."""
    for name, file in (("good", "a.perf"), ("bad", "b.perf")):
        (tmp_path / name).mkdir()
        (tmp_path / name / file).write_text(PROJECT, encoding="utf-8")
    return tmp_path


BAD_SETTINGS = [
    # a TOML syntax error: its line and column
    ('[tool.perfrules]\nignore = ["PR201"\nx = 1\n', "pyproject.toml:3:1: Unclosed array"),
    # an unknown setting: the line it is on
    ('[tool.other]\nfoo = 1\n[tool.perfrules]\nignore = ["PR201"]\nfoo = 1\n',
     "pyproject.toml:5: (顶层): Additional properties are not allowed ('foo' was unexpected)"),
    # a wrong type
    ('[tool.perfrules]\nselect = ["PR1"]\nignore = [1]\n', "pyproject.toml:3: ignore/0: 1 is not of type 'string'"),
    ('[tool.perfrules]\nmin-indicators = "many"\n', "pyproject.toml:2: min-indicators: 'many' 不是有效的个数"),
    ('[tool.perfrules.severity]\nPR201 = "loud"\n', "pyproject.toml:2: severity/PR201: 'loud' is not one of"),
]


@pytest.mark.parametrize(("settings", "said"), BAD_SETTINGS)
def test_a_bad_settings_file_is_one_invalid_row_of_the_batch(tree: Path, settings: str, said: str) -> None:
    (tree / "bad" / "pyproject.toml").write_text(settings, encoding="utf-8")
    out = cli("eval", str(tree), "--format", "json")
    assert out.exit_code == 2, out.stderr  # a project that cannot be checked, as a batch says of any invalid one
    rows = {Path(r["file"]).name: r for r in json.loads(out.stdout)}
    assert rows["a.perf"]["status"] == "ok" and rows["a.perf"]["total"] == "100.00"
    bad = rows["b.perf"]
    assert (bad["status"], bad["worst_code"], bad["errors"]) == ("invalid", "PR014", 1)
    assert bad["worst_message"].startswith(f"设置有误：{tree / 'bad'}/") and said in bad["worst_message"]
    assert "评分了 2 个项目：1 个无法评分" in out.stderr and "用法" not in out.stderr


def test_the_batch_table_and_english(tree: Path) -> None:
    (tree / "bad" / "pyproject.toml").write_text('[tool.perfrules]\nignore = ["PR201"\n', encoding="utf-8")
    out = cli("eval", str(tree), "--lang", "en")
    assert out.exit_code == 2
    lines = out.stdout.splitlines()
    assert lines[1].split()[0].endswith("b.perf") and lines[1].split()[-1] == "PR014"
    assert lines[2].split()[0].endswith("a.perf") and "100.00" in lines[2]
    assert out.stderr.strip() == "scored 2 projects: 1 invalid"


def test_check_dir_reports_the_project_and_checks_the_others(tree: Path) -> None:
    (tree / "bad" / "pyproject.toml").write_text('[tool.perfrules]\nignore = ["PR201"\nx = 1\n', encoding="utf-8")
    out = cli("check", str(tree))
    assert out.exit_code == 2
    bad = str(tree / "bad" / "b.perf")
    assert f"{bad}:1:1: PR014 错误 设置有误：{tree / 'bad' / 'pyproject.toml'}:3:1: Unclosed array" in out.stderr
    assert ("    提示: 改正设置文件中的这一项（可写的设置和取值见 docs/checks.md「设置」一节）；改正之前这个项目的审核检查"
            "无法运行") in out.stderr
    assert f"{tree / 'good' / 'a.perf'}:1:1: PR105 警告" in out.stderr
    assert out.stderr.splitlines()[-1] == "检查了 2 个文件，发现 2 个问题（1 个错误）"
    english = cli("check", str(tree), "--lang", "en")
    assert ("    hint: correct that entry of the settings file (the settings and their values: docs/checks.md, "
            "Settings); until then this project's checks cannot run") in english.stderr


def test_one_file_still_stops_with_the_usage_error_naming_the_line(tree: Path) -> None:
    (tree / "bad" / "pyproject.toml").write_text('[tool.perfrules]\nignore = ["PR201"\nx = 1\n', encoding="utf-8")
    for command in ("eval", "check"):
        out = cli(command, str(tree / "bad" / "b.perf"))
        assert out.exit_code == 2 and out.stdout == ""
        assert f"错误：设置有误 / bad settings: {tree / 'bad' / 'pyproject.toml'}:3:1: Unclosed array" in out.stderr
