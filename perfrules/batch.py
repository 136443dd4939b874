"""Evaluate many rule files: one summary row per project, sorted by risk, memory flat in the count.

Each file is analysed on its own (in worker processes when there are many) and only its
summary row is kept, so 10,000 projects cost what one does, plus one small row each.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from perfrules import pipeline

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
COLUMNS = ("file", "ruleset", "total", "grade", "errors", "warnings", "infos", "worst_code", "worst_message", "status")
HEADERS_ZH = ("文件", "项目", "总分", "等级", "错误", "警告", "提示", "最严重问题", "说明", "状态")


@dataclass(frozen=True)
class Summary:
    file: str
    ruleset: str
    total: str  # as printed ("91.23"); "" when the file could not be evaluated
    grade: str
    errors: int
    warnings: int
    infos: int
    worst_code: str
    worst_message: str
    status: str  # "ok", "findings" or "invalid"

    def risk(self) -> tuple[int, int, int, float, str]:
        """Invalid input first, then the most errors, the most warnings, the lowest total."""
        total = float(self.total) if self.total else -1.0
        return (0 if self.status == "invalid" else 1, -self.errors, -self.warnings, total, self.file)


def summarise(job: tuple[str, str | None, str]) -> Summary:
    """Analyse one file (path, data file or None, language) into its summary row; never raises."""
    path, data, lang = job
    try:
        return _summarise(path, data, lang)
    except Exception as error:  # one broken project must not end a run of thousands: it is reported as invalid
        return Summary(path, "", "", "", 1, 0, 0, "PR000", f"perfrules 内部错误（请报告）：{type(error).__name__}: {error}",
                       "invalid")


def _summarise(path: str, data: str | None, lang: str) -> Summary:
    run = pipeline.analyse(path, data)
    findings = run.sorted_findings()
    counts = {level: sum(1 for f in findings if f.severity.value == level) for level in SEVERITY_ORDER}
    worst = min(findings, key=lambda f: (SEVERITY_ORDER[f.severity.value], f.code), default=None)
    result = run.result
    status = "invalid" if run.blocked else ("findings" if pipeline.eval_failed(findings) else "ok")
    return Summary(
        file=path,
        ruleset=result.ruleset if result else (run.plan.name if run.plan else ""),
        total=f"{result.total:f}" if result else "",
        grade=result.grade if result else "",
        errors=counts["error"], warnings=counts["warning"], infos=counts["info"],
        worst_code=worst.code if worst else "",
        worst_message=worst.message(lang) if worst else "",
        status=status,
    )


def run_batch(files: list[Path], data_for: dict[str, str | None], lang: str, jobs: int = 0) -> Iterator[Summary]:
    """Summaries in the order the files finish; `jobs` 0 means one worker per core when there are many files."""
    work = [(str(f), data_for.get(str(f)), lang) for f in files]
    workers = jobs or (os.cpu_count() or 1)
    if workers <= 1 or len(work) < 40:
        for job in work:
            yield summarise(job)
        return
    import multiprocessing

    with multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn").Pool(workers) as pool:
        yield from pool.imap_unordered(summarise, work, chunksize=16)


def write_summary(rows: list[Summary], path: Path, lang: str) -> None:
    rows = sorted(rows, key=Summary.risk)
    suffix = path.suffix.lower()
    headers = HEADERS_ZH if lang != "en" else COLUMNS
    if suffix == ".json":
        path.write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    elif suffix == ".csv":
        import csv

        with path.open("w", encoding="utf-8-sig", newline="") as handle:  # with a BOM so Excel reads the Chinese
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows([getattr(r, c) for c in COLUMNS] for r in rows)
    elif suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("汇总" if lang != "en" else "summary")
        sheet.append(list(headers))
        for r in rows:
            sheet.append([float(r.total) if c == "total" and r.total else getattr(r, c) for c in COLUMNS])
        book.save(path)
    else:
        raise ValueError(f"不支持的汇总格式 {suffix}：请用 .csv、.xlsx 或 .json")
