"""The command line: parse arguments, call the pipeline, pick a renderer, map findings to an exit code.

Exit codes: 0 fine; 1 a failed expect/check or another error-level finding; 2 bad usage or
an input that cannot be read, parsed or compiled.
"""

from __future__ import annotations

import os
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
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False, path_type=Path),
              help="评估已编译的计划（perfrules compile 的输出）/ evaluate a compiled plan.")
@click.option("--data", type=click.Path(dir_okay=False, path_type=Path),
              help="实际值数据文件（JSON/YAML/CSV/XLSX）/ actuals data file.")
@click.option("--data-dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="批量评分：与规则文件同名的数据文件所在目录 / batch: folder of data files named like the rulesets.")
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path),
              help="批量评分：汇总表 .csv/.xlsx/.json，按风险排序 / batch: summary, sorted by risk.")
@click.option("--jobs", type=click.IntRange(0, 64), default=0, show_default=True,
              help="批量评分的并行进程数（0 为按 CPU 核数）/ batch worker processes (0: one per core).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown", "html", "xlsx"]), default="table",
              show_default=True, help="输出格式；xlsx 须用 -o 指定文件 / output format; xlsx needs -o.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件 / write to a file.")
@lang_option
def eval_command(paths: tuple[Path, ...], plan_file: Path | None, data: Path | None, data_dir: Path | None,
                 summary: Path | None, jobs: int, fmt: str, output: Path | None, lang: str) -> None:
    """评分：编译规则文件，按实际值计分、汇总、定级；给出目录或多个文件时批量评分。Score and grade rule files."""
    from perfrules import pipeline

    if len(paths) > 1 or (paths and paths[0].is_dir()) or summary is not None or data_dir is not None:
        _eval_batch(paths, data, data_dir, summary, jobs, fmt, output, lang)
        return
    file = paths[0] if paths else None
    if (file is None) == (plan_file is None):
        raise click.UsageError("请给出一个规则文件，或用 --plan 给出编译好的计划（二者选一）/ give FILE or --plan")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx 须用 -o 指定输出文件 / --format xlsx needs -o FILE")
    run = pipeline.compile_file(file) if file is not None else pipeline.load_plan_file(plan_file)  # type: ignore[arg-type]
    if data is not None and not data.exists():
        raise click.BadParameter(f"找不到数据文件 {data} / no such file", param_hint="--data")
    run = pipeline.check_run(pipeline.evaluate_run(run, data))
    findings = run.sorted_findings()
    if fmt == "json":
        from perfrules.render.json_out import render_json

        _emit(render_json(run.result, findings, lang, run.file), output)
    elif run.result is not None and run.plan is not None and fmt == "xlsx":
        from perfrules.render.xlsx import write_xlsx

        assert output is not None
        try:
            write_xlsx(run.result, run.plan, findings, output, lang)
        except OSError as error:
            _cannot_write(output, error)
    elif run.result is not None and fmt in ("markdown", "html"):
        from perfrules.render.html import render_html
        from perfrules.render.markdown import render_markdown

        _emit((render_markdown if fmt == "markdown" else render_html)(run.result, findings, lang, run.plan), output)
    elif run.result is not None:
        from perfrules.render.table import render_table

        text = render_table(run.result, lang)
        if findings:
            text += "\n\n" + ("发现的问题：" if lang != "en" else "findings:") + "\n" + _findings_text(findings, lang, output)
        _emit(text, output)
    else:
        _print_findings(findings, lang)
    sys.exit(EXIT_INPUT if run.blocked else EXIT_FINDINGS if pipeline.eval_failed(findings) else EXIT_OK)


