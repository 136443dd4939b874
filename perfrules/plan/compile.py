"""Compile a Document into a Plan: resolve names, normalise units, check the structure.

Returns the Plan and its findings; an error-level PR0xx finding means the plan cannot be
trusted to evaluate (the CLI exits 2), a weight mismatch (PR103) is reported and the file
still evaluates.
"""

from __future__ import annotations

import operator
from dataclasses import replace
from decimal import Decimal, localcontext
from itertools import pairwise
from typing import Any

from perfrules import vocabulary
from perfrules.findings import Finding, Span
from perfrules.gcpause import paused
from perfrules.plan import actuals as actuals_mod
from perfrules.plan.exprs import (
    ANY,
    WILD,
    Dims,
    ast_names,
    combine_same,
    compile_expr,
    derived_unit,
    formula_order,
    show,
    topological,
)
from perfrules.plan.frameworks import apply_uses
from perfrules.plan.model import (
    Actual,
    Band,
    Check,
    Expect,
    Expr,
    Fact,
    Indicator,
    Plan,
    Ref,
    Section,
    Step,
    join_key,
    refs,
    split_key,
)
from perfrules.plan.names import Index
from perfrules.plan.units import CONTEXT, PLAIN, Unit, parse_unit
from perfrules.syntax import ast
from perfrules.vocabulary import DEFAULT_TIER_BOUNDS

KINDS = vocabulary.KIND_SPELLINGS
ROUNDING = {
    None: "ROUND_HALF_UP", "half-up": "ROUND_HALF_UP", "四舍五入": "ROUND_HALF_UP",
    "half-even": "ROUND_HALF_EVEN", "银行家舍入": "ROUND_HALF_EVEN", "down": "ROUND_DOWN", "截断": "ROUND_DOWN",
    "up": "ROUND_UP", "进一法": "ROUND_UP", "向上取整": "ROUND_UP",
}
METHODS = {
    "ratio": "ratio", "比例": "ratio", "比率": "ratio", "linear": "linear", "线性": "linear",
    "equal": "equal", "等于": "equal", "execution": "execution", "执行率": "execution", "预算执行率": "execution",
    "actual": "actual", "实际值": "actual", "按实际": "actual",
}
METHOD_FITS = {"ratio": {">=", ">", "<=", "<", "="}, "linear": {"<=", "<"}, "equal": {"="}, "execution": {">=", ">"},
               "actual": {">=", ">", "="}}
DEFAULT_GRADES = (
    Band("优", ">=", Decimal(90)), Band("良", ">=", Decimal(80)), Band("中", ">=", Decimal(60)), Band("差", None, None),
)
HUNDRED = Decimal(100)


def compile_document(doc: ast.Document, roots: tuple[str, ...] = (), sources: dict[str, str] | None = None,
                     memo: dict[str, object] | None = None) -> tuple[Plan, list[Finding]]:
    """`roots`: folders besides the file's own and std/ that `use` may read (the settings' `roots`);
    the text of each file `use` reads is put in `sources`.

    `memo`: where the last compile of the same document left what it made (the language server's
    `LineCache.later`): what did not change is taken again (see _Made); the plan and findings are the
    same as without it."""
    last = memo.get("compile") if memo is not None else None
    made = _Made(last if isinstance(last, _State) else _State())
    with paused(), localcontext(CONTEXT):
        compiled = _compile(doc, roots, sources, made)
    if memo is not None:
        memo["compile"] = made.keep()
    return compiled


class _Made:
    """What the last compile made of each statement, to be taken again when the same statement comes back.

    The language server compiles a document again on every edit, and its parser (`LineCache`) hands back
    the very same statement objects for the lines that did not change, and the very same section objects
    for the sections none of whose lines changed. What the last compile made of them is taken as it was,
    with the findings it gave, when everything it depends on is the same object (or equal) again:

    - an indicator: its statement, key, the ruleset's tiers, year and total, and its rounding scope;
    - a section: the same, for the section as a whole (its compiled section, findings, index entries and
      everything inside it), so that an edit compiles only the sections on the path to the changed line;
    - a name lookup (`Index.candidates`): the same facts, indicators and sections in the same order, or,
      when names were added, removed or moved, a lookup of a name none of them bears (`changed`);
    - a formula: its statement, the same names (or none it uses among those that changed) and the same
      units of what it uses;
    - an actual: its statement and the indicator it resolves to (and its name not among those that changed).

    Only the last compile's statements are kept, so this never outgrows one document; a statement seen
    for the first time is compiled as always, and the result is the same as a compile from nothing
    (tests/test_lsp_incremental.py compares them on random edits).
    """

    def __init__(self, old: _State) -> None:
        self.old = old.entries
        self.last = old
        self.new: dict[int, Any] = {}  # at the top level: _Tree.made of the document
        self.state = _State()
        # The names (an indicator's or section's own name, a fact's) whose lookups may give another answer than in
        # the last compile, once the names are known (_remember_lookups); None: any may (nothing to compare with).
        self.changed: frozenset[str] | None = None

    def resolves_as_before(self, names: list[ast.Name], stamp: object, said: list[Finding]) -> bool:
        """Whether what was made with these names, when the names were `stamp`, would be made the same now: the same
        names, or names changed since the last compile (whose names `stamp` was) that none of these bear, and no
        finding (a name not found is suggested the nearest of all the names)."""
        if stamp is self.state.names:
            return True
        changed = self.changed
        return changed is not None and stamp is self.last.names and not said and \
            all(_unaffected(name.text, changed) for name in names)

    def keep(self) -> _State:
        self.state.entries = self.new
        return self.state

    def indicator(self, node: ast.Indicator, key: str, out: _Tree, meta: ast.Meta,
                  scope: Rounding | None = None, levels: tuple[ast.Element, ...] = ()) -> Indicator:
        entry = self.old.get(id(node))
        around = _around(meta, scope, levels, _is_date(node))
        if entry is not None and entry[0] is node and entry[1] == key and entry[2] == around:
            indicator, said = entry[3], entry[4]
        else:
            said = []
            indicator = _indicator(node, key, said, meta, scope, levels)
            entry = (node, key, around, indicator, said)
        out.made[id(node)] = entry
        out.findings += said
        return indicator  # type: ignore[no-any-return]

    def section(self, node: ast.Section, key: str, meta: ast.Meta, scope: Rounding,
                levels: tuple[ast.Element, ...]) -> tuple[Section | None, _Tree] | None:
        """What the last compile made of this section, when it is the same section in the same place (the same
        ruleset settings, rounding scope and levels written around it)."""
        entry = self.old.get(id(node))
        if entry is not None and entry[0] is node and entry[1] == key and \
                entry[2] == _around(meta, scope, levels, _dated(entry[4])) and \
                all(span.line == line for span, line in entry[4].quoted):
            return entry[3], entry[4]
        return None

    def fact(self, node: ast.Fact, findings: list[Finding]) -> Fact:
        """A fact as declared, taken again for the same statement."""
        entry = self.old.get(id(node))
        if entry is not None and entry[0] is node:
            fact, said = entry[1], entry[2]
        else:
            said = []
            fact = _fact(node, said)
            entry = (node, fact, said)
        self.new[id(node)] = entry
        findings += said
        return fact  # type: ignore[no-any-return]

    def formula(self, node: ast.Indicator | ast.Fact, formula: ast.Expr, index: Index,
                findings: list[Finding]) -> tuple[Expr | None, Dims]:
        """`compile_expr` of an indicator's formula, taken again for the same formula, names and units."""
        entry = self.old.get(id(formula))
        if entry is not None and entry[0] is formula and entry[1] == node.name.text and entry[4] is not None \
                and self.resolves_as_before(ast_names(formula), entry[2], entry[6]) \
                and all(_unit_of(index, ref) == unit for ref, unit in entry[3]):
            # (a formula that failed is made again: it may have failed on a unit that is no longer written)
            expr, dims, said = entry[4], entry[5], entry[6]
            if entry[2] is not self.state.names:
                entry = (formula, node.name.text, self.state.names, *entry[3:])
        else:
            said = []
            expr, dims = compile_expr(formula, index, said, node.name.text)
            units = tuple((ref, _unit_of(index, ref)) for ref in refs(expr))
            entry = (formula, node.name.text, self.state.names, units, expr, dims, said)
        self.new[id(formula)] = entry
        findings += said
        return expr, dims

    def check(self, node: ast.Check, index: Index, findings: list[Finding]) -> Check | None:
        """`_check` of a `check` statement, taken again for the same statement, names and units."""
        entry = self.old.get(id(node))
        line = None if node.label else node.span.line  # a check without a label is named by its line (第12行)
        if entry is not None and entry[0] is node and entry[3] is not None and entry[5] == line and \
                self.resolves_as_before(ast_names(node.left) + ast_names(node.right), entry[1], entry[4]) and \
                all(_unit_of(index, ref) == unit for ref, unit in entry[2]):
            check, said = entry[3], entry[4]  # (one that failed is made again)
            if entry[1] is not self.state.names:
                entry = (node, self.state.names, *entry[2:])
        else:
            said = []
            check = _check(node, index, said)
            used = [] if check is None else refs(check.left) + refs(check.right)
            entry = (node, self.state.names, tuple((ref, _unit_of(index, ref)) for ref in used), check, said, line)
        self.new[id(node)] = entry
        findings += said
        return check  # type: ignore[no-any-return]

    def replaced(self, old: Any, **changes: Any) -> Any:
        """`replace(old, **changes)`, or what the last compile made of the same node with the same changes (the
        same objects), so that what did not change stays the same object for the stages after compile."""
        from dataclasses import replace

        entry = self.old.get(id(old))
        values = tuple(changes.values())
        if entry is not None and entry[0] is old and len(entry[1]) == len(values) and \
                all(map(_same, entry[1], values)):
            made = entry[2]
        else:
            made = replace(old, **changes)
        self.new[id(old)] = (old, values, made)
        return made


