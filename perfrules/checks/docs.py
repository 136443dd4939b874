"""The check catalogue as Markdown (docs/checks.md) and as text (`perfrules rule CODE`), from the registry."""

from __future__ import annotations

from perfrules.checks import all_checks
from perfrules.checks.config import thresholds
from perfrules.checks.registry import FAMILIES, Check
from perfrules.messages import CODES

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def describe(check: type[Check], lang: str = "zh") -> str:
    """`perfrules rule PR201`: the title, severity, the documentation with its examples, what the check says
    (its message templates and hints), the settings it reads and how to suppress it."""
    from perfrules.checks.registry import docs_url

    en = lang == "en"
    title = check.title_en if en else check.title
    severity = check.severity.value if en else SEVERITY_ZH[check.severity.value]
    out = [f"{check.code} {title}", f"severity: {severity}" if en else f"默认级别：{severity}", "", _dedent(check.doc()), ""]
    out += _said(list(check.messages.values()), list(check.hints.values()), en)
    if check.settings:
        out += ["", "settings:" if en else "设置（pyproject.toml [tool.perfrules]、perfrules.toml 或 policy）：", ""]
        out += [f"  - {s.name} = {s.default}: {s.en if en else s.zh}" for s in check.settings]
    if check.family == "meta":  # reported after the suppressions: a noqa comment cannot hide what is said of noqa
        said = (f"suppress: not by noqa (# noqa: {check.code} has no effect); --ignore {check.code} or its severity "
                "setting turns it off" if en else
                f"抑制：不能用 noqa 抑制（# noqa: {check.code} 不起作用），用 --ignore {check.code} 或 severity 设置关闭")
    else:
        said = f"suppress: # noqa: {check.code}" if en else f"抑制：在该行末尾写 # noqa: {check.code}"
    out += ["", said, f"{'more' if en else '更多说明'}: {docs_url(check.code)}"]
    return "\n".join(out) + "\n"


def _said(messages: list[tuple[str, str]], hints: list[tuple[str, str]], en: bool) -> list[str]:
    """The message templates and hints of a code, as `perfrules rule` lists them."""
    out: list[str] = []
    if messages:
        out += ["perfrules says:" if en else "perfrules 这样报告（{…} 处是具体的名称和数值）：", ""]
        out += [f"  - {_template(pair[1 if en else 0])}" for pair in messages]
    if hints:
        out += ["", "hints:" if en else "提示：", ""] + [f"  - {_template(pair[1 if en else 0])}" for pair in hints]
    return out


def markdown() -> str:
    """docs/checks.md, generated: do not edit by hand (`perfrules rules --format markdown`)."""
    out = [
        "# 检查目录 Check catalogue",
        "",
        "<!-- 由 `perfrules rules --format markdown > docs/checks.md` 生成，请勿手工编辑。 -->",
        "<!-- Generated from the check registry (perfrules/checks/); a test fails when it drifts. -->",
        "",
        "每个检查有代码、默认级别、标题，以及为什么重要、反例和正例。用 `perfrules rule PR201` 在终端查看，",
        "用 `--select`/`--ignore`（代码或前缀）、`# noqa: PR201` 或 policy 设置调整。",
        "",
        "| 代码 | 默认级别 | 检查 | check |",
        "|---|---|---|---|",
    ]
    for check in all_checks():
        out.append(f"| [{check.code}](#{check.code.lower()}) | {check.severity.value} | {check.title} | {check.title_en} |")
    out += ["", "## 语言与编译错误 Language and compile errors", "",
            "这些问题来自语法分析和编译，带 ✱ 的会使文件无法评分（退出码 2）。`perfrules rule PR013` 列出每个代码的全部报告形式和提示。",
            "", "| 代码 | 级别 | 问题 | problem |",
            "|---|---|---|---|"]
    for code, entry in CODES.items():
        mark = " ✱" if entry.blocking else ""
        out.append(f'| <a id="{code.lower()}"></a>{code}{mark} | {entry.severity} | {entry.title_zh} | {entry.title_en} |')
    out += ["", *SUPPRESSION_DOC]
    for family, (_prefix, zh, en) in FAMILIES.items():
        checks = [c for c in all_checks() if c.family == family]
        if not checks:
            continue
        out += ["", f"## {zh}（{en}）"]
        for check in checks:
            out += ["", f"### {check.code}", "", f"**{check.title}** — {check.title_en}. 默认级别 `{check.severity.value}`.",
                    "", _dedent(check.doc())]
    out += ["", "## 设置 Settings", "",
            "在 `pyproject.toml` 的 `[tool.perfrules]`、`perfrules.toml` 或规则集的 `policy { … }` 中设置"
            "（policy 中把 `-` 写成 `_`，如 `over_completion_warning 150%`）：", "",
            "| 名称 | 默认值 | 说明 | description |", "|---|---|---|---|"]
    for setting in thresholds().values():
        out.append(f"| `{setting.name}` | {setting.default} | {setting.zh} | {setting.en} |")
    out += ["| `select` / `ignore` | | 只运行 / 不运行这些代码或前缀 | run only / skip these codes or prefixes |",
            "| `fail-on` | error | 达到此级别的问题使 lint 的退出码为 1 | the level that makes lint exit 1 |",
            "| `severity` | | 表：改变某个检查的级别，`off` 为关闭 | table: a check's severity, or `off` |",
            "| `roots` | | 列表：`use` 还可以引用的目录（相对于设置文件；不能写在 policy 中） "
            "| list: folders `use` may also read (relative to the settings file; not in a policy) |", ""]
    return "\n".join(out)


