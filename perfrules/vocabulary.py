"""The language's words, once: keywords, comparators, tier words and their bounds, full-width
characters, n/a spellings and units.

Everything that needs a word of the language takes it from here: the grammar's keyword and
comparator terminals (grammar/perfrules.lark names them; `lark_terminals` writes their
alternatives when the parser builds the grammar), the parser's fast path and its error hints, the
formatter, the language server's completions, the 自评表 importer, the data schema's patterns, the
scoring of qualitative tiers and the audit of their scores, and the VS Code grammar
(`python perfrules/vocabulary.py --json` prints what editors/vscode/scripts/build-grammar.js reads).

The earliest stage: this module imports nothing of perfrules. Nothing here compiles a regular
expression; callers build theirs lazily from these lists.
"""

from __future__ import annotations

import re
from decimal import Decimal

# ---------------------------------------------------------------- ruleset kinds (`kind 自评`)

# A ruleset's kind as written (Chinese or English) -> the kind a Plan holds, and each kind in English output.
KIND_SPELLINGS = {"评价": "评价", "evaluation": "评价", "自评": "自评", "self": "自评", "监控": "监控",
                  "monitoring": "监控"}
KIND_ENGLISH = {"评价": "evaluation", "自评": "self-evaluation", "监控": "monitoring"}


# ---------------------------------------------------------------- deduction words (per X, as tables print it)

# The `per` spellings that say which side of the target is deducted: a shortfall below a `>=` (or `>`) target, an
# excess above a `<=` (or `<`) one. 每超支 (overspent) is an excess: spending above a cost or budget cap
# (「每超支 1 万元扣 1 分」 on `项目成本 <= 50 万元`). The scoring measures the gap from the comparator alone; a word
# of the other side is reported (PR014.deduct_over, PR014.deduct_under). per, 每差 (each difference) and 每逾期/每延迟 (late) fit any.
PER_BELOW = ("每少", "每低")
PER_ABOVE = ("每超", "每超支", "每多", "每高")
PER_FITS = {">=": PER_BELOW, ">": PER_BELOW, "<=": PER_ABOVE, "<": PER_ABOVE}


# ---------------------------------------------------------------- tiers (定性指标的三档)

TIERS = ("达成", "部分达成", "未达成")  # the three tiers, best first: what a Plan and a Result hold
MET, PARTLY, NOT_MET = TIERS
# The tiers as the national form writes them (财预〔2020〕10号): read as the short word.
LONG_TIERS = {
    "达成年度指标": MET,
    "部分达成年度指标并具有一定效果": PARTLY,
    "未达成年度指标且效果较差": NOT_MET,
}
# The lower bounds of 达成 and 部分达成, as a ratio of the weight: 达成 80%–100%, 部分达成 60%–80%, 未达成 0–60%.
DEFAULT_TIER_BOUNDS = (Decimal("0.8"), Decimal("0.6"))


def tier_range(tier: str, bounds: tuple[Decimal, Decimal] = DEFAULT_TIER_BOUNDS) -> tuple[Decimal, Decimal]:
    """The rates a tier scores, (lower, upper): 达成 [high, 1], 部分达成 [low, high), 未达成 [0, low)."""
    high, low = bounds
    if tier == MET:
        return high, Decimal(1)
    if tier == PARTLY:
        return low, high
    if tier == NOT_MET:
        return Decimal(0), low
    raise KeyError(tier)


def in_tier(tier: str, rate: Decimal, bounds: tuple[Decimal, Decimal] = DEFAULT_TIER_BOUNDS) -> bool:
    """Whether `rate` lies in the tier (the top of 达成 is included, the top of the others is not)."""
    lower, upper = tier_range(tier, bounds)
    return lower <= rate <= upper if tier == MET else lower <= rate < upper


def tier_of(rate: Decimal, bounds: tuple[Decimal, Decimal] = DEFAULT_TIER_BOUNDS) -> str:
    """The tier a rate falls in."""
    high, low = bounds
    return MET if rate >= high else PARTLY if rate >= low else NOT_MET


def tier_bounds_text(bounds: tuple[Decimal, Decimal] = DEFAULT_TIER_BOUNDS) -> str:
    """「达成 80–100%、部分达成 60–80%、未达成 0–60%」: the tiers and the rates they score."""
    def percent(rate: Decimal) -> str:
        return f"{(rate * 100).normalize():f}"

    return "、".join(f"{tier} {percent(low)}–{percent(high)}%" for tier in TIERS for low, high in [tier_range(tier, bounds)])


# ---------------------------------------------------------------- keywords

NA_WORD = "不适用"  # an indicator or actual that is not applicable, as shown
QUALITATIVE_WORD = "定性"  # a qualitative row's target as shown when none is written (KEYWORDS["QUALITATIVE"])
NA_WORDS = ("n/a", NA_WORD, "na")  # ... and as it may be written

