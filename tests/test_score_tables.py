"""The 综合评分表 as a document (Markdown, HTML): header block, 公布得分 and 偏差原因 columns, grade bands, signatures."""

from __future__ import annotations

import re
from pathlib import Path

from perfrules import pipeline
from perfrules.render.html import render_html
from perfrules.render.markdown import render_markdown

from conftest import EXAMPLES, SEED

MLA = EXAMPLES / "minimum-living-allowance-2023.perf"
AUDIT = """\
ruleset "审核" {
  year 2023
}
facts {
  全年预算数 = 100 万元
  执行数 = 80 万元
}
户均费用 <= 5300 元/户 weight 10
其他 >= 1 个 weight 90
actuals {
  户均费用 = 5830 元/户 score 10
    reason "物价上涨"
  其他 = 1 个 score 90
}
"""


def rows(markdown: str) -> list[list[str]]:
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in markdown.splitlines()
            if line.startswith("|")]


def run_of(path: Path) -> pipeline.Run:
    return pipeline.analyse(path)


def test_markdown_header_block_reasons_bands_and_signatures() -> None:
    run = run_of(SEED)
    assert run.result is not None
    text = render_markdown(run.result, run.sorted_findings(), "zh", run.plan)
    head = text.split("## 综合评分表")[0]
    assert "- 项目名称：国有企业退休人员社会化管理补助资金（中央、自治区）\n- 年度：2023\n- 评价类型：评价\n" in head
    assert "- 年初预算数：662.77万元\n- 全年预算数：662.77万元\n- 到位资金：662.77万元\n- 全年执行数：16.67万元\n" \
           "- 预算执行率：2.52%" in head
    table = rows(text)
    assert table[0][8] == "偏差原因" and "公布得分" not in table[0]  # the seed publishes no row scores
    by_name = {r[2]: r for r in table[2:] if r[2]}
    assert by_name["组织开展退休人员活动场次"][8].startswith("举办各种各样文体娱乐活动")
    assert "等级划分：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 其他" in text
    assert "评价人：________  复核人：________  日期：________" in text


def test_self_evaluation_reason_in_its_column() -> None:
    run = run_of(MLA)
    assert run.result is not None
    table = rows(render_markdown(run.result, run.sorted_findings(), "zh", run.plan))
    assert table[2][0] == "预算执行率" and table[2][8] == "两笔年末追加资金于次年 1 月拨付"


def test_published_scores_get_their_column(tmp_path: Path) -> None:
    path = tmp_path / "audit.perf"
    path.write_text(AUDIT, encoding="utf-8")
    run = run_of(path)
    assert run.result is not None
    text = render_markdown(run.result, run.sorted_findings(), "zh", run.plan)
    table = rows(text)
    assert table[0][7:10] == ["得分", "公布得分", "偏差原因"]
    by_name = {r[2] or r[0]: r for r in table[2:]}
    assert by_name["户均费用"][7:10] == ["9.09", "10", "物价上涨"]  # the published score as published
    assert "- 预算执行率：80%" in text
    page = render_html(run.result, run.sorted_findings(), "zh", run.plan)
    assert "<th>公布得分</th><th>偏差原因</th><th>问题</th>" in page
    assert '<td class="row num">10</td><td class="row reason">物价上涨</td>' in page


def test_html_document_parts() -> None:
    run = run_of(SEED)
    assert run.result is not None
    page = render_html(run.result, run.sorted_findings(), "zh", run.plan)
    assert '<dl class="head"><dt>项目名称</dt><dd>国有企业退休人员社会化管理补助资金（中央、自治区）</dd>' in page
    assert "<dt>预算执行率</dt><dd>2.52%</dd>" in page
    assert '"Noto Sans CJK SC"' in page and "SimSun" in page  # a CJK font stack
    assert "@page { size: A4 landscape" in page and "thead { display: table-header-group; }" in page
    assert '<p class="bands">等级划分：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 其他</p>' in page
    assert "评价人：<span></span>复核人：<span></span>日期：<span></span>" in page
    assert "<th>得分</th><th>偏差原因</th><th>问题</th>" in page
