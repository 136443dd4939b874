"""Cold start of `perfrules check` on the seed, paired against `python -c "import lark, click"` in one run.

The two commands are run alternately (so that a busy machine slows both alike), each as a whole process,
`--repeat` times; the medians and their ratio are printed (goal: at most 1.1x the anchor). perfrules'
caches (perfrules.cache: compiled patterns, settings files read, lark's parser) are warmed first: they are
not part of a cold start, being built once per installed version; `PERFRULES_NO_CACHE=1` times a run
without them. Run it with the Python of a venv where perfrules is installed with `pip install .`: an
editable install's .pth file slows every interpreter start, the anchor's too, and flatters the ratio.

    python bench/cold.py [--repeat 20] [--file SEED] [--path DIR ...]

`--path DIR` also times the perfrules found in DIR (e.g. an older checkout, `git archive REV perfrules | tar -x
-C DIR`), in the same alternation, for before/after figures on a busy machine.
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


def _perfrules_in(path: str) -> list[str]:
    """`perfrules` from the checkout at `path` (an editable install's finder comes before sys.path: taken out)."""
    return [sys.executable, "-c", "import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in "
            "type(f).__module__.lower()]; sys.path.insert(0, sys.argv[1]); del sys.argv[1]; "
            "from perfrules.cli import main; main()", path]


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--file", default=str(SEED))
    parser.add_argument("--path", action="append", default=[], help="also time the perfrules in this checkout")
    args = parser.parse_args(argv)
    anchor = [sys.executable, "-c", "import lark, click"]
    checks = {"installed": [*_perfrules(), "check", args.file]}
    checks.update((path, [*_perfrules_in(path), "check", args.file]) for path in args.path)
    for command in (anchor, *checks.values()):  # warm: bytecode, the parser cache, the file system
        _seconds(command)
    rows = [[_seconds(command) for command in (anchor, *checks.values())] for _ in range(args.repeat)]
    a = statistics.median(row[0] for row in rows)
    print(f"anchor  python -c 'import lark, click': median {a * 1000:6.1f} ms")
    for column, name in enumerate(checks, start=1):
        c = statistics.median(row[column] for row in rows)
        ratio = statistics.median(row[column] / row[0] for row in rows)
        verdict = "PASS" if c / a <= GOAL else "FAIL"
        print(f"perfrules check {Path(args.file).name} ({name}): median {c * 1000:6.1f} ms, ratio of medians "
              f"{c / a:.2f} (median of paired ratios {ratio:.2f}; goal <= {GOAL}: {verdict}; {args.repeat} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
