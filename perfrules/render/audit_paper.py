"""The audit as a document reviewers hand on: the 审核底稿 (audit working paper), and its JSON.

One paper per audited file: the form's header block (项目名称, 年度, the money figures and 预算执行率,
from the score tables' `header_block`), a row per indicator with its published and recomputed score,
the difference, the rule used, the reason text and the findings, the total both ways (the published
total, the sum of the published rows, the recomputed total) and 审核人/复核人/日期 lines.
Markdown, self-contained HTML (the CJK font stack, A4 landscape) and XLSX (A4 landscape, one page
wide, the header row repeated) hold the same figures as `audit --format json`
(docs/schemas/audit.schema.json).
"""

from __future__ import annotations

import json
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from perfrules import display
from perfrules.display import DASH, cell_number, dashed, json_number, plain, rounded, score, shown, signed
from perfrules.findings import Finding
from perfrules.render.markdown import escape as md_escape
from perfrules.render.markdown import header_block, severity_word, short_message
from perfrules.scoring.audit import Audit, AuditRow, AuditTotal

FORMAT = "perfrules-audit/1"
SIGNATURES = {"zh": ("审核人：", "复核人：", "日期："), "en": ("Auditor:", "Reviewer:", "Date:")}
# The paper's columns, by key; 复核分 only when a row has a review score (`review N` or `review ?`), so a form
# without one is laid out as before.
COLUMNS = ("seq", "level1", "level2", "level3", "weight", "target", "actual", "rule", "published", "review",
           "computed", "difference", "reason", "evidence", "findings", "where")
HEADINGS = {
    "zh": {"seq": "序号", "level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "weight": "分值",
           "target": "指标值", "actual": "实际完成值", "rule": "计分规则", "published": "公布得分", "review": "复核分",
           "computed": "重算得分", "difference": "差异", "reason": "偏差原因", "evidence": "佐证", "findings": "审核发现",
           "where": "位置"},
    "en": {"seq": "No.", "level1": "Dimension", "level2": "Group", "level3": "Indicator", "weight": "Weight",
           "target": "Target", "actual": "Actual", "rule": "Rule", "published": "Published", "review": "Review",
           "computed": "Recomputed", "difference": "Difference", "reason": "Reason", "evidence": "Evidence",
           "findings": "Findings", "where": "Where"},
}
NUMERIC = frozenset({"seq", "weight", "published", "review", "computed", "difference"})
# XLSX column widths, by key.
WIDTHS = {"seq": 5, "level1": 10, "level2": 12, "level3": 24, "weight": 6, "target": 14, "actual": 14, "rule": 22,
          "published": 9, "review": 9, "computed": 9, "difference": 8, "reason": 24, "evidence": 20, "findings": 32,
          "where": 11}


def has_review(audit: Audit) -> bool:
    return any(r.review is not None or r.review_unreadable for r in audit.rows)


def has_evidence(audit: Audit) -> bool:
    return any(r.evidence is not None or r.printed_rate is not None for r in audit.rows)


def columns(audit: Audit) -> tuple[str, ...]:
    """The keys of the paper's columns for `audit`: 复核分 only when some row has one, 佐证 (the evidence text and the
    printed 执行率) only when some row has it."""
    shown = {"review": has_review(audit), "evidence": has_evidence(audit)}
    return tuple(c for c in COLUMNS if shown.get(c, True))


def evidence_text(row: AuditRow, lang: str) -> str:
    """The row's evidence text and its printed 执行率, as the score tables show them (「…；表上执行率 95.3%」)."""
    from perfrules.render.markdown import PRINTED_RATE

    parts = [row.evidence] if row.evidence else []
    if row.printed_rate:
        parts.append(PRINTED_RATE[_key(lang)].format(rate=row.printed_rate))
    return ("; " if lang == "en" else "；").join(parts)


def headers(audit: Audit, lang: str) -> list[str]:
    return [HEADINGS[_key(lang)][c] for c in columns(audit)]


