"""五（二）and 六: the problems the findings show and the suggestions they call for, written for the reader.

A problem is one sentence per finding, in the report's words (never a check's raw message nor a keyword of
the language), saying what the row is: a missed quantity, a rate, a row rated below its best level, a checklist
lacking elements, a late date, a limit exceeded. The 偏差原因 the rule file gives for the row follows its first
problem, attributed to it. A suggestion follows the row's kind, its 一级指标 and what went wrong; rows that call
for the same suggestion share one sentence, so that 六 stays short. Nothing is said that the findings and the
rows do not hold. A code without a sentence of its own says its message (and its hint as the suggestion).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from perfrules.display import EXPECT_LABELS, compact, figure_percent
from perfrules.findings import Finding, Span
from perfrules.plan.model import Indicator, Plan
from perfrules.report import sentences
from perfrules.report.figures import target_text
from perfrules.scoring.result import IndicatorResult, Result

Args = dict[str, str]


NUMBERS = ("rate", "actual", "left", "right", "product", "cost", "budget", "time", "progress", "published", "computed",
           "summed", "weight", "expected", "total", "low", "high", "printed")
REVERSE = ("<=", "<")
# `expect` labels as the checks say them (总分 total) and as a reader says them (总分).
EXPECT_WORDS = {pair[0]: pair[0].split()[0] for pair in EXPECT_LABELS.values()}


def _args(finding: Finding) -> Args:
    """The finding's values in the report's number style; a target of ≥ 100% on a rate reads 100%, as in 四."""
    out = {k: compact(str(v)) if k in NUMBERS else str(v) for k, v in finding.args}
    if "target" in out:
        out["target"] = target_text(out["target"], "%" if out["target"].endswith("%") else "")
    if "name" in out and finding.code == "PR308":  # an expect line: 总分, or the section's own name
        name = out["name"]
        out["name"] = EXPECT_WORDS.get(name, name.split("/")[-1])
    return out


PROBLEMS: dict[str, Callable[[Args], str]] = {
    "PR201": lambda a: f"年初目标设置偏低：{a['name']}指标值{a['target']}，实际完成值{a['actual']}，指标完成率{a['rate']}，"
                       "远超年度目标。",
    "PR201.loose": lambda a: f"年初目标设置过松：{a['name']}指标值{a['target']}，实际完成值{a['actual']}，远低于上限。",
    "PR202": lambda a: f"{a['name']}{a.get('kind', '偏离目标')}（指标完成率{a['rate']}），但未说明偏差原因。"
    if a['rate'] != "—" else f"{a['name']}未按期完成（{a.get('actual', '')}），但未说明偏差原因。",
    "PR202.date": lambda a: f"{a['name']}未按期完成（{a['actual']}），但未说明偏差原因。",
    "PR203": lambda a: f"{a['name']}未完成年度目标：指标值{a['target']}，实际完成值{a['actual']}，指标完成率{a['rate']}。"
    if a['rate'] != "—" else f"{a['name']}未按期完成：指标值{a['target']}，实际完成值{a['actual']}。",
    "PR203.date": lambda a: f"{a['name']}未按期完成：指标值{a['target']}，实际完成值{a['actual']}。",
    "PR204": lambda a: f"{a['name']}仅为{a['rate']}，预算资金没有及时使用，资金使用效益未能发挥。",
    "PR205": lambda a: f"{a['name']}{a['rate']}，时间进度{a['time']}，执行进度仅为时间进度的{a['progress']}。",
    "PR101": lambda a: f"{a['name']}的指标值「{a['text']}」表述含糊，无法衡量。",
    "PR106": lambda a: f"{a['name']}与「{a['first']}」是同一指标，重复设置、重复计分。",
    "PR110": lambda a: f"校验「{a['name']}」不成立：左边为{a['left']}，右边为{a['right']}。",
    "PR021": lambda a: f"{a['name']}没有实际完成值，按0分计。",
    "PR023": lambda a: f"{a['name']}的实际完成值“{a['value']}”是文字，没有可计分的数据，按0分计。",
    "PR109": lambda a: f"{a['name']}的指标值没有计量单位。",
    # audits of a published table: what the table says against what its own rules give
    "PR301": lambda a: f"{a['name']}公布得分为{a['published']}分，按该指标的评分标准应得{a['computed']}分。",
    "PR301.review": lambda a: f"{a['name']}复核分为{a['published']}分，按该指标的评分标准应得{a['computed']}分。",
    "PR302": lambda a: f"公布总分为{a['published']}分，而各指标公布得分之和为{a['summed']}分。",
    "PR302.bound": lambda a: f"公布总分为{a['published']}分，而各指标公布得分之和只能在{a['low']}分至{a['high']}分之间"
                             f"（{a['count']}项指标的得分无法辨认：{a['names']}）。",
    "PR303": lambda a: f"公布等级为“{a['published']}”，而总分{a['total']}分对应的等级为“{a['band']}”。",
    "PR304": lambda a: f"{a['name']}已完成目标，公布得分{a['published']}分低于分值{a['weight']}分，且未说明扣分理由。",
    "PR305": lambda a: f"{a['name']}未完成目标（指标值{a['target']}，实际完成值{a['actual']}），却得满分{a['published']}分。",
    "PR305.review": lambda a: f"{a['name']}未完成目标（指标值{a['target']}，实际完成值{a['actual']}），复核却给满分"
                              f"{a['published']}分。",
    "PR306": lambda a: f"{a['name']}评为“{a['tier']}”，公布得分{a['published']}分不在该档次的{a['low']}分至{a['high']}分之间。",
    "PR306.review": lambda a: f"{a['name']}评为“{a['tier']}”，复核分{a['published']}分不在该档次的{a['low']}分至{a['high']}分之间。",
    "PR307": lambda a: f"{a['name']}的实际完成值“{a['actual']}”只是重复指标值，没有给出实际完成的数据。",
    "PR308": lambda a: f"公布总分为{a['expected']}分，按评分标准计算为{a['actual']}分。" if a['name'] == "总分"
    else f"公布等级为“{a['expected']}”，按评分标准应为“{a['actual']}”。" if a['name'] == "等级"
    else f"“{a['name']}”的公布得分为{a['expected']}分，按评分标准计算为{a['actual']}分。",
    "PR309": lambda a: f"{a['name']}印出的执行率{a['printed']}与按执行数和预算数计算的{a['computed']}不符。",
}

SUGGESTIONS: dict[str, Callable[[Args], str]] = {
    "PR202": lambda a: f"对{a['name']}逐项说明偏差原因，并提出改进措施。",
    "PR204": lambda a: "加快预算执行进度，查明资金未使用的原因，对确实无法使用的资金及时收回或调整预算。",
    "PR205": lambda a: f"按时间进度加快{a['name']}所涉资金的支付。",
    "PR101": lambda a: f"将{a['name']}的绩效目标细化、量化为可衡量的指标值。",
    "PR106": lambda a: f"合并或删除与「{a['first']}」重复的{a['name']}，避免重复计分。",
    "PR107": lambda a: "核实成本标准、产出数量与预算资金，使三者相互匹配。",
    "PR110": lambda a: f"核实「{a['name']}」所涉数据，使其满足校验条件。",
    "PR021": lambda a: f"补充{a['name']}的实际完成值及佐证资料。",
    "PR023": lambda a: f"用计量数据填写{a['name']}的实际完成值，并附佐证资料。",
    "PR109": lambda a: f"为{a['name']}的指标值写明计量单位。",
    "PR302": lambda a: "重新加总各指标的得分，改正公布总分。",
    "PR302.bound": lambda a: f"核对得分无法辨认的指标（{a['names']}）和公布总分。",
    "PR303": lambda a: "按总分所在的分数段改正等级。",
    "PR308": lambda a: "核实各指标的实际完成值和得分，改正公布的得分。",
    "PR309": lambda a: f"核对{a['name']}所涉的执行数与预算数，改正印出的执行率。",
}

# Suggestions about rows that the rows calling for them share: one sentence over their names.
SHARED: dict[str, Callable[[list[str]], str]] = {
    "PR201": lambda names: f"结合以前年度实际完成情况科学设置绩效目标，调高{_listing(names)}下一年度的指标值。",
    "PR201.loose": lambda names: f"结合实际完成水平科学设置绩效目标，收紧{_listing(names)}下一年度的指标值。",
    "PR301": lambda names: f"按评分标准重新核定{_listing(names)}的得分。",
    "PR301.review": lambda names: f"按评分标准重新核定{_listing(names)}的复核分。",
    "PR304": lambda names: f"写明{_listing(names)}扣分的理由，或按评分标准给满分。",
    "PR305": lambda names: f"按完成程度对{_listing(names)}扣分，或核实其实际完成值。",
    "PR305.review": lambda names: f"复核时按完成程度对{_listing(names)}扣分，或核实其实际完成值。",
    "PR306": lambda names: f"按所评档次的分数范围改正{_listing(names)}的得分，或改正档次。",
    "PR306.review": lambda names: f"按所评档次的分数范围改正{_listing(names)}的复核分，或改正档次。",
    "PR307": lambda names: f"填写{_listing(names)}实际完成的数据及佐证资料。",
}

# The codes about one row whose problem is said by the row's kind, and whose suggestion the row's kind and
# 一级指标 decide (shared by the rows that call for the same).
MISSED = ("PR203", "PR202")


# Spaces a check's message puts around names and numbers (`产出 的下级权重之和为 130`): a report's Chinese has none.
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef「」“”"
_SPACE = re.compile(f"(?<=[{_CJK}]) +| +(?=[{_CJK}])")


def _closed(text: str) -> str:
    """People's text as written, ended with 。."""
    text = text.strip()
    return text if not text or text.endswith(("。", "！", "？")) else text + "。"