class _State:
    """What one compile leaves for the next (see _Made)."""

    def __init__(self) -> None:
        self.entries: dict[int, Any] = {}
        self.names: object = None  # the facts', indicators' and sections' keys, in order (a tuple)
        self.tables: tuple[dict[str, Indicator], dict[str, Section]] | None = None  # the index's, for _changed_names
        self.lookups: dict[tuple[str, tuple[str, ...]], list[tuple[str, str]]] = {}  # Index.candidates for those
        self.notes: tuple[tuple[Actual, ...], tuple[Actual, ...], tuple[Finding, ...]] | None = None
        self.actuals: tuple[tuple[ast.Actual, ...], object, list[_Row]] | None = None
        self.cycles: tuple[tuple[Fact, ...], tuple[Indicator, ...], list[tuple[str, str]]] | None = None


# One actual statement resolved: the statement, the indicator or fact it is for (None: not found), what it
# resolved to and the findings it gave.
_Row = tuple[ast.Actual, Indicator | Fact | None, Actual | None, list[Finding], str | None]  # ..., the indicator's key
_NO_INDICATOR = object()


def _around(meta: ast.Meta, scope: Rounding | None, levels: tuple[ast.Element, ...], dated: bool) -> tuple[Any, ...]:
    """What a row's or a section's compile depends on besides its own lines: the ruleset's tiers and total, the
    rounding scope and levels written around it, and the ruleset's year only where a deadline row reads it (a
    month target, `<= 12 月`, is a date of that year): editing the year compiles the date rows again, not all."""
    return (meta.tiers, meta.year if dated else None, scope, meta.total, levels)


def _dated(inner: _Tree) -> bool:
    """Whether a section holds a deadline row (its compile read the ruleset's year), as its rows are written."""
    return any(type(entry[0]) is ast.Indicator and _is_date(entry[0]) for entry in inner.made.values())


class _Tree:
    """What compiling a section (or the document's body) adds up to, in the order a compile from the top
    meets it: the index entries, findings, rows written `inferred`, checks, formula rows, and the memo
    entries of everything inside (the next compile takes them again). `quoted`: the lines its findings
    quote (a name defined twice: 首次定义在第 N 行), each with the span it was read from; a section is
    taken again only while they are its lines still (the language server re-bases the spans of lines that
    moved: perfrules.syntax.parser._rebase)."""

    __slots__ = ("checks", "findings", "formulas", "indicators", "inferred", "made", "quoted", "sections")

    def __init__(self) -> None:
        self.indicators: dict[str, Indicator] = {}
        self.sections: dict[str, Section] = {}
        self.findings: list[Finding] = []
        self.inferred: list[Section | Indicator] = []
        self.checks: list[ast.Check] = []
        self.formulas: list[tuple[str, ast.Indicator]] = []
        self.made: dict[int, Any] = {}
        self.quoted: list[tuple[Span, int]] = []

    def add(self, inner: _Tree) -> None:
        self.indicators.update(inner.indicators)
        self.sections.update(inner.sections)
        self.findings += inner.findings
        self.inferred += inner.inferred
        self.checks += inner.checks
        self.formulas += inner.formulas
        self.made.update(inner.made)
        self.quoted += inner.quoted


def _same(a: object, b: object) -> bool:
    """The same object, tuples of the same objects (a section's children), or equal units (a fact's, made again)."""
    return a is b or (type(a) is tuple and type(b) is tuple and len(a) == len(b) and all(map(operator.is_, a, b))) \
        or (type(a) is Unit and a == b)


def _same_actual(before: object, actual: ast.Actual) -> bool:
    """The same actual statement: the same object, or made again of the same parts (a `reason` on the next line)."""
    return before is actual or (isinstance(before, ast.Actual) and before.name is actual.name
                                and before.value is actual.value and before.span is actual.span
                                and before.score is actual.score and before.reason == actual.reason
                                and before.extra == actual.extra)


