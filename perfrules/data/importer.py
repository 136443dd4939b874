"""`perfrules import`: a self-evaluation form (自评表) written out as a `.perf` rule file.

The rule file keeps every row: the indicator with its target and weight, the actual with its
偏差原因 and the published score (for audits), the money block as facts with the 预算执行率 row,
and the published total in `expect`. A cell that cannot be read is kept as a comment beside its
row and reported with its address. The text is already in the formatter's layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from perfrules.data.selfeval import (
    IndicatorRow,
    SelfEvaluation,
    Target,
    parse_number,
    parse_target,
    tier_word,
)
from perfrules.data.tables import Cell
from perfrules.findings import Finding, Span

RESERVED = {"维度", "一级指标", "分组", "二级指标", "校验", "原因", "偏差原因", "得分", "实际", "核对", "等级", "基础数据",
            "策略", "规则集", "引用", "定性", "权重", "分值"}
HUNDRED = Decimal(100)


@dataclass
class Imported:
    text: str
    findings: list[Finding]
    rows: dict[int, Cell] = field(default_factory=dict)  # rule-file line -> the row's 三级指标 cell
    scores: dict[int, Cell] = field(default_factory=dict)  # rule-file line -> the row's 得分 cell


def import_form(form: SelfEvaluation, source_name: str) -> Imported:
    out = _Writer(form)
    return out.write(source_name)


class _Writer:
    def __init__(self, form: SelfEvaluation) -> None:
        self.form = form
        self.lines: list[str] = []
        self.findings: list[Finding] = []
        self.rows: dict[int, Cell] = {}
        self.scores: dict[int, Cell] = {}
        self.names: dict[int, str] = {}  # id(row) -> the unique name written
        self.targets: dict[int, Target | None] = {}

    def problem(self, cell: Cell, reason: str) -> str:
        self.findings.append(Finding.make("PR024", Span(self.form.file, cell.row, cell.column, cell.row,
                                                        cell.column + 1), cell=cell.address, text=cell.text,
                                          reason=reason))
        return f"  # 无法识别 {cell.address}「{_one_line(cell.text)}」：{reason}"

    def write(self, source_name: str) -> Imported:
        form = self.form
        self.lines += [f"# 由 perfrules import 从 {source_name} 导入；无法识别的单元格以注释保留在所在行。", ""]
        self.lines.append(f"ruleset {quote(form.project or '自评表')} {{")
        if form.year:
            self.lines.append(f"  year {form.year}")
        self.lines += ["  kind 自评", "}", ""]
        execution = self._money()
        groups = _grouped(form.rows)
        self._names(groups)
        for level1, children in groups.items():
            weight = sum((_weight(r) for rows in children.values() for r in rows), Decimal(0))
            self.lines.append(f"dimension {quote(level1)} weight {_n(weight)} {{")
            for level2, rows in children.items():
                depth = "  "
                if level2:
                    group_weight = sum((_weight(r) for r in rows), Decimal(0))
                    self.lines.append(f"  group {quote(level2)} weight {_n(group_weight)} {{")
                    depth = "    "
                self._indicators(rows, depth)
                if level2:
                    self.lines.append("  }")
            self.lines.append("}")
            self.lines.append("")
        self._actuals(execution)
        self._expect()
        text = "\n".join(self.lines).rstrip("\n") + "\n"
        from perfrules.fmt import format_text

        formatted, problems = format_text(text, source_name)
        if formatted is None or formatted.count("\n") != text.count("\n"):  # never expected: keep the plain text
            self.findings += problems
            formatted = text
        return Imported(formatted, self.findings, self.rows, self.scores)

    # ------------------------------------------------------------ the money block

    def _money(self) -> Cell | None:
        money = self.form.money
        amounts = [(label, money.get(key)) for label, key in (("年初预算数", "start"), ("全年预算数", "budget"),
                                                               ("全年执行数", "spent"))]
        written = []
        for label, cell in amounts:
            if cell is None or not cell.text:
                continue
            value = parse_number(cell.text)
            if value is None:
                written.append(f"  # {label}{self.problem(cell, '不是数字').strip()}")
            else:
                written.append(f"  {label} = {_n(value)} 万元")
        if not written:
            return None
        self.lines += ["facts {", *written, "}", ""]
        have = {label for label, cell in amounts if cell is not None and parse_number(cell.text) is not None}
        if not {"全年预算数", "全年执行数"} <= have:
            return None
        weight = parse_number(money["weight"].text) if "weight" in money and money["weight"].text else None
        self.lines.append(f"预算执行率 = 全年执行数 / 全年预算数 >= 100% weight {_n(weight or Decimal(10))} method execution")
        self.rows[len(self.lines)] = money["spent"]
        if money.get("score") is not None:
            self.scores[len(self.lines)] = money["score"]
        self.lines.append("")
        return money.get("score")

    # ------------------------------------------------------------ indicators

    def _names(self, groups: dict[str, dict[str, list[IndicatorRow]]]) -> None:
        """A name for each row, unique in the whole form (actuals name rows without their groups)."""
        seen: dict[str, int] = {}
        for children in groups.values():
            for rows in children.values():
                for row in rows:
                    name = row.name.text.strip()
                    seen[name] = seen.get(name, 0) + 1
                    self.names[id(row)] = name if seen[name] == 1 else f"{name}（{row.name.address}）"

    def _indicators(self, rows: list[IndicatorRow], depth: str) -> None:
        for row in rows:
            name = quote(self.names[id(row)])
            weight = _weight(row)
            comment = ""
            if parse_number(row.weight.text) is None:
                comment = self.problem(row.weight, "分值不是数字，按 0 分计")
            target = parse_target(row.target.text)
            actual = parse_target(row.actual.text) if row.actual.text else None
            if target is not None and target.number is not None and not target.unit and actual and actual.unit:
                target = Target(target.comparator, target.number, actual.unit, target.text)  # 「≥95」 with 「98%」
            self.targets[id(row)] = target
            if target is None:
                comment = self.problem(row.target, "指标值无法识别，按定性指标保留原文")
                middle = f"qualitative {quote_text(row.target.text)}"
            elif target.comparator is None:
                middle = f"qualitative {quote_text(target.text)}"
            else:
                unit = target.unit
                number = f"{_n(target.number)}{unit}" if unit in ("%", "‰") else f"{_n(target.number)} {unit}".strip()
                middle = f"{target.comparator} {number}"
            self.lines.append(f"{depth}{name} {middle} weight {_n(weight)}{comment}")
            self.rows[len(self.lines)] = row.name
            self.scores[len(self.lines)] = row.score

    # ------------------------------------------------------------ actuals and expect

    def _actuals(self, execution_score: Cell | None) -> None:
        body: list[tuple[list[str], str, list[str], IndicatorRow | None]] = []
        row: IndicatorRow | None
        if execution_score is not None and parse_number(execution_score.text) is not None:
            body.append((["预算执行率", "", f"score {_n(parse_number(execution_score.text))}"], "", [], None))
        for row in self.form.rows:
            value, comment = self._actual(row)
            extras = []
            score = parse_number(row.score.text) if row.score.text else None
            if row.score.text and score is None:
                comment += self.problem(row.score, "得分不是数字")
            if score is not None:
                extras.append(f"score {_n(score)}")
            reasons = [f"reason {quote_text(row.reason.text)}"] if row.reason.text.strip() else []
            if value is None and not extras and not reasons:
                if comment:  # nothing usable, but the cells are kept as a comment line
                    body.append(([], comment.strip(), [], row))
                continue
            body.append(([quote(self.names[id(row)]), f"= {value}" if value else "", " ".join(extras)], comment, reasons,
                         row))
        if not body:
            return
        self.lines.append("actuals {")
        for cols, comment, reasons, entry_row in body:
            self.lines.append("  " + (" ".join(c for c in cols if c) + comment).strip())
            row = entry_row
            if row is not None:
                self.rows[len(self.lines)] = row.name
                self.scores[len(self.lines)] = row.score
            elif execution_score is not None:  # the 预算执行率 note: the money block's cells
                self.rows[len(self.lines)] = self.form.money["spent"]
                self.scores[len(self.lines)] = execution_score
            self.lines += [f"    {r}" for r in reasons]
        self.lines += ["}", ""]

    def _actual(self, row: IndicatorRow) -> tuple[str | None, str]:
        text = row.actual.text.strip()
        target = self.targets.get(id(row))
        qualitative = target is None or target.comparator is None
        if not text:
            return None, ""
        if qualitative:
            return self._tier(row, text)
        parsed = parse_target(text)
        if parsed is not None and parsed.comparator is not None and not re.match(r"^\s*[0-9０-９]", text):
            return quote_text(text), ""  # 「≥266米」: the target repeated, kept as text for the audit (PR307)
        if parsed is None or parsed.number is None:
            return quote_text(text), self.problem(row.actual, "实际完成值无法识别为数量，按文字保留（计 0 分）")
        unit = parsed.unit
        if unit and target and target.unit and not _compatible(unit, target.unit):
            return quote_text(text), self.problem(row.actual, f"单位 {unit} 与指标值的单位 {target.unit} 不同")
        return (f"{_n(parsed.number)}{unit}" if unit in ("%", "‰") else f"{_n(parsed.number)} {unit}".strip()), ""

    def _tier(self, row: IndicatorRow, text: str) -> tuple[str | None, str]:
        weight, score = parse_number(row.weight.text), parse_number(row.score.text) if row.score.text else None
        rate = (score / weight) if score is not None and weight else None
        tier = tier_word(text)
        from perfrules.plan.actuals import tier_of

        bounds = {"达成": (Decimal("0.8"), Decimal(1)), "部分达成": (Decimal("0.6"), Decimal("0.8")),
                  "未达成": (Decimal(0), Decimal("0.6"))}
        if tier is None:
            if rate is None:
                return None, self.problem(row.actual, "定性指标的完成情况无法判断档次，也没有得分")
            tier = tier_of(rate, (Decimal("0.8"), Decimal("0.6")))
        if rate is None or rate < 0 or rate > 1:
            low = bounds[tier][0]
            return (tier if tier == "达成" else f"{tier} {_n(low * HUNDRED)}%"), ""
        low, high = bounds[tier]
        inside = low <= rate <= high if tier == "达成" else low <= rate < high
        if not inside:  # the published score is outside its tier: kept for PR306, the tier at its bound
            return (tier if tier == "达成" else f"{tier} {_n(low * HUNDRED)}%"), ""
        return f"{tier} {_n((rate * HUNDRED).quantize(Decimal('0.01')))}%", ""

    def _expect(self) -> None:
        total = self.form.total_score
        if total is None or parse_number(total.text) is None:
            return
        self.lines.append(f"expect {{ total {_n(parse_number(total.text))} }}")
        self.scores[len(self.lines)] = total


# ---------------------------------------------------------------- small helpers


def _grouped(rows: list[IndicatorRow]) -> dict[str, dict[str, list[IndicatorRow]]]:
    groups: dict[str, dict[str, list[IndicatorRow]]] = {}
    for row in rows:
        groups.setdefault(row.level1.strip(), {}).setdefault(row.level2.strip(), []).append(row)
    return groups


def _weight(row: IndicatorRow) -> Decimal:
    return parse_number(row.weight.text) or Decimal(0)


def _compatible(a: str, b: str) -> bool:
    from perfrules.plan.units import parse_unit

    return parse_unit(a).compatible(parse_unit(b))


def _n(value: Decimal | None) -> str:
    if value is None:
        return "0"
    text = f"{value.normalize():f}"
    return text


def quote(name: str) -> str:
    """A name as the rule file writes it: bare when it is plain Chinese, quoted otherwise."""
    if re.fullmatch(r"[\u4e00-\u9fff]+", name) and name not in RESERVED:
        return name
    return quote_text(name)


def quote_text(text: str) -> str:
    return '"' + _one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text.strip())
