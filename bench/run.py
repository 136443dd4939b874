"""perfrules benchmarks: in-process parse/compile/evaluate of a large ruleset, and cold CLI start.

    /work/venv/bin/python bench/run.py                       # everything, defaults below
    python bench/run.py --indicators 10000 --repeat 5 --cold-repeat 10
    python bench/run.py --skip-cold --profile                # + cProfile of parse+compile
    python bench/run.py --json /tmp/bench.json --strict      # exit 1 when a goal is missed

Measures
  (a) in-process: perfrules.syntax.parse, perfrules.plan.compile.compile_document and
      perfrules.scoring.evaluate.evaluate on a generated ruleset (bench/generate.py),
      best and median of --repeat runs, each stage timed separately;
  (b) cold `perfrules check <seed>` as a subprocess (the venv's console script), best and
      median of --cold-repeat runs, the parser cache warm (built by an untimed first run),
      plus the `python -X importtime` top offenders and a stage breakdown of one cold run;
  (c) the same with the parser cache disabled (PERFRULES_NO_CACHE=1).

Goals (2-core machine): 10,000 indicators parse+compile < 0.5 s (best run);
cold `perfrules check` on the seed < 150 ms (median).

The parser cache goes to a temporary XDG_CACHE_HOME unless --cache-dir is given, so the
benchmark never reads or writes the user's own ~/.cache/perfrules.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

SEED_FILE = ROOT / "rulesets" / "examples" / "retiree-services-2023.perf"
GOAL_PARSE_COMPILE = 0.5  # seconds, 10k indicators, best run
GOAL_COLD_CHECK = 0.150  # seconds, median

# One cold run, timed stage by stage inside the child process (printed as JSON).
STAGES_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
import perfrules.cli
t1 = time.perf_counter()
from perfrules import pipeline
from perfrules.syntax import parser as _p
from perfrules.plan import compile as _c
t2 = time.perf_counter()
t3 = time.perf_counter()
run = pipeline.compile_file(sys.argv[1])  # the fast path reads every line of the seed: lark is never loaded
t4 = time.perf_counter()
stages = {"import perfrules.cli (click, ...)": t1 - t0,
          "import syntax + plan (dataclasses)": t2 - t1,
          "read + parse + compile seed": t4 - t3,
          "lark loaded": float("lark" in sys.modules)}
if hasattr(pipeline, "check_run"):  # `perfrules check` also runs the static checks
    pipeline.check_run(run, families=frozenset({"static"}))
    stages["static checks (import + run)"] = time.perf_counter() - t4
print(json.dumps(stages))
"""


# --------------------------------------------------------------------------- helpers


def stats(samples: list[float]) -> dict[str, float]:
    return {"best": min(samples), "median": statistics.median(samples), "worst": max(samples), "n": len(samples)}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"


