"""The check file is the whole check: messages, hints, settings and flags live in perfrules/checks/<family>/PRxxx.py.

A deleted message, a message key the code uses without a template, a threshold read that no check
declares or a malformed declaration each fail here; so does a pipeline flag that drifts from the
declarations.
"""

from __future__ import annotations

import ast
import inspect
import string
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from perfrules import messages, pipeline
from perfrules.checks import all_checks, fails_eval, get_check, hint_of, message_of, partial_unsafe
from perfrules.checks.config import Config, Setting, schema, thresholds
from perfrules.checks.registry import Check
from perfrules.findings import Finding, Severity

from conftest import ROOT, load

PACKAGE = ROOT / "perfrules"
DOC = '''A check made up here.

**反例 Anti-pattern**

```perf
a >= 1 weight 100
```

**正例 Best practice**

```perf
a >= 1 weight 100
```
'''


def source_of(check: type[Check]) -> ast.Module:
    return ast.parse(Path(inspect.getfile(check)).read_text(encoding="utf-8"))


def used_keys(check: type[Check]) -> list[tuple[str, str, bool]]:
    """(keyword, key, is a prefix) of every `key=` and `hint=` a check's file passes: literals, or an f-string's start."""
    found = []
    for node in ast.walk(source_of(check)):
        if not isinstance(node, ast.Call):
            continue
        called = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        if called in ("finding", "make") and not any(k.arg == "key" for k in node.keywords):
            found.append(("key", check.code, False))  # no key: the finding's message is the code's own
        for keyword in node.keywords:
            if keyword.arg not in ("key", "hint"):
                continue
            value = keyword.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                found.append((keyword.arg, value.value, False))
            elif isinstance(value, ast.JoinedStr) and value.values and isinstance(value.values[0], ast.Constant):
                found.append((keyword.arg, str(value.values[0].value), True))
    return found


def unknown_keys(check: type[Check]) -> list[str]:
    """The keys a check's code uses that it declares no template for (what `PR206 PR206` looked like)."""
    missing = []
    for keyword, key, prefix in used_keys(check):
        table = check.messages if keyword == "key" else check.hints
        known = any(k.startswith(key) for k in table) if prefix else key in table
        if not known:
            missing.append(key)
    return missing


