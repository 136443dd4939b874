"""fmt as black and ruff format behave: --diff prints a unified diff, --check names what would change, BOM and CRLF kept."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from perfrules.cli import main
from perfrules.fmt import format_text

from conftest import SEED, cli

UGLY = "a >=  5 人 weight 100\n"
PRETTY = "a >= 5 人 weight 100\n"


def stdin(args: list[str], data: bytes) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, ["fmt", *args], input=data)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout_bytes, result.stderr


def test_diff_of_stdin_is_a_unified_diff() -> None:
    code, out, _err = stdin(["--diff", "-"], UGLY.encode())
    assert code == 1
    assert out.decode() == "--- -\n+++ -\n@@ -1 +1 @@\n-a >=  5 人 weight 100\n+a >= 5 人 weight 100\n"
    code, out, _err = stdin(["--diff", "-"], PRETTY.encode())
    assert (code, out) == (0, b"")


def test_check_of_stdin_says_it_would_change() -> None:
    code, out, err = stdin(["--check", "-"], UGLY.encode())
    assert (code, out) == (1, b"") and "需要格式化: -" in err
    code, out, err = stdin(["--check", "-"], PRETTY.encode())
    assert (code, out, err) == (0, b"", "")


def test_bom_on_stdin_is_accepted_and_kept() -> None:
    code, out, err = stdin(["-"], b"\xef\xbb\xbf" + UGLY.encode())
    assert code == 0, err
    assert out == b"\xef\xbb\xbf" + PRETTY.encode()


def test_bom_in_a_file_is_kept(write) -> None:  # type: ignore[no-untyped-def]
    path = write("bom.perf", b"\xef\xbb\xbf" + UGLY.encode())
    assert cli("fmt", path).exit_code == 0
    assert Path(path).read_bytes() == b"\xef\xbb\xbf" + PRETTY.encode()
    assert cli("fmt", "--check", path).exit_code == 0


def test_crlf_file_stays_crlf(write) -> None:  # type: ignore[no-untyped-def]
    path = write("crlf.perf", b"a >=  5 \xe4\xba\xba weight 60\r\nb >= 1 \xe4\xba\xba weight 40  # c\r\n")
    assert cli("fmt", path).exit_code == 0
    assert Path(path).read_bytes() == "a >= 5 人 weight 60\r\nb >= 1 人 weight 40  # c\r\n".encode()
    assert cli("fmt", "--check", path).exit_code == 0  # formatted CRLF is formatted


def test_mixed_endings_follow_the_first_line(write) -> None:  # type: ignore[no-untyped-def]
    path = write("mixed.perf", b"a >= 5 \xe4\xba\xba weight 60\r\nb >= 1 \xe4\xba\xba weight 40\n")
    assert cli("fmt", path).exit_code == 0
    assert Path(path).read_bytes() == "a >= 5 人 weight 60\r\nb >= 1 人 weight 40\r\n".encode()
    out, _ = format_text("a >= 5 人 weight 60\nb >= 1 人 weight 40\r\n")
    assert out == "a >= 5 人 weight 60\nb >= 1 人 weight 40\n"


def test_crlf_on_stdin_is_kept() -> None:
    code, out, _err = stdin(["-"], b"a >=  5 \xe4\xba\xba weight 100\r\n")
    assert (code, out) == (0, PRETTY.replace("\n", "\r\n").encode())


def test_check_lists_the_files_that_would_change(write) -> None:  # type: ignore[no-untyped-def]
    ugly, pretty = write("ugly.perf", UGLY), write("pretty.perf", PRETTY)
    out = cli("fmt", "--check", ugly, pretty)
    assert out.exit_code == 1
    assert f"需要格式化: {ugly}" in out.stderr and f"需要格式化: {pretty}" not in out.stderr
    assert "需要格式化 1 个文件，共 2 个" in out.stderr
    assert Path(ugly).read_text(encoding="utf-8") == UGLY


def test_diff_of_files_names_each_file(write) -> None:  # type: ignore[no-untyped-def]
    path = write("ugly.perf", UGLY.rstrip("\n"))  # no newline at the end either
    out = cli("fmt", "--diff", path)
    assert out.exit_code == 1
    assert out.stdout == (f"--- {path}\n+++ {path}\n@@ -1 +1 @@\n-a >=  5 人 weight 100\n"
                          "\\ No newline at end of file\n+a >= 5 人 weight 100\n")


def test_check_parses_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import perfrules.syntax as syntax

    calls = []
    real = syntax.parse

    def counting(text: str, file: str = "<text>", **options):  # type: ignore[no-untyped-def]
        calls.append(file)
        return real(text, file, **options)

    monkeypatch.setattr(syntax, "parse", counting)
    assert format_text(UGLY, "t.perf", verify=False)[0] == PRETTY
    assert format_text(PRETTY, "t.perf")[0] == PRETTY  # unchanged: nothing to compare
    assert len(calls) == 2
    calls.clear()
    assert format_text(UGLY, "t.perf")[0] == PRETTY  # changed: the result is parsed to compare the meaning
    assert len(calls) == 2


def test_check_runs_with_the_collector_paused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import gc

    import perfrules.syntax.layout as layout

    seen = []
    real = layout.rows

    def watching(lines):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(lines)

    monkeypatch.setattr(layout, "rows", watching)
    format_text(UGLY)
    assert seen == [False] and gc.isenabled()


def test_check_on_formatted_files_says_so_rather_than_zero_to_reformat() -> None:
    out = cli("fmt", "--check", str(SEED))
    assert out.exit_code == 0
    assert "1 个文件已是规范格式" in out.stderr and "需要格式化 0" not in out.stderr
