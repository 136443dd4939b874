"""Validation commands: check, lint, audit, and the check catalogue (rules, rule)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from perfrules.cli import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, lang_option, main
from perfrules.cli.common import (
    PathOnUse,
    cannot_write,
    colour,
    data_for,
    emit,
    exit_code,
    expand_some,
    frameworks_said,
    print_findings,
    read_as_is,
    settings_for,
    unified_diff,
    used_frameworks,
    write_stdout,
)

if TYPE_CHECKING:
    from pathlib import Path

    from perfrules.settings import Settings


@main.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@lang_option
def check_command(paths: tuple[str, ...], lang: str) -> None:
    """检查：报告规则文件的语法、编译和静态问题。Report syntax, compile and static problems."""
    from perfrules import pipeline

    files = expand_some(paths)
    # one file: settings that cannot be used are a usage error, as in every command; many (a folder): that
    # file's PR014 finding, and the others are checked
    many = len(paths) > 1 or any(os.path.isdir(path) for path in paths)
    blocked, everything, sources = False, [], {}
    runs = {file: pipeline.analyse(file, settings=None if many else settings_for([file]), families=frozenset({"static"}),
                                   evaluate=False) for file in files}
    frameworks = used_frameworks(runs)
    for file, run in runs.items():
        sources.update(run.sources)
        if file not in frameworks:
            blocked = blocked or run.blocked
            everything += run.sorted_findings()
    if everything:
        print_findings(everything, lang, sources)
    errors = sum(1 for f in everything if f.severity.value == "error")
    summary = (f"检查了 {len(files)} 个文件，发现 {len(everything)} 个问题（{errors} 个错误）" if lang != "en"
               else f"checked {len(files)} file(s): {len(everything)} finding(s), {errors} error(s)")
    click.echo(summary + frameworks_said(frameworks, lang), err=True)
    sys.exit(exit_code(blocked, everything))


@main.command("lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=PathOnUse))
@click.option("--data", type=click.Path(dir_okay=False, exists=True, path_type=PathOnUse),
              help="实际值数据文件（只用于一个规则文件）/ actuals for a single ruleset.")
@click.option("--data-dir", type=click.Path(file_okay=False, exists=True, path_type=PathOnUse),
              help="与规则文件同名的数据文件所在目录 / folder of data files named like the rulesets.")
@click.option("--select", multiple=True, help="只报告这些代码或前缀，可用逗号分隔 / only these codes or prefixes.")
@click.option("--ignore", multiple=True, help="不报告这些代码或前缀 / skip these codes or prefixes.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "junit"]), default="text",
              show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="达到此级别的问题使退出码为 1（默认 error）/ the level that fails the run.")
@click.option("--exit-zero", is_flag=True, help="有问题（包括语法和编译错误）也以 0 退出；用法错误仍为 2 / exit 0 "
                                                "whatever the findings, syntax errors included.")
@click.option("--statistics", is_flag=True, help="按代码统计问题数 / count findings per code.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="监控日期，用于执行进度与时间进度比较（PR205）/ monitoring date.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True, path_type=PathOnUse),
              help="设置文件（perfrules.toml 或 pyproject.toml）/ settings file.")
@click.option("--baseline", type=click.Path(dir_okay=False, exists=True, path_type=PathOnUse),
              help="忽略基线文件中已知的问题，只报告新问题 / report only findings not in this baseline.")
@click.option("--write-baseline", type=click.Path(path_type=PathOnUse),
              help="把当前全部问题写为基线 / write the current findings as a baseline.")
@click.option("-o", "--output", type=click.Path(path_type=PathOnUse), help="写入文件 / write to a file.")
@click.option("--history", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=PathOnUse),
              help="往年的规则文件、数据文件或自评表，每个一个 --history，从早到晚（PR4xx）/ earlier years.")
@click.option("--fix", is_flag=True, help="应用安全的修复并写回文件，再报告剩下的问题 / apply the safe fixes.")
@click.option("--diff", is_flag=True, help="输出修复的统一差异而不写入，有改动时退出码为 1 / print the fixes as a diff.")
@click.option("--add-noqa", is_flag=True, help="在每个问题所在行写上 # noqa: 代码 / add a noqa for each finding.")
@lang_option
def lint_command(paths: tuple[Path, ...], data: Path | None, data_dir: Path | None, select: tuple[str, ...],
                 ignore: tuple[str, ...], fmt: str, fail_on: str | None, exit_zero: bool, statistics: bool,
                 as_of: Any, config_file: Path | None, baseline: Path | None, write_baseline: Path | None,
                 output: Path | None, lang: str, history: tuple[Path, ...] = (), fix: bool = False,
                 diff: bool = False, add_noqa: bool = False) -> None:
    """校验：运行检查目录中的全部检查，供 CI 使用。Lint rulesets with the check catalogue (for CI).

    --fix 应用安全修复（全角符号、漏写的 %、从实际值补上的单位）并报告剩下的问题。

    --diff 只输出这些修复的统一差异；--add-noqa 在每个问题所在行写上 noqa。
    """
    from pathlib import Path

    from perfrules import pipeline
    from perfrules.outputs import unwritable
    from perfrules.render import lint as render

    files = expand_some(paths)
    if data is not None and len(files) != 1:
        raise click.UsageError("--data 只能用于一个规则文件；多个文件请用 --data-dir / --data takes one ruleset")
    if fix and add_noqa:
        raise click.UsageError("--fix 与 --add-noqa 不能同时使用 / --fix and --add-noqa cannot be combined")
    for target in (write_baseline, output):  # said before linting, not after
        if target is not None and (problem := unwritable(target)) is not None:
            cannot_write(target, problem)
    from perfrules.settings import options

    given = options(_codes(select), _codes(ignore, "--ignore"), fail_on)
    # one file, or --config: settings that cannot be used are a usage error, as in every command; several files
    # (a folder): each under its own settings file (projects in one tree may differ), and one that cannot be used is
    # that file's PR014 finding, whichever file it is (as check does)
    many = config_file is None and len(files) > 1
    settings = settings_for([], None, given) if many else settings_for(files, config_file, given)
    of_file = {file: _own_settings(file, given) if many else settings for file in files}

    def lint_all() -> tuple[bool, list[Any], dict[str, list[str]], dict[str, Any]]:
        blocked, findings, sources, runs = False, [], {}, {}
        for file in files:
            actuals = data if data is not None else data_for(file, data_dir)
            runs[str(file)] = pipeline.analyse(file, actuals, of_file[file], as_of.date() if as_of else None,
                                               quiet_missing=True, history=history)
        frameworks.clear()
        frameworks.update(used_frameworks(runs))
        for file, run in runs.items():
            sources.update(run.sources)
            if file in frameworks:  # checked through the files that use it
                continue
            own = of_file[file]
            blocked = blocked or run.blocked
            findings += [f for f in run.sorted_findings() if own is None or own.enabled(f.code) or run.blocked]
        return blocked, findings, sources, runs

    frameworks: set[str] = set()

    blocked, findings, sources, runs = lint_all()
    if fix or diff or add_noqa:
        findings = _apply_baseline(findings, baseline, None, Path.cwd(), sources)
        written = _fix_files(files, runs, findings, add_noqa, diff, lang)
        if diff or add_noqa:
            sys.exit(EXIT_FINDINGS if diff and written else EXIT_OK)
        if written:  # report what is left, as lint would
            blocked, findings, sources, runs = lint_all()
    names = [str(f) for f in files]
    findings = _apply_baseline(findings, baseline, write_baseline, Path.cwd(), sources)
    text = _findings_report(fmt, findings, names, sources, lang, output, settings.fail_on,
                            {file: own.fail_on for file, own in of_file.items() if own is not None})
    if statistics and fmt == "text":
        text = "\n".join(t for t in (text, render.statistics(findings, lang)) if t)
    if text:
        emit(text, output)
    if fmt == "text":
        errors = sum(1 for f in findings if f.severity.value == "error")
        summary = (f"检查了 {len(files)} 个文件，发现 {len(findings)} 个问题（{errors} 个错误）" if lang != "en"
                   else f"linted {len(files)} file(s): {len(findings)} finding(s), {errors} error(s)")
        click.echo(summary + frameworks_said(frameworks, lang), err=True)
    if write_baseline is not None:
        _said_baseline(write_baseline, findings, lang)
        # the baseline is what was asked for: written, the run is fine, unless a file could not be read or compiled
        # (its errors are not in the baseline, which never hides them: the next --baseline run would exit 2 too)
        sys.exit(EXIT_INPUT if blocked and not exit_zero else EXIT_OK)
    # --exit-zero is 0 whatever the findings, syntax and compile errors included, as flake8 and ruff do
    failed = False  # a finding at or above the level of its own file's settings (`fail-on`) fails the run
    for file, own in of_file.items():
        if file in frameworks:
            continue
        mine = {id(f) for f in runs[file].findings}
        level = own.fail_on if own is not None else settings.fail_on
        failed = failed or _fail_level_exit([f for f in findings if id(f) in mine], level) != EXIT_OK
    sys.exit(EXIT_OK if exit_zero else EXIT_INPUT if blocked else EXIT_FINDINGS if failed else EXIT_OK)


def _own_settings(file: str, given: tuple[tuple[str, Any], ...]) -> Settings | None:
    """A rule file's own settings under the command line's options; None when its settings file cannot be used
    (the pipeline then makes that the file's PR014 finding, and the other files are linted)."""
    from perfrules.checks.config import ConfigError
    from perfrules.settings import resolve

    try:
        return resolve(file, None, given)
    except (ConfigError, OSError):
        return None


def _said_baseline(target: Path, findings: list[Any], lang: str) -> None:
    """How many findings the baseline holds, and that input errors (not written, never baselined) must be fixed."""
    inputs = sum(1 for f in findings if is_input(f))
    written = len(findings) - inputs
    if lang == "en":
        said = f"wrote {written} finding(s) to the baseline {target}"
        if inputs:
            said += f"; {inputs} syntax or compile error(s) are not in it: fix them (a baseline never hides them)"
    else:
        said = f"已把 {written} 个问题写入基线 {target}"
        if inputs:
            said += f"；{inputs} 个语法或编译错误未写入基线，须修正（基线不会忽略它们）"
        said += f" / wrote {written} finding(s) to the baseline" + (
            f"; {inputs} input error(s) not written: fix them" if inputs else "")
    click.echo(said, err=True)


@main.command("audit")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=PathOnUse))
@click.option("--select", multiple=True, help="只报告这些代码或前缀（默认 PR3 审核检查）/ codes to report (default PR3).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "junit", "markdown", "html",
                                                 "xlsx"]), default="text", show_default=True,
              help="markdown/html/xlsx：审核底稿 / the audit working paper.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="达到此级别的问题使退出码为 1 / the level that fails the run.")