def thresholds_read() -> dict[Path, set[str]]:
    """Every `….threshold("name")` in the package, by file."""
    read: dict[Path, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "threshold"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                read.setdefault(path, set()).add(str(node.args[0].value))
    return read


# ---------------------------------------------------------------- every check declares the whole check


@pytest.mark.parametrize("check", all_checks(), ids=lambda c: c.code)
def test_every_check_declares_its_messages_in_its_own_class(check: type[Check]) -> None:
    assert "messages" in check.__dict__ and check.messages, check.code
    assert all(key == check.code or key.startswith(check.code + ".") for key in check.messages)
    assert Path(inspect.getfile(check)).stem == check.code


@pytest.mark.parametrize("check", all_checks(), ids=lambda c: c.code)
def test_every_finding_of_a_check_has_a_hint(check: type[Check]) -> None:
    """Each message key has a hint, its own or its code's, and the hint asks only for values its findings carry."""
    for key, pair in check.messages.items():
        hint_key = key if key in check.hints else check.code
        assert hint_key in check.hints, (check.code, key)
        said = {f for text in pair for _, f, _, _ in string.Formatter().parse(text) if f}
        asked = {f for text in check.hints[hint_key] for _, f, _, _ in string.Formatter().parse(text) if f}
        assert asked <= said, (key, asked - said)


def test_a_deleted_hint_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    check = get_check("PR204")
    assert check is not None
    monkeypatch.setattr(check, "hints", {})
    with pytest.raises(AssertionError):
        test_every_finding_of_a_check_has_a_hint(check)


@pytest.mark.parametrize("check", all_checks(), ids=lambda c: c.code)
def test_every_message_key_a_check_uses_has_a_template(check: type[Check]) -> None:
    assert unknown_keys(check) == [], check.code


def test_the_key_scan_sees_the_keys_of_a_real_check() -> None:
    """The scan above must find something to be worth anything: PR206's variant, PR401's f-string keys."""
    pr206, pr401 = get_check("PR206"), get_check("PR401")
    assert pr206 is not None and pr401 is not None
    assert ("key", "PR206.met", False) in used_keys(pr206) and ("key", "PR206", False) in used_keys(pr206)
    assert ("key", "PR401.last", True) in used_keys(pr401) and ("key", "PR401.mean", True) in used_keys(pr401)


def test_deleting_a_message_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take PR206.met's template away: the key scan names it, and the finding no longer renders."""
    check = get_check("PR206")
    assert check is not None
    without = {k: v for k, v in check.messages.items() if k != "PR206.met"}
    monkeypatch.setattr(check, "messages", without)
    assert unknown_keys(check) == ["PR206.met"]
    monkeypatch.setattr(check, "messages", {})
    assert Finding.make("PR206", None, severity=Severity.WARNING, count=3).message() == "PR206"


def test_a_check_without_messages_is_refused_when_defined() -> None:
    with pytest.raises(TypeError, match="PR198: messages are required"):
        type("NoMessages", (Check,), {"__doc__": DOC, "code": "PR198", "severity": Severity.INFO, "title": "x",
                                      "title_en": "x"})


def test_a_check_inherits_no_messages() -> None:
    """A subclass of a real check is a new check: it declares its own texts, it does not borrow PR201's."""
    pr201 = get_check("PR201")
    assert pr201 is not None
    with pytest.raises(TypeError, match="messages are required"):
        type("Borrowed", (pr201,), {"__doc__": DOC, "code": "PR197"})


@pytest.mark.parametrize("attrs, why", [
    ({"messages": {"PR201": ("x", "x")}}, "key 'PR201' must be PR198 or PR198.variant"),
    ({"messages": {"PR198.Bad": ("x", "x")}}, "must be PR198 or PR198.variant"),
    ({"messages": {"PR198": ("只有中文",)}}, "a \\(Chinese, English\\) pair"),
    ({"messages": {"PR198": ("", "x")}}, "a \\(Chinese, English\\) pair"),
    ({"messages": {"PR198": ("{name", "x")}}, "is not a template"),
    ({"messages": {"PR198": ("x", "x")}, "hints": {"PR198.other": ("x", "x")}}, "have no message of the same key"),
    ({"messages": {"PR198": ("x", "x")}, "settings": (("a", "1", "count", "x", "x"),)}, "tuple of Setting"),
])
def test_a_malformed_declaration_is_refused_when_defined(attrs: dict[str, object], why: str) -> None:
    with pytest.raises(TypeError, match=why):
        type("Broken", (Check,), {"__doc__": DOC, "code": "PR198", "severity": Severity.INFO, "title": "x",
                                  "title_en": "x", **attrs})


def test_a_well_formed_declaration_is_accepted() -> None:
    made = type("Made", (Check,), {"__doc__": DOC, "code": "PR198", "severity": Severity.INFO, "title": "x",
                                   "title_en": "x", "messages": {"PR198": ("{name} 中", "{name} en"),
                                                                 "PR198.more": ("多", "more")},
                                   "hints": {"PR198": ("提示", "hint")}})
    assert made.family == "static" and not made.needs_result and not made.fails_eval and made.partial_safe
    assert get_check("PR198") is None  # defined, not registered: the registry is the package's files


# ---------------------------------------------------------------- lookups come from the registry


def test_messages_py_keeps_only_the_language_codes() -> None:
    for table in (messages.MESSAGES, messages.HINTS):
        stray = [key for key in table if key.startswith("PR") and not key.startswith("PR0")]
        assert stray == []
    assert all(code.startswith("PR0") for code in messages.CODES)


@pytest.mark.parametrize("check", all_checks(), ids=lambda c: c.code)
def test_every_message_and_hint_renders_in_both_languages(check: type[Check]) -> None:
    for key, pair in check.messages.items():
        fields = {f for text in pair for _, f, _, _ in string.Formatter().parse(text) if f}
        finding = Finding.make(check.code, None, severity=check.severity, key=key,
                               hint=key if key in check.hints else "", **dict.fromkeys(fields, "X"))
        for lang, text in zip(("zh", "en"), pair, strict=True):
            said = finding.message(lang)
            assert said == text.format(**dict.fromkeys(fields, "X")) and "{" not in said, (key, lang)
        assert message_of(key) == pair
    for key, pair in check.hints.items():
        assert hint_of(key) == pair
        fields = {f for text in pair for _, f, _, _ in string.Formatter().parse(text) if f}
        assert messages.render_hint(key, "en", dict.fromkeys(fields, "X")) == pair[1].format(**dict.fromkeys(fields, "X"))


def test_a_finding_takes_its_variants_hint_else_its_codes() -> None:
    check = get_check("PR201")
    assert check is not None
    config = Config()
    from perfrules.checks.registry import Context
    from perfrules.plan.model import Plan

    ctx = Context(Plan.__new__(Plan), None, config)
    loose = check().finding(ctx, None, key="PR201.loose", name="a", rate="1", target="1", actual="1")
    plain = check().finding(ctx, None, name="a", rate="1", target="1", actual="1")
    assert (loose.key, loose.hint_key, plain.key, plain.hint_key) == ("PR201.loose", "PR201.loose", "PR201", "PR201")
    assert loose.hint() == "收紧下一年度的上限（如按实际水平设定），或用 reason 写明原因"


def test_an_unknown_key_renders_as_itself_as_before() -> None:
    assert message_of("PR999") is None and hint_of("PR299.x") is None
    assert Finding.make("PR999", None, severity=Severity.INFO).message() == "PR999"
    assert Finding.make("PR013", None, name="a", left="人", right="元").message() == "a 的单位不一致：人 与 元"


def test_showing_a_finding_loads_only_its_own_check() -> None:
    """The lookup is lazy: rendering a PR201 finding imports PR201.py, not the other thirty checks."""
    script = textwrap.dedent("""
        import sys
        from perfrules.findings import Finding, Severity
        f = Finding.make("PR201", None, severity=Severity.INFO, key="PR201.loose", hint="PR201.loose",
                         name="投诉率", rate="200.00%", target="<= 2%", actual="1%")
        print(f.message("en"))
        print(f.hint())
        print(sorted(m for m in sys.modules if m.startswith("perfrules.checks.") and m[-5:-3] == "PR"))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.splitlines() == [
        "投诉率 completed 200.00% (at most <= 2%, actual 1%): the limit was probably set too loose",
        "收紧下一年度的上限（如按实际水平设定），或用 reason 写明原因",
        "['perfrules.checks.results.PR201']",
    ]


# ---------------------------------------------------------------- settings: declared by the check that reads them


def test_every_threshold_read_is_declared_by_a_check() -> None:
    declared = thresholds()
    read = thresholds_read()
    assert read, "the scan found no threshold() call"
    undeclared = {str(path.relative_to(ROOT)): sorted(names - set(declared)) for path, names in read.items()
                  if names - set(declared)}
    assert undeclared == {}


@pytest.mark.parametrize("check", all_checks(), ids=lambda c: c.code)
def test_a_check_reads_only_the_thresholds_it_declares(check: type[Check]) -> None:
    own = {s.name for s in check.settings}
    assert thresholds_read().get(Path(inspect.getfile(check)), set()) <= own


def test_every_declared_setting_is_read_somewhere() -> None:
    read = set().union(*thresholds_read().values())
    assert sorted(set(thresholds()) - read) == []


def test_settings_are_collected_once_in_the_order_of_the_checks() -> None:
    names = [s.name for c in all_checks() for s in c.settings]
    assert list(thresholds()) == names and len(names) == len(set(names)) == 17
    for setting in thresholds().values():
        assert isinstance(setting, Setting) and setting.kind in ("percent", "count") and setting.zh and setting.en
        assert Config().threshold(setting.name) is not None
        entry = schema()["properties"][setting.name]
        assert entry == {"type": ["string", "number"], "default": setting.default, "description": setting.zh}
    assert Config().threshold("missed-warning") == Decimal("0.6")
    assert Config().threshold("max-indicators") == 60


def test_a_setting_no_check_declares_is_refused() -> None:
    from perfrules.checks.config import ConfigError

    with pytest.raises(ConfigError, match="未知的设置 over-completion：是不是 over-completion-info、"):
        Config().merged({"over-completion": "150%"}, "pyproject.toml")
    with pytest.raises(KeyError):
        Config().threshold("over-completion")


# ---------------------------------------------------------------- the pipeline's flags come from the declarations


def test_the_pipeline_flags_are_the_declared_ones() -> None:
    assert {"PR011", "PR012", "PR017", "PR020"} == pipeline.CASCADES
    assert partial_unsafe() == {"PR021", "PR103", "PR104", "PR105", "PR107", "PR110", "PR302", "PR308"}
    assert {c.code for c in all_checks() if c.fails_eval} == {"PR110", "PR308"}
    assert all(fails_eval(code) for code in messages.CODES)
    assert not fails_eval("PR201")
    assert fails_eval("PR999")  # an error of a code nobody declares fails safe
    assert {c.code for c in all_checks() if c.needs_result} == {"PR201", "PR202", "PR203", "PR204", "PR205", "PR206"}


def test_eval_fails_on_the_flagged_codes_only() -> None:
    def error(code: str) -> Finding:
        return Finding.make(code, None, severity=Severity.ERROR)

    assert pipeline.eval_failed([error("PR110")]) and pipeline.eval_failed([error("PR308")])
    assert pipeline.eval_failed([error("PR013")])
    assert not pipeline.eval_failed([error("PR204"), error("PR107")])
    assert not pipeline.eval_failed([Finding.make("PR110", None, severity=Severity.WARNING)])


def test_a_partial_analysis_leaves_out_what_a_dropped_line_can_cause() -> None:
    """The line `b >= weight 50` does not parse: the weights seem to add up to 50, which PR103 must not report."""
    text = "dimension 产出 weight 100 {\n  a >= 1 人 weight 50\n  b >= weight 50\n}\n"
    run = pipeline.compile_text(text, "partial.perf")
    run = pipeline.check_run(pipeline.evaluate_run(run, partial=True), partial=True)
    assert [f.code for f in run.findings] == ["PR001"]
    whole = "dimension 产出 weight 100 {\n  a >= 1 人 weight 50\n}\n"
    run = pipeline.compile_text(whole, "whole.perf")
    run = pipeline.check_run(pipeline.evaluate_run(run))
    assert "PR103" in {f.code for f in run.findings}


def test_results_checks_wait_for_actuals() -> None:
    """needs_result: PR206's three copied targets are not looked at before any actual exists."""
    text = "a >= 5 人 weight 40\nb >= 10 场 weight 30\nc >= 90% weight 30\n"
    run = pipeline.check_run(pipeline.evaluate_run(pipeline.compile_text(text, "plan.perf")))
    assert not any(f.code.startswith("PR2") for f in run.findings)
    done = text + "actuals {\n  a = 5 人\n  b = 10 场\n  c = 90%\n}\n"
    run = pipeline.check_run(pipeline.evaluate_run(pipeline.compile_text(done, "done.perf")))
    assert "PR206" in {f.code for f in run.findings}


def test_pr203_asks_for_a_reason_only_where_none_is_written() -> None:
    loaded = load('指标1 >= 10 人 weight 50\n指标2 >= 10 人 weight 50\nactuals {\n'
                  '  指标1 = 8 人 reason "疫情影响"\n  指标2 = 8 人\n}\n')
    hints = {f.span.line: f.hint() for f in loaded.findings if f.code == "PR203" and f.span is not None}
    assert hints == {1: "", 2: '在实际值后写 reason "未完成的原因及改进措施"'}


def test_a_missing_weight_or_formula_target_says_how_to_write_it() -> None:
    loaded = load("指标1 >= 10 人\n结余率 = 结余 / 预算 weight 5\nfacts {\n  结余 = 1 万元\n  预算 = 10 万元\n}\n")
    hints = {f.key: f.hint() for f in loaded.findings if f.code == "PR017"}
    assert hints == {"PR017.weight": "在指标行末写上分值，如 weight 5（表上没有印出分值时写 weight 5 inferred）",
                     "PR017.target": "写成 名称 = 公式 >= 目标，如 结余率 = 结余 / 预算 <= 5%"}
