"""The formatter: golden layout, idempotence, meaning and comments kept (property-based), the CLI."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfrules.fmt import format_text, plan_fingerprint

from conftest import ROOT, cli

GOLDEN = Path(__file__).parent / "golden" / "fmt"
RULESETS = sorted((ROOT / "rulesets").rglob("*.perf"))


def fmt(text: str) -> str:
    out, findings = format_text(text, "t.perf")
    assert out is not None, [f.message() for f in findings]
    return out


def test_golden_scrambled_file() -> None:
    """A scrambled but valid file comes back canonical (the expected file was read and checked by hand)."""
    scrambled = (GOLDEN / "scrambled.perf").read_text(encoding="utf-8")
    expected = (GOLDEN / "scrambled.expected.perf").read_text(encoding="utf-8")
    assert fmt(scrambled) == expected
    assert fmt(expected) == expected
    for line in scrambled.splitlines():
        if "#" in line:
            assert line[line.index("#"):].rstrip() in expected  # every comment kept, word for word


def test_every_shipped_ruleset_is_formatted_and_stable() -> None:
    for path in RULESETS:
        text = path.read_text(encoding="utf-8")
        assert fmt(text) == text, f"run: perfrules fmt {path.relative_to(ROOT)}"


def test_broken_file_is_left_untouched(write) -> None:  # type: ignore[no-untyped-def]
    path = write("broken.perf", "a   >=  weight 5\n")
    out = cli("fmt", path)
    assert out.exit_code == 2 and f"{path}:1:" in out.stderr and "PR001" in out.stderr
    assert Path(path).read_text(encoding="utf-8") == "a   >=  weight 5\n"


def test_check_diff_and_in_place(write) -> None:  # type: ignore[no-untyped-def]
    path = write("x.perf", "a >=  5 人 weight 100\n")
    assert cli("fmt", "--check", path).exit_code == 1
    diff = cli("fmt", "--diff", path)
    assert diff.exit_code == 1 and "-a >=  5 人 weight 100" in diff.stdout and "+a >= 5 人 weight 100" in diff.stdout
    assert Path(path).read_text(encoding="utf-8") == "a >=  5 人 weight 100\n"  # --check and --diff never write
    assert cli("fmt", path).exit_code == 0
    assert Path(path).read_text(encoding="utf-8") == "a >= 5 人 weight 100\n"
    assert cli("fmt", "--check", path).exit_code == 0


def test_stdin_to_stdout() -> None:
    from click.testing import CliRunner

    from perfrules.cli import main

    result = CliRunner().invoke(main, ["fmt", "-"], input="a>=5人 weight 100 # c\n")
    assert result.exit_code == 0 and result.stdout == "a >= 5 人 weight 100  # c\n"


# ---------------------------------------------------------------- generated rulesets

NAMES = st.sampled_from(["资格认证人数", "活动场次", "满意度", "预算执行率", '"★★★低保人数(按月)"', "x1", "资金到位率（%）"])
UNITS = st.sampled_from(["", " 人", "人", " 万元", " 元/人/年", "%", " %", "‰"])
COMPARATORS = st.sampled_from([">=", "<=", "=", ">", "<", "≥", "≤", "＞＝"])
SPACE = st.sampled_from([" ", "  ", "\t", "　"])
COMMENT = st.sampled_from(["", "", "  # 注释", " #c", "# 说明：一行", "  # noqa: PR201"])


@st.composite
def indicator_line(draw: st.DrawFn, name: str) -> str:
    sp = draw(SPACE)
    kind = draw(st.integers(0, 3))
    weight = f"{sp}{draw(st.sampled_from(['weight', '权重', '分值']))}{sp}{draw(st.integers(0, 30))}"
    if kind == 0:
        unit = draw(UNITS)
        target = f"{draw(COMPARATORS)}{sp}{draw(st.integers(0, 99999))}{unit}"
    elif kind == 1:
        target = f'qualitative{sp}"逐步提高"' if draw(st.booleans()) else "定性"
    elif kind == 2:
        target = f"in {draw(st.integers(1, 50))}% ~ {draw(st.integers(51, 100))}%"
    else:
        target = f"= 基数{sp}/{sp}基数 >= 100%"
    extra = draw(st.sampled_from(["", " cap 120%", " method linear" if "<" in target else "", " na", " 封顶 100%"]))
    return f"{name}{sp}{target}{weight}{extra}{draw(COMMENT)}"


@st.composite
def rulesets(draw: st.DrawFn) -> str:
    lines = ["# 生成的规则集", 'ruleset "生成" {', f"  year {draw(st.integers(2000, 2030))}", "}",
             "facts {", f"  基数{draw(SPACE)}={draw(SPACE)}{draw(st.integers(1, 999))} 万元", "}"]
    names = iter(f"指标{i}号" if i % 3 else f'"★{draw(NAMES).strip(chr(34))} {i}"' for i in range(100))
    for d in range(draw(st.integers(1, 3))):
        lines.append(f"{draw(SPACE) * draw(st.integers(0, 2))}dimension 维度{'ABC'[d]} weight {draw(st.integers(0, 60))} {{")
        for g in range(draw(st.integers(0, 2))):
            lines.append(f"group 分组{'ABC'[d]}{g} {{{draw(COMMENT)}")
            lines += [draw(indicator_line(next(names))) for _ in range(draw(st.integers(1, 4)))]
            lines.append("}")
        lines += [draw(indicator_line(next(names))) for _ in range(draw(st.integers(0, 3)))]
        lines += [""] * draw(st.integers(0, 3)) + [draw(COMMENT).strip()] + ["}"]
    lines.append(f"grades {{优>={draw(st.integers(85, 95))} 良 >= 80 差 otherwise}}")
    return "\n".join(lines) + "\n"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rulesets())
def test_generated_rulesets_format_idempotently_and_keep_meaning_and_comments(text: str) -> None:
    once = fmt(text)
    assert fmt(once) == once
    assert plan_fingerprint(once) == plan_fingerprint(text)
    comments = [line[line.index("#"):].rstrip() for line in text.splitlines() if "#" in line]
    for comment in comments:
        assert comment in once
    assert once.count("#") == text.count("#")