# Each keyword terminal of grammar/perfrules.lark and its spellings (English first, then Chinese).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "RULESET": ("ruleset", "规则集"),
    "ROUND_MODE": ("half-even", "half-up", "银行家舍入", "down", "四舍五入", "截断", "up", "进一法", "向上取整"),
    "GRADES": ("grades", "等级"),
    "FACTS": ("facts", "基础数据"),
    "ACTUALS": ("actuals", "实际"),
    "EXPECT": ("expect", "核对"),
    "POLICY": ("policy", "策略"),
    "DIMENSION": ("dimension", "一级指标", "维度"),
    "GROUP": ("group", "二级指标", "分组"),
    "USE": ("use", "引用"),
    "CHECK": ("check", "校验"),
    "SEVERITY": ("severity", "级别"),
    "TOLERANCE": ("tolerance", "容差"),
    "YEAR": ("year", "年度"),
    "KIND": ("kind", "类型"),
    "ROUNDING": ("rounding", "舍入"),
    "TOTAL": ("total", "总分"),
    "TIERS": ("tiers", "档次"),
    "OTHERWISE": ("otherwise", "其他"),
    "IN": ("in", "介于"),
    "QUALITATIVE": ("qualitative", "定性"),
    "WEIGHT": ("weight", "权重", "分值"),
    "CAP": ("cap", "封顶"),
    "METHOD": ("method", "计分"),
    "STEPS": ("steps", "阶梯"),
    "DEDUCT": ("deduct", "扣"),
    # 每逾期/每延迟: a date's deduction per day or month late; 每少/每低 (a `>=` target) and 每超/每超支/每多/每高
    # (a `<=` target) as tables print deductions: 「每少 1 处扣 1 分」「每低 1% 扣 0.5 分」「每超支 1 万元扣 1 分」
    "PER": ("per", "每差", "每逾期", "每延迟", *PER_BELOW, *PER_ABOVE),
    "NA": NA_WORDS,
    "SIGNED": ("signed", "可为负"),
    "TIER": tuple(sorted([*LONG_TIERS, *TIERS], key=len, reverse=True)),  # the longest first, as lark tries them
    "REASON": ("reason", "偏差原因", "原因"),
    "SCORE": ("score", "得分"),
    "GRADE": ("grade", "评级"),
    "HISTORY": ("history", "历史"),
    "ACTUAL": ("actual", "实际完成"),
    "BUDGET": ("budget", "年度预算"),
    "INFERRED": ("inferred", "推定"),  # `weight 10 inferred`: a weight the form did not print
    "REVIEW": ("review", "复核分", "审核分"),  # `review 18`: a row's review score (复核分, 财政审核评分)
    "RATE": ("rate", "执行率"),  # `rate 95.3%`: the execution rate printed on the row
    "ELEMENTS": ("elements", "要素"),  # a checklist row: `elements ①:40% ②③④:20%`
    "HAS": ("has", "具备"),  # its actual: `具备 ① ② ④`
    "LEVELS": ("levels", "等次", "分档"),  # a row rated by named levels: `levels 优:100% 良:80% 中:60% 差:0`
    "SCALE": ("scale", "满分"),  # a row scored on a scale, with no target: `相关性 scale 100 weight 20%`
}
KEYWORD_OF = {spelling: terminal for terminal, spellings in KEYWORDS.items() for spelling in spellings}
RESERVED_WORDS = frozenset(KEYWORD_OF)  # every spelling of every keyword: a name written so must be quoted
WORD_END = r"(?![^\W\d])"  # a keyword is a whole word: no letter may follow it (a digit may)
# The keywords of a block's header line, by the kind of block they open.
BLOCK_KEYWORDS = {kind: KEYWORDS[kind.upper()] for kind in (
    "ruleset", "grades", "facts", "actuals", "expect", "policy", "dimension", "group", "history")}


def spellings(terminal: str) -> list[str]:
    """A keyword's spellings, English first and shortest first (how error messages and completions list them)."""
    return sorted(KEYWORDS[terminal], key=lambda word: (not word.isascii(), len(word)))


def chinese(*terminals: str) -> list[str]:
    """The Chinese spellings of `terminals`, in order."""
    return [word for terminal in terminals for word in KEYWORDS[terminal] if not word.isascii()]


# ---------------------------------------------------------------- element checklists and dates