def _end(text: str) -> str:
    """A message or hint as a report's sentence: no spaces beside Chinese, ended with 。."""
    text = _SPACE.sub("", text.strip())
    return text if not text or text.endswith(("。", "！", "？")) else text + "。"


def _listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]


@dataclass
class _Rows:
    """The report's rows, found from a finding's place (or its name)."""

    result: Result | None
    plan: Plan | None
    by_span: dict[Span, IndicatorResult] = field(default_factory=dict)
    by_name: dict[str, IndicatorResult] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.result is None:
            return
        for node in self.result.all_indicators:
            if node.span is not None:
                self.by_span.setdefault(node.span, node)
            self.by_name.setdefault(node.name, node)

    def of(self, finding: Finding) -> tuple[IndicatorResult | None, Indicator | None]:
        node = self.by_span.get(finding.span) if finding.span is not None else None
        if node is None:
            name = dict(finding.args).get("name")
            node = self.by_name.get(name) if isinstance(name, str) else None
        if node is None:
            return None, None
        return node, self.plan.indicator(node.key) if self.plan is not None else None


def _missed(node: IndicatorResult, ind: Indicator | None, a: Args) -> tuple[str, str]:
    """What a missed row is, as a problem (without its end) and as a short clause for PR202: by the row's kind."""
    name = node.name
    rated = sentences.rating(node, ind)
    target = a.get("target", "")
    actual = a.get("actual", "")
    if ind is not None and ind.levels and rated:
        best = sentences.best_level(ind)
        return f"{name}{rated}，未达到最高等次“{best}”", f"{name}{rated}"
    if ind is not None and ind.elements and rated:
        return f"{name}{rated}，要素不全", f"{name}{rated}"
    if node.kind == "date":
        return f"{name}未按期完成：指标值{target}，实际完成值{actual}", f"{name}未按期完成（{actual}）"
    if node.kind == "qualitative":
        shown = node.tier or compact(node.actual_text)
        rate = figure_percent(node.completion)
        return (f"{name}评价为{shown}（得分率{rate}），未完全达到年度目标", f"{name}评价为{shown}（得分率{rate}）")
    rate = f"，指标完成率{a['rate']}" if a.get("rate", "—") != "—" and (ind is None or ind.target) else ""
    if ind is not None and ind.comparator in REVERSE:
        return (f"{name}超出年度目标：指标值{target}，实际完成值{actual}{rate}",
                f"{name}超出年度目标（实际完成值{actual}）")
    return (f"{name}未完成年度目标：指标值{target}，实际完成值{actual}{rate}",
            f"{name}未完成年度目标（指标完成率{a.get('rate', '—')}）")


