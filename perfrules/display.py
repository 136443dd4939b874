"""Numbers for people: the one home of every way perfrules writes a number, in the reader's language.

Scoring returns values (Decimal, with their unit and the ruleset's places); every stage that shows one
(the terminal table, JSON, Markdown/HTML/XLSX, the Word report, the checks' messages, the language
server) writes it with a function from here, so the same value reads the same everywhere:

- `plain`, `dashed` — a Decimal as it is: `16.10`, `5` (`dashed`: `—` when there is none);
- `percent` — a ratio as a percentage to two places, half up: `1.34405` → `134.41%`;
- `figure`, `figure_percent`, `points` — the report's style, trailing zeros dropped: `16.1`, `2.5%`, `16.1分`;
- `figure_amount`, `compact` — an amount in its fact's unit and a target as the report writes them: `662.77万元`, `≥4场`;
- `score` — a score rounded to the ruleset's places: `97` → `97.00`;
- `wan` — an amount in 元 as 万元: `22726900` → `2272.69 万元`;
- `target` — an indicator's target column (`满分 100`, en `out of 100`);
- `quantity`, `measured` — a value with its unit: `80646 人`, `95%`, `12.5 万元`;
- `signed` — a difference with its sign: `+0.45`, `-10`;
- `date_off`, `per_period` — how late a date is (`逾期 3 天`) and a date deduction's step (`1 天`);
- `check_value`, `expect_label`, `expect_computed` — the sides of a `check` and the rows of `expect`;
- `weight`, `printed_score`, `UNREADABLE`, `INFERRED` — a weight the form did not print (`10（推定）`) and a printed
  score that cannot be read (`?（无法辨认）`);
- `json_number`, `json_percent`, `cell_number` — the same values for JSON and spreadsheet cells.

Rounding is explicit (half up unless the ruleset says otherwise) and done in the plan's decimal context
(60 digits), never the global one. Stage: imports only the plan's units and the vocabulary (syntax → plan → display →
scoring → checks → render → faces).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TYPE_CHECKING

from perfrules.cache import compile_pattern
from perfrules.messages import Said
from perfrules.plan.units import CONTEXT, Unit, is_money
from perfrules.vocabulary import (
    CIRCLED,
    COMPARATOR_SIGNS,
    COMPARATOR_SPELLINGS,
    COMPARATORS,
    KIND_ENGLISH,
    NA_WORD,
    QUALITATIVE_WORD,
    SCALE_WORD,
    SCALE_WORD_EN,
)

if TYPE_CHECKING:
    from perfrules.plan.model import Fact, Indicator

DASH = "—"
HUNDRED = Decimal(100)
WAN = Decimal(10000)
CENT = Decimal("0.01")


def _en(lang: str) -> bool:
    return lang == "en"


def quantum(places: int) -> Decimal:
    """1E-places: the quantum a value rounded to `places` decimals has (2 → 0.01)."""
    return Decimal(1).scaleb(-places)


def rounded(value: Decimal, places: int = 2, rounding: str = ROUND_HALF_UP) -> Decimal:
    """`value` to `places` decimals (half up unless told), in the plan's context: exact for any input."""
    with localcontext(CONTEXT):
        return value.quantize(quantum(places), rounding=rounding)


# ---------------------------------------------------------------- numbers as they are


def plain(value: Decimal | None, none: str = "") -> str:
    """A Decimal with the digits it has, never an exponent: `16.10`, `5`, `0.005`; `none` when there is none."""
    return none if value is None else f"{value:f}"


def dashed(value: Decimal | None) -> str:
    """`plain`, with `—` when there is no value (a score not given, a row not applicable)."""
    return plain(value, DASH)


def trimmed(value: Decimal) -> str:
    """A Decimal without trailing zeros nor an exponent: `16.10` → `16.1`, `1E+2` → `100`, `-0` → `0`."""
    text = f"{value.normalize():f}"
    return "0" if text == "-0" else text


def signed(value: Decimal | None) -> str:
    """A difference as shown: `+0.45`, `-10`; blank when there is none (equal, or a side missing)."""
    if value is None or value == 0:
        return ""
    return f"{value:+f}"


# ---------------------------------------------------------------- percentages


