"""The evaluation as one self-contained HTML page: summary, 得分率 chart, 综合评分表, findings.

No network: the styles are inline, the chart is an inline SVG, the fonts are whatever CJK fonts
the reader's system has. The page prints on A4 landscape with the table header repeated.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from perfrules.display import kind, percent, plain
from perfrules.findings import Finding
from perfrules.history.model import Series
from perfrules.plan.model import Plan
from perfrules.render.markdown import (
    HEADERS,
    SIGNATURES,
    Row,
    bands_line,
    extra_cells,
    extra_headers,
    header_block,
    history_cells,
    history_headers,
    history_series,
    history_years,
    indicator_cells,
    report_rows,
    score_columns,
    severity_word,
    short_message,
    total_cells,
    weight_cell,
    where,
    words,
)
from perfrules.scoring.result import IndicatorResult, Result, SectionResult

# The CJK font stack every page of perfrules declares (macOS, Windows, Linux with Noto/Source Han/WenQuanYi).
FONT_STACK = ('"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",\n'
              '    "Noto Sans SC", "SimSun", "宋体", "SimHei",\n'
              '    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Helvetica Neue", Arial, sans-serif')

CSS = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9dee5; --head: #243b53; --band: #f4f6f9;
  --error: #c62828; --error-bg: #fdecea; --warning: #b26a00; --warning-bg: #fff4e0;
  --info: #1565c0; --info-bg: #e8f1fc; --good: #2e7d32; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; padding: 28px 32px 40px; color: var(--ink); background: #fff;
  font: 14px/1.5 @FONTS@; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-left: 10px; border-left: 4px solid var(--head); }
.meta { color: var(--muted); margin: 0 0 18px; }
.summary { display: flex; flex-wrap: wrap; gap: 20px; align-items: stretch; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; background: var(--band); }
.score { min-width: 220px; }
.score .label { color: var(--muted); font-size: 13px; }
.score .total { font-size: 40px; font-weight: 700; line-height: 1.1; }
.score .total small { font-size: 16px; font-weight: 400; color: var(--muted); }
.grade { display: inline-block; margin-top: 6px; padding: 2px 14px; border-radius: 14px; color: #fff;
  background: var(--head); font-size: 18px; font-weight: 700; }
.note { color: var(--muted); font-size: 12px; margin-top: 6px; }
.counts { margin-top: 10px; font-size: 13px; }
.counts span { margin-right: 10px; white-space: nowrap; }
.chart { flex: 1 1 460px; min-width: 380px; max-width: 700px; background: #fff; }
.chart svg { width: 100%; max-width: 640px; height: auto; display: block; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; vertical-align: middle; }
thead th { background: var(--head); color: #fff; font-weight: 600; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.level { background: #fbfcfd; font-weight: 600; }
tr.subtotal td { background: #eef2f7; font-weight: 700; }
tr.total td { background: var(--head); color: #fff; font-weight: 700; font-size: 14px; }
tr.sev-error td.row { background: var(--error-bg); }
tr.sev-warning td.row { background: var(--warning-bg); }
tr.sev-info td.row { background: var(--info-bg); }
tr.sev-error td.first { box-shadow: inset 4px 0 var(--error); }
tr.sev-warning td.first { box-shadow: inset 4px 0 var(--warning); }
tr.sev-info td.first { box-shadow: inset 4px 0 var(--info); }
td.issues { min-width: 220px; font-size: 12px; }
.issue { display: block; }
.issue + .issue { margin-top: 3px; }
.badge { display: inline-block; padding: 0 5px; margin-right: 4px; border-radius: 3px; color: #fff;
  font-size: 11px; font-weight: 700; }
.badge.error { background: var(--error); }
.badge.warning { background: var(--warning); }
.badge.info { background: var(--info); }
.missed { color: var(--error); font-weight: 600; }
ul.findings { list-style: none; padding: 0; margin: 0; }
ul.findings li { padding: 6px 10px; border-left: 4px solid var(--line); margin-bottom: 6px; background: var(--band); }
ul.findings li.error { border-color: var(--error); }
ul.findings li.warning { border-color: var(--warning); }
ul.findings li.info { border-color: var(--info); }
.where { color: var(--muted); font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; margin-right: 6px; }
.hint { display: block; color: var(--muted); font-size: 12px; }
dl.head { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 14px; margin: 0 0 16px;
  font-size: 13px; }
dl.head dt { color: var(--muted); }
dl.head dd { margin: 0; font-weight: 600; }
td.reason { min-width: 160px; font-size: 12px; }
.bands { color: var(--muted); font-size: 12px; margin: 8px 0 0; }
.signatures { display: flex; gap: 48px; margin: 22px 0 0; font-size: 14px; }
.signatures span { display: inline-block; min-width: 160px; border-bottom: 1px solid var(--ink); }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { padding: 0; font-size: 11px; }
  h2 { break-after: avoid; }
  .summary { break-inside: avoid; }
  table { font-size: 10.5px; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  ul.findings li { break-inside: avoid; }
}
""".replace("@FONTS@", FONT_STACK)