SCALE_WORD = "满分"  # a scale row's target column: 满分 100 (KEYWORDS["SCALE"] are its spellings)
SCALE_WORD_EN = "out of"  # ... in English: out of 100
POINTS_UNIT = "分"  # its actual: 90 分 (a bare 90 reads the same)
UNREADABLE_MARKS = ("?",)  # `score ?`, `review ?`: a figure printed but unreadable (？ is read as ?, see FULL_WIDTH)
HAS_WORD = "具备"  # a checklist row's actual as shown: 具备 ①②④ (KEYWORDS["HAS"] are its spellings)
NONE_WORDS = ("无", "none")  # 具备 无: no element at all
# Circled numbers: written together (②③④:20%, 具备 ①②④) they are that many elements.
CIRCLED = frozenset("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳❶❷❸❹❺❻❼❽❾❿")
DAY_UNITS = ("天", "日")  # a date's deduction per day late: `deduct 1 per 天`
MONTH_UNIT = "月"  # `12 月`: a month of the ruleset's year (a target or an actual)
MONTH_UNITS = (MONTH_UNIT, "个月")  # a date's deduction per month late: `deduct 1 per 月`; 个月 alone is a duration


# ---------------------------------------------------------------- comparators

# Each comparator terminal of the grammar and its spellings (after full-width mapping, see FULL_WIDTH).
COMPARATORS: dict[str, tuple[str, ...]] = {
    "GE": (">=", "≥", "≧"),
    "LE": ("<=", "≤", "≦"),
    "GT": (">",),
    "LT": ("<",),
    "EQ": ("==", "="),
}
COMPARATOR_OF_TERMINAL = {"GE": ">=", "LE": "<=", "GT": ">", "LT": "<", "EQ": "="}  # what a Plan holds
COMPARATOR_SPELLINGS = {spelling: COMPARATOR_OF_TERMINAL[terminal]
                        for terminal, written in COMPARATORS.items() for spelling in written}
# How reports print each comparator (`>= 4 场` is 「≥4场」).
COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def comparator_pattern(*terminals: str) -> str:
    """A regular expression for any spelling of the comparator `terminals` (all when none is named), longest first."""
    words = [s for t in (terminals or tuple(COMPARATORS)) for s in COMPARATORS[t]]
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


# ---------------------------------------------------------------- full-width characters

FULL_WIDTH_DIGITS = {chr(0xFF10 + i): str(i) for i in range(10)}  # ０..９
# What Chinese input methods type, mapped one character to one character so that columns
# stay where the author sees them (quoted text is never touched).
FULL_WIDTH = {
    "％": "%", "＞": ">", "＜": "<", "＝": "=", "：": ":", "～": "~", "〜": "~",
    "＋": "+", "－": "-", "＊": "*", "／": "/", "｛": "{", "｝": "}", "＃": "#",
    "．": ".", "，": ",", "；": ";", "﹦": "=", "═": "=", "？": "?", "\u3000": " ", "\u00a0": " ", "\t": " ",
    **FULL_WIDTH_DIGITS,
}
# Full-width Latin letters (ＰＲ２０２, ｎｏｑａ): read as ASCII only in a noqa comment's directive and codes,
# where perfrules reads words of its own; a name written with them keeps them.
FULL_WIDTH_LETTERS = {chr(wide + i): chr(plain + i) for wide, plain in ((0xFF21, 0x41), (0xFF41, 0x61))
                      for i in range(26)}
# Suppression comments (perfrules.checks.suppress): noqa, or noqa and codes, on a line; perfrules: noqa for a file.
NOQA_WORD = "noqa"
NOQA_FILE_WORD = "perfrules"
# Between the codes of a noqa, besides whitespace: the commas and semicolons an input method types (，；
# are read as , ; above) and the enumeration comma 、.
NOQA_SEPARATORS = ",;、"
# A number as tables print it, with thousands separators in strict groups of three (8,755; 1,234,567.5): read as
# the number (the full-width ， is mapped to it above); the formatter writes the number without them (8755).
THOUSANDS_SEPARATOR = ","
# Characters that Python's str.splitlines ends a line at but LSP and editors do not: inside a
# line's code they are whitespace (quoted text and comments keep them as written).
OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
FULL_WIDTH.update(dict.fromkeys(OTHER_BREAKS, " "))
# Brackets are mapped only where they cannot belong to a name (see perfrules.syntax.source.normalise).
FULL_WIDTH_BRACKETS = {"（": "(", "）": ")"}
# The characters a number is written with, full-width ones mapped: for reading a table's cells.
NUMBER_CHARS = {**FULL_WIDTH_DIGITS, "．": ".", "％": "%"}


# ---------------------------------------------------------------- units

# Money: the base unit 元 and its multiples, smallest first.
MONEY_UNITS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
MONEY_BASE = "元"
# The prefixes a unit atom may carry (万人 = 10⁴ 人, 千元 = 10³ 元).
UNIT_PREFIXES = {"千": Decimal(1000), "万": Decimal(10000), "百万": Decimal(10**6), "千万": Decimal(10**7),
                 "亿": Decimal(10**8)}
