"""Check settings: thresholds, severities, select/ignore. One schema validates users' settings and writes the docs.

Each threshold is declared by the check that reads it (`settings = (Setting(...),)` in its PRxxx.py);
`thresholds()` and `schema()` collect them from the registry.

Settings come, later ones winning, from the defaults below, `[tool.perfrules]` in a
`pyproject.toml` or a `perfrules.toml` (searched upwards from the rule file), and the
ruleset's own `policy { ... }` block (perfrules.settings finds and layers them, with the command line's options).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, NamedTuple

from perfrules.findings import Severity


class Setting(NamedTuple):
    """A threshold a check reads (`ctx.config.threshold(name)`), declared in that check's own file."""

    name: str  # as written in settings files: over-completion-info (in a policy block: over_completion_info)
    default: str  # as a person writes it: "120%" (kind percent) or "3" (kind count)
    kind: str  # percent | count
    zh: str  # the description in the settings table of docs/checks.md and in the schema
    en: str


@cache
def thresholds() -> dict[str, Setting]:
    """Every check's settings by name, in the order of the checks' codes (collected from the registry)."""
    from perfrules.checks import all_checks

    found: dict[str, Setting] = {}
    for check in all_checks():
        for setting in check.settings:
            if setting.name in found:
                raise TypeError(f"{check.code}: setting {setting.name} is declared twice")
            found[setting.name] = setting
    return found


def declared(name: str) -> Setting:
    """The setting `name` as its check declares it: looked up in the checks loaded so far (a running check's own
    family is among them, so `check` does not import the other families), else in `thresholds()`."""
    from perfrules.checks import loaded_checks

    for check in loaded_checks():
        for setting in check.settings:
            if setting.name == name:
                return setting
    return thresholds()[name]


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of `[tool.perfrules]` / perfrules.toml: the options below and every check's settings."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "perfrules settings ([tool.perfrules] / perfrules.toml)",
        "type": "object",
        "properties": {
            "select": {"type": "array", "items": {"type": "string", "pattern": "^PR[0-9]{0,3}$"},
                       "description": "只运行这些检查（代码或前缀）/ run only these codes or families"},
            "ignore": {"type": "array", "items": {"type": "string", "pattern": "^PR[0-9]{0,3}$"},
                       "description": "不运行这些检查（代码或前缀）/ skip these codes or families"},
            "fail-on": {"enum": ["error", "warning", "info"], "description": "达到此级别的问题使退出码为 1"},
            "roots": {"type": "array", "items": {"type": "string", "minLength": 1},
                      "description": "规则文件所在目录和 std/ 之外，use 还可以引用的目录（相对于设置文件）"
                                     " / folders besides the file's own and std/ that `use` may read, relative to the settings file"},
            "severity": {"type": "object", "propertyNames": {"pattern": "^PR[0-9]{3}$"},
                         "additionalProperties": {"enum": ["error", "warning", "info", "off"]},
                         "description": "改变某个检查的级别，off 表示关闭 / change a check's severity; off disables it"},
            **{s.name: {"type": ["string", "number"], "default": s.default, "description": s.zh}
               for s in thresholds().values()},
        },
        "additionalProperties": False,
    }


class ConfigError(ValueError):
    """Settings that do not fit the schema; the message says where and why, Chinese first.

    `key`: the setting it is about (as written in the file), when one is; perfrules.settings finds its line.
    `line`/`column`: where in the settings file, when known (a TOML syntax error says; a setting's line is found).
    `detail`/`en`: what is wrong without where, in Chinese and English (`en` whole, with where, when given);
    `said()` is the whole message in both languages, for a finding's argument.
    """

    def __init__(self, message: str, key: str | None = None, line: int | None = None,
                 column: int | None = None, en: str | None = None, detail: str | None = None,
                 detail_en: str | None = None) -> None:
        super().__init__(message)
        self.key, self.line, self.column = key, line, column
        self.en = en if en is not None else message
        self.detail = detail if detail is not None else message
        self.detail_en = detail_en if detail_en is not None else self.detail
        self.more: list[ConfigError] = []  # the other problems of the same settings, when validate found several

    def said(self) -> Any:
        """The message as a finding's argument: shown in Chinese, or in English under --lang en."""
        from perfrules.messages import Said

        return Said(str(self), self.en)


def problem(source: str, detail: str, detail_en: str, key: str | None) -> ConfigError:
    """A ConfigError about `key` of the settings from `source` (a file's path, or "" for a located policy block)."""
    where = f"{source}: " if source else ""
    return ConfigError(where + detail, key, en=where + detail_en, detail=detail, detail_en=detail_en)


