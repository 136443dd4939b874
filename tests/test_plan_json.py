"""The Plan as JSON: it validates against the published schema and loads back without the grammar."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema

from perfrules import pipeline
from perfrules.plan.serialize import PlanFormatError, dump_plan, load_plan
from perfrules.scoring.evaluate import evaluate

from conftest import EXAMPLES, SCHEMAS, SEED, cli


def schema(name: str) -> dict:  # type: ignore[type-arg]
    data = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(data)
    return data  # type: ignore[no-any-return]


def test_every_example_plan_round_trips_and_validates() -> None:
    plan_schema = schema("plan.schema.json")
    for path in sorted(EXAMPLES.glob("*.perf")):
        run = pipeline.compile_file(path)
        assert run.plan is not None and not run.blocked
        dumped = dump_plan(run.plan)
        jsonschema.validate(dumped, plan_schema, cls=jsonschema.Draft202012Validator)
        again = load_plan(json.loads(json.dumps(dumped)))
        assert dump_plan(again) == dumped
        assert evaluate(again).total == evaluate(run.plan).total


def test_compile_then_eval_plan_via_cli(tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan_file = tmp_path / "plan.json"
    assert cli("compile", str(SEED), "-o", str(plan_file)).exit_code == 0
    out = cli("eval", "--plan", str(plan_file), "--format", "json")
    assert out.exit_code == 0 and out.json()["total"] == 91.23


def test_loading_a_plan_does_not_import_the_grammar(tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan_file = tmp_path / "plan.json"
    cli("compile", str(SEED), "-o", str(plan_file))
    code = (
        "import sys, json\n"
        "from perfrules import pipeline\n"
        f"run = pipeline.evaluate_run(pipeline.load_plan_file({str(plan_file)!r}))\n"
        "print(run.result.total, 'lark' in sys.modules, 'perfrules.syntax.parser' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["91.23", "False", "False"]


def test_bad_plans_are_rejected(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for text in ["{}", '{"format": "perfrules-plan/1"}', "not json"]:
        path = tmp_path / "bad.json"
        path.write_text(text)
        out = cli("eval", "--plan", str(path))
        assert out.exit_code == 2 and "PR019" in out.stderr
    try:
        load_plan({"format": "other"})
    except PlanFormatError:
        pass
    else:
        raise AssertionError("no error")