WORDS = {
    "zh": {"title": "审核底稿", "total": "总分", "sum": "各行公布得分之和", "published_total": "公布总分",
           "grade": "等级", "other": "其他发现", "none": "未发现问题。", "hint": "提示", "summary":
           "公布总分 {published}，各行公布得分之和 {summed}，重算总分 {computed}（满分 {weight}），差异 {difference}；"
           "重算等级 {grade}{published_grade}。"},
    "en": {"title": "Audit working paper", "total": "Total", "sum": "sum of the published rows",
           "published_total": "Published total", "grade": "Grade", "other": "Other findings", "none": "No findings.",
           "hint": "hint", "summary": "Published total {published}, published rows add up to {summed}, recomputed "
           "{computed} (of {weight}), difference {difference}; recomputed grade {grade}{published_grade}."},
}


def _w(lang: str) -> dict[str, str]:
    return WORDS["en" if lang == "en" else "zh"]


def _key(lang: str) -> str:
    return "en" if lang == "en" else "zh"


# ---------------------------------------------------------------- what every format shows


def header(audit: Audit, lang: str) -> list[tuple[str, str]]:
    run = audit.run
    if run.result is None:
        return []
    return header_block(run.result, run.plan, lang)


def levels(row: AuditRow) -> tuple[str, str, str]:
    path = row.path or (row.name,)
    if len(path) == 1:
        return (path[0], "", "")
    return (path[0], " / ".join(path[1:-1]), path[-1])


def rule_text(audit: Audit, row: AuditRow, lang: str) -> str:
    """The rule used, in words (the XLSX score table's 计分规则), falling back to the method's name."""
    from perfrules.render.xlsx_rules import Rule

    plan, result = audit.run.plan, audit.run.result
    ind = plan.indicator(row.key) if plan else None
    node = result.indicator(row.key) if result else None
    if ind is None or node is None:
        return row.method
    return Rule(ind, node, 0).describe(lang)


def published_text(row: AuditRow, lang: str) -> str:
    """The published score as shown: the number, 「?（无法辨认）」 for `score ?`, or —."""
    return display.printed_score(None, True, lang) if row.published_unreadable else dashed(row.published)


def places_of(audit: Audit, row: AuditRow | None = None) -> tuple[int, str]:
    """The places and rounding mode a row's score is written with: the row's own (`rounding 0 …`), else the table's."""
    plan = audit.run.plan
    if plan is None:
        return 2, "ROUND_HALF_UP"
    ind = plan.indicator(row.key) if row is not None and row.key else None
    if ind is not None and ind.places is not None:
        return ind.places, ind.rounding or plan.rounding
    return plan.places, plan.rounding


def score_text(audit: Audit, value: Decimal | None, row: AuditRow | None = None) -> str:
    """A recomputed score with the table's places: `0.00`, `9.53`; `—` when there is none."""
    places, mode = places_of(audit, row)
    return score(value, places, mode, DASH)


def difference_text(audit: Audit, value: Decimal | None, row: AuditRow | None = None) -> str:
    """published − recomputed with the table's places and its sign: `+5.00`, `-1.00`; blank when equal or missing."""
    if value is None or value == 0:
        return ""
    places, mode = places_of(audit, row)
    return signed(rounded(value, places, mode))


def review_text(row: AuditRow, lang: str) -> str:
    """The review score as shown: the number, 「?（无法辨认）」 for `review ?`, or blank."""
    return display.printed_score(row.review, row.review_unreadable, lang)


def row_texts(audit: Audit, row: AuditRow, number: int, lang: str) -> dict[str, str]:
    """Every column of a row as text (Markdown, HTML)."""
    first, middle, last = levels(row)
    return {"seq": str(number), "level1": first, "level2": middle, "level3": last, "weight": plain(row.weight),
            "target": shown(row.target, lang), "actual": shown(row.actual, lang), "rule": rule_text(audit, row, lang),
            "published": published_text(row, lang), "review": review_text(row, lang),
            "computed": score_text(audit, row.computed, row), "difference": difference_text(audit, row.difference, row),
            "reason": row.reason, "evidence": evidence_text(row, lang),
            "findings": "；".join(finding_lines(row.findings, row.name, lang)), "where": row.where}


