"""Editor questions answered from one analysis of a document; no LSP types here.

Positions are 1-based lines and 1-based code-point columns, as in every perfrules Span; the
server converts to the client's units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from perfrules import gcpause, pipeline
from perfrules.findings import Finding, Span
from perfrules.plan.model import Fact, Indicator, Section
from perfrules.plan.names import Index
from perfrules.scoring.result import IndicatorResult, SectionResult
from perfrules.syntax import ast, source

METHOD_WORDS = {
    "ratio": "比例法（正向 a/t，反向 t/a）", "linear": "反向线性 w·max(0, 1−(a−t)/t)", "equal": "等于",
    "execution": "预算执行率 w·min(1, a/t)", "range": "区间", "steps": "阶梯", "deduct": "按差距扣分",
    "qualitative": "定性三档（达成 80–100%、部分达成 60–80%、未达成 0–60%）",
}
UNITS = ["人", "人次", "户", "个", "场", "次", "项", "元", "万元", "亿元", "元/人", "元/户", "元/人/年", "%", "天", "米",
         "公里", "吨", "亩"]
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
    symbols: list[Symbol] = field(default_factory=list)

    @cached_property
    def lines(self) -> list[str]:
        """The document's lines as the client counts them (LSP: only \\n, \\r\\n and \\r end a line)."""
        return source.lines(self.text)

    def findings(self) -> list[Finding]:
        """The findings located in this document (data files and frameworks aside)."""
        return [f for f in self.run.findings if f.span is None or f.span.file == self.file]


def analyse(text: str, file: str) -> Analysis:
    """Parse, compile, evaluate and check `text` as the CLI's eval would, and index its names."""
    run = pipeline.compile_text(text, file)
    run = pipeline.check_run(pipeline.evaluate_run(run, partial=True), partial=True)
    analysis = Analysis(file, text, run)
    if isinstance(run.document, ast.Document):
        analysis.symbols = _symbols(run.document, Index.of_plan(run.plan) if run.plan else Index())
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
    for symbol in analysis.symbols:
        s = symbol.span
        if s.line == line and s.column <= column <= s.end_column:
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


def hover(analysis: Analysis, line: int, column: int) -> str | None:
    """Markdown about what is under the cursor: an indicator, fact or section, or a check code."""
    text = analysis.lines[line - 1] if 0 < line <= len(analysis.lines) else ""
    for match in CODE.finditer(text):
        if match.start() < column <= match.end() + 1:
            return _code_help(match.group())
    symbol = symbol_at(analysis, line, column)
    plan = analysis.run.plan
    if symbol is None or symbol.key is None or plan is None:
        return None
    if symbol.kind == "fact":
        fact = next((f for f in plan.facts if f.name == symbol.key), None)
        return _fact_hover(fact, analysis) if fact else None
    if symbol.kind == "section":
        section = next((s for s in plan.sections() if s.key == symbol.key), None)
        return _section_hover(section, analysis) if section else None
    indicator = next((i for i in plan.indicators() if i.key == symbol.key), None)
    return _indicator_hover(indicator, analysis) if indicator else None


def _indicator_hover(ind: Indicator, analysis: Analysis) -> str:
    lines = [f"**{ind.name}**　`{ind.key}`", "",
             f"- 目标：{ind.target_text or '—'}",
             f"- 权重：{_num(ind.weight)}",
             f"- 计分：{METHOD_WORDS.get(ind.method, ind.method)}" + (f"，封顶 {_pct(ind.cap)}" if ind.cap != 1 else "")]
    if ind.na:
        lines.append("- 不适用：不计分，总分按适用分值折算")
    result = _indicator_result(analysis, ind.key)
    if result is not None and result.status != "missing":
        lines.append(f"- 实际：{result.actual_text or '—'}")
        if result.completion is not None:
            lines.append(f"- 完成率：{_pct(result.completion)}")
        lines.append(f"- 得分：{_num(result.score) if result.score is not None else '不适用'} / {_num(ind.weight)}")
        if result.reason:
            lines.append(f"- 偏差原因：{result.reason}")
    elif result is not None:
        lines.append("- 实际：尚无实际值")
    return "\n".join(lines)


