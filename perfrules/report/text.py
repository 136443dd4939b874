"""What only people know: the sections of a Markdown file (`--text`), the report's slots for them, PR025.

The file is read by heading: each `#`…`######` heading names a section, its text runs to the next
heading. A heading's own numbering (一、 （一） 1、 1. （1）) is ignored, so a report's own
headings can be pasted as they are. A heading may also name an indicator: its text goes under that
indicator in 四. A slot with no text is a PR025 finding, and the report shows a marked gap there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from perfrules.findings import Finding, Span


@dataclass(frozen=True)
class Slot:
    key: str  # the section's name in the --text file
    aliases: tuple[str, ...]
    place: str  # where the report puts it


# The report's sections that only people can write, in the outline's order.
SLOTS: tuple[Slot, ...] = (
    Slot("主管部门", (), "封面：主管部门"),
    Slot("实施单位", ("项目实施单位",), "封面：实施单位"),
    Slot("项目背景", (), "一（一）1 项目背景"),
    Slot("主要内容", ("项目主要内容",), "一（一）2 项目主要内容"),
    Slot("实施情况", ("项目实施情况",), "一（一）2 项目实施情况"),
    Slot("总体目标", (), "一（二）1 总体目标"),
    Slot("阶段性目标", ("年度目标",), "一（二）2 阶段性目标"),
    Slot("评价目的", ("绩效评价的目的", "绩效评价目的"), "二（一）1 绩效评价的目的"),
    Slot("评价对象", ("绩效评价的对象", "绩效评价对象"), "二（一）2 绩效评价的对象"),
    Slot("评价原则", ("绩效评价原则",), "二（二）1 绩效评价原则"),
    Slot("评价方法", ("绩效评价方法",), "二（二）3 绩效评价方法"),
    Slot("评价标准", ("绩效评价标准",), "二（二）4 评价标准"),
    Slot("评价过程", ("绩效评价工作过程", "评价工作过程"), "二（三）绩效评价工作过程"),
    Slot("评价情况", (), "三（一）评价情况"),
    Slot("经验做法", ("主要经验及做法", "经验及做法"), "五（一）主要经验及做法"),
    Slot("其他需要说明的问题", ("其他需说明的问题", "其他问题"), "七、其他需要说明的问题"),
)
# Sections a person may add to what perfrules writes; no finding when absent.
OPTIONAL: tuple[Slot, ...] = (
    Slot("资金用途", ("主要用于",), "一（一）3 资金使用情况之后"),
    Slot("评价范围", ("绩效评价的范围",), "二（一）3 绩效评价的范围之后"),
    Slot("存在的问题", ("存在的问题及原因分析",), "五（二）生成的问题之后"),
    Slot("有关建议", ("建议",), "六、生成的建议之后"),
)

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[、.．)）]|[①-⑳])\s*")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass
class Texts:
    """The sections of a --text file: name → paragraphs, with the line each heading stands on."""

    file: str = ""
    sections: dict[str, list[str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def get(self, slot: Slot) -> list[str]:
        for name in (slot.key, *slot.aliases):
            if self.sections.get(name):
                self.used.add(name)
                return self.sections[name]
        return []

    def named(self, name: str) -> list[str]:
        if self.sections.get(name):
            self.used.add(name)
            return self.sections[name]
        return []


def section_name(heading: str) -> str:
    """A heading's section name: numbering, trailing colon and spaces dropped (`（一）项目背景：` → `项目背景`)."""
    name = heading.strip().strip("*").strip()
    while True:
        stripped = _NUMBERING.sub("", name, count=1)
        if stripped == name:
            break
        name = stripped
    return name.rstrip("：:").strip()


def parse(text: str, file: str) -> Texts:
    """Sections by heading; paragraphs split on blank lines and list items, lines of a paragraph joined."""
    out = Texts(file)
    current: str | None = None
    paragraph: list[str] = []

    def flush() -> None:
        if current is not None and paragraph:
            out.sections[current].append("".join(paragraph))
        paragraph.clear()

    for number, line in enumerate(text.splitlines(), 1):
        match = _HEADING.match(line)
        if match:
            flush()
            current = section_name(match.group(2))
            out.sections.setdefault(current, [])
            out.lines.setdefault(current, number)
            continue
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if current is None:
            continue
        item = re.match(r"^(?:[-*+]|\d+[.)])\s+(.*)$", stripped)
        if item:
            flush()
            paragraph.append(item.group(1))
            continue
        paragraph.append(stripped)
    flush()
    return out


def read(path: Path) -> tuple[Texts | None, list[Finding]]:
    """The --text file's sections, or the PR003 finding that says why it cannot be read."""
    from perfrules.syntax.parser import read_source

    text, problems = read_source(path)
    if text is None:
        return None, problems
    return parse(text, str(path)), []


def missing(texts: Texts, rule_file: str, indicators: set[str]) -> list[Finding]:
    """PR025 for every slot nobody wrote, and for every heading that is neither a slot nor an indicator."""
    where = Span.point(texts.file or rule_file, 1, 1)
    found: list[Finding] = []
    for slot in SLOTS:
        if not any(texts.sections.get(n) for n in (slot.key, *slot.aliases)):
            found.append(Finding.make("PR025", where, section=slot.key, place=slot.place, hint="PR025"))
    known = {n for s in (*SLOTS, *OPTIONAL) for n in (s.key, *s.aliases)} | indicators
    for name, line in texts.lines.items():
        if name not in known and texts.sections.get(name):
            span = Span.point(texts.file, line, 1, max(len(name), 1))
            found.append(Finding.make("PR025", span, key="PR025.unknown", section=name, hint="PR025.unknown"))
    return found
