"""The generated sentences of the report, in the seed report's own phrasing (rulesets/examples/retiree-services-2023.perf).

Every figure comes from the Result or the Plan's facts; nothing here is prose a person must write.
"""

from __future__ import annotations

from decimal import Decimal

from perfrules import vocabulary
from perfrules.display import compact, figure, figure_amount, figure_percent, points
from perfrules.plan.model import Indicator, Plan
from perfrules.report.figures import count_word, target_text
from perfrules.scoring.budget import budget_facts, execution_rate
from perfrules.scoring.result import IndicatorResult, Result, SectionResult

# The four 一级指标 of 财预〔2020〕10号, as a report names them: 决策 → 项目决策类指标.
STANDARD = ("决策", "过程", "产出", "效益")


def label(name: str) -> str:
    """How a sentence names a 一级指标: 项目决策类指标, 产出指标, 满意度类指标."""
    if name in STANDARD:
        return f"项目{name}类指标"
    return name if name.endswith("指标") else f"{name}类指标"


def heading_name(name: str) -> str:
    """The 四 heading of a 一级指标: 决策 → 项目决策情况."""
    core = name[:-2] if name.endswith("指标") else name
    return f"项目{core}情况" if core in STANDARD else f"{core}情况"


def indicator_rate(node: IndicatorResult) -> Decimal | None:
    if node.score is None or not node.weight:
        return None
    return node.score / node.weight


def _tail(text: str) -> str:
    return text if text.endswith(("。", "！", "？", "；", ".")) else text + "。"


def conclusion(result: Result) -> str:
    """三（二）: 「最终评分结果：总得分为91.23分，属于“优”。其中，项目决策类指标权重为20分，得分为20分，得分率为100%。…」"""
    parts = [f"最终评分结果：总得分为{points(result.total)}，属于“{result.grade}”。"]
    shares = []
    for node in result.body:
        if isinstance(node, SectionResult):
            shares.append(f"{label(node.name)}权重为{points(node.weight)}，得分为{points(node.score)}，"
                          f"得分率为{figure_percent(node.rate)}。")
        elif node.score is not None:
            shares.append(f"{node.name}权重为{points(node.weight)}，得分为{points(node.score)}，"
                          f"得分率为{figure_percent(indicator_rate(node))}。")
    if shares:
        parts.append("其中，" + "".join(shares))
    if result.rescaled:
        parts.append("不适用的指标已剔除，总分按适用分值折算为满分制。")
    parts.append("具体打分情况详见：附件1综合评分表。")
    return "".join(parts)


def groups_of(section: SectionResult) -> list[SectionResult]:
    return [c for c in section.children if isinstance(c, SectionResult)]


def indicators_of(node: SectionResult | IndicatorResult) -> list[IndicatorResult]:
    if isinstance(node, IndicatorResult):
        return [node]
    out: list[IndicatorResult] = []
    for child in node.children:
        out += indicators_of(child)
    return out


