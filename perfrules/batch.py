"""Evaluate many rule files: one summary row per project, sorted by risk, memory flat in the count.

Each file is analysed on its own in a worker process and only its summary row is kept, so
10,000 projects cost what one does, plus one small row each. A worker that dies or hangs costs
only its own project (an invalid row); the summary is written whole or not at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfrules import limits, pipeline
from perfrules.gcpause import collect_when_grown

if TYPE_CHECKING:
    from perfrules.history.model import History

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
COLUMNS = ("file", "ruleset", "total", "grade", "errors", "warnings", "infos", "worst_code", "worst_message", "status")
HEADERS_ZH = ("文件", "项目", "总分", "等级", "错误", "警告", "提示", "最严重问题", "说明", "状态")
# Written to the CSV and XLSX summaries only when some project has history (a `history` block in its rule file).
TRAIL_COLUMNS = ("trail_indicator", "trail_target", "trail_year", "trail_actual", "trail_gap")
TRAIL_HEADERS_ZH = ("目标低于历史最多的指标", "目标", "上年", "上年实际", "目标低于上年实际的比例")


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
    execution: str = ""  # 预算执行率 as a ratio ("0.0252"), "" when the ruleset gives no budget figures
    over_indicator: str = ""  # the indicator most over-completed (a target likely set too low)
    over_completion: str = ""  # its completion as a ratio ("3" is 300%)
    over_target: str = ""
    over_actual: str = ""
    # With history: the indicator whose target trails last year's actual most (as PR401 compares them), its
    # target, that year, that year's actual (in the current unit) and how far the target trails it, as a ratio
    # of that actual ("0.6": 4 场 against 10 场).
    trail_indicator: str = ""
    trail_target: str = ""
    trail_year: str = ""
    trail_actual: str = ""
    trail_gap: str = ""

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
    extra: dict[str, str] = {}
    if result is not None and run.plan is not None:
        from perfrules.scoring.budget import budget_facts, execution_rate

        rate = execution_rate(budget_facts(run.plan, result))
        extra["execution"] = f"{rate:f}" if rate is not None else ""
        over = max((i for i in result.indicators() if i.completion is not None and i.completion > 1),
                   key=lambda i: i.completion or 0, default=None)
        if over is not None:
            extra.update(over_indicator=over.name, over_completion=f"{over.completion:f}",
                         over_target=over.target, over_actual=over.actual_text)
    extra.update(_trailing(run.history))
    return Summary(
        file=path,
        ruleset=result.ruleset if result else (run.plan.name if run.plan else ""),
        total=f"{result.total:f}" if result else "",
        grade=result.grade if result else "",
        errors=counts["error"], warnings=counts["warning"], infos=counts["info"],
        worst_code=worst.code if worst else "",
        worst_message=worst.message(lang) if worst else "",
        status=status,
        **extra,
    )


def _trailing(history: History | None) -> dict[str, str]:
    """The trail_* fields of a project with history: its indicator whose target trails last year's actual most.

    A `>=` indicator trails when its target is below last year's actual, a `<=` one when above it (`=` never);
    the gap is relative to that actual, so indicators in different units compare. None trailing: no fields.
    """
    from perfrules.history.model import show

    if history is None:
        return {}
    best: tuple[Decimal, dict[str, str]] | None = None
    for series in history.series:
        last = series.last()
        if last is None or last.actual is None or series.target is None or series.comparator == "=" or not last.actual:
            continue
        gap = (last.actual - series.target) if series.positive else (series.target - last.actual)
        if gap <= 0:
            continue
        ratio = (gap / abs(last.actual)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        if best is None or ratio > best[0]:
            best = (ratio, {"trail_indicator": series.name,
                            "trail_target": f"{series.comparator} {show(series.target, series.unit)}",
                            "trail_year": str(last.year), "trail_actual": show(last.actual, series.unit),
                            "trail_gap": f"{ratio.normalize():f}"})
    return best[1] if best is not None else {}


# What the batch says of a project whose worker did not give a row (Chinese, English).
WORKER_DIED = ("评分进程意外退出（{how}），该项目未能评分", "the scoring process ended unexpectedly ({how})")
TIMED_OUT = ("评分超时（超过 {seconds} 秒），该项目未能评分", "scoring took longer than {seconds} s")

IN_FLIGHT = 8
"""Jobs handed to one worker at a time: the next is ready when one finishes (the culprit of a death is the first)."""


def run_batch(files: Sequence[str], data_for: dict[str, str | None], lang: str, jobs: int = 0,
              timeout: float = limits.PROJECT_SECONDS) -> Iterator[Summary]:
    """Summaries in the order the projects finish, one for every file, whatever happens to the workers.

    Each project is scored in a worker process (`jobs` of them; 0 is one per core). A worker that
    dies (killed, crashed) or takes longer than `timeout` seconds on one project is ended and
    replaced; that project becomes an invalid row and the others go on.
    """
    work = [(str(f), data_for.get(str(f)), lang) for f in files]
    if not work:
        return
    pool = _Pool(min(jobs or (os.cpu_count() or 1), len(work)), timeout, lang)
    try:
        yield from pool.run(work)
    finally:
        pool.close()


Job = tuple[str, str | None, str]


@dataclass
class _Worker:
    process: Any  # multiprocessing.process.BaseProcess
    conn: Any  # multiprocessing.connection.Connection
    jobs: deque[Job]
    started: float = 0.0  # when the first job in `jobs` began (the previous one's answer arrived)


class _Pool:
    """Worker processes, each with a pipe; the parent waits on the pipes, the processes and the clock."""

    def __init__(self, size: int, timeout: float, lang: str) -> None:
        import multiprocessing

        self.context: Any = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        self.size, self.timeout, self.lang = size, timeout, lang
        self.workers: list[_Worker] = []

    def run(self, work: list[Job]) -> Iterator[Summary]:
        from multiprocessing.connection import wait

        pending = deque(work)
        while len(self.workers) < min(self.size, len(pending)):
            self.workers.append(self._start())
        while pending or any(w.jobs for w in self.workers):
            for worker in self.workers:
                while pending and len(worker.jobs) < IN_FLIGHT:
                    self._give(worker, pending.popleft())
            busy = [w for w in self.workers if w.jobs]
            now = time.monotonic()
            first_deadline = min(w.started + self.timeout for w in busy)
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], max(0.0, first_deadline - now))
            for worker in busy:
                rows, lost = self._collect(worker)
                yield from rows
                if lost is not None:
                    pending.extendleft(reversed(worker.jobs))  # the jobs after the culprit: to another worker
                    worker.jobs.clear()
                    yield lost
                    self._replace(worker)

    def _give(self, worker: _Worker, job: Job) -> None:
        if not worker.jobs:
            worker.started = time.monotonic()
        worker.jobs.append(job)
        with contextlib.suppress(OSError):  # a worker that is gone is found by _collect
            worker.conn.send(job)

    def _collect(self, worker: _Worker) -> tuple[list[Summary], Summary | None]:
        """The rows a worker has finished, and the error row of its first job if it died or ran out of time."""
        rows: list[Summary] = []
        try:
            while worker.jobs and worker.conn.poll():
                rows.append(worker.conn.recv())
                worker.jobs.popleft()
                worker.started = time.monotonic()
        except (EOFError, OSError):
            return rows, self._error_row(worker.jobs.popleft(), self._how(worker))
        if not worker.jobs:
            return rows, None
        if worker.process.exitcode is not None:
            return rows, self._error_row(worker.jobs.popleft(), self._how(worker))
        if time.monotonic() - worker.started >= self.timeout:
            worker.process.kill()
            worker.process.join()
            seconds = f"{self.timeout:g}"
            job = worker.jobs.popleft()
            return rows, self._row(job, TIMED_OUT, seconds=seconds)
        return rows, None

    def _how(self, worker: _Worker) -> str:
        worker.process.join(1)
        code = worker.process.exitcode
        if code is None:
            worker.process.kill()
            worker.process.join()
            return "无退出码" if self.lang != "en" else "no exit status"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            return f"信号 {name}" if self.lang != "en" else f"signal {name}"
        return f"退出码 {code}" if self.lang != "en" else f"exit status {code}"

    def _error_row(self, job: Job, how: str) -> Summary:
        return self._row(job, WORKER_DIED, how=how)

    def _row(self, job: Job, message: tuple[str, str], **args: str) -> Summary:
        text = (message[1] if self.lang == "en" else message[0]).format(**args)
        return Summary(job[0], "", "", "", 1, 0, 0, "PR000", text, "invalid")

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child,), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent, deque())

    def _replace(self, worker: _Worker) -> None:
        worker.conn.close()
        fresh = self._start()
        worker.process, worker.conn, worker.jobs = fresh.process, fresh.conn, fresh.jobs

    def close(self) -> None:
        """Stop every worker: asked first, ended if it does not stop at once (a generator left early)."""
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in self.workers:
            worker.process.join(0.5 if not worker.jobs else 0)
            if worker.process.exitcode is None:
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers = []


def _serve(conn: Any) -> None:
    """A worker: score the jobs that come down the pipe, one row back for each, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which ends the workers
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(summarise(job))
        collect_when_grown()  # a worker lives for many projects: clear the garbage cycles their stages left