@click.option("-o", "--output", type=click.Path(path_type=PathOnUse), help="写入文件 / write to a file.")
@lang_option
def audit_command(paths: tuple[Path, ...], select: tuple[str, ...], fmt: str, fail_on: str, output: Path | None,
                  lang: str) -> None:
    """审核：按各行自己的规则重算公布的评分表（规则文件或自评表 xlsx/csv）。Audit published score tables."""
    from perfrules import pipeline
    from perfrules.audit import audit_file, only
    from perfrules.render.audit import render_audit
    from perfrules.render.audit_paper import PAPER_FORMATS, paper_text, write_paper_xlsx
    from perfrules.settings import options

    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx 须用 -o 指定输出文件 / --format xlsx needs -o FILE")
    codes = _codes(select) or ["PR3"]
    settings = settings_for(paths, cli=options(codes, fail_on=fail_on))
    findings, sources, blocked, parts, audits = [], {}, False, [], []
    for path in paths:
        done = audit_file(path, settings)
        run, rows = done.run, done.rows
        assert isinstance(run, pipeline.Run)
        blocked = blocked or run.plan is None or run.blocked
        kept = [f for f in run.sorted_findings() if settings.enabled(f.code) or f.code in ("PR024", "PR019")
                or (f.severity.value == "error" and f.code.startswith("PR0"))]
        findings += kept
        audits.append(only(done, kept))
        sources.update(run.sources)
        if fmt == "text" and rows:
            total = next((str(e.value) for e in run.plan.expect if e.target == "total"), None) if run.plan else None
            places = (run.plan.places, run.plan.rounding) if run.plan else (2, "ROUND_HALF_UP")
            parts.append(f"{path}\n" + render_audit(rows, run.result, total, lang, *places))
    if fmt == "xlsx":
        from perfrules.outputs import atomic_path

        assert output is not None
        try:
            with atomic_path(output) as temporary:  # the workbook appears whole or not at all
                write_paper_xlsx(audits, temporary, lang)
        except OSError as error:
            cannot_write(output, error)
        sys.exit(EXIT_INPUT if blocked else _fail_level_exit(findings, fail_on))
    if fmt in PAPER_FORMATS:
        text = paper_text(fmt, audits, findings, [str(p) for p in paths], lang)
    else:
        text = _findings_report(fmt, findings, [str(p) for p in paths], sources, lang, output, fail_on)
    if fmt == "text":
        text = "\n\n".join(parts) + ("\n\n" + text if text else "")
    emit(text, output)
    sys.exit(EXIT_INPUT if blocked else _fail_level_exit(findings, fail_on))


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
    from perfrules.messages import CODES

    en = lang == "en"
    severity = {"error": "错误", "warning": "警告", "info": "提示"} if not en else {}
    rows = [(code, entry.severity, entry.title_en if en else entry.title_zh, entry.blocking)
            for code, entry in CODES.items()]  # the language's codes, as --format markdown lists them
    rows += [(c.code, c.severity.value, c.title_en if en else c.title, False) for c in all_checks()]
    for code, level, title, blocking in sorted(rows):
        word = severity.get(level, level)
        mark = (" ✱" if blocking else "  ")
        click.echo(f"{code}{mark} {word}{' ' * (7 - len(word) * (2 if not en else 1))}  {title}")
    click.echo("✱ 语言与编译错误：文件无法评分，退出码 2，不能用 noqa 抑制（其中个别写法只是警告或提示，perfrules rule 代码 "
               "标注了它们）；perfrules rule 代码 查看详细说明" if not en else
               "✱ a language or compile error: the file cannot be evaluated (exit 2), noqa cannot suppress it (a few of "
               "their messages are only warnings or infos: perfrules rule CODE marks them); perfrules rule CODE explains a code")


