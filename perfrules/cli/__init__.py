"""The command line: parse arguments, call the pipeline, pick a renderer, map findings to an exit code.

Exit codes: 0 fine; 1 a failed expect/check or another error-level finding; 2 bad usage or
an input that cannot be read, parsed or compiled; 3 an internal error (a perfrules bug, never the input).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from perfrules import __version__

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
ISSUES = "https://github.com/perfrules/perfrules/issues"  # perfrules.checks.registry.REPOSITORY + "/issues"


# click's own messages (usage errors, --help headings), Chinese first like every other message: one table,
# installed once into the click modules that call gettext (they bind `_`/`ngettext` when imported).
CLICK_ZH = {
    "Error: {message}": "错误：{message}",
    "Usage:": "用法：",
    "Try '{command} {option}' for help.": "用 '{command} {option}' 查看帮助 / Try '{command} {option}' for help.",
    "Options": "选项 Options",
    "Commands": "命令 Commands",
    "Positional arguments": "位置参数 Positional arguments",
    "Show this message and exit.": "显示本帮助并退出 / Show this message and exit.",
    "Show the version and exit.": "显示版本并退出 / Show the version and exit.",
    "Aborted!": "已中止 / Aborted!",
    "Missing command.": "缺少命令 / Missing command.",
    "Missing argument": "缺少参数 / Missing argument",
    "Missing option": "缺少选项 / Missing option",
    "Missing parameter": "缺少参数 / Missing parameter",
    "Missing {param_type}": "缺少 {param_type} / Missing {param_type}",
    "Missing parameter: {param_name}": "缺少参数 {param_name} / Missing parameter: {param_name}",
    "No such option {name!r}.": "没有选项 {name!r} / No such option {name!r}.",
    "No such command {name!r}.": "没有命令 {name!r} / No such command {name!r}.",
    "Did you mean {possibility}?": "是不是 {possibility}？/ Did you mean {possibility}?",
    "(Did you mean one of: {possibilities}?)": "（是不是 {possibilities} 之一？/ Did you mean one of: {possibilities}?）",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）/ Got unexpected extra argument ({args})",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）/ Got unexpected extra arguments ({args})",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值 / Option {name!r} requires an argument.",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值 / Option {name!r} requires {nargs} arguments.",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值 / Option {name!r} does not take a value.",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice} / {value!r} is not {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一 / {value!r} is not one of {choices}.",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format} / does not match the format {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合格式 {formats} / does not match the formats {formats}.",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的 {number_type} / is not a valid {number_type}.",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内 / is not in the range {range}.",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在 / does not exist.",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件 / is a file.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个目录 / is a directory.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读 / is not readable.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写 / is not writable.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行 / is not executable.",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message} / Could not open file",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
}


def _zh(message: str) -> str:
    return CLICK_ZH.get(message, message)


def _nzh(singular: str, plural: str, n: int) -> str:
    return _zh(singular if n == 1 else plural)


def _install_click_messages() -> None:
    """Make click say its usage errors and headings in Chinese first (the table above is the one place)."""
    import importlib

    for name in ("core", "exceptions", "types", "parser", "formatting", "decorators", "termui"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _zh  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _nzh  # type: ignore[attr-defined]


_install_click_messages()


# Each command's module, imported when the command is asked for (a run of `check` loads neither the reports nor
# the language server); `perfrules --help` and a command's own lookup import the module that adds it to `main`.
COMMANDS = {
    "eval": "score", "compile": "score", "schema": "score", "import": "score",
    "check": "validate", "lint": "validate", "audit": "validate", "rules": "validate", "rule": "validate",
    "fmt": "editor", "lsp": "editor", "report": "report", "targets": "history",
}


class Group(click.Group):
    """The command group: an exception that escapes a command is perfrules' fault, said so in one line (exit 3)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            import importlib

            # an unknown name loads every command, so that click's "did you mean" can name the nearest
            for module in [COMMANDS[cmd_name]] if cmd_name in COMMANDS else sorted(set(COMMANDS.values())):
                importlib.import_module(f"perfrules.cli.{module}")
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # the reader went away (`perfrules rules | head -1`): click ends quietly, exit 1
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


# The commands, by concern (COMMANDS above): each module adds its commands to `main` when imported.
__all__ = ["COMMANDS", "main"]
