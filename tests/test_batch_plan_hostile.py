"""Hostile input to `eval --plan` and to the batch: mutated plans, dying and hanging workers, unwritable outputs.

Every case ends in exit 0, 1 or 2 with a Chinese message, never a traceback, a hang or lost results.
"""

from __future__ import annotations

import copy
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from perfrules import pipeline
from perfrules.cli import main
from perfrules.plan.serialize import dump_plan

from conftest import EXAMPLES, SEED, cli

# ---------------------------------------------------------------- eval --plan on mutated plans

MUTANTS = int(os.environ.get("PERFRULES_PLAN_MUTANTS", "800"))
"""Mutants per run (a longer campaign: PERFRULES_PLAN_MUTANTS=20000)."""

ODD_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.5, 1e308, 10**30, -(10**30), "", "x", [], {}, [[]], {"a": 1},
    "1E+999999", "-1E+999999", "1E-999999", "NaN", "Infinity", "-Infinity", "sNaN", "-0", "0", "-5", "1e5",
    "9" * 16, "9" * 15, "0." + "0" * 30 + "1", "9" * 5000, "1" * 41, "  1", "1,000", "٣", "１２",
    "\ud800", "a\udfffb", "\u2028", "\x00", "\u202e逆序", "💥" * 50, "名" * 10_000,
    float("nan"), float("inf"), -float("inf"),
]


def _plans() -> list[str]:
    """The example plans as JSON text."""
    plans = []
    for path in sorted(EXAMPLES.glob("*.perf")):
        run = pipeline.compile_file(path)
        assert run.plan is not None and not run.blocked
        plans.append(json.dumps(dump_plan(run.plan), ensure_ascii=False))
    return plans


def _pick(value: Any, rng: random.Random) -> tuple[Any, ...]:
    """A random path into `value`: down from the top, stopping at each level with some chance (never at the top)."""
    path: tuple[Any, ...] = ()
    while isinstance(value, (dict, list)) and value and (not path or rng.random() < 0.8):
        key = rng.choice(list(value)) if isinstance(value, dict) else rng.randrange(len(value))
        path, value = (*path, key), value[key]
    return path


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def _deep(depth: int, leaf: Any, rng: random.Random) -> Any:
    for _ in range(depth):
        roll = rng.random()
        leaf = [leaf] if roll < 0.4 else {"op": "neg", "args": [leaf]} if roll < 0.7 else {"children": [leaf]}
    return leaf


def _garbage(rng: random.Random) -> str:
    alphabet = "abc名称指标/~\\\"'{}[]:%‰元人\u2028\u0085\ufeff\U0001f4a5\u0301\x7f"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))


def mutate(text: str, rng: random.Random) -> Any:
    """One to three random changes to a plan (given as JSON text): delete, retype, odd numbers, deep nesting,
    swapped containers, garbage text, duplicated or moved entries."""
    plan = json.loads(text)
    for _ in range(rng.randint(1, 3)):
        path = _pick(plan, rng)
        if not path:
            continue
        parent, key = _get(plan, path[:-1]), path[-1]
        old = parent[key]
        roll = rng.random()
        if roll < 0.15 and isinstance(parent, dict):
            del parent[key]
        elif roll < 0.15 and isinstance(parent, list):
            parent.pop(key)
        elif roll < 0.45:
            parent[key] = rng.choice(ODD_VALUES)
        elif roll < 0.55:
            parent[key] = _deep(rng.choice([3, 40, 60, 120, 200]), old, rng)
        elif roll < 0.65 and isinstance(old, dict):
            parent[key] = list(old.values())
        elif roll < 0.65 and isinstance(old, list):
            parent[key] = {str(i): v for i, v in enumerate(old)}
        elif roll < 0.75 and isinstance(old, str):
            parent[key] = old[: rng.randint(0, len(old))] + _garbage(rng)
        elif roll < 0.85 and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(old))  # a duplicate entry
        elif roll < 0.9 and isinstance(parent, dict):
            parent[key + _garbage(rng)] = parent.pop(key)  # a renamed key
        else:  # a value moved to another place of the plan
            parent[key] = copy.deepcopy(_get(plan, _pick(plan, rng)))
    return plan


