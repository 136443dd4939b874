"""The report as a Word document (python-docx), formatted as offices expect.

A4 portrait with 公文 margins; body 仿宋 三号 with a two-character first-line indent and fixed
28-point lines; headings 黑体 (一、), 楷体 (（一）), 仿宋 bold (1. and （1）), as real heading styles
so Word's navigation pane lists them; every run names its East-Asian font (w:eastAsia), without
which Word shows Chinese in the Latin font's fallback. Page numbers «— 1 —» centred in the
footer. The annex 综合评分表 is a real table in a landscape section, 宋体 五号, its header row
repeated on every page, 一级/二级指标 cells merged over their rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from perfrules.report.outline import Annex, Heading, Para, Report, Table

BODY_FONT, TABLE_FONT, LATIN = "仿宋", "宋体", "Times New Roman"
HEADING_FONTS = {1: ("黑体", False), 2: ("楷体", False), 3: ("仿宋", True), 4: ("仿宋", False)}
BODY_SIZE, TABLE_SIZE, TITLE_SIZE = Pt(16), Pt(10.5), Pt(22)
LINE = Pt(28)


def write(report: Report, path: str | Path) -> None:
    doc = Document()
    _page(doc.sections[0], landscape=False)
    _styles(doc)
    _footer(doc.sections[0])
    _title(doc, report)
    for block in report.blocks:
        if isinstance(block, Heading):
            doc.add_paragraph(block.text, style=f"Heading {block.level}")
        elif isinstance(block, Para):
            _para(doc, block)
        elif isinstance(block, Annex):
            _annex(doc, block)
        else:
            _table(doc, block)
    doc.core_properties.title = report.title
    doc.core_properties.author = "perfrules"
    doc.save(str(path))


# ---------------------------------------------------------------- page and styles


def _page(section: Any, landscape: bool) -> None:
    short, long = Cm(21), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    if landscape:
        section.top_margin = section.bottom_margin = Cm(2.2)
        section.left_margin = section.right_margin = Cm(2.0)
    else:  # GB/T 9704 公文: 上 3.7 下 3.5 左 2.8 右 2.6
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.0)


def east_asian(target: Any, font: str, latin: str = LATIN) -> None:
    """Set a style's or run's fonts: Latin and East-Asian both, so Chinese is shown in `font`."""
    target.font.name = latin
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), font)
    fonts.attrib.pop(qn("w:asciiTheme"), None)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    fonts.attrib.pop(qn("w:hAnsiTheme"), None)


def _styles(doc: Any) -> None:
    normal = doc.styles["Normal"]
    east_asian(normal, BODY_FONT)
    normal.font.size = BODY_SIZE
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(32)  # two characters of 三号
    for level, (font, bold) in HEADING_FONTS.items():
        style = doc.styles[f"Heading {level}"]
        east_asian(style, font)
        style.font.size = BODY_SIZE
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        pf = style.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = LINE
        pf.space_before = Pt(6) if level <= 2 else Pt(0)
        pf.space_after = Pt(0)
        pf.first_line_indent = Pt(32)
        pf.keep_with_next = True
    title = doc.styles["Title"]
    east_asian(title, "黑体")
    title.font.size = TITLE_SIZE
    title.font.bold = False
    title.font.color.rgb = RGBColor(0, 0, 0)
    tf = title.paragraph_format
    tf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tf.first_line_indent = Pt(0)
    tf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    tf.space_after = Pt(18)
    _no_border(title)


def _no_border(style: Any) -> None:
    """python-docx's Title style has a bottom rule; an official report has none."""
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _footer(section: Any) -> None:
    """«— N —» centred, N Word's PAGE field."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    _run(paragraph, "— ", TABLE_FONT, Pt(14))
    run = _run(paragraph, "", TABLE_FONT, Pt(14))
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)
    _run(paragraph, " —", TABLE_FONT, Pt(14))


def _run(paragraph: Any, text: str, font: str, size: Pt, bold: bool = False) -> Any:
    run = paragraph.add_run(text)
    east_asian(run, font)
    run.font.size = size
    run.font.bold = bold
    return run


# ---------------------------------------------------------------- blocks


def _title(doc: Any, report: Report) -> None:
    doc.add_paragraph(report.title, style="Title")
    for key, value in report.meta:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(0)
        _run(p, f"{key}：", BODY_FONT, BODY_SIZE, bold=True)
        run = _run(p, value, BODY_FONT, BODY_SIZE)
        if value.startswith("〔"):
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    doc.add_paragraph()


def _para(doc: Any, block: Para) -> None:
    p = doc.add_paragraph()
    run = _run(p, block.text, BODY_FONT, BODY_SIZE, bold=block.kind == "label")
    if block.kind == "gap":
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _annex(doc: Any, annex: Annex) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(0)
    _run(p, annex.title, "黑体", BODY_SIZE)
    caption = doc.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Pt(0)
    _run(caption, annex.caption, "黑体", Pt(18))
    _table(doc, annex.table)
    for note in annex.notes:
        n = doc.add_paragraph()
        n.paragraph_format.first_line_indent = Pt(0)
        n.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _run(n, note, TABLE_FONT, Pt(9))


WIDTHS = (Cm(2.0), Cm(2.2), Cm(4.4), Cm(1.3), Cm(2.6), Cm(2.6), Cm(2.2), Cm(1.4), Cm(7.0))


def _table(doc: Any, t: Table) -> None:
    table = doc.add_table(rows=1 + len(t.rows), cols=len(t.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = WIDTHS if len(t.header) == len(WIDTHS) else ()
    _repeat_header(table.rows[0])
    for col, text in enumerate(t.header):
        _cell(table.cell(0, col), text, bold=True, centre=True, shade="D9D9D9")
    numeric = {3, 6, 7}
    for r, (row, kind) in enumerate(zip(t.rows, t.kinds, strict=True), 1):
        for col, text in enumerate(row):
            _cell(table.cell(r, col), text, bold=kind != "indicator", centre=col in numeric or col < 2,
                  shade="F2F2F2" if kind != "indicator" else None)
        _no_split(table.rows[r])
    _merge(table, t)
    for col, width in enumerate(widths):  # the grid (LibreOffice reads it) and every cell (Word reads those)
        table.columns[col].width = width
        for row in table.rows:
            row.cells[col].width = width


def _merge(table: Any, t: Table) -> None:
    """Merge each run of equal 一级指标 (and 一级+二级) cells over indicator rows, as the seed's table does."""
    for col in range(t.merge):
        r = 0
        while r < len(t.rows):
            key = t.rows[r][: col + 1]
            end = r
            while (end + 1 < len(t.rows) and t.kinds[end + 1] == "indicator" and t.kinds[r] == "indicator"
                   and t.rows[end + 1][: col + 1] == key and t.rows[r][col]):
                end += 1
            if end > r:
                top = table.cell(r + 1, col)
                text = t.rows[r][col]
                merged = top.merge(table.cell(end + 1, col))
                for paragraph in merged.paragraphs[1:]:
                    paragraph._p.getparent().remove(paragraph._p)
                merged.paragraphs[0].runs[0].text = text
                for run in merged.paragraphs[0].runs[1:]:
                    run.text = ""
            r = end + 1


def _cell(cell: Any, text: str, bold: bool = False, centre: bool = False, shade: str | None = None) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if centre else WD_ALIGN_PARAGRAPH.LEFT
    _run(p, text, TABLE_FONT, TABLE_SIZE, bold=bold)
    if shade:
        props = cell._tc.get_or_add_tcPr()
        fill = OxmlElement("w:shd")
        fill.set(qn("w:val"), "clear")
        fill.set(qn("w:color"), "auto")
        fill.set(qn("w:fill"), shade)
        props.append(fill)


def _repeat_header(row: Any) -> None:
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def _no_split(row: Any) -> None:
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