def finding_lines(findings: tuple[Finding, ...], name: str, lang: str) -> list[str]:
    return [f"{f.code} {severity_word(f, lang)} {short_message(f, name, lang)}" for f in findings]


def other_findings(audit: Audit) -> list[Finding]:
    """Findings at no row and not about the total: the import's PR024 notes, data-file problems, …"""
    placed = {id(f) for r in audit.rows for f in r.findings}
    if audit.total is not None:
        placed |= {id(f) for f in audit.total.findings}
    return [f for f in audit.run.sorted_findings() if id(f) not in placed]


def summary(total: AuditTotal, lang: str, audit: Audit) -> str:
    w = _w(lang)
    grade = f"，公布等级 {total.published_grade}" if total.published_grade and lang != "en" else \
        f", published grade {total.published_grade}" if total.published_grade else ""
    return w["summary"].format(published=dashed(total.published), summed=dashed(total.published_sum),
                               computed=score_text(audit, total.computed), weight=plain(total.weight),
                               difference=difference_text(audit, total.difference) or "0", grade=total.grade,
                               published_grade=grade)


def title(audit: Audit, lang: str) -> str:
    result = audit.run.result
    name = result.ruleset if result is not None else Path(audit.run.file).name
    return f"{name} · {_w(lang)['title']}" if lang == "en" else f"{name} {_w(lang)['title']}"


# ---------------------------------------------------------------- JSON


def audit_dict(audit: Audit, lang: str = "zh") -> dict[str, Any]:
    """One audited file as the schema's `audit` object."""
    rows = [{
        "name": r.name, "path": list(r.path or (r.name,)), "where": r.where, "weight": json_number(r.weight),
        "published": json_number(r.published), "recomputed": json_number(r.computed), "difference": json_number(r.difference),
        "rule": {"method": r.method, "target": shown(r.target, lang), "weight": json_number(r.weight), "text": rule_text(audit, r, lang)},
        "actual": shown(r.actual, lang), "reason": r.reason, "codes": list(r.codes),
        **({"review": json_number(r.review)} if r.review is not None else {}),
        **({"published_unreadable": True} if r.published_unreadable else {}),
        **({"review_unreadable": True} if r.review_unreadable else {}),
        **({"evidence": r.evidence} if r.evidence is not None else {}),
        **({"printed_rate": r.printed_rate} if r.printed_rate is not None else {}),
    } for r in audit.rows]
    total = audit.total
    return {
        "file": audit.run.file,
        "header": [{"label": k, "value": v} for k, v in header(audit, lang)],
        "rows": rows,
        "total": None if total is None else {
            "weight": json_number(total.weight), "published": json_number(total.published),
            "published_sum": json_number(total.published_sum), "recomputed": json_number(total.computed),
            "difference": json_number(total.difference), "grade": total.grade, "published_grade": total.published_grade,
            "where": total.where, "codes": list(total.codes),
        },
    }


def render_audit_json(audits: list[Audit], findings: list[Finding], files: list[str], lang: str = "zh") -> str:
    """`audit --format json`: the findings as `lint --format json` gives them, and the side-by-side rows."""
    from perfrules.render.lint import as_json

    data = json.loads(as_json(findings, files, lang))
    data["format"] = FORMAT
    data["audits"] = [audit_dict(a, lang) for a in audits]
    return json.dumps(data, ensure_ascii=False, indent=2)


# ---------------------------------------------------------------- Markdown


def render_paper_markdown(audits: list[Audit], lang: str = "zh") -> str:
    return "\n\n".join(_markdown(a, lang) for a in audits) + "\n"