def _encode(mutant: Any, rng: random.Random) -> bytes:
    text = json.dumps(mutant, ensure_ascii=rng.random() < 0.5, allow_nan=True)
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.03:  # a damaged file: cut, or bytes that are not UTF-8
        data = data[: rng.randint(0, len(data))] if rng.random() < 0.5 else data.replace(b"{", b"\xff", 1)
    return data


def test_mutated_plans_never_crash_eval(tmp_path: Path) -> None:
    """Seeded mutants of the example plans: exit 0, 1 or 2, never an exception; exit 2 names the plan file."""
    rng = random.Random(20240909)
    plans = _plans()
    runner = CliRunner()
    plan_file = tmp_path / "plan.json"
    exits: dict[int, int] = {}
    for index in range(MUTANTS):
        mutant = mutate(rng.choice(plans), rng)
        plan_file.write_bytes(_encode(mutant, rng))
        result = runner.invoke(main, ["eval", "--plan", str(plan_file), "--format", rng.choice(["table", "json"])])
        where = f"mutant {index}: {plan_file.read_bytes()[:300]!r}"
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            f"{where}\n{result.exception!r}"
        assert result.exit_code in (0, 1, 2), f"{where}\n{result.stderr[-500:]}"
        if result.exit_code == 2:
            assert f"计划文件 {plan_file} 无效" in result.output, f"{where}\n{result.output[-500:]}"  # json: on stdout
        exits[result.exit_code] = exits.get(result.exit_code, 0) + 1
    assert exits.get(2, 0) > MUTANTS // 2 and exits.get(0, 0) + exits.get(1, 0) > MUTANTS // 20  # both kinds occur


def _plan_text() -> dict[str, Any]:
    """The seed example's plan, to change by hand."""
    return json.loads(_plans()[[p.name for p in sorted(EXAMPLES.glob("*.perf"))].index(SEED.name)])


def _eval_plan(tmp_path: Path, plan: Any) -> tuple[int, str]:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    out = cli("eval", "--plan", str(path))
    return out.exit_code, out.stderr


def test_schema_errors_are_findings_with_the_json_pointer(tmp_path: Path) -> None:
    plan = _plan_text()
    plan["body"][0]["weight"] = 20
    del plan["facts"][0]["unit"]
    code, err = _eval_plan(tmp_path, plan)
    path = tmp_path / "plan.json"
    assert code == 2
    assert f"PR019 错误 计划文件 {path} 无效：/facts/0：缺少 unit" in err
    assert f"PR019 错误 计划文件 {path} 无效：/body/0/weight：应为数字（写成字符串，如 \"5\" 或 \"0.95\"）" in err


@pytest.mark.parametrize(("value", "reason"), [
    ("1E+999999", "数值超出范围（整数部分至多 15 位，须为有限数）"),
    ("9999999999999999", "数值超出范围（整数部分至多 15 位，须为有限数）"),
    ("NaN", "应为数字（写成字符串，如 \"5\" 或 \"0.95\"）"),
    ("Infinity", "应为数字（写成字符串，如 \"5\" 或 \"0.95\"）"),
    (-5, "应为数字（写成字符串，如 \"5\" 或 \"0.95\"）"),
])
def test_numbers_beyond_the_limits_are_findings(tmp_path: Path, value: Any, reason: str) -> None:
    plan = _plan_text()
    plan["total_weight"] = value
    code, err = _eval_plan(tmp_path, plan)
    assert code == 2 and f"无效：/total_weight：{reason}" in err, err


