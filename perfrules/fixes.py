"""The safe fixes of `perfrules lint --fix` (and `--diff`, `--add-noqa`), like ruff's.

Each fix is a small function from a finding (or the source lines) to an `Edit`: a replacement of
columns on one line, so a comment and the rest of the line stay as written. The fixes:

- full-width punctuation and digits in code (`＞＝ ９５％`) to the ASCII the parser reads them as
  (perfrules.syntax.source.FULL_WIDTH, outside quotes and comments), one fix for each run of adjacent
  characters (`＞＝` is one, `９５％` another). No finding: the language reads them as ASCII by design
  (docs/language.md §5) and `perfrules fmt` writes them so too; the fix only writes what the parser reads;
- PR901, an unused suppression, as ruff's RUF100 fix: the unused codes are deleted from the noqa, and the
  whole noqa when none is left (its remark stays as a plain comment, other comments stay as written, a line
  that held only the noqa is deleted); PR902's unknown codes are deleted likewise and a missing colon written
  (`# noqa PR202` → `# noqa: PR202`). Such a fix never changes what is suppressed;
- PR108.percent, a rate written without % (`满意度 >= 95` → `>= 95%`), and PR013.plain when the
  actual is a percentage and the bare target 1 < t <= 100 (the same evidence);
- PR109, a target without a unit whose actual in the rule file has one of scale 1 (`>= 60000`,
  `= 80646 人` → `>= 60000 人`);
- `add_noqa`: `# noqa: CODE` on the line of each finding, merged into a noqa already there.

A set of edits is kept only when the edited text compiles to the same plan apart from the entries
the fixes own (`verify`): the indicator whose target changed and its actual.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from perfrules.checks.suppress import COLON, EMPTY, SYNTAX, Suppression, find_suppressions, read_directive
from perfrules.findings import Finding, is_input_error
from perfrules.syntax.source import FULL_WIDTH, OTHER_BREAKS, code_and_comment, normalise

FULL_WIDTH_CODE = "full-width"  # the label of the full-width fix, which answers no finding
NOQA_CODE = "noqa"
# What `normalise` maps but is no full-width character: tabs and odd line breaks stay as written.
_NOT_FIXED = frozenset("\t" + OTHER_BREAKS)
_FIXABLE = re.compile("[" + re.escape("".join(c for c in [*FULL_WIDTH, "（", "）"] if c not in _NOT_FIXED)) + "]")


@dataclass(frozen=True)
class Edit:
    """Replace columns [column, end_column) of a line (1-based, in characters) with `text`."""

    line: int
    column: int
    end_column: int
    text: str
    code: str  # the code it fixes (PR108, ...), or FULL_WIDTH_CODE / NOQA_CODE
    owner: str = ""  # the indicator whose plan entries may change ("" : the plan must not change)
    drop: bool = False  # the line is deleted when the edit leaves nothing on it (a noqa alone on its line)


@dataclass
class Fixed:
    """What fixing one file gave: the new text (None when refused or unchanged) and why not."""

    file: str
    before: str
    after: str
    counts: Counter[str] = field(default_factory=Counter)
    refused: str = ""  # why the edits were not kept (the plan changed elsewhere), "" otherwise

    @property
    def changed(self) -> bool:
        return not self.refused and self.after != self.before


# ---------------------------------------------------------------- the fixes


def full_width(lines: list[str]) -> list[Edit]:
    """Full-width punctuation and digits in the code of each line, as the parser reads them: one edit for
    each run of adjacent characters (`＞＝`, `６０`), as a reader counts them."""
    edits = []
    for number, raw in enumerate(lines, start=1):
        if _FIXABLE.search(raw) is None:
            continue
        code, _comment_at = code_and_comment(raw)
        read = normalise(code)  # one character for one character, quotes untouched
        start = -1
        for index, (written, meant) in enumerate([*zip(code, read, strict=True), ("", "")]):
            fixed = written != meant and written not in _NOT_FIXED
            if fixed and start < 0:
                start = index
            elif not fixed and start >= 0:
                edits.append(Edit(number, start + 1, index + 1, read[start:index], FULL_WIDTH_CODE))
                start = -1
    return edits


def unused_noqa(findings: list[Finding], file: str, lines: list[str]) -> list[Edit]:
    """PR901 and PR902 answered: the unused and unknown codes deleted from each noqa (the whole noqa when none
    is left, its remark kept as a comment), a missing colon written. What is suppressed stays the same."""
    unused: dict[int, set[str]] = {}
    unknown: dict[int, set[str]] = {}
    colon: set[int] = set()
    for f in findings:
        if f.code not in ("PR901", "PR902") or f.span is None or f.span.file != file:
            continue
        if f.code == "PR901":
            unused.setdefault(f.span.line, set()).add(str(f.arg("which")))
        elif f.key in ("PR902.unknown", "PR902.unknown_far"):
            unknown.setdefault(f.span.line, set()).add(str(f.arg("which")))
        elif f.key == "PR902.colon":
            colon.add(f.span.line)
    edits = []
    for s in find_suppressions(lines):
        if (s.line not in unused and s.line not in unknown and s.line not in colon) or s.problem in (EMPTY, SYNTAX):
            continue
        gone = unused.get(s.line, set()) | unknown.get(s.line, set())
        code = "PR901" if s.line in unused else "PR902"
        left = tuple(dict.fromkeys(t.text for t in s.tokens if t.text not in gone))
        if s.bare and "noqa" not in gone:
            continue
        if left:
            edits.append(Edit(s.line, s.column, s.end_column, s.canonical(left), code))
        else:
            edits.append(_delete(s, lines[s.line - 1], code))
    return edits


def _delete(s: Suppression, raw: str, code: str) -> Edit:
    """The edit deleting a noqa directive: its remark stays as a comment, and so does the comment after it."""
    if s.remark_column < s.stop:  # its remark becomes the comment: `noqa: PR202 说明` → `说明`
        return Edit(s.line, s.column, s.remark_column, raw[s.column - 1] + " ", code)
    if s.stop - 1 < len(raw):  # the comment after it stays
        return Edit(s.line, s.column, s.stop, "", code)
    before = raw[: s.column - 1]
    at = len(before.rstrip())
    return Edit(s.line, at + 1, len(raw) + 1, "", code, drop=not before.strip())


def percent(finding: Finding, run: Any) -> Edit | None:
    """PR108.percent (and PR013.plain against a percentage actual): `%` after the bare target."""
    if finding.key == "PR013.plain" and finding.arg("right") != "%":
        return None
    if finding.key not in ("PR108.percent", "PR013.plain"):
        return None
    node, indicator = _indicator_at(finding, run)
    if node is None or indicator is None or node.target is None or node.target.unit is not None:
        return None
    if node.target_high is not None or not Decimal(1) < node.target.value <= Decimal(100):
        return None
    span = node.target.span
    return Edit(span.line, span.end_column, span.end_column, "%", finding.code, indicator.key)


def target_unit(finding: Finding, run: Any) -> Edit | None:
    """PR109: the unit of the actual (in the rule file, of scale 1, not %) written after the bare target."""
    if finding.code != "PR109" or run.plan is None:
        return None
    node, indicator = _indicator_at(finding, run)
    if node is None or indicator is None or node.target is None or node.target.unit is not None:
        return None
    if node.target_high is not None:
        return None
    actual = next((a for a in run.plan.actuals if a.key == indicator.key), None)
    unit = actual.unit if actual is not None and actual.kind == "quantity" else None
    if unit is None or unit.is_plain or unit.is_percent or unit.scale != 1:
        return None
    span = node.target.span
    return Edit(span.line, span.end_column, span.end_column, " " + unit.text, finding.code, indicator.key)


FIXES = (percent, target_unit)


def add_noqa(findings: list[Finding], file: str, lines: list[str]) -> list[Edit]:
    """`# noqa: CODE` at the end of the line of each finding of `file`, merged into a noqa already there.

    Input errors cannot be suppressed, nor can PR901 and PR902 (what is said of the noqa comments themselves).
    """
    wanted: dict[int, list[str]] = {}
    for f in findings:
        if f.span is None or f.span.file != file or is_input_error(f) or f.code in ("PR901", "PR902"):
            continue
        if 1 <= f.span.line <= len(lines) and f.code not in wanted.setdefault(f.span.line, []):
            wanted[f.span.line].append(f.code)
    edits = []
    for number, codes in sorted(wanted.items()):
        raw = lines[number - 1]
        _code, comment_at = code_and_comment(raw)
        comment = raw[comment_at:] if comment_at >= 0 else ""
        found = read_directive(comment, number, comment_at + 1) if comment else None
        if found is None:
            at = len(raw.rstrip())
            edits.append(Edit(number, at + 1, len(raw) + 1, "  # noqa: " + ", ".join(codes), NOQA_CODE))
            continue
        if found.bare or found.problem == SYNTAX:
            continue  # a bare noqa covers every code already; an unreadable one is PR902's, left to its author
        have = [t.text for t in found.tokens]
        missing = [c for c in codes if not any(c.startswith(h) for h in found.codes)]
        if missing or found.problem in (EMPTY, COLON):
            edits.append(Edit(number, found.column, found.end_column, found.canonical((*have, *missing)), NOQA_CODE))
    return edits


def _indicator_at(finding: Finding, run: Any) -> tuple[Any, Any]:
    """The AST indicator a finding stands on (same line, same name) and its plan indicator."""
    from perfrules.syntax import ast

    span, name = finding.span, finding.arg("name")
    if span is None or run.document is None or run.plan is None or span.file != run.file:
        return None, None
    named = [i for i in run.plan.all_indicators if i.name == name and i.span is not None and i.span.file == span.file]
    on_line = [i for i in named if i.span.line == span.line]
    if len(on_line) != 1 and len(named) != 1:  # on its own line, or (PR013.plain, at the actual) the only one so named
        return None, None
    indicator = (on_line or named)[0]
    line = indicator.span.line
    node = next((n for n in _indicators(run.document.body) if n.span.line == line and n.name.text == name), None)
    if node is None or not isinstance(node, ast.Indicator):
        return None, None
    return node, indicator


def _indicators(items: Any) -> Any:
    from perfrules.syntax import ast

    for item in items:
        if isinstance(item, ast.Section):
            yield from _indicators(item.children)
        elif isinstance(item, ast.Indicator):
            yield item


# ---------------------------------------------------------------- applying and verifying


def apply(lines: list[str], edits: list[Edit]) -> list[str]:
    """The lines with the edits made (right to left on each line; an edit overlapping one kept is dropped)."""
    out = list(lines)
    by_line: dict[int, list[Edit]] = {}
    for edit in edits:
        by_line.setdefault(edit.line, []).append(edit)
    for number, mine in by_line.items():
        text = out[number - 1]
        left = len(text) + 2
        for edit in sorted(set(mine), key=lambda e: (e.column, e.end_column), reverse=True):
            if edit.end_column > left or (edit.end_column == left and edit.column == edit.end_column == left):
                continue  # overlaps the edit on its right, or the same insertion twice
            text = text[: edit.column - 1] + edit.text + text[edit.end_column - 1:]
            left = edit.column
        out[number - 1] = text
    return out


def split_keeping_ends(text: str) -> tuple[list[str], list[str]]:
    """The lines of `text` (as perfrules.syntax.source.lines counts them) and the break after each."""
    parts = _LINE_END.split(text)
    return parts[0::2], parts[1::2]


def join(lines: list[str], ends: list[str]) -> str:
    """`split_keeping_ends` undone: every line ending as it was written."""
    return "".join(line + (ends[i] if i < len(ends) else "") for i, line in enumerate(lines))


_LINE_END = re.compile(r"(\r\n|\r|\n)")


def plan_items(plan: Any) -> dict[str, object]:
    """A plan as named entries without source positions: `indicator:KEY`, `actual:KEY`, `facts`, ..."""
    from perfrules.plan.serialize import dump_plan

    dumped = _strip(dump_plan(plan))
    assert isinstance(dumped, dict)
    items: dict[str, object] = {}
    for name, value in dumped.items():
        if name == "body":
            _flatten(value, items)
        elif name == "actuals" and isinstance(value, list):
            for actual in value:
                items[f"actual:{actual['key']}"] = actual
        elif name != "file":
            items[name] = value
    return items


def _flatten(nodes: Any, items: dict[str, object]) -> None:
    for node in nodes:
        if node.get("type") == "section":
            children = node.get("children", [])
            items[f"section:{node['key']}"] = {**node, "children": [c.get("key") for c in children]}
            _flatten(children, items)
        else:
            items[f"indicator:{node.get('key')}"] = node


def _strip(value: object) -> object:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "span"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def verify(before: str, after: str, file: str, owners: set[str]) -> str:
    """Why the edited text may not be kept ("" when it may): it must compile, with no new syntax or input
    error, to the same plan apart from the entries of the indicators in `owners`."""
    from perfrules import pipeline

    old = pipeline.compile_text(before, file)
    new = pipeline.compile_text(after, file)
    if new.plan is None or old.plan is None:
        return "修改后的文件无法编译 / the fixed file does not compile"
    old_errors = {(f.code, f.key) for f in old.findings if is_input_error(f)}
    added = sorted({f"{f.code}" for f in new.findings if is_input_error(f) and (f.code, f.key) not in old_errors})
    if added:
        return f"修改后出现新的错误 {', '.join(added)} / the fix adds errors"
    allowed = {f"{kind}:{key}" for key in owners for kind in ("indicator", "actual")}
    old_items, new_items = plan_items(old.plan), plan_items(new.plan)
    changed = sorted(k for k in old_items.keys() | new_items.keys()
                     if k not in allowed and old_items.get(k) != new_items.get(k))
    if changed:
        shown = "、".join(changed[:5]) + ("……" if len(changed) > 5 else "")
        return f"修改会改变规则的其他部分（{shown}），未写入 / the fix would change other parts of the plan: not written"
    return ""


def fix_text(text: str, file: str, edits: list[Edit]) -> Fixed:
    """The text with `edits` made, verified (see `verify`); a BOM and every line ending kept."""
    result = Fixed(file, text, text)
    if not edits:
        return result
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    source, ends = split_keeping_ends(text[len(bom):])
    made = apply(source, edits)
    kept = _kept(source, made, edits)
    dropped = {e.line for e in kept if e.drop and not made[e.line - 1].strip()}
    if dropped:  # a line that held only a deleted noqa goes, with its line break
        made = [line for number, line in enumerate(made, start=1) if number not in dropped]
        ends = [end for number, end in enumerate(ends, start=1) if number not in dropped]
    after = bom + join(made, ends)
    if after == text:
        return result
    reason = verify(text[len(bom):], after[len(bom):], file, {e.owner for e in kept if e.owner})
    if reason:
        result.refused = reason
        return result
    result.after = after
    result.counts = Counter(e.code for e in kept)
    return result


def _kept(before: list[str], after: list[str], edits: list[Edit]) -> list[Edit]:
    """The edits that were made (one per place: a repeated or overlapping edit counts once)."""
    seen: set[tuple[int, int, int, str]] = set()
    kept = []
    for edit in sorted(edits, key=lambda e: (e.line, e.column)):
        place = (edit.line, edit.column, edit.end_column, edit.text)
        if place in seen or before[edit.line - 1] == after[edit.line - 1]:
            continue
        seen.add(place)
        kept.append(edit)
    return kept


def edits_for(findings: list[Finding], run: Any, lines: list[str]) -> list[Edit]:
    """Every safe fix for a run's findings, and the full-width characters of its lines."""
    edits = full_width(lines) + unused_noqa(findings, run.file, lines)
    for finding in findings:
        for fix in FIXES:
            edit = fix(finding, run)
            if edit is not None:
                edits.append(edit)
                break
    return edits
