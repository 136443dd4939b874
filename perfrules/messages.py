"""The message catalogue of the language's own codes (PR0xx), Chinese first, and the shared texts.

Keys are finding codes (`PR013`) or, where one code has several messages, `code.variant`.
Templates use `str.format` fields filled from a finding's args. The validator's checks (PR1xx-PR9xx)
keep their messages and hints in their own file (perfrules/checks/<family>/PRxxx.py); `render` and
`render_hint` find them there, importing only the one check a key names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import NamedTuple


class Code(NamedTuple):
    severity: str  # default severity: error, warning or info
    blocking: bool  # an error here means the input cannot be evaluated (exit code 2)
    title_zh: str
    title_en: str
    cascades: bool = False  # a syntax error elsewhere in the file (or an unusable framework) can cause it by itself
    partial_safe: bool = True  # False: a dropped line makes it wrong, so a partial analysis leaves it out
    fails_eval: bool = True  # an error of this code fails `perfrules eval` (exit 1)


# The language's own codes. The validator's catalogue (PR1xx-PR9xx) adds to these.
CODES: dict[str, Code] = {
    "PR001": Code("error", True, "语法错误", "syntax error"),
    "PR002": Code("error", True, "代码块的括号不匹配", "unbalanced block braces"),
    "PR003": Code("error", True, "文件无法读取或不是 UTF-8 文本", "unreadable file or not UTF-8 text"),
    "PR004": Code("error", False, "格式化会改变含义，文件未改动", "formatting would change the meaning; file left as is"),
    "PR005": Code("error", True, "同一行重复的子句", "a clause given twice on one line"),
    "PR010": Code("error", True, "名称重复", "duplicate name"),
    "PR011": Code("error", True, "引用了未定义的名称", "unknown name", cascades=True),
    "PR012": Code("error", True, "名称有歧义", "ambiguous name", cascades=True),
    "PR013": Code("error", True, "单位不一致", "unit mismatch"),
    "PR014": Code("error", True, "取值无效", "invalid value"),
    "PR015": Code("error", True, "等级划分无效", "invalid grade bands"),
    "PR016": Code("error", True, "引用的框架无法加载", "framework cannot be used"),
    "PR017": Code("error", True, "指标缺少目标或权重", "indicator lacks a target or weight", cascades=True),
    "PR018": Code("error", True, "实际值无效", "invalid actual"),
    "PR019": Code("error", True, "数据文件无效", "invalid data file"),
    "PR020": Code("error", False, "数据中出现未知指标", "unknown indicator in the data", cascades=True),
    "PR021": Code("warning", False, "指标缺少实际值", "missing actual", partial_safe=False),
    "PR022": Code("error", False, "计算中除以零", "division by zero"),
    "PR023": Code("warning", False, "定量指标的实际值是文字", "a text actual for a quantitative indicator"),
    "PR024": Code("warning", False, "自评表中无法识别的单元格", "a cell of a self-evaluation form that cannot be read"),
    "PR025": Code("warning", False, "评价报告缺少须由评价人撰写的章节", "a report section only people can write is missing"),
    "PR026": Code("warning", False, "数据文件中的值或行需要核实", "a value or row of a data file to confirm"),
    "PR027": Code("info", False, "推定的权重", "inferred weights"),
}
# The validator's checks (PR1xx-PR9xx) carry their own severity, title, messages, hints and flags: perfrules/checks/.


MESSAGES: dict[str, tuple[str, str]] = {
    # syntax
    "PR001.token": ("此处不应出现{found}，应为{expected}", "unexpected {found}; expected {expected}"),
    "PR001.char": ("无法识别的字符 {char}，应为{expected}", "unrecognised character {char}; expected {expected}"),
    "PR001.eof": ("本行不完整，应为{expected}", "incomplete line; expected {expected}"),
    "PR001.more": (
        "另有 {count} 个语法错误未列出（每个文件最多列出 {limit} 个）：先改正上面的错误",
        "{count} more syntax errors not listed (at most {limit} per file): fix the ones above first",
    ),
    "PR002.unclosed": ("代码块 {block} 没有闭合：缺少 }}", "block {block} is never closed: missing }}"),
    "PR002.stray": ("多余的 }}：没有与之对应的代码块", "stray }}: no block is open here"),
    "PR002.deep": (
        "代码块嵌套超过 {limit} 层：此处及其内部的内容未被读取",
        "blocks nest more than {limit} levels deep: this block and what it holds were not read",
    ),
    "PR003": ("无法读取文件：{reason}", "cannot read the file: {reason}"),
    "PR004": (
        "格式化后的文件与原文件含义不同，已保持原样：这是 perfrules 的缺陷，请报告",
        "formatting would change what the file means, so it was left as is: a perfrules bug, please report it",
    ),
    "PR005": ("子句 {clause} 重复出现", "clause {clause} is given twice"),
    # compile
    "PR010": ("名称 {name} 重复定义（首次定义在第 {first} 行）", "{name} is defined twice (first on line {first})"),
    "PR011": ("未定义的名称 {name}", "unknown name {name}"),
    "PR012": ("名称 {name} 有歧义，可能指：{options}", "{name} is ambiguous; it may mean: {options}"),
    "PR013": ("{name} 的单位不一致：{left} 与 {right}", "{name}: unit {left} does not match {right}"),
    "PR013.count": (
        "{name} 的实际值单位 {right} 与目标单位 {left} 不同，不能混算",
        "{name}: the actual is in {right} but the target in {left}; they cannot be mixed",
    ),
    "PR013.plain": (
        "{name} 的目标没有单位，实际值却是 {right}：请给目标写上单位（如 >= 95%）",
        "{name} has a target without a unit but an actual in {right}: give the target its unit (e.g. >= 95%)",
    ),
    "PR013.formula_plain": (
        "{name} 的公式得出 {left}，目标却没有单位：请给目标写上单位（如 >= 30 万元）",
        "{name}: the formula gives {left} but the target has no unit: give the target its unit (e.g. >= 30 万元)",
    ),
    "PR013.date": (
        "{name}：日期与数量不能比较（目标 {left}，实际值 {right}）",
        "{name}: a date cannot be compared with a number (target {left}, actual {right})",
    ),
    "PR013.date_per": (
        "{name} 是日期指标，逾期扣分须按 天 或 月 计（如 deduct 1 per 天），而不是 {right}",
        "{name} is a date: a deduction for lateness counts days or months (e.g. deduct 1 per 天), not {right}",
    ),
    "PR014": ("{what} 的取值 {value} 无效，可选：{options}", "invalid {what} {value}; choose one of: {options}"),
    "PR014.date_day": (
        "日期 {value} 不存在：{year} 年 {month} 月只有 {days} 天",
        "the date {value} does not exist: {year}-{month} has {days} days",
    ),
    "PR014.date_year_range": (
        "日期 {value} 的年份超出 {first}–{last}，请检查是否写错",
        "the year of the date {value} is outside {first}-{last}: check it",
    ),
    "PR014.date_month": ("日期 {value} 不存在：月份应为 1–12", "the date {value} does not exist: the month must be 1-12"),
    "PR014.date_year": (
        "{name} 的目标 {value} 是月份，但规则集没有写年度：请在 ruleset 中写 year 2023，或写成 2023-12",
        "the target {value} of {name} is a month but the ruleset has no year: write year 2023 in the ruleset, "
        "or write the month as 2023-12",
    ),
    "PR014.date_fact": (
        "基础数据 {name} 的值 {value} 是日期：基础数据须是数量，日期写在日期指标的目标和实际值中（如 完成时间 <= {value}）",
        "the fact {name} is the date {value}: a fact is a quantity; a date belongs in a date indicator's target or "
        "actual (e.g. 完成时间 <= {value})",
    ),
    "PR014.date_clause": (
        "日期指标 {name} 不能写 {clause}：日期按是否按期计分，逾期扣分写 deduct 1 per 天（或 per 月）",
        "the date indicator {name} cannot take {clause}: a date is met or missed; for a deduction per day late "
        "write deduct 1 per 天 (or per 月)",
    ),
    "PR014.elements_sum": (
        "{name} 各要素的分值之和为 {sum}，应为 100%",
        "the element shares of {name} add up to {sum}, not 100%",
    ),
    "PR014.elements_twice": ("{name} 的要素 {label} 写了两次", "element {label} of {name} is given twice"),
    "PR014.elements_on": (
        "要素 elements 只用于定性指标：{name} 有比较目标，不能再按要素计分",
        "elements apply to qualitative rows only: {name} has a target to compare with",
    ),
    "PR014.qualitative_clause": (
        "定性指标 {name} 不能写 {clause}：定性指标按档次与得分率计分；按表上的档次给分请写 levels（等次），按要素给分请写 elements",
        "the qualitative indicator {name} cannot take {clause}: a tier and its rate score it; for the table's levels "
        "write levels, for a checklist elements",
    ),
    "PR014.clause_unused": (
        "{name} 按 {chosen} 计分，写的 {clause} 不起作用：一行只用一种计分规则，请删去其中之一",
        "{name} is scored by {chosen}, so its {clause} would do nothing: a row has one scoring rule, remove one",
    ),
    "PR014.levels_on": (
        "等次 levels 只用于定性指标：{name} 有比较目标，按目标计分，不能再按等次评定",
        "levels apply to qualitative rows only: {name} has a target to compare with",
    ),
    "PR014.levels_and_elements": (
        "{name} 同时写了要素 elements 和等次 levels：一行只能用一种方式计分",
        "{name} has both elements and levels: a row is scored one way",
    ),
    "PR014.levels_twice": ("{name} 的等次 {label} 写了两次", "level {label} of {name} is given twice"),
    "PR014.levels_share": (
        "{name} 的等次 {label} 得分比例为 {share}，超过 100%",
        "level {label} of {name} has a share of {share}, more than 100%",
    ),
    "PR014.signed": (
        "定性指标 {name} 不能写 signed（可为负）：只有定量指标的实际值可以为负",
        "the qualitative indicator {name} cannot be signed: only a quantitative actual can be negative",
    ),
    "PR014.cycle": (
        "{name} 的公式循环引用了自身（直接或经由其他基础数据、指标），无法计算",
        "the formula of {name} refers to itself (directly or through other facts and indicators): it cannot be computed",
    ),
    "PR014.section": (
        "子句 {clause} 不能用于维度或分组 {name}：只有 weight 可以",
        "clause {clause} does not apply to the section {name}: only weight does",
    ),
    "PR014.big": ("数值 {value} 太大（不超过 15 位整数）：请换用更大的单位，如 万元、亿元", "the number {value} is too large (at most 15 digits): use a larger unit"),
    "PR014.depth": (
        "公式太长：运算嵌套超过 {limit} 层。请拆成几个基础数据（facts）逐步计算",
        "the formula nests more than {limit} operators: split it into several facts",
    ),
    "PR014.weight": ("权重不能为负数：{name} {value}", "a weight cannot be negative: {name} {value}"),
    "PR014.settings": ("设置有误：{reason}", "bad settings: {reason}"),
    "PR014.deduct_over": (
        "{name} 的目标是 {comparator}，扣分却写「{word}」（超过目标扣分）：perfrules 按低于目标的差距扣分，超过目标不扣分",
        "{name} has a {comparator} target but its deduction says {word} (points off for exceeding it): perfrules "
        "deducts for the shortfall below the target and never for exceeding it",
    ),
    "PR014.deduct_under": (
        "{name} 的目标是 {comparator}，扣分却写「{word}」（低于目标扣分）：perfrules 按超过目标的差距扣分，低于目标不扣分",
        "{name} has a {comparator} target but its deduction says {word} (points off for falling short): perfrules "
        "deducts for the excess above the target and never for falling short",
    ),
    "PR014.policy": ("规则集的 policy 有误：{reason}", "the ruleset's policy: {reason}"),
    "PR014.scale": (
        "满分 scale 须大于 0：{name} 写了 scale {value}",
        "a scale must be above 0: {name} is written with scale {value}",
    ),
    "PR014.scale_unit": (
        "满分 scale 是得分，只能写数字或 分：{name} 写了 scale {value}",
        "a scale is a number of points, written bare or in 分: {name} is written with scale {value}",
    ),
    "PR014.scale_clause": (
        "{name} 按满分 {scale} 打分，没有目标可比，不能写 {clause}：得分 = 分值 × 实际得分 / 满分",
        "{name} is scored out of {scale} and has no target to compare with, so it cannot take {clause}: "
        "its score is weight × actual / scale",
    ),
    "PR014.zero": (
        "权重不能为 0：{name} 写了 weight 0，这一行不计分。不计分的指标请删除，或写出表上的分值",
        "a weight cannot be 0: {name} is written with weight 0 and scores nothing; remove the row or write its points",
    ),
    "PR014.actual_unit": (
        "按实际值计分（method actual）须用于以 % 计的比率指标，而 {name} 的单位是 {unit}：得分 = 分值 × 实际值 没有意义",
        "method actual needs a rate in %, but {name} is in {unit}: weight × actual means nothing",
    ),
    "PR014.rate_unit": (
        "执行率 rate 只用于以 % 计的指标（如 预算执行率），而 {name} 的单位是 {unit}",
        "a printed rate only goes with an indicator in % (such as 预算执行率), but {name} is in {unit}",
    ),
    "PR014.fact_clause": (
        "基础数据 {name} 不是指标，不能写 {clause}：得分、复核分、偏差原因和佐证只属于指标行",
        "{name} is a fact, not an indicator, so it cannot take {clause}: scores, review scores, reasons and evidence belong to indicator rows",
    ),
    "PR027": (
        "{count} 个权重是推定的（表上没有印出）：{names}；请与原表核对",
        "{count} weight(s) are inferred (the form did not print them): {names}; please check them against the form",
    ),
    "PR014.cap": ("封顶比例应不低于 100%：{name} {value}", "cap must be at least 100%: {name} {value}"),
    "PR014.range": ("区间下限大于上限：{name} {low} ~ {high}", "range low above high: {name} {low} ~ {high}"),
    "PR014.tiers": (
        "定性档次界限应满足 100% > 达成下限 > 部分达成下限 > 0：{high} {low}",
        "qualitative tier bounds must satisfy 100% > achieved > partly achieved > 0: {high} {low}",
    ),
    "PR014.steps": ("阶梯计分的门槛须从高到低排列：{name}", "steps thresholds must run from high to low: {name}"),
    "PR014.steps_up": (
        "阶梯按实际值（steps actual）在 <= 或 < 目标上的门槛是上限，须从低到高排列：{name}",
        "steps actual thresholds on a <= or < target are upper bounds and must run from low to high: {name}"),
    "PR014.steps_actual": (
        "阶梯按实际值（steps actual）只用于目标为 >= > <= < 的指标，{name} 的目标是 {cmp}：门槛是下限还是上限无从判断",
        "steps actual needs a >=, >, <= or < target, and {name}'s is {cmp}: whether the thresholds are lower or upper"
        " bounds cannot be told"),
    "PR014.steps_actual_qualitative": (
        "{name} 是定性指标，没有可与门槛比较的实际数值，不能写阶梯按实际值（steps actual）",
        "{name} is qualitative: it has no actual number to compare with thresholds, so it cannot take steps actual"),
    "PR014.method": (
        "计分方法 {value} 不适用于比较符 {cmp}（{name}）",
        "scoring method {value} does not fit comparator {cmp} ({name})",
    ),
    "PR015": ("等级划分无效：{reason}", "invalid grade bands: {reason}"),
    "PR016": ("无法引用框架 {name}：{reason}", "cannot use framework {name}: {reason}"),
    # after the message of a finding located in a file the linted one `use`s (Finding.through)
    "use.via": ("（由 {file}:{line} 的 use 引用）", " (through the use at {file}:{line})"),
    # before it in the language server, which shows it at the use line
    "use.at": ("{file}:{line}：", "{file}:{line}: "),
    "PR017.target": (
        "公式指标 {name} 缺少目标，应写成 {name} = 公式 >= 目标",
        "formula indicator {name} lacks a target: write {name} = formula >= target",
    ),
    "PR017.empty": (
        "规则文件中没有任何指标：至少写一行，如 资格认证人数 >= 60000 人 weight 5",
        "the rule file has no indicators: write at least one, e.g. 资格认证人数 >= 60000 人 weight 5",
    ),
    "PR017.weight": ("指标 {name} 缺少权重（weight）", "indicator {name} has no weight"),
    "PR018.tier": (
        "定性指标 {name} 评为「{tier}」，其得分率应在 {low}–{high} 之间，而给出的是 {rate}",
        "qualitative indicator {name} rated {tier} must score {low}-{high} of its weight, not {rate}",
    ),
    "PR018.tier_needs_rate": (
        "定性指标 {name} 评为「{tier}」时须给出得分率，如 {tier} {example}",
        "qualitative indicator {name} rated {tier} needs a rate, e.g. {tier} {example}",
    ),
    "PR018.kind": (
        "{name} 是{kind}指标，实际值应为{expected}，而不是 {value}",
        "{name} is a {kind} indicator; its actual must be {expected}, not {value}",
    ),
    "PR018.date_day": (
        "实际值中的日期 {value} 不存在：{year} 年 {month} 月只有 {days} 天",
        "the date {value} among the actuals does not exist: {year}-{month} has {days} days",
    ),
    "PR018.date_year_range": (
        "实际值中的日期 {value} 的年份超出 {first}–{last}，请检查是否写错",
        "the year of the date {value} among the actuals is outside {first}-{last}: check it",
    ),
    "PR018.date_month": (
        "实际值中的日期 {value} 不存在：月份应为 1–12",
        "the date {value} among the actuals does not exist: the month must be 1-12",
    ),
    "PR018.date_year": (
        "{name} 的实际值 {value} 只写了月份，无法确定年度：请写成 2023-11 或 2023-11-30",
        "the actual {value} of {name} is a month without a year: write 2023-11 or 2023-11-30",
    ),
    "PR018.date_day_needed": (
        "{name} 的目标精确到日（{target}）或按天扣分，实际值 {value} 只到月份：请写出完成日期，如 2023-11-30",
        "{name} has a target to the day ({target}) or deducts per day, but the actual {value} is a month: "
        "write the date, e.g. 2023-11-30",
    ),
    "PR018.element": (
        "{name} 没有要素 {label}，可选：{options}",
        "{name} has no element {label}; its elements are: {options}",
    ),
    "PR018.level": (
        "{name} 没有等次「{value}」，可选：{options}",
        "{name} has no level {value}; its levels are: {options}",
    ),
    "PR018.no_levels": (
        "{name} 的实际值「{value}」是等次，但该行没有写等次：在指标行写 levels 优:100% 良:80% 中:60% 差:0（按表上的比例），"
        "或写 达成 100% 这样的档次与得分率",
        "the actual {value} of {name} is a level, but the row names none: write levels 优:100% 良:80% 中:60% 差:0 "
        "on the indicator line (the table's shares), or a tier and rate such as 达成 100%",
    ),
    "PR018.scale_kind": (
        "{name} 按满分 {scale} 打分，实际值应为 0–{scale} 的得分（如 90、90 分）或满分的百分比（如 90%），而不是 {value}",
        "{name} is scored out of {scale}; its actual must be a score of 0-{scale} (90, 90 分) or a percentage of the "
        "scale (90%), not {value}",
    ),
    "PR018.scale_above": (
        "{name} 的实际得分 {value} 超过满分 {scale}",
        "the actual {value} of {name} is above its scale of {scale}",
    ),
    "PR018.fact": ("基础数据 {name} 的值须是数量，而不是 {value}", "fact {name} needs a quantity, not {value}"),
    "PR018.negative_scale": (
        "{name} 的得分 {value} 为负数：按满分 {scale} 打分的行，得分应在 0–{scale} 之间",
        "the score {value} of {name} is negative: a row scored out of {scale} takes 0-{scale}",
    ),
    "PR018.negative": (
        "{name} 的实际值 {value} 为负数：完成值通常不会小于零，请检查数据或符号；若该指标可以为负（如增长率），在指标后写 signed（可为负）",
        "the actual {value} of {name} is negative: check the data or its sign; if the indicator can be negative "
        "(a growth rate), write signed after it",
    ),
    "PR018.range": (
        "{name} 的实际值 {value} 与目标相差悬殊，超出可计算的范围，无法计分：请检查目标与实际值的单位",
        "the actual {value} of {name} is so far from the target that it cannot be computed: check both units",
    ),
    "PR018.value": ("无法理解 {name} 的实际值 {value}", "cannot read the actual of {name}: {value}"),
    "PR019": ("数据文件 {file} 无效：{reason}", "invalid data file {file}: {reason}"),
    "PR019.plan": ("计划文件 {file} 无效：{reason}", "invalid plan file {file}: {reason}"),
    "PR020": ("实际值中的 {name} 不是本规则集中的指标或基础数据", "{name} among the actuals is not an indicator or fact of this ruleset"),
    "PR021": ("指标 {name} 没有实际值，按 0 分计", "indicator {name} has no actual; it scores 0"),
    "PR021.fact": ("基础数据 {name} 没有取值", "fact {name} has no value"),
    "PR022": ("计算 {name} 时除以零", "division by zero while computing {name}"),
    "PR022.big": (
        "计算 {name} 得出的数值 {value} 超出范围（整数部分至多 {limit} 位），不参与计分",
        "computing {name} gives {value}, beyond the range (at most {limit} integer digits); it is not scored",
    ),
    "PR023": ("{name} 的实际值是文字「{value}」，无法计分，按 0 分计", "the actual of {name} is text ({value}); it scores 0"),
    "PR024": ("单元格 {cell}「{text}」：{reason}（已作为注释保留）", "cell {cell} ({text}): {reason} (kept as a comment)"),
    "PR024.inferred": (
        "单元格 {cell}「{text}」的分值是推断的：{reason}（规则文件中以注释标明，请核对）",
        "the weight of {cell} ({text}) is inferred: {reason} (marked with a comment; please check)",
    ),
    "PR024.deadline": (
        "单元格 {cell}「{text}」是没有比较符的日期，按截止日期 <= {date} 导入：若要求恰在当日，请改为 = {date}",
        "cell {cell} ({text}) is a date without a comparator, imported as the deadline <= {date}; "
        "write = {date} if it must be that very day",
    ),
    "PR024.sheet": (
        "工作簿中的工作表 {sheets} 未导入（{why}）；导入的是 {sheet}，可用 --sheet 指定另一张",
        "sheet(s) {sheets} of the workbook were not imported ({why}); {sheet} was, --sheet chooses another",
    ),
    "PR024.rate_ratio": (
        "单元格 {cell} 印出的执行率「{printed}」没有 %，按比值读作 {rate}（写作 rate {rate}）：若表上就是 {printed}%，请改正",
        "cell {cell} prints the execution rate {printed} without %; read as a ratio, {rate} (written rate {rate}): "
        "correct it if the form means {printed}%",
    ),
    "PR024.line": (
        "单元格 {cell}「{text}」所在行无法写成可编译的规则（{reason}），已作为注释保留",
        "the row of cell {cell} ({text}) cannot be written as a rule that compiles ({reason}); kept as a comment",
    ),
    "PR025": (
        "报告缺少「{section}」（{place}）：这部分须由评价人撰写，perfrules 不代写，报告中留有待补标记",
        "the report lacks {section} ({place}): only people can write it; the report marks the gap",
    ),
    "PR025.unknown": (
        "--text 文件中的章节「{section}」既不是报告的章节，也不是指标或分组的名称，未写入报告",
        "section {section} of the --text file is neither a report section nor an indicator or group; left out",
    ),
    "PR026.magnitude": (
        "{name} 的实际值 {value} 没有写单位，按目标的单位读作 {shown}，与目标「{target}」相差约 {factor} 倍",
        "the actual of {name}, {value}, has no unit and is read in the target's unit as {shown}: "
        "about {factor} times off the target {target}",
    ),
    "PR026.percent": (
        "{name} 的实际值 {value} 没有写 %，按目标的单位读作 {shown}，而目标是「{target}」",
        "the actual of {name}, {value}, has no %: it is read as {shown} against the target {target}",
    ),
    "PR026.total": ("{cell}「{text}」是合计行，不是指标：已跳过", "{cell} ({text}) is a total row, not an indicator: skipped"),
    "PR026.column": (
        "{cell}「{text}」不是数据表读取的列：这一列没有读取",
        "{cell} ({text}) is no column a data sheet reads: the column is not read",
    ),
    "PR026.column_form": (
        "{cell}「{text}」是自评表的列，不是实际值：这一列没有读取",
        "{cell} ({text}) is a column of the self-evaluation form, not an actual: the column is not read",
    ),
    "PR026.title": ("{cell}「{text}」是标题行，不是指标：已跳过", "{cell} ({text}) is a title row, not an indicator: skipped"),
}

HINTS: dict[str, tuple[str, str]] = {
    "PR014.deduct_over": (
        "{comparator} 目标少于、低于目标时扣分，写成 {fits}；若本意是超过目标扣分，比较符应为 <=",
        "a {comparator} target loses points for falling short: write {fits}; if exceeding it should cost points, "
        "the comparator is <=",
    ),
    "PR014.deduct_under": (
        "{comparator} 目标超过目标时扣分，写成 {fits}；若本意是低于目标扣分，比较符应为 >=",
        "a {comparator} target loses points for exceeding it: write {fits}; if falling short should cost points, "
        "the comparator is >=",
    ),
    "PR014.policy": (
        "policy 中一行一项，如 over_completion_warning 150% 或 PR201 off（可写的设置和取值见 docs/checks.md「设置」一节）",
        "one entry a line, e.g. over_completion_warning 150% or PR201 off (the settings and their values: "
        "docs/checks.md, Settings)",
    ),
    "PR014.settings": (
        "改正设置文件中的这一项（可写的设置和取值见 docs/checks.md「设置」一节）；改正之前这个项目的审核检查无法运行",
        "correct that entry of the settings file (the settings and their values: docs/checks.md, Settings); until "
        "then this project's checks cannot run",
    ),
    "PR017.weight": ("在指标行末写上分值，如 weight 5（表上没有印出分值时写 weight 5 inferred）",
                     "add the row's points at the end of the line, e.g. weight 5 (weight 5 inferred when the form printed none)"),
    "PR017.target": ("写成 名称 = 公式 >= 目标，如 结余率 = 结余 / 预算 <= 5%", "write name = formula >= target, e.g. 结余率 = 结余 / 预算 <= 5%"),
    "quote_name": (
        "名称含空格、括号或特殊符号时，请用双引号括起来，如 \"★★★农村低保发放人数(按月平均)\"",
        'quote a name that has spaces, brackets or symbols: "★ name (unit)"',
    ),
    "need_comparator": (
        "目标前需要比较符，如 >= 60000 人；定性指标写 qualitative",
        "put a comparator before the target, e.g. >= 60000; write qualitative for a qualitative row",
    ),
    "need_comparator.grades": ("分数段写成 名称 >= 分数，如 良 >= 80；最低一档写 差 otherwise",
                               "write a band as name >= points, e.g. 良 >= 80; the lowest as 差 otherwise"),
    "need_comparator.facts": ("基础数据写成 名称 = 数值，如 预算数 = 100 万元", "write a fact as name = value, e.g. 预算数 = 100 万元"),
    "thousands": (
        "千位分隔符须每三位一组（8,755、1,234,567.5），或者不写：8755",
        "thousands separators go in groups of three (8,755, 1,234,567.5), or write none: 8755",
    ),
    "comma": (
        "子句之间不需要逗号「，」：删除它，用空格分开（如 >= 95% weight 10）",
        "clauses need no comma between them: remove it and separate them with a space (e.g. >= 95% weight 10)",
    ),
    "unclosed_string": ("引号没有闭合：在本行内补上结尾的 \"", 'the quote is never closed: add the closing " on this line'),
    "paren": ("表达式中请使用半角括号 ( )", "use ASCII brackets ( ) in formulas"),
    "block_open": ("代码块的 {{ 须在行尾，}} 须单独占一行", "a block's {{ ends its header line and }} stands on a line of its own"),
    "space_keyword": (
        "关键字与名称、数字之间需要空格，如 权重 5",
        "separate keywords from names and numbers with a space, e.g. weight 5",
    ),
    "deduct_points_word": (
        "扣分子句不写「分」：写成 扣 1 每少 1 处，或照表上的顺序 每少 1 处 扣 1",
        "a deduction is written without 分: 扣 1 每少 1 处, or in the printed order 每少 1 处 扣 1",
    ),
    "space_deduct": (
        "单位与「扣」连在一起会读成一个单位（如「处扣」）：在「扣」前加空格，如 每少 1 处 扣 1",
        "a unit written together with 扣 reads as one unit (处扣): put a space before 扣, e.g. 每少 1 处 扣 1",
    ),
    "close_block": ("在代码块末尾单独一行写 }}", "add a line with }} at the end of the block"),
    "flatten_blocks": ("把深层的分组提到上一层，或拆成几个规则文件", "move the inner groups up a level, or split the file"),
    "remove_brace": ("删除这个 }}，或检查上面的代码块是否多写了 }}", "remove this }}, or look for an extra }} above"),
    "split_comparator": ("比较符中间不能有空格：写 >= 或 <=", "write a comparator without a space inside: >= or <="),
    "keyword_typo": (
        "是不是拼错了关键字？如 dimension、group、weight、cap、method",
        "is a keyword misspelt? e.g. dimension, group, weight, cap, method",
    ),
    "keyword_typo.word": ("是不是 {word}？", "did you mean {word}?"),
    "date_range_year": (
        "日期区间的第二个日期也要写出年份（不会取第一个日期的年份），如 {fixed}（或 {iso}）",
        "the second date of a window needs its year too (it is not taken from the first): {fixed} (or {iso})",
    ),
    "date_range_year.iso": (
        "日期区间的第二个日期也要写出年份（不会取第一个日期的年份），如 {fixed}",
        "the second date of a window needs its year too (it is not taken from the first): {fixed}",
    ),
    "unreadable_expect": (
        "核对（expect）写报告公布的数字，如 total 90.5：无法辨认的公布数不能核对，不写这一项即可"
        "（行上无法辨认的得分写在实际值行：score ?）",
        "expect holds the figures the report publishes, e.g. total 90.5: a figure that cannot be read cannot be "
        "checked, so leave the item out (a row's unreadable score goes on its actual line: score ?)",
    ),
    "unreadable_here": (
        "? 只用于实际值行上无法辨认的公布得分（score ? 或 review ?）：这里请写数字",
        "? stands only for an unreadable published score on an actual line (score ? or review ?): write a number here",
    ),
    "date_here": (
        "日期只能写在日期指标的目标（完成时间 <= 2023-12-31）和实际值中；要做减法，请在 - 两侧加空格（2023 - 12）",
        "a date stands only in a date indicator's target (完成时间 <= 2023-12-31) and actual; for a subtraction put "
        "spaces around - (2023 - 12)",
    ),
    "PR025": ("在 --text 给出的 Markdown 文件中加一节「## {section}」，写明其内容", "add a section `## {section}` to the --text Markdown file"),
    "PR025.unknown": ("检查标题是否写错；报告的章节见 docs/reports.md", "check the heading; the report's sections are in docs/reports.md"),
    "PR026.magnitude": ("是不是 {meant}？写上单位即可消除此警告", "did you mean {meant}? Write the unit to silence this"),
    "PR026.percent": ("是不是 {meant}？写上 % 即可消除此警告", "did you mean {meant}? Write the % to silence this"),
    "PR026.column": ("数据表读取这些列：{columns}（及 perfrules/data/headers.py 中的其他写法）；这一列若是其中之一，请改用这些表头",
                     "a data sheet reads these columns: {columns} (and the other spellings in perfrules/data/headers.py); "
                     "if this column is one of them, give it one of these headers"),
    "PR026.total": ("合计、小计由 perfrules 计算，数据表中每个指标一行即可", "perfrules adds up totals: one row per indicator is enough"),
    "punctuation": ("规则文件不用逗号、分号分隔：删除这个标点", "rule files need no commas or semicolons: remove it"),
    "did_you_mean": ("是不是：{options}？", "did you mean: {options}?"),
    "use_path": (
        "用路径指明是哪一个，如 \"产出/产出质量/资金到位率\"（路径须加引号）",
        'name it by its path, e.g. "产出/产出质量/资金到位率" (quote a path)',
    ),
    "binary": ("perfrules 规则文件应为 UTF-8 文本", "a perfrules file is UTF-8 text"),
    "spreadsheet": (
        "这是表格文件，不是规则文件：自评表用 perfrules import 转为规则文件，或用 perfrules audit 直接审核；"
        "实际值表用 perfrules eval 规则文件 --data 表格",
        "this is a spreadsheet, not a rule file: import a 自评表 with perfrules import or audit it with perfrules audit; "
        "give a table of actuals to perfrules eval RULES --data TABLE",
    ),
}

# How expected terminals are named to a person.
TERMINALS: dict[str, tuple[str, str]] = {
    "NAME": ("名称", "a name"),
    "STRING": ("带引号的文字", "quoted text"),
    "NUMBER": ("数字", "a number"),
    "DATE": ("日期（如 2023-12-31、2023-12、2023年12月）", "a date (e.g. 2023-12-31, 2023-12, 2023年12月)"),
    "cmp": ("比较符（>= <= = > <）", "a comparator (>= <= = > <)"),
    "GE": ("比较符（>= <= = > <）", "a comparator (>= <= = > <)"),
    "LE": ("比较符（>= <= = > <）", "a comparator (>= <= = > <)"),
    "GT": ("比较符（>= <= = > <）", "a comparator (>= <= = > <)"),
    "LT": ("比较符（>= <= = > <）", "a comparator (>= <= = > <)"),
    "EQ": ("=", "="),
    "PERCENT": ("%", "%"),
    "PERMILLE": ("‰", "‰"),
    "LBRACE": ("{", "{"),
    "RBRACE": ("}", "}"),
    "TIER": ("定性档次（达成/部分达成/未达成）", "a qualitative tier (达成/部分达成/未达成)"),
    "ROUND_MODE": ("舍入方式（half-up/half-even/down/up）", "a rounding mode (half-up/half-even/down/up)"),
    "UNREADABLE": ("?（无法辨认的分数）", "? (a score that cannot be read)"),
    "$END": ("行尾", "the end of the line"),
    "COLON": (":", ":"),
    "PLUS": ("+", "+"),
    "MINUS": ("-", "-"),
    "STAR": ("*", "*"),
    "SLASH": ("单位中的「/」", "/ (in a unit)"),
    "TILDE": ("~", "~"),
    "LPAR": ("(", "("),
    "RPAR": (")", ")"),
}


class Said(str):
    """A text in Chinese (its value as a `str`) that also says itself in English: a finding's argument
    is shown with `words(lang)` in the reader's language, and compares as its Chinese text."""

    en: str

    def __new__(cls, zh: str, en: str) -> Said:
        made = super().__new__(cls, zh)
        made.en = en
        return made

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return (str(self), self.en)

    def words(self, lang: str) -> str:
        return self.en if lang == "en" else str(self)


