"""What perfrules keeps between runs in the user's cache directory: the parser lark builds, compiled patterns.

Both are work that depends only on the installed perfrules and Python, not on the input, and both would be
repeated in every run otherwise:

- lark's LALR tables for the grammar (perfrules.syntax.parser asks `lark_cache_file`);
- what `re`'s compiler makes of perfrules' own regular expressions (`compile_pattern`). re's compiler is
  written in Python: the fast path's expressions and the few compiled when a module loads took about
  7 ms of a cold `perfrules check` of the seed, in every run. A pattern is kept as its compiled form — the
  engine's code (a list of numbers), its flags and group names, exactly what `re.compile` hands to the
  engine last (`_sre.compile`) — and made from it again in microseconds;
- what perfrules.settings read from a settings file (`kept`/`keep`, keyed by the file's bytes themselves:
  tomllib is pure Python too, about 3 ms to load and read a project's pyproject.toml that in most
  projects holds no [tool.perfrules] table at all).

Each kind is a file of `marshal`ed plain values (numbers, strings, bytes, lists, dicts), loaded once per
process when first asked and written at exit when the run added to it, whole or not at all (a temporary
file, then os.replace), readable only by the user.

The directory is `$XDG_CACHE_HOME/perfrules` (else `~/.cache/perfrules`), created private (0700) and used
only when it belongs to the user: never a shared temporary directory. `PERFRULES_NO_CACHE=1` turns both off.
A folder there that is a link, or that others may write to, is not used (lark's cache is a pickle: whoever could
replace it could run code as the user).
The patterns' file is named by the Python version and the engine's MAGIC number, so only an interpreter whose
`re` wrote it reads it. Anything unexpected — no usable directory, a file that does not load or holds
something else than patterns, an engine that refuses the code — means the pattern is compiled by
`re.compile` as usual: the cache only ever saves time. Only perfrules' own patterns go through it, never
text from a rule file or a form.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import stat
import sys
from typing import Any

ENTRIES_KEPT = 1000
"""At most this many entries in a file (a file from many versions of perfrules starts again when it is full)."""

# (pattern, flags) -> what re's compiler made of it: (flags, code, groups, groupindex, indexgroup)
_Made = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_kept: dict[str, dict[Any, Any]] = {}  # file name -> its entries, as loaded and added to in this run
_changed: set[str] = set()  # the files this run added to


def cache_dir() -> str | None:
    """perfrules' folder in the user's cache directory, made private if need be; None when it cannot be used."""
    if os.environ.get("PERFRULES_NO_CACHE"):
        return None
    base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
                        "perfrules")
    try:
        os.makedirs(base, mode=0o700, exist_ok=True)
        info = os.lstat(base)  # the folder itself, not what a link there points to
        if (stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022
                or not os.access(base, os.W_OK)):
            return None  # a link, another user's, or one that others may write to (lark's cache is a pickle)
    except (OSError, AttributeError):  # no os.getuid on Windows: the user's own profile folder
        if not os.path.isdir(base) or os.path.islink(base) or not os.access(base, os.W_OK):
            return None
    return base


def lark_cache_file(digest: str) -> str | None:
    """Where lark keeps the parser it built for the grammar with this digest (None: build it every time)."""
    base = cache_dir()
    return None if base is None else os.path.join(base, f"parser-{digest}.lark")


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, made from the cache when this Python compiled the same pattern before."""
    flags = int(flags)  # a re.RegexFlag is kept as the number it is
    name = _patterns_file()
    entries = kept(name)
    made = entries.get((pattern, flags))
    if made is not None and _well_formed(made):
        compiled = _from(pattern, made)
        if compiled is not None:
            return compiled
    made = _compiled_form(pattern, flags)
    compiled = _from(pattern, made) if made is not None else None
    if made is None or compiled is None:
        return re.compile(pattern, flags)
    keep(name, (pattern, flags), made)
    return compiled


def kept(name: str) -> dict[Any, Any]:
    """The entries of the cache file `name`, loaded once per process (none when there is none or it does not load).

    Callers check each entry they take (a file may hold anything).
    """
    entries = _kept.get(name)
    if entries is None:
        entries = _kept[name] = {}
        base = cache_dir()
        path = None if base is None else os.path.join(base, name)
        if path is not None and os.path.isfile(path):
            import marshal

            from perfrules import limits

            try:
                data = marshal.loads(limits.read_bytes(path, 16 * 1024 * 1024))
            except (OSError, ValueError, EOFError, TypeError, limits.LimitError):
                data = None
            if isinstance(data, dict) and len(data) <= ENTRIES_KEPT:
                entries.update(data)
    return entries


def keep(name: str, key: Any, value: Any) -> None:
    """Add an entry to the cache file `name`, written when the process ends (plain values only: see marshal)."""
    entries = kept(name)
    if entries.get(key, _NOTHING) == value:
        return
    if key not in entries and len(entries) >= ENTRIES_KEPT:  # full (entries of many versions, or of many projects)
        entries.clear()
    entries[key] = value
    if not _changed:
        atexit.register(_save)
    _changed.add(name)


_NOTHING = object()


def _patterns_file() -> str:
    import _sre  # type: ignore[import-not-found]

    return f"patterns-{sys.implementation.cache_tag}-{sys.hexversion:x}-{_sre.MAGIC}.marshal"


def _well_formed(value: Any) -> bool:
    return (isinstance(value, tuple) and len(value) == 5 and isinstance(value[0], int)
            and isinstance(value[1], list) and all(type(n) is int for n in value[1])
            and isinstance(value[2], int) and isinstance(value[3], dict) and isinstance(value[4], tuple))


def _compiled_form(pattern: str, flags: int) -> _Made | None:
    """What re's compiler hands to the engine for `pattern` (as re._compiler.compile does), or None."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        codes = [int(n) for n in code]  # the opcodes are named int constants: plain numbers to keep them
        return (int(flags | parsed.state.flags), codes, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    except (ImportError, AttributeError, TypeError):  # another Python's re: compile it the usual way
        return None


def _from(pattern: str, made: _Made) -> re.Pattern[str] | None:
    """The pattern the engine makes of its compiled form, or None when it refuses it (it checks the code)."""
    try:
        import _sre

        return _sre.compile(pattern, *made)  # type: ignore[no-any-return]
    except (ImportError, TypeError, ValueError, RuntimeError, OverflowError):
        return None


def _save() -> None:
    """Write the files this run added to: each whole or not at all, readable only by the user."""
    base = cache_dir()
    if base is None:
        return
    import marshal

    for name in sorted(_changed):
        path = os.path.join(base, name)
        temporary = f"{path}.{os.getpid()}.tmp"
        try:
            data = marshal.dumps(_kept[name])
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                os.unlink(temporary)