def percent(rate: Decimal | None, none: str = "", places: int = 2) -> str:
    """A ratio as a percentage to `places` decimals, half up: `1.34405` → `134.41%`, `0.025` → `2.50%`."""
    if rate is None:
        return none
    with localcontext(CONTEXT):
        return f"{rounded(rate * HUNDRED, places)}%"


MAX_RATE_PLACES = 12  # past this a rate is shown with all its digits


def rate_places(rate: Decimal | None, bounds: tuple[Decimal, ...], places: int = 2) -> int:
    """The decimals a rate needs as a percentage so that its display stays on the side of every boundary the
    scoring compared it with (`bounds`, ratios: 1 for met, the steps' thresholds, the tiers' bounds): `places`,
    or more when rounding would cross one (0.9999999999 is `99.99999999%`, never `100.00%` beside a missed target).
    """
    if rate is None:
        return places
    with localcontext(CONTEXT):
        percent_value = rate * HUNDRED
        while places < MAX_RATE_PLACES:
            shown = rounded(percent_value, places) / HUNDRED
            if all((rate < bound) == (shown < bound) for bound in bounds):
                return places
            places += 1
    return -(percent_value.normalize().as_tuple().exponent)  # type: ignore[operator]  # every digit it has


def exact_percent(ratio: Decimal) -> str:
    """A ratio as a percentage with all its digits and no trailing zeros: `1` → `100%`, `0.955` → `95.5%`."""
    with localcontext(CONTEXT):
        return f"{(ratio * HUNDRED).normalize():f}%"


# ---------------------------------------------------------------- the report's style


def figure(value: Decimal, places: int = 2) -> str:
    """A number to `places` decimals, half up, trailing zeros dropped: 16.10 → 16.1, 20.00 → 20, 87.825 → 87.83."""
    text = f"{rounded(value, places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def figure_amount(fact: Fact, value: Decimal) -> str:
    """An amount in base units (元) in its fact's own unit, in the report's style: `6627700`, 万元 → `662.77万元`."""
    return figure(fact.unit.from_base(value)) + fact.unit.text


# Each spelling of >= and <= (perfrules.vocabulary) and the sign a report prints for it.
_SIGNS = [(spelling, COMPARATOR_SIGNS[COMPARATOR_SPELLINGS[spelling]]) for t in ("GE", "LE") for spelling in COMPARATORS[t]]
_NUMBER = compile_pattern(r"-?\d+(?:\.\d+)?")


def compact(text: str) -> str:
    """A quantity as written in the rule file, in the report's style: `>= 4 场` → `≥4场`, `300.00%` → `300%`."""
    out = text
    for spelling, sign in _SIGNS:
        out = out.replace(spelling, sign)
    out = "".join(out.split())
    return _NUMBER.sub(lambda m: figure(Decimal(m.group(0))) if "." in m.group(0) else m.group(0), out)


def figure_percent(rate: Decimal | None, none: str = DASH, places: int = 2) -> str:
    """A ratio as a percentage in the report's style: 0.805 → 80.5%, 0.025 → 2.5%, 3 → 300%; `none` when there is none
    (`places`: more for a rate next to a boundary, see `rate_places`)."""
    if rate is None:
        return none
    with localcontext(CONTEXT):
        return figure(rate * HUNDRED, places) + "%"


def points(value: Decimal, lang: str = "zh") -> str:
    """A score in the report's style: `16.1分` (en: `16.1 points`)."""
    return figure(value) + (" points" if _en(lang) else "分")


# ---------------------------------------------------------------- scores, money, quantities


def score(value: Decimal | None, places: int = 2, rounding: str = ROUND_HALF_UP, none: str = DASH) -> str:
    """A score to the ruleset's places: `97` → `97.00`, `16.1` → `16.10`; `none` when there is none."""
    return none if value is None else str(rounded(value, places, rounding))


def wan(amount: Decimal, places: int = 2, rounding: str = ROUND_HALF_UP, lang: str = "zh") -> str:
    """An amount in 元 as 万元 to `places` decimals: `22726900` → `2272.69 万元` (the unit is the table's, in any language)."""
    with localcontext(CONTEXT):
        return f"{rounded(amount / WAN, places, rounding)} 万元"


def target(text: str, kind: str, lang: str = "zh") -> str:
    """An indicator's 指标值 column: its target as written (`>= 60000 人`); a scale row's `满分 100` reads
    `out of 100` in English."""
    if kind == "scale" and _en(lang) and text.startswith(SCALE_WORD):
        return SCALE_WORD_EN + text[len(SCALE_WORD):]
    return shown(text, lang)  # 要素 …, 等次 …, 定性 (row_target) in the reader's language