def table(title: str, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    print(f"\n{title}")
    print(fmt(header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(fmt(row))


def goal(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# --------------------------------------------------------------------------- (a) in-process


def bench_inprocess(n: int, repeat: int, seed: int, gc_off: bool, file: Path | None,
                    with_checks: bool = True) -> dict[str, Any]:
    from perfrules.plan.compile import compile_document
    from perfrules.scoring.evaluate import evaluate
    from perfrules.syntax import parse
    from perfrules.syntax.parser import lark_parser

    start = time.perf_counter()
    if file is not None:
        text, name = file.read_text(encoding="utf-8"), str(file)
    else:
        text, name = generate(n, seed), f"<generated {n}>"
    generated = time.perf_counter() - start

    start = time.perf_counter()
    lark_parser()  # build or load the LALR parser once; not part of the per-file cost
    parser_load = time.perf_counter() - start

    parse_t: list[float] = []
    compile_t: list[float] = []
    both_t: list[float] = []
    eval_t: list[float] = []
    static_t: list[float] = []
    lint_t: list[float] = []
    findings = (0, 0, 0)
    indicators = 0
    for _ in range(repeat):
        gc.collect()
        if gc_off:
            gc.disable()
        try:
            t0 = time.perf_counter()
            doc, f1 = parse(text, name)
            t1 = time.perf_counter()
            plan, f2 = compile_document(doc)
            t2 = time.perf_counter()
            result = evaluate(plan)
            t3 = time.perf_counter()
        finally:
            gc.enable()
        parse_t.append(t1 - t0)
        compile_t.append(t2 - t1)
        both_t.append(t2 - t0)
        eval_t.append(t3 - t2)
        if with_checks:
            checked = time_checks(plan, result, text, name, gc_off)
            if checked is not None:
                static_t.append(checked[0])
                lint_t.append(checked[1])
        findings = (len(f1), len(f2), len(result.findings))
        indicators = sum(1 for _ in plan.indicators())
        del doc, plan, result
    return {
        "indicators": indicators, "lines": text.count("\n"), "bytes": len(text.encode()),
        "generate_s": generated, "parser_load_s": parser_load, "gc_off": gc_off,
        "findings": {"parse": findings[0], "compile": findings[1], "evaluate": findings[2]},
        "parse": stats(parse_t), "compile": stats(compile_t), "parse+compile": stats(both_t),
        "evaluate": stats(eval_t),
        **({"checks (static, as check)": stats(static_t), "checks (all, as lint)": stats(lint_t)} if static_t else {}),
    }


def time_checks(plan: Any, result: Any, text: str, name: str, gc_off: bool) -> tuple[float, float] | None:
    """The validator's checks as `perfrules check` (static) and `perfrules lint` (all) run them."""
    from perfrules import pipeline

    check_run = getattr(pipeline, "check_run", None)
    if check_run is None:
        return None
    lines = text.splitlines()
    times = []
    for families, scored in ((frozenset({"static"}), None), (None, result)):
        gc.collect()
        if gc_off:
            gc.disable()
        try:
            t0 = time.perf_counter()
            check_run(pipeline.Run(name, plan=plan, result=scored, source=lines), families=families)
            times.append(time.perf_counter() - t0)
        finally:
            gc.enable()
    return times[0], times[1]


def profile_inprocess(n: int, seed: int, top: int) -> None:
    import cProfile
    import io
    import pstats

    from perfrules.plan.compile import compile_document
    from perfrules.syntax import parse
    from perfrules.syntax.parser import lark_parser

    text = generate(n, seed)
    lark_parser()
    # With the collector on, its pauses are charged to whatever function happens to allocate
    # (str.join, a dict() call, ...); profile without it and read its cost from --gc both.
    gc.collect()
    gc.disable()
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        doc, _ = parse(text, "<generated>")
        compile_document(doc)
        profiler.disable()
    finally:
        gc.enable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        body = out.getvalue()
        print(f"\ncProfile of parse + compile_document, {n} indicators, gc off, top {top} by {order}:")
        print(body[body.find("   ncalls"):].rstrip())


# --------------------------------------------------------------------------- (b), (c) cold CLI


def child_env(cache_dir: Path, no_cache: bool) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(cache_dir)
    env.pop("PERFRULES_NO_CACHE", None)
    if no_cache:
        env["PERFRULES_NO_CACHE"] = "1"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed_runs(cmd: list[str], env: dict[str, str], runs: int, check_rc: bool = True) -> list[float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True)
        samples.append(time.perf_counter() - t0)
        if check_rc and proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr.decode(errors='replace')}")
    return samples


def importtime(cmd: list[str], env: dict[str, str], runs: int = 3) -> list[dict[str, Any]]:
    """`python -X importtime` of cmd: per module the smallest self/cumulative µs over `runs` runs."""
    best: dict[str, dict[str, Any]] = {}
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-X", "importtime", *cmd], env=env, cwd=ROOT,
                              capture_output=True, text=True)
        for line in proc.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_part, cumulative, name = line.split(":", 1)[1].split("|", 2)
            self_us = int(self_part)
            depth = (len(name) - len(name.lstrip())) // 2
            module = name.strip()
            entry = {"module": module, "self_us": self_us, "cumulative_us": int(cumulative), "depth": depth}
            if module not in best:
                best[module] = entry
            else:
                best[module]["self_us"] = min(best[module]["self_us"], self_us)
                best[module]["cumulative_us"] = min(best[module]["cumulative_us"], int(cumulative))
    return list(best.values())


def stage_breakdown(env: dict[str, str], seed_file: Path, runs: int = 5) -> dict[str, float]:
    samples: list[dict[str, float]] = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-c", STAGES_SCRIPT, str(seed_file)], env=env, cwd=ROOT,
                              capture_output=True, text=True, check=True)
        samples.append(json.loads(proc.stdout))
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def bench_cold(script: Path, seed_file: Path, runs: int, cache_dir: Path) -> dict[str, Any]:
    cmd = [str(script), "check", str(seed_file)]
    out: dict[str, Any] = {"command": " ".join(cmd)}
    floor_env = child_env(cache_dir, False)
    out["python -c pass"] = stats(timed_runs([sys.executable, "-c", "pass"], floor_env, runs))
    for label, no_cache in (("cache", False), ("no-cache", True)):
        env = child_env(cache_dir, no_cache)
        first = timed_runs(cmd, env, 1)[0]  # builds the parser cache (cache) / warms .pyc and the OS
        samples = timed_runs(cmd, env, runs)
        out[label] = {"first_run_s": first, **stats(samples), "stages": stage_breakdown(env, seed_file)}
    out["importtime"] = importtime(cmd, child_env(cache_dir, False))
    return out


# --------------------------------------------------------------------------- report


def report(inproc: list[dict[str, Any]], cold: dict[str, Any] | None, top: int) -> bool:
    ok = True
    print(f"perfrules bench · Python {platform.python_version()} · lark {lark_version()} · "
          f"{os.cpu_count()} CPU · {platform.machine()} {platform.system()}")
    for a in inproc:
        rows = []
        for key in ("parse", "compile", "parse+compile", "evaluate", "checks (static, as check)",
                    "checks (all, as lint)"):
            if key not in a:
                continue
            s = a[key]
            rows.append((key, ms(s["best"]), ms(s["median"]), ms(s["worst"])))
        passed = a["parse+compile"]["best"] < GOAL_PARSE_COMPILE
        judged = a["indicators"] == 10000 and not a["gc_off"]  # the goal: 10k indicators, run as the CLI runs
        ok &= passed or not judged
        title = (f"(a) in-process, {a['indicators']} indicators, {a['lines']} lines, {a['bytes'] / 1e6:.2f} MB, "
                 f"{a['parse']['n']} runs{' (gc off)' if a['gc_off'] else ''}; parser build {a['parser_load_s'] * 1000:.1f} ms, "
                 f"findings parse/compile/eval = {a['findings']['parse']}/{a['findings']['compile']}/"
                 f"{a['findings']['evaluate']}")
        table(title, rows, ("stage", "best", "median", "worst"))
        per = a["parse+compile"]["best"] / max(a["indicators"], 1) * 1e6
        verdict = goal(passed) if judged else "not judged (" + (
            "gc off" if a["gc_off"] else "the goal is set for 10,000 indicators") + ")"
        print(f"goal: 10,000 indicators parse+compile < {GOAL_PARSE_COMPILE * 1000:.0f} ms (best) -> {verdict}"
              f"  ({per:.1f} µs per indicator)")
    if cold is not None:
        rows = [("python -c pass (interpreter floor)", ms(cold["python -c pass"]["best"]),
                 ms(cold["python -c pass"]["median"]), "")]
        for label, name in (("cache", "(b) perfrules check, parser cache"), ("no-cache", "(c) PERFRULES_NO_CACHE=1")):
            c = cold[label]
            rows.append((name, ms(c["best"]), ms(c["median"]), ms(c["first_run_s"])))
        table(f"cold CLI: {cold['command']} ({cold['cache']['n']} runs each)", rows,
              ("run", "best", "median", "first run"))
        passed = cold["cache"]["median"] < GOAL_COLD_CHECK
        ok &= passed
        print(f"goal: cold check < {GOAL_COLD_CHECK * 1000:.0f} ms (median, cache on) -> {goal(passed)}; "
              f"without cache -> {goal(cold['no-cache']['median'] < GOAL_COLD_CHECK)}")
        stage_rows = []
        for key in cold["cache"]["stages"]:
            stage_rows.append((key, ms(cold["cache"]["stages"][key]), ms(cold["no-cache"]["stages"][key])))
        table("one cold run by stage (median of 5, in the child process)", stage_rows, ("stage", "cache", "no cache"))
        mods = cold["importtime"]
        total = sum(m["self_us"] for m in mods)
        print(f"\npython -X importtime (cache on): {len(mods)} modules, {total / 1000:.1f} ms self time in all")
        rows = [(m["module"], f"{m['self_us'] / 1000:.1f} ms", f"{m['cumulative_us'] / 1000:.1f} ms")
                for m in sorted(mods, key=lambda m: -m["cumulative_us"]) if m["depth"] == 0][:top]
        table(f"top-level imports by cumulative time (top {top})", rows, ("module", "self", "cumulative"))
        rows = [(m["module"], f"{m['self_us'] / 1000:.1f} ms", f"{m['cumulative_us'] / 1000:.1f} ms")
                for m in sorted(mods, key=lambda m: -m["cumulative_us"])
                if "." not in m["module"] and m["module"] != "perfrules" and m["depth"] > 0][:top]
        table(f"packages pulled in by perfrules, by cumulative time (top {top})", rows, ("package", "self", "cumulative"))
        rows = [(m["module"], f"{m['self_us'] / 1000:.1f} ms", f"{m['cumulative_us'] / 1000:.1f} ms")
                for m in sorted(mods, key=lambda m: -m["self_us"])][:top]
        table(f"modules by self time (top {top})", rows, ("module", "self", "cumulative"))
    return ok


def lark_version() -> str:
    try:
        import lark

        return str(lark.__version__)
    except ImportError:
        return "?"


def find_script(given: str | None) -> Path:
    if given:
        return Path(given)
    candidate = Path(sys.executable).parent / "perfrules"
    if candidate.exists():
        return candidate
    found = shutil.which("perfrules")
    if not found:
        raise SystemExit("cannot find the perfrules console script; pass --perfrules PATH")
    return Path(found)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="perfrules benchmarks / 性能基准")
    ap.add_argument("--indicators", "-n", type=int, default=10000, help="generated indicators (default 10000)")
    ap.add_argument("--repeat", "-r", type=int, default=5, help="in-process runs (default 5)")
    ap.add_argument("--cold-repeat", type=int, default=10, help="subprocess runs per variant (default 10)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    ap.add_argument("--file", type=Path, help="benchmark this .perf file in-process instead of a generated one")
    ap.add_argument("--seed-file", type=Path, default=SEED_FILE, help="file for the cold check (default: the seed)")
    ap.add_argument("--perfrules", help="console script to run (default: next to this python)")
    ap.add_argument("--cache-dir", type=Path, help="XDG_CACHE_HOME for the runs (default: a temporary directory)")
    ap.add_argument("--gc", choices=["on", "off", "both"], default="on",
                    help="garbage collector while timing (a): on (as the CLI runs), off, or both (default on)")
    ap.add_argument("--skip-inprocess", action="store_true", help="skip (a)")
    ap.add_argument("--skip-cold", action="store_true", help="skip (b) and (c)")
    ap.add_argument("--skip-checks", action="store_true", help="do not time the validator's checks in (a)")
    ap.add_argument("--profile", action="store_true", help="also print a cProfile of parse+compile")
    ap.add_argument("--top", type=int, default=15, help="rows in profile / importtime tables (default 15)")
    ap.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = ap.parse_args(argv)

    temp = None
    if args.cache_dir is None:
        # separate empty caches, so that the first CLI run really builds the parser cache
        temp = tempfile.TemporaryDirectory(prefix="perfrules-bench-")
        inproc_cache, cli_cache = Path(temp.name) / "inprocess", Path(temp.name) / "cli"
    else:
        inproc_cache = cli_cache = args.cache_dir
    os.environ["XDG_CACHE_HOME"] = str(inproc_cache)  # the in-process parser cache
    try:
        modes = {"on": [False], "off": [True], "both": [False, True]}[args.gc]
        inproc = [] if args.skip_inprocess else [
            bench_inprocess(args.indicators, args.repeat, args.seed, gc_off, args.file, not args.skip_checks)
            for gc_off in modes]
        cold = None if args.skip_cold else bench_cold(find_script(args.perfrules), args.seed_file.resolve(),
                                                      args.cold_repeat, cli_cache)
        ok = report(inproc, cold, args.top)
        if args.profile:
            profile_inprocess(args.indicators, args.seed, args.top)
        if args.json:
            args.json.write_text(json.dumps({"inprocess": inproc, "cold": cold, "goals_met": ok}, ensure_ascii=False,
                                            indent=1), encoding="utf-8")
    finally:
        if temp is not None:
            temp.cleanup()
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
