"""Batch evaluation: many rule files, one summary row each, sorted by risk."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl

from perfrules.batch import Summary, run_batch

from conftest import SEED, cli


def corpus(tmp_path: Path) -> tuple[Path, Path]:
    rules, data = tmp_path / "rules", tmp_path / "data"
    rules.mkdir()
    data.mkdir()
    (rules / "a-good.perf").write_text("人数 >= 100 人 weight 100\n", encoding="utf-8")
    (rules / "b-low.perf").write_text("人数 >= 100 人 weight 100\n", encoding="utf-8")
    (rules / "c-broken.perf").write_text("人数 >= weight 100\n", encoding="utf-8")
    (rules / "d-seed.perf").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (data / "a-good.json").write_text('{"人数": 100}', encoding="utf-8")
    (data / "b-low.yaml").write_text("人数: 40\n", encoding="utf-8")
    return rules, data


def test_summary_rows_sorted_by_risk(tmp_path: Path) -> None:
    rules, data = corpus(tmp_path)
    summary = tmp_path / "summary.json"
    out = cli("eval", str(rules), "--data-dir", str(data), "--summary", str(summary))
    assert out.exit_code == 2  # one file cannot be parsed
    rows = json.loads(summary.read_text(encoding="utf-8"))
    assert [Path(r["file"]).name for r in rows] == ["c-broken.perf", "d-seed.perf", "b-low.perf", "a-good.perf"]
    by_name = {Path(r["file"]).name: r for r in rows}
    assert by_name["a-good.perf"]["total"] == "100.00" and by_name["a-good.perf"]["grade"] == "优"
    assert by_name["b-low.perf"]["total"] == "40.00" and by_name["b-low.perf"]["grade"] == "差"
    assert by_name["c-broken.perf"]["status"] == "invalid" and by_name["c-broken.perf"]["worst_code"] == "PR001"
    assert by_name["d-seed.perf"]["total"] == "91.23" and by_name["d-seed.perf"]["worst_code"] == "PR204"
    assert "c-broken.perf" in out.stdout and "91.23" in out.stdout  # one line per project on the terminal


def test_summary_as_csv_and_xlsx(tmp_path: Path) -> None:
    rules, data = corpus(tmp_path)
    (rules / "c-broken.perf").unlink()
    cli("eval", str(rules), "--data-dir", str(data), "--summary", str(tmp_path / "s.csv"))
    with (tmp_path / "s.csv").open(encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle))
    assert table[0][:4] == ["文件", "项目", "总分", "等级"] and len(table) == 4
    cli("eval", str(rules), "--data-dir", str(data), "--summary", str(tmp_path / "s.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    totals = sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert totals == [40, 91.23, 100]


def test_workers_give_the_same_rows(tmp_path: Path) -> None:
    rules = tmp_path / "many"
    rules.mkdir()
    files = []
    for index in range(60):
        path = rules / f"p{index:02d}.perf"
        path.write_text(f"人数 >= 100 人 weight 100\nactuals {{\n  人数 = {index + 40} 人\n}}\n", encoding="utf-8")
        files.append(path)
    serial = sorted(run_batch(files, {}, "zh", jobs=1), key=Summary.risk)
    parallel = sorted(run_batch(files, {}, "zh", jobs=2), key=Summary.risk)
    assert serial == parallel and len(serial) == 60


def test_no_progress_bar_when_not_on_a_terminal(tmp_path: Path) -> None:
    rules, data = corpus(tmp_path)
    out = cli("eval", str(rules), "--data-dir", str(data))
    assert "%" not in out.stderr.replace("100%", "")  # click's bar draws percentages; none in CI


def test_a_project_without_actuals_shows_its_missing_actuals(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "empty-actuals.perf").write_text("人数 >= 100 人 weight 100\n", encoding="utf-8")
    (rules / "other.perf").write_text("人数 >= 100 人 weight 100\nactuals {\n  人数 = 100 人\n}\n", encoding="utf-8")
    summary = tmp_path / "s.json"
    cli("eval", str(rules), "--summary", str(summary))
    rows = {Path(r["file"]).name: r for r in json.loads(summary.read_text(encoding="utf-8"))}
    assert rows["empty-actuals.perf"]["warnings"] >= 1 and rows["empty-actuals.perf"]["worst_code"] == "PR021"