def with_unit(number: str, unit: Unit) -> str:
    """A number written with its unit: `95%` (a percentage sticks), `80646 人`, a plain number alone."""
    if unit.is_percent:
        return f"{number}{unit.text}"
    return f"{number} {unit.text}".strip()


def quantity(value: Decimal, unit: Unit) -> str:
    """A computed value in its unit, as the tables show it: at most two decimals (2.52%), trailing zeros dropped."""
    if value != rounded(value):
        value = rounded(value)
    return with_unit(f"{value.normalize():f}", unit)


def measured(value: Decimal | None, unit: Unit) -> str:
    """A value with its unit as a table writes it, up to four decimals: `10 场`, `95%`, `12.5 万元`; `—` for none."""
    if value is None:
        return DASH
    if value != value.to_integral_value() and -value.as_tuple().exponent > 4:  # type: ignore[operator]
        value = rounded(value, 4)
    number = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}".rstrip("0")
    if unit.is_plain:
        return number
    return f"{number}{unit.text}" if unit.is_percent else f"{number} {unit.text}"


# ---------------------------------------------------------------- dates


def date_off(count: int, period: str, late: bool, lang: str = "zh") -> str:
    """How far a date misses its target, as a row's actual shows it: `逾期 3 天`, `提前 2 个月` (period "day" or
    "month"; late, or early for a "not before" date); en: `3 day(s) late`, `2 month(s) early`."""
    if _en(lang):
        return f"{count} {'day' if period == 'day' else 'month'}(s) {'late' if late else 'early'}"
    word = "逾期" if late else "提前"
    return f"{word} {count} {'天' if period == 'day' else '个月'}"


def date_missed(written: str, count: int, period: str, late: bool) -> Said:
    """A missed date's actual as a row shows it, in both languages: `2024-01-03（逾期 3 天）`, `2024-01-03 (3 day(s) late)`."""
    return Said(f"{written}（{date_off(count, period, late)}）", f"{written} ({date_off(count, period, late, 'en')})")


# ---------------------------------------------------------------- words of a row's target and actual, in both languages


def na_actual() -> Said:
    """A row that does not apply, as its actual shows it: `不适用` (en: `n/a`)."""
    return Said(NA_WORD, "n/a")


def elements_had(written: str, labels: tuple[str, ...]) -> Said:
    """A checklist row's actual (`具备 ①②④`, as perfrules.plan.actuals writes it) in both languages: `has ①②④`."""
    shown = ("".join(labels) if all(label in CIRCLED for label in labels) else " ".join(labels)) if labels else "none"
    return Said(written, f"has {shown}")


def elements_target(written: str, elements: tuple[tuple[str, Decimal], ...], text: str = "") -> Said:
    """A checklist row's target (`要素 ①40% ②③④各20%`, as compile writes it) in both languages:
    `elements ①40% ②③④ 20% each` (`text`: a qualitative target written beside the elements)."""
    groups: list[tuple[str, Decimal]] = []
    for label, share in elements:
        if groups and groups[-1][1] == share and label in CIRCLED and groups[-1][0][-1:] in CIRCLED:
            groups[-1] = (groups[-1][0] + label, share)
        else:
            groups.append((label, share))
    parts = " ".join(f"{label}{exact_percent(share)}" if len(label) == 1 or label[0] not in CIRCLED
                     else f"{label} {exact_percent(share)} each" for label, share in groups)
    return Said(written, f"{text} (elements {parts})" if text else f"elements {parts}")


def row_target(ind: Indicator) -> str:
    """A row's target as shown: as written, with the words perfrules adds (要素 …各, 等次, 定性) in both languages."""
    if ind.elements:
        inner = ind.target_text.partition("（")[0] if ind.target_text.endswith("）") else ""
        return elements_target(ind.target_text, ind.elements, inner)
    if ind.levels:
        inner = ind.target_text.partition("（")[0] if ind.target_text.endswith("）") else ""
        parts = " ".join(f"{level}{exact_percent(share)}" for level, share in ind.levels)
        return Said(ind.target_text, f"{inner} (levels {parts})" if inner else f"levels {parts}")
    if ind.kind == "qualitative" and ind.target_text == QUALITATIVE_WORD:
        return Said(QUALITATIVE_WORD, "qualitative")
    return ind.target_text