def _eval_batch(paths: tuple[Path, ...], data: Path | None, data_dir: Path | None, summary: Path | None, jobs: int,
                fmt: str, output: Path | None, lang: str) -> None:
    """Many rule files: one line per project, a summary file sorted by risk, a progress bar on a terminal."""
    import json
    from dataclasses import asdict

    from perfrules.batch import Summary, run_batch, write_summary

    if not paths:
        raise click.UsageError("请给出规则文件或目录 / give files or folders")
    if data is not None:
        raise click.UsageError("批量评分请用 --data-dir；--data 只用于一个规则文件 / use --data-dir for many files")
    if fmt not in ("table", "json"):
        raise click.UsageError("批量评分只支持 --format table 或 json；每个项目的报告请逐个生成 / batch: table or json")
    if summary is not None and summary.suffix.lower() not in (".csv", ".xlsx", ".json"):
        raise click.BadParameter("汇总表须为 .csv、.xlsx 或 .json", param_hint="--summary")
    files = _expand(paths)
    data_for = {str(f): (str(d) if (d := _data_for(f, data_dir)) else None) for f in files}
    rows: list[Summary] = []
    show_bar = sys.stderr.isatty() and not os.environ.get("CI")
    with click.progressbar(run_batch(files, data_for, lang, jobs), length=len(files), file=sys.stderr,
                           label="评分" if lang != "en" else "scoring", hidden=not show_bar) as bar:
        for row in bar:
            rows.append(row)
    rows.sort(key=Summary.risk)
    if summary is not None:
        write_summary(rows, summary, lang)
    if fmt == "json":
        _emit(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1), output)
    else:
        from perfrules.batch import COLUMNS, HEADERS_ZH
        from perfrules.render.text import table

        headers = HEADERS_ZH[:8] if lang != "en" else COLUMNS[:8]
        cells = [tuple(str(getattr(r, c)) for c in COLUMNS[:8]) for r in rows]
        _emit("\n".join(table([headers, *cells], right={2, 4, 5, 6})), output)
    invalid = sum(1 for r in rows if r.status == "invalid")
    click.echo((f"评分了 {len(rows)} 个项目：{invalid} 个无法评分" if lang != "en"
                else f"scored {len(rows)} projects: {invalid} invalid") + (f"；汇总 → {summary}" if summary else ""),
               err=True)
    if invalid:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if any(r.status == "findings" for r in rows) else EXIT_OK)


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
    """检查：报告规则文件的语法、编译和静态问题。Report syntax, compile and static problems."""
    from perfrules import pipeline

    files = _expand(paths)
    blocked, everything = False, []
    for file in files:
        run = pipeline.check_run(pipeline.compile_file(file), families=frozenset({"static"}))
        blocked = blocked or run.blocked
        everything += run.sorted_findings()
    if everything:
        _print_findings(everything, lang)
    errors = sum(1 for f in everything if f.severity.value == "error")
    summary = (f"检查了 {len(files)} 个文件，发现 {len(everything)} 个问题（{errors} 个错误）" if lang != "en"
               else f"checked {len(files)} file(s): {len(everything)} finding(s), {errors} error(s)")
    click.echo(summary, err=True)
    sys.exit(_exit_code(blocked, everything))


@main.command("lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--data", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="实际值数据文件（只用于一个规则文件）/ actuals for a single ruleset.")
@click.option("--data-dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="与规则文件同名的数据文件所在目录 / folder of data files named like the rulesets.")
@click.option("--select", multiple=True, help="只报告这些代码或前缀，可用逗号分隔 / only these codes or prefixes.")
@click.option("--ignore", multiple=True, help="不报告这些代码或前缀 / skip these codes or prefixes.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "junit"]), default="text",
              show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="达到此级别的问题使退出码为 1（默认 error）/ the level that fails the run.")
@click.option("--exit-zero", is_flag=True, help="有问题也以 0 退出 / exit 0 even with findings.")
@click.option("--statistics", is_flag=True, help="按代码统计问题数 / count findings per code.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="监控日期，用于执行进度与时间进度比较（PR205）/ monitoring date.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="设置文件（perfrules.toml 或 pyproject.toml）/ settings file.")
@click.option("--baseline", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="忽略基线文件中已知的问题，只报告新问题 / report only findings not in this baseline.")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="把当前全部问题写为基线 / write the current findings as a baseline.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件 / write to a file.")
@lang_option
def lint_command(paths: tuple[Path, ...], data: Path | None, data_dir: Path | None, select: tuple[str, ...],
                 ignore: tuple[str, ...], fmt: str, fail_on: str | None, exit_zero: bool, statistics: bool,
                 as_of: Any, config_file: Path | None, baseline: Path | None, write_baseline: Path | None,
                 output: Path | None, lang: str) -> None:
    """校验：运行检查目录中的全部检查，供 CI 使用。Lint rulesets with the check catalogue (for CI)."""
    from perfrules import pipeline
    from perfrules.render import lint as render

    files = _expand(paths)
    if data is not None and len(files) != 1:
        raise click.UsageError("--data 只能用于一个规则文件；多个文件请用 --data-dir / --data takes one ruleset")
    config = _config(config_file, files, select, ignore, fail_on)
    blocked, findings, sources = False, [], {}
    for file in files:
        actuals = data if data is not None else _data_for(file, data_dir)
        run = pipeline.analyse(file, actuals, config, as_of.date() if as_of else None, quiet_missing=True)
        blocked = blocked or run.blocked
        findings += [f for f in run.sorted_findings() if config.enabled(f.code) or run.blocked]
        sources[run.file] = run.source
    names = [str(f) for f in files]
    findings = _apply_baseline(findings, baseline, write_baseline, Path.cwd(), sources)
    text = _findings_report(fmt, findings, names, sources, lang, output)
    if statistics and fmt == "text":
        text = "\n".join(t for t in (text, render.statistics(findings, lang)) if t)
    if text:
        _emit(text, output)
    if fmt == "text":
        errors = sum(1 for f in findings if f.severity.value == "error")
        summary = (f"检查了 {len(files)} 个文件，发现 {len(findings)} 个问题（{errors} 个错误）" if lang != "en"
                   else f"linted {len(files)} file(s): {len(findings)} finding(s), {errors} error(s)")
        click.echo(summary, err=True)
    sys.exit(EXIT_INPUT if blocked else EXIT_OK if exit_zero else _fail_level_exit(findings, config.fail_on))