def _markdown(audit: Audit, lang: str) -> str:
    w, key = _w(lang), _key(lang)
    colon = ": " if lang == "en" else "："
    out = [f"# {md_escape(title(audit, lang))}", ""]
    out += [f"- {md_escape(k)}{colon}{md_escape(v)}" for k, v in header(audit, lang)]
    out += [f"- {'File' if lang == 'en' else '审核文件'}{colon}`{audit.run.file}`", ""]
    keys = columns(audit)
    out.append("| " + " | ".join(headers(audit, lang)) + " |")
    out.append("|" + "|".join("--:" if k in NUMERIC else "---" for k in keys) + "|")
    for i, row in enumerate(audit.rows, 1):
        texts = {k: md_escape(v) for k, v in row_texts(audit, row, i, lang).items()}
        if row.review_findings and texts["review"]:  # the review score a finding is about, marked as 差异 marks the score
            texts["review"] = f"**{texts['review']}**"
        out.append("| " + " | ".join(texts[k] for k in keys) + " |")
    total = audit.total
    if total is not None:
        summed = dict.fromkeys(keys, "")
        summed.update(level1=w["sum"], weight=plain(total.weight), published=dashed(total.published_sum))
        out.append(_md_row([summed[k] for k in keys]))
        line = dict.fromkeys(keys, "")
        line.update(level1=w["total"], weight=plain(total.weight), published=dashed(total.published),
                    computed=score_text(audit, total.computed), difference=difference_text(audit, total.difference),
                    findings="；".join(finding_lines(total.findings, "", lang)), where=total.where)
        out.append(_md_row([line[k] for k in keys], bold={keys.index("level1"), keys.index("computed")}))
        out += ["", f"**{md_escape(summary(total, lang, audit))}**"]
    others = other_findings(audit)
    out += ["", f"## {w['other']}", ""]
    if not others:
        out.append(w["none"])
    for finding in others:
        span = finding.span
        place = f" `{Path(span.file).name}:{span.line}`" if span else ""
        hint = finding.hint(lang)
        out.append(f"- **{finding.code}** {severity_word(finding, lang)}{place} {md_escape(finding.message(lang))}"
                   + (f"（{w['hint']}：{md_escape(hint)}）" if hint and lang != "en" else f" ({w['hint']}: {md_escape(hint)})"
                      if hint else ""))
    out += ["", "  ".join(f"{label}________" for label in SIGNATURES[key])]
    return "\n".join(out)


def _md_row(cells: list[str], bold: frozenset[int] | set[int] = frozenset()) -> str:
    return "| " + " | ".join(f"**{md_escape(c)}**" if i in bold and c else md_escape(c) for i, c in enumerate(cells)) + " |"


# ---------------------------------------------------------------- HTML

PAPER_CSS = """
td.diff { color: var(--error); font-weight: 700; }
tr.total td.num { font-size: 14px; }
tr.sum td { background: #eef2f7; font-weight: 600; }
section.paper + section.paper { break-before: page; margin-top: 40px; }
p.summary { font-weight: 600; margin: 10px 0 0; }
"""


def render_paper_html(audits: list[Audit], lang: str = "zh") -> str:
    from perfrules.render.html import CSS

    head = title(audits[0], lang) if len(audits) == 1 else _w(lang)["title"]
    parts = ["<!DOCTYPE html>", f'<html lang="{"en" if lang == "en" else "zh-CN"}">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">', f"<title>{escape(head)}</title>",
             f"<style>{CSS}{PAPER_CSS}</style>", "</head>", "<body>"]
    parts += [_html(a, lang) for a in audits]
    parts += [f'<footer>{escape("由 perfrules 生成" if lang != "en" else "Generated by perfrules")}</footer>',
              "</body>", "</html>"]
    return "\n".join(parts)


