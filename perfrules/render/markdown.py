"""The evaluation as a Markdown 综合评分表, ready to paste into a report.

This module also holds what the three report formats (Markdown, HTML, XLSX) share: the rows of
the table — one per indicator, a subtotal per 一级指标 — and the findings located at each row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from perfrules import display
from perfrules.display import dashed, figure_percent, measured, percent, plain, shown
from perfrules.findings import Finding
from perfrules.history.model import History, Series
from perfrules.plan.model import Plan
from perfrules.render.text import SEVERITY_WORDS
from perfrules.scoring.result import IndicatorResult, Result, SectionResult

HEADERS = {
    "zh": ("一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "完成率", "得分", "问题"),
    "en": ("Dimension", "Group", "Indicator", "Weight", "Target", "Actual", "Completion", "Score", "Findings"),
}
# Columns after 得分 when the file has them: the published score (公布得分) and the reason (偏差原因).
PUBLISHED = {"zh": "公布得分", "en": "Published"}
REASON = {"zh": "偏差原因", "en": "Reason"}
# Further columns when the file has them (docs/language.md 14): the review score (复核分) after 公布得分, and the
# evidence text with the printed 执行率 (佐证) after 偏差原因.
REVIEW = {"zh": "复核分", "en": "Review"}
EVIDENCE = {"zh": "佐证", "en": "Evidence"}
PRINTED_RATE = {"zh": "表上执行率 {rate}", "en": "printed rate {rate}"}
SIGNATURES = {"zh": ("评价人：", "复核人：", "日期："), "en": ("Evaluator:", "Reviewer:", "Date:")}

WORDS = {
    "zh": {
        "title": "综合评分表", "subtotal": "小计", "rate": "得分率", "total": "总分", "grade": "等级",
        "findings": "发现的问题", "no_findings": "未发现问题。", "na": "不适用", "missing": "缺少实际值",
        "rescaled": "不适用指标已剔除，总分按比例折算", "line": "第 {line} 行", "hint": "提示",
        "year": "{year} 年度", "sep": "；",
    },
    "en": {
        "title": "Scoring table", "subtotal": "subtotal", "rate": "score rate", "total": "Total", "grade": "grade",
        "findings": "Findings", "no_findings": "No findings.", "na": "n/a", "missing": "missing",
        "rescaled": "n/a indicators left out, total rescaled", "line": "line {line}", "hint": "hint",
        "year": "{year}", "sep": "; ",
    },
}


def words(lang: str) -> dict[str, str]:
    return WORDS["en" if lang == "en" else "zh"]


def has_published(result: Result) -> bool:
    return any(i.published is not None or i.published_unreadable for i in result.indicators())


def has_review(result: Result) -> bool:
    return any(i.review is not None or i.review_unreadable for i in result.indicators())


def has_evidence(result: Result) -> bool:
    return any(i.evidence is not None or i.printed_rate_text is not None for i in result.indicators())


def score_columns(result: Result) -> int:
    """How many of the extra columns hold scores (公布得分, 复核分): they come first."""
    return int(has_published(result)) + int(has_review(result))


def extra_headers(result: Result, lang: str) -> tuple[str, ...]:
    """The columns between 得分 and 问题: 公布得分 and 复核分 when the file has them, 偏差原因, then 佐证 when given."""
    key = "en" if lang == "en" else "zh"
    return ((PUBLISHED[key],) if has_published(result) else ()) + ((REVIEW[key],) if has_review(result) else ()) \
        + (REASON[key],) + ((EVIDENCE[key],) if has_evidence(result) else ())


def published_of(result: Result, target: str) -> Decimal | None:
    """The published figure `expect` gives for a section's key or "total", when it gives one."""
    found = next((e.published for e in result.expect if e.target == target), None)
    return found if isinstance(found, Decimal) else None


def total_cells(result: Result, target: str, lang: str = "zh") -> tuple[str, ...]:
    """The extra cells of a subtotal or the total row: the published subtotal or total under 公布得分 and, on the total
    row, the published review total (复核总分) under 复核分; the rest blank."""
    cells: list[str] = []
    if has_published(result):
        cells.append(printed_score(published_of(result, target), False, lang))
    if has_review(result):
        cells.append(printed_score(published_of(result, "review"), False, lang) if target == "total" else "")
    return (*cells, *("",) * (len(extra_headers(result, lang)) - len(cells)))


