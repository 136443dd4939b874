"""Language-server latency: the time from a change to the diagnostics being ready, server-side.

Measures what the server does on every `didChange`: analyse the document (parse, compile,
evaluate, check) and convert the findings into LSP diagnostics. Goals (2-core machine): the seed
example within 50 ms, a 2,000-indicator file within 500 ms.

    python bench/lsp_latency.py [--indicators 2000] [--repeat 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
SEED = ROOT / "rulesets" / "examples" / "retiree-services-2023.perf"


def latency(text: str, file: str, repeat: int) -> list[float]:
    from perfrules.lsp import analysis
    from perfrules.lsp.server import diagnostic

    analysis.analyse(text, file)  # the first change after start-up builds the parser: not counted
    times = []
    for index in range(repeat):
        edited = text + f"\n# edit {index}\n"  # every change is a new text, as when typing
        start = time.perf_counter()
        result = analysis.analyse(edited, file)
        lines = result.lines
        [diagnostic(f, lines, "zh") for f in result.findings()]
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    from generate import generate

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indicators", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    rows = [("seed example", SEED.read_text(encoding="utf-8"), 0.050),
            (f"{args.indicators} indicators", generate(args.indicators, 0), 0.500)]
    for name, text, goal in rows:
        times = latency(text, "bench.perf", args.repeat)
        best, median = min(times), statistics.median(times)
        verdict = "PASS" if median < goal else "FAIL"
        print(f"{name:>18}: best {best * 1000:6.1f} ms  median {median * 1000:6.1f} ms  "
              f"(goal < {goal * 1000:.0f} ms: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
