"""The command line as a user runs it: output, JSON schema, languages, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from perfrules import __version__

from conftest import EXAMPLES, SCHEMAS, SEED, cli

RESULT_SCHEMA = json.loads((SCHEMAS / "result.schema.json").read_text(encoding="utf-8"))


def validate(data: dict) -> None:  # type: ignore[type-arg]
    jsonschema.validate(data, RESULT_SCHEMA, cls=jsonschema.Draft202012Validator)


def test_version_and_help() -> None:
    assert __version__ in cli("--version").stdout
    out = cli("--help")
    assert out.exit_code == 0 and "eval" in out.stdout and "check" in out.stdout and "compile" in out.stdout
    assert "评分" in cli("eval", "--help").stdout


def test_eval_json_carries_the_required_fields_and_validates() -> None:
    out = cli("eval", str(SEED), "--format", "json")
    assert out.exit_code == 0
    data = out.json()
    validate(data)
    assert data["ruleset"] == "国有企业退休人员社会化管理补助资金（中央、自治区）"
    assert data["total"] == 91.23 and data["grade"] == "优"
    assert [(d["name"], d["weight"], d["score"], d["rate"]) for d in data["dimensions"]] == [
        ("决策", 20, 20, 100.0), ("过程", 20, 16.1, 80.5), ("产出", 40, 35.13, 87.83), ("效益", 20, 20, 100.0)]
    by_name = {i["name"]: i for i in data["indicators"] if i["path"][0] != "过程"}
    assert by_name["资格认证人数"]["path"] == ["产出", "产出数量", "资格认证人数"]
    assert by_name["资格认证人数"]["completion"] == 134.41 and by_name["资格认证人数"]["target"] == ">= 60000 人"
    assert by_name["资金拨付及时率"]["score"] == 0.13
    finding = next(f for f in data["findings"] if f["code"] == "PR110")
    assert finding["line"] == 79 and finding["severity"] == "warning"
    assert {f["code"] for f in data["findings"]} >= {"PR101", "PR106", "PR201", "PR204"}


def test_every_example_evaluates_cleanly() -> None:
    for path in sorted(EXAMPLES.glob("*.perf")):
        out = cli("eval", str(path), "--format", "json")
        assert out.exit_code == 0, (path, out.stdout, out.stderr)
        data = out.json()
        validate(data)
        assert all(e["equal"] for e in data["expect"]), path


def test_english_messages() -> None:
    out = cli("eval", str(SEED), "--lang", "en")
    assert "total 91.23 / 100   grade 优" in out.stdout and "check 成本与预算匹配 fails" in out.stdout


def test_exit_1_on_a_failed_expect(write) -> None:  # type: ignore[no-untyped-def]
    path = write("e.perf", "a >= 100 weight 100\nactuals {\n  a = 50\n}\nexpect { total 60 }\n")
    out = cli("eval", path)
    assert out.exit_code == 1 and "PR308" in out.stdout


def test_exit_1_on_a_failed_check(write) -> None:  # type: ignore[no-untyped-def]
    path = write("c.perf", "facts {\n  a = 2 元\n  b = 1 元\n}\ncheck: a <= b\n")
    assert cli("eval", path).exit_code == 1


def test_exit_2_on_a_syntax_error_with_a_located_message(write) -> None:  # type: ignore[no-untyped-def]
    path = write("s.perf", "dimension 产出 weight 100 {\n  资格认证人数 ?? 5\n}\n")
    out = cli("eval", path)
    assert out.exit_code == 2
    assert f"{path}:2:10: PR001 错误" in out.stderr
    lines = out.stderr.splitlines()
    caret = lines[lines.index("      资格认证人数 ?? 5") + 1]
    assert caret == "    " + " " * 15 + "^"  # under the first "?", counted in display columns


def test_exit_2_json_still_reports_findings(write) -> None:  # type: ignore[no-untyped-def]
    path = write("s.perf", "a >= weight 5\n")
    out = cli("eval", path, "--format", "json")
    assert out.exit_code == 2
    data = out.json()
    validate(data)
    assert data["total"] is None and data["findings"][0]["code"] == "PR001"


def test_usage_errors_exit_2(write) -> None:  # type: ignore[no-untyped-def]
    assert cli("eval").exit_code == 2
    assert cli("eval", "nope.perf").exit_code == 2
    assert cli("eval", str(SEED), "--format", "pdf").exit_code == 2
    assert cli("eval", str(SEED), "--data", "missing.json").exit_code == 2
    assert cli("check", "no/such/dir").exit_code == 2


def test_unreadable_and_binary_files_exit_2(write) -> None:  # type: ignore[no-untyped-def]
    path = write("b.perf", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    out = cli("check", path)
    assert out.exit_code == 2 and "PR003" in out.stderr and f"{path}:1:" in out.stderr


def test_check_reports_many_files(write, tmp_path) -> None:  # type: ignore[no-untyped-def]
    write("good.perf", "a >= 1 weight 100\n")
    write("bad.perf", "a >= 1 weight 100\nb >= weight 1\nc >= 1 ?\n")
    out = cli("check", str(tmp_path))
    assert out.exit_code == 2
    assert out.stderr.count("PR001") == 2 and "检查了 2 个文件" in out.stderr


def test_check_clean_example_exits_0() -> None:
    out = cli("check", str(EXAMPLES))
    assert out.exit_code == 0, out.stderr


def test_compile_writes_plan_json_to_stdout() -> None:
    out = cli("compile", str(SEED))
    assert out.exit_code == 0 and json.loads(out.stdout)["format"] == "perfrules-plan/1"


def test_eval_writes_output_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.json"
    out = cli("eval", str(SEED), "--format", "json", "-o", str(target))
    assert out.exit_code == 0 and json.loads(target.read_text(encoding="utf-8"))["grade"] == "优"


def test_parser_cache_lives_in_the_users_cache_dir(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    import tempfile

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("PERFRULES_NO_CACHE", None)
    before = set(os.listdir(tempfile.gettempdir()))
    probe = "from perfrules.syntax.parser import lark_parser; lark_parser()"  # the lark parser, which the fast path skips
    for _ in range(2):  # the first run writes the cache, the second loads it
        subprocess.run([sys.executable, "-c", probe], env=env, check=True)
    cached = list((tmp_path / "cache" / "perfrules").glob("parser-*.lark"))
    assert len(cached) == 1
    assert not [n for n in set(os.listdir(tempfile.gettempdir())) - before if n.startswith(".lark")]


def test_output_that_cannot_be_written_is_exit_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("json", "html", "xlsx"):
        out = cli("eval", str(SEED), "--format", fmt, "-o", str(tmp_path / "missing" / f"x.{fmt}"))
        assert out.exit_code == 2 and "无法写入" in out.stderr and "不存在" in out.stderr, fmt


def test_other_encodings_get_a_hint(write) -> None:  # type: ignore[no-untyped-def]
    path = write("gbk.perf", "资格认证人数 >= 60000 人 weight 5\n".encode("gbk"))
    out = cli("check", path)
    assert out.exit_code == 2 and "GBK" in out.stderr and "UTF-8" in out.stderr


def test_check_keeps_suppressions_of_checks_it_does_not_run(write) -> None:  # type: ignore[no-untyped-def]
    path = write("s.perf", "场次 >= 4 场 weight 100  # noqa: PR201\nactuals {\n  场次 = 12 场\n}\n")
    assert "PR901" not in cli("check", path).stderr
    assert "PR901" not in cli("lint", path).stdout


def test_rule_explains_language_codes_too() -> None:
    out = cli("rule", "PR013")
    assert out.exit_code == 0 and "单位不一致" in out.stdout


def test_bad_select_codes_are_usage_errors(write) -> None:  # type: ignore[no-untyped-def]
    out = cli("lint", str(SEED), "--select", "foo")
    assert out.exit_code == 2 and "无效" in out.stderr


def test_a_plan_that_is_not_a_plan(write) -> None:  # type: ignore[no-untyped-def]
    out = cli("eval", "--plan", str(SEED))
    assert out.exit_code == 2 and "计划文件" in out.stderr and "不是 JSON" in out.stderr


def test_an_empty_rule_file_is_an_input_error(write) -> None:  # type: ignore[no-untyped-def]
    path = write("empty.perf", "")
    out = cli("eval", path)
    assert out.exit_code == 2 and f"{path}:1:1: PR017" in out.stderr
    facts_only = write("facts.perf", "facts {\n  预算 = 1 万元\n}\n")  # a shared file to `use`: fine on its own
    assert cli("check", facts_only).exit_code == 0


def test_a_reader_that_goes_away_is_no_internal_error(tmp_path: Path) -> None:
    """`perfrules rules | head -1`: the pipe closes under perfrules; it stops quietly (exit 0 or 1), never with the
    internal error's exit 3 (`rules` writes line by line: after the first line the pipe is gone)."""
    import subprocess
    import sys

    rows = "".join(f"  指标{i} >= 10 人 weight 1\n" for i in range(3000))  # far more output than a pipe buffers
    big = tmp_path / "big.perf"
    big.write_text(f'ruleset "大" {{ year 2023 total 3000 }}\ndimension 产出 weight 3000 {{\n{rows}}}\n', encoding="utf-8")
    for command in (["rules"], ["rules", "--format", "markdown"], ["eval", str(big)]):
        proc = subprocess.Popen([sys.executable, "-m", "perfrules", *command], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()  # the reader goes away after the first bytes
        stderr = proc.stderr.read().decode("utf-8")
        assert proc.wait(timeout=120) in (0, 1), (command, stderr)
        assert "内部错误" not in stderr and "Traceback" not in stderr, command
