"""Actuals: turn a written value (`80646 人`, `达成 90%`, `不适用`) into a Plan Actual.

Used for actuals written in the rule file and, through `perfrules.data`, for data files.
A bare number takes the unit of its indicator's target; a count unit that differs from the
target's is an error, never mixed silently. A negative actual is refused unless the indicator
is `signed` (a fact may be negative: a deficit is a fact).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

from perfrules import vocabulary
from perfrules.findings import Finding, Span
from perfrules.plan.model import QUALITATIVE_TIERS, Actual, Fact, Indicator, Printed, negative
from perfrules.plan.names import Index
from perfrules.plan.units import CONTEXT, Unit, parse_unit
from perfrules.syntax import ast

LONG_TIERS = vocabulary.LONG_TIERS


CIRCLED = vocabulary.CIRCLED


def element_labels(text: str) -> list[str]:
    """`②③④` is three elements (each with the share written after it); any other label is one."""
    return list(text) if len(text) > 1 and all(char in CIRCLED for char in text) else [text]


def resolve(index: Index, name: str, name_span: Span | None, value: ast.ActualValue | None, reason: str | None,
            score: Decimal | None, span: Span | None, findings: list[Finding]) -> Actual | None:
    """The Actual for `name`, or None with findings saying why."""
    with localcontext(CONTEXT):
        return _resolve(index, name, name_span, value, reason, score, span, findings)


def _resolve(index: Index, name: str, name_span: Span | None, value: ast.ActualValue | None, reason: str | None,
             score: Decimal | None, span: Span | None, findings: list[Finding]) -> Actual | None:
    candidates = index.candidates(name, ("fact", "indicator"))
    if len(candidates) == 1:
        found: tuple[str, str] | None = candidates[0]
    elif not candidates:
        import difflib

        close = difflib.get_close_matches(name, index.all_names(("fact", "indicator")), n=3, cutoff=0.5)
        findings.append(Finding.make("PR020", name_span, name=name, hint="did_you_mean" if close else "",
                                     options="、".join(close)))
        return None
    else:
        found = index.lookup(name, name_span, findings=findings)  # reports the ambiguity
    if found is None:
        return None
    kind, key = found
    if value is None:  # a note: the reason or published score of a row whose value is derived
        if kind == "fact":
            findings.append(Finding.make("PR018", name_span, key="PR018.fact", name=name, value="（无）"))
            return None
        return Actual(key, "note", None, None, reason=reason, score=score, span=span)
    if kind == "fact":
        clauses = [word for word, given in (("score", score is not None), ("reason", reason is not None)) if given]
        if clauses:  # never dropped silently: what the user wrote on the line is used or reported
            findings.append(Finding.make("PR014", span, key="PR014.fact_clause", name=name, clause="、".join(clauses)))
            return None
        return _fact(index.facts[key], value, span, findings)
    indicator = index.indicators[key]
    if value.kind == "na":
        return Actual(key, "na", None, None, text=vocabulary.NA_WORD, reason=reason, score=score, span=span)
    if value.quantity is not None and value.quantity.value < 0 and not indicator.signed:
        findings.append(negative(indicator, str(value.quantity), value.span or span))
        return None
    if indicator.kind == "date" and value.kind != "text":
        return _date(indicator, value, reason, score, span, findings)
    if indicator.kind == "qualitative":
        return _qualitative(indicator, value, reason, score, span, findings)
    if indicator.kind == "scale" and value.kind != "text":
        return _scaled(indicator, value, reason, score, span, findings)
    if value.kind == "text":  # kept for audits (PR307); scores 0 with a finding
        return Actual(key, "text", None, None, text=value.text, reason=reason, score=score, span=span)
    if value.kind != "quantity" or value.quantity is None:
        findings.append(Finding.make("PR018", value.span or span, key="PR018.kind", name=indicator.name,
                                     kind="定量", expected="数量（如 80646 人、95%）", value=_written(value)))
        return None
    quantity = value.quantity
    if quantity.date is not None:  # a date where a number is measured
        findings.append(Finding.make("PR013", quantity.span, key="PR013.date", name=indicator.name,
                                     left=indicator.target_text, right=quantity))
        return None
    unit = parse_unit(quantity.unit)
    if unit.is_plain:
        unit = indicator.unit
    elif indicator.unit.is_plain and (unit.is_percent or unit.scale != 1):
        # 98% or 6 万元 against a bare target (95, 60000) cannot be read safely: say so rather than guess
        findings.append(Finding.make("PR013", quantity.span, key="PR013.plain", name=indicator.name, right=unit.text))
        return None
    elif not indicator.unit.is_plain and not unit.compatible(indicator.unit):
        findings.append(Finding.make("PR013", quantity.span, key="PR013.count", name=indicator.name,
                                     left=indicator.unit.text, right=unit.text))
        return None
    text = str(quantity)
    if parse_unit(quantity.unit).is_plain and not unit.is_plain:  # read in the target's unit: shown with it
        text = str(ast.Quantity(quantity.value, unit.text, quantity.span))
        findings += bare_number_doubts(indicator, quantity, unit)
    return Actual(key, "quantity", unit.to_base(quantity.value), unit, text=text, reason=reason,
                  score=score, span=span)


# A bare amount is doubted when it is about 10,000 times off its target (元 written for 万元, or 万元 for 元): the
# ratio of the value to the target within a factor of 10 of 10^4 (or of 10^-4).
MONEY_STEP = Decimal(10000)
MONEY_SLACK = Decimal(10)


def bare_number_doubts(indicator: Indicator, quantity: ast.Quantity, unit: Unit) -> list[Finding]:
    """Warnings (PR026) for a bare number read in its target's unit when it looks written in another unit:
    0.95 against a percentage target (95%?), an amount 10,000 times off the target (元 against 万元). The value
    is scored as read; the warning, with the likely intended value in its hint, is the user's signal."""
    value, target = quantity.value, indicator.target
    shown = str(ast.Quantity(value, unit.text, quantity.span))
    if target is None or target <= 0 or value <= 0:
        return []
    if unit.is_percent:
        # 0.95 against >= 95%: a ratio written where a percentage was meant (not against a target of 1% or less)
        if unit.text != "‰" and value <= 1 < unit.from_base(target):
            return [_doubt("PR026.percent", indicator, quantity, shown, f"{_plain_number(value * 100)}%")]
        return []
    if not _is_money(unit):
        return []
    ratio = unit.to_base(value) / target
    for factor, direction in ((MONEY_STEP, 1), (1 / MONEY_STEP, -1)):
        if factor / MONEY_SLACK <= ratio <= factor * MONEY_SLACK:
            meant = _money_meant(value, unit, direction)
            if meant is None:
                return []
            return [_doubt("PR026.magnitude", indicator, quantity, shown, meant)]
    return []