def kind(value: str, lang: str = "zh") -> str:
    """A ruleset's kind (评价, 自评, 监控) in the reader's language."""
    return KIND_ENGLISH.get(value, value) if _en(lang) else value


def shown(text: str, lang: str = "zh") -> str:
    """A Result's text (an actual or a target) in the reader's language: a `Said` says itself in English."""
    words = getattr(text, "words", None)
    return str(words(lang)) if callable(words) else text


def per_period(count: Decimal, period: str, lang: str = "zh") -> str:
    """A date deduction's step: `1 天`, `2 个月` (`1 day(s)` in English)."""
    if _en(lang):
        return f"{trimmed(count)} {'day' if period == 'day' else 'month'}(s)"
    return f"{trimmed(count)} {'天' if period == 'day' else '个月'}"


# ---------------------------------------------------------------- checks and expect


def check_value(value: Decimal | None, unit: Unit | None, places: int = 2, rounding: str = ROUND_HALF_UP) -> str:
    """One side of a `check` (a value in base units): money in 万元, a percentage, else the number; `?` when missing."""
    if value is None:
        return "?"
    if unit is not None and is_money(unit):
        return wan(value, places, rounding)
    if unit is not None and unit.is_percent:
        return percent(value)
    return f"{rounded(value, places, rounding).normalize():f}"


EXPECT_LABELS = {"total": ("总分 total", "total"), "grade": ("等级 grade", "grade"), "review": ("复核总分 review", "review total")}


def expect_label(target: str, lang: str = "zh") -> str:
    """What an `expect` row checks: `总分 total`, `等级 grade` (en: `total`, `grade`), or the section's key."""
    pair = EXPECT_LABELS.get(target)
    if pair is None:
        return target
    return pair[1] if _en(lang) else pair[0]


def verbal_grade(grade: str, lang: str = "zh") -> str:
    """The computed grade beside a published verbal one, which is kept as text: `优（文字等级，不比较）`."""
    return f"{grade} (verbal grade, not compared)" if _en(lang) else f"{grade}（文字等级，不比较）"


def unknown_grade(grade: str, lang: str = "zh") -> str:
    """The computed grade beside a published unquoted one that is no band's name (PR303 warns): `优（不是分数段，不比较）`."""
    return f"{grade} (not a band, not compared)" if _en(lang) else f"{grade}（不是分数段，不比较）"


# ---------------------------------------------------------------- what a printed row holds (docs/language.md 14)

INFERRED = {"zh": "（推定）", "en": " (inferred)"}  # after a weight the form did not print
UNREADABLE = {"zh": "?（无法辨认）", "en": "? (unreadable)"}  # a printed score that cannot be read (`score ?`)


def weight(value: Decimal, inferred: bool = False, lang: str = "zh") -> str:
    """A weight as shown: `10`, or `10（推定）` (en: `10 (inferred)`) when the form did not print it."""
    return plain(value) + (INFERRED["en" if _en(lang) else "zh"] if inferred else "")


def printed_score(value: Decimal | None, unreadable: bool = False, lang: str = "zh") -> str:
    """A published or review score as the form prints it: the number, `?（无法辨认）` for `score ?`, or blank."""
    if unreadable:
        return UNREADABLE["en" if _en(lang) else "zh"]
    return plain(value)


# ---------------------------------------------------------------- machine-readable numbers


def json_number(value: Decimal | None) -> float | int | None:
    """A JSON number with the Decimal's digits (values here are already rounded): an int when integral."""
    if value is None:
        return None
    if value == value.to_integral_value() and abs(value) < 10**15:
        return int(value)
    return float(value)


def json_percent(rate: Decimal | None, places: int = 2) -> float | None:
    """A ratio as a JSON percentage with two decimals (`places`), half up (1.34410 → 134.41)."""
    if rate is None:
        return None
    with localcontext(CONTEXT):
        return float(rounded(rate * HUNDRED, places))


def cell_number(value: Decimal | None) -> int | float | None:
    """A value for a spreadsheet cell: an int when integral, else a float; None stays an empty cell."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def said_expect_label(target: str) -> Said:
    """`expect_label` in both languages at once, for a finding's argument."""
    return Said(expect_label(target, "zh"), expect_label(target, "en"))