def test_what_a_schema_cannot_say_is_a_finding_too(tmp_path: Path) -> None:
    plan = _plan_text()
    plan["facts"][0]["formula"] = {"ref": "没有这个", "kind": "fact"}
    code, err = _eval_plan(tmp_path, plan)
    assert code == 2 and "无效：/facts/0/formula：公式引用的基础数据 没有这个 不在计划中" in err, err
    plan = _plan_text()
    name = plan["facts"][0]["name"]
    plan["facts"][0]["formula"] = {"op": "+", "args": [{"ref": name, "kind": "fact"},
                                                       {"ref": name, "kind": "fact"}]}
    code, err = _eval_plan(tmp_path, plan)
    assert code == 2 and f"无效：/facts/0/formula：基础数据 {name} 的公式循环引用了自身" in err, err
    plan = _plan_text()
    plan["grades"] = [g for g in plan["grades"] if g["comparator"] is not None]
    code, err = _eval_plan(tmp_path, plan)
    assert code == 2 and "无效：/grades：须有一档不带比较符的最低等级（如「差 otherwise」）" in err, err


def test_nesting_and_lone_surrogates_are_findings(tmp_path: Path) -> None:
    plan = _plan_text()
    path = tmp_path / "plan.json"
    text = json.dumps(plan).replace('"name": ', '"name": ' + "[" * 100_000 + "1" + "]" * 100_000 + ', "x": ', 1)
    path.write_text(text, encoding="utf-8")  # far past Python's recursion limit: the JSON reader itself gives up
    out = cli("eval", "--plan", str(path))
    assert out.exit_code == 2 and "无效：嵌套超过 50 层" in out.stderr, out.stderr
    plan["name"] = json.loads("[" * 60 + "]" * 60)
    code, err = _eval_plan(tmp_path, plan)
    assert code == 2 and "无效：/name/" in err and "嵌套超过 50 层" in err, err
    plan["name"] = "a\ud800b"
    path.write_text(json.dumps(plan), encoding="utf-8")  # ensure_ascii: the surrogate is written as \\ud800
    out = cli("eval", "--plan", str(path))
    assert out.exit_code == 2 and "无效：/name：含有无效的 Unicode 字符（孤立的代理项）" in out.stderr


def test_a_deep_but_lawful_formula_still_loads(tmp_path: Path) -> None:
    """A formula nested as deep as a rule file may nest one (MAX_FORMULA_DEPTH) is not refused as too deep."""
    from perfrules import limits

    plan = _plan_text()
    fact = next(f for f in plan["facts"] if f["value"] is not None and f["formula"] is None)
    formula: Any = {"const": "1", "unit": {"text": "", "scale": "1", "dims": []}}
    for _ in range(limits.MAX_FORMULA_DEPTH - 1):
        formula = {"op": "neg", "args": [formula]}
    fact["value"], fact["formula"] = None, formula
    code, err = _eval_plan(tmp_path, plan)
    assert code in (0, 1), err


@pytest.mark.parametrize("kind", ["directory", "device", "empty", "not-json", "huge", "missing", "not-utf8"])
def test_a_plan_that_is_not_a_plan_file_is_one_chinese_line(tmp_path: Path, kind: str) -> None:
    from perfrules import limits

    path = tmp_path / "plan.json"
    if kind == "directory":
        path.mkdir()
    elif kind == "device":
        path = Path("/dev/zero")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "not-json":
        path.write_text("指标 >= 5\n", encoding="utf-8")
    elif kind == "huge":
        with path.open("wb") as handle:
            handle.truncate(limits.MAX_FILE_BYTES + 1)
    elif kind == "not-utf8":
        path.write_bytes(b'{"format": "\xff"}')
    out = cli("eval", "--plan", str(path))
    lines = out.stderr.strip().splitlines()
    assert out.exit_code == 2 and len(lines) == 1, out.stderr
    reason = {"directory": "这是目录，不是普通文件", "device": "这是设备或管道，不是普通文件",
              "empty": "文件是空的", "not-json": "不是 JSON", "huge": "文件太大", "missing": "",
              "not-utf8": "不是 JSON"}[kind]
    assert f"PR019 错误 计划文件 {path} 无效：{reason}" in lines[0], lines[0]