def _advice(node: IndicatorResult, ind: Indicator | None) -> tuple[str, str, Callable[[list[str]], str]]:
    """The suggestion a missed row calls for: (a group key, the row's part in it, the sentence over the parts)."""
    dimension = node.path[0] if node.path else ""
    place = "".join(node.path)
    if ind is not None and ind.elements:
        lacking = sentences.elements_had(node, ind)[1]
        return ("elements", f"{node.name}缺{''.join(lacking)}" if lacking else node.name,
                lambda parts: f"补齐评分标准要求的要素：{'，'.join(parts)}。")
    if (ind is not None and ind.levels) or node.kind == "qualitative":
        if "决策" in dimension:
            return ("decision", node.name, lambda names: f"在以后年度的项目立项、绩效目标设定和预算编制中，对照评分标准改进"
                    f"{_listing(names)}，争取达到最高等次。")
        if "过程" in dimension or "管理" in dimension:
            return ("process", node.name, lambda names: f"对照评分标准加强{_listing(names)}方面的管理，逐项整改。")
        return ("quality", node.name, lambda names: f"对照评分标准改进{_listing(names)}，争取达到最高等次。")
    if node.kind == "date":
        return ("date", node.name, lambda names: f"合理安排{_listing(names)}所涉工作的进度，加快项目实施，确保按期完成。")
    if ind is not None and ind.comparator in REVERSE:
        if "成本" in place:
            return ("cost", node.name, lambda names: f"加强成本控制，使{_listing(names)}不超过年初设定的指标值。")
        return ("limit", node.name, lambda names: f"查明{_listing(names)}超出年度目标的原因，逐项整改，"
                "防止再次发生。")
    if "满意" in place:
        return ("satisfaction", node.name, lambda names: f"听取服务对象的意见，改进工作，提高{_listing(names)}。")
    if node.unit == "%":
        return ("rate", node.name, lambda names: f"查找{_listing(names)}未达到目标值的原因，采取针对性措施加以提高。")
    if "产出" in dimension:
        return ("output", node.name, lambda names: f"加快项目实施进度，跟踪{_listing(names)}未完成的部分，确保完成年度目标。")
    return ("missed", node.name, lambda names: f"分析{_listing(names)}未完成目标的原因，制定改进措施。")


