"""The command line: parse arguments, call the pipeline, pick a renderer, map findings to an exit code.

Exit codes: 0 fine; 1 a failed expect/check or another error-level finding; 2 bad usage or
an input that cannot be read, parsed or compiled; 3 an internal error (a perfrules bug, never the input).
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

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
ISSUES = "https://github.com/perfrules/perfrules/issues"


class Group(click.Group):
    """The command group: an exception that escapes a command is perfrules' fault, said so in one line (exit 3)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # everything a command can meet in its input is a finding; this is a bug
            internal_error(error)


def internal_error(error: BaseException) -> None:
    """One line saying that perfrules failed (not the user's file) and how to report it; exit EXIT_INTERNAL."""
    if os.environ.get("PERFRULES_TRACEBACK"):
        import traceback

        traceback.print_exception(error)
    where = f"{type(error).__name__}: {error}"[:300]
    click.echo(f"perfrules 内部错误（这是 perfrules 的缺陷，不是您的文件有问题）：{where}。"
               f"请把所用命令和输入文件报告到 {ISSUES}（设置 PERFRULES_TRACEBACK=1 可看到详细信息）"
               f" / perfrules failed internally; please report it", err=True)
    sys.exit(EXIT_INTERNAL)


def lang_option(func: F) -> F:
    return click.option(
        "--lang", type=click.Choice(["zh", "en"]), default="zh", envvar="PERFRULES_LANG", show_default=True,
        help="消息语言 / message language.",
    )(func)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="perfrules")
def main() -> None:
    """perfrules：预算绩效指标体系的规则语言与校验工具。

    A rule language and validator for budget performance indicator systems.

    \b
    perfrules eval rulesets/examples/retiree-services-2023.perf
    perfrules check rulesets/
    perfrules compile FILE -o plan.json
    """


# ---------------------------------------------------------------- helpers


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

    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _findings_text(findings: list[Any], lang: str, output: Path | None = None,
                   sources: dict[str, list[str]] | None = None) -> str:
    """The findings as a compiler prints them, quoting lines only from `sources` (the texts the run read)."""
    from perfrules.render.text import finding_lines

    lines: list[str] = []
    for finding in findings:
        lines += finding_lines(finding, lang, _colour(output), sources or {})
    return "\n".join(lines)


def _print_findings(findings: list[Any], lang: str, sources: dict[str, list[str]] | None = None) -> None:
    click.echo(_findings_text(findings, lang, sources=sources), err=True)


def _emit(text: str, output: Path | None) -> None:
    """Print `text`, or write it to `output` whole or not at all (a temporary file beside it, then os.replace)."""
    if output is None:
        click.echo(text)
        return
    from perfrules.outputs import write_atomic

    try:
        write_atomic(output, text + "\n")
    except OSError as error:
        _cannot_write(output, error)


def _cannot_write(output: Path, error: OSError, note: str = "") -> None:
    """An output file that cannot be written is bad usage (exit 2), said in one line, Chinese first."""
    from perfrules.messages import os_reason

    extra = f"；{note}" if note else ""
    click.echo(f"无法写入 {output}：{os_reason(error)}{extra} / cannot write {output}: {error.strerror or error}",
               err=True)
    sys.exit(EXIT_INPUT)


# The commands, by concern; each module adds its commands to `main` when imported.
from perfrules.cli import editor, report, score, validate  # noqa: E402

__all__ = ["editor", "main", "report", "score", "validate"]
