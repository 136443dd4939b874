"""The evaluation as a terminal table: the indicator tree with scores, subtotals, total and grade."""

from __future__ import annotations

from perfrules import display
from perfrules.display import dashed, percent, plain
from perfrules.render.text import HEADERS, pad, table
from perfrules.scoring.result import IndicatorResult, Result, SectionResult


def render_table(result: Result, lang: str = "zh") -> str:
    zh = lang != "en"
    rows: list[tuple[str, ...]] = [HEADERS["en" if not zh else "zh"]]
    for node in result.body:
        _rows(node, 0, rows, zh)
    year = f" · {result.year}" if result.year else ""
    lines = [f"{result.ruleset}{year} · {display.kind(result.kind, lang)}", ""]
    lines += table(rows, right={1, 4, 5})
    lines.append("")
    printed = _printed(result, zh)
    if printed:
        lines.append("表上的其他内容：" if zh else "also printed on the form:")
        lines += ["  " + line for line in table(printed, right=set())]
        lines.append("")
    if result.dimensions():
        lines.append("一级指标得分：" if zh else "dimension scores:")
        dims: list[tuple[str, ...]] = [(d.name, plain(d.weight), plain(d.score), percent(d.rate)) for d in result.dimensions()]
        lines += ["  " + line for line in table(dims, right={1, 2, 3})]
        lines.append("")
    total = f"总分 {plain(result.total)} / {plain(result.total_weight)}   等级 {result.grade}" if zh else \
        f"total {plain(result.total)} / {plain(result.total_weight)}   grade {result.grade}"
    if result.rescaled:
        total += "（不适用指标已剔除，总分按比例折算）" if zh else " (n/a indicators left out, total rescaled)"
    lines.append(total)
    if result.expect:
        lines.append("")
        lines.append("核对公布数：" if zh else "published figures:")
        for row in result.expect:
            mark = "✓" if row.equal else "–" if row.equal is None else "✗"  # –: not compared (a verbal grade)
            lines.append(f"  {mark} {pad(row.label(lang), 12)} {row.published_text()} → {row.computed_text(lang)}")
    if result.checks:
        lines.append("")
        lines.append("校验：" if zh else "checks:")
        for check in result.checks:
            mark = "✓" if check.passed else ("?" if check.passed is None else "✗")
            left, right = check.texts()
            lines.append(f"  {mark} {check.label}: {left} {check.comparator} {right}")
    return "\n".join(lines)


def _rows(node: SectionResult | IndicatorResult, depth: int, rows: list[tuple[str, ...]], zh: bool) -> None:
    indent = "  " * depth
    if isinstance(node, SectionResult):
        rows.append((indent + node.name, display.weight(node.weight, node.weight_inferred, "zh" if zh else "en"), "", "",
                     "", plain(node.score)))
        for child in node.children:
            _rows(child, depth + 1, rows, zh)
        return
    status = {"na": "不适用" if zh else "n/a", "missing": "缺少实际值" if zh else "missing"}.get(node.status, "")
    actual = display.shown(node.actual_text, "zh" if zh else "en") or status
    score = dashed(node.score)
    rows.append((indent + node.name, display.weight(node.weight, node.weight_inferred, "zh" if zh else "en"),
                 display.target(node.target, node.kind, "zh" if zh else "en"), actual, node.completion_text(), score))


def _printed(result: Result, zh: bool) -> list[tuple[str, ...]]:
    """A line per row that prints more than its actual: an unreadable published score, a review score, the printed
    执行率, evidence text (docs/language.md 14). Empty when no row does: the output is then as it always was."""
    out: list[tuple[str, ...]] = []
    lang = "zh" if zh else "en"
    for node in result.all_indicators:
        parts = []
        if node.published_unreadable:
            parts.append(("公布得分 " if zh else "published ") + display.printed_score(None, True, lang))
        if node.review is not None or node.review_unreadable:
            parts.append(("复核分 " if zh else "review ") + display.printed_score(node.review, node.review_unreadable, lang))
        if node.printed_rate_text:
            parts.append(("表上执行率 " if zh else "printed rate ") + node.printed_rate_text)
        if node.evidence:
            parts.append(("佐证「" + node.evidence + "」") if zh else f"evidence: {node.evidence}")
        if parts:
            out.append((node.name, ("；" if zh else "; ").join(parts)))
    return out