def _compile(doc: ast.Document, roots: tuple[str, ...], sources: dict[str, str] | None,
             made: _Made | None = None) -> tuple[Plan, list[Finding]]:
    made = made or _Made(_State())
    findings: list[Finding] = []
    doc = apply_uses(doc, findings, roots, sources)
    meta = doc.meta
    index = Index()
    facts = _declare_facts(doc.facts, index, findings, made)
    _tiers(meta.tiers, findings)  # the ruleset's own tiers, reported once
    tree = _Tree()
    body = tuple(_tree(doc.body, (), tree, meta, made, _mode(meta)))
    index.indicators, index.sections = tree.indicators, tree.sections
    findings += tree.findings
    made.new.update(tree.made)
    _remember_lookups(index, made)
    _inferred(tree.inferred, findings)
    facts = _fact_formulas(doc.facts, facts, index, findings, made)
    indicators = _formulas(tree.formulas, index, findings, made)
    body = _replace_indicators(body, indicators, made)
    total = meta.total if meta.total is not None else HUNDRED
    index.facts = dict(facts)
    resolved, said = _actuals(doc.actuals, index, made)  # their findings come after the plan's own
    merged, repeated = _notes(tuple(resolved), made)
    plan = Plan(
        name=meta.name.text if meta.name else _stem(doc.file),
        year=meta.year,
        kind=_choice(meta.kind, KINDS, "类型 kind", findings) or "评价",
        places=_places(meta, findings),
        rounding=ROUNDING.get(meta.rounding_mode, "ROUND_HALF_UP"),
        total_weight=total,
        grades=_grades(doc.grades, doc.grades_span, total, findings),
        facts=tuple(facts.values()),
        body=body,
        checks=tuple(c for c in (made.check(c, index, findings) for c in tree.checks) if c),
        actuals=merged,
        expect=tuple(e for e in (_expect(e, index, findings) for e in doc.expect) if e),
        policy=tuple((p.key.text, _policy_value(p.value)) for p in doc.policy),
        file=doc.file,
    )
    index.facts = {f.name: f for f in plan.facts}
    _cycles(plan, indicators, findings, made)
    if not plan.body and not plan.facts and not doc.uses and not any(f.code.startswith("PR0") for f in findings):
        findings.append(Finding.make("PR017", Span.point(doc.file, 1, 1), key="PR017.empty"))
    findings += said
    findings.extend(repeated)
    return plan, findings


def _actuals(actuals: tuple[ast.Actual, ...], index: Index, made: _Made) -> tuple[list[Actual], list[Finding]]:
    """The actual statements resolved, with their findings. When the last compile had as many, with the same
    names, only those whose statement or indicator (or fact) is not the same again are resolved again."""
    last = made.last.actuals
    changed = made.changed if made.changed is not None else frozenset()
    moved = last is not None and last[1] is not made.state.names  # names changed (added, removed, moved)
    if last is not None and len(last[0]) == len(actuals) and \
            (not moved or (made.changed is not None and last[1] is made.last.names)):
        rows = list(last[2])
        inds, NONE = index.indicators, _NO_INDICATOR
        # (the test inlines _same_target for an indicator's row: ten thousand rows are looked at on every edit)
        stale = [i for i, (new, old, row) in enumerate(zip(actuals, last[0], rows, strict=True))
                 if new is not old or (inds.get(row[4], NONE) is not row[1] if row[4] is not None
                                       else not _same_target(index, row))
                 or (moved and (row[3] or not _unaffected(new.name.text, changed)))]
        for i in stale:
            rows[i] = _resolve_actual(index, actuals[i], rows[i])
    else:
        before = {id(row[0].name): row for row in last[2]} if last is not None else {}
        rows = [_resolve_actual(index, actual, before.get(id(actual.name))) for actual in actuals]
    made.state.actuals = (actuals, made.state.names, rows)
    return [row[2] for row in rows if row[2]], [f for row in rows if row[3] for f in row[3]]


def _target(index: Index, actual: ast.Actual) -> Indicator | Fact | None:
    """The one indicator or fact an actual statement names (None: none, or more than one)."""
    found = index.candidates(actual.name.text, ("fact", "indicator"))
    if len(found) != 1:
        return None
    kind, key = found[0]
    return index.indicators.get(key) if kind == "indicator" else index.facts.get(key)


def _same_target(index: Index, row: _Row) -> bool:
    """The indicator (the same object) or fact (an equal one: facts are made again on every compile) of a row."""
    target = row[1]
    if target is None:
        return False
    if type(target) is Indicator:
        return index.indicators.get(target.key) is target
    return index.facts.get(target.name) == target


def _resolve_actual(index: Index, actual: ast.Actual, before: _Row | None) -> _Row:
    """One actual statement resolved; what `before` resolved to is taken again for the same statement (or one made
    again of the same parts: a `reason` on the next line) and the same indicator (or an equal fact)."""
    target = _target(index, actual)
    if target is not None and before is not None and _same_actual(before[0], actual) and \
            (before[1] is target or (type(target) is Fact and before[1] == target)):
        return (actual, target, before[2], before[3], before[4])
    said: list[Finding] = []
    resolved = actuals_mod.resolve(index, actual.name.text, actual.name.span, actual.value, actual.reason,
                                   actual.score, actual.span, said)
    if resolved is not None and actual.extra is not None:
        resolved = actuals_mod.with_extra(resolved, actual.extra, index, said)
    if before is not None and resolved is not None and resolved == before[2] and said == before[3] \
            and before[2].span is actual.span:  # (the same span object: a span is re-based where it stands)
        resolved, said = before[2], before[3]  # equal to what it was: the same object, for the stages after compile
    return (actual, target, resolved, said, target.key if type(target) is Indicator else None)


def _remember_lookups(index: Index, made: _Made) -> None:
    """Name lookups depend only on the facts', indicators' and sections' keys and their order: when these are the
    same as in the last compile, its lookups are taken again (an edit that changes no name changes none)."""
    names = (tuple(index.facts), tuple(index.indicators), tuple(index.sections))
    last = made.last
    made.state.tables = (index.indicators, index.sections)
    if last.names is not None and last.names == names:
        made.state.names, made.state.lookups = last.names, last.lookups
        made.changed = frozenset()
    else:
        made.state.names = names
        if last.names is not None and last.tables is not None:  # names added, removed or moved: what they touch
            changed = made.changed = _changed_names(last, names, index)
            made.state.lookups = {query: found for query, found in last.lookups.items()
                                  if _unaffected(query[0], changed)}
    index.remember(made.state.lookups)


def _changed_names(last: _State, names: tuple[tuple[str, ...], ...], index: Index) -> frozenset[str]:
    """The names whose lookups may give another answer than in the last compile: an indicator's or section's own name
    whose keys (in order) are not the same, a fact added or removed (Index.candidates looks a name up by them)."""
    assert last.tables is not None and isinstance(last.names, tuple)
    changed = set(last.names[0]) ^ set(names[0])
    for old_table, new_table, before, now in ((last.tables[0], index.indicators, last.names[1], names[1]),
                                              (last.tables[1], index.sections, last.names[2], names[2])):
        if before == now:
            continue
        old_keys, new_keys = set(before), set(now)
        gone, added = old_keys - new_keys, new_keys - old_keys
        changed.update(old_table[key].name for key in gone)
        changed.update(new_table[key].name for key in added)
        if [key for key in before if key not in gone] != [key for key in now if key not in added]:
            # keys that stayed but moved (a block cut and pasted): the names whose keys are in another order
            bearing_before: dict[str, list[str]] = {}
            bearing_now: dict[str, list[str]] = {}
            for table, keys, bearing in ((old_table, before, bearing_before), (new_table, now, bearing_now)):
                for key in keys:
                    bearing.setdefault(table[key].name, []).append(key)
            changed.update(name for name in bearing_before.keys() | bearing_now.keys()
                           if bearing_before.get(name) != bearing_now.get(name))
    return frozenset(changed)


def _unaffected(name: str, changed: frozenset[str]) -> bool:
    """Whether looking `name` up (a name, or a path whose last part is a name) meets none of the `changed` names."""
    if name in changed:
        return False
    return ("/" not in name and "\\" not in name) or split_key(name)[-1] not in changed


