"""The report command: the 评价报告 (Word or Markdown) of one rule file, with the people's text from --text."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from perfrules.cli import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, lang_option, main
from perfrules.cli.common import cannot_write, emit, print_findings, refuse_spreadsheet, settings_for


@main.command("report")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--data", type=click.Path(dir_okay=False, path_type=Path),
              help="实际值数据文件（JSON/YAML/CSV/XLSX）/ actuals data file.")
@click.option("--text", "text_file", type=click.Path(dir_okay=False, path_type=Path),
              help="评价人撰写的章节（Markdown，按标题分节，如 ## 项目背景）/ the people's sections, by heading.")
@click.option("--format", "fmt", type=click.Choice(["docx", "markdown"]), default=None,
              help="输出格式，缺省按 -o 的扩展名（.docx / .md）/ output format, by default from -o's suffix.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="写入文件；docx 必须指定 / write to a file (docx needs it).")
@lang_option
def report_command(file: Path, data: Path | None, text_file: Path | None, fmt: str | None, output: Path | None,
                   lang: str) -> None:
    """评价报告：按财预〔2020〕10号参考提纲生成报告（Word 或 Markdown）。Write the evaluation report.

    \b
    perfrules report rulesets/examples/retiree-services-2023.perf --text 说明.md -o 报告.docx
    """
    from perfrules import pipeline
    from perfrules.report import outline
    from perfrules.report import text as texts_module

    if fmt is None:
        fmt = "markdown" if output is None or output.suffix.lower() in (".md", ".markdown") else "docx"
    if fmt == "docx" and output is None:
        raise click.UsageError("Word 报告须用 -o 指定输出文件（如 -o 报告.docx）/ a docx report needs -o FILE")
    if data is not None and not data.exists():
        raise click.BadParameter(f"找不到数据文件 {data} / no such file", param_hint="--data")
    refuse_spreadsheet(file, "FILE")
    run = pipeline.analyse(file, data, settings_for([file]))
    findings = run.sorted_findings()
    if run.blocked or run.result is None or run.plan is None:
        print_findings(findings, lang, run.sources)
        sys.exit(EXIT_INPUT)
    texts = texts_module.Texts()
    if text_file is not None:
        read, problems = texts_module.read(text_file)
        if read is None:
            print_findings(problems, lang)
            sys.exit(EXIT_INPUT)
        texts = read
    report = outline.build(run.result, run.plan, findings, texts)
    gaps = texts_module.missing(texts, run.file, outline.names(run.result))
    if fmt == "docx":
        assert output is not None
        from perfrules.report.docx import write

        try:
            write(report, output)
        except OSError as error:
            cannot_write(output, error)
    else:
        from perfrules.report.markdown import render

        emit(render(report).rstrip("\n"), output)
    if gaps:
        print_findings(gaps, lang)
    if output is not None:
        missing = sum(1 for g in gaps if g.key == "PR025")
        click.echo((f"报告 → {output}：{missing} 个章节待评价人撰写（报告中已标出）" if lang != "en"
                    else f"report → {output}: {missing} sections left for people to write (marked)"), err=True)
    sys.exit(EXIT_FINDINGS if pipeline.eval_failed(findings) else EXIT_OK)
