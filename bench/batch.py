"""Batch evaluation: `perfrules eval DIR --summary s.csv` over N generated projects (actuals inline).

Goal (2-core machine): 10,000 projects in under 60 s, with memory that does not grow with the
number of projects (peak RSS of the run is printed for two sizes to compare).

    python bench/batch.py [--projects 10000] [--compare 1000]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def make_projects(folder: Path, count: int) -> None:
    from generate import generate

    rules = folder / "rules"
    rules.mkdir(parents=True)
    template = generate(24, 0)  # a project the size of a real self-evaluation form
    for index in range(count):
        (rules / f"project-{index:05d}.perf").write_text(template.replace("year 2023", f"year {2000 + index % 24}"),
                                                         encoding="utf-8")


def run(count: int, perfrules: str) -> tuple[float, float]:
    folder = Path(tempfile.mkdtemp(prefix="perfrules-batch-"))
    try:
        make_projects(folder, count)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run([perfrules, "eval", str(folder / "rules"), "--summary", str(folder / "summary.csv")],
                              capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if done.returncode not in (0, 1):
            print(done.stderr[-2000:], file=sys.stderr)
            raise SystemExit(2)
        return elapsed, max(peak, before) / 1024
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=10000)
    parser.add_argument("--compare", type=int, default=1000, help="a smaller run to compare memory with")
    parser.add_argument("--perfrules", default=str(Path(sys.executable).parent / "perfrules"))
    args = parser.parse_args(argv)
    for count in sorted({args.compare, args.projects}):
        elapsed, peak = run(count, args.perfrules)
        verdict = "" if count != args.projects else f"  (goal < 60 s: {'PASS' if elapsed < 60 else 'FAIL'})"
        print(f"{count:>6} projects: {elapsed:6.1f} s, {elapsed / count * 1000:5.2f} ms each, "
              f"peak RSS of the largest process {peak:6.1f} MB{verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