def _notes(resolved: tuple[Actual, ...], made: _Made) -> tuple[tuple[Actual, ...], tuple[Finding, ...]]:
    """The actuals with their note lines merged and the findings about figures given twice; taken again when the
    resolved actuals are the same objects as in the last compile."""
    last = made.last.notes
    # (figures given twice are found again: their findings quote the line of the first, which may have moved)
    if last is not None and not last[2] and len(last[0]) == len(resolved) and all(map(operator.is_, last[0], resolved)):
        made.state.notes = last
        return last[1], last[2]
    merged = tuple(actuals_mod.merge_notes(list(resolved)))
    repeated = tuple(actuals_mod.duplicates(list(merged)))
    made.state.notes = (resolved, merged, repeated)
    return merged, repeated


def _cycles(plan: Plan, formulas: dict[str, Indicator], findings: list[Finding], made: _Made) -> None:
    """Formulas that use themselves, through facts and indicators (a cycle of facts alone is reported earlier).

    `formulas`: the indicators with a formula compiled, in the order written (those of plan.all_indicators that
    have one); the last compile's answer is taken again for the same facts and formulas."""
    rows = tuple(i for i in formulas.values() if i.formula is not None)
    last = made.last.cycles
    if last is not None and len(last[0]) == len(plan.facts) and all(map(operator.is_, last[0], plan.facts)) \
            and len(last[1]) == len(rows) and all(map(operator.is_, last[1], rows)):
        cyclic = last[2]
    else:
        _order, cyclic = formula_order(plan.facts, rows)
    made.state.cycles = (plan.facts, rows, cyclic)
    if not cyclic:
        return
    spans = {("fact", f.name): f.span for f in plan.facts}
    spans.update({("indicator", i.key): i.span for i in rows})
    for kind, key in cyclic:
        findings.append(Finding.make("PR014", spans[(kind, key)], key="PR014.cycle", name=key))


def _stem(file: str) -> str:
    return file.rsplit("/", 1)[-1].removesuffix(".perf")


def _choice(name: ast.Name | None, table: dict[str, str], what: str, findings: list[Finding]) -> str | None:
    if name is None:
        return None
    if name.text in table:
        return table[name.text]
    findings.append(Finding.make("PR014", name.span, what=what, value=name.text, options="、".join(table)))
    return None


def _places(meta: ast.Meta, findings: list[Finding]) -> int:
    places = meta.rounding_places if meta.rounding_places is not None else 2
    if not 0 <= places <= 6:
        findings.append(Finding.make("PR014", meta.span, what="舍入位数 rounding", value=places, options="0–6"))
        return 2
    return places


# ---------------------------------------------------------------- facts


def _declare_facts(nodes: tuple[ast.Fact, ...], index: Index, findings: list[Finding], made: _Made) -> dict[str, Fact]:
    """Facts with their units; values of constant facts. Formulas are compiled once all names are known."""
    facts: dict[str, Fact] = {}
    lines: dict[str, int] = {}
    for node in nodes:
        name = node.name.text
        if name in facts:
            findings.append(Finding.make("PR010", node.name.span, name=name, first=lines[name]))
            continue
        lines[name] = node.span.line
        facts[name] = made.fact(node, findings)
    index.facts = facts
    return facts


def _fact(node: ast.Fact, findings: list[Finding]) -> Fact:
    """One fact as declared (a formula's unit is known once it is compiled)."""
    name = node.name.text
    if node.expr is None:
        return Fact(name, parse_unit(node.unit), None, None, node.span)
    if isinstance(node.expr, ast.Literal) and node.expr.quantity.date is not None:
        findings.append(Finding.make("PR014", node.expr.span, key="PR014.date_fact", name=name,
                                     value=node.expr.quantity))
        return Fact(name, PLAIN, None, None, node.span)
    if isinstance(node.expr, ast.Literal):
        unit = parse_unit(node.expr.quantity.unit)
        return Fact(name, unit, unit.to_base(node.expr.quantity.value), None, node.span)
    return Fact(name, PLAIN, None, None, node.span)  # unit known after compiling the formula


def _fact_formulas(nodes: tuple[ast.Fact, ...], facts: dict[str, Fact], index: Index,
                   findings: list[Finding], made: _Made) -> dict[str, Fact]:
    """Compile the facts defined by formulas, each after the facts it uses, so units flow through them."""
    formulas = {node.name.text: node for node in nodes if node.expr is not None
                and not isinstance(node.expr, ast.Literal) and node.name.text in facts
                and facts[node.name.text].span == node.span}

    def uses(name: str) -> list[str]:
        expr = formulas[name].expr
        assert expr is not None
        return [found[0][1] for found in (index.candidates(n.text, ("fact", "indicator")) for n in ast_names(expr))
                if len(found) == 1 and found[0][0] == "fact"]

    order, cyclic = topological(formulas, uses)
    for name in cyclic:
        findings.append(Finding.make("PR014", formulas[name].name.span, key="PR014.cycle", name=name))
    rest = set(order) | set(cyclic)
    for name in order + [n for n in formulas if n not in rest]:  # then those that only use a cycle
        node = formulas[name]
        assert node.expr is not None
        expr, dims = made.formula(node, node.expr, index, findings)
        unit = derived_unit(expr, dims, lambda ref: _unit_of(index, ref))
        facts[name] = made.replaced(facts[name], formula=expr, unit=unit)
        index.facts = facts
    return facts


def _unit_of(index: Index, ref: Ref) -> Unit:
    return index.facts[ref.key].unit if ref.kind == "fact" else index.indicators[ref.key].unit


# ---------------------------------------------------------------- the tree of sections and indicators


Rounding = tuple[int | None, str]  # the places (None: the ruleset's) and mode a scope rounds its rows to


def _mode(meta: ast.Meta) -> Rounding:
    """The ruleset's rounding as the outermost scope: its places stay the plan's (None), its mode is written once."""
    return (None, ROUNDING.get(meta.rounding_mode, "ROUND_HALF_UP"))


def _rounding(clauses: ast.Clauses, scope: Rounding, name: str, findings: list[Finding]) -> Rounding:
    """The rounding of a row or section: `rounding N [mode]` written on it, else its scope's (docs/language.md 17.13).

    A mode not written is the scope's; places outside 0–6 are PR014 and the scope's rounding is kept."""
    if clauses.rounding is None:
        return scope
    places, mode = clauses.rounding
    if not 0 <= places <= 6:
        findings.append(Finding.make("PR014", clauses.span_of("rounding"), what=f"{name} 的舍入位数 rounding",
                                     value=places, options="0–6"))
        return scope
    return (places, ROUNDING[mode] if mode is not None else scope[1])


def _inferred(rows: list[Section | Indicator], findings: list[Finding]) -> None:
    """One finding (information) listing the weights written `inferred`: a form did not print them."""
    if rows:
        listed = "、".join(f"{n.name} {n.weight.normalize():f}" for n in rows)
        findings.append(Finding.make("PR027", rows[0].span, count=len(rows), names=listed))


