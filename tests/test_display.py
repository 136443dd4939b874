"""perfrules.display: every formatter's boundaries (half-up at .005, negatives, 万元, places, zh and en), the
result dataclasses carry values (Decimals, not display strings), and `--lang en` shows no Chinese label in
the expect and check lines."""

from __future__ import annotations

import json
import pickle
import re
from decimal import Decimal
from pathlib import Path

from perfrules import display
from perfrules.findings import Finding
from perfrules.plan.model import Band, band_of
from perfrules.plan.units import PLAIN, parse_unit
from perfrules.scoring.result import CheckResult, ExpectResult

from conftest import SEED, cli, load

D = Decimal
CJK = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------- numbers as they are


def test_plain_keeps_the_digits_and_never_an_exponent() -> None:
    assert [display.plain(D(v)) for v in ("16.10", "5", "0.005", "-3.20")] == ["16.10", "5", "0.005", "-3.20"]
    assert display.plain(D("1E+3")) == "1000" and display.plain(D("1E-7")) == "0.0000001"
    assert display.plain(None) == "" and display.plain(None, "n/a") == "n/a"
    assert display.dashed(None) == "—" and display.dashed(D("9.70")) == "9.70"


def test_trimmed_drops_trailing_zeros_and_the_sign_of_zero() -> None:
    assert [display.trimmed(D(v)) for v in ("16.10", "20.00", "1E+2", "-0", "-0.50")] == ["16.1", "20", "100", "0", "-0.5"]


def test_signed_shows_the_sign_and_nothing_for_zero_or_none() -> None:
    assert [display.signed(v) for v in (D("0.45"), D("-10"), D("0"), D("-0.00"), None)] == ["+0.45", "-10", "", "", ""]


# ---------------------------------------------------------------- percentages


def test_percent_rounds_half_up_at_the_half_hundredth() -> None:
    assert display.percent(D("0.123450")) == "12.35%"  # 12.345 → 12.35 (half up, not half even)
    assert display.percent(D("0.123449")) == "12.34%"
    assert display.percent(D("0.025")) == "2.50%" and display.percent(D("1.34405")) == "134.41%"
    assert display.percent(D("-0.123450")) == "-12.35%"  # half up is away from zero
    assert display.percent(D("0")) == "0.00%" and display.percent(D("3")) == "300.00%"


def test_percent_places_and_none() -> None:
    assert display.percent(D("0.123456"), places=0) == "12%" and display.percent(D("0.123456"), places=3) == "12.346%"
    assert display.percent(None) == "" and display.percent(None, "—") == "—"


def test_exact_percent_keeps_every_digit() -> None:
    assert [display.exact_percent(D(v)) for v in ("1", "0.955", "0.0001", "1.2345")] == ["100%", "95.5%", "0.01%",
                                                                                          "123.45%"]


def test_percent_of_a_long_ratio_is_rounded_once_in_the_plans_context() -> None:
    # 40 digits: the global context (28) would round 12.34499… up to 12.345 before the half-up rounding
    rate = D("0.1234499999999999999999999999999999999999")
    assert display.percent(rate) == "12.34%" and display.figure_percent(rate) == "12.34%"


# ---------------------------------------------------------------- the report's style


def test_figure_rounds_half_up_and_drops_trailing_zeros() -> None:
    assert [display.figure(D(v)) for v in ("16.10", "20.00", "87.825", "0.125", "2272.6860", "0.005", "0.0049")] == [
        "16.1", "20", "87.83", "0.13", "2272.69", "0.01", "0"]
    assert [display.figure(D(v)) for v in ("-0.005", "-0.0049", "-16.10")] == ["-0.01", "0", "-16.1"]
    assert display.figure(D("87.8251"), places=3) == "87.825" and display.figure(D("87.5"), places=0) == "88"


