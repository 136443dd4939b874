"""Six defects a user would hit, each pinned by what the user sees (session 4, brief H2).

1. a batch (`eval DIR`, `check DIR`) with one project whose settings file cannot be used;
2. a deduction word of the other side of the target (`每超` on `>=`, `每少` on `<=`): PR014 warning at the word;
3. English throughout under --lang en: why a file cannot be read (PR003, PR016, PR019.plan), the ruleset's kind;
4. the VS Code grammar highlights `review` (复核分, 审核分) in `expect { }`: the block's keywords from the vocabulary;
5. a data sheet reads its columns by the 自评表's header words (自评分, 复核得分, …); a column not read is a PR026;
6. a published (or review) score on a row whose actual is text or missing: PR301 says it cannot be checked.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from test_fastpath import same_as_lark

from conftest import ROOT, cli, load

PROJECT = "a >= 1 人 weight 100\nactuals {\n  a = 2 人\n}\n"


# ---------------------------------------------------------------- 1. bad settings in a batch


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """good/a.perf with no settings, bad/b.perf under a pyproject.toml written by each test."""
    for name, file in (("good", "a.perf"), ("bad", "b.perf")):
        (tmp_path / name).mkdir()
        (tmp_path / name / file).write_text(PROJECT, encoding="utf-8")
    return tmp_path


BAD_SETTINGS = [
    # a TOML syntax error: its line and column
    ('[tool.perfrules]\nignore = ["PR201"\nx = 1\n', "pyproject.toml:3:1: TOML 语法错误：Unclosed array"),
    # an unknown setting: the line it is on
    ('[tool.other]\nfoo = 1\n[tool.perfrules]\nignore = ["PR201"]\nfoo = 1\n',
     "pyproject.toml:5: 未知的设置 foo（可写的设置见 docs/checks.md「设置」一节）"),
    # a wrong type
    ('[tool.perfrules]\nselect = ["PR1"]\nignore = [1]\n', "pyproject.toml:3: ignore 的第 1 项应为文字，写的是 1"),
    ('[tool.perfrules]\nmin-indicators = "many"\n', 'pyproject.toml:2: min-indicators 的取值 "many" 不是有效的个数（如 "3"）'),
    ('[tool.perfrules.severity]\nPR201 = "loud"\n', 'pyproject.toml:2: severity.PR201 的取值 "loud" 无效：应为 error、warning、info 或 off'),
]


@pytest.mark.parametrize(("settings", "said"), BAD_SETTINGS)
def test_a_bad_settings_file_is_one_invalid_row_of_the_batch(tree: Path, settings: str, said: str) -> None:
    (tree / "bad" / "pyproject.toml").write_text(settings, encoding="utf-8")
    out = cli("eval", str(tree), "--format", "json")
    assert out.exit_code == 2, out.stderr  # a project that cannot be checked, as a batch says of any invalid one
    rows = {Path(r["file"]).name: r for r in json.loads(out.stdout)}
    assert rows["a.perf"]["status"] == "ok" and rows["a.perf"]["total"] == "100.00"
    bad = rows["b.perf"]
    assert (bad["status"], bad["worst_code"], bad["errors"]) == ("invalid", "PR014", 1)
    assert bad["worst_message"].startswith(f"设置有误：{tree / 'bad'}/") and said in bad["worst_message"]
    assert "评分了 2 个项目：1 个无法评分" in out.stderr and "用法" not in out.stderr


def test_the_batch_table_and_english(tree: Path) -> None:
    (tree / "bad" / "pyproject.toml").write_text('[tool.perfrules]\nignore = ["PR201"\n', encoding="utf-8")
    out = cli("eval", str(tree), "--lang", "en")
    assert out.exit_code == 2
    lines = out.stdout.splitlines()
    assert lines[1].split()[0].endswith("b.perf") and lines[1].split()[-1] == "PR014"
    assert lines[2].split()[0].endswith("a.perf") and "100.00" in lines[2]
    assert out.stderr.strip() == "scored 2 projects: 1 invalid"


def test_check_dir_reports_the_project_and_checks_the_others(tree: Path) -> None:
    (tree / "bad" / "pyproject.toml").write_text('[tool.perfrules]\nignore = ["PR201"\nx = 1\n', encoding="utf-8")
    out = cli("check", str(tree))
    assert out.exit_code == 2
    bad = str(tree / "bad" / "b.perf")
    assert f"{bad}:1:1: PR014 错误 设置有误：{tree / 'bad' / 'pyproject.toml'}:3:1: TOML 语法错误：Unclosed array" in out.stderr
    assert ("    提示：改正设置文件中的这一项（可写的设置和取值见 docs/checks.md「设置」一节）；改正之前这个项目的审核检查"
            "无法运行") in out.stderr
    assert f"{tree / 'good' / 'a.perf'}:1:1: PR105 警告" in out.stderr
    assert out.stderr.splitlines()[-1] == "检查了 2 个文件，发现 2 个问题（1 个错误）"
    english = cli("check", str(tree), "--lang", "en")
    assert ("    hint: correct that entry of the settings file (the settings and their values: docs/checks.md, "
            "Settings); until then this project's checks cannot run") in english.stderr


def test_one_file_still_stops_with_the_usage_error_naming_the_line(tree: Path) -> None:
    (tree / "bad" / "pyproject.toml").write_text('[tool.perfrules]\nignore = ["PR201"\nx = 1\n', encoding="utf-8")
    for command in ("eval", "check"):
        out = cli(command, str(tree / "bad" / "b.perf"))
        assert out.exit_code == 2 and out.stdout == ""
        where = tree / "bad" / "pyproject.toml"  # Chinese first, then English (H7: settings messages)
        assert (f"错误：设置有误：{where}:3:1: TOML 语法错误：Unclosed array / bad settings: {where}:3:1: TOML syntax "
                "error: Unclosed array") in out.stderr


# ---------------------------------------------------------------- 2. a deduction word against the target's direction


def deduct_findings(line: str, actual: str) -> list[tuple[str, str, int, int, str, str]]:
    loaded = load(f"{line}\nactuals {{\n  a = {actual}\n}}\n")
    return [(f.code, f.severity.value, f.span.line, f.span.column, f.message(), f.hint()) for f in loaded.findings
            if f.key.startswith("PR014.deduct")]


@pytest.mark.parametrize(("line", "word"), [
    ("a >= 100% weight 100 扣 1 每超 1%", "每超"),
    ("a >= 100% weight 100 扣 1 每超支 1%", "每超支"),
    ("a ≥ 100 人 weight 100 每多 1 人 扣 1", "每多"),
    ("a > 100 人 weight 100 deduct 1 per 1 人", None),  # per: either side
    ("a > 100 人 weight 100 deduct 1 每超 1 人", "每超"),
    ("a >= 100 人 weight 100 扣 1 每高 1 人", "每高"),
    ("a >= 100 人 weight 100 扣 1 每差 1 人", None),
])
def test_an_excess_word_on_a_ge_target_is_a_warning_at_the_word(line: str, word: str | None) -> None:
    found = deduct_findings(line, "96" if "%" in line else "96 人")
    if word is None:
        assert found == []
        return
    comparator = ">" if " > " in line else ">="
    assert found == [("PR014", "warning", 1, line.index(word) + 1,
                      f"a 的目标是 {comparator}，扣分却写「{word}」（超过目标扣分）：perfrules 按低于目标的差距扣分，超过目标不扣分",
                      f"{comparator} 目标少于、低于目标时扣分，写成 每少、每低；若本意是超过目标扣分，比较符应为 <=")]


@pytest.mark.parametrize(("line", "word"), [
    ("a <= 50 万元 weight 100 每少 1 万元 扣 1", "每少"),
    ("a <= 2% weight 100 扣 1 每低 1%", "每低"),
    ("a < 2% weight 100 扣 1 每低 1%", "每低"),
    ("a <= 2023-06-30 weight 100 每少 1 天 扣 1", "每少"),  # a deadline: late is above it
])
def test_a_shortfall_word_on_a_le_target_is_a_warning(line: str, word: str) -> None:
    actual = "2023-07-02" if "2023" in line else ("3%" if "%" in line else "52 万元")
    (found,) = deduct_findings(f'ruleset "r" {{\n  year 2023\n}}\n{line}' if "2023" in line else line, actual)
    comparator = "<" if " < " in line else "<="
    assert found[:2] == ("PR014", "warning")
    assert found[4] == (f"a 的目标是 {comparator}，扣分却写「{word}」（低于目标扣分）：perfrules 按超过目标的差距扣分，"
                        "低于目标不扣分")
    assert found[5] == f"{comparator} 目标超过目标时扣分，写成 每超、每超支、每多、每高；若本意是低于目标扣分，比较符应为 >="


@pytest.mark.parametrize("line", [
    "a >= 100% weight 100 扣 1 每少 1%", "a >= 100% weight 100 扣 1 每低 1%", "a <= 50 万元 weight 100 扣 1 每超支 1 万元",
    "a <= 50 万元 weight 100 扣 1 每超 1 万元", "a <= 5 天 weight 100 每多 1 天 扣 1", "a <= 2% weight 100 扣 1 每高 1%",
    "a = 100 人 weight 100 扣 1 每少 1 人", "a in 95% ~ 105% weight 100 deduct 1 每高 1%",
])
def test_words_of_the_right_side_and_two_sided_targets_say_nothing(line: str) -> None:
    actual = "52 万元" if "万元" in line else "7 天" if "天" in line else "96 人" if "人" in line else "96%"
    assert deduct_findings(line, actual) == []


def test_the_warning_does_not_change_the_score_nor_block() -> None:
    loaded = load("a >= 100% weight 10 扣 1 每超 1%\nactuals {\n  a = 96%\n}\n")
    assert loaded.ind("a").score == Decimal("6.00") and loaded.result.total == Decimal("6.00")
    assert not [f for f in loaded.findings if f.severity.value == "error"]


def test_the_word_is_read_alike_by_the_fast_path_and_lark() -> None:
    for code in ("a >= 100% weight 10 扣 1 每超 1%", "a <= 5 天 weight 10 deduct 1 per 1 天", "a >= 5 处 weight 3 扣 1 每少 1 处"):
        assert same_as_lark(code, "top_line")


def test_english_and_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "r.perf"
    path.write_text("资金到位率 >= 100% weight 100 扣 0.5 每超 1%\nactuals {\n  资金到位率 = 96%\n}\n", encoding="utf-8")
    out = cli("check", str(path), "--lang", "en")
    assert out.exit_code == 0
    column = "资金到位率 >= 100% weight 100 扣 0.5 每超 1%".index("每超") + 1
    assert (f"{path}:1:{column}: PR014 warning 资金到位率 has a >= target but its deduction says 每超 (points off for exceeding "
            "it): perfrules deducts for the shortfall below the target and never for exceeding it") in out.stderr
    assert ("    hint: a >= target loses points for falling short: write 每少、每低; if exceeding it should cost points, "
            "the comparator is <=") in out.stderr
    shown = cli("eval", str(path), "--format", "json").json()
    assert [(f["code"], f["severity"]) for f in shown["findings"] if f["code"] == "PR014"] == [("PR014", "warning")]


def test_the_documented_example(tmp_path: Path) -> None:
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    section = page[page.index("### 17.9 扣分 deduct"):]
    block = re.search(r"```text\n\$ perfrules check 到位率.perf +# (.*?)\n(.*?)```", section, re.S)
    assert block is not None
    path = tmp_path / "到位率.perf"
    path.write_text(block[1] + "\n", encoding="utf-8")
    out = cli("check", str(path))
    shown = [line.replace(str(path), "到位率.perf") for line in out.stderr.splitlines()]
    for line in block[2].strip("\n").splitlines():
        assert line in shown


# ---------------------------------------------------------------- 3. --lang en: the reasons and the kind in English


def shown_lines(*args: str) -> list[str]:
    out = cli(*args)
    return out.stdout.splitlines() + out.stderr.splitlines()


def test_an_unreadable_file_says_why_in_the_readers_language(tmp_path: Path) -> None:
    missing = tmp_path / "无.perf"
    assert f"{missing}:1:1: PR003 error cannot read the file: no such file or directory" in \
        shown_lines("eval", str(missing), "--lang", "en")
    assert f"{missing}:1:1: PR003 错误 无法读取文件：文件或目录不存在" in shown_lines("eval", str(missing))


@pytest.mark.parametrize(("data", "english", "chinese"), [
    ("中文规则".encode("gbk"), "this is text in GBK/GB18030: save it as UTF-8", "这是 GBK/GB18030 编码的文本：请另存为 UTF-8"),
    ("a".encode("utf-16"), "this is text in UTF-16: save it as UTF-8", "这是 UTF-16 编码的文本：请另存为 UTF-8"),
    (b"PK\x03\x04\xff\xfe\x00", "this is an Excel workbook (xlsx/xls) or another compressed file, not text",
     "这是 Excel 工作簿（xlsx/xls）或其他压缩文件，不是文本"),
    (b"\x00\xff\x00\x81", "not UTF-8 text (perhaps a binary file)", "不是 UTF-8 文本（可能是二进制文件）"),
])
def test_a_file_that_is_not_utf8_says_what_it_is_in_english(tmp_path: Path, data: bytes, english: str,
                                                            chinese: str) -> None:
    path = tmp_path / "r.perf"
    path.write_bytes(data)
    found = [line for line in shown_lines("check", str(path), "--lang", "en") if " PR003 " in line]
    assert len(found) == 1 and found[0].endswith(f" PR003 error cannot read the file: {english}")
    found = [line for line in shown_lines("check", str(path)) if " PR003 " in line]
    assert len(found) == 1 and found[0].endswith(f" PR003 错误 无法读取文件：{chinese}")


def test_a_file_too_large_and_a_folder_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from perfrules import limits

    path = tmp_path / "r.perf"
    path.write_text(PROJECT, encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10)
    size = len(PROJECT.encode())
    assert f"{path}:1:1: PR003 error cannot read the file: the file is too large ({size} bytes, at most 10)" in \
        shown_lines("eval", str(path), "--lang", "en")
    assert f"{path}:1:1: PR003 错误 无法读取文件：文件太大（{size} 字节，上限 10 字节）" in shown_lines("eval", str(path))
    monkeypatch.undo()
    assert f"{tmp_path}:1:1: PR019 error invalid plan file {tmp_path}: this is a directory, not a regular file" in \
        shown_lines("eval", "--plan", str(tmp_path), "--lang", "en")


def test_fmt_of_binary_standard_input_in_english() -> None:
    from click.testing import CliRunner

    from perfrules.cli import main

    out = CliRunner().invoke(main, ["fmt", "-", "--lang", "en"], input=b"\x00\xff\x81")
    assert out.exit_code == 2
    assert "-:1:1: PR003 error cannot read the file: not UTF-8 text (perhaps a binary file)" in out.stderr.splitlines()


def test_a_framework_that_cannot_be_used_says_why_in_english(tmp_path: Path) -> None:
    path = tmp_path / "r.perf"
    path.write_text('use "/etc/x.perf"\nuse "没有.perf"\n' + PROJECT, encoding="utf-8")
    lines = shown_lines("check", str(path), "--lang", "en")
    assert (f'{path}:1:1: PR016 error cannot use framework /etc/x.perf: an absolute path cannot be used: write it '
            'relative to this file (use "common/框架.perf")') in lines
    assert any(line.startswith(f"{path}:2:1: PR016 error cannot use framework 没有.perf: no such file; the standard "
                               "frameworks are: std/") for line in lines)


KIND_RULES = 'ruleset "项目" {\n  year 2023\n  kind 自评\n}\na >= 1 人 weight 100\nactuals {\n  a = 1 人\n}\n'


@pytest.mark.parametrize(("kind", "english"), [("自评", "self-evaluation"), ("监控", "monitoring"),
                                               ("evaluation", "evaluation")])
def test_the_kind_in_english_in_every_score_table(tmp_path: Path, kind: str, english: str) -> None:
    path = tmp_path / "r.perf"
    path.write_text(KIND_RULES.replace("kind 自评", f"kind {kind}"), encoding="utf-8")
    assert cli("eval", str(path), "--lang", "en").stdout.splitlines()[0] == f"项目 · 2023 · {english}"
    markdown = cli("eval", str(path), "--lang", "en", "--format", "markdown").stdout.splitlines()
    assert markdown[0] == f"# 项目 · 2023 · {english}" and f"- Kind: {english}" in markdown
    html = cli("eval", str(path), "--lang", "en", "--format", "html").stdout
    assert f'<p class="meta">2023 · {english} · Scoring table</p>' in html and f"<dt>Kind</dt><dd>{english}</dd>" in html
    chinese = "评价" if kind == "evaluation" else kind
    assert cli("eval", str(path)).stdout.splitlines()[0] == f"项目 · 2023 · {chinese}"
    assert f"- 评价类型：{chinese}" in cli("eval", str(path), "--format", "markdown").stdout.splitlines()
    assert cli("eval", str(path), "--lang", "en", "--format", "json").json()["kind"] == chinese  # data: as compiled


def test_the_kind_in_the_english_workbook(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "r.perf"
    path.write_text(KIND_RULES, encoding="utf-8")
    book = tmp_path / "r.xlsx"
    assert cli("eval", str(path), "--lang", "en", "--format", "xlsx", "-o", str(book)).exit_code == 0
    values = [cell.value for row in openpyxl.load_workbook(book).active.iter_rows() for cell in row]
    assert "self-evaluation" in values and "自评" not in values


# ---------------------------------------------------------------- 4. the keywords of an expect item, for editors


def rule_keywords(rule: str) -> list[str]:
    """The keyword terminals that begin the alternatives of `rule` in grammar/perfrules.lark, in order."""
    from perfrules import vocabulary

    text = (ROOT / "grammar" / "perfrules.lark").read_text(encoding="utf-8")
    body = re.search(rf"^{rule}:(.*?)(?=^\S|^\s*$)", text, re.M | re.S)
    assert body is not None, rule
    firsts = [re.sub(r"//.*", "", part).split()[0] for part in re.split(r"\n\s*\|", body[1]) if part.strip()]
    return list(dict.fromkeys(t for t in firsts if t in vocabulary.KEYWORDS))


@pytest.mark.parametrize("rule", ["expect_item", "actual_clause"])
def test_the_vocabulary_lists_the_keywords_each_item_begins_with(rule: str) -> None:
    from perfrules import vocabulary

    assert list(vocabulary.ITEM_KEYWORDS[rule]) == rule_keywords(rule)
    assert vocabulary.as_json()["items"] == {r: list(t) for r, t in vocabulary.ITEM_KEYWORDS.items()}


def test_review_is_highlighted_inside_expect() -> None:
    grammar = json.loads((ROOT / "editors" / "vscode" / "syntaxes" / "perfrules.tmLanguage.json").read_text(encoding="utf-8"))
    patterns = grammar["repository"]["expect-block"]["patterns"]
    keywords = {p["match"]: p["name"] for p in patterns if "match" in p and "name" in p}
    review = next(m for m in keywords if "review" in m)
    assert keywords[review] == "keyword.other.actual.perfrules"
    for word in ("review", "复核分", "审核分"):
        assert re.fullmatch(review.replace("(?![\\p{L}\\p{Nl}\\p{No}_])", ""), word)


# ---------------------------------------------------------------- 5. a data sheet's header words: perfrules.data.headers

SHEET_RULES = "a >= 10 人 weight 50\nb >= 10 人 weight 50\n"


def sheet_run(tmp_path: Path, header: str, *rows: str, suffix: str = ".csv") -> dict[str, object]:
    rules = tmp_path / "r.perf"
    rules.write_text(SHEET_RULES, encoding="utf-8")
    data = tmp_path / f"d{suffix}"
    if suffix == ".csv":
        data.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    else:
        import openpyxl

        book = openpyxl.Workbook()
        for line in (header, *rows):
            book.active.append(line.split(","))
        book.save(data)
    out = cli("eval", str(rules), "--data", str(data), "--format", "json")
    assert out.exit_code == 0, out.stdout  # PR301 is shown, not an eval failure (docs/language.md 20)
    return out.json()


@pytest.mark.parametrize("score", ["得分", "自评分", "自评得分", "单位自评得分", "score"])
@pytest.mark.parametrize("review", ["复核分", "复核得分", "财政复核得分", "审核分", "review"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_score_and_review_columns_by_every_header_word(tmp_path: Path, score: str, review: str,
                                                           suffix: str) -> None:
    shown = sheet_run(tmp_path, f"指标名称,实际完成值,{score},{review}", "a,12 人,50,48", "b,8 人,38,39", suffix=suffix)
    rows = {i["name"]: (i["published_score"], i["review_score"]) for i in shown["indicators"]}  # type: ignore[attr-defined]
    assert rows == {"a": (50, 48), "b": (38, 39)}
    codes = sorted((f["code"], f["line"]) for f in shown["findings"] if f["code"] in ("PR301", "PR026"))  # type: ignore[attr-defined]
    assert codes == [("PR301", 1), ("PR301", 2), ("PR301", 2)]  # a's review 48; b's published 38, review 39 (of 40)


def test_columns_not_read_are_findings_at_their_header(tmp_path: Path) -> None:
    rules = tmp_path / "r.perf"
    rules.write_text(SHEET_RULES, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("序号,一级指标,指标名称,指标值,实际完成值,分值,自评得分,完成数,备注\n"
                    "1,产出,a,>=10,12 人,50,50,12,\n2,产出,b,>=10,10 人,50,50,10,\n", encoding="utf-8")
    out = cli("eval", str(rules), "--data", str(data))
    assert out.exit_code == 0
    lines = out.stdout.splitlines()
    for column, text in ((2, "一级指标"), (4, "指标值"), (6, "分值"), (9, "备注")):
        assert f"{data}:1:{column}: PR026 提示 第 1 行第 {column} 列「{text}」是自评表的列，不是实际值：这一列没有读取" in lines
    assert f"{data}:1:8: PR026 警告 第 1 行第 8 列「完成数」不是数据表读取的列：这一列没有读取" in lines
    assert ("    提示：数据表读取这些列：指标名称、实际完成值、单位、偏差原因、得分、复核分、执行率、佐证（及 perfrules/data/headers.py "
            "中的其他写法）；这一列若是其中之一，请改用这些表头") in lines
    assert sum(" PR026 " in line for line in lines) == 5  # 序号 (a row's number) holds nothing to read
    english = cli("eval", str(rules), "--data", str(data), "--lang", "en").stdout.splitlines()
    assert (f"{data}:1:8: PR026 warning row 1, column 8 (完成数) is no column a data sheet reads: the column is not read"
            in english)


def test_a_sheet_that_reads_every_column_says_nothing_of_columns(tmp_path: Path) -> None:
    shown = sheet_run(tmp_path, "指标名称,实际完成值,单位,偏差原因,得分,复核分,执行率,佐证材料",
                      "a,12,人,,50,48,,", "b,10,人,,50,50,,")
    assert [f for f in shown["findings"] if f["code"] == "PR026"] == []  # type: ignore[attr-defined]


def test_the_shown_headers_are_words_of_their_roles() -> None:
    from perfrules.data.headers import DATA_SHEET_HEADERS, DATA_SHEET_ROLES

    assert set(DATA_SHEET_HEADERS) == set(DATA_SHEET_ROLES)
    assert all(word in DATA_SHEET_ROLES[field] for field, word in DATA_SHEET_HEADERS.items())


# ---------------------------------------------------------------- 6. a published score beside a text actual

TEXT_ROWS = """\
a >= 10 人 weight 50
b >= 10 人 weight 30
c >= 10 人 weight 20
actuals {
  a = 12 人 score 50
  b = "已完成" score 5 review 4
  c score 3
}
"""
B_TEXT = "b 公布得分 5 无法按规则（比例法）核对：实际值是文字「已完成」，不是数量，perfrules 按 0 分计"
B_REVIEW = "b 复核分 4 无法按规则（比例法）核对：实际值是文字「已完成」，不是数量，perfrules 按 0 分计"
C_MISSING = "c 公布得分 3 无法按规则（比例法）核对：没有实际值，perfrules 按 0 分计"


@pytest.fixture
def text_rows(tmp_path: Path) -> Path:
    path = tmp_path / "t.perf"
    path.write_text(TEXT_ROWS, encoding="utf-8")
    return path


def test_a_text_actuals_published_score_cannot_be_checked_text(text_rows: Path) -> None:
    out = cli("eval", str(text_rows))
    assert out.exit_code == 0
    lines = out.stdout.splitlines()
    assert f"{text_rows}:2:1: PR301 警告 {B_TEXT}" in lines and f"{text_rows}:2:1: PR301 警告 {B_REVIEW}" in lines
    assert f"{text_rows}:3:1: PR301 警告 {C_MISSING}" in lines
    assert "    提示：把实际值写成带单位的数量（如 12 人），perfrules 才能按该行的规则重算并核对这个分数" in lines
    assert "    提示：补上该行的实际值，perfrules 才能按该行的规则重算并核对这个分数" in lines
    assert not any("应得" in line for line in lines)  # never "should score 0": 0 is no recomputation
    english = cli("eval", str(text_rows), "--lang", "en").stdout.splitlines()
    assert (f"{text_rows}:2:1: PR301 warning b: the published score 5 cannot be checked by its rule (ratio): the actual "
            "is the text 已完成, not a quantity, and perfrules scores it 0") in english


def test_a_text_actuals_published_score_cannot_be_checked_json(text_rows: Path) -> None:
    shown = cli("eval", str(text_rows), "--format", "json").json()
    found = [(f["code"], f["severity"], f["line"], f["message"]) for f in shown["findings"] if f["code"] == "PR301"]
    assert found == [("PR301", "warning", 2, B_TEXT), ("PR301", "warning", 2, B_REVIEW), ("PR301", "warning", 3, C_MISSING)]
    audit = cli("audit", str(text_rows), "--format", "json")
    assert audit.exit_code == 0  # warnings: below the default --fail-on error
    rows = {r["name"]: r for r in json.loads(audit.stdout)["audits"][0]["rows"]}
    assert (rows["b"]["published"], rows["b"]["recomputed"], rows["b"]["codes"]) == (5, 0, ["PR301"])
    assert (rows["c"]["published"], rows["c"]["recomputed"], rows["c"]["codes"]) == (3, 0, ["PR301"])
    assert rows["a"]["codes"] == []


def test_a_text_actuals_published_score_cannot_be_checked_markdown(text_rows: Path) -> None:
    lines = cli("eval", str(text_rows), "--format", "markdown").stdout.splitlines()
    row = next(line for line in lines if line.startswith("| b |"))
    assert f"PR301 警告 {B_TEXT.removeprefix('b ')}" in row or f"PR301 警告 {B_TEXT}" in row
    assert (f"- **PR301** 警告 `t.perf:2` {B_TEXT}（提示：把实际值写成带单位的数量（如 12 人），perfrules 才能按该行的规则"
            "重算并核对这个分数）") in lines
    paper = cli("audit", str(text_rows), "--format", "markdown").stdout.splitlines()
    b = next(line for line in paper if line.startswith("| 2 | b |"))
    cells = [c.strip() for c in b.strip("|").split("|")]
    assert cells[8:12] == ["5", "**4**", "0.00", "+5.00"]  # the review score marked: a finding is about it
    assert "PR301 警告 公布得分 5 无法按规则（比例法）核对" in cells[13] and "PR301 警告 复核分 4 无法按规则" in cells[13]


def test_a_score_above_the_weight_on_a_text_row_is_still_impossible(tmp_path: Path) -> None:
    path = tmp_path / "t.perf"
    path.write_text('b >= 10 人 weight 30\nactuals {\n  b = "已完成" score 35\n}\n', encoding="utf-8")
    shown = cli("eval", str(path), "--format", "json").json()
    assert [(f["code"], f["severity"], f["message"]) for f in shown["findings"] if f["code"] == "PR301"] == [
        ("PR301", "error", "b 公布得分 35 超过该行的分值 30：这一行最多得 30 分")]



def test_the_budget_figures_are_labelled_in_english(tmp_path: Path) -> None:
    import openpyxl

    example = ROOT / "rulesets" / "examples" / "minimum-living-allowance-2023.perf"
    markdown = cli("eval", str(example), "--lang", "en", "--format", "markdown").stdout.splitlines()
    assert markdown[:9] == ["# 2023年城乡居民最低生活保障补助资金 · 2023 · self-evaluation", "",
                            "- Project: 2023年城乡居民最低生活保障补助资金", "- Year: 2023", "- Kind: self-evaluation",
                            "- Initial budget: 5800万元", "- Full-year budget: 6120万元", "- Full-year spending: 5937.4万元",
                            "- Budget execution rate: 97.02%"]
    assert "- 年初预算数：5800万元" in cli("eval", str(example), "--format", "markdown").stdout.splitlines()
    for lang, labels in (("en", ["Initial budget", 5800, "Full-year budget", 6120, "Full-year spending", 5937.4]),
                         ("zh", ["年初预算数", 5800, "全年预算数", 6120, "全年执行数", 5937.4])):
        book = tmp_path / f"{lang}.xlsx"
        assert cli("eval", str(example), "--lang", lang, "--format", "xlsx", "-o", str(book)).exit_code == 0
        sheet = openpyxl.load_workbook(book).active
        rows = [[c.value for c in row if c.value is not None] for row in sheet.iter_rows(min_row=4, max_row=5)]
        assert rows[0] == labels  # the figures stay numbers, and the execution rate a formula over them
        assert rows[1] == ["Budget execution rate" if lang == "en" else "预算执行率", "=L4/G4"]