def _html(audit: Audit, lang: str) -> str:
    w, key = _w(lang), _key(lang)
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in header(audit, lang))
    items += f"<dt>{'File' if lang == 'en' else '审核文件'}</dt><dd>{escape(audit.run.file)}</dd>"
    out = ['<section class="paper">', f"<h1>{escape(title(audit, lang))}</h1>", f'<dl class="head">{items}</dl>',
           "<table>", "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers(audit, lang)) + "</tr></thead>",
           "<tbody>"]
    keys = columns(audit)
    for i, row in enumerate(audit.rows, 1):
        severity = max(row.findings, key=lambda f: f.severity.rank).severity.value if row.findings else ""
        issues = "".join(f'<span class="issue"><span class="badge {f.severity.value}">{escape(f.code)}</span>'
                         f"{escape(short_message(f, row.name, lang))}</span>" for f in row.findings)
        texts = row_texts(audit, row, i, lang)
        tds = []
        for c in keys:
            text = texts[c]
            if c == "findings":
                tds.append(f'<td class="row issues">{issues}</td>')
                continue
            if c == "where":
                tds.append(f'<td class="row nowrap">{escape(text)}</td>')
                continue
            marked = (c == "difference" and text) or (c == "review" and text and row.review_findings)
            classes = ["row"] + (["num"] if c in NUMERIC else []) + (["diff"] if marked else []) + \
                (["reason"] if c == "reason" else []) + (["first"] if c == "seq" else [])
            tds.append(f'<td class="{" ".join(classes)}">{escape(text)}</td>')
        attrs = f' class="sev-{severity}"' if severity else ""
        out.append(f"<tr{attrs}>{''.join(tds)}</tr>")
    out.append("</tbody>")
    total = audit.total
    if total is not None:
        issues = "".join(f'<span class="issue"><span class="badge {f.severity.value}">{escape(f.code)}</span>'
                         f"{escape(f.message(lang))}</span>" for f in total.findings)
        gap = '<td></td>' if "review" in keys else ""  # the 复核分 column: blank on the total lines
        after = '<td></td>' * (2 if "evidence" in keys else 1)  # 偏差原因 (and 佐证) on the total line
        out.append("<tfoot>")
        out.append(f'<tr class="sum"><td colspan="4">{escape(w["sum"])}</td><td class="num">{plain(total.weight)}</td>'
                   f'<td colspan="3"></td><td class="num">{dashed(total.published_sum)}</td>{gap}'
                   f'<td colspan="{len(keys) - keys.index("computed")}"></td></tr>')
        out.append(f'<tr class="total"><td colspan="4">{escape(w["total"])}</td>'
                   f'<td class="num">{plain(total.weight)}</td><td colspan="3"></td>'
                   f'<td class="num">{dashed(total.published)}</td>{gap}<td class="num">{score_text(audit, total.computed)}</td>'
                   f'<td class="num">{escape(difference_text(audit, total.difference))}</td>{after}'
                   f'<td class="issues">{issues}</td><td>{escape(total.where)}</td></tr>')
        out.append("</tfoot>")
    out.append("</table>")
    if total is not None:
        out.append(f'<p class="summary">{escape(summary(total, lang, audit))}</p>')
    others = other_findings(audit)
    out.append(f"<h2>{escape(w['other'])}</h2>")
    if not others:
        out.append(f"<p>{escape(w['none'])}</p>")
    else:
        out.append('<ul class="findings">')
        for finding in others:
            span = finding.span
            place = f"{Path(span.file).name}:{span.line}" if span else ""
            hint = finding.hint(lang)
            out.append(f'<li class="{finding.severity.value}"><span class="badge {finding.severity.value}">'
                       f"{escape(finding.code)}</span>{escape(severity_word(finding, lang))} "
                       + (f'<span class="where">{escape(place)}</span>' if place else "") + escape(finding.message(lang))
                       + (f'<span class="hint">{escape(w["hint"])}：{escape(hint)}</span>' if hint else "") + "</li>")
        out.append("</ul>")
    out.append('<p class="signatures">' + "".join(f"{escape(label)}<span></span>" for label in SIGNATURES[key]) + "</p>")
    out.append("</section>")
    return "\n".join(out)


# ---------------------------------------------------------------- XLSX