def test_figure_percent_is_the_reports_percentage() -> None:
    assert [display.figure_percent(D(v)) for v in ("0.805", "3", "0.025", "0.87825", "1")] == [
        "80.5%", "300%", "2.5%", "87.83%", "100%"]
    assert display.figure_percent(None) == "—" and display.figure_percent(None, "") == ""
    assert display.figure_percent(D("-0.025")) == "-2.5%"


def test_points_in_both_languages() -> None:
    assert display.points(D("16.10")) == "16.1分" and display.points(D("16.10"), "en") == "16.1 points"
    assert display.points(D("20.00"), "zh") == "20分"


# ---------------------------------------------------------------- scores, money, quantities


def test_score_to_the_rulesets_places() -> None:
    assert display.score(D("97")) == "97.00" and display.score(D("16.1")) == "16.10"
    assert display.score(D("0.005")) == "0.01" and display.score(D("-0.005")) == "-0.01"
    assert display.score(D("0.005"), 2, "ROUND_HALF_EVEN") == "0.00" and display.score(D("0.019"), 2, "ROUND_DOWN") == "0.01"
    assert display.score(D("91.2345"), 3) == "91.235" and display.score(D("91.5"), 0) == "92"
    assert display.score(None) == "—" and display.score(None, none="") == ""


def test_wan_converts_yuan_to_wan_yuan() -> None:
    assert display.wan(D("22726860")) == "2272.69 万元"  # 2272.686 → 2272.69
    assert display.wan(D("6627700")) == "662.77 万元" and display.wan(D("0")) == "0.00 万元"
    assert display.wan(D("50")) == "0.01 万元"  # 0.005 万元, half up
    assert display.wan(D("49")) == "0.00 万元" and display.wan(D("-50")) == "-0.01 万元"
    assert display.wan(D("12345"), places=0) == "1 万元" and display.wan(D("12345"), places=4) == "1.2345 万元"
    assert display.wan(D("22726860"), lang="en") == "2272.69 万元"  # the unit is the table's own


def test_quantity_shows_at_most_two_decimals_with_the_unit() -> None:
    percent, people = parse_unit("%"), parse_unit("人")
    assert display.quantity(D("2.5166"), percent) == "2.52%" and display.quantity(D("95"), percent) == "95%"
    assert display.quantity(D("80646"), people) == "80646 人" and display.quantity(D("12.005"), people) == "12.01 人"
    assert display.quantity(D("3.10"), PLAIN) == "3.1" and display.quantity(D("-1.005"), PLAIN) == "-1.01"


def test_measured_shows_up_to_four_decimals() -> None:
    wan = parse_unit("万元")
    assert display.measured(D("12.5"), wan) == "12.5 万元" and display.measured(D("10"), parse_unit("场")) == "10 场"
    assert display.measured(D("95.123456"), parse_unit("%")) == "95.1235%" and display.measured(D("3"), PLAIN) == "3"
    assert display.measured(None, wan) == "—"


def test_check_value_by_unit() -> None:
    money, rate = parse_unit("万元"), parse_unit("%")
    assert display.check_value(D("22726860"), money) == "2272.69 万元"
    assert display.check_value(D("0.6"), rate) == "60.00%"
    assert display.check_value(D("12.500"), None) == "12.5" and display.check_value(D("12.345"), PLAIN) == "12.35"
    assert display.check_value(D("12.345"), None, 1, "ROUND_DOWN") == "12.3"
    assert display.check_value(None, money) == "?"


def test_json_and_cell_numbers() -> None:
    assert display.json_number(D("91.00")) == 91 and isinstance(display.json_number(D("91.00")), int)
    assert display.json_number(D("91.23")) == 91.23 and display.json_number(None) is None
    assert display.json_number(D("1E+15")) == 1e15 and isinstance(display.json_number(D("1E+15")), float)
    assert display.json_percent(D("1.34405")) == 134.41 and display.json_percent(None) is None
    assert display.cell_number(D("5.0")) == 5 and display.cell_number(D("0.45")) == 0.45
    assert display.cell_number(None) is None


# ---------------------------------------------------------------- expect labels in the reader's language