def extra_cells(row: Row, result: Result, lang: str = "zh") -> tuple[str, ...]:
    """公布得分 and 复核分 (when shown), 偏差原因 and 佐证 (when shown) of a row; a subtotal's published figure."""
    node = row.node
    if not isinstance(node, IndicatorResult):
        return total_cells(result, node.key, lang)
    cells: list[str] = []
    if has_published(result):
        cells.append(printed_score(node.published, node.published_unreadable, lang))
    if has_review(result):
        cells.append(printed_score(node.review, node.review_unreadable, lang))
    cells.append(node.reason or "")
    if has_evidence(result):
        cells.append(evidence_cell(node, lang))
    return tuple(cells)


def printed_score(value: Decimal | None, unreadable: bool, lang: str) -> str:
    """A score as the table prints it: the number, 「?（无法辨认）」 for `score ?`, or blank."""
    return display.printed_score(value, unreadable, lang)


def evidence_cell(node: IndicatorResult, lang: str) -> str:
    """The evidence text beside the actual and the printed 执行率 of the row."""
    parts = [node.evidence] if node.evidence else []
    if node.printed_rate_text:
        parts.append(PRINTED_RATE["en" if lang == "en" else "zh"].format(rate=node.printed_rate_text))
    return ("；" if lang != "en" else "; ").join(parts)


def weight_cell(weight: Decimal, inferred: bool, lang: str) -> str:
    """A weight as shown: 「10（推定）」 when the form did not print it (`weight 10 inferred`)."""
    return display.weight(weight, inferred, lang)


def header_block(result: Result, plan: Plan | None, lang: str) -> list[tuple[str, str]]:
    """The document's header: 项目名称, 年度, 评价类型 and the budget figures the facts give (with 预算执行率)."""
    from perfrules.display import figure_amount
    from perfrules.scoring.budget import EXECUTION, budget_facts, execution_rate, role_label

    en = lang == "en"
    out = [("Project" if en else "项目名称", result.ruleset)]
    if result.year:
        out.append(("Year" if en else "年度", str(result.year)))
    out.append(("Kind" if en else "评价类型", display.kind(result.kind, lang)))
    if plan is not None:
        found = budget_facts(plan, result)
        for role in ("年初预算数", "全年预算数", "到位资金", "全年执行数"):
            if role in found:
                out.append((role_label(role, lang), figure_amount(*found[role])))
        rate = execution_rate(found)
        if rate is not None:
            out.append((role_label(EXECUTION, lang), figure_percent(rate)))
    return out


def bands_line(plan: Plan | None, lang: str) -> str:
    """The grade bands used: 「等级：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 其他」."""
    if plan is None or not plan.grades:
        return ""
    zh = lang != "en"
    parts = [f"{b.name} {'其他' if zh else 'otherwise'}" if b.comparator is None else
             f"{b.name} {b.comparator.replace('>=', '≥')} {plain(b.threshold)}" for b in plan.grades]
    return ("等级划分：" if zh else "Grade bands: ") + ("，" if zh else ", ").join(parts)


# ---------------------------------------------------------------- earlier years' actuals (--history, `history` block)


def history_years(history: object | None) -> tuple[int, ...]:
    """The earlier years the table shows an actual column for: those where some indicator has an actual, oldest first.

    () when the run has no history: the table is then as it always was.
    """
    if not isinstance(history, History):
        return ()
    return tuple(sorted({p.year for s in history.series for p in s.past if p.actual is not None}))


def history_headers(years: tuple[int, ...], lang: str) -> tuple[str, ...]:
    """「2022年实际」 per earlier year."""
    return tuple(f"{year} actual" if lang == "en" else f"{year}年实际" for year in years)


def history_series(history: object | None) -> dict[str, Series]:
    return history.by_key() if isinstance(history, History) else {}


def history_cells(row: Row, series: dict[str, Series], years: tuple[int, ...]) -> tuple[str, ...]:
    """An indicator's actual in each earlier year, in its current unit (「10 场」); blank where it has none."""
    found = series.get(row.node.key) if isinstance(row.node, IndicatorResult) else None
    if found is None:
        return ("",) * len(years)
    by_year = {p.year: p.actual for p in found.past if p.actual is not None}
    return tuple(measured(by_year[year], found.unit) if year in by_year else "" for year in years)


# ---------------------------------------------------------------- the rows all three formats share


@dataclass(frozen=True)
class Row:
    """One line of the 综合评分表: an indicator, or the subtotal of a 一级指标 (`node` a SectionResult)."""

    node: IndicatorResult | SectionResult
    levels: tuple[str, str, str]  # 一级指标, 二级指标 (middle groups joined), 三级指标
    findings: tuple[Finding, ...]

    @property
    def is_subtotal(self) -> bool:
        return isinstance(self.node, SectionResult)

    @property
    def severity(self) -> str | None:
        """The most severe finding at the row: "error", "warning", "info" or None."""
        if not self.findings:
            return None
        return max(self.findings, key=lambda f: f.severity.rank).severity.value