def near_codes(code: str) -> list[str] | None:
    """None when `code` is a known check or language code or a prefix of one; else the nearest known codes
    (perhaps none), as `--select`/`--ignore` name them (perfrules.checks.nearest_codes): what the settings
    files and a policy block say of an unknown code."""
    from perfrules.checks import known_codes, nearest_codes

    if any(k.startswith(code) for k in known_codes()):
        return None
    return nearest_codes(code)


def _guess(near: list[str], mark: str = "：") -> tuple[str, str]:
    return (f"{mark}是不是 {'、'.join(near)}？", f"; did you mean {', '.join(near)}?") if near else ("", "")


_TYPES = {"array": ("列表（如 [\"PR2\"]）", 'a list (e.g. ["PR2"])'), "object": ("表", "a table"),
          "string": ("文字", "a string"), "number": ("数", "a number")}


def _shown(value: object) -> str:
    import json

    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def _schema_problem(error: Any, settings: dict[str, Any], source: str,
                    spell: Callable[[tuple[str, ...]], str]) -> ConfigError:
    """A jsonschema error said as people read it, naming the setting as the user wrote it (Chinese first)."""
    import difflib

    keys = tuple(p for p in error.path if isinstance(p, str))
    item = error.path[-1] + 1 if error.path and isinstance(error.path[-1], int) else None  # a list's item
    value = error.instance
    if error.validator == "additionalProperties" and isinstance(value, dict):
        known = list(schema()["properties"])
        name = next(str(k) for k in settings if k not in known)
        written = spell((name,))
        if name.upper().startswith("PR") and len(name) <= 5:  # a code that is not one: PR2O1
            near = near_codes(name.upper()) or []
        else:
            near = [spell((k,)) for k in difflib.get_close_matches(name, known, n=3, cutoff=0.6)]
        zh, en = _guess(near)
        return problem(source, f"未知的设置 {written}{zh}（可写的设置见 docs/checks.md「设置」一节）",
                       f"unknown setting {written}{en} (the settings: docs/checks.md, Settings)", name)
    key = keys[-1] if keys else None
    written = spell(keys) if keys else "（顶层）"
    if error.validator == "enum":
        options = [str(o) for o in error.validator_value]
        near = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        zh, en = _guess(near, "；")
        listed = "、".join(options[:-1]) + f" 或 {options[-1]}" if len(options) > 1 else "".join(options)
        return problem(source, f"{written} 的取值 {_shown(value)} 无效：应为 {listed}{zh}",
                       f"{written}: {_shown(value)} is not one of {', '.join(options)}{en}", key)
    if error.validator == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        zh = "或".join(_TYPES.get(k, (k, k))[0] for k in kinds)
        en = " or ".join(_TYPES.get(k, (k, k))[1] for k in kinds)
        which = (f"{written} 的第 {item} 项", f"item {item} of {written}") if item else (written + " ", written)
        return problem(source, f"{which[0]}应为{zh}，写的是 {_shown(value)}", f"{which[1]} must be {en}, not {_shown(value)}",
                       key)
    if error.validator == "pattern" and keys == ("severity",):  # a name in the severity table that is no code
        return problem(source, f"{spell(('severity', str(value)))} 不是检查代码：severity 中应写 PR201 这样的代码",
                       f"{spell(('severity', str(value)))} is not a code: the severity table takes codes like PR201",
                       str(value))
    if error.validator == "pattern":
        near = (near_codes(value.upper()) or []) if isinstance(value, str) and value.upper().startswith("PR") else []
        zh, en = _guess(near, "；")
        return problem(source, f"{written} 中的 {_shown(value)} 不是检查代码：应为 PR201 这样的代码或 PR2 这样的前缀{zh}",
                       f"{written}: {_shown(value)} is not a code: write a code like PR201 or a prefix like PR2{en}",
                       key)
    if error.validator == "minLength":
        return problem(source, f"{written} 中不能有空的路径", f"{written} cannot hold an empty path", key)
    return problem(source, f"{written}：{error.message}", f"{written}: {error.message}", key)  # not expected