def _doubt(key: str, indicator: Indicator, quantity: ast.Quantity, shown: str, meant: str) -> Finding:
    return Finding.make("PR026", quantity.span, key=key, hint=key, name=indicator.name, value=f"{quantity.value:f}",
                        shown=shown, target=indicator.target_text, meant=meant, factor="10,000")


# The money units 10,000 times apart (元, 万元, 亿元), smallest first.
MONEY_UNITS = tuple(unit for unit, scale in vocabulary.MONEY_UNITS.items() if scale in (1, MONEY_STEP, MONEY_STEP ** 2))


def _is_money(unit: Unit) -> bool:
    return unit.dims == ((vocabulary.MONEY_BASE, 1),) and unit.text in MONEY_UNITS


def _money_meant(value: Decimal, unit: Unit, direction: int) -> str | None:
    """「89.974 万元（899740 元）」: the value read in the unit 10,000 times smaller (direction 1) or larger (-1)
    than the target's, converted back into the target's unit, with what was probably written in brackets."""
    at = MONEY_UNITS.index(unit.text)
    other = at - direction
    if not 0 <= other < len(MONEY_UNITS):
        return None
    written_in = MONEY_UNITS[other]
    converted = value / MONEY_STEP if direction > 0 else value * MONEY_STEP
    return f"{_plain_number(converted)} {unit.text}（{_plain_number(value)} {written_in}）"