MIDDLE = " / "


def levels_of(path: tuple[str, ...]) -> tuple[str, str, str]:
    """Where an indicator's path goes in the three name columns; a top-level indicator is its own 一级指标."""
    if len(path) == 1:
        return (path[0], "", "")
    return (path[0], MIDDLE.join(path[1:-1]), path[-1])


def report_rows(result: Result, findings: list[Finding], plan: Plan | None = None) -> list[Row]:
    """The rows in order: each 一级指标's indicators then its subtotal; a top-level indicator alone."""
    at = locate(result, findings, plan)
    rows: list[Row] = []
    for node in result.body:
        if isinstance(node, IndicatorResult):
            rows.append(Row(node, levels_of(node.path), tuple(at.get(node.key, ()))))
            continue
        for ind in _indicators(node):
            rows.append(Row(ind, levels_of(ind.path), tuple(at.get(ind.key, ()))))
        rows.append(Row(node, (node.name, "", ""), tuple(at.get(node.key, ()))))
    return rows


def _indicators(section: SectionResult) -> list[IndicatorResult]:
    out: list[IndicatorResult] = []
    for child in section.children:
        if isinstance(child, IndicatorResult):
            out.append(child)
        else:
            out += _indicators(child)
    return out


def locate(result: Result, findings: list[Finding], plan: Plan | None = None) -> dict[str, list[Finding]]:
    """Findings by the row they are about: an indicator's key, or a 一级指标's key for findings on a section.

    A finding belongs to a row when it points at the line defining the indicator (or section), or
    at the line giving the indicator's actual value. A line that stands for several rows (the `use`
    line of a framework) gives a finding to the row it names, or to none.
    """
    lines: dict[tuple[str, int], dict[str, str]] = {}  # (file, line) -> {name: key}, in order
    for top in result.body:
        for node in _walk(top):
            if node.span is not None:
                key = node.key if isinstance(node, IndicatorResult) else top.key
                lines.setdefault((node.span.file, node.span.line), {}).setdefault(node.name, key)
    if plan is not None:
        keys = {i.key: i.name for i in result.indicators()}
        for actual in plan.actuals:
            if actual.span is not None and actual.key in keys:
                lines.setdefault((actual.span.file, actual.span.line), {}).setdefault(keys[actual.key], actual.key)
    out: dict[str, list[Finding]] = {}
    for finding in findings:
        span = finding.span
        if span is None:
            continue
        rows = lines.get((span.file, span.line), {})
        owner = next(iter(rows.values())) if len(set(rows.values())) == 1 else rows.get(str(finding.arg("name")))
        if owner is not None:
            out.setdefault(owner, []).append(finding)
    return out


def _walk(node: IndicatorResult | SectionResult) -> list[IndicatorResult | SectionResult]:
    out: list[IndicatorResult | SectionResult] = [node]
    if isinstance(node, SectionResult):
        for child in node.children:
            out += _walk(child)
    return out


def short_message(finding: Finding, name: str, lang: str) -> str:
    """A finding's message without the row's own name in front (the row already names it)."""
    message = finding.message(lang)
    rest = message[len(name) + 1:]
    if name and message.startswith(name + " ") and rest and not rest.startswith(("的", "is ", "has ", "'s ")):
        return rest
    return message


def severity_word(finding: Finding, lang: str) -> str:
    return SEVERITY_WORDS["en" if lang == "en" else "zh"][finding.severity.value]


def cell_findings(row: Row, lang: str) -> list[str]:
    """The findings of a row as short lines: `PR204 错误 仅为 2.52%：预算资金没有及时使用`."""
    return [f"{f.code} {severity_word(f, lang)} {short_message(f, row.node.name, lang)}" for f in row.findings]


def actual_cell(node: IndicatorResult, lang: str) -> str:
    w = words(lang)
    if node.status == "na":
        return w["na"]
    if node.status == "missing" and not node.actual_text:
        return w["missing"]
    return shown(node.actual_text, lang)


def score_cell(value: Decimal | None) -> str:
    return dashed(value)


def indicator_cells(row: Row, lang: str) -> tuple[str, ...]:
    """分值, 指标值, 实际完成值, 完成率, 得分 of an indicator row, as shown."""
    node = row.node
    assert isinstance(node, IndicatorResult)
    return (weight_cell(node.weight, node.weight_inferred, lang), display.target(node.target, node.kind, lang),
            actual_cell(node, lang),
            node.completion_text(), score_cell(node.score))


def where(finding: Finding, lang: str) -> str:
    span = finding.span
    if span is None:
        return ""
    return f"{Path(span.file).name}:{span.line}"