# ---------------------------------------------------------------- the batch survives its workers


def _projects(tmp_path: Path, names: list[str]) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    for index, name in enumerate(names):
        (rules / f"{name}.perf").write_text(f"人数 >= 100 人 weight 100\nactuals {{\n  人数 = {60 + index} 人\n}}\n",
                                            encoding="utf-8")
    return rules


def _faulty(what: dict[str, str]):  # type: ignore[no-untyped-def]
    """A stand-in for batch._summarise that dies or hangs on the projects named in `what` (fault injection by the
    test: the forked workers inherit it; nothing in a rule file can do this)."""
    import signal
    import time

    from perfrules import batch

    real = batch._summarise

    def summarise(path: str, data: str | None, lang: str) -> batch.Summary:
        fault = what.get(Path(path).stem)
        if fault == "exit":
            os._exit(9)
        if fault == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if fault == "hang":
            time.sleep(600)
        return real(path, data, lang)

    return summarise


@pytest.mark.parametrize(("fault", "message"), [("exit", "评分进程意外退出（退出码 9），该项目未能评分"),
                                                ("kill", "评分进程意外退出（信号 SIGKILL），该项目未能评分")])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_worker_that_dies_costs_only_its_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str,
                                                    message: str, jobs: str) -> None:
    from perfrules import batch

    names = [f"p{i:02d}" for i in range(12)]
    rules = _projects(tmp_path, names)
    monkeypatch.setattr(batch, "_summarise", _faulty({"p03": fault, "p08": fault}))
    summary = tmp_path / "summary.json"
    out = cli("eval", str(rules), "--summary", str(summary), "--jobs", jobs)
    assert out.exit_code == 2, out.stderr
    rows = {Path(r["file"]).stem: r for r in json.loads(summary.read_text(encoding="utf-8"))}
    assert sorted(rows) == names
    for name in ("p03", "p08"):
        assert rows[name]["status"] == "invalid" and rows[name]["worst_message"] == message
    assert all(rows[n]["status"] == "ok" and rows[n]["total"] == f"{60 + i}.00"
               for i, n in enumerate(names) if n not in ("p03", "p08"))
    assert "评分了 12 个项目：2 个无法评分" in out.stderr


def test_a_hanging_project_times_out_and_the_rest_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from perfrules import batch

    names = [f"p{i:02d}" for i in range(6)]
    rules = _projects(tmp_path, names)
    monkeypatch.setattr(batch, "_summarise", _faulty({"p01": "hang", "p04": "hang"}))
    summary = tmp_path / "summary.csv"
    start = time.monotonic()
    # 3 s: long enough for a fresh worker to start and score a small project on a loaded machine, so only the
    # two that hang time out; the run still ends soon after their timeouts
    out = cli("eval", str(rules), "--summary", str(summary), "--jobs", "2", "--timeout", "3")
    assert time.monotonic() - start < 30
    assert out.exit_code == 2
    text = summary.read_text(encoding="utf-8-sig")
    assert text.count("评分超时（超过 3 秒），该项目未能评分") == 2 and all(f"{n}.perf" in text for n in names)
    assert "评分了 6 个项目：2 个无法评分" in out.stderr


def test_the_timeout_is_documented() -> None:
    out = cli("eval", "--help")
    assert "--timeout" in out.stdout and "每个项目最多用时" in out.stdout and "120" in out.stdout


def test_the_pool_is_left_clean_when_the_caller_stops_early(tmp_path: Path) -> None:
    from perfrules.batch import run_batch

    rules = _projects(tmp_path, [f"p{i}" for i in range(8)])
    rows = run_batch(sorted(rules.glob("*.perf")), {}, "zh", jobs=2)
    first = next(rows)
    rows.close()  # the workers are ended, none left behind
    import multiprocessing

    assert first.status == "ok" and not multiprocessing.active_children()