def _plain_number(value: Decimal) -> str:
    """A number as a person writes it: 89.974, 95, 72890 (no exponent, no trailing zeros)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _fact(fact: Fact, value: ast.ActualValue, span: Span | None, findings: list[Finding]) -> Actual | None:
    if value.kind != "quantity" or value.quantity is None or value.quantity.date is not None:
        findings.append(Finding.make("PR018", value.span or span, key="PR018.fact", name=fact.name,
                                     value=_written(value)))
        return None
    unit = parse_unit(value.quantity.unit)
    if unit.is_plain:
        unit = fact.unit
    elif not fact.unit.is_plain and not unit.compatible(fact.unit):
        findings.append(Finding.make("PR013", value.quantity.span, key="PR013.count", name=fact.name,
                                     left=fact.unit.text, right=unit.text))
        return None
    return Actual("fact:" + fact.name, "quantity", unit.to_base(value.quantity.value), unit,
                  text=str(value.quantity), span=span)


def _date(indicator: Indicator, value: ast.ActualValue, reason: str | None, score: Decimal | None,
          span: Span | None, findings: list[Finding]) -> Actual | None:
    """A deadline's actual: a date (`2023-11-30`), a month (`2023-11`), or `11 月` in the target's year."""
    from perfrules.plan import dates  # only a date row needs it
    quantity = value.quantity
    if value.kind != "quantity" or quantity is None:
        findings.append(Finding.make("PR018", value.span or span, key="PR018.kind", name=indicator.name, kind="日期",
                                     expected="日期（如 2023-11-30）", value=_written(value)))
        return None
    if quantity.date is None and quantity.unit != vocabulary.MONTH_UNIT:  # a number where a date is due
        findings.append(Finding.make("PR013", quantity.span, key="PR013.date", name=indicator.name,
                                     left=indicator.target_text, right=quantity))
        return None
    year = date.fromordinal(int(indicator.target)).year if indicator.target is not None else None
    found = dates.date_target(quantity, year, indicator.name, "PR018", findings)
    if found is None:
        return None
    day, unit = found
    if unit.text == dates.MONTH.text and (indicator.unit.text == dates.DAY.text or indicator.deduct_period == "day"):
        findings.append(Finding.make("PR018", quantity.span, key="PR018.date_day_needed", name=indicator.name,
                                     target=indicator.target_text, value=quantity))
        return None
    return Actual(indicator.key, "date", day, unit, text=str(quantity), reason=reason, score=score, span=span)


def _scaled(indicator: Indicator, value: ast.ActualValue, reason: str | None, score: Decimal | None,
            span: Span | None, findings: list[Finding]) -> Actual | None:
    """A scale row's actual: points on its scale (`90`, `90 分`), or a percentage of the scale (`85%` of 100 is 85);
    above the scale is PR018 (a negative was refused before)."""
    quantity = value.quantity
    unit = parse_unit(quantity.unit) if quantity is not None and quantity.date is None else None
    scale = indicator.scale
    shown_scale = f"{scale.normalize():f}" if scale is not None else "?"
    if value.kind != "quantity" or quantity is None or unit is None \
            or not (unit.is_plain or unit.is_percent or unit.text == vocabulary.POINTS_UNIT):
        findings.append(Finding.make("PR018", value.span or span, key="PR018.scale_kind", name=indicator.name,
                                     scale=shown_scale, value=_written(value)))
        return None
    if scale is None:  # compile reported the scale (PR014)
        return None
    points = scale * unit.to_base(quantity.value) if unit.is_percent else quantity.value
    if points > scale:
        findings.append(Finding.make("PR018", quantity.span, key="PR018.scale_above", name=indicator.name,
                                     value=str(quantity), scale=shown_scale))
        return None
    text = str(quantity) if unit.is_percent else str(ast.Quantity(quantity.value, vocabulary.POINTS_UNIT, quantity.span))
    return Actual(indicator.key, "quantity", points, indicator.unit, text=text, reason=reason, score=score, span=span)


def _checklist(indicator: Indicator, value: ast.ActualValue, reason: str | None, score: Decimal | None,
               span: Span | None, findings: list[Finding]) -> Actual | None:
    """A checklist row's actual, `具备 ① ② ④` (`具备 ①②④`, `具备 无`): the rate is the sum of the shares it has."""
    if value.kind != "elements":
        findings.append(Finding.make("PR018", value.span or span, key="PR018.kind", name=indicator.name,
                                     kind="要素", expected="具备的要素（如 具备 ① ② ④）", value=_written(value)))
        return None
    shares = dict(indicator.elements)
    has: list[str] = []
    names = value.elements
    if len(names) == 1 and names[0].text in NONE_WORDS and names[0].text not in shares:
        names = ()
    for written in names:
        for label in element_labels(written.text):
            if label not in shares:
                findings.append(Finding.make("PR018", written.span, key="PR018.element", name=indicator.name,
                                             label=label, options="、".join(shares)))
                return None
            if label not in has:
                has.append(label)
    rate = sum((shares[label] for label in has), Decimal(0))
    shown = ("".join(has) if all(label in CIRCLED for label in has) else " ".join(has)) if has else NONE_WORDS[0]
    text = f"{vocabulary.HAS_WORD} {shown}"
    return Actual(indicator.key, "elements", rate, None, text=text, reason=reason, score=score, span=span,
                  elements=tuple(has))


