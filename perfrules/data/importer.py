"""`perfrules import`: a self-evaluation form (自评表) written out as a `.perf` rule file.

The rule file keeps every row: the indicator with its target and weight, the actual with its
偏差原因 and the published score (for audits), the money block as facts with the 预算执行率 row,
subtotals and the published total in `expect`. Two promises hold for any form:

- every non-empty cell of the sheet is in the output, as data or as a comment with its address
  (a cell that cannot be read is also a PR024 finding at the cell);
- the output compiles: a line the language cannot hold (a negative weight, a name it rejects) is
  written as a comment instead, with a finding, never as a broken line.

The text is already in the formatter's layout.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from perfrules.data.selfeval import (
    IndicatorRow,
    SelfEvaluation,
    Target,
    leading_tier,
    parse_date_range,
    parse_date_target,
    parse_direction,
    parse_money,
    parse_number,
    parse_target,
    read_unit,
    tier_word,
)
from perfrules.data.tables import Cell
from perfrules.findings import Finding, Severity, Span
from perfrules.vocabulary import MET, RESERVED_WORDS, in_tier, tier_of, tier_range

if TYPE_CHECKING:
    from perfrules.pipeline import Run

HUNDRED = Decimal(100)
RATIO_LIMIT = Decimal("1.5")  # a printed 执行率 without % up to this is a ratio (0.953 is 95.3%), above it a percentage
PLACEHOLDER_REASONS = {"0", "0.0", "无", "/", "／", "—", "-", "——", "--", "无偏差", "不涉及", "null", "NULL", "N/A", "n/a", "#N/A"}
FACT_NAMES = ("年初预算数", "全年预算数", "全年执行数", "预算执行率")
MAX_REPAIRS = 50  # rounds of commenting out lines that do not compile (each round fixes every line it finds)


RESERVED = RESERVED_WORDS  # a name spelt as a keyword is written quoted


@dataclass
class Imported:
    text: str
    findings: list[Finding]
    rows: dict[int, Cell] = field(default_factory=dict)  # rule-file line -> the row's 三级指标 cell
    scores: dict[int, Cell] = field(default_factory=dict)  # rule-file line -> the row's 得分 cell
    reviews: dict[int, Cell] = field(default_factory=dict)  # rule-file line -> the row's 复核分 cell (`review N`)
    rates: dict[int, Cell] = field(default_factory=dict)  # rule-file line -> the printed 执行率 cell (`rate P`)
    # With layout=False: the compiled run of `text` (named `source_name`), made to prove that it compiles.
    run: Run | None = None


def import_form(form: SelfEvaluation, source_name: str, layout: bool = True) -> Imported:
    """The form as a rule file; `layout=False` leaves out the formatter's layout (same lines, same plan) and
    hands over the run that compiled the text, so a caller that only scores it parses it once (audit)."""
    out = _Writer(form)
    return out.write(source_name, layout)


def _key(cell: Cell) -> tuple[str, int, int]:
    return cell.sheet, cell.row, cell.column


class _Writer:
    def __init__(self, form: SelfEvaluation) -> None:
        self.form = form
        self.lines: list[str] = []
        self.findings: list[Finding] = []
        self.rows: dict[int, Cell] = {}
        self.scores: dict[int, Cell] = {}
        self.reviews: dict[int, Cell] = {}
        self.rates: dict[int, Cell] = {}
        # the 预算执行率 row's printed figures, written on its note line in actuals: (得分, 复核分, 执行率, its table row)
        self.execution_cells: tuple[Cell | None, Cell | None, Cell | None, IndicatorRow | None] | None = None
        self.execution_line = 0  # the line of the 预算执行率 formula row, once written
        self.names: dict[int, str] = {}  # id(row) -> the unique name written
        self.targets: dict[int, Target | None] = {}
        self.kept: set[tuple[str, int, int]] = set()
        self.dimensions: dict[str, str] = {}  # 一级/二级 label -> the name written
        self.money_values: dict[str, tuple[Decimal, str]] = {}
        self.all_rows: list[IndicatorRow] = []
        self.run: Run | None = None  # the run that compiled the text written, once it compiles

    # ------------------------------------------------------------ cells kept and problems

    def span(self, cell: Cell) -> Span:
        return Span(self.form.file, cell.row or 1, cell.column or 1, cell.row or 1, (cell.column or 1) + 1)

    def use(self, *cells: Cell) -> None:
        for cell in cells:
            if cell.text:
                self.kept.add(_key(cell))

    def note(self, cell: Cell, label: str = "") -> str:
        """A cell kept as a comment: `label A1「text」`."""
        self.use(cell)
        return f"{label + ' ' if label else ''}{cell.address}「{comment_text(cell.text)}」"

    def problem(self, cell: Cell, reason: str, label: str = "") -> str:
        self.findings.append(Finding.make("PR024", self.span(cell), cell=cell.address, text=_short(cell.text),
                                          reason=reason))
        return f"无法识别 {self.note(cell)}：{label + '：' if label else ''}{reason}"

    # ------------------------------------------------------------ the file

    def write(self, source_name: str, layout: bool = True) -> Imported:
        form = self.form
        self.lines += [f"# 由 perfrules import 从 {comment_text(source_name)} 导入；无法识别的单元格以注释保留在所在行。"]
        self._sheets()
        self._kept_block("heading", "表头")
        self.lines.append("")
        self.lines.append(f"ruleset {quote(name_text(form.project) or '自评表')} {{")
        if form.year:
            self.lines.append(f"  year {form.year}")
        self.lines += ["  kind 自评", "}", ""]
        execution = self._money()
        self._kept_block("money", "资金")
        self._kept_block("header", "指标表表头")
        rows = sorted([*form.rows, *([form.execution_row] if form.execution_row else [])], key=lambda r: r.name.row)
        self.all_rows = [r for r in rows if r is not self._formula_row()]
        groups = _grouped(rows)
        self._names(groups)
        for level1, children in groups.items():
            weight = sum((_weight(r) for rows in children.values() for r in rows if r is not self._formula_row()),
                         Decimal(0)) + (self._execution_weight() if any(
                             r is self._formula_row() for rows in children.values() for r in rows) else Decimal(0))
            written, comment = self._section_name(level1, children)
            self.dimensions.setdefault(level1, written)
            self.lines.append(f"dimension {written} weight {_n(weight)} {{{comment}")
            for level2, group_rows in children.items():
                depth = "  "
                if level2:
                    group_weight = sum((_weight(r) if r is not self._formula_row() else self._execution_weight()
                                        for r in group_rows), Decimal(0))
                    name2, comment2 = self._section_name(level2, {}, group_rows)
                    self.dimensions.setdefault(f"{level1}/{level2}", name2)
                    self.lines.append(f"  group {name2} weight {_n(group_weight)} {{{comment2}")
                    depth = "    "
                self._indicators(group_rows, depth)
                if level2:
                    self.lines.append("  }")
            self.lines.append("}")
            self.lines.append("")
        self._kept_block("table", "表中其他单元格")
        self._actuals(execution)
        self._expect()
        self._kept_block("footer", "表尾")
        self._leftovers()
        text = "\n".join(self.lines).rstrip("\n") + "\n"
        text = self._compiles(text, source_name)
        if not layout:
            return Imported(text, self.findings, self.rows, self.scores, self.reviews, self.rates, self.run)
        from perfrules.syntax.layout import layout_text as format_text

        formatted, _problems = format_text(text, source_name)
        if formatted is None or formatted.count("\n") != text.count("\n"):  # never expected: keep the plain text
            formatted = text
        return Imported(formatted, self.findings, self.rows, self.scores, self.reviews, self.rates)

    def _sheets(self) -> None:
        form = self.form
        if form.sheet:
            self.lines.append(f"# 工作表：{comment_text(form.sheet)}")
        if form.skipped_sheets:
            self.findings.append(Finding.make("PR024", Span.point(form.file, 1, 1), key="PR024.sheet",
                                              sheets="、".join(form.skipped_sheets), why="隐藏的工作表",
                                              sheet=form.sheet))
            self.lines.append(f"# 未导入的隐藏工作表：{comment_text('、'.join(form.skipped_sheets))}")

    def _kept_block(self, where: str, label: str) -> None:
        """The cells the reader kept as context (title rows, money rows, header cells), one comment line per row."""
        by_row: dict[int, list[Cell]] = {}
        for cell, place in self.form.kept:
            if place == where and _key(cell) not in self.kept:
                by_row.setdefault(cell.row, []).append(cell)
        problems = {_key(p.cell): p.reason for p in self.form.problems}
        for row in sorted(by_row):
            parts = []
            for cell in sorted(by_row[row], key=lambda c: c.column):
                reason = problems.pop(_key(cell), None)
                parts.append(self.problem(cell, reason) if reason else self.note(cell))
            self.lines.append(f"# {label} 第 {row} 行：" + " ".join(parts))

    def _leftovers(self) -> None:
        """Any cell not yet written: the promise that nothing is lost holds even where the reader missed one."""
        left = [c for c in self.form.cells if _key(c) not in self.kept]
        if not left:
            return
        self.lines += ["", "# 以下单元格未能归入表格结构，原样保留："]
        for cell in left:
            self.lines.append("# " + self.problem(cell, "未能归入表格结构"))

    # ------------------------------------------------------------ the money block

    def _amount(self, cell: Cell) -> tuple[Decimal, str] | None:
        parsed = parse_money(cell.text)
        if parsed is None:
            return None
        value, unit = parsed
        return value, unit or self.form.money_unit

    def _money(self) -> Cell | None:
        money = self.form.money
        amounts = [(label, money.get(key)) for label, key in (("年初预算数", "start"), ("全年预算数", "budget"),
                                                               ("全年执行数", "spent"))]
        written = []
        values: dict[str, tuple[Decimal, str]] = {}
        for label, cell in amounts:
            if cell is None or not cell.text:
                continue
            amount = self._amount(cell)
            if amount is None:
                written.append(f"  # {label} {self.problem(cell, '不是金额')}")
            else:
                self.use(cell)
                values[label] = amount
                written.append(f"  {label} = {_n(amount[0])} {amount[1]}")
        complete = {"全年预算数", "全年执行数"} <= set(values)
        # the money block's 复核分 is the 预算执行率 row's (`review N` on its note line) when that row is written here
        review_used = bool(written) and complete and self.form.execution_row is None and \
            review_of(money.get("review")) is not None
        others = [self.note(cell, label) for key, label in (("review", "复核分"), ("remark", "备注"))
                  if (cell := money.get(key)) is not None and cell.text and not (key == "review" and review_used)]
        if not written:
            if others:
                self.lines.append("# 资金 " + " ".join(others))
            return None
        self.lines += ["facts {", *written, "}"]
        if others:
            self.lines.append("# 资金 " + " ".join(others))
        self.lines.append("")
        if not complete:
            return None
        self.money_values = values
        if self.form.execution_row is not None:  # the 预算执行率 row stands in the indicator table, in its group
            notes = [self.note(cell, label) for key, label in (("weight", "分值"), ("rate", "执行率"), ("score", "得分"))
                     if (cell := money.get(key)) is not None and cell.text]
            if notes:
                self.lines += ["# 资金 " + " ".join(notes), ""]
            return None
        line, comments = self._execution_line()
        self.lines.append(line + _comment(comments))
        self.execution_line = len(self.lines)
        self.rows[len(self.lines)] = money["spent"]
        if money.get("score") is not None:
            self.scores[len(self.lines)] = money["score"]
        self.lines.append("")
        self.execution_cells = (money.get("score"), money.get("review"), money.get("rate"), None)
        return money.get("score")

    def _execution_weight(self) -> Decimal:
        row = self.form.execution_row
        cell = row.weight if row is not None else self.form.money.get("weight")
        weight = parse_number(cell.text) if cell is not None and cell.text else None
        return weight if weight is not None and weight >= 0 else Decimal(10)

    def _execution_weight_inferred(self) -> bool:
        """The budget row's weight is not printed (no cell, or an empty one): 10, the national form's, is assumed."""
        row = self.form.execution_row
        cell = row.weight if row is not None else self.form.money.get("weight")
        return cell is None or not cell.text.strip()

    def _formula_row(self) -> IndicatorRow | None:
        """The table's 预算执行率 row, when the money block lets it be written as the formula."""
        row = self.form.execution_row
        return row if row is not None and self.money_values else None

    def _execution_line(self, depth: str = "") -> tuple[str, list[str]]:
        row = self.form.execution_row
        weight_cell = row.weight if row is not None else self.form.money.get("weight")
        comments: list[str] = []
        if weight_cell is not None and weight_cell.text:
            weight = parse_number(weight_cell.text)
            if weight is None or weight < 0:
                comments.append(self.problem(weight_cell, "分值不是非负数，按 10 分计"))
            else:
                self.use(weight_cell)
        if row is not None:  # its 实际完成值 is the printed 执行率, its 得分 and 复核分 go to its note line in actuals
            self.use(row.name, row.seq, *row.uppers)
            comments += self._row_notes(row, execution=True, review_used=review_of(row.review) is not None)
            rate = row.actual if row.actual.text else self.form.money.get("rate")
            self.execution_cells = (row.score, row.review, rate, row)
        name = "预算执行率"
        inferred = " inferred" if self._execution_weight_inferred() else ""  # a weight the form did not print
        line = (f"{depth}{name} = 全年执行数 / 全年预算数 >= 100% weight {_n(self._execution_weight())}{inferred}"
                " method execution")
        return line, comments

    def _rate_clause(self, cell: Cell) -> tuple[str | None, str]:
        """The printed 执行率 as the actual line's `rate P` (PR309 compares it with 全年执行数 / 全年预算数 at its printed
        precision), and a comment: none when the cell is written as it is printed (「95.3%」, or a bare 95.3, which
        the language reads in %); the cell kept beside a ratio read as a percentage (「0.953」 is 95.3%, said by a
        PR024 notice), or as a comment when it is no rate."""
        printed = parse_target(cell.text)
        if printed is None or printed.number is None or printed.number < 0 or printed.unit not in ("%", "") or \
                (printed.explicit and printed.comparator != "="):
            return None, self.note(cell, "执行率")
        if printed.unit == "%" or printed.number > RATIO_LIMIT:
            self.use(cell)
            return f"rate {_n(printed.number)}%", ""
        percent = printed.number * HUNDRED
        self.findings.append(Finding.make("PR024", self.span(cell), key="PR024.rate_ratio",
                                          cell=cell.address, printed=_short(cell.text), rate=f"{_n(percent)}%"))
        return f"rate {_n(percent)}%", self.note(cell, "执行率") + f" 按比值读作 {_n(percent)}%"

    def _execution_note(self) -> tuple[str, list[str], dict[str, Cell]]:
        """The 预算执行率 row's note line in actuals (`预算执行率 score 9.53 review 9 rate 95.3%`), the comments beside
        it, and the cells of its clauses (score, review, rate); "" when it has no clause."""
        if self.execution_cells is None:
            return "", [], {}
        score_cell, review_cell, rate_cell, _row = self.execution_cells
        clauses: list[str] = []
        comments: list[str] = []
        cells: dict[str, Cell] = {}
        if score_cell is not None and score_cell.text:
            score, note = self._score(score_cell)
            if score is not None:
                clauses.append(f"score {_n(score)}")
            elif parse_number(score_cell.text) is None:  # printed but unreadable: PR302 can still bound the total
                clauses.append("score ?")
            if note:
                comments.append(note)
        if review_cell is not None and review_cell.text:
            review = review_of(review_cell)
            if review is not None:
                self.use(review_cell)
                clauses.append(f"review {_n(review)}")
                cells["review"] = review_cell
            elif unreadable(review_cell):  # printed but no number: its cell is kept as a comment too
                clauses.append("review ?")
        if rate_cell is not None and rate_cell.text:
            clause, comment = self._rate_clause(rate_cell)
            if clause is not None:
                clauses.append(clause)
                cells["rate"] = rate_cell
            if comment:
                comments.append(comment)
        return ("预算执行率 " + " ".join(clauses) if clauses else ""), comments, cells

    # ------------------------------------------------------------ indicators

    def _section_name(self, label: str, children: dict[str, list[IndicatorRow]],
                      rows: list[IndicatorRow] | None = None) -> tuple[str, str]:
        written = name_text(label) or "绩效指标"
        comment = ""
        if written != label.strip():
            comment = f"  # 名称原文「{comment_text(label)}」"
        for row in rows or [r for rs in children.values() for r in rs]:
            self.use(*row.uppers)
        return quote(written), comment

    def _names(self, groups: dict[str, dict[str, list[IndicatorRow]]]) -> None:
        """A name for each row, unique in the whole form (actuals name rows without their groups)."""
        seen: dict[str, int] = {name: 1 for name in FACT_NAMES}
        sections = {name_text(level1) for level1 in groups} | {name_text(level2) for c in groups.values() for level2 in c}
        for children in groups.values():
            for rows in children.values():
                for row in rows:
                    if row is self._formula_row():
                        self.names[id(row)] = "预算执行率"
                        continue
                    name = name_text(row.name.text) or row.name.address
                    seen[name] = seen.get(name, 0) + 1
                    unique = seen[name] == 1 and name not in sections
                    self.names[id(row)] = name if unique else f"{name}（{row.name.address}）"

    def _indicators(self, rows: list[IndicatorRow], depth: str) -> None:
        for row in rows:
            if row is self._formula_row():
                line, notes = self._execution_line(depth)
                self.lines.append(line + _comment(notes))
                self.execution_line = len(self.lines)
                self.rows[len(self.lines)] = row.name
                self.scores[len(self.lines)] = row.score
                continue
            self.use(row.name, row.seq, *row.uppers)
            name = quote(self.names[id(row)])
            comments: list[str] = []
            if name_text(row.name.text) != row.name.text.strip():
                comments.append(self.problem(row.name, "名称含换行或控制字符，已换为空格", "名称"))
            weight = self._row_weight(row, comments)
            middle = self._target(row, comments)
            inferred = " inferred" if row.inferred else ""  # `weight 10 inferred`: the form printed no weight
            self.lines.append(f"{depth}{name} {middle} weight {_n(weight)}{inferred}" + _comment(comments))
            self.rows[len(self.lines)] = row.name
            self.scores[len(self.lines)] = row.score
            review = parse_number(row.review.text) if row.review.text else None
            if review is not None and review >= 0:  # written `review N` in the actuals: its findings go to this cell
                self.reviews[len(self.lines)] = row.review

    def _row_weight(self, row: IndicatorRow, comments: list[str]) -> Decimal:
        if row.inferred:
            self.findings.append(Finding.make("PR024", self.span(row.name), key="PR024.inferred", cell=row.name.address,
                                              text=_short(row.name.text), reason=row.inferred))
            comments.append(f"分值为推断值：{row.inferred}")
            return _weight(row)
        weight = parse_number(row.weight.text) if row.weight.text else None
        if weight is None:
            comments.append(self.problem(row.weight, "分值不是数字，按 0 分计", "分值") if row.weight.text else
                            "分值为空，按 0 分计")
            return Decimal(0)
        if weight < 0:
            comments.append(self.problem(row.weight, "分值为负数，按 0 分计", "分值"))
            return Decimal(0)
        self.use(row.weight)
        return weight

    def _target(self, row: IndicatorRow, comments: list[str]) -> str:
        """The target as the rule file writes it, with the 指标性质 and 度量单位 columns applied."""
        direction = None
        if row.direction.text:
            direction = parse_direction(row.direction.text)
            if direction is None:
                comments.append(self.problem(row.direction, "指标性质（比较符）无法识别", "指标性质"))
        unit_column = None
        if row.unit.text:
            unit_column = _unit_cell(row.unit.text)
            if unit_column is None:
                comments.append(self.problem(row.unit, "度量单位无法识别", "度量单位"))
        middle, unit_written, comparator = self._middle(row, comments, direction, unit_column)
        if direction is not None:  # written as the comparator, or kept beside the row
            if direction in (comparator, "") or (direction == "qualitative" and comparator is None):
                self.use(row.direction)
            elif _key(row.direction) not in self.kept:
                comments.append(self.note(row.direction, "指标性质"))
        if unit_column is not None:
            if unit_column == unit_written:
                self.use(row.unit)
            elif _key(row.unit) not in self.kept:
                comments.append(self.note(row.unit, "度量单位"))
        return middle

    def _middle(self, row: IndicatorRow, comments: list[str], direction: str | None,
                unit_column: str | None) -> tuple[str, str | None, str | None]:
        """The target's text in the rule file, the unit written and the comparator written."""
        window = parse_date_range(row.target.text)
        if window is not None:  # 「2023年10月-12月」: `in 2023-10 ~ 2023-12`, the actual a date
            self.targets[id(row)] = window
            self.use(row.target)
            return f"in {window.date}", None, window.comparator
        deadline = parse_date_target(row.target.text)
        if deadline is not None:
            return self._deadline(row, deadline, comments, direction), None, deadline.comparator
        target = parse_target(row.target.text)
        actual = parse_target(row.actual.text) if row.actual.text else None
        if target is not None and target.number is not None:
            if not target.unit and unit_column:
                target = Target(target.comparator, target.number, unit_column, target.text, target.explicit)
            elif target.unit and unit_column and target.unit != unit_column and not _compatible(target.unit, unit_column):
                comments.append(self.problem(row.unit, f"与指标值的单位 {target.unit} 不同，按指标值", "度量单位"))
            if not target.unit and actual and actual.unit:  # 「≥95」 with 「98%」
                target = Target(target.comparator, target.number, actual.unit, target.text, target.explicit)
            if direction in (">=", "<=", "=", ">", "<"):
                if not target.explicit:
                    target = Target(direction, target.number, target.unit, target.text, True)
                elif direction != target.comparator:
                    comments.append(self.problem(row.direction, f"与指标值「{_short(row.target.text)}」中的比较符不同，按指标值",
                                                 "指标性质"))
        self.targets[id(row)] = target
        if not row.target.text.strip():
            self.targets[id(row)] = Target(None, None, "", "")
            comments.append("指标值为空")
            return "qualitative", None, None
        if target is None:
            comments.append(self.problem(row.target, "指标值无法识别，按定性指标保留原文", "指标值"))
            return f"qualitative {quote_text(row.target.text)}", None, None
        self.use(row.target)
        if target.comparator is None or target.number is None or direction == "qualitative":
            if target.number is not None:  # 定性 printed beside a number: the number kept as the wording
                self.targets[id(row)] = Target(None, None, "", row.target.text)
            return (f"qualitative {quote_text(row.target.text)}" if row.target.text else "qualitative"), None, None
        return f"{target.comparator} {_quantity(target.number, target.unit)}", target.unit, target.comparator

    def _deadline(self, row: IndicatorRow, target: Target, comments: list[str], direction: str | None) -> str:
        """A date target (完成时间 ≤2023年12月31日): `<= 2023-12-31`; a date without a comparator is said to be a guess."""
        if direction in (">=", "<=", "=", ">", "<") and not target.explicit:
            target = Target(direction, None, "", target.text, True, target.date)
        self.targets[id(row)] = target
        self.use(row.target)
        if not target.explicit:
            self.findings.append(Finding.make("PR024", self.span(row.target), key="PR024.deadline",
                                              cell=row.target.address, text=_short(row.target.text), date=target.date))
            comments.append(f"指标值 {row.target.address}「{comment_text(row.target.text)}」没有比较符，按截止日期导入")
        return f"{target.comparator} {target.date}"

    # ------------------------------------------------------------ actuals and expect

    def _review(self, row: IndicatorRow) -> Decimal | None:
        """The row's 复核分 when it is a number (written `review N` and audited like the score), else None (kept as a note)."""
        review = parse_number(row.review.text) if row.review.text else None
        if review is None or review < 0:
            return None
        self.use(row.review)
        return review

    def _row_notes(self, row: IndicatorRow, execution: bool = False, review_used: bool = False) -> list[str]:
        """The cells of a row kept beside it as comments: 复核分, 备注, 评价标准, cells in no known column.

        For the 预算执行率 row of the table (written as the formula) its 指标值, 指标性质, 度量单位 and
        偏差原因 too; its 得分 goes to the actuals.
        """
        notes = []
        kept = [("复核分", row.review)] if not review_used else []
        kept += [("备注", row.remark), ("评价标准", row.standard)]
        if execution:
            kept += [("指标值", row.target), ("指标性质", row.direction), ("度量单位", row.unit), ("偏差原因", row.reason)]
        for label, cell in kept:
            if cell.text:
                notes.append(self.note(cell, label))
        for cell in row.extra:
            if _key(cell) not in self.kept:
                notes.append(self.note(cell))
        return [n for n in notes if n]

    def _actuals(self, execution_score: Cell | None) -> None:
        body: list[tuple[str, list[str], list[str], IndicatorRow | None]] = []
        head, comments, execution_cells = self._execution_note()
        if head or comments:
            body.append((head, comments, [], self._formula_row()))
        for row in self.all_rows:
            value, comments, evidence = self._actual(row)
            extras = []
            if row.score.text:
                score, note = self._score(row.score)
                if score is not None:
                    extras.append(f"score {_n(score)}")
                elif parse_number(row.score.text) is None:  # printed but unreadable: PR302 can still bound the total
                    extras.append("score ?")
                if note:
                    comments.append(note)
            review = self._review(row)
            if review is not None:
                extras.append(f"review {_n(review)}")
            elif unreadable(row.review):  # printed but no number: shown as such, the cell kept beside it
                extras.append("review ?")
            reasons: list[str] = []
            if row.reason.text.strip():
                if row.reason.text.strip() in PLACEHOLDER_REASONS:
                    comments.append(self.note(row.reason, "偏差原因"))
                else:
                    self.use(row.reason)
                    reasons.append(f"reason {quote_text(row.reason.text)}")
            comments += self._row_notes(row, review_used=review is not None)
            name = quote(self.names[id(row)])
            if value is None and not extras and not reasons:
                if comments:  # nothing usable, but the cells are kept as a comment line
                    body.append(("", comments, [], row))
                continue
            shown = f"= {value}" + (f" {quote_text(evidence)}" if evidence else "") if value else ""
            head = " ".join(c for c in (name, shown, " ".join(extras)) if c)
            if value is None and not extras:  # `名称 reason "…"`: a note needs its clause on its own line
                head, reasons = f"{head} {reasons[0]}", []
            body.append((head, comments, reasons, row))
        if not body:
            return
        self.lines.append("actuals {")
        for head, comments, reasons, entry_row in body:
            if head:
                self.lines.append("  " + head + _comment(comments))
            else:
                self.lines.append("  # " + "；".join(comments))
            if head.startswith("预算执行率 ") and (entry_row is None or entry_row is self._formula_row()):
                # the 预算执行率 note: its row's cells (the table's row, or the money block's)
                self.rows[len(self.lines)] = entry_row.name if entry_row is not None else self.form.money["spent"]
                score_cell = entry_row.score if entry_row is not None else execution_score
                if score_cell is not None:
                    self.scores[len(self.lines)] = score_cell
                if "review" in execution_cells:  # PR301.review is said on the formula row's line
                    self.reviews[len(self.lines)] = self.reviews[self.execution_line] = execution_cells["review"]
                if "rate" in execution_cells:  # PR309 is said on the formula row's line: its cell is the rate's too
                    self.rates[len(self.lines)] = self.rates[self.execution_line] = execution_cells["rate"]
            elif entry_row is not None:
                self.rows[len(self.lines)] = entry_row.name
                self.scores[len(self.lines)] = entry_row.score
                if " review " in f" {head} ":
                    self.reviews[len(self.lines)] = entry_row.review
            elif execution_score is not None:  # a comment line about the 预算执行率 note: the money block's cells
                self.rows[len(self.lines)] = self.form.money["spent"]
                self.scores[len(self.lines)] = execution_score
            self.lines += [f"    {r}" for r in reasons]
        self.lines += ["}", ""]

    def _score(self, cell: Cell) -> tuple[Decimal | None, str]:
        score = parse_number(cell.text)
        if score is None:
            return None, self.problem(cell, "得分不是数字", "得分")
        if score < 0:
            return None, self.problem(cell, "得分为负数", "得分")
        self.use(cell)
        return score, ""

    def _actual(self, row: IndicatorRow) -> tuple[str | None, list[str], str | None]:
        """The actual as written after `=`, the comments beside it, and the evidence text (佐证) after it."""
        value, comments, evidence = self._value(row)
        column = row.evidence.text.strip()
        if column:  # a 佐证材料 column: the evidence after the actual, or a comment when there is no actual to follow
            if value is None:
                comments.append(self.note(row.evidence, "佐证"))
            else:
                self.use(row.evidence)
                evidence = f"{evidence}；{column}" if evidence else column
        return value, comments, evidence

    def _value(self, row: IndicatorRow) -> tuple[str | None, list[str], str | None]:
        text = row.actual.text.strip()
        target = self.targets.get(id(row))
        qualitative = target is None or target.comparator is None
        if not text:
            return None, [], None
        if row.actual.kind == "formula":
            return None, [self.problem(row.actual, "公式没有保存计算结果（请在 Excel 中重新计算并保存）", "实际完成值")], None
        if qualitative:
            return self._tier(row, text)
        value, comments = self._quantity(row, text, target)
        return value, comments, None

    def _quantity(self, row: IndicatorRow, text: str, target: Target | None) -> tuple[str | None, list[str]]:
        if target is not None and target.date:  # a deadline: the actual is the date it was done
            done = parse_date_target(text)
            self.use(row.actual)
            if done is None or (done.explicit and done.comparator != "="):
                return quote_text(text), [self.problem(row.actual, "实际完成值不是日期，按文字保留（计 0 分）", "实际完成值")]
            return done.date, []
        parsed = parse_target(text)
        if parsed is not None and parsed.number is not None and not parsed.unit and row.unit.text:
            unit = _unit_cell(row.unit.text)
            if unit:
                parsed = Target(parsed.comparator, parsed.number, unit, parsed.text, parsed.explicit)
        self.use(row.actual)
        if parsed is not None and parsed.comparator is not None and parsed.explicit and \
                not re.match(r"^\s*\d", text):  # \d: full-width digits too
            return quote_text(text), []  # 「≥266米」: the target repeated, kept as text for the audit (PR307)
        if parsed is None or parsed.number is None:
            return quote_text(text), [self.problem(row.actual, "实际完成值无法识别为数量，按文字保留（计 0 分）", "实际完成值")]
        unit = parsed.unit
        if unit and target and target.unit and not _compatible(unit, target.unit):
            return quote_text(text), [self.problem(row.actual, f"单位 {unit} 与指标值的单位 {target.unit} 不同",
                                                   "实际完成值")]
        return _quantity(parsed.number, unit), []

    def _tier(self, row: IndicatorRow, text: str) -> tuple[str | None, list[str], str | None]:
        """A qualitative row's tier and rate; a cell that says more than a tier word (「达成，人均补助提高了5%」,
        「人均补助提高了5%，覆盖2216户」) is the row's evidence text, written as printed after the value."""
        weight = _weight(row) if row.inferred or parse_number(row.weight.text) is not None else None
        score = parse_number(row.score.text) if row.score.text else None
        rate = (score / weight) if score is not None and weight else None
        tier = tier_word(text)
        evidence = None
        if tier is None:
            evidence = text
            tier = leading_tier(text)  # 「达成，…」: the tier it begins with
        # the wording kept as written, unless it is the tier word the rule file writes, or the evidence text
        notes = [] if evidence is not None or text == tier else [self.note(row.actual, "实际完成值")]
        self.use(row.actual)
        if tier is None:
            if rate is None or rate < 0:
                notes = [self.problem(row.actual, "定性指标的完成情况无法判断档次，也没有得分", "实际完成值")]
                return None, notes, None
            tier = tier_of(min(rate, Decimal(1)))
        low = tier_range(tier)[0]
        if rate is None or rate < 0 or rate > 1 or not in_tier(tier, rate):
            # no score, or the published score is outside its tier: kept for PR306, the tier at its bound
            return (tier if tier == MET else f"{tier} {_n(low * HUNDRED)}%"), notes, evidence
        return f"{tier} {_n((rate * HUNDRED).quantize(Decimal('0.01')))}%", notes, evidence

    def _expect(self) -> None:
        items: list[tuple[str, list[str], Cell]] = []
        for subtotal in self.form.subtotals:
            comments = []
            for cell in subtotal.cells:
                if cell is not subtotal.score:
                    comments.append(self.note(cell))
            score = parse_number(subtotal.score.text) if subtotal.score.text else None
            section = self.dimensions.get(f"{subtotal.level1}/{subtotal.level2}" if subtotal.level2 else subtotal.level1)
            if score is None or score < 0 or section is None:
                if subtotal.score.text:
                    comments.append(self.note(subtotal.score, "小计得分"))
                self.lines.append("# 小计 " + " ".join(comments))
                continue
            self.use(subtotal.score)
            items.append((f"{section} {_n(score)}", ["小计 " + " ".join(comments)], subtotal.score))
        total = self.form.total_score
        total_comments = [self.note(c) for c in self.form.total_cells if c is not total]
        if total is not None and parse_number(total.text) is not None and (parse_number(total.text) or 0) >= 0:
            self.use(total)
            items.append((f"total {_n(parse_number(total.text))}", ["总分行 " + " ".join(total_comments)]
                          if total_comments else [], total))
        elif total is not None:
            self.lines.append("# 总分行 " + " ".join([*total_comments, self.problem(total, "总分不是数字", "总分")]))
        elif total_comments:
            self.lines.append("# 总分行 " + " ".join(total_comments))
        if not items:
            return
        if len(items) == 1:
            text, comments, cell = items[0]
            self.lines.append(f"expect {{ {text} }}" + _comment(comments))
            self.scores[len(self.lines)] = cell
            return
        self.lines.append("expect {")
        for text, comments, cell in items:
            self.lines.append(f"  {text}" + _comment(comments))
            self.scores[len(self.lines)] = cell
        self.lines.append("}")

    # ------------------------------------------------------------ the output compiles

    def _compiles(self, text: str, source_name: str) -> str:
        """Comment out, with a finding, each line whose statement the compiler rejects, until none is left."""
        from perfrules import pipeline

        lines = text.split("\n")
        for _round in range(MAX_REPAIRS):
            run = pipeline.compile_text("\n".join(lines), source_name)
            bad: dict[int, str] = {}
            for finding in run.findings:
                if finding.severity is Severity.ERROR and finding.span is not None and finding.span.file == source_name:
                    bad.setdefault(finding.span.line, finding.message())
            if not bad and run.plan is not None:
                self.run = run
                return "\n".join(lines)
            fixed = False
            for number, reason in sorted(bad.items()):
                fixed = self._comment_out(lines, number, reason) or fixed
            if not fixed:
                break
        return self._fallback(lines)

    def _comment_out(self, lines: list[str], number: int, reason: str) -> bool:
        index = number - 1
        if not 0 <= index < len(lines):
            return False
        line = lines[index]
        code = line.strip()
        if not code or code.startswith("#"):
            return False
        if code.endswith("{") or code == "}":  # a block line: its block is commented out whole
            return self._comment_block(lines, index, reason)
        cell = self.rows.get(number) or self.scores.get(number) or Cell("", 1, 1, "")
        self.findings.append(Finding.make("PR024", self.span(cell), key="PR024.line", cell=cell.address or "A1",
                                          text=_short(cell.text), reason=_short(reason, 80)))
        indent = line[: len(line) - len(line.lstrip())]
        lines[index] = f"{indent}# 无法写成规则：{comment_text(code)}"
        # a continuation line (`reason …`) belongs to the line above: it goes with it
        follow = index + 1
        while follow < len(lines) and re.match(r"^\s+(reason|score|偏差原因|原因|得分)\b", lines[follow]) and \
                not lines[follow].lstrip().startswith("#"):
            lines[follow] = f"{indent}# {comment_text(lines[follow].strip())}"
            follow += 1
        return True

    def _comment_block(self, lines: list[str], index: int, reason: str) -> bool:
        depth, end = 0, index
        for end in range(index, len(lines)):
            code = lines[end].split("#", 1)[0].strip() if not lines[end].lstrip().startswith("#") else ""
            if code.endswith("{"):
                depth += 1
            elif code == "}" or (code.endswith("}") and "{" not in code):
                depth -= 1
            if depth <= 0:
                break
        cell = self.rows.get(index + 1) or Cell("", 1, 1, "")
        self.findings.append(Finding.make("PR024", self.span(cell), key="PR024.line", cell=cell.address or "A1",
                                          text=_short(cell.text), reason=_short(reason, 80)))
        for at in range(index, end + 1):
            if not lines[at].lstrip().startswith("#") and lines[at].strip():
                lines[at] = "# " + comment_text(lines[at])
        return True

    def _fallback(self, lines: list[str]) -> str:
        """Never expected: every statement but the ruleset as a comment, so the file still compiles."""
        out, inside = [], False
        for line in lines:
            if line.startswith("ruleset "):
                inside = True
            if inside and not line.lstrip().startswith("#") and line.strip():
                out.append("# " + comment_text(line))
            else:
                out.append(line)
        out.append("规则未能导入 qualitative weight 0")
        return "\n".join(out)


