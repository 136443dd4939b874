"""Editor commands: fmt and the language server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from perfrules.cli import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, lang_option, main
from perfrules.cli.common import BOM, cannot_write, expand_some, print_findings, read_as_is, unified_diff, write_stdout


@main.command("fmt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--check", is_flag=True, help="只检查：列出需要格式化的文件，有则退出码为 1 / list the files that would change, "
                                            "exit 1 if any.")
@click.option("--diff", is_flag=True, help="显示改动（统一差异格式）而不写入，有改动时退出码为 1 / print a unified diff "
                                           "instead of writing, exit 1 if any.")
@lang_option
def fmt_command(paths: tuple[Path, ...], check: bool, diff: bool, lang: str) -> None:
    """格式化：统一规则文件的排版，保留全部注释、BOM 和换行符。Format rule files (use - for stdin to stdout).

    像 black/ruff format：--check 列出需要格式化的文件，--diff 输出统一差异；有改动时二者的退出码都是 1。
    """
    if len(paths) == 1 and str(paths[0]) == "-":
        sys.exit(_fmt_stdin(check, diff, lang))
    if any(str(p) == "-" for p in paths):
        raise click.UsageError("- （标准输入）只能单独使用 / - (stdin) cannot be combined with files")
    files = expand_some(paths, stdin=True)
    changed, failed = [], 0
    en = lang == "en"
    for file in files:
        text, problems = read_as_is(file)
        if text is None:
            print_findings(problems, lang)
            click.echo(f"{_cannot(check or diff, en)}: {file}", err=True)
            failed += 1
            continue
        formatted, findings = _format(text, str(file), verify=not check or diff)
        if formatted is None:  # a syntax error, or a layout that would change the plan (PR004): left as it is
            from perfrules.syntax.source import lines

            print_findings(findings, lang, {str(file): lines(text)})
            click.echo(f"{_cannot(check or diff, en)}: {file}", err=True)
            failed += 1
            continue
        if formatted == text:
            continue
        changed.append(file)
        if diff:
            write_stdout(unified_diff(text, formatted, str(file)))
        elif check:
            click.echo(f"{'需要格式化' if not en else 'would reformat'}: {file}", err=True)
        else:
            from perfrules.outputs import write_atomic

            try:
                write_atomic(file, formatted)
            except OSError as error:
                cannot_write(file, error)
    click.echo(_fmt_summary(len(files), len(changed), failed, check or diff, en), err=True)
    if failed:  # as black: a file that cannot be formatted is exit 2, whatever the others
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if (check or diff) and changed else EXIT_OK)


def _cannot(dry: bool, en: bool) -> str:
    return ("would fail to reformat" if dry else "cannot format") if en else "无法格式化"


def _fmt_summary(files: int, changed: int, failed: int, dry: bool, en: bool) -> str:
    """The last line of fmt, as black says it: what would change (or changed), what cannot be formatted."""
    if not changed and not failed:  # nothing to do is not "0 files would be reformatted"
        return f"{files} file(s) already formatted" if en else f"{files} 个文件已是规范格式"
    if en:
        parts = [f"{'would reformat' if dry else 'reformatted'} {changed} / {files}"]
        if failed:
            parts.append(f"{failed} {'would fail to reformat' if dry else 'could not be formatted'}")
        return ", ".join(parts)
    said = f"{'需要格式化' if dry else '已格式化'} {changed} 个文件"
    if failed:
        said += f"，{failed} 个文件无法格式化（有语法错误或无法读取，见上）"
    return said + f"，共 {files} 个"


def _fmt_stdin(check: bool, diff: bool, lang: str) -> int:
    """`fmt -`: the formatted text on stdout; with --diff a unified diff, with --check only whether it would change."""
    from perfrules import limits
    from perfrules.findings import Finding, Span
    from perfrules.messages import Said

    data = sys.stdin.buffer.read(limits.MAX_FILE_BYTES + 1)
    if len(data) > limits.MAX_FILE_BYTES:
        print_findings([Finding.make("PR003", Span.point("-", 1, 1),
                                      reason=Said(*limits.too_large_reason(len(data), limits.MAX_FILE_BYTES)))], lang)
        return EXIT_INPUT
    text, problems = _decode(data, "-")
    if text is None:
        print_findings(problems, lang)
        return EXIT_INPUT
    formatted, findings = _format(text, "-", verify=not check or diff)
    if formatted is None:
        from perfrules.syntax.source import lines

        print_findings(findings, lang, {"-": lines(text.removeprefix(BOM))})
        return EXIT_INPUT
    if diff:
        write_stdout(unified_diff(text, formatted, "-"))
        return EXIT_FINDINGS if formatted != text else EXIT_OK
    if check:
        if formatted != text:
            click.echo(f"{'需要格式化' if lang != 'en' else 'would reformat'}: -", err=True)
            return EXIT_FINDINGS
        return EXIT_OK
    write_stdout(formatted)
    return EXIT_OK


def _decode(data: bytes, file: str) -> tuple[str | None, list[Any]]:
    """Standard input as text (UTF-8, a BOM kept as "\ufeff"), or a PR003 finding as for a file."""
    from perfrules.findings import Finding, Span
    from perfrules.syntax.source import decode

    try:
        text = decode(data)
    except (UnicodeDecodeError, ValueError):
        from perfrules.messages import NOT_TEXT, Said

        reason = Said(*NOT_TEXT["binary"])
        return None, [Finding.make("PR003", Span.point(file, 1, 1), reason=reason, hint="binary")]
    return (BOM + text if data.startswith(BOM.encode()) else text), []


def _format(text: str, file: str, verify: bool) -> tuple[str | None, list[Any]]:
    """The formatted text. Writing it (and --diff, which shows what would be written) first compares the
    plans (`verify`); --check writes nothing and only asks whether the layout differs: one parse, no compile."""
    from perfrules.fmt import format_text

    return format_text(text, file, verify=verify)


@main.command("lsp")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, envvar="PERFRULES_LANG",
              help="悬停和诊断的语言（默认按编辑器的语言）/ language of hovers and diagnostics (default: the editor's).")
def lsp_command(lang: str | None) -> None:
    """语言服务器（stdio），供编辑器使用。Run the language server over stdio."""
    from perfrules.lsp.server import main as serve

    serve(lang)