def _tree(nodes: tuple[ast.Section | ast.Indicator | ast.Check, ...], path: tuple[str, ...], out: _Tree,
          meta: ast.Meta, made: _Made, scope: Rounding, levels: tuple[ast.Element, ...] = ()) -> list[Section | Indicator]:
    """The sections and indicators of `nodes`, with what they add (index entries, findings, ...) put in `out`.

    `levels`: the levels written on an enclosing section, for its qualitative rows that name none."""
    body: list[Section | Indicator] = []
    seen: dict[str, Span] = {}
    for node in nodes:
        if isinstance(node, ast.Check):
            out.checks.append(node)
            continue
        name = node.name.text
        if name in seen:
            findings = out.findings
            first = seen[name]
            findings.append(Finding.make("PR010", node.name.span, name=name, first=first.line))
            out.quoted.append((first, first.line))
            if isinstance(node, ast.Section):
                out.checks += _checks(node.children)
            continue
        seen[name] = node.name.span
        key = join_key(*path, name)
        if isinstance(node, ast.Section):
            again = made.section(node, key, meta, scope, levels)
            if again is None:
                inner = _Tree()
                section = _section(node, path, key, inner, meta, made, scope, levels)
                again = (section, inner)
            section, inner = again
            out.add(inner)
            out.made[id(node)] = (node, key, _around(meta, scope, levels, _dated(inner)), section, inner)
            if section is not None:
                body.append(section)
        else:
            inherited = levels if node.qualitative and not node.clauses.levels and not node.clauses.elements else ()
            indicator = made.indicator(node, key, out, meta, scope, inherited)
            out.indicators[key] = indicator
            if indicator.weight_inferred:
                out.inferred.append(indicator)
            if node.formula is not None:
                out.formulas.append((key, node))
            body.append(indicator)
    return body


def _section(node: ast.Section, path: tuple[str, ...], key: str, out: _Tree, meta: ast.Meta, made: _Made,
             scope: Rounding, levels: tuple[ast.Element, ...]) -> Section | None:
    """One section compiled (None: it holds nothing to score), what it adds put in `out`."""
    name = node.name.text
    findings = out.findings
    inner = _rounding(node.clauses, scope, name, findings)
    rated = node.clauses.levels
    inner_levels = rated if rated and _level_shares(rated, name, findings) else () if rated else levels
    children = tuple(_tree(node.children, (*path, name), out, meta, made, inner, inner_levels))
    if not children:
        return None  # a framework's group the project did not fill: nothing to score
    _negative(node.clauses.weight, name, node.clauses.span_of("weight"), findings)
    written = _points(node.clauses, meta)
    for clause, clause_span in node.clauses.spans:
        if clause not in ("weight", "rounding", "levels"):
            findings.append(Finding.make("PR014", clause_span, key="PR014.section", clause=clause, name=name))
    summed = sum((child.weight for child in children), Decimal(0))
    weight = written if written is not None else summed
    own = inner if node.clauses.rounding is not None and inner is not scope else (None, "")
    section = Section(key, name, node.kind, weight, node.clauses.weight is not None, children, node.span,
                      own[0], own[1] or None, node.clauses.weight_inferred)
    out.sections[key] = section
    if section.weight_inferred:  # before the rows inside it, as a walk from the top meets them
        out.inferred.insert(0, section)
    return section


def _points(clauses: ast.Clauses, meta: ast.Meta) -> Decimal | None:
    """The written weight in points: `weight 20%` is 20% of the ruleset's total (20 of 100 points)."""
    if clauses.weight is None or not clauses.weight_percent:
        return clauses.weight
    return clauses.weight * (meta.total if meta.total is not None else HUNDRED) / HUNDRED


def _negative(weight: Decimal | None, name: str, span: Span | None, findings: list[Finding]) -> None:
    if weight is not None and weight < 0:
        findings.append(Finding.make("PR014", span, key="PR014.weight", name=name, value=weight))
    elif weight is not None and weight == 0 and span is not None:  # written `weight 0` (or `weight ０`)
        # a warning, not an input error: the file still evaluates (an imported form writes 0 for an unreadable cell)
        findings.append(Finding.make("PR014", span, key="PR014.zero", name=name))


def _deduct_word(node: ast.Indicator, findings: list[Finding]) -> None:
    """A `per` word of the other side of the target (`每超` on a `>=` row, `每少` on a `<=` one): the row is scored
    by its comparator's gap, not by what the word says, so the reader is told (PR014.deduct_over/_under, a warning)."""
    word = node.clauses.deduct_word
    fits = vocabulary.PER_FITS.get(node.comparator or "")
    if word is None or fits is None or word.text not in (*vocabulary.PER_BELOW, *vocabulary.PER_ABOVE) \
            or word.text in fits:
        return
    key = "PR014.deduct_over" if word.text in vocabulary.PER_ABOVE else "PR014.deduct_under"
    findings.append(Finding.make("PR014", word.span, key=key, hint=key,
                                 name=node.name.text, word=word.text,
                                 comparator=node.comparator, fits="、".join(fits)))


def _indicator(node: ast.Indicator, key: str, findings: list[Finding], meta: ast.Meta,
               scope: Rounding | None = None, inherited: tuple[ast.Element, ...] = ()) -> Indicator:
    """`inherited`: the levels of a section around a qualitative row that names none, as if the row wrote them."""
    if inherited:
        node = replace(node, clauses=replace(node.clauses, levels=inherited))
    name = node.name.text
    clauses = node.clauses
    places, rounding = _rounding(clauses, scope or _mode(meta), name, findings)
    weight = _points(clauses, meta)
    if weight is None:
        findings.append(Finding.make("PR017", node.name.span, key="PR017.weight", name=name, hint="PR017.weight"))
        weight = Decimal(0)
    _negative(weight, name, clauses.span_of("weight"), findings)
    if _is_date(node):
        return _date_indicator(node, key, weight, findings, meta, (places, rounding))
    if clauses.scale is not None:
        return _scale_indicator(node, key, weight, findings, meta, (places, rounding))
    unit, target, target_high = _targets(node, findings)
    if node.formula is not None and node.target is None:
        findings.append(Finding.make("PR017", node.name.span, key="PR017.target", name=name, hint="PR017.target"))
    cap = Decimal(1)
    if clauses.cap is not None:
        cap = parse_unit(clauses.cap.unit).to_base(clauses.cap.value) if clauses.cap.unit else clauses.cap.value / HUNDRED
        if cap < 1:
            findings.append(Finding.make("PR014", clauses.cap.span, key="PR014.cap", name=name, value=clauses.cap))
            cap = Decimal(1)
    method = _method(node, findings)
    steps = _steps(node, weight, unit, findings)
    otherwise = _award(clauses.steps_otherwise, weight) if clauses.steps_otherwise else Decimal(0)
    deduct_points = deduct_per = None
    relative = False
    if clauses.deduct is not None:
        _deduct_word(node, findings)
        deduct_points, per = clauses.deduct
        per_unit = parse_unit(per.unit)
        if per_unit.is_percent and not unit.is_percent:
            relative, deduct_per = True, per_unit.to_base(per.value)
        elif per_unit.is_plain or per_unit.compatible(unit):
            deduct_per = (per_unit if not per_unit.is_plain else unit).to_base(per.value)
        else:
            findings.append(Finding.make("PR013", per.span, name=name, left=unit.text or "数值", right=per_unit.text))
        if deduct_per is not None and deduct_per <= 0:
            findings.append(Finding.make("PR014", per.span, what="扣分步长 per", value=per, options="> 0"))
            deduct_per = None
    tiers = _tiers(clauses.tiers, findings) if clauses.tiers else _tiers(meta.tiers, [])
    if clauses.signed and node.qualitative:
        findings.append(Finding.make("PR014", clauses.span_of("signed"), key="PR014.signed", name=name))
    elements = _elements(node, findings)
    levels = _levels(node, findings)
    return Indicator(
        key=key, name=name, weight=weight, kind="qualitative" if node.qualitative else "quantitative",
        method="elements" if elements else "levels" if levels else method, comparator=node.comparator, target=target,
        target_high=target_high, unit=unit, target_text=_target_text(node), formula=None, cap=cap, steps=steps,
        steps_otherwise=otherwise, deduct_points=deduct_points, deduct_per=deduct_per, deduct_relative=relative,
        tiers=tiers, na=clauses.na, span=node.span, signed=clauses.signed and not node.qualitative, elements=elements,
        places=places, rounding=rounding if places is not None else None, weight_inferred=clauses.weight_inferred,
        levels=levels, steps_actual=bool(steps) and clauses.steps_actual,
    )


