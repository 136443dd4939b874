"""The targets command: current targets against their history, suggested targets, a patch of the rule file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from perfrules.cli import EXIT_INPUT, EXIT_OK, lang_option, main
from perfrules.cli.common import cannot_write, emit, print_findings, settings_for


@main.command("targets")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("more", nargs=-1, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--history", "history", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="往年的规则文件、数据文件或自评表（从早到晚，可写多个）/ earlier years, oldest first.")
@click.option("--data", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="本年实际值数据文件 / this year's actuals.")
@click.option("--diff", "show_diff", is_flag=True, help="以 diff 显示把建议目标写入规则文件的改动 / print the patch.")
@click.option("--write", "write", is_flag=True, help="把建议目标写入规则文件（保留注释）/ write the suggested targets in.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def targets_command(file: Path, more: tuple[Path, ...], history: tuple[Path, ...], data: Path | None, show_diff: bool,
                    write: bool, fmt: str, lang: str) -> None:
    """建议目标：本年目标、往年目标与实际值、按规则建议的目标。Suggest targets from the history.

    建议规则（可在设置中调整）：`>=` 指标不低于上年实际值、也不低于近 history-years 年实际值的均值，
    再提高 suggest-margin，按数值的书写精度向上取整；`<=` 指标反之。

    \b
    perfrules targets 2024.perf --history 2022.perf 2023-自评表.xlsx
    perfrules targets 2024.perf --history 2023.perf --diff
    """
    from perfrules import pipeline
    from perfrules.history.targets import patched, rows

    run = pipeline.analyse(file, data, settings_for([file]), history=(*history, *more))
    if run.blocked or run.plan is None or run.config is None:
        print_findings(run.sorted_findings(), lang, run.sources)
        sys.exit(EXIT_INPUT)
    config, history_data = run.config, run.history
    if history_data is None:
        raise click.UsageError("没有往年数据：用 --history PREV 给出往年文件，或在规则文件中写 history 块"
                               " / no history: give --history PREV or a history block")
    table = rows(history_data, int(config.threshold("history-years")), config.threshold("suggest-margin"))
    if show_diff or write:
        document = run.document
        assert document is not None
        text = "".join(line + "\n" for line in run.source) if not document.text else document.text
        new_text, skipped = patched(text, document, run.file, table)
        for name in skipped:
            click.echo(f"{name}：目标的写法无法自动修改，请手工调整 / not patched: edit by hand", err=True)
        if write:
            if new_text != text:
                try:
                    emit(new_text.rstrip("\n"), file)
                except OSError as error:
                    cannot_write(file, error)
            click.echo(f"已写入 {file} / written" if new_text != text else f"{file} 无需修改 / unchanged", err=True)
        else:
            import difflib

            click.echo("".join(difflib.unified_diff(text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                                    f"a/{file}", f"b/{file}")), nl=False)
        sys.exit(EXIT_OK)
    if fmt == "json":
        import json

        click.echo(json.dumps([{"indicator": r.series.key, "comparator": r.series.comparator,
                                "unit": r.series.unit.text, "target": _num(r.series.target),
                                "actual": _num(r.series.actual),
                                "history": [{"year": p.year, "target": _num(p.target), "actual": _num(p.actual),
                                             "unit": p.point.unit.text, "source": p.point.source, "matched_by": p.how}
                                            for p in r.series.past],
                                "suggested": _num(r.suggestion), "raise": r.raised} for r in table],
                              ensure_ascii=False, indent=2))
    else:
        from perfrules.render.text import table as text_table

        zh = lang != "en"
        header = ("指标", "本年目标", "本年实际", "往年（目标 / 实际）", "建议目标") if zh else (
            "indicator", "target", "actual", "history (target / actual)", "suggested")
        click.echo("\n".join(text_table([header, *(r.cells() for r in table)], set())))
    sys.exit(EXIT_OK)


def _num(value: object) -> str | None:
    return None if value is None else f"{value:f}"