def problem(finding: Finding, node: IndicatorResult | None = None, ind: Indicator | None = None) -> str:
    """The problem the finding shows, in the report's words; by the row's kind for a missed row."""
    a = _args(finding)
    if node is not None and finding.code in MISSED and node.status == "scored":
        said, short = _missed(node, ind, a)
        if finding.code == "PR203":
            return said + "。"
        if a.get("kind") == "超额完成":
            return f"{node.name}超额完成（指标完成率{a.get('rate', '—')}），但未说明偏差原因。"
        return short + "，但未说明偏差原因。"
    make = PROBLEMS.get(finding.key) or PROBLEMS.get(finding.code)
    if make is not None:
        try:
            return make(a)
        except KeyError:  # a variant with other arguments: its own message
            pass
    return _end(finding.message("zh"))


def suggestion(finding: Finding) -> str:
    make = SUGGESTIONS.get(finding.key) or SUGGESTIONS.get(finding.code)
    if make is not None:
        try:
            return make(_args(finding))
        except KeyError:
            pass
    return _end(finding.hint("zh"))


def reportable(findings: list[Finding]) -> list[Finding]:
    """The findings a report discusses: about the project (not the report's own missing texts), most severe first."""
    chosen = [f for f in findings if not f.code.startswith(("PR0", "PR9")) or f.code in ("PR021", "PR023")]
    return sorted(chosen, key=lambda f: -f.severity.rank)