# ---------------------------------------------------------------- dates and element checklists


def _is_date(node: ast.Indicator) -> bool:
    """A deadline: a written date (`<= 2023-12-31`, `<= 2023-12`) or a month of the year (`<= 12 月`)."""
    target = node.target
    if target is None or node.formula is not None or node.comparator is None:
        return False
    ends = [target, node.target_high] if node.comparator == "in" and node.target_high is not None else [target]
    return any(end.date is not None for end in ends) or all(end.unit == vocabulary.MONTH_UNIT for end in ends)


def _date_indicator(node: ast.Indicator, key: str, weight: Decimal, findings: list[Finding],
                    meta: ast.Meta, scoped: Rounding) -> Indicator:
    from perfrules.plan import dates  # only a date row needs it
    name = node.name.text
    clauses = node.clauses
    assert node.target is not None and node.comparator is not None
    found = dates.date_target(node.target, meta.year, name, "PR014", findings)
    target, unit = found if found is not None else (None, dates.DAY)
    high = None
    if node.comparator == "in" and node.target_high is not None:  # a window of dates: both ends dates
        found_high = dates.date_target(node.target_high, meta.year, name, "PR014", findings)
        if found_high is not None and found_high[1] != unit:
            findings.append(Finding.make("PR013", node.target_high.span, name=name, left=unit.text,
                                         right=found_high[1].text))
            target = None
        elif found_high is not None:
            high = found_high[0]
        if target is not None and high is not None and target > high:
            findings.append(Finding.make("PR014", node.span, key="PR014.range", name=name, low=node.target,
                                         high=node.target_high))
            target = None
        if high is None:
            target = None
    for clause in ("cap", "method", "steps", "tiers", "signed", "elements", "levels"):
        if clauses.span_of(clause) is not None:
            findings.append(Finding.make("PR014", clauses.span_of(clause), key="PR014.date_clause", name=name,
                                         clause=clause))
    points = per = period = None
    if clauses.deduct is not None:
        _deduct_word(node, findings)
        points, step = clauses.deduct
        period = "day" if step.unit in dates.DAY_UNITS else "month" if step.unit in dates.MONTH_UNITS else None
        if period is None:
            findings.append(Finding.make("PR013", step.span, key="PR013.date_per", name=name, right=step))
        elif step.value <= 0:
            findings.append(Finding.make("PR014", step.span, what="扣分步长 per", value=step, options="> 0"))
            period = None
        else:
            per = step.value
        if period is None:
            points = None
    return Indicator(
        key=key, name=name, weight=weight, kind="date", method="date", comparator=node.comparator, target=target,
        target_high=high, unit=unit, target_text=_target_text(node), formula=None, cap=Decimal(1),
        deduct_points=points, deduct_per=per, tiers=_tiers(meta.tiers, []), na=clauses.na, span=node.span,
        deduct_period=period, places=scoped[0], rounding=scoped[1] if scoped[0] is not None else None,
        weight_inferred=clauses.weight_inferred,
    )


SCALE_UNIT = parse_unit(vocabulary.POINTS_UNIT)  # a scale row's actual: points on its scale (90 分)
SCALE_CLAUSES = ("cap", "method", "steps", "deduct", "tiers", "signed", "elements", "levels")  # each needs a target


def _scale_indicator(node: ast.Indicator, key: str, weight: Decimal, findings: list[Finding],
                     meta: ast.Meta, scoped: Rounding) -> Indicator:
    """A row scored on a scale, with no target (`相关性 scale 100 weight 20%`): weight × actual / scale."""
    name = node.name.text
    clauses = node.clauses
    written = clauses.scale
    assert written is not None
    scale: Decimal | None = written.value
    shown = f"{written.value.normalize():f}"
    if written.unit not in (None, vocabulary.POINTS_UNIT):  # `满分 100 分`; a scale in 人 or % is no scale
        findings.append(Finding.make("PR014", written.span, key="PR014.scale_unit", name=name, value=written))
        scale = None
    elif written.value <= 0:
        findings.append(Finding.make("PR014", clauses.span_of("scale"), key="PR014.scale", name=name, value=shown))
        scale = None
    for clause in SCALE_CLAUSES:
        if clauses.span_of(clause) is not None:
            findings.append(Finding.make("PR014", clauses.span_of(clause), key="PR014.scale_clause", name=name,
                                         scale=shown, clause=clause))
    return Indicator(
        key=key, name=name, weight=weight, kind="scale", method="scale", comparator=None, target=None,
        target_high=None, unit=SCALE_UNIT, target_text=f"{vocabulary.SCALE_WORD} {shown}", formula=None,
        cap=Decimal(1), tiers=_tiers(meta.tiers, []), na=clauses.na, span=node.span, places=scoped[0],
        rounding=scoped[1] if scoped[0] is not None else None, weight_inferred=clauses.weight_inferred, scale=scale,
    )


def _rated(node: ast.Indicator, clause: str, findings: list[Finding]) -> tuple[ast.Element, ...]:
    """The items of a row's `elements` or `levels` clause; none, with a PR014, on a row that has a target."""
    items: tuple[ast.Element, ...] = getattr(node.clauses, clause)
    if items and not node.qualitative:
        findings.append(Finding.make("PR014", node.clauses.span_of(clause), key=f"PR014.{clause}_on",
                                     name=node.name.text))
        return ()
    return items


def _share(item: ast.Element) -> Decimal:
    """An element's or level's share as a ratio: a percentage (the grammar's `NUMBER %?`: a bare number is %)."""
    return parse_unit(item.share.unit or "%").to_base(item.share.value)


def _elements(node: ast.Indicator, findings: list[Finding]) -> tuple[tuple[str, Decimal], ...]:
    """A checklist row's elements and shares (`①:40% ②③④:20%`), the shares summing to 100% (else PR014)."""
    items = _rated(node, "elements", findings)
    if not items:
        return ()
    name = node.name.text
    span = node.clauses.span_of("elements")
    out: dict[str, Decimal] = {}
    for item in items:
        rate = _share(item)
        for label in actuals_mod.element_labels(item.label.text):
            if label in out:
                findings.append(Finding.make("PR014", item.label.span, key="PR014.elements_twice", name=name,
                                             label=label))
                return ()
            out[label] = rate
    total = sum(out.values(), Decimal(0))
    if total != 1:
        findings.append(Finding.make("PR014", span, key="PR014.elements_sum", name=name,
                                     sum=f"{(total * 100).normalize():f}%"))
        return ()
    return tuple(out.items())