OS_REASONS = {2: ("文件或目录不存在", "no such file or directory"), 13: ("没有权限", "permission denied"),
              21: ("这是一个目录", "it is a directory"), 20: ("路径中有一部分不是目录", "a part of the path is not a directory"),
              28: ("磁盘已满", "no space left on the disk"), 30: ("文件系统只读", "read-only file system"),
              36: ("文件名太长", "the file name is too long")}


# Why bytes are not a rule file's text (PR003), by what they are.
NOT_TEXT = {
    "workbook": ("这是 Excel 工作簿（xlsx/xls）或其他压缩文件，不是文本", "this is an Excel workbook (xlsx/xls) or another "
                 "compressed file, not text"),
    "utf16": ("这是 UTF-16 编码的文本：请另存为 UTF-8", "this is text in UTF-16: save it as UTF-8"),
    "gbk": ("这是 GBK/GB18030 编码的文本：请另存为 UTF-8", "this is text in GBK/GB18030: save it as UTF-8"),
    "binary": ("不是 UTF-8 文本（可能是二进制文件）", "not UTF-8 text (perhaps a binary file)"),
}


def os_reason(error: OSError) -> Said:
    """Why a file could not be read or written: Chinese as a `str`, English through `words("en")` (a finding's
    argument is shown in the reader's language); an errno not listed is said as the system says it."""
    pair = OS_REASONS.get(error.errno or 0)
    if pair is not None:
        return Said(*pair)
    said = error.strerror or str(error)
    return Said(said, said)


