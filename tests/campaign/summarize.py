"""Group the failing runs a campaign logged (PERFRULES_CAMPAIGN_LOG=file.jsonl) into classes.

    python tests/campaign/summarize.py file.jsonl [--examples]

A class is the broken promise plus the command plus the exception's last traceback line with
numbers and quoted text blanked; each is shown with its smallest logged input.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import defaultdict


def signature(record: dict) -> str:  # type: ignore[type-arg]
    last = record.get("exception") or ""
    if record.get("traceback"):
        frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', record["traceback"])
        ours = [f"{path.split('/perfrules/')[-1]}:{func}" for path, _, func in frames if "/perfrules/" in path]
        where = ours[-1] if ours else (frames[-1][2] if frames else "")
        last = f"{last.split(':')[0]} at {where}"
    internal = re.search(r"内部错误[^：]*：(\w+)[:：]? ?([^。]*)", record["output"])
    if not last and internal:
        last = f"internal {internal.group(1)}: {re.sub(r'[0-9]+', 'N', internal.group(2))[:90]}"
    if not last and record["problem"] in ("unnamed", "unlocated"):
        first = next((line for line in record["output"].splitlines() if line.strip()), "")
        last = re.sub(r"[0-9]+", "N", first)[:80]
    command = record["args"][0] + (" --data" if "--data" in record["args"] else "") + (
        " --plan" if "--plan" in record["args"] else "")
    return f"{record['problem']} | {command} | {last}"


def main() -> None:
    classes: dict[str, list[dict]] = defaultdict(list)  # type: ignore[type-arg]
    if not os.path.exists(sys.argv[1]):
        print("no failing run was logged")
        return
    with open(sys.argv[1], encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            classes[signature(record)].append(record)
    for key, records in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(records):5d}  {key}")
        if "--examples" in sys.argv:
            small = min(records, key=lambda r: sum(len(v) for v in r["inputs"].values()))
            print("       args:", " ".join(small["args"]), small.get("label") or "")
            for name, text in small["inputs"].items():
                print(f"       {name}: {text[:300]!r}")
            print("       last:", small["last"] or small["output"][-300:].replace("\n", " | "))


if __name__ == "__main__":
    main()
