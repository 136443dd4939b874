"""The portfolio dashboard: one self-contained page over the batch summary rows, opened in headless Chromium on
1,000 generated projects, its table sorted by clicking a header."""

from __future__ import annotations

import datetime
import html
import json
import random
import re
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from test_reports import chromium

from perfrules.batch import Summary, summarise
from perfrules.render.dashboard import light, render_dashboard, time_progress

from conftest import SEED


@dataclass(frozen=True)
class Row:
    """A summary row with the fields the batch does not give yet: 预算执行率 and the largest over-completion."""

    file: str
    ruleset: str
    total: str
    grade: str
    errors: int
    warnings: int
    infos: int
    worst_code: str
    worst_message: str
    status: str
    execution: str = ""
    over_indicator: str = ""
    over_completion: str = ""
    over_target: str = ""
    over_actual: str = ""


def grade_of(total: Decimal) -> str:
    return "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"


def generated(n: int, seed: int = 7) -> list[Row]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        if i % 97 == 5:
            rows.append(Row(f"项目/{i:04d}.perf", "", "", "", 1, 0, 0, "PR001", "第 3 行：无法识别的语句", "invalid"))
            continue
        total = Decimal(rng.randint(4500, 10000)) / 100
        errors, warnings = rng.choice((0, 0, 0, 1, 2)), rng.randint(0, 4)
        over = Decimal(rng.randint(80, 400)) / 100
        rows.append(Row(
            f"项目/{i:04d}.perf", f"第{i}号项目补助资金", f"{total:f}", grade_of(total), errors, warnings,
            rng.randint(0, 3), "PR204" if errors else ("PR201" if warnings else ""),
            "预算执行率仅为 2.52%，低于 60%" if errors else ("完成率 300.00%，目标可能设置偏低" if warnings else ""),
            "findings" if errors else "ok", f"{Decimal(rng.randint(0, 1000)) / 1000:f}",
            "组织开展退休人员活动场次", f"{over:f}", ">= 4 场", f"{over * 4:f} 场"))
    return rows


def test_page_is_self_contained_with_counts_chart_and_chinese_statuses() -> None:
    rows = generated(200)
    page = render_dashboard(rows, "zh", datetime.date(2023, 6, 30))
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page and '<html lang="zh-CN">' in page
    for remote in ("<link", "src=", "url(", "@import", "https://", "fetch(", "XMLHttpRequest"):
        assert remote not in page
    assert re.findall(r"http://[^\"]+", page) == ["http://www.w3.org/2000/svg"]
    assert '"Noto Sans CJK SC"' in page and '"Microsoft YaHei"' in page  # the CJK font stack
    ok = sum(r.status == "ok" for r in rows)
    assert f'<div class="card ok"><b>{ok}</b><span>正常</span></div>' in page
    invalid = sum(r.status == "invalid" for r in rows)
    assert invalid == 3 and f'<div class="card invalid"><b>{invalid}</b><span>无法评分</span></div>' in page
    good = sum(r.grade == "优" for r in rows)
    assert f'<div class="card "><b>{good}</b><span>优</span></div>' in page
    assert page.count("<tr>") == 2 + 200 + 20  # two header rows, the table and the 20 largest over-completions
    assert page.count('<rect x=') == 10  # a bar per 10 points, 0–100
    bars = [int(n) for n in re.findall(r"<title>\d+–\d+: (\d+)</title>", page)]
    assert sum(bars) == 200 - invalid
    assert "截至 2023-06-30，时间进度 49.59%" in page  # 181 of 365 days
    assert page.count('<span class="light red">') == sum(
        1 for r in rows if r.execution and Decimal(r.execution) < Decimal(181) / 365 - Decimal("0.1"))
    assert "<span>有问题</span>" in page and ">有问题</td>" in page


def test_over_completions_listed_largest_first() -> None:
    rows = generated(50)
    page = render_dashboard(rows, "zh")
    section = page.split("目标可能设置偏低（超额完成最多）")[1].split("</table>")[0]
    shown = [Decimal(p) for p in re.findall(r'<td class="num">([\d.]+)%</td>', section)]
    assert len(shown) == 20 and shown == sorted(shown, reverse=True)
    assert shown[0] == max(Decimal(r.over_completion) * 100 for r in rows if r.over_completion)
    assert "执行进度" not in page  # no as-of date: no traffic lights


def test_real_summary_rows_carry_execution_and_over_completion() -> None:
    row = summarise((str(SEED), None, "zh"))
    assert isinstance(row, Summary)
    assert Decimal(row.execution).quantize(Decimal("0.0001")) == Decimal("0.0252")  # 16.67 / 662.77
    assert (row.over_indicator, row.over_completion, row.over_actual) == ("组织开展退休人员活动场次", "3", "12 场")
    page = render_dashboard([row], "zh", datetime.date(2023, 12, 31))
    assert "国有企业退休人员社会化管理补助资金（中央、自治区）" in page and "91.23" in page
    assert "2.52%" in page and "超额完成最多" in page and "组织开展退休人员活动场次" in page
    assert "汇总中没有预算执行率" not in page
    assert render_dashboard([row], "en").count("<th data-key=") == 9