VARIANT_SEVERITY = {
    "PR014.zero": "warning", "PR014.deduct_over": "warning", "PR014.deduct_under": "warning",
    "PR024.deadline": "info", "PR024.rate_ratio": "info", "PR026.column_form": "info",
}
"""The variants whose findings are not of their code's level (a weight written 0 is a warning, not an error that stops
the file): Finding.make takes it when no severity is given, and `perfrules rule` marks these messages."""


def default_severity(code: str, key: str = "") -> str:
    """The level of a finding of `code` (of its variant `key`, when that variant has a level of its own)."""
    if key in VARIANT_SEVERITY:
        return VARIANT_SEVERITY[key]
    entry = CODES.get(code)
    return entry.severity if entry else "error"


def is_blocking(code: str) -> bool:
    entry = CODES.get(code)
    return bool(entry and entry.blocking)


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def template(key: str) -> tuple[str, str] | None:
    """The (Chinese, English) message of a key (`PR013.plain`, else its code's), wherever it is declared."""
    if _is_check_key(key):
        return _checks()[0](key)  # imports the one check's module, on the first finding of its code
    return MESSAGES.get(key) or MESSAGES.get(key.split(".")[0])


def hint_template(key: str) -> tuple[str, str] | None:
    if _is_check_key(key):
        return _checks()[1](key)
    return HINTS.get(key)


