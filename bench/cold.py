"""Cold start of `perfrules check` on the seed, paired against `python -c "import lark, click"` in one run.

The two commands are run alternately (so that a busy machine slows both alike), each as a whole process,
`--repeat` times; the medians and their ratio are printed (goal: at most 1.1x the anchor). The parser
cache is warmed first (it is not part of a cold start: it is built once per installed version).

    python bench/cold.py [--repeat 20] [--file SEED]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "rulesets" / "examples" / "retiree-services-2023.perf"
GOAL = 1.1


def _perfrules() -> list[str]:
    script = Path(sys.executable).with_name("perfrules")
    return [str(script)] if script.exists() else [sys.executable, "-m", "perfrules"]


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--file", default=str(SEED))
    args = parser.parse_args(argv)
    anchor = [sys.executable, "-c", "import lark, click"]
    check = [*_perfrules(), "check", args.file]
    for command in (anchor, check):  # warm: bytecode, the parser cache, the file system
        _seconds(command)
    pairs = [(_seconds(anchor), _seconds(check)) for _ in range(args.repeat)]
    a = statistics.median(p[0] for p in pairs)
    c = statistics.median(p[1] for p in pairs)
    ratio = statistics.median(p[1] / p[0] for p in pairs)
    verdict = "PASS" if c / a <= GOAL else "FAIL"
    print(f"anchor  python -c 'import lark, click': median {a * 1000:6.1f} ms")
    print(f"perfrules check {Path(args.file).name}: median {c * 1000:6.1f} ms")
    print(f"ratio of medians {c / a:.2f} (median of paired ratios {ratio:.2f}; goal <= {GOAL}: {verdict}; "
          f"{args.repeat} pairs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
