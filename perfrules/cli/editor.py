"""Editor commands: fmt and the language server."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from perfrules.cli import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    _expand,
    _print_findings,
    lang_option,
    main,
)


@main.command("fmt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--check", is_flag=True, help="只检查，文件需要格式化时退出码为 1 / exit 1 if a file would change.")
@click.option("--diff", is_flag=True, help="显示改动而不写入 / show the changes instead of writing.")
@lang_option
def fmt_command(paths: tuple[Path, ...], check: bool, diff: bool, lang: str) -> None:
    """格式化：统一规则文件的排版，保留全部注释。Format rule files (use - for stdin to stdout)."""
    import difflib

    from perfrules.fmt import format_text
    from perfrules.syntax import read_source
    from perfrules.syntax.source import lines

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
        text, problems = read_source(file)
        if text is None:
            _print_findings(problems, lang)
            failed = True
            continue
        formatted, findings = format_text(text, str(file))
        if formatted is None:
            _print_findings(findings, lang, {str(file): lines(text)})
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
