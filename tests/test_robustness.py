"""Broken input never gives a traceback: a located message and exit code 2 (property-based)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfrules.syntax.source import split_lines

from conftest import EXAMPLES, cli

EXAMPLE_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.perf"))}
LOCATED = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+):(?P<column>\d+): PR\d{3} ", re.M)
COUNTED = re.compile(r"^([ \t]+[^\s#]+ = \d+(?:\.\d+)?) (人|场)$", re.M)  # an actual counted in 人 or 场
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run_check(tmp_path: Path, content: str | bytes) -> tuple[int, str]:
    path = tmp_path / "mutated.perf"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    out = cli("check", str(path))  # raises on any Python exception: no traceback may escape
    return out.exit_code, out.stderr


def code_positions(text: str) -> list[tuple[int, int]]:
    """(line index, column index) of every character of code: outside comments and quotes."""
    positions = []
    for index, line in enumerate(split_lines(text)):
        inside = False
        for column, char in enumerate(line.code):
            if char in '"“”':
                inside = not inside
                continue
            if not inside:
                positions.append((index, column))
    return positions


@SETTINGS
@given(name=st.sampled_from(sorted(EXAMPLE_TEXTS)), data=st.data(), junk=st.sampled_from(list("@$`?!|^&;")))
def test_a_junk_character_in_code_is_reported_at_its_line(tmp_path: Path, name: str, data: st.DataObject,
                                                          junk: str) -> None:
    text = EXAMPLE_TEXTS[name]
    line_index, column = data.draw(st.sampled_from(code_positions(text)))
    lines = text.splitlines()
    lines[line_index] = lines[line_index][:column] + junk + lines[line_index][column:]
    code, stderr = run_check(tmp_path, "\n".join(lines) + "\n")
    assert code == 2, stderr
    located = [(int(m["line"]), int(m["column"])) for m in LOCATED.finditer(stderr)]
    assert any(line == line_index + 1 for line, _ in located), stderr


@SETTINGS
@given(name=st.sampled_from(sorted(EXAMPLE_TEXTS)), data=st.data())
def test_random_edits_never_crash(tmp_path: Path, name: str, data: st.DataObject) -> None:
    text = EXAMPLE_TEXTS[name]
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    insert = data.draw(st.text(alphabet=st.sampled_from(list('{}()"#=<>%~:/ \n0123456789.达成人元权重weight')), max_size=8))
    code, stderr = run_check(tmp_path, text[:start] + insert + text[end:])
    assert code in (0, 1, 2)
    if code == 2:
        assert LOCATED.search(stderr), stderr


@SETTINGS
@given(name=st.sampled_from(sorted(EXAMPLE_TEXTS)), data=st.data())
def test_truncated_files(tmp_path: Path, name: str, data: st.DataObject) -> None:
    text = EXAMPLE_TEXTS[name]
    cut = data.draw(st.integers(0, len(text) - 1))
    code, stderr = run_check(tmp_path, text[:cut])
    assert code in (0, 1, 2)
    if code == 2:
        assert LOCATED.search(stderr), stderr
    lines = [line.code.strip() for line in split_lines(text[:cut])]
    if sum(line.endswith("{") for line in lines) > lines.count("}"):  # a block left open
        assert code == 2 and "PR002" in stderr


@SETTINGS
@given(junk=st.binary(min_size=1, max_size=300))
def test_binary_junk(tmp_path: Path, junk: bytes) -> None:
    code, stderr = run_check(tmp_path, junk)
    assert code in (0, 1, 2)
    if code == 2:
        assert LOCATED.search(stderr), stderr


@SETTINGS
@given(name=st.sampled_from(sorted(n for n, t in EXAMPLE_TEXTS.items() if COUNTED.search(t))), data=st.data(),
       unit=st.sampled_from(["米", "户", "次", "吨"]))
def test_a_wrong_count_unit_in_actuals_is_an_error(tmp_path: Path, name: str, data: st.DataObject,
                                                   unit: str) -> None:
    text = EXAMPLE_TEXTS[name]
    matches = list(COUNTED.finditer(text))
    match = data.draw(st.sampled_from(matches))
    mutated = text[: match.start()] + f"{match.group(1)} {unit}" + text[match.end():]
    code, stderr = run_check(tmp_path, mutated)
    assert code == 2 and "PR013" in stderr
    line = text[: match.start()].count("\n") + 1
    assert f":{line}:" in stderr


def test_a_formula_too_deep_is_refused_not_a_crash(tmp_path: Path) -> None:
    terms = " + ".join(["a"] * 500)
    code, stderr = run_check(tmp_path, f"facts {{\n  a = 1 万元\n}}\nx = {terms} >= 1 万元 weight 100\n")
    assert code == 2 and ":4:1: PR014" in stderr


def test_numbers_too_large_are_refused(tmp_path: Path) -> None:
    code, stderr = run_check(tmp_path, "x >= 10000000000000000000 人 weight 100\n")
    assert code == 2 and ":1:6: PR014" in stderr
    rules = tmp_path / "r.perf"
    rules.write_text("x >= 1 人 weight 100\n", encoding="utf-8")
    data = tmp_path / "d.json"
    data.write_text('{"x": 1e30}', encoding="utf-8")
    out = cli("eval", str(rules), "--data", str(data))
    assert out.exit_code == 2 and "太大" in out.stderr