def test_eval_dir_writes_the_dashboard(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from perfrules.cli import main

    (tmp_path / "projects").mkdir()
    (tmp_path / "projects" / "seed.perf").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "汇总.html"
    result = CliRunner().invoke(main, ["eval", str(tmp_path / "projects"), "--summary", str(out), "--as-of", "2023-09-30"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "截至 2023-09-30" in page and "红灯" in page


def test_time_progress_and_lights() -> None:
    assert time_progress(datetime.date(2023, 12, 31)) == 1
    assert time_progress(datetime.date(2024, 1, 1)) == Decimal(1) / 366
    progress = Decimal("0.5")
    assert [light(Decimal(x), progress) for x in ("0.5", "0.41", "0.4", "0.39")] == ["green", "amber", "amber", "red"]
    assert light(None, progress) == "none" and light(Decimal(1), None) == "none"


def test_mappings_are_rows_too() -> None:
    page = render_dashboard([{"file": "a.perf", "ruleset": "甲", "total": "88", "grade": "良", "errors": 0,
                              "warnings": 1, "infos": 0, "worst_code": "PR201", "worst_message": "<b>", "status": "ok"}])
    assert "<td>甲<" not in page and "甲" in page and "&lt;b&gt;" in page and "<b>" not in page.split("<tbody>")[1]


PROBE = """
<script>
(function () {
  function column(key) {
    var heads = document.querySelectorAll("#projects th");
    for (var i = 0; i < heads.length; i++) if (heads[i].getAttribute("data-key") === key) return heads[i];
  }
  function values(index) {
    return Array.prototype.map.call(document.querySelectorAll("#projects tbody tr"),
                                    function (r) { return r.cells[index].getAttribute("data-v"); });
  }
  var out = {rows: document.querySelectorAll("#projects tbody tr").length};
  var total = column("total"), project = column("project");
  var t0 = performance.now();
  total.click();
  out.up = values(total.cellIndex); out.upSort = total.getAttribute("aria-sort");
  total.click();
  out.down = values(total.cellIndex); out.downSort = total.getAttribute("aria-sort");
  out.ms = performance.now() - t0;
  project.click();
  out.names = Array.prototype.map.call(document.querySelectorAll("#projects tbody tr"),
                                       function (r) { return r.cells[project.cellIndex].firstChild.textContent; });
  out.totalSort = total.getAttribute("aria-sort");
  var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def run_chromium(browser: str, page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", *args, page.resolve().as_uri()],
        check=True, capture_output=True, text=True, timeout=180,
    )


def test_thousand_projects_open_and_sort_in_chromium(tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("no chromium binary on PATH (apt-get install chromium); CI installs it")
    rows = generated(1000)
    text = render_dashboard(rows, "zh", datetime.date(2023, 9, 30))
    page = tmp_path / "汇总.html"
    page.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = run_chromium(browser, page, tmp_path, "--virtual-time-budget=20000", "--dump-dom").stdout
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    probe = json.loads(html.unescape(found.group(1)))
    assert probe["rows"] == 1000
    totals = sorted(Decimal(r.total) for r in rows if r.total)
    blanks = sum(1 for r in rows if not r.total)
    assert probe["upSort"] == "ascending" and probe["downSort"] == "descending"
    assert [Decimal(v) for v in probe["up"][:len(totals)]] == totals and probe["up"][len(totals):] == [""] * blanks
    assert [Decimal(v) for v in probe["down"][:len(totals)]] == totals[::-1]  # blanks last either way
    assert probe["down"][len(totals):] == [""] * blanks
    assert probe["totalSort"] is None  # sorting by another column clears the mark
    assert len(probe["names"]) == 1000 and probe["names"] != [r.ruleset or r.file for r in rows]
    assert probe["ms"] < 5000, probe["ms"]


def test_screenshot_has_the_chart_and_the_table(tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("no chromium binary on PATH (apt-get install chromium); CI installs it")
    from test_reports import png_rows

    page = tmp_path / "d.html"
    page.write_text(render_dashboard(generated(1000), "zh", datetime.date(2023, 9, 30)), encoding="utf-8")
    shot = tmp_path / "d.png"
    run_chromium(browser, page, tmp_path, f"--screenshot={shot}", "--window-size=1280,1400")
    width, bpp, lines = png_rows(shot.read_bytes(), 900)
    assert width == 1280
    pixels = {row[i:i + 3] for row in lines for i in range(0, len(row), bpp * 3)}
    assert any(p[1] > 100 and p[0] < 80 and p[2] < 80 for p in pixels)  # the green bars and lights
    assert any(p[0] > 180 and p[1] < 80 and p[2] < 80 for p in pixels)  # red
    assert len(pixels) > 40