COLOURS = ((Decimal("0.9"), "#2e7d32"), (Decimal("0.8"), "#1565c0"), (Decimal("0.6"), "#b26a00"))
LOW = "#c62828"


def render_html(result: Result, findings: list[Finding], lang: str = "zh", plan: Plan | None = None,
                history: object | None = None) -> str:
    """The page; `history` (the run's perfrules.history.History) adds a column of actuals per earlier year."""
    w = words(lang)
    meta = [words(lang)["year"].format(year=result.year)] if result.year else []
    meta.append(kind(result.kind, lang))
    rows = report_rows(result, findings, plan)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(result.ruleset)} · {escape(w['title'])}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(result.ruleset)}</h1>",
        f'<p class="meta">{escape(" · ".join([*meta, w["title"]]))}</p>',
        _head(result, plan, lang),
        _summary(result, findings, lang),
        f"<h2>{escape(w['title'])}</h2>",
        _table(result, rows, lang, history),
        f'<p class="bands">{escape(bands_line(plan, lang))}</p>' if plan is not None and plan.grades else "",
        '<p class="signatures">' + "".join(f"{escape(label)}<span></span>" for label in
                                             SIGNATURES["en" if lang == "en" else "zh"]) + "</p>",
        f"<h2>{escape(w['findings'])}</h2>",
        _findings(findings, lang),
        f'<footer>{escape("由 perfrules 生成" if lang != "en" else "Generated by perfrules")}'
        f" · {escape(result.file)}</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts)


# ---------------------------------------------------------------- summary and chart


def _head(result: Result, plan: Plan | None, lang: str) -> str:
    """项目名称, 年度, 评价类型 and the budget figures, two to a line."""
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in header_block(result, plan, lang))
    return f'<dl class="head">{items}</dl>'


def _summary(result: Result, findings: list[Finding], lang: str) -> str:
    w = words(lang)
    counts = {s: sum(1 for f in findings if f.severity.value == s) for s in ("error", "warning", "info")}
    shown = [f'<span><span class="badge {s}">{n}</span>{escape(_severity_name(s, lang))}</span>'
             for s, n in counts.items() if n]
    label = "总分" if lang != "en" else "Total score"
    grade = "等级" if lang != "en" else "Grade"
    card = [
        '<div class="card score">',
        f'<div class="label">{escape(label)}</div>',
        f'<div class="total">{plain(result.total)} <small>/ {plain(result.total_weight)}</small></div>',
        f'<div><span class="label">{escape(grade)}</span> <span class="grade">{escape(result.grade)}</span></div>',
    ]
    if result.rescaled:
        card.append(f'<div class="note">{escape(w["rescaled"])}</div>')
    card.append(f'<div class="counts">{"".join(shown) or escape(w["no_findings"])}</div>')
    card.append("</div>")
    chart = _chart(result, lang)
    if chart:
        card.append(f'<div class="card chart">{chart}</div>')
    return '<section class="summary">' + "".join(card) + "</section>"


def _severity_name(severity: str, lang: str) -> str:
    zh = {"error": "个错误", "warning": "个警告", "info": "个提示"}
    en = {"error": "errors", "warning": "warnings", "info": "notes"}
    return (zh if lang != "en" else en)[severity]


