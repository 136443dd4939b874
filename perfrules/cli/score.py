"""Scoring commands: eval (one file, a plan, or a batch), compile, schema, import."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

from perfrules import limits
from perfrules.cli import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, lang_option, main
from perfrules.cli.common import (
    cannot_write,
    data_for,
    emit,
    exit_code,
    expand,
    findings_text,
    print_findings,
    refuse_spreadsheet,
    settings_for,
)


@main.command("eval")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--plan", "plan_file", type=click.Path(path_type=Path),
              help="评估已编译的计划（perfrules compile 的输出）/ evaluate a compiled plan.")
@click.option("--data", type=click.Path(dir_okay=False, path_type=Path),
              help="实际值数据文件（JSON/YAML/CSV/XLSX）/ actuals data file.")
@click.option("--data-dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="批量评分：与规则文件同名的数据文件所在目录 / batch: folder of data files named like the rulesets.")
@click.option("--summary", type=click.Path(path_type=Path),
              help="批量评分：汇总表 .csv/.xlsx/.json，按风险排序；开始评分前先确认可以写入 / batch: summary, sorted by "
                   "risk; checked for writability before any project is scored.")
@click.option("--jobs", type=click.IntRange(0, 64), default=0, show_default=True,
              help="批量评分的并行进程数（0 为按 CPU 核数）/ batch worker processes (0: one per core).")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=limits.PROJECT_SECONDS, show_default=True,
              help="批量评分：每个项目最多用时（秒），超时或评分进程意外退出的项目记为无法评分，其余照常 / batch: seconds "
                   "per project; a project that takes longer or whose process dies is an invalid row, the rest go on.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="批量评分：汇总页（.html）按此日期的时间进度给预算执行亮灯 / batch: date for the dashboard's "
                   "execution-against-time lights.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown", "html", "xlsx"]), default="table",
              show_default=True, help="输出格式；xlsx 须用 -o 指定文件 / output format; xlsx needs -o.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件 / write to a file.")
@click.option("--history", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="往年的规则文件、数据文件或自评表，每个一个 --history，从早到晚（PR4xx）/ earlier years.")
@lang_option
def eval_command(paths: tuple[Path, ...], plan_file: Path | None, data: Path | None, data_dir: Path | None,
                 summary: Path | None, jobs: int, timeout: float, as_of: datetime | None, fmt: str,
                 output: Path | None, lang: str, history: tuple[Path, ...] = ()) -> None:
    """评分：编译规则文件，按实际值计分、汇总、定级；给出目录或多个文件时批量评分。Score and grade rule files."""
    from perfrules import pipeline

    if len(paths) > 1 or (paths and paths[0].is_dir()) or summary is not None or data_dir is not None:
        if history:
            raise click.UsageError("批量评分不接受 --history：请把往年数据写在各项目规则文件的 history 块中 / batch: "
                                   "write each project's earlier years in its own history block")
        _eval_batch(paths, data, data_dir, summary, jobs, timeout, fmt, output, lang, as_of.date() if as_of else None)
        return
    file = paths[0] if paths else None
    if (file is None) == (plan_file is None):
        raise click.UsageError("请给出一个规则文件，或用 --plan 给出编译好的计划（二者选一）/ give FILE or --plan")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx 须用 -o 指定输出文件 / --format xlsx needs -o FILE")
    if data is not None and not data.exists():
        raise click.BadParameter(f"找不到数据文件 {data} / no such file", param_hint="--data")
    if file is not None:
        refuse_spreadsheet(file)
    source = file if file is not None else plan_file
    assert source is not None
    run = pipeline.analyse(source, data, settings_for([source]), history=history, plan=file is None)
    findings = run.sorted_findings()
    if fmt == "json":
        from perfrules.render.json_out import render_json

        emit(render_json(run.result, findings, lang, run.file), output)
    elif run.result is not None and run.plan is not None and fmt == "xlsx":
        from perfrules.outputs import atomic_path
        from perfrules.render.xlsx import write_xlsx

        assert output is not None
        try:
            with atomic_path(output) as temporary:  # the workbook appears whole or not at all
                write_xlsx(run.result, run.plan, findings, temporary, lang, history=run.history)
        except OSError as error:
            cannot_write(output, error)
    elif run.result is not None and fmt in ("markdown", "html"):
        from perfrules.render.html import render_html
        from perfrules.render.markdown import render_markdown

        emit((render_markdown if fmt == "markdown" else render_html)(run.result, findings, lang, run.plan,
                                                                    history=run.history), output)
    elif run.result is not None:
        from perfrules.render.table import render_table

        text = render_table(run.result, lang)
        if findings:
            text += "\n\n" + ("发现的问题：" if lang != "en" else "findings:") + "\n" + findings_text(findings, lang, output, run.sources)
        emit(text, output)
    else:
        print_findings(findings, lang, run.sources)
    sys.exit(EXIT_INPUT if run.blocked else EXIT_FINDINGS if pipeline.eval_failed(findings) else EXIT_OK)


def _eval_batch(paths: tuple[Path, ...], data: Path | None, data_dir: Path | None, summary: Path | None, jobs: int,
                timeout: float, fmt: str, output: Path | None, lang: str, as_of: date | None = None) -> None:
    """Many rule files: one line per project, a summary file sorted by risk, a progress bar on a terminal.

    The summary and output paths are checked before any project is scored; if the summary still
    cannot be written at the end, it is printed instead (nothing computed is lost) and the exit is 2.
    """
    import json
    from dataclasses import asdict

    from perfrules.batch import SUMMARY_SUFFIXES, Summary, run_batch, summary_text, write_summary
    from perfrules.outputs import unwritable

    if not paths:
        raise click.UsageError("请给出规则文件或目录 / give files or folders")
    if data is not None:
        raise click.UsageError("批量评分请用 --data-dir；--data 只用于一个规则文件 / use --data-dir for many files")
    if fmt not in ("table", "json"):
        raise click.UsageError("批量评分只支持 --format table 或 json；每个项目的报告请逐个生成 / batch: table or json")
    if summary is not None and summary.suffix.lower() not in SUMMARY_SUFFIXES:
        raise click.BadParameter("汇总表须为 .csv、.xlsx、.json 或 .html（汇总页）", param_hint="--summary")
    for target in (summary, output):
        if target is not None and (problem := unwritable(target)) is not None:
            cannot_write(target, problem)
    files = expand(paths)
    # each project's worker finds its own settings: ones that cannot be used make that project an invalid row (PR014)
    data_files = {str(f): (str(d) if (d := data_for(f, data_dir)) else None) for f in files}
    rows: list[Summary] = []
    show_bar = sys.stderr.isatty() and not os.environ.get("CI")
    with click.progressbar(run_batch(files, data_files, lang, jobs, timeout), length=len(files), file=sys.stderr,
                           label="评分" if lang != "en" else "scoring", hidden=not show_bar) as bar:
        for row in bar:
            rows.append(row)
    rows.sort(key=Summary.risk)
    lost: OSError | None = None
    if summary is not None:
        try:
            write_summary(rows, summary, lang, as_of)
        except OSError as error:
            lost = error
    if fmt == "json":
        emit(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1), output)
    else:
        from perfrules.batch import COLUMNS, HEADERS_ZH
        from perfrules.render.text import table

        headers = HEADERS_ZH[:8] if lang != "en" else COLUMNS[:8]
        cells = [tuple(str(getattr(r, c)) for c in COLUMNS[:8]) for r in rows]
        emit("\n".join(table([headers, *cells], right={2, 4, 5, 6})), output)
    if summary is not None and lost is not None:  # print what could not be saved, then say why (exit 2)
        click.echo(summary_text(rows, summary.suffix.lower(), lang).rstrip("\n"))
        cannot_write(summary, lost, "汇总已打印到标准输出" if lang != "en" else "the summary is printed above")
    invalid = sum(1 for r in rows if r.status == "invalid")
    click.echo((f"评分了 {len(rows)} 个项目：{invalid} 个无法评分" if lang != "en"
                else f"scored {len(rows)} projects: {invalid} invalid") + (f"；汇总 → {summary}" if summary else ""),
               err=True)
    if invalid:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if any(r.status == "findings" for r in rows) else EXIT_OK)


@main.command("compile")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="计划 JSON 的输出文件 / plan JSON file.")
@lang_option
def compile_command(file: Path, output: Path | None, lang: str) -> None:
    """编译：把规则文件编译为评估计划（JSON）。Compile a rule file into an evaluation plan (JSON)."""
    import json

    from perfrules import pipeline
    from perfrules.plan.serialize import dump_plan

    refuse_spreadsheet(file, "FILE")
    run = pipeline.compile_file(file)
    findings = run.sorted_findings()
    if findings:
        print_findings(findings, lang, run.sources)
    if run.blocked or run.plan is None:
        sys.exit(EXIT_INPUT)
    emit(json.dumps(dump_plan(run.plan), ensure_ascii=False, indent=1), output)
    sys.exit(exit_code(False, findings))


@main.command("schema")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件 / write to a file.")
@lang_option
def schema_command(file: Path, output: Path | None, lang: str) -> None:
    """实际值的 JSON Schema：数据文件应满足的格式。The JSON Schema of a ruleset's actuals."""
    import json

    from perfrules import pipeline
    from perfrules.data.schema import actuals_schema

    refuse_spreadsheet(file, "FILE")
    run = pipeline.compile_file(file)
    if run.blocked or run.plan is None:
        print_findings(run.sorted_findings(), lang, run.sources)
        sys.exit(EXIT_INPUT)
    emit(json.dumps(actuals_schema(run.plan), ensure_ascii=False, indent=2), output)


@main.command("import")
@click.argument("form", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="规则文件 .perf / the rule file.")
@click.option("--sheet", help="读取这张工作表（默认第一张可见的）/ the sheet to read (default: the first visible one).")
@lang_option
def import_command(form: Path, output: Path | None, sheet: str | None, lang: str) -> None:
    """导入：把自评表（xlsx/xls/csv）转为规则文件。Import a 自评表 spreadsheet as a rule file."""
    from perfrules.data.importer import import_form
    from perfrules.data.selfeval import FormError, read_selfeval

    try:
        table = read_selfeval(form, sheet)
    except FormError as error:
        click.echo(f"{form}:{error.row or 1}:{error.column or 1}: PR019 {error}", err=True)
        sys.exit(EXIT_INPUT)
    imported = import_form(table, form.name)
    if imported.findings:
        print_findings(imported.findings, lang)
    emit(imported.text.rstrip("\n"), output)
    if output is not None:
        rows = len(table.rows)
        click.echo(f"已导入 {rows} 个指标 → {output}" if lang != "en" else f"imported {rows} indicators → {output}",
                   err=True)