def _fact_hover(fact: Fact, analysis: Analysis) -> str:
    value = "由公式计算" if fact.formula is not None else "须在 actuals 或数据文件中给出"
    if fact.value is not None:
        value = f"{_num(fact.unit.from_base(fact.value))} {fact.unit.text}".strip()
    return f"**{fact.name}**（基础数据）\n\n- 值：{value}"


def _section_hover(section: Section, analysis: Analysis) -> str:
    lines = [f"**{section.name}**　`{section.key}`", "", f"- 权重：{_num(section.weight)}"]
    result = analysis.run.result
    found = next((s for s in result.sections() if s.key == section.key), None) if result else None
    if found is not None:
        lines.append(f"- 得分：{_num(found.score)}，得分率 {_pct(found.rate)}")
    return "\n".join(lines)


def _code_help(code: str) -> str | None:
    from perfrules.checks import get_check
    from perfrules.messages import CODES

    check = get_check(code)
    if check is not None:
        return f"**{check.code} {check.title}**（默认级别 {check.severity.value}）\n\n{check.doc()}"
    entry = CODES.get(code)
    return f"**{code} {entry.title_zh}**\n\n{entry.title_en}" if entry else None


def _indicator_result(analysis: Analysis, key: str) -> IndicatorResult | None:
    result = analysis.run.result
    return next((i for i in result.indicators() if i.key == key), None) if result else None


def _num(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:f}"


