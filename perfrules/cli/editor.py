"""Editor commands: fmt and the language server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from perfrules.cli import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    _cannot_write,
    _expand,
    _print_findings,
    lang_option,
    main,
)


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
    files = _expand(paths)
    changed, failed = [], False
    for file in files:
        text, problems = _read(file)
        if text is None:
            _print_findings(problems, lang)
            failed = True
            continue
        formatted, findings = _format(text, str(file), verify=not check or diff)
        if formatted is None:
            from perfrules.syntax.source import lines

            _print_findings(findings, lang, {str(file): lines(text)})
            failed = True
            continue
        if formatted == text:
            continue
        changed.append(file)
        if diff:
            _write_stdout(_diff(text, formatted, str(file)))
        elif check:
            click.echo(f"{'需要格式化' if lang != 'en' else 'would reformat'}: {file}", err=True)
        else:
            from perfrules.outputs import write_atomic

            try:
                write_atomic(file, formatted)
            except OSError as error:
                _cannot_write(file, error)
    verb = ("需要格式化" if check or diff else "已格式化") if lang != "en" else ("would reformat" if check or diff else "reformatted")
    click.echo(f"{verb} {len(changed)} / {len(files)}" if lang == "en" else f"{verb} {len(changed)} 个文件，共 {len(files)} 个",
               err=True)
    if failed:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if (check or diff) and changed else EXIT_OK)


def _fmt_stdin(check: bool, diff: bool, lang: str) -> int:
    """`fmt -`: the formatted text on stdout; with --diff a unified diff, with --check only whether it would change."""
    from perfrules import limits
    from perfrules.findings import Finding, Span

    data = sys.stdin.buffer.read(limits.MAX_FILE_BYTES + 1)
    if len(data) > limits.MAX_FILE_BYTES:
        _print_findings([Finding.make("PR003", Span.point("-", 1, 1),
                                      reason=limits.too_large_reason(len(data), limits.MAX_FILE_BYTES))], lang)
        return EXIT_INPUT
    text, problems = _decode(data, "-")
    if text is None:
        _print_findings(problems, lang)
        return EXIT_INPUT
    formatted, findings = _format(text, "-", verify=not check or diff)
    if formatted is None:
        from perfrules.syntax.source import lines

        _print_findings(findings, lang, {"-": lines(text.removeprefix(BOM))})
        return EXIT_INPUT
    if diff:
        _write_stdout(_diff(text, formatted, "-"))
        return EXIT_FINDINGS if formatted != text else EXIT_OK
    if check:
        if formatted != text:
            click.echo(f"{'需要格式化' if lang != 'en' else 'would reformat'}: -", err=True)
            return EXIT_FINDINGS
        return EXIT_OK
    _write_stdout(formatted)
    return EXIT_OK


BOM = "\ufeff"


def _read(file: Path) -> tuple[str | None, list[Any]]:
    """A rule file's text as it is on disk, a leading BOM included (read_source drops it), or PR003."""
    from perfrules.syntax import read_source

    text, problems = read_source(file)
    if text is None:
        return None, problems
    try:
        with open(file, "rb") as handle:
            head = handle.read(3)
    except OSError:
        head = b""
    return (BOM + text if head == BOM.encode() and not text.startswith(BOM) else text), []


def _decode(data: bytes, file: str) -> tuple[str | None, list[Any]]:
    """Standard input as text (UTF-8, a BOM kept as "\ufeff"), or a PR003 finding as for a file."""
    from perfrules.findings import Finding, Span
    from perfrules.syntax.source import decode

    try:
        text = decode(data)
    except (UnicodeDecodeError, ValueError):
        reason = "不是 UTF-8 文本（可能是二进制文件）"
        return None, [Finding.make("PR003", Span.point(file, 1, 1), reason=reason, hint="binary")]
    return (BOM + text if data.startswith(BOM.encode()) else text), []


def _format(text: str, file: str, verify: bool) -> tuple[str | None, list[Any]]:
    from perfrules.fmt import format_text

    return format_text(text, file, verify=verify)


def _diff(before: str, after: str, name: str) -> str:
    """A unified diff as black and ruff print it: `--- name` / `+++ name`, each line with its own ending."""
    import difflib
    import io

    def split(text: str) -> list[str]:  # lines as the parser counts them: "\n", "\r\n" and "\r" end one
        return io.StringIO(text, newline="").readlines()

    out = []
    for line in difflib.unified_diff(split(before), split(after), name, name):
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _write_stdout(text: str) -> None:
    """Text to stdout as UTF-8 bytes, line endings untouched (a text stream would translate them on Windows)."""
    sys.stdout.flush()
    stream = sys.stdout.buffer
    stream.write(text.encode("utf-8"))
    stream.flush()


@main.command("lsp")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, envvar="PERFRULES_LANG",
              help="悬停和诊断的语言（默认按编辑器的语言）/ language of hovers and diagnostics (default: the editor's).")
def lsp_command(lang: str | None) -> None:
    """语言服务器（stdio），供编辑器使用。Run the language server over stdio."""
    from perfrules.lsp.server import main as serve

    serve(lang)