SUPPRESSION_DOC = [  # what perfrules.checks.suppress reads, for docs/checks.md
    "## 抑制注释 Suppression comments",
    "",
    "| 写法 | 抑制 |",
    "|---|---|",
    "| `# noqa` | 该行的全部问题（后面可以跟不以代码开头的说明：`# noqa 见附件`） |",
    "| `# noqa: PR201` | 该行的 PR201 |",
    "| `# noqa: PR201, PR202` | 该行的这些代码；代码之间用逗号、空格、顿号 `、` 或分号分开 |",
    "| `# noqa: PR2` | 代码前缀：该行的全部 PR2xx |",
    "| `# noqa: PR202 偏差原因见附件` | PR202；最后一个代码之后的文字是说明 |",
    "| `# perfrules: noqa`、`# perfrules: noqa: PR103` | 整个文件的全部问题、PR103 |",
    "",
    "大小写不限（`# NOQA: pr202`），冒号两侧的空格随意；输入法的全角字符照常读取：`＃ noqa：ＰＲ２０２，PR203` 即"
    " `# noqa: PR202, PR203`。一行只读注释中的第一个 noqa，其后的 `# 注释` 是另一条注释。",
    "",
    "写错的 noqa 从不当作抑制全部问题的 `# noqa`，而是报告 [PR902](#pr902)：无法读取的（`# noqa=PR202`）和冒号后没有代码的"
    "（`# noqa:`、`# noqa: 说明`）不抑制任何问题；不存在的代码（`PR999`）不抑制任何问题，并给出最接近的代码；缺少冒号的"
    " `# noqa PR202` 按 `# noqa: PR202` 读取并报告。没有抑制任何问题的 noqa 报告为 [PR901](#pr901)。"
    "`perfrules lint --fix` 删除没有用到的和不存在的代码（代码都删除时删除整个 noqa，说明文字作为普通注释保留），"
    "补上缺少的冒号。语言与编译错误（上表带 ✱ 的代码）不能用 noqa 抑制（其中 `perfrules rule` 标注为警告或提示的几种写法除外）；"
            "PR901、PR902 也不能，用 `--ignore` 关闭。",
]


def _dedent(doc: str) -> str:
    return doc.strip()


def describe_code(code: str, lang: str = "zh") -> str:
    """`perfrules rule PR013`: a language or compile code explained from the package itself, not from docs."""
    from perfrules.checks.registry import docs_url
    from perfrules.messages import HINTS, MESSAGES, VARIANT_SEVERITY

    entry = CODES[code]
    en = lang == "en"
    title = entry.title_en if en else entry.title_zh
    severity = entry.severity if en else SEVERITY_ZH.get(entry.severity, entry.severity)
    if entry.blocking:
        kind = ("a language or compile error: the file cannot be evaluated, every command exits 2" if en
                else "语言与编译错误：文件无法评分，各命令的退出码为 2；改正后才能计分和运行检查")
    else:
        kind = "a language or compile finding" if en else "语言与编译问题，不妨碍计分"
    said = [_levelled(pair, VARIANT_SEVERITY.get(key), en) for key, pair in MESSAGES.items()
            if key == code or key.startswith(code + ".")]
    if entry.blocking and any(key.startswith(code + ".") for key in VARIANT_SEVERITY):
        kind += ("; the messages marked (warning) or (info) do not stop the file, and noqa can suppress them" if en
                 else "；标注「警告」「提示」的几种不妨碍计分，可以用 noqa 抑制")
    hints = [pair for key, pair in HINTS.items() if key == code or key.startswith(code + ".")]
    out = [f"{code} {title}", f"{'severity' if en else '级别'}: {severity}; {kind}" if en else f"级别：{severity}；{kind}", ""]
    out += _said(said, hints, en)
    out += ["", ("suppress: never (an input error is not suppressed by noqa)" if en else "不能用 noqa 抑制输入错误")
            if entry.blocking else "", f"{'more' if en else '更多说明'}: {docs_url(code)}"]
    return "\n".join(line for i, line in enumerate(out) if line or i < len(out) - 2) + "\n"


def _levelled(pair: tuple[str, str], level: str | None, en: bool) -> tuple[str, str]:
    """A message as `perfrules rule` lists it: marked with its own level when it is not its code's."""
    if level is None:
        return pair
    return (f"（{SEVERITY_ZH.get(level, level)}）{pair[0]}", f"({level}) {pair[1]}")


def _template(text: str) -> str:
    return text.replace("{{", "{").replace("}}", "}")
