"""What the command modules share: finding the files, resolving the settings, printing, writing, exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import click

from perfrules.cli import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK

if TYPE_CHECKING:
    from pathlib import Path

    from perfrules.findings import Finding
    from perfrules.settings import Settings


class PathOnUse:
    """click's `path_type` for the options of commands that work with `pathlib.Path`: made when the option is given.

    pathlib (with urllib.parse and ipaddress, which it imports) is about 3 ms of a cold start, and `perfrules
    check` does not need it; a module whose decorators named `Path` itself would import it for every command.
    """

    def __new__(cls, value: str) -> Path:  # type: ignore[misc]
        from pathlib import Path

        return Path(value)


# ---------------------------------------------------------------- inputs


def data_for(file: str, data_dir: str | os.PathLike[str] | None) -> str | None:
    """The data file named like `file` in `data_dir` (.json, .yaml, .yml, .csv, .xlsx), if any."""
    if data_dir is None:
        return None
    stem = os.path.splitext(os.path.basename(file))[0]
    for suffix in (".json", ".yaml", ".yml", ".csv", ".xlsx"):
        candidate = os.path.join(data_dir, stem + suffix)
        if os.path.exists(candidate):
            return candidate
    return None


SPREADSHEETS = (".csv", ".xlsx", ".xlsm", ".xls")


def refuse_spreadsheet(path: str | os.PathLike[str], param: str = "PATHS") -> None:
    """A spreadsheet named where a rule file is due: a usage error that says which command reads it."""
    if os.path.splitext(path)[1].lower() in SPREADSHEETS:
        from perfrules.messages import HINTS

        zh, en = HINTS["spreadsheet"]
        raise click.BadParameter(f"{path}：{zh} / {en}", param_hint=param)


def expand(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """The rule files the paths name: a folder's *.perf files (recursively, sorted as paths), a file as it is."""
    files: list[str] = []
    for path in (tidy(os.fspath(p)) for p in paths):
        if os.path.isdir(path):
            files += rule_files(path)
        elif os.path.exists(path):
            refuse_spreadsheet(path)
            files.append(path)
        else:
            raise click.BadParameter(f"找不到 {path} / no such file or folder", param_hint="PATHS")
    return list(dict.fromkeys(files))  # a file named twice (a folder and a file in it) is checked once


def tidy(path: str) -> str:
    """`path` written as pathlib writes it, so that findings and baselines name a file one way: no `.` parts, no
    doubled or trailing separators (`./a//b/` is `a/b`); `..` is kept (it may pass through a link)."""
    drive, rest = os.path.splitdrive(path)
    if os.altsep:
        rest = rest.replace(os.altsep, os.sep)
    root = os.sep if rest.startswith(os.sep) else ""
    return drive + root + os.sep.join(part for part in rest.split(os.sep) if part not in ("", ".")) or "."


def expand_some(paths: Sequence[str | os.PathLike[str]], stdin: bool = False) -> list[str]:
    """`expand`, for the commands that check rule files (check, lint, fmt): paths that name no rule file at all
    (an empty or mistyped folder) are a usage error (exit 2), as is `-` for a command that does not read stdin."""
    if not stdin and any(os.fspath(p) == "-" for p in paths):
        raise click.BadParameter("此命令不读标准输入：请给出规则文件或目录（只有 fmt - 读标准输入；编辑器请用语言服务器"
                                 " perfrules lsp） / this command does not read stdin: give files or folders",
                                 param_hint="PATHS")
    files = expand(paths)
    if not files:
        named = "、".join(os.fspath(p) for p in paths)
        raise click.BadParameter(f"{named} 中没有 .perf 规则文件，没有检查任何文件（目录名写错了？）"
                                 f" / no .perf rule files found in {', '.join(os.fspath(p) for p in paths)}",
                                 param_hint="PATHS")
    return files


def rule_files(folder: str) -> list[str]:
    """The *.perf files in `folder` and the folders under it (not through links to folders), by their path's parts."""
    found = [tidy(os.path.join(top, name)) for top, _dirs, names in os.walk(folder) for name in names
             if name.endswith(".perf")]
    return sorted(found, key=lambda path: os.path.normcase(path).split(os.sep))