SUMMARY_SUFFIXES = (".csv", ".xlsx", ".json", ".html")


def write_summary(rows: list[Summary], path: Path, lang: str, as_of: date | None = None) -> None:
    """The summary file, sorted by risk, written whole or not at all (raises OSError when it cannot be).

    `.html` is the portfolio dashboard; `as_of` gives it traffic lights of execution against time progress.
    """
    from perfrules.outputs import atomic_path, write_atomic

    rows = sorted(rows, key=Summary.risk)
    suffix = path.suffix.lower()
    if suffix not in SUMMARY_SUFFIXES:
        raise ValueError(f"不支持的汇总格式 {suffix}：请用 .csv、.xlsx、.json 或 .html")
    if suffix == ".html":
        from perfrules.render.dashboard import render_dashboard

        write_atomic(path, render_dashboard(rows, lang, as_of), "utf-8")
        return
    if suffix != ".xlsx":
        write_atomic(path, summary_text(rows, suffix, lang), "utf-8-sig" if suffix == ".csv" else "utf-8")
        return
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("汇总" if lang != "en" else "summary")
    columns, headers = _columns(rows, lang)
    sheet.append(list(headers))
    for r in rows:
        sheet.append([float(r.total) if c == "total" and r.total else getattr(r, c) for c in columns])
    with atomic_path(path) as temporary:
        book.save(temporary)


def summary_text(rows: list[Summary], suffix: str, lang: str) -> str:
    """The summary as JSON (for .json) or CSV (otherwise; the CSV file adds a BOM so Excel reads the Chinese)."""
    if suffix == ".json":
        return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1) + "\n"
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns, headers = _columns(rows, lang)
    writer.writerow(headers)
    writer.writerows([getattr(r, c) for c in columns] for r in rows)
    return buffer.getvalue()


def _columns(rows: list[Summary], lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The CSV/XLSX columns and their headers: the trail_* ones only when some project has history."""
    trail = any(r.trail_indicator for r in rows)
    columns = COLUMNS + (TRAIL_COLUMNS if trail else ())
    if lang == "en":
        return columns, columns
    return columns, HEADERS_ZH + (TRAIL_HEADERS_ZH if trail else ())
