"""Actuals from data files: JSON and YAML, every value form, every problem a located finding."""

from __future__ import annotations

import json
from decimal import Decimal

from perfrules import pipeline

FLAT = "资格认证人数 >= 60000 weight 5 cap 100%\n"


def run_with(write, rules: str, data_name: str, data: str):  # type: ignore[no-untyped-def]
    rule_file = write("r.perf", rules)
    data_file = write(data_name, data)
    return pipeline.evaluate_run(pipeline.compile_file(rule_file), data_file)


def test_the_briefs_flat_file_with_data(write) -> None:  # type: ignore[no-untyped-def]
    run = run_with(write, FLAT, "a.json", json.dumps({"资格认证人数": 80646}))
    assert run.result is not None
    (ind,) = run.result.indicators()
    assert ind.score == Decimal("5.00")
    assert (ind.completion * 100).quantize(Decimal("0.01")) == Decimal("134.41")  # type: ignore[operator]


def test_value_forms(write) -> None:  # type: ignore[no-untyped-def]
    rules = """\
        人数 >= 100 人 weight 20
        满意度 >= 95% weight 20
        幸福感 qualitative weight 20
        费用 <= 100 元 weight 20
        其他 >= 1 weight 20
        """
    data = json.dumps({
        "人数": "80 人",
        "满意度": "95%",
        "幸福感": "达成 90%",
        "费用": {"value": 120, "unit": "元", "reason": "物价上涨", "score": 16.67},
        "其他": "不适用",
    }, ensure_ascii=False)
    run = run_with(write, rules, "a.json", data)
    assert not run.findings, [f.message() for f in run.findings]
    assert run.result is not None
    scores = {i.name: i.score for i in run.result.indicators()}
    assert scores == {"人数": Decimal("16.00"), "满意度": Decimal("20.00"), "幸福感": Decimal("18.00"),
                      "费用": Decimal("16.67"), "其他": None}
    fee = next(i for i in run.result.indicators() if i.name == "费用")
    assert fee.reason == "物价上涨" and fee.published == Decimal("16.67")
    assert run.result.rescaled


def test_yaml_data_and_paths(write) -> None:  # type: ignore[no-untyped-def]
    rules = "group 过程 {\n  资金到位率 >= 100% weight 50\n}\ngroup 产出 {\n  资金到位率 >= 100% weight 50\n}\n"
    run = run_with(write, rules, "a.yaml", "过程/资金到位率: 100%\n产出/资金到位率: 50%\n")
    assert not run.findings, [f.message() for f in run.findings]
    assert run.result is not None and run.result.total == Decimal("75.00")


def test_data_overrides_inline_actuals(write) -> None:  # type: ignore[no-untyped-def]
    run = run_with(write, FLAT + "actuals {\n  资格认证人数 = 30000\n}\n", "a.json", '{"资格认证人数": 60000}')
    assert run.result is not None and run.result.indicators()[0].score == Decimal("5.00")


def test_facts_from_data(write) -> None:  # type: ignore[no-untyped-def]
    rules = "facts {\n  预算 万元\n  执行 万元\n}\n执行率 = 执行 / 预算 >= 100% weight 100\n"
    run = run_with(write, rules, "a.json", '{"预算": "662.77 万元", "执行": 16.67}')
    assert run.result is not None and run.result.total == Decimal("2.52")


def test_unknown_and_missing_names_are_findings(write) -> None:  # type: ignore[no-untyped-def]
    run = run_with(write, FLAT, "a.json", '{\n  "资格认证人数x": 1\n}\n')
    codes = {f.code: f for f in run.findings if f.code != "PR103"}
    assert set(codes) == {"PR020", "PR021"}
    assert codes["PR020"].span is not None and codes["PR020"].span.line == 2 and codes["PR020"].span.file.endswith("a.json")


def test_wrong_unit_in_data_is_an_error(write) -> None:  # type: ignore[no-untyped-def]
    run = run_with(write, "场次 >= 4 场 weight 100\n", "a.json", '{"场次": "12 人"}')
    assert [f.code for f in run.findings] == ["PR013"] and run.blocked and run.result is None


