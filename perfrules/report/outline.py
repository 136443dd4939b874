"""The report as a list of blocks in the outline of 财预〔2020〕10号's 评价报告参考提纲, for any writer (Word, Markdown).

一、基本情况 … 七、其他需要说明的问题, then 附件1 综合评分表. Generated sentences are `Para(kind="generated")`,
people's text `Para(kind="human")`, and a slot nobody wrote a `Para(kind="gap")` marker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from perfrules import display, vocabulary
from perfrules.display import compact, figure, figure_percent
from perfrules.findings import Finding
from perfrules.plan.model import Plan
from perfrules.render.markdown import report_rows
from perfrules.report import issues, sentences
from perfrules.report.figures import circled, ordinal, target_text
from perfrules.report.text import OPTIONAL, SLOTS, Texts
from perfrules.scoring.result import IndicatorResult, Result, SectionResult


@dataclass(frozen=True)
class Heading:
    level: int  # 1 一、 2 （一） 3 1. 4 （1）
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    kind: str = "generated"  # generated, human, gap, label


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    kinds: tuple[str, ...]  # per row: "indicator", "subtotal" or "total"
    merge: int = 2  # the leading columns whose equal runs are merged vertically


@dataclass(frozen=True)
class Annex:
    title: str  # 附件1
    caption: str  # 综合评分表
    table: Table
    notes: tuple[str, ...] = ()


Block = Heading | Para | Table | Annex


@dataclass
class Report:
    title: str
    meta: list[tuple[str, str]]  # the cover lines: 项目名称, 主管部门, …
    blocks: list[Block] = field(default_factory=list)


SLOT = {s.key: s for s in (*SLOTS, *OPTIONAL)}
ANNEX_HEADER = ("一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "完成率", "得分", "偏差原因")


def build(result: Result, plan: Plan, findings: list[Finding], texts: Texts) -> Report:
    """The whole report; `texts` records which of its sections were used."""
    meta = [("项目名称", result.ruleset)]
    for key in ("主管部门", "实施单位"):
        value = "".join(texts.get(SLOT[key]))
        meta.append((key, value or f"〔待补充：{key}〕"))
    if result.year:
        meta.append(("评价年度", f"{result.year}年度"))
    meta.append(("评价类型", result.kind))
    report = Report(f"{result.ruleset}项目绩效{_kind_word(result.kind)}报告", meta)
    out = report.blocks

    def human(key: str, label: str | None = None) -> None:
        paragraphs = texts.get(SLOT[key])
        if label is not None:
            out.append(Heading(3, label))
        if paragraphs:
            out.extend(Para(p, "human") for p in paragraphs)
        elif SLOT[key] in SLOTS:
            out.append(Para(f"〔待评价人撰写：{key}〕", "gap"))

    def optional(key: str) -> None:
        out.extend(Para(p, "human") for p in texts.get(SLOT[key]))

    # 一、基本情况
    out.append(Heading(1, "一、基本情况"))
    out.append(Heading(2, "（一）项目概况"))
    human("项目背景", "1.项目背景")
    out.append(Heading(3, "2.项目主要内容及实施情况"))
    human("主要内容")
    human("实施情况")
    out.append(Heading(3, "3.资金投入和使用情况"))
    invest, use = sentences.money_sentences(plan, result)
    out.append(Heading(4, "（1）资金投入情况"))
    out.append(Para(invest) if invest else Para("〔规则文件的 facts 中没有到位资金：请补充〕", "gap"))
    out.append(Heading(4, "（2）资金使用情况"))
    out.append(Para(use) if use else Para("〔规则文件的 facts 中没有预算数和执行数：请补充〕", "gap"))
    optional("资金用途")
    out.append(Heading(2, "（二）项目绩效目标"))
    human("总体目标", "1.总体目标")
    human("阶段性目标", "2.阶段性目标")

    # 二、绩效评价工作开展情况
    out.append(Heading(1, "二、绩效评价工作开展情况"))
    out.append(Heading(2, "（一）绩效评价目的、对象和范围"))
    human("评价目的", "1.绩效评价的目的")
    human("评价对象", "2.绩效评价的对象")
    out.append(Heading(3, "3.绩效评价的范围"))
    scope = sentences.scope_sentence(result)
    if scope:
        out.append(Para(scope))
    optional("评价范围")
    out.append(Heading(2, "（二）绩效评价原则、评价指标体系、评价方法、评价标准"))
    human("评价原则", "1.绩效评价原则")
    out.append(Heading(3, "2.评价指标体系"))
    for text in (sentences.weights_sentence(result), sentences.bands_sentence(plan)):
        if text:
            out.append(Para(text))
    out.append(Para("具体评价指标体系详见附件1。"))
    human("评价方法", "3.绩效评价方法")
    human("评价标准", "4.评价标准")
    out.append(Heading(2, "（三）绩效评价工作过程"))
    human("评价过程")

    # 三、综合评价情况及评价结论
    out.append(Heading(1, "三、综合评价情况及评价结论"))
    out.append(Heading(2, "（一）评价情况"))
    human("评价情况")
    out.append(Heading(2, "（二）评价结论"))
    out.append(Para(sentences.conclusion(result)))

    # 四、绩效评价指标分析
    out.append(Heading(1, "四、绩效评价指标分析"))
    _analysis(out, result, plan, texts)

    # 五、六
    problems, suggestions = issues.problems_and_suggestions(findings, result, plan)
    out.append(Heading(1, "五、主要经验及做法、存在的问题及原因分析"))
    out.append(Heading(2, "（一）主要经验及做法"))
    human("经验做法")
    out.append(Heading(2, "（二）存在的问题及原因分析"))
    extra = texts.get(SLOT["存在的问题"])
    items = [*problems, *extra]
    out += [Para(f"{i}.{text}", "generated" if i <= len(problems) else "human") for i, text in enumerate(items, 1)]
    if not items:
        out.append(Para("校验未发现问题。"))
    out.append(Heading(1, "六、有关建议"))
    extra = texts.get(SLOT["有关建议"])
    items = [*suggestions, *extra]
    out += [Para(f"{i}.{text}", "generated" if i <= len(suggestions) else "human") for i, text in enumerate(items, 1)]
    if not items:
        out.append(Para("〔待评价人撰写：有关建议〕", "gap"))
    out.append(Heading(1, "七、其他需要说明的问题"))
    human("其他需要说明的问题")

    out.append(Annex("附件1", "综合评分表", score_table(result, plan, findings), _annex_notes(result, plan)))
    return report


def _kind_word(kind: str) -> str:
    return {"自评": "自评", "监控": "运行监控"}.get(kind, "评价")


def _analysis(out: list[Block], result: Result, plan: Plan, texts: Texts) -> None:
    """四: per 一级指标 its sentence, then per 二级指标 its indicators, each with its figures and reason."""
    dims = result.dimensions()
    for d, dim in enumerate(dims, 1):
        out.append(Heading(2, f"（{ordinal(d)}）{sentences.heading_name(dim.name)}"))
        out.append(Para(sentences.dimension_sentence(dim)))
        out.extend(Para(p, "human") for p in texts.named(sentences.heading_name(dim.name)) or texts.named(dim.name))
        groups = sentences.groups_of(dim)
        loose = [c for c in dim.children if isinstance(c, IndicatorResult)]
        for g, group in enumerate(groups, 1):
            out.append(Para(f"{circled(g)}{sentences.group_label(dim.name, group.name)}：", "label"))
            out.extend(Para(p, "human") for p in texts.named(group.name))
            _indicators(out, sentences.indicators_of(group), plan, texts)
        if loose:
            _indicators(out, loose, plan, texts)
    tops = [n for n in result.body if isinstance(n, IndicatorResult)]
    if tops:
        out.append(Heading(2, f"（{ordinal(len(dims) + 1)}）其他指标情况"))
        _indicators(out, tops, plan, texts)


def _indicators(out: list[Block], nodes: list[IndicatorResult], plan: Plan, texts: Texts) -> None:
    for i, node in enumerate(nodes, 1):
        out.append(Para(sentences.indicator_sentence(i, node, plan.indicator(node.key))))
        out.extend(Para(p, "human") for p in texts.named(node.name))


def names(result: Result) -> set[str]:
    """The headings a --text file may use besides the slots: indicators, groups, 一级指标 and their 四 headings."""
    out = {i.name for i in result.indicators()}
    for section in result.sections():
        out.add(section.name)
    for dim in result.dimensions():
        out.add(sentences.heading_name(dim.name))
    return out


# ---------------------------------------------------------------- the annex


def score_table(result: Result, plan: Plan, findings: list[Finding]) -> Table:
    """附件1 综合评分表: one row per indicator, a subtotal per 一级指标, the total; reasons as written."""
    rows: list[tuple[str, ...]] = []
    kinds: list[str] = []
    for row in report_rows(result, findings, plan):
        node = row.node
        if isinstance(node, SectionResult):
            rows.append((node.name, "小计", "", _weight(node.weight, node.weight_inferred), "", "",
                         f"得分率{figure_percent(node.rate)}", figure(node.score), ""))
            kinds.append("subtotal")
            continue
        assert isinstance(node, IndicatorResult)
        first, middle, last = row.levels
        target = node.target if node.kind == "qualitative" else target_text(node.target, node.unit)
        actual = "不适用" if node.status == "na" else sentences.actual_words(node) if node.actual_text else "未提供"
        completion = "—" if node.completion is None else figure_percent(node.completion, places=node.rate_places)
        score = "—" if node.score is None else figure(node.score)
        shown = compact(actual) if actual else ""
        if node.evidence:  # the evidence text printed beside the actual
            shown += f"（佐证：{compact(node.evidence)}）"
        rows.append((first, middle, last or first, _weight(node.weight, node.weight_inferred), target or vocabulary.QUALITATIVE_WORD, shown,
                     completion, score, node.reason or ""))
        kinds.append("indicator")
    rows.append(("总分", "", "", figure(result.total_weight), "", "", f"等级：{result.grade}", figure(result.total), ""))
    kinds.append("total")
    return Table(ANNEX_HEADER, tuple(rows), tuple(kinds))


def _weight(weight: Decimal, inferred: bool) -> str:
    """A weight as the table shows it: 「10（推定）」 when the form did not print it."""
    return figure(weight) + (display.INFERRED["zh"] if inferred else "")


MODE_WORDS = {"ROUND_HALF_UP": "四舍五入", "ROUND_HALF_EVEN": "银行家舍入", "ROUND_DOWN": "截断", "ROUND_UP": "进一法"}


def _annex_notes(result: Result, plan: Plan) -> tuple[str, ...]:
    notes = []
    bands = sentences.bands_sentence(plan)
    if bands:
        notes.append("等级划分：" + bands)
    if result.rescaled:
        notes.append("不适用的指标已剔除，总分按适用分值折算。")
    notes.append(f"得分按{plan.places}位小数{'四舍五入' if plan.rounding == 'ROUND_HALF_UP' else '舍入'}；由 perfrules 按规则文件计算。")
    own = [i for i in plan.all_indicators if i.places is not None]
    if own:  # rows with a rounding of their own (docs/language.md 17.13)
        ways = sorted({f"{i.places}位小数{MODE_WORDS.get(i.rounding or '', '舍入')}" for i in own})
        notes.append(f"其中 {len(own)} 项指标按表上的规则舍入（{'、'.join(ways)}）；小计为各行之和，总分按{plan.places}位小数舍入。")
    inferred = [i.name for i in result.all_indicators if i.weight_inferred]
    if inferred:
        notes.append(f"标「推定」的分值表上没有印出，是推定的：{'、'.join(inferred)}。")
    return tuple(notes)