# ---------------------------------------------------------------- small helpers


def review_of(cell: Cell | None) -> Decimal | None:
    """A 复核分 cell's number when it is one (written `review N` and audited), else None (kept as a comment)."""
    review = parse_number(cell.text) if cell is not None and cell.text else None
    return review if review is not None and review >= 0 else None


def unreadable(cell: Cell | None) -> bool:
    """A score or 复核分 cell printed with something that is no number (「?」「九分」): `review ?`, not a figure."""
    return cell is not None and bool(cell.text.strip()) and parse_number(cell.text) is None


def _grouped(rows: list[IndicatorRow]) -> dict[str, dict[str, list[IndicatorRow]]]:
    groups: dict[str, dict[str, list[IndicatorRow]]] = {}
    for row in rows:
        groups.setdefault(row.level1.strip(), {}).setdefault(row.level2.strip(), []).append(row)
    return groups


def _weight(row: IndicatorRow) -> Decimal:
    weight = parse_number(row.weight.text) or Decimal(0)
    return weight if weight >= 0 else Decimal(0)


def _unit_cell(text: str) -> str | None:
    """A 度量单位 cell: 「（个）」 is 个; None when it names no unit perfrules can read."""
    unit = read_unit(re.sub(r"[()]", "", unicodedata.normalize("NFKC", text)))
    return unit or None