def test_bad_data_files(write) -> None:  # type: ignore[no-untyped-def]
    for name, text, reason in [
        ("a.json", "{ not json", "JSON"),
        ("a.json", "[1, 2]", "顶层"),
        ("a.yaml", "a: [1\n", "YAML"),
        ("a.json", '{"资格认证人数": true}', "/资格认证人数：实际值应为数字"),
        ("a.json", '{"资格认证人数": {"valu": 1}}', "value"),
    ]:
        run = run_with(write, FLAT, name, text)
        assert run.blocked, text
        assert any(reason in f.message() for f in run.findings), (text, [f.message() for f in run.findings])


def test_text_that_is_not_a_value_scores_zero_with_a_finding(write) -> None:  # type: ignore[no-untyped-def]
    run = run_with(write, FLAT, "a.json", '{"资格认证人数": "很多"}')
    (finding,) = [f for f in run.findings if f.code == "PR023"]
    assert finding.span is not None and finding.span.file.endswith("a.json")
    assert run.result is not None and run.result.indicators()[0].score == 0


def test_csv_and_xlsx_tables(write, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    rules = "人数 >= 100 人 weight 50\n满意度 >= 95% weight 50\n"
    csv_text = "序号,指标名称,实际完成值,单位,偏差原因\n1,人数,80,人,疫情影响\n2,满意度,96%,,\n"
    run = run_with(write, rules, "a.csv", csv_text)
    assert not [f for f in run.findings if f.code.startswith("PR0")], [f.message() for f in run.findings]
    assert run.result is not None and run.result.total == Decimal("90.00")
    assert run.result.indicators()[0].reason == "疫情影响"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "实际值"
    sheet.append(["三级指标", "实际完成值", "得分"])
    sheet.append(["人数", 80, 40])
    sheet.append(["满意度", "很多", None])
    book.save(tmp_path / "a.xlsx")
    rule_file = write("r.perf", rules)
    from perfrules import pipeline

    run = pipeline.evaluate_run(pipeline.compile_file(rule_file), tmp_path / "a.xlsx")
    text_finding = next(f for f in run.findings if f.code == "PR023")
    assert text_finding.span is not None and (text_finding.span.line, text_finding.span.column) == (3, 2)
    assert run.result is not None and run.result.indicators()[0].published == Decimal(40)


def test_table_without_a_header(write) -> None:  # type: ignore[no-untyped-def]
    run = run_with(write, FLAT, "a.csv", "a,b\n1,2\n")
    assert run.blocked and "表头" in run.findings[-1].message()


def test_schema_command(write) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    from conftest import SEED, cli

    out = cli("schema", str(SEED))
    assert out.exit_code == 0
    schema = json.loads(out.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "资格认证人数" in schema["properties"] and "过程/资金管理/资金到位率" in schema["properties"]
    assert "资金到位率" not in schema["properties"]  # ambiguous: only by path
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"资格认证人数": "80646 人", "退休人员幸福感": "达成 90%"})
    assert not validator.is_valid({"退休人员幸福感": "很好"})


def test_percent_formatted_cells_in_a_workbook(write, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    from perfrules import pipeline

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["指标名称", "实际完成值"])
    sheet.append(["满意度", 0.92])
    sheet["B2"].number_format = "0%"  # Excel shows 92%
    book.save(tmp_path / "a.xlsx")
    rule_file = write("r.perf", "满意度 >= 90% weight 100\n")
    run = pipeline.evaluate_run(pipeline.compile_file(rule_file), tmp_path / "a.xlsx")
    assert run.result is not None and run.result.total == Decimal("100.00")


def test_a_name_given_twice_in_a_data_file(write) -> None:  # type: ignore[no-untyped-def]
    for name, text in (("a.json", '{"资格认证人数": 93, "资格认证人数": 50}'), ("a.yaml", "资格认证人数: 93\n资格认证人数: 50\n")):
        run = run_with(write, FLAT, name, text)
        assert run.blocked and "两次" in run.findings[-1].message(), name
