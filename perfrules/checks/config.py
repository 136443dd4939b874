"""Check settings: thresholds, severities, select/ignore. One schema validates users' settings and writes the docs.

Settings come, later ones winning, from the defaults below, `[tool.perfrules]` in a
`pyproject.toml` or a `perfrules.toml` (searched upwards from the rule file), and the
ruleset's own `policy { ... }` block.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from perfrules.findings import Severity

# name -> (default, kind, Chinese description, English description)
THRESHOLDS: dict[str, tuple[str, str, str, str]] = {
    "over-completion-info": ("120%", "percent", "完成率达到此值提示超额完成（PR201 info）", "completion at which PR201 informs"),
    "over-completion-warning": ("200%", "percent", "完成率达到此值警告目标可能偏低（PR201 warning）", "completion at which PR201 warns"),
    "deviation-reason": ("130%", "percent", "完成率达到此值须写偏差原因（PR202）", "completion from which a deviation needs a reason (PR202)"),
    "missed-warning": ("60%", "percent", "完成率低于此值时未完成目标升为警告（PR203）", "completion below which a missed target warns (PR203)"),
    "execution-warning": ("90%", "percent", "预算执行率低于此值警告（PR204）", "execution rate below which PR204 warns"),
    "execution-error": ("60%", "percent", "预算执行率低于此值为错误（PR204）", "execution rate below which PR204 is an error"),
    "monitoring-red": ("60%", "percent", "执行进度 ÷ 时间进度低于此值为红灯（PR205 error）", "execution ÷ time progress below which PR205 is red"),
    "monitoring-yellow": ("80%", "percent", "执行进度 ÷ 时间进度低于此值为黄灯（PR205 warning）", "execution ÷ time progress below which PR205 is yellow"),
    "output-benefit-min": ("60%", "percent", "外部评价中 产出+效益 分值占总分的最低比例（PR104）", "minimum share of 产出+效益 in an external evaluation (PR104)"),
    "min-indicators": ("3", "count", "三级指标的最少个数（PR105）", "fewest third-level indicators (PR105)"),
    "max-indicators": ("60", "count", "三级指标的最多个数（PR105）", "most third-level indicators (PR105)"),
    "cost-tolerance": ("5%", "percent", "成本 × 数量 超出预算的容差（PR107）", "tolerance of cost × quantity over the budget (PR107)"),
    "history-years": ("3", "count", "目标与近几年实际值的均值比较所用的年数，也是建议目标所用的年数（PR401、targets）", "years of actuals averaged by PR401 and the suggested target"),
    "history-over-completion": ("120%", "percent", "往年完成率达到此值算作超额完成（PR402）", "completion counted as over-completion by PR402"),
    "history-over-years": ("2", "count", "连续超额完成达到此年数且目标未提高时警告（PR402）", "consecutive over-completed years at which PR402 warns"),
    "history-budget-rise": ("10%", "percent", "目标不变而预算增长超过此比例时提示（PR403）", "budget rise over which an unchanged target informs (PR403)"),
    "suggest-margin": ("0%", "percent", "建议目标在往年实际值之上再提高的比例（perfrules targets）", "how far above the history a suggested target is set"),
}

SCHEMA: dict[str, Any] = {
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
        **{name: {"type": ["string", "number"], "default": default, "description": zh}
           for name, (default, _kind, zh, _en) in THRESHOLDS.items()},
    },
    "additionalProperties": False,
}


class ConfigError(ValueError):
    """Settings that do not fit the schema; the message says where and why."""


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
        default, kind, *_ = THRESHOLDS[name]
        return parse_threshold(default, kind)

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
        thresholds = dict(self.thresholds)
        for name, (_default, kind, *_rest) in THRESHOLDS.items():
            if name in settings:
                thresholds[name] = parse_threshold(settings[name], kind)
        return replace(
            self,
            thresholds=thresholds,
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

    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(settings), key=lambda e: list(e.path))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.path) or "(顶层)"
        raise ConfigError(f"{source}: {where}: {error.message}")
    for name, (_default, kind, *_rest) in THRESHOLDS.items():
        if name in settings:
            try:
                parse_threshold(settings[name], kind)
            except ConfigError as error:
                raise ConfigError(f"{source}: {name}: {error}") from error


def find_settings(start: Path) -> tuple[dict[str, Any], str] | None:
    """The nearest `perfrules.toml`, or `pyproject.toml` with a [tool.perfrules] table, above `start`."""
    import tomllib

    folder = start if start.is_dir() else start.parent
    for directory in [folder.resolve(), *folder.resolve().parents]:
        for name in ("perfrules.toml", "pyproject.toml"):
            path = directory / name
            if not path.is_file():
                continue
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
                raise ConfigError(f"{path}: {error}") from error
            settings = data if name == "perfrules.toml" else data.get("tool", {}).get("perfrules")
            if settings is not None:
                return settings, str(path)
    return None


def from_policy(config: Config, policy: tuple[tuple[str, str], ...], source: str) -> Config:
    """A ruleset's `policy` block on top of `config`: one `over_completion_warning 150%` or `PR201 error` a line."""
    if not policy:
        return config
    settings: dict[str, Any] = {}
    for key, value in policy:
        if key == "roots":  # a rule file must not widen what it may read
            raise ConfigError("roots 只能写在 pyproject.toml 或 perfrules.toml 中，不能写在规则集的 policy 中")
        if key.upper().startswith("PR") and key[2:].isdigit():
            settings.setdefault("severity", {})[key.upper()] = value
        else:
            settings[key.replace("_", "-")] = value
    return config.merged(settings, source)