NONE_WORDS = vocabulary.NONE_WORDS


def _level(indicator: Indicator, value: ast.ActualValue, reason: str | None, score: Decimal | None,
           span: Span | None, findings: list[Finding]) -> Actual | None:
    """A row rated by level, `= 良`: the rate is that level's share of the weight."""
    names = "、".join(level for level, _ in indicator.levels)
    if value.kind == "text" and value.text is not None:  # a data file's 「良」 (or a quoted "良"): a level meant
        value = ast.ActualValue("level", text=value.text.strip(), span=value.span)
    elif value.kind == "tier" and value.quantity is None and value.tier in dict(indicator.levels):
        value = ast.ActualValue("level", text=value.tier, span=value.span)  # levels named as the tiers: 达成:100% …
    if value.kind != "level":
        findings.append(Finding.make("PR018", value.span or span, key="PR018.kind", name=indicator.name, kind="按等次评定",
                                     expected=f"等次（{names}）", value=_written(value)))
        return None
    shares = dict(indicator.levels)
    if value.text not in shares:
        findings.append(Finding.make("PR018", value.span, key="PR018.level", name=indicator.name, value=value.text,
                                     options=names))
        return None
    return Actual(indicator.key, "level", shares[value.text], None, text=value.text, reason=reason, score=score,
                  span=span)


def _qualitative(indicator: Indicator, value: ast.ActualValue, reason: str | None, score: Decimal | None,
                 span: Span | None, findings: list[Finding]) -> Actual | None:
    if indicator.elements:
        return _checklist(indicator, value, reason, score, span, findings)
    if indicator.levels:
        return _level(indicator, value, reason, score, span, findings)
    if value.kind == "level":  # `= 良` on a row that names no levels
        findings.append(Finding.make("PR018", value.span or span, key="PR018.no_levels", name=indicator.name,
                                     value=value.text))
        return None
    percent = value.quantity is None or value.quantity.unit in (None, "%", "‰")
    if value.kind not in ("tier", "quantity") or not percent:
        findings.append(Finding.make("PR018", value.span or span, key="PR018.kind", name=indicator.name, kind=vocabulary.QUALITATIVE_WORD,
                                     expected="档次与得分率（如 达成 100%）", value=_written(value)))
        return None
    rate = None
    if value.quantity is not None:
        rate = parse_unit(value.quantity.unit or "%").to_base(value.quantity.value)
    tier = LONG_TIERS.get(value.tier or "", value.tier)
    if tier is None and rate is not None:
        tier = tier_of(rate, indicator.tiers)
    assert tier in QUALITATIVE_TIERS
    lower, upper = vocabulary.tier_range(tier, indicator.tiers)
    if rate is None:
        if tier != vocabulary.MET:
            findings.append(Finding.make("PR018", value.span or span, key="PR018.tier_needs_rate",
                                         name=indicator.name, tier=tier, example=_percent(lower)))
            return None
        rate = Decimal(1)
    if not vocabulary.in_tier(tier, rate, indicator.tiers):
        findings.append(Finding.make("PR018", value.span or span, key="PR018.tier", name=indicator.name, tier=tier,
                                     low=_percent(lower), high=_percent(upper), rate=_percent(rate)))
        return None
    return Actual(indicator.key, "tier", rate, None, tier=tier, text=f"{tier} {_percent(rate)}", reason=reason,
                  score=score, span=span)