def _pct(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{(rate * 100).quantize(Decimal('0.01'), rounding='ROUND_HALF_UP')}%"


# ---------------------------------------------------------------- outline


@dataclass(frozen=True)
class OutlineItem:
    name: str
    kind: str  # "dimension", "group", "indicator", "facts", "fact"
    span: Span  # the whole construct
    selection: Span  # its name
    detail: str
    children: tuple[OutlineItem, ...] = ()


def outline(analysis: Analysis) -> list[OutlineItem]:
    doc = analysis.run.document
    if not isinstance(doc, ast.Document):
        return []
    result = analysis.run.result
    results: dict[str, SectionResult | IndicatorResult] = {}
    if result is not None:
        results.update({n.key: n for n in result.sections()})
        results.update({n.key: n for n in result.indicators()})

    def items(nodes: tuple[ast.Section | ast.Indicator | ast.Check, ...], path: tuple[str, ...]) -> list[OutlineItem]:
        from perfrules.plan.model import join_key

        out = []
        for node in nodes:
            if isinstance(node, ast.Check):
                continue
            key = join_key(*path, node.name.text)
            scored = results.get(key)
            score = f" · 得分 {_num(scored.score)}" if isinstance(scored, (SectionResult, IndicatorResult)) \
                and scored.score is not None else ""
            weight = node.clauses.weight
            detail = (f"权重 {_num(weight)}" if weight is not None else "") + score
            if isinstance(node, ast.Section):
                out.append(OutlineItem(node.name.text, node.kind, node.span, node.name.span, detail,
                                       tuple(items(node.children, (*path, node.name.text)))))
            else:
                target = f"{node.comparator or ''} {node.target or ''}".strip() or ("定性" if node.qualitative else "")
                out.append(OutlineItem(node.name.text, "indicator", node.span, node.name.span,
                                       f"{target} · {detail}".strip(" ·")))
        return out

    outline_items = items(doc.body, ())
    if doc.facts:
        first, last = doc.facts[0].span, doc.facts[-1].span
        block = Span(first.file, first.line, 1, last.end_line, last.end_column)
        facts = tuple(OutlineItem(f.name.text, "fact", f.span, f.name.span, "") for f in doc.facts)
        outline_items.insert(0, OutlineItem("基础数据", "facts", block, first, "", facts))
    return outline_items


# ---------------------------------------------------------------- completion


@dataclass(frozen=True)
class Completion:
    label: str
    kind: str  # "keyword", "unit", "fact", "indicator", "code"
    detail: str = ""


def completions(analysis: Analysis, line: int, column: int) -> list[Completion]:
    text = analysis.lines[line - 1][: column - 1] if 0 < line <= len(analysis.lines) else ""
    if "#" in text:
        if "noqa" in text[text.index("#"):]:
            return _codes()
        return []
    if re.search(r"\d\s*$", text):
        used = sorted({i.unit.text for i in analysis.run.plan.indicators() if i.unit.text} if analysis.run.plan
                      else set())
        return [Completion(u, "unit") for u in dict.fromkeys(used + UNITS)]
    names = _names(analysis)
    stripped = text.strip()
    in_formula = bool(re.match(r"(check\b|校验)", stripped)) or bool(re.search(r"(^|\s)=\s", text)) \
        or bool(re.search(r"[=*/+(-]\s*$", text))
    if in_formula:
        return names
    return _keywords() + names


def _names(analysis: Analysis) -> list[Completion]:
    plan = analysis.run.plan
    if plan is None:
        return []
    out = [Completion(f.name, "fact", f"基础数据 {f.unit.text}".strip()) for f in plan.facts]
    out += [Completion(_quoted(i.name), "indicator", i.key) for i in plan.indicators()]
    return out


def _quoted(name: str) -> str:
    return name if WORD.fullmatch(name) and not name.startswith(('"', "“")) else f'"{name}"'


def _keywords() -> list[Completion]:
    words = ["ruleset", "grades", "facts", "actuals", "expect", "policy", "dimension", "group", "use", "check",
             "weight", "cap", "method", "steps", "deduct", "per", "qualitative", "in", "na", "tiers", "reason",
             "score", "otherwise", "total", "grade", "severity", "tolerance",
             "权重", "分值", "封顶", "定性", "计分", "阶梯", "扣", "每差", "不适用", "偏差原因", "得分", "维度", "分组",
             "基础数据", "实际", "核对", "校验", "引用", "达成", "部分达成", "未达成"]
    return [Completion(w, "keyword") for w in words]


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
    finding: Finding
    preferred: bool = False


def code_actions(analysis: Analysis, first_line: int, last_line: int) -> list[Action]:
    """Quick fixes for the findings on these lines: a suppression, a missing unit, a missing reason."""
    actions: list[Action] = []
    lines = analysis.lines
    for finding in analysis.findings():
        span = finding.span
        if span is None or not first_line <= span.line <= last_line or span.line > len(lines):
            continue
        if finding.code in ("PR109",):
            actions += _insert_unit(analysis, finding)
        if finding.code in ("PR202", "PR304"):
            actions += _insert_reason(analysis, finding)
        if not finding.code.startswith("PR00"):
            actions.append(_suppress(lines, finding))
    return actions


def _suppress(lines: list[str], finding: Finding) -> Action:
    assert finding.span is not None
    number = finding.span.line
    text = lines[number - 1]
    existing = re.search(r"#\s*noqa:\s*[A-Z0-9, ]+$", text)
    if existing:
        span = Span(finding.span.file, number, len(text) + 1, number, len(text) + 1)
        edit = Edit(span, f", {finding.code}")
    else:
        span = Span(finding.span.file, number, len(text.rstrip()) + 1, number, len(text) + 1)
        edit = Edit(span, f"  # noqa: {finding.code}")
    return Action(f"抑制 {finding.code}（# noqa）", (edit,), finding)


def _insert_unit(analysis: Analysis, finding: Finding) -> list[Action]:
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
    return [Action(f"插入单位「{unit}」", (Edit(spot, f" {unit}"),), finding, preferred=index == 0)
            for index, unit in enumerate(choices)]


def _insert_reason(analysis: Analysis, finding: Finding) -> list[Action]:
    assert finding.span is not None
    doc = analysis.run.document
    ind = _indicator_on_line(doc, finding.span.line)
    if ind is None or not isinstance(doc, ast.Document):
        return []
    actual = next((a for a in doc.actuals if a.name.text == ind.name.text), None)
    placeholder = 'reason "偏差原因及改进措施"'
    if actual is not None:
        line = actual.span.line
        text = analysis.lines[line - 1]
        indent = text[: len(text) - len(text.lstrip())]
        spot = Span(finding.span.file, line, len(text) + 1, line, len(text) + 1)
        return [Action("补写偏差原因", (Edit(spot, f"\n{indent}  {placeholder}"),), finding, preferred=True)]
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
