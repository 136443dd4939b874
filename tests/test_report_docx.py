"""perfrules report: the 评价报告 in Word (and Markdown), its generated sentences equal to the seed report's.

The expected sentences are copied from the seed report (the real 评价报告 the example reproduces),
with its own inconsistencies resolved, each said where it is.
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from perfrules import display, pipeline
from perfrules.report import figures, outline, sentences
from perfrules.report import text as texts

from conftest import EXAMPLES, SEED, cli

docx = pytest.importorskip("docx")
TEXT = EXAMPLES / "retiree-services-2023.md"

# 三（二）评价结论, from 「最终评分结果」 on. The seed writes 「得分为 20分，得分率为 100%」 and 「得分率为 80.5%」 with
# stray spaces; without them:
CONCLUSION = ("最终评分结果：总得分为91.23分，属于“优”。其中，项目决策类指标权重为20分，得分为20分，得分率为100%。"
              "项目过程类指标权重为20分，得分为16.1分，得分率为80.5%。项目产出类指标权重为40分，得分为35.13分，得分率为87.83%。"
              "项目效益类指标权重为20分，得分为20分，得分率为100%。具体打分情况详见：附件1综合评分表。")

# 四, per 一级指标. 决策 and 过程 are the seed's sentences word for word. 产出: the seed says 「产出数量、产出质量、产出时效、
# 三方面」 although its table has a fourth group 产出成本, 「权重分为」 where the others say 「权重分值为」, and 87.8% where
# 三 says 87.83% (35.13 / 40 = 87.825%). 效益: the seed calls the group 社会效益 「项目实施效益」, and says 「权重分为」.
DIMENSIONS = {
    "决策": "项目决策类指标包括项目立项、绩效目标和资金投入三方面的内容，由6个三级指标构成，权重分值为20分，实际得分20分，得分率为100%。",
    "过程": "项目过程类指标包括资金管理和组织实施两方面的内容，由5个三级指标构成，权重分值为20分，实际得分16.1分，得分率为80.5%。",
    "产出": "项目产出类指标包括产出数量、产出质量、产出时效和产出成本四方面的内容，由9个三级指标构成，权重分值为40分，"
            "实际得分35.13分，得分率为87.83%。",
    "效益": "项目效益类指标包括社会效益和满意度两方面的内容，由2个三级指标构成，权重分值为20分，实际得分20分，得分率为100%。",
}
# The figures the seed states for each 一级指标 (the 87.8% resolved), as the generated clause says them.
CLAUSES = {
    "决策": "由6个三级指标构成，权重分值为20分，实际得分20分，得分率为100%。",
    "过程": "由5个三级指标构成，权重分值为20分，实际得分16.1分，得分率为80.5%。",
    "产出": "由9个三级指标构成，权重分值为40分，实际得分35.13分，得分率为87.83%。",
    "效益": "由2个三级指标构成，权重分值为20分，实际得分20分，得分率为100%。",
}

REASON_PEOPLE = "退休人员日益增加，年初目标设置不够精确导致出现偏差，在下一年度将更加严谨的去设置项目目标。"
# 四's indicator lines, as the seed writes them, ≧ written ≥ (the seed mixes ≧ and ≥). 指标2's reason is the seed's
# once (the seed repeats its second half); the rule file quotes it once.
INDICATORS = [
    "指标1：开展退休人员慰问活动，指标值：≥2场，实际完成值：2场，指标完成率100%。",
    "指标2：退休人员社会化管理人数，指标值：≥80000人，实际完成值：87411人，指标完成率109.26%。偏差原因：" + REASON_PEOPLE,
    "指标3：资格认证人数，指标值：≥60000人，实际完成值：80646人，指标完成率134.41%。偏差原因：" + REASON_PEOPLE,
    "指标4：组织开展退休人员活动场次，指标值：≥4场，实际完成值：12场，指标完成率300%。偏差原因：举办各种各样文体娱乐活动，"
    "年初目标设置不够精确导致出现偏差，在下一年度将更加严谨的去设置项目目标。",
    "指标1：活动次数达标率，指标值：100%，实际完成值：100%，指标完成率100%。",
    "指标2：资金到位率，指标值：100%，实际完成值：100%，指标完成率100%。",
    "指标1：活动按期完成率，指标值：100%，实际完成值：100%，指标完成率100%。",
    "指标2：资金拨付及时率，指标值：100%，实际完成值：2.5%，指标完成率2.5%。偏差原因：前期因气候温差大，退休人员身体不适，"
    "住院人员较多，无法组织退休人员开展丰富多彩的文体娱乐活动。下一步改进措施：2024年落实使用退休人员社会化管理服务资金，"
    "保障退休人员社会化管理服务工作有序开展，加快组织退休人员开展丰富多彩的文体娱乐活动，加快政府采购和招投手续进度，"
    "同时加快项目实施进度。",
    "指标1：全区退休人员满意度，指标值：≥95%，实际完成值：95%，指标完成率100%。",
]
# 一（一）3（2）: the seed's sentence up to its people's part (「，主要用于：…」), its 「,，」 typo written 「，」.
MONEY_USE = "该项目年初预算数662.77万元，全年预算数662.77万元，全年执行数16.67万元，预算执行率为2.52%。"


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "报告.docx"
    out = cli("report", str(SEED), "--text", str(TEXT), "-o", str(path))
    assert out.exit_code == 0, out.stderr
    return path


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_figures_drop_trailing_zeros() -> None:
    assert [display.figure(Decimal(v)) for v in ("16.10", "20.00", "87.825", "0.125", "2272.6860")] == [
        "16.1", "20", "87.83", "0.13", "2272.69"]
    assert [display.figure_percent(Decimal(v)) for v in ("0.805", "3", "0.025", "0.87825")] == ["80.5%", "300%", "2.5%", "87.83%"]
    assert figures.compact(">= 60000 人") == "≥60000人" and figures.target_text(">= 100%", "%") == "100%"
    assert [figures.count_word(n) for n in (2, 3, 4, 12)] == ["两", "三", "四", "十二"]


def test_conclusion_and_dimension_sentences_equal_the_seed(seed_docx: Path) -> None:
    text = paragraphs(seed_docx)
    assert CONCLUSION in text
    for dim, sentence in DIMENSIONS.items():
        assert sentence in text, dim
    run = pipeline.analyse(SEED)
    assert run.result is not None
    assert {d.name: sentences.figures_clause(d) for d in run.result.dimensions()} == CLAUSES


def test_indicator_lines_equal_the_seed(seed_docx: Path) -> None:
    text = paragraphs(seed_docx)
    for line in INDICATORS:
        assert line in text, line
    # where the rule file differs from the seed's wording, the rule file's own names and targets are used
    assert "指标1：活动每人标准，指标值：≤260元/人/年，实际完成值：260元/人/年，指标完成率100%。" in text
    assert "指标1：退休人员幸福感，指标值：逐步提高，实际完成值：达成，指标完成率100%。" in text


def test_money_and_grade_bands(seed_docx: Path) -> None:
    text = paragraphs(seed_docx)
    assert MONEY_USE in text
    assert "该项目年初预算数662.77万元，全年预算数662.77万元，到位资金662.77万元，资金到位率为100%。" in text
    assert ("绩效评价总分值100分，根据综合评分结果，评价计分90分-100分（含90分）对应的评分结果级别为优，80分-90分（含80分）"
            "对应的评分结果级别为良，60分-80分（含60分）对应的评分结果级别为中，60分以下对应的评分结果级别为差。") in text
    assert "在绩效评价指标体系中，项目决策权重为20分，项目过程权重为20分，项目产出权重为40分，项目效益权重为20分。" in text


def test_problems_and_suggestions_come_from_the_findings(seed_docx: Path) -> None:
    text = paragraphs(seed_docx)
    start, end = text.index("五、主要经验及做法、存在的问题及原因分析"), text.index("七、其他需要说明的问题")
    part = text[start:end]
    assert "1.预算执行率仅为2.52%，预算资金没有及时使用，资金使用效益未能发挥。" in part
    assert ("3.年初目标设置偏低：组织开展退休人员活动场次指标值≥4场，实际完成值12场，指标完成率300%，远超年度目标。"
            "偏差原因：举办各种各样文体娱乐活动，年初目标设置不够精确导致出现偏差，在下一年度将更加严谨的去设置项目目标。") in part
    assert "1.加快预算执行进度，查明资金未使用的原因，对确实无法使用的资金及时收回或调整预算。" in part
    # the people's problems follow the generated ones, numbered on
    assert any(p.startswith("9.相关绩效管理方面专业知识的系统性学习有待加强") for p in part)


def test_the_outline_in_order(seed_docx: Path) -> None:
    document = docx.Document(str(seed_docx))
    tops = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert tops == ["一、基本情况", "二、绩效评价工作开展情况", "三、综合评价情况及评价结论", "四、绩效评价指标分析",
                    "五、主要经验及做法、存在的问题及原因分析", "六、有关建议", "七、其他需要说明的问题"]
    seconds = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert seconds[-6:] == ["（一）项目决策情况", "（二）项目过程情况", "（三）项目产出情况", "（四）项目效益情况",
                            "（一）主要经验及做法", "（二）存在的问题及原因分析"]
    text = [p.text for p in document.paragraphs]
    background = text.index("1.项目背景")
    assert text[background + 1].startswith("根据“乌财企（2022）54号文”的要求")  # from --text, as written


def test_annex_is_a_word_table_with_every_indicator(seed_docx: Path) -> None:
    document = docx.Document(str(seed_docx))
    assert len(document.tables) == 1
    table = document.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == list(outline.ANNEX_HEADER)
    run = pipeline.analyse(SEED)
    assert run.result is not None
    names = [ind.name for ind in run.result.indicators()]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    shown = [r[2] for r in rows if r[1] != "小计" and r[0] != "总分"]
    assert shown == names and len(shown) == 22
    by_name = {r[2]: r for r in rows if r[1] != "小计"}
    assert by_name["预算执行率"][3:8] == ["4", "100%", "2.52%", "2.52%", "0.1"]
    assert by_name["资金拨付及时率"][7] == "0.13" and by_name["资金拨付及时率"][8].startswith("前期因气候温差大")
    assert rows[-1][0] == "总分" and rows[-1][6:8] == ["等级：优", "91.23"]
    assert table.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None  # repeated on each page
    assert document.sections[-1].orientation == docx.enum.section.WD_ORIENT.LANDSCAPE


def test_word_formatting(seed_docx: Path) -> None:
    document = docx.Document(str(seed_docx))
    qn = docx.oxml.ns.qn

    def east_asia(style: str) -> str | None:
        fonts = document.styles[style].element.rPr.find(qn("w:rFonts"))
        return None if fonts is None else fonts.get(qn("w:eastAsia"))

    assert [east_asia(s) for s in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title")] == [
        "仿宋", "黑体", "楷体", "仿宋", "黑体"]
    body = document.sections[0]
    assert (round(body.page_width.cm, 1), round(body.page_height.cm, 1)) == (21.0, 29.7)
    footer = body.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer
    runs = [r for p in document.paragraphs if p.style.name == "Normal" for r in p.runs if r.text]  # headings: the style's
    assert runs and all(r.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in runs)


def test_missing_sections_are_findings_not_prose(tmp_path: Path) -> None:
    out = cli("report", str(SEED), "-o", str(tmp_path / "r.docx"))
    assert out.exit_code == 0
    codes = [line.split()[1] for line in out.stderr.splitlines() if ": PR0" in line]
    assert codes == ["PR025"] * len(texts.SLOTS) and len(codes) == 16
    assert "PR025 警告 报告缺少「项目背景」（一（一）1 项目背景）：这部分须由评价人撰写" in out.stderr
    assert "提示：在 --text 给出的 Markdown 文件中加一节「## 项目背景」，写明其内容" in out.stderr
    text = paragraphs(tmp_path / "r.docx")
    assert text[text.index("1.项目背景") + 1] == "〔待评价人撰写：项目背景〕"
    # the seed's own text leaves only 主管部门 unwritten
    out = cli("report", str(SEED), "--text", str(TEXT), "-o", str(tmp_path / "s.docx"))
    assert out.stderr.count("PR025") == 1 and "「主管部门」" in out.stderr


def test_an_unknown_heading_is_located(tmp_path: Path) -> None:
    text = tmp_path / "t.md"
    text.write_text("## 一、项目背景\n\n背景。\n\n## （二）项目背境\n\n写错了标题。\n\n## 资格认证人数\n\n说明。\n",
                    encoding="utf-8")
    out = cli("report", str(SEED), "--text", str(text), "--format", "markdown")
    assert out.exit_code == 0
    assert f"{text}:5:1: PR025 警告 --text 文件中的章节「项目背境」既不是报告的章节" in out.stderr
    assert "「项目背景」" not in out.stderr  # written, under a numbered heading
    assert "\n背景。\n" in out.stdout and "\n说明。\n" in out.stdout  # an indicator's own text goes under it in 四


def test_markdown_report_holds_the_same_sentences() -> None:
    out = cli("report", str(SEED), "--format", "markdown")
    assert out.exit_code == 0
    assert CONCLUSION in out.stdout and DIMENSIONS["产出"] in out.stdout and INDICATORS[3] in out.stdout
    assert "## 四、绩效评价指标分析" in out.stdout
    assert "| 产出 | 产出数量 | 组织开展退休人员活动场次 | 4 | ≥4场 | 12场 | 300% | 4 | 举办各种各样文体娱乐活动" in out.stdout


def test_bad_usage_and_unreadable_text(tmp_path: Path) -> None:
    out = cli("report", str(SEED), "--format", "docx")
    assert out.exit_code == 2 and "Word 报告须用 -o 指定输出文件" in out.stderr
    out = cli("report", str(SEED), "--text", str(tmp_path / "无.md"), "-o", str(tmp_path / "r.docx"))
    assert out.exit_code == 2 and "PR003" in out.stderr and "文件或目录不存在" in out.stderr
    gbk = tmp_path / "gbk.md"
    gbk.write_bytes("## 项目背景\n\n背景\n".encode("gb18030"))
    out = cli("report", str(SEED), "--text", str(gbk), "-o", str(tmp_path / "r.docx"))
    assert out.exit_code == 2 and "GBK" in out.stderr
    out = cli("report", str(tmp_path / "无.perf"), "-o", str(tmp_path / "r.docx"))
    assert out.exit_code == 2 and not (tmp_path / "r.docx").exists()


def test_libreoffice_converts_it_to_pdf_with_chinese_text(seed_docx: Path, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer); CI may install it")
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(seed_docx)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / (seed_docx.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 10_000
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = "".join(text.split())  # pdftotext puts spaces between Chinese and digits
    assert "最终评分结果：总得分为91.23分" in flat and "综合评分表" in flat and "组织开展退休人员活动场次" in flat