@main.command("fmt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--check", is_flag=True, help="只检查，文件需要格式化时退出码为 1 / exit 1 if a file would change.")
@click.option("--diff", is_flag=True, help="显示改动而不写入 / show the changes instead of writing.")
@lang_option
def fmt_command(paths: tuple[Path, ...], check: bool, diff: bool, lang: str) -> None:
    """格式化：统一规则文件的排版，保留全部注释。Format rule files (use - for stdin to stdout)."""
    import difflib

    from perfrules.fmt import format_text

    if str(paths[0]) == "-" and len(paths) == 1:
        text = sys.stdin.read()
        formatted, findings = format_text(text, "<stdin>")
        if formatted is None:
            _print_findings(findings, lang)
            sys.exit(EXIT_INPUT)
        if check:
            sys.exit(EXIT_FINDINGS if formatted != text else EXIT_OK)
        click.echo(formatted, nl=False)
        sys.exit(EXIT_OK)
    files = _expand(paths)
    changed, failed = [], False
    for file in files:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            click.echo(f"{file}:1:1: PR003 {error}", err=True)
            failed = True
            continue
        formatted, findings = format_text(text, str(file))
        if formatted is None:
            _print_findings(findings, lang)
            failed = True
            continue
        if formatted == text:
            continue
        changed.append(file)
        if diff:
            click.echo("".join(difflib.unified_diff(text.splitlines(True), formatted.splitlines(True),
                                                    f"{file}", f"{file}（格式化后）")), nl=False)
        elif check:
            click.echo(f"{'需要格式化' if lang != 'en' else 'would reformat'}: {file}", err=True)
        else:
            file.write_text(formatted, encoding="utf-8")
    verb = ("需要格式化" if check or diff else "已格式化") if lang != "en" else ("would reformat" if check or diff else "reformatted")
    click.echo(f"{verb} {len(changed)} / {len(files)}" if lang == "en" else f"{verb} {len(changed)} 个文件，共 {len(files)} 个",
               err=True)
    if failed:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if (check or diff) and changed else EXIT_OK)


@main.command("lsp")
def lsp_command() -> None:
    """语言服务器（stdio），供编辑器使用。Run the language server over stdio."""
    try:
        from perfrules.lsp.server import main as serve
    except ImportError as error:  # pragma: no cover - pygls is a dependency; a broken install shows this
        raise click.ClickException(f"无法启动语言服务器：{error}（请安装 pygls）") from error
    serve()