def test_expect_labels_in_both_languages() -> None:
    assert [display.expect_label(t) for t in ("total", "grade", "产出")] == ["总分 total", "等级 grade", "产出"]
    assert [display.expect_label(t, "en") for t in ("total", "grade", "产出")] == ["total", "grade", "产出"]
    assert display.verbal_grade("优") == "优（文字等级，不比较）"
    assert display.verbal_grade("优", "en") == "优 (verbal grade, not compared)"


def test_said_is_its_chinese_text_and_says_itself_in_english() -> None:
    label = display.said_expect_label("total")
    assert label == "总分 total" and label in ("总分 total", "等级 grade") and label.words("en") == "total"
    copied = pickle.loads(pickle.dumps(label))
    assert copied == "总分 total" and copied.words("en") == "total"
    finding = Finding.make("PR308", None, name=label, expected="90", actual="91.23")
    assert finding.message("zh") == "核对 总分 total：公布数 90，计算结果 91.23"
    assert finding.message("en") == "expect total: published 90, computed 91.23"


# ---------------------------------------------------------------- grade bands


def test_band_of_takes_the_first_band_reached() -> None:
    bands = (Band("优", ">=", D(90)), Band("良", ">", D(80)), Band("差", None, None))
    assert [band_of(bands, D(v)) for v in ("90", "89.99", "80.01", "80", "0")] == ["优", "良", "良", "差", "差"]
    closed = (Band("优", ">=", D(90)), Band("良", ">=", D(80)))
    assert band_of(closed, D(70)) == "良"  # no open band: the lowest one's


# ---------------------------------------------------------------- the results hold values


def test_the_seeds_check_holds_decimals_in_base_units() -> None:
    loaded = load(SEED.read_text(encoding="utf-8"))
    (check,) = loaded.result.checks
    assert isinstance(check, CheckResult)
    assert isinstance(check.left, Decimal) and isinstance(check.right, Decimal)
    assert (check.left, check.right) == (D("22726860"), D("6627700"))
    assert check.unit is not None and check.unit.text == "万元" and (check.places, check.rounding) == (2, "ROUND_HALF_UP")
    assert check.texts() == ("2272.69 万元", "662.77 万元") and check.passed is False


def test_the_seeds_expect_rows_hold_decimals_and_the_grade() -> None:
    loaded = load(SEED.read_text(encoding="utf-8"))
    rows = loaded.result.expect
    assert all(isinstance(r, ExpectResult) for r in rows)
    assert [r.target for r in rows] == ["决策", "过程", "产出", "效益", "total", "grade"]
    assert [r.computed for r in rows] == [D("20.00"), D("16.10"), D("35.13"), D("20.00"), D("91.23"), "优"]
    assert all(isinstance(r.computed, Decimal) for r in rows[:5]) and all(r.equal for r in rows)
    assert [r.computed_text() for r in rows] == ["20.00", "16.10", "35.13", "20.00", "91.23", "优"]
    assert loaded.plan.grade_of(D("91.23")) == "优" and loaded.plan.grade_of(D("89.99")) == "良"


def test_a_check_with_a_missing_side_keeps_the_other_value() -> None:
    loaded = load("facts {\n  预算 = 100 万元\n  执行 = 缺\n}\nx >= 1 weight 100\ncheck 执行检查: 执行 <= 预算\n"
                  .replace("= 缺", "= 预算 / 0"))
    (check,) = loaded.result.checks
    assert check.left is None and check.right == D("1000000") and check.passed is None
    assert check.texts() == ("?", "?")


def test_a_differing_expect_row_holds_both_values() -> None:
    loaded = load("a >= 100 个 weight 100\nactuals {\n  a = 80 个\n}\nexpect { total 85 }\n")
    (row,) = loaded.result.expect
    assert (row.target, row.published, row.computed, row.equal) == ("total", D("85"), D("80.00"), False)
    (found,) = [f for f in loaded.findings if f.code == "PR308"]
    assert found.message("zh") == "核对 总分 total：公布数 85，计算结果 80.00"
    assert found.message("en") == "expect total: published 85, computed 80.00"