tier_of = vocabulary.tier_of


def with_extra(actual: Actual, extra: ast.ActualExtra, index: Index, findings: list[Finding]) -> Actual:
    """`actual` with what its printed row holds beside it: review score, unreadable scores, printed 执行率, evidence.

    A printed rate goes only with an indicator in % (PR014); a rate without `%` is read in % (`rate 95.3`)."""
    from dataclasses import replace

    rate = rate_text = None
    if actual.key.startswith("fact:"):
        clauses = [word for word, given in (("review", extra.review is not None or extra.review_unreadable),
                                            ("score ?", extra.score_unreadable), ("佐证", extra.evidence is not None))
                   if given]
        if clauses:
            findings.append(Finding.make("PR014", actual.span, key="PR014.fact_clause",
                                         name=actual.key.removeprefix("fact:"), clause="、".join(clauses)))
    if extra.rate is not None:
        indicator = index.indicators.get(actual.key)
        unit = parse_unit(extra.rate.unit or "%")
        if indicator is None or not indicator.unit.is_percent:
            name = indicator.name if indicator is not None else actual.key.removeprefix("fact:")
            shown = indicator.unit.text if indicator is not None and indicator.unit.text else "（无单位）"
            findings.append(Finding.make("PR014", extra.rate.span, key="PR014.rate_unit", name=name, unit=shown))
        elif not unit.is_percent:
            findings.append(Finding.make("PR014", extra.rate.span, what="执行率 rate", value=extra.rate,
                                         options="百分数，如 95.3%"))
        else:
            rate = unit.to_base(extra.rate.value)
            rate_text = str(ast.Quantity(extra.rate.value, extra.rate.unit or "%", extra.rate.span))
    printed = Printed(extra.review, extra.score_unreadable and actual.score is None,
                      extra.review_unreadable and extra.review is None, rate, rate_text, extra.evidence)
    return replace(actual, printed=printed if printed != Printed() else None)


def merge_notes(actuals: list[Actual]) -> list[Actual]:
    """A note (`预算执行率 reason "..."`) joins the other actual or note of its row instead of clashing."""
    from dataclasses import replace

    merged: list[Actual] = []
    by_key: dict[str, int] = {}
    for actual in actuals:
        at = by_key.get(actual.key)
        if at is not None and "note" in (actual.kind, merged[at].kind) and not _clash(merged[at], actual):
            base, note = (merged[at], actual) if actual.kind == "note" else (actual, merged[at])
            merged[at] = replace(base, reason=base.reason or note.reason,
                                 score=base.score if base.score is not None else note.score,
                                 printed=base.printed.merged(note.printed) if base.printed else note.printed)
            continue
        by_key.setdefault(actual.key, len(merged))
        merged.append(actual)
    return merged


def _clash(one: Actual, other: Actual) -> bool:
    """Both give the same published figure (a reason, score, review score, rate or evidence): the row is given twice
    (PR010), rather than one figure silently winning."""
    def given(a: Actual) -> set[str]:
        p = a.printed
        return {name for name, present in (
            ("reason", a.reason is not None), ("score", a.score is not None or (p is not None and p.score_unreadable)),
            ("review", p is not None and (p.review is not None or p.review_unreadable)),
            ("rate", p is not None and p.rate is not None), ("evidence", p is not None and p.evidence is not None),
        ) if present}
    return bool(given(one) & given(other))


def duplicates(actuals: list[Actual]) -> list[Finding]:
    seen: dict[str, Actual] = {}
    findings = []
    for actual in actuals:
        if actual.key in seen:
            first = seen[actual.key].span
            findings.append(Finding.make("PR010", actual.span, name=actual.key.removeprefix("fact:"),
                                         first=first.line if first else "?"))
        seen[actual.key] = actual
    return findings


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _written(value: ast.ActualValue) -> str:
    if value.kind == "elements":
        return " ".join([vocabulary.HAS_WORD, *(n.text for n in value.elements)])
    if value.kind == "tier":
        return f"{value.tier} {value.quantity or ''}".strip()
    if value.kind == "text":
        return f"\"{value.text}\""
    if value.kind == "level":
        return value.text or ""
    return str(value.quantity) if value.quantity else value.kind
