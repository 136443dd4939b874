"""Mutation testing of scoring/, plan/ and checks/ with mutmut (3.x), and the score per package.

Run it in a clone, never in a checkout other people work in: mutmut writes a `mutants/` copy of the
package next to pyproject.toml, and the runs take a while (each mutant runs the tests that reach it).

    git clone -q /path/to/perfrules /tmp/mut && cd /tmp/mut
    python -m venv .venv && .venv/bin/pip install -q -e '.[test]' mutmut
    .venv/bin/python bench/mutation.py                      # scoring, then plan, then checks
    .venv/bin/python bench/mutation.py scoring --max-children 2
    .venv/bin/python bench/mutation.py --names 'perfrules.plan.units.*' 'perfrules.checks.results.PR201.*'  # a sample
    .venv/bin/python bench/mutation.py --report-only --survivors   # the score of the last runs, and who survived

The settings (what is mutated, the fast test selection) are [tool.mutmut] in pyproject.toml. The
score is mutmut's, over the mutants checked so far: (killed + timeout) / (killed + timeout + survived
+ no tests + suspicious); `mutmut show NAME` prints one mutant's diff. bench/mutation.md has the figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

PACKAGES = ("scoring", "plan", "checks")

# mutmut's exit codes by meaning (mutmut/stats.py).
KILLED = {1, 3}
TIMEOUT = {36, -24, 24, 152, 255}  # out of time (SIGXCPU: CPU seconds, not wall time); mutmut counts them as killed
SURVIVED = {0}
NO_TESTS = {5, 33}
SKIPPED = {34, 37}  # skipped, caught by the type checker


def status(code: int | None) -> str:
    if code is None:
        return "not checked"
    if code in TIMEOUT:
        return "timeout"
    if code in KILLED:
        return "killed"
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no tests"
    if code in SKIPPED:
        return "skipped"
    return "suspicious"


def results(package: str, root: Path) -> dict[str, str]:
    """Every mutant of perfrules/PACKAGE and its status, from mutmut's meta files."""
    found: dict[str, str] = {}
    for meta in sorted((root / "mutants" / "perfrules" / package).rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        found.update((name, status(code)) for name, code in data["exit_code_by_key"].items())
    return found


def score(counts: Counter[str]) -> float | None:
    """mutmut's score over the mutants checked so far: (killed + timeout) / everything but skipped."""
    caught = counts["killed"] + counts["timeout"]
    tested = caught + counts["survived"] + counts["no tests"] + counts["suspicious"]
    return None if tested == 0 else 100 * caught / tested


def report(root: Path, packages: tuple[str, ...], survivors: bool) -> None:
    print(f"{'package':<10}{'mutants':>9}{'checked':>9}{'killed':>8}{'timeout':>9}{'survived':>10}{'no tests':>10}"
          f"{'other':>7}{'score':>9}")
    for package in packages:
        found = results(package, root)
        counts = Counter(found.values())
        other = counts["suspicious"] + counts["skipped"]
        value = score(counts)
        shown = "-" if value is None else f"{value:.1f}%"
        checked = len(found) - counts["not checked"]
        print(f"{package:<10}{len(found):>9}{checked:>9}{counts['killed']:>8}{counts['timeout']:>9}"
              f"{counts['survived']:>10}{counts['no tests']:>10}{other:>7}{shown:>9}")
        if survivors:
            for name, state in sorted(found.items()):
                if state in ("survived", "no tests", "suspicious"):
                    print(f"    {state:<10} {name}")


def run(package: str, names: list[str], max_children: int, root: Path) -> float:
    """`mutmut run` on one package's mutants (or those of its NAMES); its progress goes to mutants/mutmut-PACKAGE.log."""
    start = time.monotonic()
    mine = [n for n in names if n.startswith(f"perfrules.{package}.")] if names else [f"perfrules.{package}.*"]
    if not mine:
        return 0.0
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children), *mine]
    print("$", " ".join(command), flush=True)
    (root / "mutants").mkdir(exist_ok=True)
    with open(root / "mutants" / f"mutmut-{package}.log", "w", encoding="utf-8") as log:
        subprocess.run(command, check=False, stdout=log, stderr=subprocess.STDOUT)
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("packages", nargs="*", metavar="PACKAGE",
                        help=f"the packages under perfrules/ to mutate, in this order (default: {' '.join(PACKAGES)})")
    parser.add_argument("--max-children", type=int, default=1, help="mutants tested at once (the machine's cores)")
    parser.add_argument("--names", nargs="+", default=[], metavar="GLOB",
                        help="only these mutants (mutmut names, globs: perfrules.plan.units.*), for a sample")
    parser.add_argument("--report-only", action="store_true", help="print the score of the last runs, run nothing")
    parser.add_argument("--survivors", action="store_true", help="list the mutants that no test killed")
    args = parser.parse_args()
    root = Path.cwd()
    if not (root / "pyproject.toml").is_file() or "[tool.mutmut]" not in (root / "pyproject.toml").read_text("utf-8"):
        print("run this from the repository's root (pyproject.toml with [tool.mutmut])", file=sys.stderr)
        return 2
    packages = tuple(args.packages) or PACKAGES
    if unknown := [p for p in packages if p not in PACKAGES]:
        parser.error(f"unknown package {', '.join(unknown)}: choose from {', '.join(PACKAGES)}")
    if not args.report_only:
        for package in packages:
            seconds = run(package, args.names, args.max_children, root)
            print(f"  perfrules/{package}/: {seconds:.0f} s", flush=True)
    report(root, packages, args.survivors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
