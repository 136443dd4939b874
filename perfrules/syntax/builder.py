"""Build AST nodes while lark parses a line (the LALR parser calls these inline).

The common lines never get here: `fastpath` builds the same nodes without lark.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lark import Token, Transformer

from perfrules.findings import Finding, Span
from perfrules.syntax import ast
from perfrules.syntax.fastpath import COMPARATORS, ActualMore, Open, actual_extra, to_expr
from perfrules.syntax.tokens import negative, unquote

__all__ = ["CLAUSE_WORDS", "COMPARATORS", "ActualMore", "Builder", "Open", "to_expr", "unquote"]

CLAUSE_WORDS = {
    "weight": "weight", "cap": "cap", "method": "method", "steps": "steps",
    "deduct": "deduct", "na": "na", "tiers": "tiers", "signed": "signed", "elements": "elements",
    "levels": "levels",
    "rounding": "rounding", "scale": "scale",
}
# An actual line's clauses, by the clause they write: `score 3` and `score ?` are both the row's score (PR005 twice).
CLAUSE_OF_ACTUAL = {"score_unreadable": "score", "review_unreadable": "review"}


class Builder(Transformer[Token, Any]):
    """Turns one line's parse into AST nodes. `file`, `line` and `line_span` are set per line."""

    def __init__(self) -> None:
        super().__init__()
        self.file = "<text>"
        self.line = 1
        self.line_span = Span(self.file, 1, 1, 1, 1)
        self.findings: list[Finding] = []

    # ------------------------------------------------------------ helpers

    def span(self, token: Token) -> Span:
        return Span(self.file, self.line, token.column or 1, self.line, token.end_column or 1)

    def join(self, first: Span, last: Span) -> Span:
        return Span(self.file, self.line, first.column, self.line, last.end_column)

    # ------------------------------------------------------------ start rules

    def _first(self, children: list[Any]) -> Any:
        return children[0]

    top_line = section_line = facts_line = value_line = _first

    def meta_line(self, children: list[Any]) -> tuple[Any, ...]:
        return tuple(children)

    grades_line = expect_line = meta_line

    def policy_line(self, children: list[Any]) -> Any:
        return children[0]

    history_line = policy_line

    def actuals_line(self, children: list[Any]) -> Any:
        return children[0]

    def actual_more(self, children: list[Any]) -> ActualMore:
        reason, score, extra = self._actual_clauses(children)
        return ActualMore(reason, score, self.line_span, extra)

    # ------------------------------------------------------------ names and values

    def name(self, children: list[Token]) -> ast.Name:
        token = children[0]
        if token.type == "STRING":
            return ast.Name(unquote(token), self.span(token), quoted=True)
        return ast.Name(str(token), self.span(token))

    def unit(self, children: list[Token]) -> tuple[str, Span]:
        text = "/".join(str(t) for t in children)
        return text, self.join(self.span(children[0]), self.span(children[-1]))

    def quantity(self, children: list[Any]) -> ast.Quantity:
        number = children[0]
        span = self.span(number)
        unit = None
        if len(children) > 1:
            unit, unit_span = children[1]
            span = self.join(span, unit_span)
        return ast.Quantity(Decimal(str(number)), unit, span)

    def date(self, children: list[Token]) -> ast.Quantity:
        token = children[0]
        return ast.Quantity(Decimal(0), ast.DATE_UNIT, self.span(token), date=str(token))

    def cmp(self, children: list[Any]) -> str:
        item = children[0]
        return item if isinstance(item, str) and not isinstance(item, Token) else COMPARATORS[item.type]

    def cmp_noeq(self, children: list[Token]) -> str:
        return COMPARATORS[children[0].type]

    # ------------------------------------------------------------ expressions

    def ref(self, children: list[ast.Name]) -> ast.Ref:
        return ast.Ref(children[0])

    def _binop(op: str) -> Any:  # type: ignore[misc]
        def build(self: Builder, children: list[Any]) -> ast.BinOp:
            left, right = (to_expr(c) for c in children)
            return ast.BinOp(op, left, right, self.join(left.span, right.span))

        return build

    add = _binop("+")
    sub = _binop("-")
    mul = _binop("*")
    div = _binop("/")

    def neg(self, children: list[Any]) -> ast.Neg:
        operand = to_expr(children[0])
        return ast.Neg(operand, operand.span)

    # ------------------------------------------------------------ clauses

    def weight(self, c: list[Token]) -> tuple[str, Any, Span]:
        value = Decimal(str(c[1]))
        if len(c) > 2:  # `weight 10 inferred`
            return ("weight", (value, False, True), self.join(self.span(c[0]), self.span(c[2])))
        return ("weight", value, self.join(self.span(c[0]), self.span(c[1])))

    def weight_percent(self, c: list[Token]) -> tuple[str, Any, Span]:
        return ("weight", (Decimal(str(c[1])), True, len(c) > 3), self.join(self.span(c[0]), self.span(c[-1])))

    def rounding(self, c: list[Token]) -> tuple[str, Any, Span]:
        mode = str(c[2]) if len(c) > 2 else None
        return ("rounding", (int(Decimal(str(c[1]))), mode), self.join(self.span(c[0]), self.span(c[-1])))

    def cap(self, c: list[Any]) -> tuple[str, Any, Span]:
        return ("cap", c[1], self.join(self.span(c[0]), c[1].span))

    def method(self, c: list[Token]) -> tuple[str, Any, Span]:
        return ("method", ast.Name(str(c[1]), self.span(c[1])), self.join(self.span(c[0]), self.span(c[1])))

    def step(self, c: list[ast.Quantity]) -> ast.Step:
        return ast.Step(c[0], c[1])

    def steps(self, c: list[Any]) -> tuple[str, Any, Span]:
        steps = tuple(x for x in c if isinstance(x, ast.Step))
        otherwise = c[-1] if isinstance(c[-1], ast.Quantity) else None
        end = otherwise.span if otherwise else steps[-1].award.span
        on_actual = isinstance(c[1], Token) and c[1].type == "ACTUAL"  # `steps actual 90%:100% …`
        return ("steps", (steps, otherwise, on_actual), self.join(self.span(c[0]), end))

    # A deduction's value: (points, per difference, the `per` word as written); `clauses` splits off the word.

    def deduct(self, c: list[Any]) -> tuple[str, Any, Span]:
        return ("deduct", (Decimal(str(c[1])), c[3], self._word(c[2])), self.join(self.span(c[0]), c[3].span))

    def deduct_unit(self, c: list[Any]) -> tuple[str, Any, Span]:
        unit, unit_span = c[3]  # `per 天`: one of the unit
        return ("deduct", (Decimal(str(c[1])), ast.Quantity(Decimal(1), unit, unit_span), self._word(c[2])),
                self.join(self.span(c[0]), unit_span))

    def deduct_printed(self, c: list[Any]) -> tuple[str, Any, Span]:
        """`每少 1 处 扣 1`: the deduction in the order tables print it, the same clause as `扣 1 每少 1 处`."""
        return ("deduct", (Decimal(str(c[3])), c[1], self._word(c[0])), self.join(self.span(c[0]), self.span(c[3])))

    def deduct_printed_unit(self, c: list[Any]) -> tuple[str, Any, Span]:
        unit, unit_span = c[1]
        return ("deduct", (Decimal(str(c[3])), ast.Quantity(Decimal(1), unit, unit_span), self._word(c[0])),
                self.join(self.span(c[0]), self.span(c[3])))

    def _word(self, token: Token) -> ast.Name:
        return ast.Name(str(token), self.span(token))

    def element(self, c: list[Token]) -> ast.Element:
        number = c[1]
        unit = str(c[2]) if len(c) > 2 else None
        span = self.join(self.span(number), self.span(c[-1]))
        return ast.Element(ast.Name(str(c[0]), self.span(c[0])), ast.Quantity(Decimal(str(number)), unit, span))

    def elements(self, c: list[Any]) -> tuple[str, Any, Span]:
        items = tuple(x for x in c if isinstance(x, ast.Element))
        return ("elements", items, self.join(self.span(c[0]), items[-1].share.span))

    def levels(self, c: list[Any]) -> tuple[str, Any, Span]:
        items = tuple(x for x in c if isinstance(x, ast.Element))
        return ("levels", items, self.join(self.span(c[0]), items[-1].share.span))

    def na(self, c: list[Token]) -> tuple[str, Any, Span]:
        return ("na", True, self.span(c[0]))

    def signed(self, c: list[Token]) -> tuple[str, Any, Span]:
        return ("signed", True, self.span(c[0]))

    def tiers(self, c: list[Any]) -> tuple[str, Any, Span]:
        return ("tiers", (c[1], c[2]), self.join(self.span(c[0]), c[2].span))

    def clauses(self, items: list[Any]) -> ast.Clauses:
        values: dict[str, Any] = {}
        spans: list[tuple[str, Span]] = []
        for item in items:
            if not (isinstance(item, tuple) and len(item) == 3 and item[0] in CLAUSE_WORDS):
                continue
            key, value, span = item
            if key in values:
                self.findings.append(Finding.make("PR005", span, clause=key))
                continue
            values[key] = value
            spans.append((key, span))
        steps, otherwise, on_actual = values.pop("steps", ((), None, False))
        if "deduct" in values:  # (points, per, word): the word is a field of its own
            points, per, values["deduct_word"] = values["deduct"]
            values["deduct"] = (points, per)
        if isinstance(values.get("weight"), tuple):  # `weight 20%`, `weight 10 inferred`
            values["weight"], values["weight_percent"], values["weight_inferred"] = values["weight"]
        return ast.Clauses(**values, steps=steps, steps_otherwise=otherwise, spans=tuple(spans), steps_actual=on_actual)

    # ------------------------------------------------------------ indicators

    def ind_compare(self, c: list[Any]) -> ast.Indicator:
        name, comparator, target, *rest = c
        return ast.Indicator(name, comparator, target, None, None, False, None, self.clauses(rest), self.line_span)

    def ind_equals(self, c: list[Any]) -> ast.Indicator:
        name, _eq, expr, *rest = c
        if rest and isinstance(rest[0], str) and rest[0] in COMPARATORS.values():
            comparator, target, *rest = rest
            return ast.Indicator(name, comparator, target, None, to_expr(expr), False, None,
                                 self.clauses(rest), self.line_span)
        if isinstance(expr, ast.Quantity):
            return ast.Indicator(name, "=", expr, None, None, False, None, self.clauses(rest), self.line_span)
        return ast.Indicator(name, None, None, None, to_expr(expr), False, None, self.clauses(rest), self.line_span)

    def ind_range(self, c: list[Any]) -> ast.Indicator:
        name, _in, low, high, *rest = c
        return ast.Indicator(name, "in", low, high, None, False, None, self.clauses(rest), self.line_span)

    def ind_elements(self, c: list[Any]) -> ast.Indicator:
        return self._rated(c, "elements")

    def ind_levels(self, c: list[Any]) -> ast.Indicator:
        return self._rated(c, "levels")

    def _rated(self, c: list[Any], clause_word: str) -> ast.Indicator:
        """A qualitative row written with its rating first: `制度健全性 elements ①:40% …`, `立项 levels 优:100% …`."""
        name, keyword, *rest = c
        items = tuple(x for x in rest if isinstance(x, ast.Element))
        others = [x for x in rest if not isinstance(x, ast.Element)]
        clause = (clause_word, items, self.join(self.span(keyword), items[-1].share.span))
        return ast.Indicator(name, None, None, None, None, True, None, self.clauses([clause, *others]),
                             self.line_span)

    def ind_scale(self, c: list[Any]) -> ast.Indicator:
        name, keyword, scale, *rest = c
        clause = ("scale", scale, self.join(self.span(keyword), scale.span))
        return ast.Indicator(name, None, None, None, None, False, None, self.clauses([clause, *rest]), self.line_span)

    def ind_qualitative(self, c: list[Any]) -> ast.Indicator:
        name, _q, *rest = c
        text = None
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            text = unquote(rest.pop(0))
        return ast.Indicator(name, None, None, None, None, True, text, self.clauses(rest), self.line_span)

    # ------------------------------------------------------------ blocks

    def section_open(self, c: list[Any]) -> Open:
        keyword, name, *rest = c
        kind = "dimension" if keyword.type == "DIMENSION" else "group"
        return Open(kind, name, self.clauses(rest[:-1]), (), False, self.line_span)

    def _block(kind: str) -> Any:  # type: ignore[misc]
        def build(self: Builder, c: list[Any]) -> Open:
            closed = isinstance(c[-1], Token) and c[-1].type == "RBRACE"
            items = tuple(x for x in c if not isinstance(x, Token))
            name = None
            if kind == "ruleset":
                name, items = items[0], items[1:]
            return Open(kind, name, ast.Clauses(), items, closed, self.line_span)

        return build

    ruleset_open = _block("ruleset")
    grades_open = _block("grades")
    facts_open = _block("facts")
    actuals_open = _block("actuals")
    expect_open = _block("expect")
    policy_open = _block("policy")
    history_open = _block("history")

    def use_stmt(self, c: list[Any]) -> ast.Use:
        target = c[1]
        path = unquote(target) if isinstance(target, Token) else target
        return ast.Use(path, self.line_span)

    def path(self, c: list[Token]) -> str:
        return "/".join(str(t) for t in c)

    # ------------------------------------------------------------ metadata, grades, policy

    def meta_year(self, c: list[Token]) -> tuple[str, Any]:
        return ("year", int(Decimal(str(c[1]))))

    def meta_kind(self, c: list[Token]) -> tuple[str, Any]:
        return ("kind", ast.Name(str(c[1]), self.span(c[1])))

    def meta_rounding(self, c: list[Token]) -> tuple[str, Any]:
        mode = str(c[2]) if len(c) > 2 else None
        return ("rounding", (int(Decimal(str(c[1]))), mode))

    def meta_total(self, c: list[Token]) -> tuple[str, Any]:
        return ("total", Decimal(str(c[1])))

    def meta_tiers(self, c: list[Any]) -> tuple[str, Any]:
        return ("tiers", (c[1], c[2]))

    def band(self, c: list[Any]) -> ast.Band:
        name, comparator, threshold = c
        span = self.join(self.span(name), self.span(threshold))
        return ast.Band(ast.Name(str(name), self.span(name)), comparator, Decimal(str(threshold)), span)

    def band_otherwise(self, c: list[Token]) -> ast.Band:
        return ast.Band(ast.Name(str(c[0]), self.span(c[0])), None, None, self.join(self.span(c[0]), self.span(c[1])))

    def policy_item(self, c: list[Any]) -> ast.PolicyItem:
        key = ast.Name(str(c[0]), self.span(c[0]))
        value = c[1]
        if isinstance(value, Token):
            value = unquote(value) if value.type == "STRING" else ast.Name(str(value), self.span(value))
        return ast.PolicyItem(key, value, self.line_span)

    # ------------------------------------------------------------ facts, checks

    def fact_value(self, c: list[Any]) -> ast.Fact:
        return ast.Fact(c[0], to_expr(c[2]), None, self.line_span)

    def fact_decl(self, c: list[Any]) -> ast.Fact:
        return ast.Fact(c[0], None, c[1][0], self.line_span)

    def check_severity(self, c: list[Token]) -> tuple[str, Any]:
        return ("severity", ast.Name(str(c[1]), self.span(c[1])))

    def check_tolerance(self, c: list[Any]) -> tuple[str, Any]:
        return ("tolerance", c[1])

    def check_stmt(self, c: list[Any]) -> ast.Check:
        rest = c[1:]
        label = None
        if isinstance(rest[0], ast.Name):
            label = rest.pop(0)
        left, comparator, right, *options = rest
        opts = dict(options)
        return ast.Check(label, to_expr(left), comparator, to_expr(right),
                         opts.get("severity"), opts.get("tolerance"), self.line_span)

    # ------------------------------------------------------------ actuals, expect

    def value_quantity(self, c: list[ast.Quantity]) -> ast.ActualValue:
        return ast.ActualValue("quantity", quantity=c[0], span=c[0].span)

    def value_negative(self, c: list[Any]) -> ast.ActualValue:
        number = c[0]
        span = self.span(number)
        unit = None
        if len(c) > 1:
            unit, unit_span = c[1]
            span = self.join(span, unit_span)
        quantity = ast.Quantity(negative(str(number)), unit, span)
        return ast.ActualValue("quantity", quantity=quantity, span=span)

    def value_tier(self, c: list[Any]) -> ast.ActualValue:
        tier = c[0]
        rate = c[1] if len(c) > 1 else None
        span = self.join(self.span(tier), rate.span) if rate else self.span(tier)
        return ast.ActualValue("tier", quantity=rate, tier=str(tier), span=span)

    def value_na(self, c: list[Token]) -> ast.ActualValue:
        return ast.ActualValue("na", span=self.span(c[0]))

    def value_date(self, c: list[ast.Quantity]) -> ast.ActualValue:
        return ast.ActualValue("quantity", quantity=c[0], span=c[0].span)

    def value_elements(self, c: list[Token]) -> ast.ActualValue:
        names = tuple(ast.Name(str(t), self.span(t)) for t in c[1:])
        span = self.join(self.span(c[0]), names[-1].span) if names else self.span(c[0])
        return ast.ActualValue("elements", span=span, elements=names)

    def value_level(self, c: list[Token]) -> ast.ActualValue:
        return ast.ActualValue("level", text=str(c[0]), span=self.span(c[0]))

    def value_text(self, c: list[Token]) -> ast.ActualValue:
        return ast.ActualValue("text", text=unquote(c[0]), span=self.span(c[0]))

    def reason(self, c: list[Token]) -> tuple[str, Any]:
        return ("reason", unquote(c[1]))

    def published_score(self, c: list[Token]) -> tuple[str, Any]:
        return ("score", Decimal(str(c[1])))

    def published_unreadable(self, c: list[Token]) -> tuple[str, Any]:
        return ("score_unreadable", True)

    def review_score(self, c: list[Token]) -> tuple[str, Any]:
        return ("review", Decimal(str(c[1])))

    def review_unreadable(self, c: list[Token]) -> tuple[str, Any]:
        return ("review_unreadable", True)

    def printed_rate(self, c: list[Any]) -> tuple[str, Any]:
        return ("rate", c[1])

    def keyword_name(self, c: list[Token]) -> ast.Name:
        return ast.Name(str(c[0]), self.span(c[0]))

    def _actual_clauses(self, items: list[Any],
                        evidence: str | None = None) -> tuple[str | None, Decimal | None, ast.ActualExtra | None]:
        found: dict[str, Any] = {}
        for key, value in (x for x in items if isinstance(x, tuple)):
            clause = CLAUSE_OF_ACTUAL.get(key, key)  # `score 3` and `score ?` are the same clause
            if any(CLAUSE_OF_ACTUAL.get(k, k) == clause for k in found):
                self.findings.append(Finding.make("PR005", self.line_span, clause=clause))
                continue
            found[key] = value
        return found.get("reason"), found.get("score"), actual_extra(found, evidence)

    def actual(self, c: list[Any]) -> ast.Actual:
        name, _eq, value, *rest = c
        evidence = None
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            evidence = unquote(rest.pop(0))
        reason, score, extra = self._actual_clauses(rest, evidence)
        return ast.Actual(name, value, reason, score, self.line_span, extra)

    def actual_note(self, c: list[Any]) -> ast.Actual:
        name, *rest = c
        reason, score, extra = self._actual_clauses(rest)
        return ast.Actual(name, None, reason, score, self.line_span, extra)

    def expect_score(self, c: list[Any]) -> ast.ExpectItem:
        return ast.ExpectItem(c[0].text, Decimal(str(c[1])), self.join(c[0].span, self.span(c[1])))

    def expect_total(self, c: list[Token]) -> ast.ExpectItem:
        return ast.ExpectItem("total", Decimal(str(c[1])), self.join(self.span(c[0]), self.span(c[1])))

    def expect_review(self, c: list[Token]) -> ast.ExpectItem:
        return ast.ExpectItem("review", Decimal(str(c[1])), self.join(self.span(c[0]), self.span(c[1])))

    def expect_grade(self, c: list[Token]) -> ast.ExpectItem:
        return ast.ExpectItem("grade", str(c[1]), self.join(self.span(c[0]), self.span(c[1])))

    def expect_grade_text(self, c: list[Token]) -> ast.ExpectItem:
        return ast.ExpectItem("grade", unquote(str(c[1])), self.join(self.span(c[0]), self.span(c[1])), True)

    # ------------------------------------------------------------ history

    def history_ref(self, c: list[Any]) -> str:
        item = c[0]
        return unquote(item) if isinstance(item, Token) else str(item)

    def history_indicator(self, c: list[Any]) -> ast.HistoryItem:
        year, ref, comparator, target, *rest = c
        actual = rest[1] if len(rest) == 2 else None
        return ast.HistoryItem(int(Decimal(str(year))), ref, comparator, target, actual, self.line_span)

    def history_budget(self, c: list[Any]) -> ast.HistoryItem:
        year, _keyword, amount = c
        return ast.HistoryItem(int(Decimal(str(year))), None, None, amount, None, self.line_span)