def _listing(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


def dimension_sentence(section: SectionResult) -> str:
    """四 per 一级指标: 「项目决策类指标包括项目立项、绩效目标和资金投入三方面的内容，由6个三级指标构成，权重分值为20分，实际得分20分，得分率为100%。」"""
    groups = [g.name for g in groups_of(section)]
    scope = f"包括{_listing(groups)}{count_word(len(groups))}方面的内容，" if groups else ""
    count = len(indicators_of(section))
    return (f"{label(section.name)}{scope}由{count}个三级指标构成，权重分值为{points(section.weight)}，"
            f"实际得分{points(section.score)}，得分率为{figure_percent(section.rate)}。")


def figures_clause(section: SectionResult) -> str:
    """The generated tail of a dimension sentence: 「由6个三级指标构成，权重分值为20分，实际得分20分，得分率为100%。」"""
    sentence = dimension_sentence(section)
    return sentence[sentence.index("由"):]


def group_label(dimension: str, group: str) -> str:
    """The label of a 二级指标's list in 四: 产出数量 → 数量指标, 社会效益 → 社会效益指标, 项目立项 → 项目立项."""
    if not any(word in dimension for word in ("产出", "效益")):
        return group
    core = group[2:] if group.startswith("产出") and len(group) > 2 else group
    return core if core.endswith("指标") else core + "指标"


def actual_words(node: IndicatorResult) -> str:
    if node.kind == "qualitative" and node.tier:
        return node.tier
    return compact(node.actual_text)


def elements_had(node: IndicatorResult, ind: Indicator) -> tuple[list[str], list[str]]:
    """A checklist row's elements, those it has and those it lacks, from its actual as shown (`具备 ①③`)."""
    shown = node.actual_text.strip()
    if shown.startswith(vocabulary.HAS_WORD):
        shown = shown[len(vocabulary.HAS_WORD):]
    had = [label for label, _share in ind.elements if label in shown]
    return had, [label for label, _share in ind.elements if label not in had]


def rating(node: IndicatorResult, ind: Indicator | None) -> str:
    """What a row rated by level or by a checklist got, in words: 「评为良（80%）」, 「具备要素①③，缺②（75%）」;
    "" for any other row (its actual and completion rate say it)."""
    if ind is None or node.status != "scored" or node.completion is None:
        return ""
    share = figure_percent(node.completion)
    if ind.levels:
        return f"评为{compact(node.actual_text)}（{share}）"
    if ind.elements:
        had, lacking = elements_had(node, ind)
        has = f"具备要素{''.join(had)}" if had else "不具备任何要素"
        return f"{has}，缺{''.join(lacking)}（{share}）" if lacking and had else f"{has}（{share}）"
    return ""


def best_level(ind: Indicator | None) -> str:
    """The best level of a row rated by level (the first), "" for any other row."""
    return ind.levels[0][0] if ind is not None and ind.levels else ""


def indicator_sentence(number: int, node: IndicatorResult, ind: Indicator | None = None) -> str:
    """「指标4：组织开展退休人员活动场次，指标值：≥4场，实际完成值：12场，指标完成率300%。偏差原因：…」; a row rated
    by level or checklist says what it got against its scale: 「评分标准：等次 优100% 良80%…，评为良（80%）。」"""
    head = f"指标{number}：{node.name}"
    if node.status == "na":
        return f"{head}，不适用，不计分。"
    rated = rating(node, ind)
    target = target_text(node.target, node.unit) if node.kind != "qualitative" else node.target
    if node.kind == "qualitative" and target in ("", vocabulary.QUALITATIVE_WORD):
        target = vocabulary.QUALITATIVE_WORD
    if rated:
        text = f"{head}，评分标准：{node.target}，{rated}。"
    elif node.kind == "scale" and node.status == "scored" and node.score is not None:
        # a criterion scored on a scale: no target to complete, its points converted to the row's weight
        text = f"{head}，{target}，实际得分：{compact(node.actual_text)}，按分值{figure(node.weight)}折算得{points(node.score)}。"
    elif node.kind == "date" and node.status == "scored":  # a deadline: on time or not, no completion rate
        done = "按期完成" if node.met else "未按期完成"
        text = f"{head}，指标值：{target}，实际完成值：{compact(node.actual_text)}，{done}。"
    elif node.status in ("missing", "text") or node.completion is None:
        shown = compact(node.actual_text) if node.actual_text else "未提供"
        text = f"{head}，指标值：{target}，实际完成值：{shown}，无法计算完成率，按0分计。"
    else:
        text = f"{head}，指标值：{target}，实际完成值：{actual_words(node)}，指标完成率{figure_percent(node.completion, places=node.rate_places)}。"
    if node.evidence:
        text += "佐证：" + _tail(node.evidence.strip())
    if node.reason:
        text += "偏差原因：" + _tail(node.reason.strip())
    return text


# ---------------------------------------------------------------- money


def money_sentences(plan: Plan, result: Result) -> tuple[str, str]:
    """一（一）3: the 资金投入 and the 资金使用 sentence; "" where the rule file gives no such facts."""
    found = budget_facts(plan, result)
    budget = [f"{role}{figure_amount(*found[role])}" for role in ("年初预算数", "全年预算数") if role in found]
    invest = ""
    if "到位资金" in found:
        parts = [*budget, f"到位资金{figure_amount(*found['到位资金'])}"]
        base = found.get("全年预算数") or found.get("年初预算数")
        if base is not None and base[1]:
            parts.append(f"资金到位率为{figure_percent(found['到位资金'][1] / base[1])}")
        invest = "该项目" + "，".join(parts) + "。"
    use = ""
    rate = execution_rate(found)
    if "全年执行数" in found:
        parts = [*budget, f"全年执行数{figure_amount(*found['全年执行数'])}"]
        if rate is not None:
            parts.append(f"预算执行率为{figure_percent(rate)}")
        use = "该项目" + "，".join(parts) + "。"
    elif budget:
        use = "该项目" + "，".join(budget) + "。"
    return invest, use


# ---------------------------------------------------------------- the indicator system


def weights_sentence(result: Result) -> str:
    """二（二）: 「在绩效评价指标体系中，项目决策权重为20分，项目过程权重为20分，…」"""
    parts = []
    for node in result.body:
        name = f"项目{node.name}" if node.name in STANDARD else node.name
        parts.append(f"{name}权重为{points(node.weight)}")
    return "在绩效评价指标体系中，" + "，".join(parts) + "。" if parts else ""


def bands_sentence(plan: Plan) -> str:
    """二（二）: the grade bands used, in the seed's phrasing: 「评价计分90分-100分（含90分）对应的评分结果级别为优，…」"""
    total = plan.total_weight
    parts = []
    upper = total
    for band in plan.grades:
        if band.comparator is None or band.threshold is None:
            parts.append(f"{figure(upper)}分以下对应的评分结果级别为{band.name}")
            break
        inclusive = "含" if band.comparator == ">=" else "不含"
        parts.append(f"{figure(band.threshold)}分-{figure(upper)}分（{inclusive}{figure(band.threshold)}分）"
                     f"对应的评分结果级别为{band.name}")
        upper = band.threshold
    if not parts:
        return ""
    return f"绩效评价总分值{figure(total)}分，根据综合评分结果，评价计分" + "，".join(parts) + "。"


def scope_sentence(result: Result) -> str:
    """二（一）3: 「本次评价从项目决策、项目过程、项目产出、项目效益四个维度对…进行评价。」"""
    dims = [f"项目{d.name}" if d.name in STANDARD else d.name for d in result.dimensions()]
    if not dims:
        return ""
    return (f"本次评价从{'、'.join(dims)}{count_word(len(dims))}个维度对{result.ruleset}项目进行评价，"
            f"共{len(result.indicators())}个三级指标，总分值{points(result.total_weight)}。")
