"""The audit's side-by-side table: published and recomputed scores, row by row."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from perfrules import display
from perfrules.display import DASH, dashed, rounded, score, signed
from perfrules.render.text import table
from perfrules.scoring.audit import AuditRow
from perfrules.scoring.result import Result


def render_audit(rows: list[AuditRow], result: Result | None, published_total: str | None, lang: str, places: int = 2,
                 rounding: str = ROUND_HALF_UP) -> str:
    """The table, each recomputed score and difference with the table's places (a row's own when it rounds its own
    way); published scores as printed."""
    zh = lang != "en"
    header: tuple[str, ...] = ("指标", "分值", "公布得分", "重算得分", "差异", "位置", "问题") if zh else \
        ("indicator", "weight", "published", "recomputed", "difference", "where", "findings")
    reviews = any(r.review is not None or r.review_unreadable for r in rows)  # a 复核分 column only when a row has one
    if reviews:
        header = (*header[:3], "复核分" if zh else "review", *header[3:])
    lines: list[tuple[str, ...]] = [header]
    own = {i.key: i.places for i in result.all_indicators if i.places is not None} if result is not None else {}
    for row in rows:
        digits = own.get(row.key, places)
        difference = ""
        if row.published is not None and row.computed is not None and row.published != row.computed:
            difference = signed(rounded(row.published - row.computed, digits, rounding))
        published = display.printed_score(None, True, lang) if row.published_unreadable else dashed(row.published)
        review = ((display.printed_score(None, True, lang) if row.review_unreadable else dashed(row.review)),) \
            if reviews else ()
        lines.append((row.name, f"{row.weight:f}", published, *review, score(row.computed, digits, rounding, DASH),
                      difference, row.where, " ".join(row.codes)))
    if result is not None:
        summed = sum((r.published for r in rows if r.published is not None), Decimal(0))
        label = "合计（公布各行之和）" if zh else "sum of published rows"
        gap = ("",) if reviews else ()
        total = score(result.total, places, rounding)
        lines.append((label, f"{result.total_weight:f}", f"{summed:f}", *gap, total, "", "", ""))
        if published_total is not None:
            lines.append(("公布总分" if zh else "published total", "", published_total, *gap, total, "", "", ""))
    return "\n".join(table(lines, right={1, 2, 3, 4, 5} if reviews else {1, 2, 3, 4}))