def write_paper_xlsx(audits: list[Audit], path: str | Path, lang: str = "zh") -> list[dict[str, Any]]:
    """One sheet per audited file; returns, per sheet, where its figures are (for tests and tools)."""
    from openpyxl import Workbook

    book = Workbook()
    layouts = []
    used: set[str] = set()
    for i, audit in enumerate(audits):
        sheet = book.active if i == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = _sheet_name(audit, lang, used)
        layouts.append(_sheet(sheet, audit, lang))
    book.save(str(path))
    return layouts


def _sheet_name(audit: Audit, lang: str, used: set[str]) -> str:
    base = _w(lang)["title"] if not used else f"{_w(lang)['title']}{len(used) + 1}"
    for bad in "[]:*?/\\":
        base = base.replace(bad, "")
    used.add(base[:31])
    return base[:31]


def _sheet(ws: Any, audit: Audit, lang: str) -> dict[str, Any]:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from perfrules.render.xlsx import (
        BORDER,
        CENTRE,
        FILLS,
        HEAD_FILL,
        SUBTOTAL_FILL,
        UNDERLINE,
        WRAP,
        fit_heights,
        page_setup,
        text_cell,
    )

    w, key = _w(lang), _key(lang)
    keys = columns(audit)
    heads = headers(audit, lang)
    col = {k: i for i, k in enumerate(keys, 1)}  # the column number of each key
    last = get_column_letter(len(heads))
    ws["A1"] = title(audit, lang)
    ws["A1"].font = Font(bold=True, size=15)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A1:{last}1")
    r = 2
    pairs = [*header(audit, lang), ("File" if lang == "en" else "审核文件", audit.run.file)]
    for start in range(0, len(pairs), 3):  # three label/value pairs a line: label over two columns, value three
        for slot, (label, value) in enumerate(pairs[start:start + 3]):
            first = 1 + slot * 5
            (lfrom, lto), (vfrom, vto) = (first, first + 1), (first + 2, min(first + 4, len(heads)))
            ws.cell(r, lfrom, label).font = Font(color="52606D")
            ws.cell(r, lfrom).alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
            ws.merge_cells(start_row=r, start_column=lfrom, end_row=r, end_column=lto)
            text_cell(ws, ws.cell(r, vfrom).coordinate, value)
            ws.cell(r, vfrom).font = Font(bold=True)
            ws.cell(r, vfrom).alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
            ws.merge_cells(start_row=r, start_column=vfrom, end_row=r, end_column=vto)
        r += 1
    header_row = r + 1
    for c, text in enumerate(heads, 1):
        cell = ws.cell(header_row, c, text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.alignment = CENTRE
        cell.border = BORDER
    layout: dict[str, Any] = {"sheet": ws.title, "header_row": header_row, "rows": {}, "columns": dict(col)}
    r = header_row + 1
    for i, row in enumerate(audit.rows, 1):
        upper, middle, lowest = levels(row)
        # a number cell for a score; `score ?` / `review ?` as the words 「?（无法辨认）」
        published = published_text(row, lang) if row.published_unreadable else cell_number(row.published)
        review = review_text(row, lang) if row.review_unreadable else cell_number(row.review)
        values: dict[str, Any] = {
            "seq": i, "level1": upper, "level2": middle, "level3": lowest, "weight": cell_number(row.weight),
            "target": shown(row.target, lang), "actual": shown(row.actual, lang), "rule": rule_text(audit, row, lang),
            "published": published,
            "review": review, "computed": cell_number(row.computed),
            "difference": cell_number(row.difference) if row.difference else None, "reason": row.reason,
            "evidence": evidence_text(row, lang), "findings": "\n".join(finding_lines(row.findings, row.name, lang)), "where": row.where}
        for k, c in col.items():
            cell = ws.cell(r, c)
            text_cell(ws, cell.coordinate, values[k])
            cell.border = BORDER
            cell.alignment = WRAP
        # the self-score's findings mark its published, recomputed and difference cells; the review's its 复核分
        for found, marked in ((row.score_findings, ("published", "computed", "difference", "findings")),
                              (row.review_findings, ("review", "computed", "findings"))):
            if found:
                severity = max(found, key=lambda f: f.severity.rank).severity.value
                for k in marked:
                    if k in col:
                        ws.cell(r, col[k]).fill = PatternFill("solid", fgColor=FILLS[severity])
        _score_formats(ws, r, col, places_of(audit, row)[0])
        layout["rows"][row.where or row.name] = r
        r += 1
    total = audit.total
    if total is not None:
        for label, published_total, computed, difference, codes in (
                (w["sum"], total.published_sum, None, None, ""),
                (w["total"], total.published, total.computed, total.difference,
                 "\n".join(finding_lines(total.findings, "", lang)))):
            ws.cell(r, col["level1"], label)
            ws.cell(r, col["weight"], cell_number(total.weight))
            ws.cell(r, col["published"], cell_number(published_total))
            ws.cell(r, col["computed"], cell_number(computed))
            ws.cell(r, col["difference"], cell_number(difference) if difference else None)
            ws.cell(r, col["findings"], codes)
            ws.cell(r, col["where"], total.where if computed is not None else "")
            _score_formats(ws, r, col, places_of(audit)[0])
            for c in range(1, len(heads) + 1):
                cell = ws.cell(r, c)
                cell.font = Font(bold=True)
                cell.fill = SUBTOTAL_FILL
                cell.border = BORDER
                cell.alignment = WRAP
            layout["sum_row" if computed is None else "total_row"] = r
            r += 1
        ws.cell(r + 1, 1, summary(total, lang, audit)).font = Font(bold=True)
        ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=len(heads))
        ws.cell(r + 1, 1).alignment = WRAP
        r += 2
    others = other_findings(audit)
    if others:
        r += 1
        ws.cell(r, 1, w["other"]).font = Font(bold=True)
        for finding in others:
            r += 1
            span = finding.span
            place = f"{Path(span.file).name}:{span.line} " if span else ""
            ws.cell(r, 1, f"{finding.code} {severity_word(finding, lang)} {place}{finding.message(lang)}")
            ws.cell(r, 1).alignment = WRAP
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(heads))
    r += 2
    for slot, label in enumerate(SIGNATURES[key]):
        lcol = 2 + slot * 4
        ws.cell(r, lcol, label).font = Font(bold=True, size=12)
        ws.cell(r, lcol).alignment = Alignment(horizontal="right", vertical="bottom")
        for c in range(lcol + 1, lcol + 3):
            ws.cell(r, c).border = UNDERLINE
    ws.row_dimensions[r].height = 30
    for k, c in col.items():
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS[k]
    for k in ("weight", "published", "review", "computed", "difference"):
        if k not in col:
            continue
        for rr in range(header_row + 1, r):
            ws.cell(rr, col[k]).alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
    fit_heights(ws, 2, r - 1, skip={header_row - 1})
    ws.freeze_panes = f"E{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last}{r}"
    page_setup(ws)
    return layout


def _score_formats(ws: Any, r: int, col: dict[str, int], places: int) -> None:
    """The recomputed score and the difference of row `r` with the table's places (`0.00`, `+5.00`); the published
    score stays as printed."""
    digits = "0" + ("." + "0" * places if places else "")
    ws.cell(r, col["computed"]).number_format = digits
    ws.cell(r, col["difference"]).number_format = f"+{digits};-{digits};0"


PAPER_FORMATS = ("json", "markdown", "html", "xlsx")


def paper_text(fmt: str, audits: list[Audit], findings: list[Finding], files: list[str], lang: str) -> str:
    """`audit --format json|markdown|html`: the text to print or write."""
    if fmt == "json":
        return render_audit_json(audits, findings, files, lang)
    if fmt == "html":
        return render_paper_html(audits, lang)
    return render_paper_markdown(audits, lang)