# Pure numbers.
PERCENT_UNITS = {"%": Decimal("0.01"), "‰": Decimal("0.001"), "百分比": Decimal("0.01")}
# A denominator `/年` means "per evaluation year" and is dropped.
PERIOD_UNITS = ("年", "每年")
# The units the language server offers (the common ones of the official tables).
COMMON_UNITS = ("人", "人次", "户", "个", "场", "次", "项", "元", "万元", "亿元", "元/人", "元/户", "元/人/年", "%", "天",
                "米", "公里", "吨", "亩")
# The units a table writes after a name in brackets (「培训人数（人次）」), besides %, ‰ and `/`.
NAME_SUFFIX_UNITS = ("元", "人", "户", "个", "次", "场", "天", "人次", "万元")


def money_units(smallest_first: bool = True) -> tuple[str, ...]:
    """The money units, smallest first (or largest first)."""
    units = tuple(MONEY_UNITS)
    return units if smallest_first else units[::-1]


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """`a|b|c` of words, escaped, longest first (for a regular expression)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# ---------------------------------------------------------------- the grammar's terminals


def _lark_regex(words: tuple[str, ...]) -> str:
    body = "|".join(re.sub(r"([/\\.^$*+?()\[\]{}|])", r"\\\1", w) for w in words)
    return f"/(?:{body}){WORD_END}/"


def lark_terminals() -> dict[str, str]:
    """Each vocabulary terminal's definition as the lark grammar writes it: `GE: ">=" | "≥" | "≧"`,
    `RULESET.2: /(?:ruleset|规则集)(?![^\\W\\d])/` (keywords outrank names: priority 2)."""
    out = {f"{t}": " | ".join(f'"{s}"' for s in written) for t, written in COMPARATORS.items()}
    out.update({f"{t}.2": _lark_regex(written) for t, written in KEYWORDS.items()})
    return out


def fill_grammar(text: str) -> str:
    """The lark grammar with each `NAME: <vocabulary>` line given the terminal's spellings from here.

    A placeholder for a word this module does not know, or a vocabulary terminal the grammar does
    not declare, is an error (the two cannot drift apart silently)."""
    terminals = lark_terminals()
    seen: set[str] = set()

    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in terminals:
            raise ValueError(f"grammar terminal {name} is not in perfrules.vocabulary")
        seen.add(name)
        return f"{name}: {terminals[name]}"

    filled = re.sub(r"^(?P<name>[A-Z_]+(?:\.2)?): <vocabulary>[ \t]*$", fill, text, flags=re.M)
    missing = set(terminals) - seen
    if missing:
        raise ValueError(f"vocabulary terminals missing from the grammar: {', '.join(sorted(missing))}")
    return filled


# The keyword terminals that begin an item of a block, as grammar/perfrules.lark's rules read them (tests/test_vocabulary.py
# compares each with its rule): editors highlight these words as keywords there (editors/vscode/scripts/build-grammar.js).
ITEM_KEYWORDS: dict[str, tuple[str, ...]] = {
    "expect_item": ("TOTAL", "REVIEW", "GRADE"),  # expect { 产出 35.13  total 91.23  review 88  grade 优 }
    "actual_clause": ("REASON", "SCORE", "REVIEW", "RATE"),  # a = 1 人 reason "…" score 5 review 4 rate 95%
}


def as_json() -> dict[str, object]:
    """The words editors need (editors/vscode/scripts/build-grammar.js): keywords, comparators and which keywords
    begin the items of a block."""
    return {"keywords": {t: list(w) for t, w in KEYWORDS.items()},
            "items": {rule: list(terminals) for rule, terminals in ITEM_KEYWORDS.items()},
            "comparators": {t: list(w) for t, w in COMPARATORS.items()},
            "full_width": {k: v for k, v in FULL_WIDTH.items() if k not in OTHER_BREAKS}}


if __name__ == "__main__":  # `python perfrules/vocabulary.py --json`: no import of the package needed
    import json
    import sys

    if sys.argv[1:] != ["--json"]:
        sys.exit("usage: python perfrules/vocabulary.py --json")
    json.dump(as_json(), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


# ---------------------------------------------------------------- scoring methods, as messages name them

METHOD_NAMES = {
    "ratio": ("比例法", "ratio"), "linear": ("反向线性", "reverse linear"), "equal": ("等于目标", "equal"),
    "execution": ("预算执行率", "execution"), "range": ("区间", "range"), "steps": ("阶梯", "steps"),
    "deduct": ("扣分", "deduction"), "actual": ("按实际值", "by the actual"), "date": ("日期", "date"),
    "scale": ("满分打分", "on a scale"), "elements": ("要素", "elements"), "levels": ("等次", "levels"),
}
"""How a message names a row's scoring method (plan.Indicator.method), Chinese and English: 按规则（比例法）应得 …"""
