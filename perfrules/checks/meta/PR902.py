from __future__ import annotations

from collections.abc import Iterator

from perfrules.checks.registry import Check, Context
from perfrules.findings import Finding, Severity


class MalformedSuppression(Check):
    """noqa 注释写错了：无法读取、冒号后没有代码、缺少冒号，或代码不存在。

    写错的 noqa 注释从不当作抑制该行全部问题的 `# noqa`：无法读取的注释（`# noqa=PR202`）和冒号后没有代码的注释
    （`# noqa:`、`# noqa: 说明`）不抑制任何问题；不存在的代码（`PR999`）不抑制任何问题，并给出最接近的代码；
    缺少冒号的 `# noqa PR202` 按 `# noqa: PR202` 读取，也报告出来（`perfrules lint --fix` 补上冒号、删除不存在的代码）。

    可以这样写：`# noqa`（抑制该行全部问题，后面可以跟说明，如 `# noqa 见附件`）、`# noqa: PR201, PR202`
    （代码之间用逗号、空格、顿号或分号分开，代码后面可以跟说明，如 `# noqa: PR202 偏差原因见附件`）、
    `# noqa: PR2`（代码前缀）、文件级的 `# perfrules: noqa` 与 `# perfrules: noqa: PR103`。输入法的全角字符
    （`＃ noqa：ＰＲ２０２，PR203`）与大小写都照常读取。本检查不能用 noqa 抑制，可以用 `--ignore PR902`
    或 severity 设置关闭。

    **反例 Anti-pattern**

    ```perf
    培训场次 >= 10 场 weight 100  # noqa: PR999
    actuals {
      培训场次 = 12 场
    }
    ```

    **正例 Best practice**

    ```perf
    培训场次 >= 10 场 weight 100  # noqa: PR201
    actuals {
      培训场次 = 12 场
    }
    ```
    """

    code = "PR902"
    severity = Severity.WARNING
    title = "noqa 注释写错了"
    title_en = "a malformed noqa comment"
    messages = {
        "PR902.empty": ("noqa 注释「{text}」的冒号后没有代码，不抑制任何问题",
                        "the noqa comment \"{text}\" names no code after its colon: it suppresses nothing"),
        "PR902.syntax": ("无法读取 noqa 注释「{text}」，它不抑制任何问题",
                         "cannot read the noqa comment \"{text}\": it suppresses nothing"),
        "PR902.colon": ("noqa 注释「{text}」的代码前缺少冒号，按 {fixed} 读取",
                        "the noqa comment \"{text}\" has no colon before its codes: read as {fixed}"),
        "PR902.in_remark": ("noqa 注释中的 {which} 写在说明里，不被读作代码，不抑制它；要抑制它请写作 {fixed}",
                            "{which} stands in the noqa comment's remark, so it is not read as a code and suppresses "
                            "nothing; to suppress it write {fixed}"),
        "PR902.unknown": ("noqa 注释中的 {which} 不是已知的代码，不抑制任何问题：是不是 {near}？",
                          "the noqa comment names {which}, which is no known code: it suppresses nothing; did you mean {near}?"),
        "PR902.unknown_far": ("noqa 注释中的 {which} 不是已知的代码，不抑制任何问题",
                              "the noqa comment names {which}, which is no known code: it suppresses nothing"),
    }
    hints = {
        "PR902.empty": ("写作 # noqa: PR201（多个代码用逗号分开），或只写 # noqa 抑制该行的全部问题",
                        "write # noqa: PR201 (codes separated by commas), or a bare # noqa for every code of the line"),
        "PR902.syntax": ("写作 # noqa: PR201, PR202 抑制这些代码，或只写 # noqa 抑制该行的全部问题",
                         "write # noqa: PR201, PR202 for those codes, or a bare # noqa for every code of the line"),
        "PR902.colon": ("写作 {fixed}（perfrules lint --fix 可自动改正）", "write {fixed} (perfrules lint --fix does it)"),
        "PR902.in_remark": ("代码之间用逗号、空格、顿号或分号分开，说明写在代码之后",
                            "separate codes with commas or spaces; a remark goes after the codes"),
        "PR902.unknown": ("改正代码，或删除它（perfrules lint --fix 删除不存在的代码）；perfrules rules 列出全部代码",
                          "correct the code, or delete it (perfrules lint --fix does); perfrules rules lists every code"),
        "PR902.unknown_far": ("改正代码，或删除它（perfrules lint --fix 删除不存在的代码）；perfrules rules 列出全部代码",
                              "correct the code, or delete it (perfrules lint --fix does); perfrules rules lists every code"),
    }

    def run(self, ctx: Context) -> Iterator[Finding]:
        return iter(())  # reported by perfrules.checks.suppress, which reads every noqa comment