# ---------------------------------------------------------------- --lang en shows no Chinese label


def _block(stdout: str, head: str) -> list[str]:
    """The lines under `head` up to the next blank line."""
    lines = stdout.splitlines()
    start = lines.index(head) + 1
    end = next((n for n in range(start, len(lines)) if not lines[n].strip()), len(lines))
    return lines[start:end]


def test_lang_en_expect_lines_have_no_chinese_label() -> None:
    out = cli("eval", str(SEED), "--lang", "en")
    expect = _block(out.stdout, "published figures:")
    assert expect[-2:] == ["  ✓ total        91.23 → 91.23", "  ✓ grade        优 → 优"]
    assert len(expect) == 6
    for line in expect:  # the labels are English; only the names the file gives (决策, 优) are Chinese
        label = line.split()[1]
        assert label in ("total", "grade", "决策", "过程", "产出", "效益"), line
        assert not CJK.search(line.replace(label, "").replace("优", "")), line
    # the check's own name and the table's unit are the file's words, not labels
    assert _block(out.stdout, "checks:") == ["  ✗ 成本与预算匹配: 2272.69 万元 <= 662.77 万元"]


def test_lang_zh_expect_lines_are_unchanged() -> None:
    out = cli("eval", str(SEED))
    assert "  ✓ 总分 total   91.23 → 91.23\n  ✓ 等级 grade   优 → 优\n" in out.stdout
    assert "  ✗ 成本与预算匹配: 2272.69 万元 <= 662.77 万元" in out.stdout


VERBAL = "a >= 100 个 weight 100\nactuals {\n  a = 100 个\n}\nexpect {\n  total 100\n  grade \"实施比较顺利\"\n}\n"


def test_a_verbal_grade_in_english(tmp_path: Path) -> None:
    path = tmp_path / "verbal.perf"
    path.write_text(VERBAL, encoding="utf-8")
    en = cli("eval", str(path), "--lang", "en").stdout
    assert "  – grade        实施比较顺利 → 优 (verbal grade, not compared)" in en and "文字等级" not in en
    zh = cli("eval", str(path)).stdout
    assert "  – 等级 grade   实施比较顺利 → 优（文字等级，不比较）" in zh  # –: not compared
    data = json.loads(cli("eval", str(path), "--lang", "en", "--format", "json").stdout)
    assert data["expect"] == [{"name": "total", "target": "total", "published": 100, "computed": 100,
                               "published_text": "100", "computed_text": "100.00", "equal": True},
                              {"name": "grade", "target": "grade", "published": "实施比较顺利", "computed": "优",
                               "published_text": "实施比较顺利", "computed_text": "优 (verbal grade, not compared)",
                               "equal": None}]
    data = json.loads(cli("eval", str(path), "--format", "json").stdout)
    assert [e["name"] for e in data["expect"]] == ["总分 total", "等级 grade"]


def test_lang_en_pr308_names_the_row_in_english(tmp_path: Path) -> None:
    path = tmp_path / "expect.perf"
    path.write_text("a >= 100 个 weight 100\nactuals {\n  a = 80 个\n}\nexpect {\n  total 85\n  grade 优\n}\n",
                    encoding="utf-8")
    out = cli("eval", str(path), "--lang", "en")
    messages = [line for line in out.stdout.splitlines() if "PR308" in line]
    assert [m.split("PR308 ", 1)[1] for m in messages] == ["error expect total: published 85, computed 80.00",
                                                           "error expect grade: published 优, computed 良"]
    assert out.exit_code == 1


def test_the_audit_tells_the_total_rows_pr308_by_its_label() -> None:
    from perfrules.scoring.audit import about_total

    total = Finding.make("PR308", None, name=display.said_expect_label("total"), expected="90", actual="91.23")
    section = Finding.make("PR308", None, name=display.said_expect_label("产出"), expected="30", actual="35.13")
    assert about_total(total) and not about_total(section)