@main.command("import")
@click.argument("form", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="规则文件 .perf / the rule file.")
@lang_option
def import_command(form: Path, output: Path | None, lang: str) -> None:
    """导入：把自评表（xlsx/csv）转为规则文件。Import a 自评表 spreadsheet as a rule file."""
    from perfrules.data.importer import import_form
    from perfrules.data.selfeval import FormError, read_selfeval

    try:
        table = read_selfeval(form)
    except FormError as error:
        click.echo(f"{form}:1:1: PR019 {error}", err=True)
        sys.exit(EXIT_INPUT)
    imported = import_form(table, form.name)
    if imported.findings:
        _print_findings(imported.findings, lang)
    _emit(imported.text.rstrip("\n"), output)
    if output is not None:
        rows = len(table.rows)
        click.echo(f"已导入 {rows} 个指标 → {output}" if lang != "en" else f"imported {rows} indicators → {output}",
                   err=True)


@main.command("audit")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--select", multiple=True, help="只报告这些代码或前缀（默认 PR3 审核检查）/ codes to report (default PR3).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "junit"]), default="text",
              show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件 / write to a file.")
@lang_option
def audit_command(paths: tuple[Path, ...], select: tuple[str, ...], fmt: str, fail_on: str, output: Path | None,
                  lang: str) -> None:
    """审核：按各行自己的规则重算公布的评分表（规则文件或自评表 xlsx/csv）。Audit published score tables."""
    from perfrules.audit import audit
    from perfrules.checks.config import Config
    from perfrules.render.audit import render_audit

    codes = _codes(select) or ["PR3"]
    config = Config().merged({"select": codes, "fail-on": fail_on}, "命令行")
    findings, sources, blocked, parts = [], {}, False, []
    for path in paths:
        run, rows = audit(path, config)
        blocked = blocked or run.plan is None or run.blocked
        kept = [f for f in run.sorted_findings() if config.enabled(f.code) or f.code in ("PR024", "PR019")
                or (f.severity.value == "error" and f.code.startswith("PR0"))]
        findings += kept
        sources[run.file] = run.source
        if fmt == "text" and rows:
            total = next((str(e.value) for e in run.plan.expect if e.target == "total"), None) if run.plan else None
            parts.append(f"{path}\n" + render_audit(rows, run.result, total, lang))
    text = _findings_report(fmt, findings, [str(p) for p in paths], sources, lang, output)
    if fmt == "text":
        text = "\n\n".join(parts) + ("\n\n" + text if text else "")
    _emit(text, output)
    sys.exit(EXIT_INPUT if blocked else _fail_level_exit(findings, fail_on))


@main.command("schema")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件 / write to a file.")
@lang_option
def schema_command(file: Path, output: Path | None, lang: str) -> None:
    """实际值的 JSON Schema：数据文件应满足的格式。The JSON Schema of a ruleset's actuals."""
    import json

    from perfrules import pipeline
    from perfrules.data.schema import actuals_schema

    run = pipeline.compile_file(file)
    if run.blocked or run.plan is None:
        _print_findings(run.sorted_findings(), lang)
        sys.exit(EXIT_INPUT)
    _emit(json.dumps(actuals_schema(run.plan), ensure_ascii=False, indent=2), output)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
@lang_option
def rules_command(fmt: str, lang: str) -> None:
    """列出检查目录。List the check catalogue."""
    from perfrules.checks import all_checks
    from perfrules.checks.docs import markdown

    if fmt == "markdown":
        click.echo(markdown(), nl=False)
        return
    severity = {"error": "错误", "warning": "警告", "info": "提示"} if lang != "en" else {}
    for check in all_checks():
        title = check.title if lang != "en" else check.title_en
        word = severity.get(check.severity.value, check.severity.value)
        click.echo(f"{check.code}  {word}{' ' * (7 - len(word) * (2 if lang != 'en' else 1))}  {title}")


@main.command("rule")
@click.argument("code")
@lang_option
def rule_command(code: str, lang: str) -> None:
    """解释一个检查：为什么重要、反例与正例。Explain one check."""
    from perfrules.checks import get_check
    from perfrules.checks.docs import describe
    from perfrules.messages import CODES

    check = get_check(code)
    entry = CODES.get(code.upper())
    if check is None and entry is not None:  # a language or compile code: PR001, PR013, …
        title = entry.title_zh if lang != "en" else entry.title_en
        kind = ("语言与编译错误，会使文件无法评分（退出码 2）" if entry.blocking else "语言与编译问题") if lang != "en" \
            else ("language or compile error: the file cannot be evaluated (exit 2)" if entry.blocking
                  else "language or compile finding")
        click.echo(f"{code.upper()} {title}\n{kind}；{'级别' if lang != 'en' else 'severity'}: {entry.severity}\n"
                   f"{'见' if lang != 'en' else 'see'} docs/language.md")
        return
    if check is None:
        raise click.BadParameter(f"没有检查 {code}；用 perfrules rules 查看全部 / no such check", param_hint="CODE")
    click.echo(describe(check, lang))


