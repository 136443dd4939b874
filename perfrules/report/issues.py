"""五（二）and 六: one problem sentence and one suggestion sentence per finding, fixed per code, for the evaluator to edit.

A code without its own sentence says its message (and its hint as the suggestion).
"""

from __future__ import annotations

from collections.abc import Callable

from perfrules.display import compact
from perfrules.findings import Finding
from perfrules.report.figures import target_text

Args = dict[str, str]


NUMBERS = ("rate", "actual", "left", "right", "product", "cost", "budget", "time", "progress")


def _args(finding: Finding) -> Args:
    """The finding's values in the report's number style; a target of ≥ 100% on a rate reads 100%, as in 四."""
    out = {k: compact(str(v)) if k in NUMBERS else str(v) for k, v in finding.args}
    if "target" in out:
        out["target"] = target_text(out["target"], "%" if out["target"].endswith("%") else "")
    return out


PROBLEMS: dict[str, Callable[[Args], str]] = {
    "PR201": lambda a: f"年初目标设置偏低：{a['name']}指标值{a['target']}，实际完成值{a['actual']}，指标完成率{a['rate']}，"
                       "远超年度目标。",
    "PR202": lambda a: f"{a['name']}{a.get('kind', '偏离目标')}（指标完成率{a['rate']}），但未说明偏差原因。"
    if a['rate'] != "—" else f"{a['name']}未按期完成（{a.get('actual', '')}），但未说明偏差原因。",
    "PR203": lambda a: f"{a['name']}未完成年度目标：指标值{a['target']}，实际完成值{a['actual']}，指标完成率{a['rate']}。"
    if a['rate'] != "—" else f"{a['name']}未按期完成：指标值{a['target']}，实际完成值{a['actual']}。",
    "PR204": lambda a: f"{a['name']}仅为{a['rate']}，预算资金没有及时使用，资金使用效益未能发挥。",
    "PR205": lambda a: f"{a['name']}{a['rate']}，时间进度{a['time']}，执行进度仅为时间进度的{a['progress']}。",
    "PR101": lambda a: f"{a['name']}的指标值「{a['text']}」表述含糊，无法衡量。",
    "PR106": lambda a: f"{a['name']}与「{a['first']}」是同一指标，重复设置、重复计分。",
    "PR110": lambda a: f"校验「{a['name']}」不成立：左边为{a['left']}，右边为{a['right']}。",
    "PR021": lambda a: f"{a['name']}没有实际完成值，按0分计。",
    "PR109": lambda a: f"{a['name']}的指标值没有计量单位。",
}

SUGGESTIONS: dict[str, Callable[[Args], str]] = {
    "PR201": lambda a: f"结合以前年度实际完成情况科学设置绩效目标，调高{a['name']}下一年度的指标值。",
    "PR202": lambda a: f"对{a['name']}逐项说明偏差原因，并提出改进措施。",
    "PR203": lambda a: f"分析{a['name']}未完成目标的原因，制定改进措施，加快项目实施进度。",
    "PR204": lambda a: "加快预算执行进度，查明资金未使用的原因，对确实无法使用的资金及时收回或调整预算。",
    "PR205": lambda a: f"按时间进度加快{a['name']}所涉资金的支付。",
    "PR101": lambda a: f"将{a['name']}的绩效目标细化、量化为可衡量的指标值。",
    "PR106": lambda a: f"合并或删除与「{a['first']}」重复的{a['name']}，避免重复计分。",
    "PR107": lambda a: "核实成本标准、产出数量与预算资金，使三者相互匹配。",
    "PR110": lambda a: f"核实「{a['name']}」所涉数据，使其满足校验条件。",
    "PR021": lambda a: f"补充{a['name']}的实际完成值及佐证资料。",
    "PR109": lambda a: f"为{a['name']}的指标值写明计量单位。",
}


def _end(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith(("。", "！", "？")) else text + "。"


def problem(finding: Finding) -> str:
    make = PROBLEMS.get(finding.key) or PROBLEMS.get(finding.code)
    if make is not None:
        try:
            return make(_args(finding))
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
    chosen = [f for f in findings if not f.code.startswith(("PR0", "PR9")) or f.code == "PR021"]
    return sorted(chosen, key=lambda f: -f.severity.rank)


def problems_and_suggestions(findings: list[Finding]) -> tuple[list[str], list[str]]:
    """五（二）'s sentences and 六's, each once, in order of severity."""
    problems: list[str] = []
    suggestions: list[str] = []
    for finding in reportable(findings):
        for out, text in ((problems, problem(finding)), (suggestions, suggestion(finding))):
            if text and text not in out:
                out.append(text)
    return problems, suggestions