def _chart(result: Result, lang: str) -> str:
    """A horizontal bar per 一级指标: its 得分率 (score / applicable weight), with score and weight."""
    dims = result.dimensions()
    if not dims:
        return ""
    label_w, bar_w, gap, bar_h, top = 120, 330, 12, 20, 30
    height = top + len(dims) * (bar_h + gap) + 8
    width = label_w + bar_w + 170
    caption = "一级指标得分率" if lang != "en" else "Score rate by dimension"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(caption)}" font-size="13">',
           f'<text x="0" y="16" font-weight="700" fill="#243b53">{escape(caption)}</text>']
    for mark in (Decimal("0.6"), Decimal("0.8"), Decimal(1)):
        x = label_w + float(mark) * bar_w
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 6}" stroke="#9aa5b1" '
                   f'stroke-dasharray="3 3" stroke-width="1"/>')
        out.append(f'<text x="{x:.1f}" y="{top - 9}" text-anchor="middle" font-size="10" fill="#616e7c">'
                   f'{int(mark * 100)}%</text>')
    for i, dim in enumerate(dims):
        y = top + i * (bar_h + gap)
        rate = dim.rate
        fill = min(max(float(rate), 0.0), 1.0) * bar_w if rate is not None else 0.0
        colour = next((c for bound, c in COLOURS if rate is not None and rate >= bound), LOW)
        name = dim.name if len(dim.name) <= 8 else dim.name[:7] + "…"
        out.append(f'<text x="{label_w - 8}" y="{y + bar_h - 5}" text-anchor="end" fill="#1f2933">'
                   f"<title>{escape(dim.name)}</title>{escape(name)}</text>")
        out.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{bar_h}" rx="3" fill="#e4e7eb"/>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{fill:.1f}" height="{bar_h}" rx="3" fill="{colour}"/>')
        text = f"{percent(rate) or '—'}  ({plain(dim.score)} / {plain(dim.weight)})"
        out.append(f'<text x="{label_w + bar_w + 8}" y="{y + bar_h - 5}" fill="#1f2933">{escape(text)}</text>')
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------- the table


def _table(result: Result, rows: list[Row], lang: str, history: object | None = None) -> str:
    w = words(lang)
    base = HEADERS["en" if lang == "en" else "zh"]
    years = history_years(history)
    series = history_series(history)
    extra = (*extra_headers(result, lang), *history_headers(years, lang))
    headers = (*base[:8], *extra, base[8])
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers) + "</tr></thead>", "<tbody>"]
    nested = [not r.is_subtotal and bool(r.levels[2]) for r in rows]
    spans_first = _spans([r.levels[0] if n else None for r, n in zip(rows, nested, strict=True)])
    spans_middle = _spans([r.levels[:2] if n else None for r, n in zip(rows, nested, strict=True)])
    for i, row in enumerate(rows):
        classes = ["subtotal"] if row.is_subtotal else []
        if row.severity:
            classes.append("sev-" + row.severity)
        tip = "\n".join(_tooltip(f, row, lang) for f in row.findings)
        attrs = (f' class="{" ".join(classes)}"' if classes else "") + (f' title="{escape(tip)}"' if tip else "")
        cells: list[str] = []
        node = row.node
        if isinstance(node, SectionResult):
            rate = f"{w['rate']} {percent(node.rate) or '—'}"
            cells += [f'<td class="row first">{escape(node.name)}</td>',
                      f'<td class="row" colspan="2">{escape(w["subtotal"])}</td>',
                      f'<td class="row num">{escape(weight_cell(node.weight, node.weight_inferred, lang))}</td>',
                      '<td class="row"></td>', '<td class="row"></td>', f'<td class="row num">{escape(rate)}</td>',
                      f'<td class="row num">{plain(node.score)}</td>', *_extra(row, result, lang),
                      *_past(row, series, years), _issues(row, lang)]
            out.append(f"<tr{attrs}>{''.join(cells)}</tr>")
            continue
        assert isinstance(node, IndicatorResult)
        first, middle, last = row.levels
        if not middle and not last:  # a top-level indicator (预算执行率 of a 自评表) spans the name columns
            cells.append(f'<td class="row first" colspan="3">{escape(first)}</td>')
        else:
            if spans_first[i]:
                cells.append(f'<td class="level" rowspan="{spans_first[i]}">{escape(first)}</td>')
            if spans_middle[i]:
                cells.append(f'<td class="level" rowspan="{spans_middle[i]}">{escape(middle)}</td>')
            cells.append(f'<td class="row first">{escape(last)}</td>')
        weight, target, actual, completion, score = indicator_cells(row, lang)
        missed = ' <span class="missed">✗</span>' if node.met is False else ""
        cells += [f'<td class="row num">{escape(weight)}</td>',
                  f'<td class="row nowrap">{escape(target)}</td>', f'<td class="row nowrap">{escape(actual)}</td>',
                  f'<td class="row num">{escape(completion)}{missed}</td>', f'<td class="row num">{escape(score)}</td>',
                  *_extra(row, result, lang), *_past(row, series, years), _issues(row, lang)]
        out.append(f"<tr{attrs}>{''.join(cells)}</tr>")
    out.append("</tbody>")
    grade = f"{w['grade']} {result.grade}"
    out.append(f'<tfoot><tr class="total"><td colspan="3">{escape(w["total"])}</td>'
               f'<td class="num">{plain(result.total_weight)}</td><td colspan="3"></td>'
               f'<td class="num">{plain(result.total)}</td>'
               + "".join(f'<td class="num">{escape(c)}</td>' for c in total_cells(result, "total", lang))
               + "<td></td>" * (len(extra) - len(extra_headers(result, lang))) +
               f'<td>{escape(grade)}</td></tr></tfoot>')
    out.append("</table>")
    return "\n".join(out)