# ---------------------------------------------------------------- outputs: checked first, written whole


def _unwritable_places(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    (tmp_path / "a-dir").mkdir()
    return {
        "missing folder": (tmp_path / "no" / "such" / "s.csv", "文件或目录不存在"),
        "a folder": (tmp_path / "a-dir", "这是一个目录"),
        "under a file": (tmp_path / "a-file" / "s.csv", "路径中有一部分不是目录"),
        "read-only place": (Path("/proc/perfrules-s.csv"), ""),
    }


@pytest.mark.parametrize("place", ["missing folder", "a folder", "under a file", "read-only place"])
def test_an_unwritable_summary_is_refused_before_any_project_is_scored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, place: str) -> None:
    from perfrules import batch

    rules = _projects(tmp_path, ["p0", "p1"])
    target, reason = _unwritable_places(tmp_path)[place]
    if place == "a folder":
        target = target.with_suffix(".csv")
        target.mkdir()

    def no_scoring(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a project was scored")

    monkeypatch.setattr(batch, "run_batch", no_scoring)
    out = cli("eval", str(rules), "--summary", str(target))
    assert out.exit_code == 2
    assert out.stderr.startswith(f"无法写入 {target}：{reason}"), out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_a_summary_that_fails_at_the_end_is_printed_not_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from perfrules import outputs

    rules = _projects(tmp_path, ["p0", "p1", "p2"])
    summary = tmp_path / "s.json"
    summary.write_text("old\n", encoding="utf-8")

    def full(path: Path, data: Any, encoding: str = "utf-8") -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs, "write_atomic", full)
    out = cli("eval", str(rules), "--summary", str(summary), "--format", "json")
    assert out.exit_code == 2
    assert out.stderr.strip().splitlines()[-1].startswith(f"无法写入 {summary}：磁盘已满；汇总已打印到标准输出")
    printed = json.loads(out.stdout[out.stdout.index("]\n[") + 2:])  # the rows, then the summary as JSON
    assert sorted(Path(r["file"]).stem for r in printed) == ["p0", "p1", "p2"]
    assert summary.read_text(encoding="utf-8") == "old\n"  # the old file is left as it was


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    from perfrules.outputs import atomic_path, write_atomic

    target = tmp_path / "report.txt"
    write_atomic(target, "old\n")
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as temporary:
        temporary.write_text("half", encoding="utf-8")
        raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == [
        "report.txt"]
    write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n" and len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "html", "xlsx"])
def test_output_files_cannot_be_written_is_exit_2_in_one_line(tmp_path: Path, fmt: str) -> None:
    for place, (target, reason) in _unwritable_places(tmp_path).items():
        out = cli("eval", str(SEED), "--format", fmt, "-o", str(target))
        assert out.exit_code == 2, (place, out.stderr)
        assert out.stderr.startswith(f"无法写入 {target}：{reason}"), (place, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1, (place, out.stderr)
    out = cli("eval", str(SEED), "--format", fmt, "-o", str(tmp_path / f"report.{fmt}"))
    assert out.exit_code == 0 and (tmp_path / f"report.{fmt}").stat().st_size > 0
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_write_baseline_to_an_unwritable_place_is_exit_2_without_a_traceback(tmp_path: Path) -> None:
    for place, (target, reason) in _unwritable_places(tmp_path).items():
        out = cli("lint", str(SEED), "--write-baseline", str(target))
        assert out.exit_code == 2, (place, out.stderr)
        assert out.stderr.startswith(f"无法写入 {target}：{reason}"), (place, out.stderr)
    baseline = tmp_path / "baseline.json"
    out = cli("lint", str(SEED), "--write-baseline", str(baseline))
    assert out.exit_code in (0, 1) and json.loads(baseline.read_text(encoding="utf-8"))["format"] == \
        "perfrules-baseline/1"
