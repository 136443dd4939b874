"""perfrules.cache: what perfrules keeps between runs in the user's cache directory.

A pattern made from the cache must be the pattern re.compile makes (same groups, flags and matches), a
second run must compile none of perfrules' patterns, a settings file is read again whenever its bytes
differ (even with the same size and modification time), and a cache file that is damaged, foreign or
not writable must change nothing but the time.
"""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from perfrules import cache

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "rulesets" / "examples" / "retiree-services-2023.perf"

# Runs `perfrules check SEED`, then says on standard error how many patterns this run compiled itself.
PROBE = """
import atexit, sys
from perfrules import cache
made = []
compiled_form = cache._compiled_form
cache._compiled_form = lambda pattern, flags: made.append(pattern) or compiled_form(pattern, flags)
atexit.register(lambda: sys.stderr.write(f"\\nCOMPILED {len(made)}\\n"))
sys.argv = ["perfrules", "check", sys.argv[1]]
from perfrules.cli import main
main()
"""


def _check(home: Path, file: Path = SEED) -> tuple[int, str, int]:
    env = {**os.environ, "XDG_CACHE_HOME": str(home), "PYTHONUTF8": "1"}
    env.pop("PERFRULES_NO_CACHE", None)
    proc = subprocess.run([sys.executable, "-c", PROBE, str(file)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120, check=False)
    head, _, count = proc.stderr.rpartition("\nCOMPILED ")
    return proc.returncode, head, int(count)


def _pattern_files(home: Path) -> list[Path]:
    return sorted((home / "perfrules").glob("patterns-*.marshal"))


def test_the_second_run_compiles_none_of_perfrules_patterns(tmp_path: Path) -> None:
    code, first, compiled = _check(tmp_path)
    assert code == 0 and compiled > 20, first  # the fast path's expressions and the modules' own
    [kept] = _pattern_files(tmp_path)
    assert kept.stat().st_mode & 0o777 == 0o600
    code, second, again = _check(tmp_path)
    assert (code, second, again) == (0, first, 0)


@pytest.mark.parametrize("content", [b"", b"\x00garbage", marshal.dumps([1, 2, 3]), marshal.dumps({("x", 0): 5}),
                                     marshal.dumps({("[a-z]+", 0): (0, [999999, 1, 2], 0, {}, (None,))})])
def test_a_damaged_or_foreign_cache_file_changes_nothing_but_the_time(tmp_path: Path, content: bytes) -> None:
    code, expected, _compiled = _check(tmp_path)
    [kept] = _pattern_files(tmp_path)
    kept.write_bytes(content)
    code, text, compiled = _check(tmp_path)
    assert (code, text) == (0, expected) and compiled > 20  # compiled the usual way, and kept again
    code, text, compiled = _check(tmp_path)
    assert (code, text, compiled) == (0, expected, 0)


def test_a_cache_directory_that_cannot_be_used_is_left_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("a file where the cache directory would go", encoding="utf-8")
    code, text, compiled = _check(home)
    assert code == 0 and "检查了 1 个文件" in text and compiled > 20


def test_patterns_made_from_their_compiled_form_are_the_patterns_re_makes(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("PERFRULES_NO_CACHE", raising=False)
    _check(tmp_path)
    [kept] = _pattern_files(tmp_path)
    entries = marshal.loads(kept.read_bytes())
    lines = SEED.read_text(encoding="utf-8").splitlines()
    samples = [*lines, *(line.strip() for line in lines), "＃ 全角", "“引号”", '"a\\"b"', "PR201, PR202", "8,755"]
    for (pattern, flags), made in entries.items():
        ours, theirs = cache._from(pattern, made), re.compile(pattern, flags)
        assert ours is not None
        assert (ours.pattern, ours.flags, ours.groups, ours.groupindex) == \
            (theirs.pattern, theirs.flags, theirs.groups, theirs.groupindex)
        for sample in samples:
            for start in range(0, len(sample), 3):
                one, other = ours.match(sample, start), theirs.match(sample, start)
                assert (one and (one.span(), one.groups())) == (other and (other.span(), other.groups())), pattern


def test_without_a_cache_the_pattern_is_re_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFRULES_NO_CACHE", "1")
    assert cache.cache_dir() is None and cache.lark_cache_file("x") is None
    compiled = cache.compile_pattern(r"(?P<n>\d+)年", re.I)
    assert compiled.match("2023年")["n"] == "2023" and compiled.flags & re.I


# Runs `perfrules lint FILE`, then says whether tomllib was loaded.
TOML_PROBE = """
import atexit, sys
atexit.register(lambda: sys.stderr.write(f"\\nTOML {'tomllib' in sys.modules}\\n"))
sys.argv = ["perfrules", "lint", sys.argv[1]]
from perfrules.__main__ import run
run()
"""


def _check_toml(home: Path, file: Path) -> tuple[int, str, bool]:
    env = {**os.environ, "XDG_CACHE_HOME": str(home), "PYTHONUTF8": "1"}
    env.pop("PERFRULES_NO_CACHE", None)
    proc = subprocess.run([sys.executable, "-c", TOML_PROBE, str(file)], capture_output=True, text=True, env=env,
                          cwd=file.parent, timeout=120, check=False)
    head, _, loaded = proc.stderr.rpartition("\nTOML ")
    return proc.returncode, proc.stdout + head, loaded.strip() == "True"


def test_a_settings_file_is_read_again_whenever_its_bytes_change(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    rules = project / "r.perf"
    rules.write_text("场次 >= 4 场 weight 100\nactuals {\n  场次 = 12 场\n}\n", encoding="utf-8")
    settings = project / "pyproject.toml"
    settings.write_text('[project]\nname = "x"\n[tool.perfrules]\nignore = ["PR201"]\n', encoding="utf-8")
    home = tmp_path / "cache"
    code, first, loaded = _check_toml(home, rules)
    assert code == 0 and loaded and "PR201" not in first
    code, second, loaded = _check_toml(home, rules)
    assert (code, second, loaded) == (0, first, False)  # the same bytes: taken from the cache
    stat = settings.stat()
    settings.write_text('[project]\nname = "x"\n[tool.perfrules]\nignore = ["PR202"]\n', encoding="utf-8")
    os.utime(settings, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same modification time
    assert settings.stat().st_size == stat.st_size
    code, third, loaded = _check_toml(home, rules)
    assert code == 0 and loaded and "PR201" in third  # read again: PR201 is reported now
    settings.write_text('[tool.perfrules]\nignore = [\n', encoding="utf-8")
    code, broken, loaded = _check_toml(home, rules)
    assert code == 2 and loaded and "设置有误" in broken
    code, again, loaded = _check_toml(home, rules)
    assert (code, again, loaded) == (2, broken, True)  # a broken file is never kept: read and reported each time


@pytest.mark.parametrize("how", ["a link", "others may write to it"])
def test_a_cache_folder_that_is_a_link_or_that_others_may_write_to_is_not_used(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, how: str) -> None:
    """lark's cache is a pickle: a folder another user could write a file into must not be read from (or written to)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("PERFRULES_NO_CACHE", raising=False)
    if how == "a link":
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        (tmp_path / "perfrules").symlink_to(tmp_path / "elsewhere")
    else:
        (tmp_path / "perfrules").mkdir()
        os.chmod(tmp_path / "perfrules", 0o777)
    assert cache.cache_dir() is None and cache.lark_cache_file("x") is None
    os.chmod(tmp_path / "perfrules", 0o700)
    assert (cache.cache_dir() is None) == (how == "a link")


def test_a_full_cache_file_starts_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("PERFRULES_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "_kept", {"t.marshal": {n: n for n in range(cache.ENTRIES_KEPT)}})
    monkeypatch.setattr(cache, "_changed", set())
    cache.keep("t.marshal", 5, 5)  # already there: nothing changes
    assert len(cache.kept("t.marshal")) == cache.ENTRIES_KEPT and not cache._changed
    cache.keep("t.marshal", "new", 1)
    assert cache.kept("t.marshal") == {"new": 1} and cache._changed == {"t.marshal"}
