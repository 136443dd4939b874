"""The command line: parse arguments, call the pipeline, pick a renderer, map findings to an exit code.

Exit codes: 0 fine; 1 a failed expect/check or another error-level finding; 2 bad usage or
an input that cannot be read, parsed or compiled.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from perfrules import __version__

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def lang_option(func: F) -> F:
    return click.option(
        "--lang", type=click.Choice(["zh", "en"]), default="zh", envvar="PERFRULES_LANG", show_default=True,
        help="消息语言 / message language.",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="perfrules")
def main() -> None:
    """perfrules：预算绩效指标体系的规则语言与校验工具。

    A rule language and validator for budget performance indicator systems.

    \b
    perfrules eval rulesets/examples/retiree-services-2023.perf
    perfrules check rulesets/
    perfrules compile FILE -o plan.json
    """


@main.command("eval")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False, path_type=Path),
              help="评估已编译的计划（perfrules compile 的输出）/ evaluate a compiled plan.")
@click.option("--data", type=click.Path(dir_okay=False, path_type=Path),
              help="实际值数据文件（JSON/YAML）/ actuals data file.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件 / write to a file.")
@lang_option
def eval_command(file: Path | None, plan_file: Path | None, data: Path | None, fmt: str, output: Path | None,
                 lang: str) -> None:
    """评分：编译规则文件，按实际值计分、汇总、定级。Score a rule file and grade the result."""
    from perfrules import pipeline

    if (file is None) == (plan_file is None):
        raise click.UsageError("请给出一个规则文件，或用 --plan 给出编译好的计划（二者选一）/ give FILE or --plan")
    run = pipeline.compile_file(file) if file is not None else pipeline.load_plan_file(plan_file)  # type: ignore[arg-type]
    if data is not None and not data.exists():
        raise click.BadParameter(f"找不到数据文件 {data} / no such file", param_hint="--data")
    run = pipeline.evaluate_run(run, data)
    findings = run.sorted_findings()
    if fmt == "json":
        from perfrules.render.json_out import render_json

        _emit(render_json(run.result, findings, lang, run.file), output)
    elif run.result is not None:
        from perfrules.render.table import render_table

        text = render_table(run.result, lang)
        if findings:
            text += "\n\n" + ("发现的问题：" if lang != "en" else "findings:") + "\n" + _findings_text(findings, lang, output)
        _emit(text, output)
    else:
        _print_findings(findings, lang)
    sys.exit(_exit_code(run.blocked, findings))


@main.command("compile")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="计划 JSON 的输出文件 / plan JSON file.")
@lang_option
def compile_command(file: Path, output: Path | None, lang: str) -> None:
    """编译：把规则文件编译为评估计划（JSON）。Compile a rule file into an evaluation plan (JSON)."""
    import json

    from perfrules import pipeline
    from perfrules.plan.serialize import dump_plan

    run = pipeline.compile_file(file)
    findings = run.sorted_findings()
    if findings:
        _print_findings(findings, lang)
    if run.blocked or run.plan is None:
        sys.exit(EXIT_INPUT)
    _emit(json.dumps(dump_plan(run.plan), ensure_ascii=False, indent=1), output)
    sys.exit(_exit_code(False, findings))


@main.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@lang_option
def check_command(paths: tuple[Path, ...], lang: str) -> None:
    """检查：报告规则文件的语法和编译问题。Report syntax and compile problems of rule files."""
    from perfrules import pipeline

    files = _expand(paths)
    blocked, everything = False, []
    for file in files:
        run = pipeline.compile_file(file)
        blocked = blocked or run.blocked
        everything += run.sorted_findings()
    if everything:
        _print_findings(everything, lang)
    errors = sum(1 for f in everything if f.severity.value == "error")
    summary = (f"检查了 {len(files)} 个文件，发现 {len(everything)} 个问题（{errors} 个错误）" if lang != "en"
               else f"checked {len(files)} file(s): {len(everything)} finding(s), {errors} error(s)")
    click.echo(summary, err=True)
    sys.exit(_exit_code(blocked, everything))


# ---------------------------------------------------------------- helpers


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.rglob("*.perf"))
        elif path.exists():
            files.append(path)
        else:
            raise click.BadParameter(f"找不到 {path} / no such file or folder", param_hint="PATHS")
    return files


def _exit_code(blocked: bool, findings: list[Any]) -> int:
    if blocked:
        return EXIT_INPUT
    if any(f.severity.value == "error" for f in findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _colour(output: Path | None = None) -> bool:
    import os

    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _findings_text(findings: list[Any], lang: str, output: Path | None = None) -> str:
    from perfrules.render.text import finding_lines

    source: dict[str, list[str]] = {}
    lines: list[str] = []
    for finding in findings:
        span = finding.span
        if span and span.file not in source:
            try:
                source[span.file] = Path(span.file).read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                source[span.file] = []
        lines += finding_lines(finding, lang, _colour(output), source)
    return "\n".join(lines)


def _print_findings(findings: list[Any], lang: str) -> None:
    click.echo(_findings_text(findings, lang), err=True)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text)
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        raise click.FileError(str(output), error.strerror) from error


if __name__ == "__main__":
    main()
