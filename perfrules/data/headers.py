"""The header words of a 自评表, by column role: one list of spellings per role, in one place.

Provinces word their headers differently (实际完成值 / 全年完成情况 / 完成值, 得分 / 自评分, ...).
A header cell is normalised first (full-width forms, spaces and line breaks, brackets, and
trailing 「(A)」「（万元）」「(%)」-style suffixes taken off) and then compared with these spellings:
an exact match first, then the longest spelling the label contains.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from perfrules.vocabulary import alternation, money_units

# The indicator table. Order matters only for the containment fallback (longest spelling first).
INDICATOR_ROLES: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "level1": ("一级指标", "一级指标名称"),
    "level2": ("二级指标", "二级指标名称"),
    "level3": ("三级指标", "三级指标名称", "指标名称", "指标内容", "绩效指标名称"),
    "direction": ("指标性质", "指标方向", "指标属性", "比较符", "指标符号"),
    "target": ("年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "计划指标值", "预期目标值", "年度绩效目标值"),
    "unit": ("度量单位", "计量单位", "单位"),
    "actual": ("实际完成值", "全年实际值", "实际完成情况", "全年完成情况", "实际指标值", "完成值", "实际值", "完成情况",
               "全年实际完成值", "实际完成指标值"),
    "weight": ("分值", "权重", "标准分", "指标分值", "权重分"),
    "score": ("得分", "自评得分", "自评分", "自评分值", "单位自评得分", "自评"),
    "review": ("复核分", "复核得分", "财政审核评分", "审核评分", "审核得分", "财政复核得分", "复核", "评审得分", "审核分"),
    "reason": ("偏差原因分析及改进措施", "偏差原因", "未完成原因", "未完成原因分析", "偏差情况说明", "原因", "原因分析",
               "改进措施", "偏差原因分析", "未完成原因和改进措施", "偏差原因及改进措施", "偏差说明"),
    "evidence": ("佐证材料", "佐证", "佐证资料", "佐证说明", "证明材料"),  # 佐证: the evidence beside the actual
    "remark": ("备注", "说明"),
    "standard": ("评价标准", "评分标准", "计分方法", "评分办法"),
}

# 佐证: the evidence beside a row's actual (the language's `= 达成 90% "…"`), a column of forms and data sheets.
EVIDENCE_WORDS = INDICATOR_ROLES["evidence"]

# The money block (项目资金). 「分值」「得分」 here are the 预算执行率 row's.
MONEY_ROLES: dict[str, tuple[str, ...]] = {
    "start": ("年初预算数", "年初预算"),
    "budget": ("全年预算数", "调整预算数", "调整后预算数", "预算数", "全年预算", "调整后预算"),
    "spent": ("全年执行数", "预算执行数", "执行数", "全年执行", "实际支出数", "实际执行数"),
    "weight": ("分值", "权重"),
    "rate": ("执行率", "预算执行率"),
    "score": ("得分", "自评得分", "自评分"),
    "review": INDICATOR_ROLES["review"],
    "remark": ("备注",),
}

# The columns of a data sheet (`--data x.csv|.xlsx`, perfrules.data.actuals): the 自评表's words of each role, and
# the English header words. 「复核得分」 contains 「得分」: the review column is looked for before the score column.
DATA_SHEET_ROLES: dict[str, tuple[str, ...]] = {
    "name": (*INDICATOR_ROLES["level3"], "指标", "名称", "name", "indicator"),
    "value": (*INDICATOR_ROLES["actual"], "value", "actual"),
    "unit": (*INDICATOR_ROLES["unit"], "unit"),
    "reason": (*INDICATOR_ROLES["reason"], "reason"),
    "review": (*INDICATOR_ROLES["review"], "review"),
    "rate": (*MONEY_ROLES["rate"], "rate"),
    "evidence": (*EVIDENCE_WORDS, "evidence"),
    "score": (*INDICATOR_ROLES["score"], "score"),  # 得分, 自评分, 自评得分, … (the money block's are among them)
}

# How messages name the columns a data sheet reads (each one of its role's words above).
DATA_SHEET_HEADERS = {"name": "指标名称", "value": "实际完成值", "unit": "单位", "reason": "偏差原因", "score": "得分",
                      "review": "复核分", "rate": "执行率", "evidence": "佐证"}

# Words of header rows that are no column of their own: a merged 绩效指标 above the names, a block label.
GROUP_LABELS = ("绩效指标", "项目资金", "资金情况", "年度资金总额", "资金来源", "预算执行情况", "年度总体目标")
TOTAL_WORDS = ("总分", "合计", "总计", "合计得分", "总得分", "综合得分")
SUBTOTAL_WORDS = ("小计",)
MONEY_UNITS = money_units(smallest_first=False)  # the longest first: 亿元, 万元, 千元, 元

_SUFFIX = re.compile(r"\((?:[A-Za-z]|[A-Za-z]/[A-Za-z]|[A-Za-z]\*100%|%|‰|分|" + alternation(MONEY_UNITS)
                     + r"|[A-Za-z]=[^)]*)\)$")


def normalise(label: str) -> str:
    """A header cell as compared: NFKC (full-width to half-width), no spaces, no suffix like (A) or (万元)."""
    text = unicodedata.normalize("NFKC", label)
    text = re.sub(r"\s+", "", text)
    text = text.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    text = text.lstrip("*★☆")
    while True:
        stripped = _SUFFIX.sub("", text)
        if stripped == text:
            return text
        text = stripped


def header_unit(label: str) -> str | None:
    """The money unit a header names: 「项目资金（元）」 -> 元, 「全年预算数（万元）」 -> 万元."""
    text = unicodedata.normalize("NFKC", label).replace(" ", "")
    for unit in MONEY_UNITS:
        if re.search(rf"\({unit}\)|单位[:：]?{unit}", text):
            return unit
    return None


@dataclass(frozen=True)
class Match:
    role: str
    exact: bool


def role_of(label: str, roles: dict[str, tuple[str, ...]]) -> Match | None:
    """The role a header label names, or None."""
    text = normalise(label)
    if not text:
        return None
    for role, words in roles.items():
        if text in words:
            return Match(role, True)
    best: tuple[int, str] | None = None
    for role, words in roles.items():
        for word in words:
            if len(word) >= 2 and word in text and (best is None or len(word) > best[0]):
                best = (len(word), role)
    return Match(best[1], False) if best else None


def is_total(text: str) -> bool:
    plain = normalise(text).rstrip(":")
    return plain in TOTAL_WORDS or (plain.startswith("总分") and len(plain) <= 6)


def is_subtotal(text: str) -> bool:
    plain = normalise(text)
    return plain.startswith("小计") or plain.endswith("小计")


def is_group_label(text: str) -> bool:
    return normalise(text) in GROUP_LABELS
