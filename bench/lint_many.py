"""Lint many rule files of the seed's size: `perfrules lint DIR` over N copies, wall time.

Goal (2-core machine): 1,000 files in under 10 s. Each copy gets its own name and a small
change so that nothing is shared between files but the parser.

    python bench/lint_many.py [--files 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "rulesets" / "examples" / "retiree-services-2023.perf"


def make_corpus(folder: Path, files: int) -> None:
    text = SEED.read_text(encoding="utf-8")
    for index in range(files):
        variant = text.replace("= 87411 人", f"= {87000 + index} 人").replace("year 2023", f"year {2000 + index % 30}")
        (folder / f"project-{index:05d}.perf").write_text(variant, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--perfrules", default=str(Path(sys.executable).parent / "perfrules"))
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="perfrules-lint-"))
    try:
        make_corpus(folder, args.files)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            done = subprocess.run([args.perfrules, "lint", str(folder), "--format", "json", "-o", str(folder / "out.json")],
                                  capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if done.returncode not in (0, 1):
                print(done.stderr, file=sys.stderr)
                return 2
        best, median = min(times), statistics.median(times)
        verdict = "PASS" if best < 10 else "FAIL"
        print(f"lint {args.files} files of the seed's size: best {best:.2f} s, median {median:.2f} s "
              f"(goal < 10 s: {verdict}); {best / args.files * 1000:.1f} ms per file")
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