def _levels(node: ast.Indicator, findings: list[Finding]) -> tuple[tuple[str, Decimal], ...]:
    """A row rated by level (`levels 优:100% 良:80% 中:60% 差:0`): each level's share of the weight, best first.

    Shares are 0–100% and each level is named once (else PR014); only a qualitative row is rated so, and not
    together with a checklist (`elements`), which is the other way of scoring such a row."""
    items = _rated(node, "levels", findings)
    if not items:
        return ()
    if node.clauses.elements:
        findings.append(Finding.make("PR014", node.clauses.span_of("levels"), key="PR014.levels_and_elements",
                                     name=node.name.text))
        return ()
    return _level_shares(items, node.name.text, findings)


def _level_shares(items: tuple[ast.Element, ...], name: str,
                  findings: list[Finding]) -> tuple[tuple[str, Decimal], ...]:
    """Each level and its share, best first; () with a PR014 when a level is named twice or above 100%."""
    out: dict[str, Decimal] = {}
    for item in items:
        share, rate = item.share, _share(item)
        label = item.label.text
        if label in out:
            findings.append(Finding.make("PR014", item.label.span, key="PR014.levels_twice", name=name, label=label))
            return ()
        if rate > 1:
            findings.append(Finding.make("PR014", share.span, key="PR014.levels_share", name=name, label=label,
                                         share=share))
            return ()
        out[label] = rate
    return tuple(sorted(out.items(), key=lambda item: -item[1]))


def _targets(node: ast.Indicator, findings: list[Finding]) -> tuple[Unit, Decimal | None, Decimal | None]:
    """The indicator's unit and its target (and a range's upper bound) in base units."""
    if node.target is None:
        return PLAIN, None, None
    low_unit = parse_unit(node.target.unit)
    if node.target_high is None:
        return low_unit, low_unit.to_base(node.target.value), None
    high_unit = parse_unit(node.target_high.unit)
    unit = low_unit if not low_unit.is_plain else high_unit
    if not (low_unit.is_plain or high_unit.is_plain or low_unit.compatible(high_unit)):
        findings.append(Finding.make("PR013", node.target_high.span, name=node.name.text, left=low_unit.text,
                                     right=high_unit.text))
    low = (low_unit if not low_unit.is_plain else unit).to_base(node.target.value)
    high = (high_unit if not high_unit.is_plain else unit).to_base(node.target_high.value)
    if low > high:
        findings.append(Finding.make("PR014", node.span, key="PR014.range", name=node.name.text, low=node.target,
                                     high=node.target_high))
    return unit, low, high


def _target_text(node: ast.Indicator) -> str:
    if node.qualitative and node.clauses.elements:
        written = " ".join(f"{e.label.text}{'各' if len(actuals_mod.element_labels(e.label.text)) > 1 else ''}{e.share}"
                           for e in node.clauses.elements)
        return f"{node.target_text}（要素 {written}）" if node.target_text else f"要素 {written}"
    if node.qualitative and node.clauses.levels:
        written = " ".join(f"{e.label.text}{(_share(e) * 100).normalize():f}%" for e in node.clauses.levels)
        return f"{node.target_text}（等次 {written}）" if node.target_text else f"等次 {written}"
    if node.qualitative:
        return node.target_text or vocabulary.QUALITATIVE_WORD
    if node.comparator == "in" and node.target and node.target_high:
        return f"{node.target} ~ {node.target_high}"
    if node.target is not None:
        return f"{node.comparator} {node.target}"
    return ""


def _method(node: ast.Indicator, findings: list[Finding]) -> str:
    clauses = node.clauses
    name = node.name.text
    if node.qualitative:
        for clause in ("steps", "deduct", "method"):  # a tier's rate scores the row: these would be dropped
            if clauses.span_of(clause) is not None and not (clause == "steps" and clauses.steps_actual):  # said apart
                findings.append(Finding.make("PR014", clauses.span_of(clause), key="PR014.qualitative_clause",
                                             name=name, clause=clause))
        return "qualitative"
    chosen = "steps" if clauses.steps else "deduct" if clauses.deduct is not None else \
        "range" if node.comparator == "in" else None
    if chosen is not None:
        for clause in ("deduct", "method"):  # one rule scores a row: another written beside it would be dropped
            span = clauses.span_of(clause)
            if span is not None and clause != chosen:
                findings.append(Finding.make("PR014", span, key="PR014.clause_unused", name=name, clause=clause,
                                             chosen="in 区间" if chosen == "range" else chosen))
        return chosen
    if clauses.method is not None:
        method = _choice(clauses.method, METHODS, "计分方法 method", findings)
        if method is None:
            return "ratio"
        if node.comparator not in METHOD_FITS[method]:
            findings.append(Finding.make("PR014", clauses.method.span, key="PR014.method", value=clauses.method.text,
                                         cmp=node.comparator, name=node.name.text))
        elif method == "actual" and node.target is not None and not parse_unit(node.target.unit).is_percent \
                and not (node.target.unit is None and node.formula is not None):
            # weight × actual needs a rate: `>= 100 人` with an actual of 120 人 would score 1200 points (a formula
            # with a bare target, `= 执行数 / 预算数 >= 1`, is a ratio: it may)
            findings.append(Finding.make("PR014", clauses.method.span, key="PR014.actual_unit",
                                         name=node.name.text, unit=node.target.unit or "（无单位）"))
        return method
    return "equal" if node.comparator == "=" else "ratio"


def _award(quantity: ast.Quantity, weight: Decimal) -> Decimal:
    if quantity.unit in ("%", "‰"):
        return weight * parse_unit(quantity.unit).to_base(quantity.value)
    return quantity.value


def _steps(node: ast.Indicator, weight: Decimal, unit: Unit, findings: list[Finding]) -> tuple[Step, ...]:
    if node.clauses.steps_actual:
        return _actual_steps(node, weight, unit, findings)
    steps = []
    for step in node.clauses.steps:
        # a threshold is a completion rate, written as a percentage (`100%:5`; a bare 100 means 100%)
        steps.append(Step(step.threshold.value / HUNDRED, _award(step.award, weight)))
    if any(a.threshold <= b.threshold for a, b in pairwise(steps)):
        findings.append(Finding.make("PR014", node.clauses.span_of("steps"), key="PR014.steps", name=node.name.text))
    return tuple(steps)


STEP_BOUNDS = {">=": "lower", ">": "lower", "<=": "upper", "<": "upper"}  # what `steps actual` thresholds are


def _actual_steps(node: ast.Indicator, weight: Decimal, unit: Unit, findings: list[Finding]) -> tuple[Step, ...]:
    """`steps actual 90%:100% 80%:60%`: thresholds on the actual itself, in the indicator's unit (a bare number is
    in it, 万元 and 元 convert, another unit is PR013). On a `>=` or `>` target they are lower bounds, from high to
    low; on `<=` or `<` upper bounds, from low to high (else PR014). Other targets give no direction: PR014."""
    name = node.name.text
    span = node.clauses.span_of("steps")
    bound = STEP_BOUNDS.get(node.comparator or "") if not node.qualitative else None
    if bound is None:
        if node.qualitative:
            findings.append(Finding.make("PR014", span, key="PR014.steps_actual_qualitative", name=name))
        elif node.comparator is not None:  # no target at all is PR017 already
            findings.append(Finding.make("PR014", span, key="PR014.steps_actual", name=name, cmp=node.comparator))
        return ()
    steps = []
    for step in node.clauses.steps:
        threshold = step.threshold
        written = parse_unit(threshold.unit)
        if not (written.is_plain or written.compatible(unit)):
            findings.append(Finding.make("PR013", threshold.span, name=name, left=unit.text or "数值",
                                         right=written.text))
            return ()
        steps.append(Step((unit if written.is_plain else written).to_base(threshold.value), _award(step.award, weight)))
    if any(a.threshold <= b.threshold if bound == "lower" else a.threshold >= b.threshold for a, b in pairwise(steps)):
        findings.append(Finding.make("PR014", span, key="PR014.steps" if bound == "lower" else "PR014.steps_up",
                                     name=name))
    return tuple(steps)


