from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.display import plain
from perfrules.findings import Finding, Severity
from perfrules.messages import Said
from perfrules.vocabulary import METHOD_NAMES


class PublishedScoreWrong(Check):
    """公布的行得分与该行的计分规则不符。

    按指标自己的规则重算得分：反向指标 ≤5300 元/户、实际 5830 元/户，按比例法只能得 10 × 5300/5830 = 9.09 分，
    公布 10 分就是错的。复核分（`review`，财政审核评分）同样核对，问题中写明是自评得分还是复核分不符。
    定性指标的得分由 PR306 检查。完成了目标的行公布得分低于满分、并用 reason 写明了扣分理由（PR304 的正例）时，
    这是评价人有理由的酌情扣分：只作为提示列出，不算错误。公布得分或复核分超过该行的分值（分值 10 的行得 15 分）是不可能的分数，
    任何指标都单独报告，写明公布的分数和分值。实际值是文字（「已完成」「≥266米」，PR023）或缺失（PR021）的定量行，
    perfrules 按 0 分计，这不是按规则重算的得分：这样的行写了公布得分或复核分时报警告（PR301.text、PR301.missing），
    说明分数无法核对、该行的规则和原文，而不是报「应得 0 分」。

    **反例 Anti-pattern**

    ```perf
    户均费用 <= 5300 元/户 weight 10
    actuals {
      户均费用 = 5830 元/户 score 10
    }
    ```

    **正例 Best practice**

    ```perf
    户均费用 <= 5300 元/户 weight 10
    actuals {
      户均费用 = 5830 元/户 score 9.09
    }
    ```
    """

    code = "PR301"
    severity = Severity.ERROR
    title = "公布的行得分与规则不符"
    title_en = "a published row score that the row's rule does not give"
    reads_scores = True  # the published score or review is what it checks
    messages = {
        "PR301": (
            "{name} 公布得分 {published}，按规则（{method}）应得 {computed}",
            "{name}: published score {published}, but its rule ({method}) gives {computed}",
        ),
        "PR301.review": (
            "{name} 复核分 {published}，按规则（{method}）应得 {computed}",
            "{name}: review score {published}, but its rule ({method}) gives {computed}",
        ),
        "PR301.deducted": (
            "{name} 已完成目标，按规则（{method}）应得 {computed}，公布得分 {published}：酌情扣分，理由「{reason}」",
            "{name} met its target and its rule ({method}) gives {computed}; published {published}, a deduction "
            "for the reason given: {reason}",
        ),
        "PR301.over": (
            "{name} 公布得分 {published} 超过该行的分值 {weight}：这一行最多得 {weight} 分",
            "{name}: published score {published} exceeds the row's weight {weight}: the row scores at most {weight}",
        ),
        "PR301.review_over": (
            "{name} 复核分 {published} 超过该行的分值 {weight}：这一行最多得 {weight} 分",
            "{name}: review score {published} exceeds the row's weight {weight}: the row scores at most {weight}",
        ),
        # a row without a usable actual: perfrules scores it 0, which is no recomputation to hold a score against
        "PR301.text": (
            "{name} 公布得分 {published} 无法按规则（{method}）核对：实际值是文字「{actual}」，不是数量，perfrules 按 0 分计",
            "{name}: the published score {published} cannot be checked by its rule ({method}): the actual is the text "
            "{actual}, not a quantity, and perfrules scores it 0",
        ),
        "PR301.review_text": (
            "{name} 复核分 {published} 无法按规则（{method}）核对：实际值是文字「{actual}」，不是数量，perfrules 按 0 分计",
            "{name}: the review score {published} cannot be checked by its rule ({method}): the actual is the text "
            "{actual}, not a quantity, and perfrules scores it 0",
        ),
        "PR301.missing": (
            "{name} 公布得分 {published} 无法按规则（{method}）核对：没有实际值，perfrules 按 0 分计",
            "{name}: the published score {published} cannot be checked by its rule ({method}): there is no actual, "
            "and perfrules scores it 0",
        ),
        "PR301.review_missing": (
            "{name} 复核分 {published} 无法按规则（{method}）核对：没有实际值，perfrules 按 0 分计",
            "{name}: the review score {published} cannot be checked by its rule ({method}): there is no actual, "
            "and perfrules scores it 0",
        ),
    }
    hints = {
        "PR301": (
            "按该行的计分规则改正公布得分，或核对实际值与目标",
            "correct the published score by the row's rule, or check its actual and target",
        ),
        "PR301.review": (
            "按该行的计分规则核对复核分，或核对实际值与目标",
            "check the review score against the row's rule, or check its actual and target",
        ),
        "PR301.deducted": (
            "请复核扣分理由是否成立；不成立则改为按规则的得分",
            "check that the reason holds; if not, score it by the rule",
        ),
        "PR301.over": ("核对公布得分和该行的分值（weight）：得分不能超过分值", "check the score and the row's weight: a score cannot exceed it"),
        "PR301.review_over": ("核对复核分和该行的分值（weight）：得分不能超过分值",
                              "check the review score and the row's weight: a score cannot exceed it"),
        **dict.fromkeys(("PR301.text", "PR301.review_text"), (
            "把实际值写成带单位的数量（如 12 人），perfrules 才能按该行的规则重算并核对这个分数",
            "write the actual as a quantity with its unit (12 人): then the row is recomputed by its rule and the "
            "score checked")),
        **dict.fromkeys(("PR301.missing", "PR301.review_missing"), (
            "补上该行的实际值，perfrules 才能按该行的规则重算并核对这个分数",
            "give the row its actual: then it is recomputed by its rule and the score checked")),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        yield from self._unchecked(ctx)
        for ind in ctx.scored():
            # a score the rule fixes
            ruled = ind.kind in ("quantitative", "date", "scale") or ind.method in ("elements", "levels")
            for key, given in (("PR301", ind.published), ("PR301.review", ind.review)):  # self-score, review score
                if given is None:
                    continue
                if given > ind.weight:  # impossible whatever the rule: said on its own, with both figures
                    yield self.finding(ctx, ind.span, key="PR301.over" if key == "PR301" else "PR301.review_over",
                                       name=ind.name, published=given, weight=plain(ind.weight))
                elif not ruled or ind.score is None or given == ind.score:
                    continue
                elif key == "PR301" and ind.met and ind.reason and given < ind.score == ind.weight:
                    yield self.finding(ctx, ind.span, key="PR301.deducted", severity=Severity.INFO, name=ind.name,
                                       published=given, computed=ind.score, method=_method(ind.method),
                                       reason=ind.reason)  # an explained deduction
                else:
                    yield self.finding(ctx, ind.span, key=key, name=ind.name, published=given, computed=ind.score,
                                       method=_method(ind.method))

    def _unchecked(self, ctx: Context) -> Iterator[Finding]:
        """A published or review score on a row a rule fixes but whose actual is text or missing: it cannot be held
        against the rule (perfrules scores such a row 0 without computing anything), and a reviewer is told so,
        with the row's rule and the text; a score above the row's weight is impossible all the same."""
        if ctx.result is None:
            return
        for ind in ctx.result.all_indicators:
            if ind.status not in ("text", "missing") or ind.kind not in ("quantitative", "date", "scale"):
                continue
            for review, given in ((False, ind.published), (True, ind.review)):
                if given is None:
                    continue
                prefix = "PR301.review_" if review else "PR301."
                if given > ind.weight:
                    yield self.finding(ctx, ind.span, key=prefix + "over", name=ind.name, published=given,
                                       weight=plain(ind.weight))
                    continue
                key = prefix + ind.status
                yield self.finding(ctx, ind.span, key=key, severity=Severity.WARNING, name=ind.name,
                                   published=given, method=_method(ind.method), actual=ind.actual_text)


def _method(method: str) -> Said:
    """The row's scoring method as the message names it (比例法 / ratio), from perfrules.vocabulary."""
    zh, en = METHOD_NAMES.get(method, (method, method))
    return Said(zh, en)