def _compatible(a: str, b: str) -> bool:
    from perfrules.plan.units import parse_unit

    try:
        return bool(parse_unit(a).compatible(parse_unit(b)))
    except Exception:  # an odd unit the unit table cannot read: not compatible, the text is kept
        return False


def _quantity(number: Decimal, unit: str) -> str:
    return f"{_n(number)}{unit}" if unit in ("%", "‰") else f"{_n(number)} {unit}".strip()


def _n(value: Decimal | None) -> str:
    if value is None:
        return "0"
    text = f"{value.normalize():f}"
    return text


def _comment(parts: list[str]) -> str:
    parts = [p for p in parts if p]
    return "  # " + "；".join(parts) if parts else ""


def _short(text: str, limit: int = 60) -> str:
    one = comment_text(text)
    return one if len(one) <= limit else one[:limit] + "…"


def quote(name: str) -> str:
    """A name as the rule file writes it: bare when it is plain Chinese, quoted otherwise."""
    if re.fullmatch(r"[\u4e00-\u9fff]+", name) and name not in RESERVED:
        return name
    return quote_text(name)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return {"\n": "\\n", "\t": "\\t", "\r": ""}.get(char, f"\\u{ord(char):04x}")


def quote_text(text: str) -> str:
    """Quoted text: line breaks kept as \\n, other control characters as \\uXXXX, quotes and backslashes escaped."""
    body = text.strip().replace("\r\n", "\n").replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _CONTROL.sub(_escape, body) + '"'


def comment_text(text: str) -> str:
    """Text in a comment: on one line, line breaks as \\n, control characters as \\uXXXX."""
    return _CONTROL.sub(_escape, text.strip().replace("\r\n", "\n"))


def name_text(text: str) -> str:
    """A name: line breaks and control characters become spaces, runs of spaces one."""
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()