def _extra(row: Row, result: Result, lang: str = "zh") -> list[str]:
    """公布得分 and 复核分 (when the file has them), 偏差原因 and 佐证 (when given) cells."""
    cells = extra_cells(row, result, lang)
    scores = score_columns(result)
    out = [f'<td class="row num">{escape(c)}</td>' for c in cells[:scores]]
    return [*out, *(f'<td class="row reason">{escape(c)}</td>' for c in cells[scores:])]


def _past(row: Row, series: dict[str, Series], years: tuple[int, ...]) -> list[str]:
    """The actual of each earlier year (「2022年实际」), blank where the indicator has none."""
    return [f'<td class="row nowrap past">{escape(c)}</td>' for c in history_cells(row, series, years)]


def _spans(keys: list[object]) -> list[int]:
    """rowspan of each indicator row's merged name cell: the run's length on its first row, 0 after."""
    spans = [0] * len(keys)
    i = 0
    while i < len(keys):
        if keys[i] is None:
            i += 1
            continue
        j = i
        while j + 1 < len(keys) and keys[j + 1] == keys[i]:
            j += 1
        spans[i] = j - i + 1
        i = j + 1
    return spans


def _issues(row: Row, lang: str) -> str:
    items = []
    for finding in row.findings:
        message = short_message(finding, row.node.name, lang)
        items.append(f'<span class="issue" title="{escape(_tooltip(finding, row, lang))}">'
                     f'<span class="badge {finding.severity.value}">{escape(finding.code)}</span>{escape(message)}</span>')
    return f'<td class="row issues">{"".join(items)}</td>'


def _tooltip(finding: Finding, row: Row, lang: str) -> str:
    text = f"{finding.code} {severity_word(finding, lang)} {short_message(finding, row.node.name, lang)}"
    hint = finding.hint(lang)
    if hint:
        text += f"\n{words(lang)['hint']}: {hint}"
    return text


def _findings(findings: list[Finding], lang: str) -> str:
    w = words(lang)
    if not findings:
        return f"<p>{escape(w['no_findings'])}</p>"
    out = ['<ul class="findings">']
    for finding in findings:
        sev = finding.severity.value
        place = where(finding, lang)
        hint = finding.hint(lang)
        out.append(
            f'<li class="{sev}"><span class="badge {sev}">{escape(finding.code)}</span>'
            f"{escape(severity_word(finding, lang))} "
            + (f'<span class="where">{escape(place)}</span>' if place else "")
            + escape(finding.message(lang))
            + (f'<span class="hint">{escape(w["hint"])}{"：" if lang != "en" else ": "}{escape(hint)}</span>' if hint else "")
            + "</li>")
    out.append("</ul>")
    return "\n".join(out)
