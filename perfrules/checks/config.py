"""Check settings: thresholds, severities, select/ignore. One schema validates users' settings and writes the docs.

Each threshold is declared by the check that reads it (`settings = (Setting(...),)` in its PRxxx.py);
`thresholds()` and `schema()` collect them from the registry.

Settings come, later ones winning, from the defaults below, `[tool.perfrules]` in a
`pyproject.toml` or a `perfrules.toml` (searched upwards from the rule file), and the
ruleset's own `policy { ... }` block (perfrules.settings finds and layers them, with the command line's options).
"""

from __future__ import annotations

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
    """Settings that do not fit the schema; the message says where and why.

    `key`: the setting it is about (as written in the file), when one is; perfrules.settings finds its line.
    `line`/`column`: where in the settings file, when known (a TOML syntax error says; a setting's line is found).
    """

    def __init__(self, message: str, key: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.key, self.line, self.column = key, line, column


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


def validate(settings: dict[str, Any], source: str) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(settings), key=lambda e: list(e.path))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.path) or "(顶层)"
        keys = [str(p) for p in error.path if isinstance(p, str)]
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            keys += [str(k) for k in error.instance if k not in known][:1]
        raise ConfigError(f"{source}: {where}: {error.message}", keys[-1] if keys else None)
    for name, setting in thresholds().items():
        if name in settings:
            try:
                parse_threshold(settings[name], setting.kind)
            except ConfigError as error:
                raise ConfigError(f"{source}: {name}: {error}", name) from error