def used_frameworks(runs: Mapping[str, Any]) -> set[str]:
    """The rule files of a run of several that another of them `use`s and that have no actuals of their own: a
    framework is checked through the files that use it (its findings shown at their place in it, with the use
    line), not again alone, where its empty groups and partial weights are no problems (PR103, PR105)."""
    def real(path: str) -> str:
        return os.path.normcase(os.path.realpath(path))

    used = {real(path) for file, run in runs.items() for path in run.sources if real(path) != real(file)}
    return {file for file, run in runs.items()
            if real(file) in used and run.document is not None and not run.document.actuals}


def frameworks_said(frameworks: set[str], lang: str) -> str:
    """What the summary line adds when frameworks were checked through the files that use them."""
    if not frameworks:
        return ""
    names = "、".join(sorted(frameworks)) if lang != "en" else ", ".join(sorted(frameworks))
    return (f"；{len(frameworks)} 个被引用的框架（{names}）随引用它的文件检查" if lang != "en"
            else f"; {len(frameworks)} framework(s) used by the others ({names}) checked through them")


def settings_for(files: Sequence[Path | str], config_file: Path | None = None,
                 cli: tuple[tuple[str, Any], ...] = ()) -> Settings:
    """The settings of a command: --config FILE, or the settings file nearest the first rule file, and the options.

    Settings that cannot be used are a usage error (exit 2), said the same way by every command.
    """
    from perfrules.checks.config import ConfigError
    from perfrules.settings import bad_settings, resolve

    try:
        return resolve(files[0] if files else None, config_file, cli)
    except (ConfigError, OSError) as error:
        raise click.UsageError(bad_settings(error)) from error


BOM = "\ufeff"


def read_as_is(file: str | os.PathLike[str]) -> tuple[str | None, list[Finding]]:
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


# ---------------------------------------------------------------- outputs


def colour(output: Path | None = None) -> bool:
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def findings_text(findings: list[Finding], lang: str, output: Path | None = None,
                  sources: dict[str, list[str]] | None = None) -> str:
    """The findings as a compiler prints them, quoting lines only from `sources` (the texts the run read)."""
    from perfrules.render.text import finding_lines

    lines: list[str] = []
    for finding in findings:
        lines += finding_lines(finding, lang, colour(output), sources or {})
    return "\n".join(lines)


def print_findings(findings: list[Finding], lang: str, sources: dict[str, list[str]] | None = None) -> None:
    click.echo(findings_text(findings, lang, sources=sources), err=True)


def emit(text: str, output: Path | None) -> None:
    """Print `text`, or write it to `output` whole or not at all (a temporary file beside it, then os.replace)."""
    if output is None:
        click.echo(text)
        return
    from perfrules.outputs import write_atomic

    try:
        write_atomic(output, text + "\n")
    except OSError as error:
        cannot_write(output, error)


def cannot_write(output: str | os.PathLike[str], error: OSError, note: str = "") -> None:
    """An output file that cannot be written is bad usage (exit 2), said in one line, Chinese first."""
    from perfrules.messages import os_reason

    extra = f"；{note}" if note else ""
    reason = os_reason(error)
    click.echo(f"无法写入 {output}：{reason}{extra} / cannot write {output}: {reason.en}", err=True)
    sys.exit(EXIT_INPUT)


def write_stdout(text: str) -> None:
    """Text to stdout as UTF-8 bytes, line endings untouched (a text stream would translate them on Windows)."""
    sys.stdout.flush()
    stream = sys.stdout.buffer
    stream.write(text.encode("utf-8"))
    stream.flush()


def unified_diff(before: str, after: str, name: str) -> str:
    """A unified diff as black and ruff print it: `--- name` / `+++ name`, each line with its own ending."""
    import difflib
    import io

    def split(text: str) -> list[str]:  # lines as the parser counts them: "\n", "\r\n" and "\r" end one
        return io.StringIO(text, newline="").readlines()

    out = []
    for line in difflib.unified_diff(split(before), split(after), name, name):
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


# ---------------------------------------------------------------- exit codes


def exit_code(blocked: bool, findings: list[Finding]) -> int:
    if blocked:
        return EXIT_INPUT
    if any(f.severity.value == "error" for f in findings):
        return EXIT_FINDINGS
    return EXIT_OK