Lookup = Callable[[str], tuple[str, str] | None]


@cache
def _checks() -> tuple[Lookup, Lookup]:
    """The registry's message and hint lookups, imported on the first message of a check (a later stage)."""
    from perfrules.checks import hint_of, message_of

    return message_of, hint_of


def _is_check_key(key: str) -> bool:
    """A key of the validator's catalogue: PR1xx-PR9xx (PR0xx and the shared hints live here)."""
    return key.startswith("PR") and key[2:3].isdigit() and key[2] != "0"


def render(key: str, lang: str, args: dict[str, object]) -> str:
    pair = template(key)
    if pair is None:
        return key
    return _pick(pair, lang).format(**{k: _show(v, lang) for k, v in args.items()})


def render_hint(key: str, lang: str, args: dict[str, object]) -> str:
    pair = hint_template(key)
    if pair is None:
        return ""
    return _pick(pair, lang).format(**{k: _show(v, lang) for k, v in args.items()})


def terminal_words(names: list[str], lang: str, keywords: dict[str, list[str]], lead: str = "") -> str:
    """Say in words what the parser expected; keywords are shown as written (`weight/权重`); `lead` (the keyword
    a typo meant) first, so that it is never among those cut off."""
    words: list[str] = []
    for name in sorted(names, key=lambda name: (name != lead, _terminal_order(name))):
        pair = TERMINALS.get(name)
        word = _pick(pair, lang) if pair else _keyword_word(keywords.get(name, [name.lower()]))
        if word and word not in words:
            words.append(word)
    sep = "、" if lang != "en" else ", "
    return sep.join(words[:8]) + ("…" if len(words) > 8 else "")


def _keyword_word(spellings: list[str]) -> str:
    """A keyword as `weight/权重`: its first English and first Chinese spelling."""
    english = [s for s in spellings if s.isascii()]
    chinese = [s for s in spellings if not s.isascii()]
    return "/".join((english[:1] + chinese[:1]) or spellings[:1])


def _terminal_order(name: str) -> tuple[int, str]:
    # Names and values first (then weight, the clause nearly every line has), punctuation and the end of line last.
    first = ("NAME", "STRING", "NUMBER", "GE", "LE", "GT", "LT", "EQ", "WEIGHT")
    return (first.index(name) if name in first else len(first), name)


def _show(value: object, lang: str) -> str:
    words = getattr(value, "words", None)
    if callable(words):
        return str(words(lang))
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def hint_label(lang: str = "zh") -> str:
    """What comes before a finding's hint wherever one is shown (提示：, hint: ): one spelling for every face."""
    return "hint: " if lang == "en" else "提示："
