"""Editor questions answered from one analysis of a document; no LSP types here.

Positions are 1-based lines and 1-based code-point columns, as in every perfrules Span; the
server converts to the client's units.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache

from perfrules import display, gcpause, pipeline, vocabulary
from perfrules.display import DASH, dashed, percent, row_target, shown
from perfrules.findings import Finding, Span
from perfrules.plan.model import Fact, Indicator, Section
from perfrules.plan.names import Index
from perfrules.scoring.result import IndicatorResult, SectionResult
from perfrules.syntax import ast, source
from perfrules.syntax.parser import LineCache

UNITS = list(vocabulary.COMMON_UNITS)
CODE = re.compile(r"PR\d{3}")
WORD = re.compile(r'"[^"\n]*"|“[^”\n]*”|(?:[^\W\d]|（[\w%‰/.、·]*）)(?:[\w]|（[\w%‰/.、·]*）)*')


@dataclass(frozen=True)
class Symbol:
    """One occurrence of a name: where it is defined or used, and what it resolves to."""

    name: str
    span: Span
    kind: str  # "indicator", "fact", "section"
    role: str  # "definition" or "reference"
    key: str | None  # the resolved indicator/section key or fact name


@dataclass
class Analysis:
    file: str
    text: str
    run: pipeline.Run
    cache: LineCache | None = None  # the parser's lines, for the next analysis of the same document
    _symbols: list[Symbol] | None = field(default=None, repr=False)
    indexed: bool = False  # `index` made what requests look up (the server answers from an indexed analysis)

    @property
    def symbols(self) -> list[Symbol]:
        """Every name defined or used, made on first use (the server makes it after publishing diagnostics)."""
        if self._symbols is None:
            doc = self.run.document
            self._symbols = _symbols(doc, self._index()) if doc is not None else []
        return self._symbols

    def _index(self) -> Index:
        """The plan's names, their lookups taken again from the last analysis of this document while the names are
        the same (the facts', indicators' and sections' keys in the same order: an edit that changes no name)."""
        plan = self.run.plan
        index = Index.of_plan(plan) if plan else Index()
        if self.cache is not None and plan is not None:
            names = (tuple(index.facts), tuple(index.indicators), tuple(index.sections))
            kept = self.cache.later.get("symbols")
            lookups = kept[1] if isinstance(kept, tuple) and kept[0] == names else {}
            self.cache.later["symbols"] = (names, lookups)
            index.remember(lookups)
        return index

    @cached_property
    def symbols_by_line(self) -> dict[int, list[Symbol]]:
        by_line: dict[int, list[Symbol]] = {}
        for symbol in self.symbols:
            by_line.setdefault(symbol.span.line, []).append(symbol)
        return by_line

    @cached_property
    def indicators_by_key(self) -> dict[str, Indicator]:
        plan = self.run.plan
        return dict(plan.indicator_by_key) if plan else {}

    @cached_property
    def indicators_by_name(self) -> dict[str, Indicator]:
        return {i.name: i for i in self.indicators_by_key.values()}

    @cached_property
    def results_by_key(self) -> dict[str, IndicatorResult]:
        result = self.run.result
        return dict(result.indicator_by_key) if result else {}

    @cached_property
    def names(self) -> list[Completion]:
        return _names(self)

    def index(self) -> None:
        """Make now what hover, definition and completion look up, so that they never wait for it (the server makes
        it with the collector paused)."""
        self.symbols_by_line  # noqa: B018
        self.indicators_by_key  # noqa: B018
        self.results_by_key  # noqa: B018
        self.names  # noqa: B018
        self.indexed = True

    @cached_property
    def lines(self) -> list[str]:
        """The document's lines as the client counts them (LSP: only \\n, \\r\\n and \\r end a line): the run's own,
        split from this text by the pipeline already."""
        return self.run.source or source.lines(self.text)

    def findings(self) -> list[Finding]:
        """The findings located in this document, and those located in a file it `use`s (shown at the use line:
        `Finding.via`); data files aside."""
        return [f for f in self.run.findings if f.span is None or f.span.file == self.file
                or (f.via is not None and f.via.file == self.file)]


def analyse(text: str, file: str, cache: LineCache | None = None, collect: bool = True,
            stop: Callable[[], bool] | None = None) -> Analysis:
    """Parse, compile, evaluate and check `text` as the CLI's eval would (perfrules.pipeline, under the same settings).

    `cache` is the one the last analysis of this document left (`Analysis.cache`): lines that did not
    change are not parsed again. `collect=False` leaves the garbage collection to the caller (the
    server collects after publishing the diagnostics). `stop`: asked between two stages, and when it
    says so the analysis is given up (pipeline.Stopped; the server: a newer change is waiting).
    """
    cache = cache if cache is not None else LineCache()
    with gcpause.paused():  # its stages make garbage cycles rarely: they are collected after it, not while it runs
        run = pipeline.analyse_text(text, file, cache, partial=True, stop=stop)  # the file's settings, as every command finds them
    analysis = Analysis(file, text, run, cache)
    if collect:
        gcpause.collect_when_grown()  # the server analyses every edit: its stages' garbage cycles must not pile up
    return analysis


# ---------------------------------------------------------------- names


def _symbols(doc: ast.Document, index: Index) -> list[Symbol]:
    out: list[Symbol] = []

    def resolve(name: ast.Name) -> tuple[str, str | None]:
        found = index.candidates(name.text, ("fact", "indicator", "section"))
        return found[0] if len(found) == 1 else ("indicator", None)

    def expr(node: ast.Expr) -> None:
        if isinstance(node, ast.Ref):
            kind, key = resolve(node.name)
            out.append(Symbol(node.name.text, node.name.span, kind, "reference", key))
        elif isinstance(node, ast.BinOp):
            expr(node.left)
            expr(node.right)
        elif isinstance(node, ast.Neg):
            expr(node.operand)

    def body(nodes: tuple[ast.Section | ast.Indicator | ast.Check, ...], path: tuple[str, ...]) -> None:
        from perfrules.plan.model import join_key

        for node in nodes:
            if isinstance(node, ast.Check):
                expr(node.left)
                expr(node.right)
                continue
            key = join_key(*path, node.name.text)
            kind = "section" if isinstance(node, ast.Section) else "indicator"
            out.append(Symbol(node.name.text, node.name.span, kind, "definition", key))
            if isinstance(node, ast.Section):
                body(node.children, (*path, node.name.text))
            elif node.formula is not None:
                expr(node.formula)

    for fact in doc.facts:
        out.append(Symbol(fact.name.text, fact.name.span, "fact", "definition", fact.name.text))
        if fact.expr is not None:
            expr(fact.expr)
    body(doc.body, ())
    for actual in doc.actuals:
        kind, key = resolve(actual.name)
        out.append(Symbol(actual.name.text, actual.name.span, kind, "reference", key))
    return out


def symbol_at(analysis: Analysis, line: int, column: int) -> Symbol | None:
    for symbol in analysis.symbols_by_line.get(line, ()):
        s = symbol.span
        if s.column <= column <= s.end_column:
            return symbol
    return None


def definition(analysis: Analysis, line: int, column: int) -> list[Span]:
    symbol = symbol_at(analysis, line, column)
    if symbol is None or symbol.key is None:
        return []
    return [s.span for s in analysis.symbols if s.key == symbol.key and s.kind == symbol.kind
            and s.role == "definition"]


def references(analysis: Analysis, line: int, column: int, include_declaration: bool = True) -> list[Span]:
    symbol = symbol_at(analysis, line, column)
    if symbol is None or symbol.key is None:
        return []
    return [s.span for s in analysis.symbols if s.key == symbol.key and s.kind == symbol.kind
            and (include_declaration or s.role == "reference")]


# ---------------------------------------------------------------- hover


WORDS = {  # hover labels: (Chinese, English)
    "target": ("目标", "target"), "weight": ("权重", "weight"), "method": ("计分", "scoring"),
    "na": ("不适用：不计分，总分按适用分值折算",
                                          "not applicable: not scored, the total is scaled to what applies"),
    "actual": ("实际", "actual"), "completion": ("完成率", "completion"), "score": ("得分", "score"),
    "not_scored": ("不适用", "not applicable"), "reason": ("偏差原因", "reason"),
    "no_actual": ("实际：尚无实际值", "actual: none yet"), "fact": ("基础数据", "fact"), "value": ("值", "value"),
    "formula": ("由公式计算", "computed by its formula"),
    "given": ("须在 actuals 或数据文件中给出", "to be given in actuals or a data file"),
    "rate": ("得分率", "rate"), "default": ("默认级别", "default severity"),
    "inferred": ("（推定：表上没有印出）", " (inferred: the form did not print it)"),
    "rounding": ("舍入", "rounded to"), "places": ("{places} 位小数", "{places} places"),
    "review": ("复核分", "review score"), "evidence": ("佐证", "evidence"), "printed_rate": ("表上执行率", "printed rate"),
    "published": ("公布得分", "published score"), "unreadable": ("?（无法辨认）", "? (unreadable)"),
}
ROUNDING_WORDS = {"ROUND_HALF_UP": ("四舍五入", "half up"), "ROUND_HALF_EVEN": ("银行家舍入", "half even"),
                  "ROUND_DOWN": ("截断", "down"), "ROUND_UP": ("进一法", "up")}


def _word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return en if lang == "en" else zh


def hover(analysis: Analysis, line: int, column: int, lang: str = "zh") -> str | None:
    """Markdown about what is under the cursor: an indicator, fact or section, or a check code; in `lang`."""
    text = analysis.lines[line - 1] if 0 < line <= len(analysis.lines) else ""
    for match in CODE.finditer(text):
        if match.start() < column <= match.end() + 1:
            return _code_help(match.group(), lang)
    symbol = symbol_at(analysis, line, column)
    plan = analysis.run.plan
    if symbol is None or symbol.key is None or plan is None:
        return None
    if symbol.kind == "fact":
        fact = next((f for f in plan.facts if f.name == symbol.key), None)
        return _fact_hover(fact, analysis, lang) if fact else None
    if symbol.kind == "section":
        section = plan.section(symbol.key)
        return _section_hover(section, analysis, lang) if section else None
    indicator = analysis.indicators_by_key.get(symbol.key)
    return _indicator_hover(indicator, analysis, lang) if indicator else None


def _indicator_hover(ind: Indicator, analysis: Analysis, lang: str = "zh") -> str:
    def w(key: str) -> str:
        return _word(key, lang)

    sep = ": " if lang == "en" else "："
    lines = [f"**{ind.name}**　`{ind.key}`", "",
             f"- {w('target')}{sep}{display.target(row_target(ind), ind.kind, lang) or '—'}",
             f"- {w('weight')}{sep}{_num(ind.weight)}" + (w("inferred") if ind.weight_inferred else ""),
             f"- {w('method')}{sep}{method_text(ind, lang)}"]
    if ind.places is not None:  # a rounding of its own or of a section around it
        zh_mode, en_mode = ROUNDING_WORDS.get(ind.rounding or "", ("", ""))
        places = w("places").format(places=ind.places)
        lines.append(f"- {w('rounding')}{sep}{places} {en_mode if lang == 'en' else zh_mode}".rstrip())
    if ind.na:
        lines.append(f"- {w('na')}")
    result = _indicator_result(analysis, ind.key)
    if result is not None and result.status != "missing":
        lines.append(f"- {w('actual')}{sep}{shown(result.actual_text, lang) or '—'}")
        if result.completion is not None:
            lines.append(f"- {w('completion')}{sep}{result.completion_text(DASH)}")
        score = _num(result.score) if result.score is not None else w("not_scored")
        lines.append(f"- {w('score')}{sep}{score} / {_num(ind.weight)}")
        if result.reason:
            lines.append(f"- {w('reason')}{sep}{result.reason}")
        lines += _printed_lines(result, w, sep)
    elif (written := _written_actual(analysis, ind)) is not None:  # written, but not scored: a compile error
        line, value, codes = written
        if lang == "en":
            why = f"not scored: {', '.join(codes)}" if codes else "not scored"
            lines.append(f"- {w('actual')}{sep}{value or '—'} (line {line}; {why})")
        else:
            why = f"未能计分：{'、'.join(codes)}" if codes else "未能计分"
            lines.append(f"- {w('actual')}{sep}{value or '—'}（第 {line} 行；{why}）")
    elif result is not None:
        lines.append(f"- {w('no_actual')}")
    return "\n".join(lines)


def _written_actual(analysis: Analysis, ind: Indicator) -> tuple[int, str, list[str]] | None:
    """The actual of `ind` as written in the rule file's actuals when it was not scored (a compile error kept it
    from the evaluation): its line, its value as written and the codes of the errors on that line."""
    result = _indicator_result(analysis, ind.key)
    if result is not None and result.status != "missing":
        return None
    doc = analysis.run.document
    if not isinstance(doc, ast.Document):
        return None
    actual = next((a for a in doc.actuals if a.name.text.strip('"“”') == ind.name), None)
    if actual is None:
        return None
    line = actual.span.line
    value = ""
    if actual.value is not None and actual.value.span is not None and 0 < actual.value.span.line <= len(analysis.lines):
        span = actual.value.span
        text = analysis.lines[span.line - 1]
        value = text[span.column - 1: span.end_column - 1] if span.end_line == span.line else text[span.column - 1:]
    codes = sorted({f.code for f in analysis.findings() if f.span is not None and f.span.line == line
                    and f.severity.value == "error"})
    return line, value.strip(), codes


def method_text(ind: Indicator, lang: str = "zh") -> str:
    """How this row is scored, in its own terms: the score table's 计分规则 (perfrules.render.xlsx_rules.rule_words:
    direction, steps, deduction, levels, elements, scale, cap), a qualitative row's tiers, a date row's deduction."""
    from perfrules.render.xlsx_rules import rule_words

    en = lang == "en"
    text = rule_words(ind, lang)
    if ind.kind == "qualitative" and not ind.levels and not ind.elements:
        bounds = vocabulary.tier_bounds_text(ind.tiers)
        text += f" (tiers {bounds})" if en else f"（{bounds}）"
    return text


def _printed_lines(result: IndicatorResult, w: Callable[[str], str], sep: str) -> list[str]:
    """What the printed row holds beside its actual: an unreadable published score, review score, 执行率, evidence."""
    out = []
    if result.published_unreadable:
        out.append(f"- {w('published')}{sep}{w('unreadable')}")
    if result.review is not None or result.review_unreadable:
        out.append(f"- {w('review')}{sep}{w('unreadable') if result.review_unreadable else _num(result.review)}")
    if result.printed_rate_text:
        out.append(f"- {w('printed_rate')}{sep}{result.printed_rate_text}")
    if result.evidence:
        out.append(f"- {w('evidence')}{sep}{result.evidence}")
    return out


def _fact_hover(fact: Fact, analysis: Analysis, lang: str = "zh") -> str:
    value = _word("formula", lang) if fact.formula is not None else _word("given", lang)
    if fact.value is not None:
        value = f"{_num(fact.unit.from_base(fact.value))} {fact.unit.text}".strip()
    kind = f" ({_word('fact', lang)})" if lang == "en" else f"（{_word('fact', lang)}）"
    return f"**{fact.name}**{kind}\n\n- {_word('value', lang)}{': ' if lang == 'en' else '：'}{value}"


def _section_hover(section: Section, analysis: Analysis, lang: str = "zh") -> str:
    sep = ": " if lang == "en" else "："
    inferred = _word("inferred", lang) if section.weight_inferred else ""
    lines = [f"**{section.name}**　`{section.key}`", "", f"- {_word('weight', lang)}{sep}{_num(section.weight)}{inferred}"]
    if section.places is not None:  # `rounding N` written on the section: its rows' rounding
        zh_mode, en_mode = ROUNDING_WORDS.get(section.rounding or "", ("", ""))
        places = _word("places", lang).format(places=section.places)
        lines.append(f"- {_word('rounding', lang)}{sep}{places} {en_mode if lang == 'en' else zh_mode}".rstrip())
    result = analysis.run.result
    found = result.section(section.key) if result else None
    if found is not None:
        rate = f", {_word('rate', lang)} " if lang == "en" else f"，{_word('rate', lang)} "
        lines.append(f"- {_word('score', lang)}{sep}{_num(found.score)}{rate}{_pct(found.rate)}")
    return "\n".join(lines)


def _code_help(code: str, lang: str = "zh") -> str | None:
    from perfrules.checks import get_check
    from perfrules.messages import CODES

    check = get_check(code)
    if check is not None:
        from perfrules.render.text import SEVERITY_WORDS

        if lang == "en":
            return f"**{check.code} {check.title_en}** (default severity {check.severity.value})\n\n{check.doc()}"
        severity = SEVERITY_WORDS["zh"][check.severity.value]
        return f"**{check.code} {check.title}**（默认级别：{severity}）\n\n{check.doc()}"
    entry = CODES.get(code)
    if entry is None:
        return None
    return f"**{code} {entry.title_en}**\n\n{entry.title_zh}" if lang == "en" else \
        f"**{code} {entry.title_zh}**\n\n{entry.title_en}"


def _indicator_result(analysis: Analysis, key: str) -> IndicatorResult | None:
    return analysis.results_by_key.get(key)


def _num(value: Decimal | None) -> str:
    return dashed(value)


def _pct(rate: Decimal | None) -> str:
    return percent(rate, DASH)


# ---------------------------------------------------------------- outline


@dataclass(frozen=True)
class OutlineItem:
    name: str
    kind: str  # "dimension", "group", "indicator", "facts", "fact"
    span: Span  # the whole construct
    selection: Span  # its name
    detail: str
    children: tuple[OutlineItem, ...] = ()
    key: str = ""  # a dimension's, group's or row's key


OutlineMemo = dict[int, tuple[object, tuple[str, ...], object, "OutlineItem"]]
"""Per document: the outline item made for a row or section node last time, by the node's id, with the node itself
(its id stays its own while it is held), its path and its score: a row the parser handed back unchanged, scored the
same, keeps its item, and so does a section whose detail and rows' items are the same (a 10,000-row outline is asked
after every edit)."""


def outline(analysis: Analysis, lang: str = "zh", memo: OutlineMemo | None = None,
            made: OutlineMemo | None = None) -> list[OutlineItem]:
    """Dimensions, groups and rows (and the facts block) as a tree. `memo`: what the last outline of this document
    made (`made` of that call), taken again for a row node that is the same object with the same score."""
    doc = analysis.run.document
    if not isinstance(doc, ast.Document):
        return []
    result = analysis.run.result
    results: Mapping[str, SectionResult | IndicatorResult] = result.node_by_key if result is not None else {}
    memo = memo if memo is not None else {}
    made = made if made is not None else {}
    en = lang == "en"
    weight_word, score_word = ("weight", "score") if en else ("权重", "得分")

    def items(nodes: tuple[ast.Section | ast.Indicator | ast.Check, ...], path: tuple[str, ...]) -> list[OutlineItem]:
        from perfrules.plan.model import join_key

        out = []
        for node in nodes:
            if isinstance(node, ast.Check):
                continue
            kept = memo.get(id(node))
            if kept is not None and kept[0] is node and kept[1] == path and not isinstance(node, ast.Section):
                scored = results.get(kept[3].key)
                score_now = scored.score if scored is not None else None
                if score_now == kept[2]:
                    made[id(node)] = kept
                    out.append(kept[3])
                    continue
            key = join_key(*path, node.name.text)
            scored = results.get(key)
            score_value = scored.score if isinstance(scored, (SectionResult, IndicatorResult)) else None
            score = f" · {score_word} {_num(score_value)}" if score_value is not None else ""
            weight = node.clauses.weight
            detail = (f"{weight_word} {_num(weight)}" if weight is not None else "") + score
            if isinstance(node, ast.Section):
                children = tuple(items(node.children, (*path, node.name.text)))
                last = kept[3] if kept is not None and kept[0] is node and kept[1] == path else None
                if last is not None and last.detail == detail and len(last.children) == len(children) \
                        and all(a is b for a, b in zip(last.children, children, strict=True)):
                    item = last  # the same section, the same rows: its item (and its symbol's text) again
                else:
                    item = OutlineItem(node.name.text, node.kind, node.span, node.name.span, detail, children, key)
                made[id(node)] = (node, path, score_value, item)
                out.append(item)
            else:
                qualitative = vocabulary.QUALITATIVE_WORD if node.qualitative else ""
                target = f"{node.comparator or ''} {node.target or ''}".strip() or qualitative
                if node.clauses.scale is not None:  # a row scored on a scale: 满分 100
                    target = f"{vocabulary.SCALE_WORD} {_num(node.clauses.scale.value)}"
                item = OutlineItem(node.name.text, "indicator", node.span, node.name.span,
                                   f"{target} · {detail}".strip(" ·"), (), key)
                made[id(node)] = (node, path, score_value, item)
                out.append(item)
        return out

    outline_items = items(doc.body, ())
    if doc.facts:
        first, last = doc.facts[0].span, doc.facts[-1].span
        block = Span(first.file, first.line, 1, last.end_line, last.end_column)
        facts = tuple(_fact_item(f, memo, made) for f in doc.facts)
        title = "facts" if en else "基础数据"
        kept = memo.get(id(doc.facts))
        if kept is not None and kept[0] is doc.facts and kept[3].name == title and kept[3].span == block \
                and all(a is b for a, b in zip(kept[3].children, facts, strict=True)):
            item = kept[3]
        else:
            item = OutlineItem(title, "facts", block, first, "", facts)
        made[id(doc.facts)] = (doc.facts, (), None, item)
        outline_items.insert(0, item)
    return outline_items


def _fact_item(fact: ast.Fact, memo: OutlineMemo, made: OutlineMemo) -> OutlineItem:
    kept = memo.get(id(fact))
    item = kept[3] if kept is not None and kept[0] is fact else \
        OutlineItem(fact.name.text, "fact", fact.span, fact.name.span, "")
    made[id(fact)] = (fact, (), None, item)
    return item


# ---------------------------------------------------------------- completion


@dataclass(frozen=True)
class Completion:
    label: str
    kind: str  # "keyword", "unit", "fact", "indicator", "code"
    detail: str = ""


_WORD_BEFORE = re.compile(r"(?:[^\W\d]|[（）%‰/.、·\w])*$")
_BLOCK_OPEN = re.compile(r"^\s*(\S+)")
_CHECK = re.compile(f"(?:{vocabulary.alternation(vocabulary.KEYWORDS['CHECK'])}){vocabulary.WORD_END}")


def word_before(prefix: str) -> str:
    """The part of a name typed so far, just before the cursor (what a completion replaces)."""
    match = _WORD_BEFORE.search(prefix)
    word = match.group() if match else ""
    return word.lstrip("0123456789.") if word[:1].isdigit() else word


def enclosing_block(lines: list[str], line: int) -> str:
    """The first word of the block that line `line` (1-based) stands in ("" at the top level)."""
    depth = 0
    for number in range(min(line, len(lines) + 1) - 1, 0, -1):
        code = source.normalise(source.split_comment(lines[number - 1])).strip()
        if code == "}":
            depth += 1
        elif code.endswith("{"):
            if depth == 0:
                match = _BLOCK_OPEN.match(code)
                return match.group(1) if match else ""
            depth -= 1
    return ""


def completions(analysis: Analysis, line: int, column: int, lines: list[str] | None = None,
                lang: str = "zh") -> list[Completion]:
    """What may be typed at the cursor, best first. `lines` are the document's lines as they are now
    (the analysis may be one edit behind); the names come from the analysis."""
    lines = analysis.lines if lines is None else lines
    text = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
    if "#" in text:
        if "noqa" in text[text.index("#"):]:
            return _codes()
        return []
    in_actuals = enclosing_block(lines, line) in vocabulary.BLOCK_KEYWORDS["actuals"]
    if in_actuals and "=" in text:  # an actual's value, or what follows it: never a name
        return _actual_value(analysis, text)
    if re.search(r"\d\s*$", text):
        return _units(analysis, text)
    stripped = text.strip()
    if in_actuals:  # the name position (or a continuation line's clause)
        return _actual_names(analysis) + _row_keywords()
    names = analysis.names
    in_formula = bool(_CHECK.match(stripped)) or bool(re.search(r"(^|\s)=\s", text)) \
        or bool(re.search(r"[=*/+(-]\s*$", text))
    if in_formula:
        return names
    return _keywords() + names


def _units(analysis: Analysis, text: str) -> list[Completion]:
    """After a number: the units, the named indicator's own first (`人数 = 2`), then those the plan uses."""
    plan = analysis.run.plan
    used = sorted({i.unit.text for i in plan.indicators() if i.unit.text} if plan else set())
    own = _named_row(analysis, text)
    first = [own.unit.text] if own is not None and own.unit.text else []
    return [Completion(u, "unit") for u in dict.fromkeys(first + used + UNITS)]


def _named_row(analysis: Analysis, text: str) -> Indicator | None:
    """The indicator named before the `=` of an actual's line."""
    named = re.match(r"\s*(\"[^\"]*\"|“[^”]*”|[^=\s]+)\s*=", text)
    return analysis.indicators_by_name.get(named.group(1).strip('"“”')) if named else None


def _row_keywords() -> list[Completion]:
    """The clauses an actual's row may have after its value: reason, score, review, rate (perfrules.vocabulary)."""
    return [Completion(w, "keyword") for w in _spellings("REASON", "SCORE", "REVIEW", "RATE")]


def _actual_value(analysis: Analysis, text: str) -> list[Completion]:
    """In `actuals`, after `名称 =`: at the value, the words that row takes (its tiers, levels or `具备`, then 不适用);
    after a number, its units (then the row's clauses); after a value, the row's clauses (reason, score, ...)."""
    value = text[text.index("=") + 1:]
    if (value.count('"') % 2) or value.count("“") > value.count("”"):  # inside the quoted evidence or reason
        return []
    row = _named_row(analysis, text)
    if not value.strip():  # the value position
        words: list[Completion] = []
        if row is not None and row.method == "qualitative":
            words += [Completion(t, "keyword", "档次") for t in (*vocabulary.TIERS, *vocabulary.LONG_TIERS)]
        if row is not None and row.levels:
            words += [Completion(label, "keyword", "等次") for label, _share in row.levels]
        if row is not None and row.elements:
            words += [Completion(w, "keyword", "要素") for w in vocabulary.spellings("HAS")]
        if row is not None or _named_fact(analysis, text) is None:  # a fact takes a quantity only
            na = vocabulary.NA_WORD
            words += [Completion(w, "keyword", na) for w in (na, *(w for w in vocabulary.NA_WORDS if w != na))]
        return words
    clauses = [c for c in _row_keywords() if not _written(c.label, value)] if row is not None else []
    if re.search(r"\d\s*$", value):
        return _units(analysis, text) + clauses
    return clauses


def _written(keyword: str, value: str) -> bool:
    """Whether the clause `keyword` (any of its spellings) is written in this actual already (`reason "…"` once)."""
    terminal = vocabulary.KEYWORD_OF.get(keyword)
    spellings = vocabulary.KEYWORDS[terminal] if terminal else (keyword,)
    code = source.QUOTED_TEXT.sub(" ", value)  # a word inside the reason's or the evidence's text is no clause
    return any(re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", code) for w in spellings)


def _named_fact(analysis: Analysis, text: str) -> Fact | None:
    named = re.match(r"\s*(\S+?)\s*=", text)
    plan = analysis.run.plan
    if named is None or plan is None:
        return None
    return next((f for f in plan.facts if f.name == named.group(1).strip('"“”')), None)


def _actual_names(analysis: Analysis) -> list[Completion]:
    """Inside `actuals { }`: the indicators (those without an actual yet first), then the facts to be given."""
    plan = analysis.run.plan
    if plan is None:
        return []
    doc = analysis.run.document
    given = {a.name.text for a in doc.actuals} if isinstance(doc, ast.Document) else set()
    indicators = [i for i in plan.indicators() if i.formula is None]  # a formula's indicator takes no actual
    missing = [i for i in indicators if i.name not in given]
    done = [i for i in indicators if i.name in given]
    out = [Completion(_quoted(i.name), "indicator", i.key) for i in missing + done]
    out += [Completion(f.name, "fact", f"基础数据 {f.unit.text}".strip()) for f in plan.facts
            if f.formula is None and f.value is None]
    return out


def _names(analysis: Analysis) -> list[Completion]:
    plan = analysis.run.plan
    if plan is None:
        return []
    out = [Completion(f.name, "fact", f"基础数据 {f.unit.text}".strip()) for f in plan.facts]
    out += [Completion(_quoted(i.name), "indicator", i.key) for i in plan.indicators()]
    return out


@lru_cache(maxsize=1 << 16)  # the names of a document, asked again after every edit
def _quoted(name: str) -> str:
    return name if WORD.fullmatch(name) and not name.startswith(('"', "“")) else f'"{name}"'


def _spellings(*terminals: str) -> list[str]:
    """The spellings of keyword terminals (all of them when none is named): the English ones first."""
    words = [w for t in (terminals or tuple(vocabulary.KEYWORDS)) for w in vocabulary.KEYWORDS[t]]
    return [w for w in words if w.isascii()] + [w for w in words if not w.isascii()]


def _keywords() -> list[Completion]:
    """Every spelling of every keyword of the language (perfrules.vocabulary), the English ones first."""
    return [Completion(w, "keyword") for w in _spellings()]


def _codes() -> list[Completion]:
    from perfrules.checks import all_checks

    return [Completion(c.code, "code", c.title) for c in all_checks()]


# ---------------------------------------------------------------- code actions


@dataclass(frozen=True)
class Edit:
    span: Span  # replaced text (empty span: an insertion)
    text: str


@dataclass(frozen=True)
class Action:
    title: str
    edits: tuple[Edit, ...]
    finding: Finding | None  # the finding it answers; None: it answers none (full-width characters)
    preferred: bool = False


def code_actions(analysis: Analysis, first_line: int, last_line: int,
                 wanted: set[tuple[str, int]] | None = None, lang: str = "zh") -> list[Action]:
    """Quick fixes for the findings on these lines: the safe fixes `perfrules lint --fix` makes (perfrules.fixes: a
    missing %, a unit the actual has), a missing unit or reason, a suppression (never for an input error, which
    `noqa` cannot suppress, nor for PR901); and the full-width characters of these lines made half-width.

    `wanted`: the findings the client asks about, as (code, line) (the request's context.diagnostics); None: every
    finding on the lines. A finding the client did not name gets no action, though it stands on the same line."""
    from perfrules import fixes

    actions: list[Action] = []
    lines = analysis.lines
    for finding in analysis.findings():
        span = finding.span
        if span is None or span.file != analysis.file or not first_line <= span.line <= last_line or span.line > len(lines):
            continue  # a finding located in a used file is fixed there, not at the use line
        if wanted is not None and (finding.code, span.line) not in wanted:
            continue
        fixed = _safe_fix(analysis, finding, lang)
        if fixed is not None:
            actions.append(fixed)
        if finding.code in ("PR109",):
            actions += [a for a in _insert_unit(analysis, finding, lang, preferred=fixed is None)
                        if fixed is None or a.edits != fixed.edits]
        if finding.code in ("PR202", "PR304"):
            actions += _insert_reason(analysis, finding, lang)
        suppress = _suppress(lines, finding, lang)
        if suppress is not None:
            actions.append(suppress)
    file = analysis.file
    widths = fixes.full_width(lines[first_line - 1: last_line])
    if widths:
        edits = tuple(Edit(Span(file, e.line + first_line - 1, e.column, e.line + first_line - 1, e.end_column), e.text)
                      for e in widths)
        actions.append(Action(_title("full_width", lang), edits, None))
    return actions


TITLES = {  # (Chinese, English); what `perfrules lint --fix` also does says so
    "percent": ("在目标后补写 %（同 lint --fix）", "write % after the target (as lint --fix)"),
    "unit": ("在目标后补写单位「{unit}」（同 lint --fix）", "write the unit 「{unit}」 after the target (as lint --fix)"),
    "fix": ("修复（同 lint --fix）", "fix (as lint --fix)"),
    "full_width": ("把全角字符改为半角（同 lint --fix）", "make the full-width characters half-width (as lint --fix)"),
    "suppress": ("抑制 {code}（# noqa）", "suppress {code} (# noqa)"),
    "insert_unit": ("插入单位「{unit}」", "insert the unit 「{unit}」"),
    "reason": ("补写偏差原因", "write the reason for the deviation"),
}
FIX_TITLES = {"PR108": "percent", "PR013": "percent", "PR109": "unit"}


def _title(key: str, lang: str, **args: str) -> str:
    zh, en = TITLES[key]
    return (en if lang == "en" else zh).format(**args)


def _safe_fix(analysis: Analysis, finding: Finding, lang: str = "zh") -> Action | None:
    """The fix `perfrules lint --fix` makes for this finding (perfrules.fixes.FIXES), as an action."""
    from perfrules import fixes

    for fix in fixes.FIXES:
        made = fix(finding, analysis.run)
        if made is None:
            continue
        spot = Span(analysis.file, made.line, made.column, made.line, made.end_column)
        title = _title(FIX_TITLES.get(finding.code, "fix"), lang, unit=made.text.strip())
        return Action(title, (Edit(spot, made.text),), finding, preferred=True)
    return None


def _suppress(lines: list[str], finding: Finding, lang: str = "zh") -> Action | None:
    """A `# noqa: CODE` for the finding, written as `lint --add-noqa` writes it (perfrules.fixes.add_noqa: merged into a
    noqa on the line, full-width or not; none for what noqa cannot suppress, or where a bare noqa covers it already)."""
    from perfrules import fixes

    assert finding.span is not None
    edits = tuple(Edit(Span(finding.span.file, e.line, e.column, e.line, e.end_column), e.text)
                  for e in fixes.add_noqa([finding], finding.span.file, lines))
    return Action(_title("suppress", lang, code=finding.code), edits, finding) if edits else None


def _insert_unit(analysis: Analysis, finding: Finding, lang: str = "zh", preferred: bool = True) -> list[Action]:
    assert finding.span is not None
    doc = analysis.run.document
    ind = _indicator_on_line(doc, finding.span.line)
    if ind is None or ind.target is None:
        return []
    actual = next((a for a in doc.actuals if a.name.text == ind.name.text), None) \
        if isinstance(doc, ast.Document) else None
    suggested = [actual.value.quantity.unit] if actual and actual.value and actual.value.quantity \
        and actual.value.quantity.unit else []
    choices = list(dict.fromkeys([*suggested, "人", "个", "次", "元"]))[:4]
    end = ind.target.span
    spot = Span(end.file, end.line, end.end_column, end.line, end.end_column)
    return [Action(_title("insert_unit", lang, unit=unit), (Edit(spot, f" {unit}"),), finding,
                   preferred=preferred and index == 0)
            for index, unit in enumerate(choices)]


def _insert_reason(analysis: Analysis, finding: Finding, lang: str = "zh") -> list[Action]:
    assert finding.span is not None
    doc = analysis.run.document
    ind = _indicator_on_line(doc, finding.span.line)
    if ind is None or not isinstance(doc, ast.Document):
        return []
    actual = next((a for a in doc.actuals if a.name.text == ind.name.text), None)
    placeholder = 'reason "偏差原因及改进措施"'
    if actual is not None and 0 < actual.span.line <= len(analysis.lines):  # (a span re-based by a newer parse: no)
        line = actual.span.line
        text = analysis.lines[line - 1]
        indent = text[: len(text) - len(text.lstrip())]
        spot = Span(finding.span.file, line, len(text) + 1, line, len(text) + 1)
        return [Action(_title("reason", lang), (Edit(spot, f"\n{indent}  {placeholder}"),), finding, preferred=True)]
    return []


def _indicator_on_line(doc: object, line: int) -> ast.Indicator | None:
    if not isinstance(doc, ast.Document):
        return None

    def walk(nodes: tuple[ast.Section | ast.Indicator | ast.Check, ...]) -> ast.Indicator | None:
        for node in nodes:
            if isinstance(node, ast.Indicator) and node.span.line == line:
                return node
            if isinstance(node, ast.Section):
                found = walk(node.children)
                if found:
                    return found
        return None

    return walk(doc.body)
