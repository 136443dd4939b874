"""Settings, resolved once for every face into a perfrules.checks.config.Config.

Later layers win:

    defaults                                   (each check's declared settings, every check on)
    < the settings file                        (the nearest perfrules.toml, or pyproject.toml with a
                                                [tool.perfrules] table, above the rule file; or --config FILE)
    < the ruleset's own `policy { ... }` block
    < the command line's options               (--select, --ignore, --fail-on, ...)

`resolve` gives the first two layers and the last as a `Settings`; `Settings.config(policy)` puts the
ruleset's policy between them (perfrules.pipeline.check_run does, for every command and the language
server). Settings that do not fit the schema raise ConfigError; the command line says it as
`bad_settings(error)` (exit 2), the language server as a PR014.settings finding.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from perfrules.checks.config import Config, ConfigError, problem
from perfrules.findings import Finding, Span

SETTINGS_FILES = ("perfrules.toml", "pyproject.toml")
CLI_SOURCE = "命令行"


@dataclass(frozen=True)
class Settings:
    """The settings of one run: the file layer (defaults < settings file) and the command line's options.

    They are kept apart so that a ruleset's `policy` goes between them (`config`).
    """

    file: Config = field(default_factory=Config)
    options: tuple[tuple[str, Any], ...] = ()  # schema keys ("select", "fail-on", ...), applied last
    # the Configs made so far, by policy: each is checked against the schema once (lint asks per finding)
    _made: dict[tuple[tuple[tuple[str, str], ...], str], Config] = field(default_factory=dict, compare=False,
                                                                         repr=False)

    def config(self, policy: tuple[tuple[str, str], ...] = (), source: str = "policy") -> Config:
        """The Config a check run uses: the file layer, then `policy` (a ruleset's block), then the options.

        Raises ConfigError when the policy does not fit the schema.
        """
        key = (policy, source if policy else "")  # without a policy the source names nothing
        made = self._made.get(key)
        if made is None:
            made = from_policy(self.file, policy, source)
            made = made.merged(dict(self.options), CLI_SOURCE) if self.options else made
            self._made[key] = made
        return made

    @property
    def fail_on(self) -> str:
        return self.config().fail_on

    def enabled(self, code: str) -> bool:
        """Whether `code` is reported under the settings file and the options (a ruleset's policy aside)."""
        return self.config().enabled(code)


def options(select: list[str] | tuple[str, ...] = (), ignore: list[str] | tuple[str, ...] = (),
            fail_on: str | None = None) -> tuple[tuple[str, Any], ...]:
    """The command line's settings as schema keys; options not given are left out (they do not override)."""
    given: list[tuple[str, Any]] = []
    if select:
        given.append(("select", list(select)))
    if ignore:
        given.append(("ignore", list(ignore)))
    if fail_on:
        given.append(("fail-on", fail_on))
    return tuple(given)


def resolve(file: str | os.PathLike[str] | None, config_file: str | os.PathLike[str] | None = None,
            cli: tuple[tuple[str, Any], ...] = ()) -> Settings:
    """The settings for a rule file: `config_file` if given, else the nearest settings file above `file`.

    Raises ConfigError (file and reason in the message) when a settings file cannot be read or does
    not fit the schema, or the options do not.
    """
    if config_file is not None:
        base = _file_config(os.fspath(config_file), explicit=True)
    elif file is not None:
        found = nearest(os.fspath(file))
        base = _file_config(found) if found is not None else Config()
    else:
        base = Config()
    settings = Settings(base, cli)
    if cli:
        settings.config()  # the options are checked now, not at the first ruleset
    return settings


def bad_settings(error: ConfigError | OSError) -> str:
    """What every command says of settings that cannot be used (Chinese first, then English)."""
    if isinstance(error, ConfigError):
        return f"设置有误：{error} / bad settings: {error.en}"
    return f"设置有误 / bad settings: {error}"


def settings_finding(error: ConfigError | OSError, file: str) -> Finding:
    """Settings that cannot be used, as a finding of the rule file they hold for (PR014.settings, blocking).

    Where a face goes on past one project (a batch, `check DIR`, the language server, an audit), this is
    what that project gives; the message names the settings file and, when known, the line.
    """
    return Finding.make("PR014", Span.point(file, 1, 1), key="PR014.settings", hint="PR014.settings",
                        reason=error.said() if isinstance(error, ConfigError) else str(error))


def find_settings(start: str | os.PathLike[str]) -> tuple[dict[str, Any], str] | None:
    """The nearest `perfrules.toml`, or `pyproject.toml` with a [tool.perfrules] table, above `start`: (table, path)."""
    found = nearest(os.fspath(start))
    return None if found is None else (_table(found), found)


def nearest(start: str) -> str | None:
    """The settings file that holds for `start` (a file or a folder): the first found walking up its folders.

    A perfrules.toml counts whatever it holds; a pyproject.toml only with a [tool.perfrules] table.
    """
    folder = start if os.path.isdir(start) else os.path.dirname(start) or os.curdir
    try:
        folder = os.path.realpath(folder)
    except (OSError, ValueError):
        folder = os.path.abspath(folder)
    while True:
        for name in SETTINGS_FILES:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and (name == "perfrules.toml" or _has_table(path)):
                return path
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def configured_roots(file: str) -> tuple[str, ...]:
    """The folders besides its own and std/ that a rule file may `use` from: `roots` of its settings file.

    Settings that cannot be read give none here; the check stage reports them.
    """
    try:
        found = nearest(file)
        roots = _table(found).get("roots", []) if found is not None else []
    except (ConfigError, OSError):
        return ()
    if found is None or not isinstance(roots, list):
        return ()
    return tuple(os.path.join(os.path.dirname(found), root) for root in roots if isinstance(root, str))


def from_policy(config: Config, policy: tuple[tuple[str, str], ...], source: str) -> Config:
    """A ruleset's `policy` block on top of `config`: one `over_completion_warning 150%` or `PR201 error` a line.

    A policy that does not fit raises ConfigError without a source (the finding is located at the line), its
    `key` the key as the block writes it (`over_completion_warnin`, `PR999`), naming the keys that way too.
    """
    if not policy:
        return config
    from perfrules.checks.config import validate

    settings: dict[str, Any] = {}
    written: dict[tuple[str, ...], str] = {}
    for key, value in policy:
        if key == "roots":  # a rule file must not widen what it may read
            raise problem("", "roots 只能写在 pyproject.toml 或 perfrules.toml 中，不能写在规则集的 policy 中",
                          "roots belongs in pyproject.toml or perfrules.toml, not in a ruleset's policy", key)
        if key.upper().startswith("PR") and key[2:].isdigit():
            settings.setdefault("severity", {})[key.upper()] = value
            written[("severity", key.upper())] = key
        else:
            settings[key.replace("_", "-")] = value
            written[(key.replace("_", "-"),)] = key

    def spell(keys: tuple[str, ...]) -> str:
        return written.get(keys) or " ".join(k.replace("-", "_") for k in keys[-1:])

    validate(settings, "", spell)
    return config.merged(settings, source)


# ---------------------------------------------------------------- reading a settings file, once per version

# path -> ((mtime_ns, size), its perfrules table or None, the Config it gives or None until asked)
_READ: dict[str, tuple[tuple[int, int], dict[str, Any] | None, Config | None]] = {}


def _file_config(path: str, explicit: bool = False) -> Config:
    """Defaults with this settings file on top (read and checked against the schema once per version).

    A setting that does not fit the schema raises ConfigError naming the file and the setting's line.
    """
    table = _table(path, explicit)
    entry = _READ[path]
    if entry[2] is None:
        try:
            config = Config().merged(table, path)
        except ConfigError as error:
            line = _line_of(path, error.key)
            if line is None:
                raise
            raise ConfigError(f"{path}:{line}: {error.detail}", error.key, line, en=f"{path}:{line}: {error.detail_en}",
                              detail=error.detail, detail_en=error.detail_en) from error
        _READ[path] = (entry[0], entry[1], config)
        return config
    return entry[2]


def _has_table(path: str) -> bool:
    try:
        return _load(path) is not None
    except ConfigError:
        return True  # a broken pyproject.toml is reported, not skipped


def _table(path: str, explicit: bool = True) -> dict[str, Any]:
    table = _load(path)
    if table is None and not explicit:
        raise problem(path, "没有 [tool.perfrules] 表", "no [tool.perfrules] table", None)
    return table or {}


def _load(path: str) -> dict[str, Any] | None:
    """The perfrules table of a settings file (None: a pyproject.toml without one), read once per mtime and size."""
    from perfrules import limits
    from perfrules.messages import os_reason

    try:
        info = os.stat(path)
    except OSError as error:
        raise problem(path, os_reason(error), error.strerror or str(error), None) from error
    stamp = (info.st_mtime_ns, info.st_size)
    cached = _READ.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        raw = limits.read_bytes(path)
    except OSError as error:
        raise problem(path, os_reason(error), error.strerror or str(error), None) from error
    except limits.LimitError as error:
        raise problem(path, str(error), str(getattr(error, "en", error)), None) from error
    table = _table_of(raw, path, os.path.basename(path) == "pyproject.toml")
    _READ[path] = (stamp, table, None)
    return table


def _table_of(raw: bytes, path: str, pyproject: bool) -> dict[str, Any] | None:
    """The perfrules table these bytes of a settings file hold (None: a pyproject.toml without one).

    What was read from the very same bytes before is taken from perfrules.cache: tomllib (pure Python) is not
    loaded for a project's pyproject.toml that has not changed.
    """
    from perfrules import cache

    known = cache.kept(_KEPT).get(path)
    if isinstance(known, tuple) and len(known) == 2 and known[0] == raw:  # the same bytes as last time
        table = known[1]
        if table is None or (isinstance(table, dict) and all(isinstance(k, str) for k in table)):
            return dict(table) if table is not None else None
    import tomllib

    from perfrules.syntax.source import BOM

    try:
        data = tomllib.loads(raw.removeprefix(BOM).decode("utf-8"))
    except tomllib.TOMLDecodeError as error:
        import re

        line, column = _toml_place(error)
        where = f"{path}:{line}:{column}" if line is not None else path
        detail = re.sub(r"\s*\(at line \d+, column \d+\)$", "", str(error))  # said once, in front
        raise ConfigError(f"{where}: TOML 语法错误：{detail}", line=line, column=column,
                          en=f"{where}: TOML syntax error: {detail}") from error
    except UnicodeDecodeError as error:
        raise problem(path, f"不是 UTF-8 编码的文本（第 {error.start + 1} 个字节）",
                      f"not UTF-8 text (byte {error.start + 1})", None) from error
    table = data.get("tool", {}).get("perfrules") if pyproject else data
    if table is not None and not isinstance(table, Mapping):
        raise problem(path, "[tool.perfrules] 应为一个表", "[tool.perfrules] must be a table", None)
    found = dict(table) if table is not None else None
    if len(raw) <= _KEPT_BYTES and _plain(found):
        cache.keep(_KEPT, path, (raw, found))
    return found


_KEPT = "settings.marshal"  # perfrules.cache's file: settings file -> (its bytes when last read, its table)
_KEPT_BYTES = 64 * 1024  # larger settings files are read every time


def _plain(value: object) -> bool:
    """Whether a TOML value is made of what perfrules.cache can keep (a date or time is not)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def _toml_place(error: Exception) -> tuple[int | None, int | None]:
    """Where a TOML syntax error is: its lineno/colno (Python 3.14), else the "(at line 3, column 5)" it ends with."""
    import re

    line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
    if isinstance(line, int) and isinstance(column, int):
        return line, column
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    return (int(found.group(1)), int(found.group(2))) if found else (None, None)


def _line_of(path: str, key: str | None) -> int | None:
    """The line of a settings file where `key` is set (`key = ...`, quoted or not), inside the perfrules table
    of a pyproject.toml; None when it cannot be told (the file was read a moment ago, within its limits)."""
    import re

    from perfrules import limits

    if not key:
        return None
    try:
        lines = limits.read_bytes(path).decode("utf-8-sig").splitlines()
    except (OSError, limits.LimitError, UnicodeDecodeError):
        return None
    pyproject = os.path.basename(path) == "pyproject.toml"
    assignment = re.compile(r"""\s*["']?""" + re.escape(key) + r"""["']?\s*=""")
    inside = not pyproject
    for number, line in enumerate(lines, 1):
        header = re.fullmatch(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?", line)
        if header is not None:
            inside = not pyproject or header.group(1).replace(" ", "").startswith("tool.perfrules")
            continue
        if inside and assignment.match(line):
            return number
    return None