@main.command("rule")
@click.argument("code")
@lang_option
def rule_command(code: str, lang: str) -> None:
    """解释一个检查：为什么重要、反例与正例。Explain one check."""
    from perfrules.checks import get_check
    from perfrules.checks.docs import describe, describe_code
    from perfrules.messages import CODES

    check = get_check(code)
    if check is None and code.upper() in CODES:  # a language or compile code: PR001, PR013, …
        click.echo(describe_code(code.upper(), lang), nl=False)
        return
    if check is None:
        from perfrules.checks import nearest_codes

        near = nearest_codes(code)
        guess = f"是不是 {'、'.join(near)}？" if near else ""
        raise click.BadParameter(f"没有检查 {code}；{guess}用 perfrules rules 查看全部 / no such check"
                                 + (f"; did you mean {', '.join(near)}?" if near else ""), param_hint="CODE")
    click.echo(describe(check, lang))


# ---------------------------------------------------------------- helpers


def _fix_files(files: list[str], runs: dict[str, Any], findings: list[Any], add_noqa: bool, diff: bool,
               lang: str) -> int:
    """Make (or with `diff` print) the safe fixes, or the noqa comments, of each file; how many files changed.

    Every file's edits are verified (perfrules.fixes.verify): a file whose plan would change elsewhere is
    left as it is, and the reason said.
    """
    from collections import Counter
    from pathlib import Path

    from perfrules import fixes
    from perfrules.outputs import write_atomic

    en = lang == "en"
    changed, counts = 0, Counter[str]()
    for file in files:
        run = runs.get(str(file))
        text, _problems = read_as_is(file)
        if run is None or text is None or run.plan is None:
            continue
        mine = [f for f in findings if f.span is not None and f.span.file == str(file)
                and (add_noqa or f.via is None)]  # a fix is made from the file's own run, not a project's using it
        body = text.removeprefix("\ufeff")
        lines = fixes.split_keeping_ends(body)[0]
        edits = fixes.add_noqa(mine, str(file), lines) if add_noqa else fixes.edits_for(mine, run, lines)
        done = fixes.fix_text(text, str(file), edits)
        if done.refused:
            click.echo(f"{'未修复' if not en else 'not fixed'} {file}: {done.refused}", err=True)
            continue
        if not done.changed:
            continue
        changed += 1
        counts += done.counts
        if diff:
            write_stdout(unified_diff(text, done.after, str(file)))
            continue
        try:
            write_atomic(Path(file), done.after)
        except OSError as error:
            cannot_write(Path(file), error)
    total = sum(counts.values())
    if add_noqa:
        verb = ("将添加" if diff else "已添加") if not en else ("would add" if diff else "added")
        click.echo(f"{verb} {total} 个 noqa 注释 / {total} noqa comment(s)" if not en else f"{verb} {total} noqa comment(s)",
                   err=True)
    elif total:
        label = {fixes.FULL_WIDTH_CODE: "全角符号" if not en else "full-width"}
        parts = "，".join(f"{label.get(code, code)} ×{n}" for code, n in sorted(counts.items()))
        verb = ("可修复" if diff else "已修复") if not en else ("would fix" if diff else "fixed")
        click.echo(f"{verb} {total} 处（{parts}）" if not en else f"{verb} {total} ({parts})", err=True)
    return changed


