"""`use` reads only inside the project's roots; files are read bounded; an internal error is exit 3, not 1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfrules import limits, pipeline
from perfrules.cli import EXIT_INTERNAL, main

SECRET = "root:x:0:0:secret-words-that-must-not-leak\n"


def _project(tmp_path: Path, use_line: str) -> Path:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.perf").write_text(SECRET, encoding="utf-8")
    project = tmp_path / "proj"
    project.mkdir()
    rules = project / "a.perf"
    rules.write_text(f"{use_line}\n资格认证人数 >= 60000 人 weight 100\n", encoding="utf-8")
    return rules


def _check(rules: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(rules)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("target, reason", [
    ("../outside/secret.perf", "在项目目录之外"),
    ("{tmp}/outside/secret.perf", "不能引用绝对路径"),
    ("/etc/passwd", "不能引用绝对路径"),
    ("/dev/zero", "不能引用绝对路径"),
    ("std/../../outside/secret", "标准框架中没有这一项"),
    ("std/../evaluation", "标准框架中没有这一项"),
    ("x" * 300, "路径太长"),
    ("sub/" * 1100 + "x.perf", "路径太长"),
])
def test_use_outside_the_roots_is_refused_without_quoting_the_target(tmp_path: Path, target: str, reason: str) -> None:
    rules = _project(tmp_path, f'use "{target.format(tmp=tmp_path)}"')
    code, output = _check(rules)
    assert code == 2
    assert "a.perf:1:1: PR016" in output
    assert reason in output
    assert "secret-words" not in output and "root:" not in output


def test_a_symlink_leaving_the_root_is_refused(tmp_path: Path) -> None:
    rules = _project(tmp_path, 'use "link.perf"')
    (rules.parent / "link.perf").symlink_to(tmp_path / "outside" / "secret.perf")
    code, output = _check(rules)
    assert code == 2 and "PR016" in output and "在项目目录之外" in output
    assert "secret-words" not in output


def test_a_directory_device_or_fifo_is_not_a_framework(tmp_path: Path) -> None:
    rules = _project(tmp_path, 'use "sub"\nuse "pipe.perf"')
    (rules.parent / "sub").mkdir()
    os.mkfifo(rules.parent / "pipe.perf")
    code, output = _check(rules)
    assert code == 2
    assert output.count("不是普通文件") == 2


def test_use_inside_the_tree_and_configured_roots_works(tmp_path: Path) -> None:
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "base.perf").write_text("dimension 共用 weight 100 {\n  甲 >= 1 人 weight 100\n}\n",
                                                  encoding="utf-8")
    project = tmp_path / "proj"
    (project / "lib").mkdir(parents=True)
    (project / "lib" / "local.perf").write_text('use "../../common/base.perf"\n', encoding="utf-8")
    rules = project / "b.perf"
    rules.write_text('use "lib/local.perf"\nactuals {\n  甲 = 2 人\n}\n', encoding="utf-8")
    run = pipeline.analyse(rules)
    assert [f.code for f in run.findings if f.code == "PR016"] == ["PR016"]  # ../../common is outside proj/
    assert not any(f.code == "PR020" for f in run.findings)  # no cascade of unknown names after it
    (tmp_path / "pyproject.toml").write_text('[tool.perfrules]\nroots = ["common"]\n', encoding="utf-8")
    run = pipeline.analyse(rules)
    assert not run.blocked, run.findings
    assert run.result is not None and str(run.result.total) == "100.00"
    assert str((tmp_path / "common" / "base.perf").resolve()) in run.sources  # quoted from memory, not reopened


def test_a_use_that_uses_itself_is_a_cycle(tmp_path: Path) -> None:
    rules = tmp_path / "self.perf"
    rules.write_text('use "self.perf"\n资格认证人数 >= 60000 人 weight 100\n', encoding="utf-8")
    code, output = _check(rules)
    assert code == 2 and "循环引用" in output


def test_messages_quote_only_texts_the_run_read(tmp_path: Path) -> None:
    """A plan's spans may name any file: its lines are never shown."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    rules = tmp_path / "p.perf"
    rules.write_text("资格认证人数 >= 60000 人 weight 100\n", encoding="utf-8")  # no actual: PR021 at line 1
    plan = tmp_path / "plan.json"
    result = CliRunner().invoke(main, ["compile", str(rules), "-o", str(plan)])
    assert result.exit_code == 0, result.output
    plan.write_text(plan.read_text(encoding="utf-8").replace(str(rules), str(secret)), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--plan", str(plan)])
    assert f"{secret}:1:" in result.output and "PR021" in result.output
    assert "secret-words" not in result.output


def test_rule_files_are_read_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = _check(Path("/dev/zero"))
    assert code == 2 and "/dev/zero:1:1: PR003" in output and "不是普通文件" in output
    big = tmp_path / "big.perf"
    big.write_text("# x\n" * 40, encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    code, output = _check(big)
    assert code == 2 and "文件太大" in output and "上限 100 字节" in output


def test_read_bytes_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(limits.LimitError, match="目录"):
        limits.read_bytes(tmp_path)
    with pytest.raises(limits.LimitError, match="设备或管道"):
        limits.read_bytes("/dev/urandom")
    with pytest.raises(limits.LimitError, match="文件太大"):
        (tmp_path / "f").write_bytes(b"12345")
        limits.read_bytes(tmp_path / "f", limit=4)
    assert limits.read_bytes(tmp_path / "f", limit=5) == b"12345"


def test_an_internal_error_is_exit_3_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "compile_file", broken)
    result = CliRunner().invoke(main, ["check", "rulesets/examples/retiree-services-2023.perf"])
    assert result.exit_code == EXIT_INTERNAL == 3
    assert "perfrules 内部错误" in result.output and "RuntimeError: boom" in result.output
    assert "Traceback" not in result.output


def test_the_limits_page_lists_every_limit_with_its_value() -> None:
    page = (Path(__file__).parent.parent / "docs" / "limits.md").read_text(encoding="utf-8")
    names = [n for n in dir(limits) if n.isupper() and isinstance(getattr(limits, n), int)]
    assert len(names) >= 12
    for name in names:
        assert f"| `{name}` | {getattr(limits, name)}" in page, name


def test_batch_refuses_history_instead_of_ignoring_it(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    seed = Path(__file__).parent.parent / "rulesets" / "examples" / "retiree-services-2023.perf"
    (tmp_path / "p" / "a.perf").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(tmp_path / "p"), "--history", str(seed)])
    assert result.exit_code == 2 and "批量评分不接受 --history" in result.output