@dataclass(frozen=True)
class Config:
    thresholds: dict[str, Decimal] = field(default_factory=dict)
    severities: dict[str, str] = field(default_factory=dict)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = "error"
    source: str = "默认设置"

    def threshold(self, name: str) -> Decimal:
        if name in self.thresholds:
            return self.thresholds[name]
        setting = declared(name)
        return parse_threshold(setting.default, setting.kind)

    def severity_for(self, code: str, default: Severity) -> Severity:
        chosen = self.severities.get(code)
        return Severity(chosen) if chosen and chosen != "off" else default

    def enabled(self, code: str) -> bool:
        if self.severities.get(code) == "off":
            return False
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)

    def merged(self, settings: dict[str, Any], source: str) -> Config:
        """These settings on top of this config; raises ConfigError when they do not fit the schema."""
        validate(settings, source)
        values = dict(self.thresholds)
        for name, setting in thresholds().items():
            if name in settings:
                values[name] = parse_threshold(settings[name], setting.kind)
        return replace(
            self,
            thresholds=values,
            severities={**self.severities, **settings.get("severity", {})},
            select=tuple(settings.get("select", self.select)),
            ignore=tuple(settings.get("ignore", self.ignore)),
            fail_on=settings.get("fail-on", self.fail_on),
            source=source,
        )


def parse_threshold(value: object, kind: str) -> Decimal:
    """`"120%"` or `120` (per cent) for a percentage, a whole number for a count."""
    text = str(value).strip()
    try:
        if kind == "count":
            number = Decimal(text)
            if number != number.to_integral_value() or number < 0:
                raise InvalidOperation
            return number
        return Decimal(text.removesuffix("%").strip()) / 100
    except InvalidOperation as error:
        raise ConfigError(f"{value!r} 不是有效的{'个数' if kind == 'count' else '百分比'}") from error


def validate(settings: dict[str, Any], source: str, spell: Callable[[tuple[str, ...]], str] | None = None) -> None:
    """Raise ConfigError when `settings` do not fit the schema, or name a code perfrules does not know: the
    first problem, the others in its `more` (a policy block reports each at its line)."""
    found = problems(settings, source, spell)
    if found:
        found[0].more = found[1:]
        raise found[0]


def problems(settings: dict[str, Any], source: str,
             spell: Callable[[tuple[str, ...]], str] | None = None) -> list[ConfigError]:
    """Every way `settings` do not fit the schema or name a code perfrules does not know, in the order written.

    `spell`: how the user wrote a setting, given its path of schema keys (a ruleset's policy block writes
    `over_completion_warning` and `PR201 off`); by default the schema's own (`severity.PR201`).
    """
    import jsonschema

    say = spell or (lambda keys: ".".join(keys))
    validator = jsonschema.Draft202012Validator(schema())
    found: list[ConfigError] = []
    for error in validator.iter_errors(settings):
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            found += [_schema_problem(error, {name: value}, source, say) for name, value in error.instance.items()
                      if name not in schema()["properties"]]
        else:
            found.append(_schema_problem(error, settings, source, say))
    for option in ("select", "ignore"):
        for code in settings.get(option, ()):
            near = near_codes(code.upper()) if isinstance(code, str) else None  # another type: the schema said
            if near is not None:
                zh, en = _guess(near)
                found.append(problem(source, f"{say((option,))} 中的 {code} 不是已知的代码{zh or '：'}用 perfrules rules 查看全部检查",
                                     f"{say((option,))}: unknown code {code}{en} (perfrules rules lists them)", option))
    severity = settings.get("severity", {})
    for code in severity if isinstance(severity, dict) else ():
        near = near_codes(code) if str(code).startswith("PR") else None  # one that is no code: the schema said
        if near is not None:
            zh, en = _guess(near)
            written = say(("severity", code))
            where = f"{say(('severity',))} 中的 " if written != code else ""  # a policy block writes the code alone
            found.append(problem(source, f"{where}{code} 不是已知的代码{zh or '：'}用 perfrules rules 查看全部检查",
                                 f"{'severity: ' if where else ''}unknown code {code}{en} (perfrules rules lists them)",
                                 code))
    for name, setting in thresholds().items():
        if name in settings:
            try:
                if isinstance(settings[name], (str, int, float)):  # another type: the schema said
                    parse_threshold(settings[name], setting.kind)
            except ConfigError:
                example = "120%" if setting.kind == "percent" else "3"
                kind = ("百分比", "percentage") if setting.kind == "percent" else ("个数", "count")
                found.append(problem(
                    source, f"{say((name,))} 的取值 {_shown(settings[name])} 不是有效的{kind[0]}（如 \"{example}\"）",
                    f"{say((name,))}: {_shown(settings[name])} is not a valid {kind[1]} (e.g. \"{example}\")", name))
    return found