def _findings_report(fmt: str, findings: list[Any], files: list[str], sources: dict[str, list[str]], lang: str,
                     output: Path | None, fail_on: str = "error", fail_on_of: dict[str, str] | None = None) -> str:
    """Findings in one of the CI formats (text, json, sarif, github, junit), paths relative to here."""
    from pathlib import Path

    from perfrules.render import lint as render

    root = Path.cwd()
    if fmt == "json":
        return render.as_json(findings, files, lang)
    if fmt == "sarif":
        return render.sarif(findings, lang, root, sources)
    if fmt == "github":
        return render.github(findings, lang, root)
    if fmt == "junit":
        return render.junit(findings, files, lang, fail_on, fail_on_of)
    return render.text(findings, lang, colour(output))


def _fail_level_exit(findings: list[Any], fail_on: str) -> int:
    level = {"error": 3, "warning": 2, "info": 1}[fail_on]
    return EXIT_FINDINGS if any(f.severity.rank >= level for f in findings) else EXIT_OK


def _apply_baseline(findings: list[Any], baseline: Path | None, write: Path | None, root: Path,
                    sources: dict[str, list[str]]) -> list[Any]:
    from perfrules.checks.baseline import fingerprint, read_baseline, write_baseline

    if write is not None:
        try:  # an input error is never baselined (--baseline always reports it): not written
            write_baseline(write, [f for f in findings if not is_input(f)], root, sources)
        except OSError as error:
            cannot_write(write, error)
    if baseline is None:
        return findings
    try:
        known = read_baseline(baseline)
    except OSError as error:
        from perfrules.messages import os_reason

        raise click.BadParameter(f"无法读取 {baseline}：{os_reason(error)} / cannot read {baseline}: "
                                 f"{error.strerror or error}", param_hint="--baseline") from error
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--baseline") from error
    return [f for f in findings if is_input(f) or fingerprint(f, root, sources) not in known]


def is_input(finding: Any) -> bool:
    from perfrules.findings import is_input_error

    return is_input_error(finding)


def _codes(values: tuple[str, ...], option: str = "--select") -> list[str]:
    """The codes and prefixes of --select/--ignore; an unknown one is a usage error (exit 2) naming the nearest codes."""
    import re

    from perfrules.checks import known_codes, nearest_codes

    codes = [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
    bad = [c for c in codes if not re.fullmatch(r"PR\d{0,3}", c)]
    if bad:
        raise click.UsageError(f"{option} 的代码 {'、'.join(bad)} 无效：应为 PR201 这样的代码或 PR2 这样的前缀"
                               f" / not a code or prefix: {', '.join(bad)}")
    known = known_codes()
    for code in codes:
        if not any(k.startswith(code) for k in known):
            near = nearest_codes(code)
            guess = f"是不是 {'、'.join(near)}？" if near else ""
            raise click.UsageError(f"{option} 中的 {code} 不是已知的代码：{guess}用 perfrules rules 查看全部检查"
                                   f" / unknown code {code}" + (f"; did you mean {', '.join(near)}?" if near else ""))
    return codes
