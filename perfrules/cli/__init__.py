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


# The commands, by concern; each module adds its commands to `main` when imported.
from perfrules.cli import editor, score, validate  # noqa: E402

__all__ = ["editor", "main", "score", "validate"]