def heading(result: Result, lang: str) -> str:
    parts = [result.ruleset]
    if result.year:
        parts.append(words(lang)["year"].format(year=result.year))
    parts.append(display.kind(result.kind, lang))
    return " · ".join(parts)


def total_text(result: Result, lang: str) -> str:
    w = words(lang)
    text = (f"总分 {plain(result.total)} / {plain(result.total_weight)}，等级 {result.grade}" if lang != "en"
            else f"Total {plain(result.total)} / {plain(result.total_weight)}, grade {result.grade}")
    if result.rescaled:
        text += f"（{w['rescaled']}）" if lang != "en" else f" ({w['rescaled']})"
    return text


# ---------------------------------------------------------------- Markdown


ESCAPED = "\\|*_`~[]"


def escape(text: str) -> str:
    """A table cell's text: Markdown's special characters escaped, on one line."""
    out = "".join("\\" + c if c in ESCAPED else c for c in text)
    return " ".join(out.split("\n")).replace("\r", "")


def render_markdown(result: Result, findings: list[Finding], lang: str = "zh", plan: Plan | None = None,
                    history: object | None = None) -> str:
    """The report; `history` (the run's perfrules.history.History) adds a column of actuals per earlier year."""
    w = words(lang)
    years = history_years(history)
    series = history_series(history)
    extra = (*extra_headers(result, lang), *history_headers(years, lang))
    headers = (*HEADERS["en" if lang == "en" else "zh"][:8], *extra, HEADERS["en" if lang == "en" else "zh"][8])
    lines = [f"# {escape(heading(result, lang))}", ""]
    lines += [f"- {escape(key)}{'：' if lang != 'en' else ': '}{escape(value)}" for key, value in header_block(result, plan, lang)]
    lines += ["", f"## {w['title']}", ""]
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "|".join(("---", "---", "---", "--:", "---", "---", "--:", "--:", *("---",) * len(extra), "---")) + "|")
    previous = ("", "")
    for row in report_rows(result, findings, plan):
        issues = w["sep"].join(cell_findings(row, lang))
        if isinstance(row.node, SectionResult):
            rate = f"{w['rate']} {percent(row.node.rate) or '—'}"
            cells = [f"**{row.node.name}**", f"**{w['subtotal']}**", "",
                     f"**{weight_cell(row.node.weight, row.node.weight_inferred, lang)}**", "", "",
                     f"**{rate}**", f"**{plain(row.node.score)}**", *extra_cells(row, result, lang),
                     *history_cells(row, series, years), issues]
            lines.append(_line(cells, bold=(0, 1, 3, 6, 7)))
            previous = ("", "")
            continue
        first, middle, last = row.levels
        shown_first = first if first != previous[0] else ""
        shown_middle = middle if (first, middle) != previous else ""
        previous = (first, middle)
        lines.append(_line([shown_first, shown_middle, last, *indicator_cells(row, lang), *extra_cells(row, result, lang),
                            *history_cells(row, series, years), issues]))
    total = [f"**{w['total']}**", "", "", f"**{plain(result.total_weight)}**", "", "", "",
             f"**{plain(result.total)}**", *total_cells(result, "total", lang), *("",) * (len(extra) - len(
                 extra_headers(result, lang))), f"**{w['grade']} {result.grade}**"]
    lines.append(_line(total, bold=(0, 3, 7, 8 + len(extra))))
    lines += ["", f"**{escape(total_text(result, lang))}**", ""]
    bands = bands_line(plan, lang)
    if bands:
        lines += [escape(bands), ""]
    lines += ["  ".join(f"{label}________" for label in SIGNATURES["en" if lang == "en" else "zh"]), ""]
    lines += [f"## {w['findings']}", ""]
    if not findings:
        lines.append(w["no_findings"])
    for finding in findings:
        place = where(finding, lang)
        item = f"- **{finding.code}** {severity_word(finding, lang)}"
        if place:
            item += f" `{place}`"
        item += " " + escape(finding.message(lang))
        hint = finding.hint(lang)
        if hint:
            item += f"（{w['hint']}：{escape(hint)}）" if lang != "en" else f" ({w['hint']}: {escape(hint)})"
        lines.append(item)
    return "\n".join(lines)


def _line(cells: list[str], bold: tuple[int, ...] = ()) -> str:
    """A table row; cells listed in `bold` are already wrapped in ** and have their inside escaped."""
    out = []
    for i, cell in enumerate(cells):
        if i in bold and cell.startswith("**") and cell.endswith("**") and len(cell) > 4:
            out.append("**" + escape(cell[2:-2]) + "**")
        else:
            out.append(escape(cell))
    return "| " + " | ".join(out) + " |"