def _tiers(given: tuple[ast.Quantity, ast.Quantity] | None, findings: list[Finding]) -> tuple[Decimal, Decimal]:
    if given is None:
        return DEFAULT_TIER_BOUNDS
    high, low = (parse_unit(q.unit or "%").to_base(q.value) for q in given)
    if not Decimal(1) > high > low > 0:
        findings.append(Finding.make("PR014", given[0].span, key="PR014.tiers", high=given[0], low=given[1]))
        return DEFAULT_TIER_BOUNDS
    return (high, low)


def _formulas(rows: list[tuple[str, ast.Indicator]], index: Index, findings: list[Finding],
              made: _Made) -> dict[str, Indicator]:
    """Compile derived indicators' formulas once every indicator and fact is known (`rows`: their keys and
    statements, in the order written)."""
    done: dict[str, Indicator] = {}
    for key, node in rows:
        indicator = index.indicators.get(key)
        if indicator is None or indicator.span != node.span or node.formula is None:
            continue
        expr, dims = made.formula(node, node.formula, index, findings)
        target_dims = ANY if indicator.unit.is_plain else indicator.unit.dims
        if expr is not None and combine_same(dims, target_dims) is None:
            findings.append(Finding.make("PR013", node.formula.span, name=node.name.text, left=show(dims),
                                         right=indicator.unit.text))
        elif expr is not None and indicator.unit.is_plain and node.target is not None and dims not in WILD \
                and any(atom == "元" for atom, _ in dims):
            # `结余 = 预算 - 支出 >= 30`: 30 元 or 30 万元? A bare target would be read in 元
            findings.append(Finding.make("PR013", node.target.span, key="PR013.formula_plain",
                                         name=node.name.text, left=show(dims)))
        done[key] = made.replaced(indicator, formula=expr)
        index.indicators[key] = done[key]
    return done


def _replace_indicators(nodes: tuple[Section | Indicator, ...], new: dict[str, Indicator],
                        made: _Made) -> tuple[Section | Indicator, ...]:
    """`nodes` with the indicators in `new` put in; only the sections above one of them are made again."""
    if not new:
        return nodes
    above = {key for indicator in new.values() for key in _ancestors(indicator.path)}
    return _put(nodes, new, above, made)


def _ancestors(path: tuple[str, ...]) -> list[str]:
    return [join_key(*path[:end]) for end in range(1, len(path))]


def _put(nodes: tuple[Section | Indicator, ...], new: dict[str, Indicator],
         above: set[str], made: _Made) -> tuple[Section | Indicator, ...]:
    out: list[Section | Indicator] = []
    for node in nodes:
        if type(node) is Section:
            if node.key in above:
                node = made.replaced(node, children=_put(node.children, new, above, made))
        else:
            node = new.get(node.key, node)
        out.append(node)
    return tuple(out)


# ---------------------------------------------------------------- checks, expect, grades


def _checks(nodes: tuple[ast.Section | ast.Indicator | ast.Check, ...]) -> list[ast.Check]:
    found: list[ast.Check] = []
    for node in nodes:
        if isinstance(node, ast.Check):
            found.append(node)
        elif isinstance(node, ast.Section):
            found.extend(_checks(node.children))
    return found


SEVERITIES = {"error": "error", "错误": "error", "warning": "warning", "警告": "warning", "info": "info", "提示": "info"}


def _check(node: ast.Check, index: Index, findings: list[Finding]) -> Check | None:
    label = node.label.text if node.label else f"第{node.span.line}行"
    before = len(findings)
    left, left_dims = compile_expr(node.left, index, findings, label)
    right, right_dims = compile_expr(node.right, index, findings, label)
    severity = _choice(node.severity, SEVERITIES, "级别 severity", findings) or "error"
    if left is None or right is None or len(findings) > before:
        return None
    if combine_same(left_dims, right_dims) is None:
        findings.append(Finding.make("PR013", node.span, name=label, left=show(left_dims), right=show(right_dims)))
        return None
    tolerance = slack = Decimal(0)
    if node.tolerance is not None:
        unit = parse_unit(node.tolerance.unit or "%")
        dims = combine_same(left_dims, right_dims)
        if unit.is_percent:
            tolerance = unit.to_base(node.tolerance.value)
        elif dims is not None and combine_same(unit.dims or ANY, dims) is not None:
            slack = unit.to_base(node.tolerance.value)
        else:
            findings.append(Finding.make("PR013", node.tolerance.span, name=label, left=show(dims or ANY),
                                         right=unit.text))
            return None
    text = node.span.file and _check_text(node)
    return Check(label, left, node.comparator, right, severity, tolerance, text, node.span, slack)


def _check_text(node: ast.Check) -> str:
    return node.label.text if node.label else ""


def _expect(item: ast.ExpectItem, index: Index, findings: list[Finding]) -> Expect | None:
    if item.target in ("total", "grade", "review"):
        return Expect(item.target, item.value, item.span, item.quoted)
    found = index.lookup(item.target, item.span, kinds=("section", "indicator"), findings=findings)
    return Expect(found[1], item.value, item.span) if found else None


def _grades(bands: tuple[ast.Band, ...], span: Span | None, total: Decimal, findings: list[Finding]) -> tuple[Band, ...]:
    if not bands:  # the official 优 90 / 良 80 / 中 60, as shares of the total
        return tuple(Band(b.name, b.comparator, b.threshold * total / HUNDRED if b.threshold is not None else None)
                     for b in DEFAULT_GRADES)
    out = tuple(Band(b.name.text, b.comparator, b.threshold) for b in bands)
    problems = []
    names = [b.name for b in out]
    if len(set(names)) != len(names):
        problems.append("等级名称重复")
    if out[-1].comparator is not None:
        problems.append("最低一档须写 otherwise，如 差 otherwise")
    if any(b.comparator is None for b in out[:-1]):
        problems.append("otherwise 只能用于最后一档")
    if any(b.comparator not in (None, ">=", ">") for b in out):
        problems.append("等级须写成 名称 >= 分数")
    thresholds = [b.threshold for b in out if b.threshold is not None]
    if any(a <= b for a, b in pairwise(thresholds)):
        problems.append("分数线须从高到低排列")
    if any(not 0 <= t <= total for t in thresholds):
        problems.append(f"分数线须在 0 到 {total} 之间")
    for problem in problems:
        findings.append(Finding.make("PR015", span, reason=problem))
    return out if not problems else _grades((), span, total, [])


def _policy_value(value: ast.Quantity | ast.Name | str) -> str:
    if isinstance(value, ast.Name):
        return value.text
    return str(value)