def _merged_total(findings: list[Finding]) -> tuple[list[Finding], str]:
    """The published total said once: PR302 (the rows' sum) and PR308 on the total (the computed one) are one
    sentence about the same printed figure. Returns the findings left and that sentence ("" when not both)."""
    summed = next((f for f in findings if f.key == "PR302"), None)
    total = next((f for f in findings if f.code == "PR308" and _args(f).get("name") == "总分"), None)
    if summed is None or total is None:
        return findings, ""
    a, b = _args(summed), _args(total)
    if a["summed"] == b["actual"]:
        text = f"公布总分为{a['published']}分，而各指标公布得分之和为{a['summed']}分，按评分标准计算的总分也是{b['actual']}分。"
    else:
        text = f"公布总分为{a['published']}分，而各指标公布得分之和为{a['summed']}分，按评分标准计算的总分为{b['actual']}分。"
    return [f for f in findings if f is not total], text


# The problems a 偏差原因 explains, the likeliest first: it follows the row's first of these, else its first problem.
DEVIATIONS = ("PR203", "PR201", "PR204", "PR205", "PR305", "PR304", "PR301")


def _reason_carriers(findings: list[Finding], rows: _Rows) -> dict[str, Finding]:
    """Per row with a reason, the finding whose sentence it follows."""
    out: dict[str, Finding] = {}
    rank = {code: i for i, code in enumerate(DEVIATIONS)}
    for finding in findings:
        node = rows.of(finding)[0]
        if node is None or not node.reason or finding.code == "PR202":
            continue
        held = out.get(node.key)
        if held is None or rank.get(finding.code, len(rank)) < rank.get(held.code, len(rank)):
            out[node.key] = finding
    return out


Groups = dict[str, tuple[int, list[str], Callable[[list[str]], str]]]  # key -> (where in 六, parts, sentence)


def _add(groups: Groups, suggestions: list[str], key: str, part: str, make: Callable[[list[str]], str]) -> None:
    """A row's part in a suggestion shared by the rows that call for it (its place in 六 is the first row's)."""
    if key in groups:
        groups[key][1].append(part)
    else:
        groups[key] = (len(suggestions), [part], make)
        suggestions.append("")  # its place, filled once its rows are known


def problems_and_suggestions(findings: list[Finding], result: Result | None = None,
                             plan: Plan | None = None) -> tuple[list[str], list[str]]:
    """五（二）'s sentences and 六's, each once, in order of severity; a row's 偏差原因 after its first problem."""
    rows = _Rows(result, plan)
    chosen, total_text = _merged_total(reportable(findings))
    problems: list[str] = []
    suggestions: list[str] = []
    groups: Groups = {}
    carrier = _reason_carriers(chosen, rows)
    # a row whose missed target and missing reason are both found: one sentence says both
    no_reason = {f.span for f in chosen if f.code == "PR202" and f.span is not None}
    for finding in chosen:
        node, ind = rows.of(finding)
        if finding.code == "PR202" and node is not None:
            _add(groups, suggestions, "reason", node.name,
                 lambda names: f"对{_listing(names)}逐项说明偏差原因，并提出改进措施。")
            if any(f.code == "PR203" and f.span == finding.span for f in chosen):
                continue  # said with the row's PR203 sentence
        if finding.key == "PR302" and total_text:
            text = total_text
        else:
            text = problem(finding, node, ind)
            if finding.code == "PR203" and finding.span in no_reason:
                text = text[:-1] + "，且未说明偏差原因。"
        if node is not None and node.reason and carrier.get(node.key) is finding:
            text = f"{text}偏差原因：{_closed(node.reason)}"
        if text and text not in problems:
            problems.append(text)
        if node is not None and finding.code == "PR203" and node.status == "scored":
            _add(groups, suggestions, *_advice(node, ind))
            continue
        if finding.code == "PR202" and node is not None:
            continue
        shared = SHARED.get(finding.key)
        name = _args(finding).get("name")
        if shared is not None and name:
            _add(groups, suggestions, finding.key, name, shared)
            continue
        advice = suggestion(finding)
        if advice and advice not in suggestions:
            suggestions.append(advice)
    for place, parts, make in groups.values():
        suggestions[place] = make(list(dict.fromkeys(parts)))
    return problems, [s for s in dict.fromkeys(suggestions) if s]