# ---------------------------------------------------------------- helpers


def _config(config_file: Path | None, files: list[Path], select: tuple[str, ...], ignore: tuple[str, ...],
            fail_on: str | None) -> Any:
    from perfrules.checks.config import Config, ConfigError, find_settings

    config = Config()
    try:
        if config_file is not None:
            import tomllib

            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
            settings = data.get("tool", {}).get("perfrules", {}) if config_file.name == "pyproject.toml" else data
            config = config.merged(settings, str(config_file))
        elif files:
            found = find_settings(files[0])
            if found is not None:
                config = config.merged(*found)
        cli_settings: dict[str, Any] = {}
        if select:
            cli_settings["select"] = _codes(select)
        if ignore:
            cli_settings["ignore"] = _codes(ignore)
        if fail_on:
            cli_settings["fail-on"] = fail_on
        return config.merged(cli_settings, "命令行") if cli_settings else config
    except (ConfigError, OSError, ValueError) as error:
        raise click.UsageError(f"设置有误 / bad settings: {error}") from error


def _findings_report(fmt: str, findings: list[Any], files: list[str], sources: dict[str, list[str]], lang: str,
                     output: Path | None) -> str:
    """Findings in one of the CI formats (text, json, sarif, github, junit), paths relative to here."""
    from perfrules.render import lint as render

    root = Path.cwd()
    if fmt == "json":
        return render.as_json(findings, files, lang)
    if fmt == "sarif":
        return render.sarif(findings, lang, root, sources)
    if fmt == "github":
        return render.github(findings, lang, root)
    if fmt == "junit":
        return render.junit(findings, files, lang)
    return render.text(findings, lang, _colour(output))


def _fail_level_exit(findings: list[Any], fail_on: str) -> int:
    level = {"error": 3, "warning": 2, "info": 1}[fail_on]
    return EXIT_FINDINGS if any(f.severity.rank >= level for f in findings) else EXIT_OK


def _apply_baseline(findings: list[Any], baseline: Path | None, write: Path | None, root: Path,
                    sources: dict[str, list[str]]) -> list[Any]:
    from perfrules.checks.baseline import fingerprint, read_baseline, write_baseline

    if write is not None:
        write_baseline(write, findings, root, sources)
    if baseline is None:
        return findings
    try:
        known = read_baseline(baseline)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise click.BadParameter(str(error), param_hint="--baseline") from error
    return [f for f in findings if is_input(f) or fingerprint(f, root, sources) not in known]


def is_input(finding: Any) -> bool:
    from perfrules.findings import is_input_error

    return is_input_error(finding)


def _codes(values: tuple[str, ...]) -> list[str]:
    import re

    codes = [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
    bad = [c for c in codes if not re.fullmatch(r"PR\d{0,3}", c)]
    if bad:
        raise click.UsageError(f"代码 {'、'.join(bad)} 无效：应为 PR201 这样的代码或 PR2 这样的前缀 / not a code or prefix")
    return codes


def _data_for(file: Path, data_dir: Path | None) -> Path | None:
    if data_dir is None:
        return None
    for suffix in (".json", ".yaml", ".yml", ".csv", ".xlsx"):
        candidate = data_dir / (file.stem + suffix)
        if candidate.exists():
            return candidate
    return None



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
        _cannot_write(output, error)


def _cannot_write(output: Path, error: OSError) -> None:
    """An output file that cannot be written is bad usage (exit 2), said in Chinese first."""
    from perfrules.messages import os_reason

    click.echo(f"无法写入 {output}：{os_reason(error)} / cannot write {output}: {error.strerror}", err=True)
    sys.exit(EXIT_INPUT)


if __name__ == "__main__":
    main()
