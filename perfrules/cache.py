"""What perfrules keeps between runs in the user's cache directory: the parser lark builds, compiled patterns.

Both are work that depends only on the installed perfrules and Python, not on the input, and both would be
repeated in every run otherwise:

- lark's LALR tables for the grammar (perfrules.syntax.parser asks `lark_cache_file`);
- what `re`'s compiler makes of perfrules' own regular expressions (`compile_pattern`). re's compiler is
  written in Python: the fast path's expressions and the few compiled when a module loads took about
  7 ms of a cold `perfrules check` of the seed, in every run. A pattern is kept as its compiled form — the
  engine's code (a list of numbers), its flags and group names, exactly what `re.compile` hands to the
  engine last (`_sre.compile`) — and made from it again in microseconds.

The directory is `$XDG_CACHE_HOME/perfrules` (else `~/.cache/perfrules`), created private (0700) and used
only when it belongs to the user: never a shared temporary directory. `PERFRULES_NO_CACHE=1` turns both off.
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
import sys
from typing import Any

ENTRIES_KEPT = 1000
"""At most this many patterns in the file (a file from many versions of perfrules starts again when it is full)."""

# (pattern, flags) -> what re's compiler made of it: (flags, code, groups, groupindex, indexgroup)
_Made = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_entries: dict[tuple[str, int], _Made] | None = None
_changed = False


def cache_dir() -> str | None:
    """perfrules' folder in the user's cache directory, made private if need be; None when it cannot be used."""
    if os.environ.get("PERFRULES_NO_CACHE"):
        return None
    base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
                        "perfrules")
    try:
        os.makedirs(base, mode=0o700, exist_ok=True)
        if os.stat(base).st_uid != os.getuid() or not os.access(base, os.W_OK):
            return None
    except (OSError, AttributeError):  # no os.getuid on Windows: the user's own profile folder
        if not os.path.isdir(base) or not os.access(base, os.W_OK):
            return None
    return base


def lark_cache_file(digest: str) -> str | None:
    """Where lark keeps the parser it built for the grammar with this digest (None: build it every time)."""
    base = cache_dir()
    return None if base is None else os.path.join(base, f"parser-{digest}.lark")


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, made from the cache when this Python compiled the same pattern before."""
    global _changed
    flags = int(flags)  # a re.RegexFlag is kept as the number it is
    entries = _loaded()
    made = entries.get((pattern, flags))
    if made is not None:
        compiled = _from(pattern, made)
        if compiled is not None:
            return compiled
    made = _compiled_form(pattern, flags)
    compiled = _from(pattern, made) if made is not None else None
    if made is None or compiled is None:
        return re.compile(pattern, flags)
    if len(entries) < ENTRIES_KEPT:
        entries[(pattern, flags)] = made
        if not _changed:
            _changed = True
            atexit.register(_save)
    return compiled


def _file() -> str | None:
    base = cache_dir()
    if base is None:
        return None
    import _sre  # type: ignore[import-not-found]

    return os.path.join(base, f"patterns-{sys.implementation.cache_tag}-{sys.hexversion:x}-{_sre.MAGIC}.marshal")


def _loaded() -> dict[tuple[str, int], _Made]:
    """The patterns of the cache file, read once per process (an unreadable or foreign file: none)."""
    global _entries
    if _entries is None:
        _entries = {}
        path = _file()
        if path is not None and os.path.isfile(path):
            import marshal

            from perfrules import limits

            try:
                data = marshal.loads(limits.read_bytes(path, 16 * 1024 * 1024))
            except (OSError, ValueError, EOFError, TypeError, limits.LimitError):
                data = None
            if isinstance(data, dict):
                _entries = {key: value for key, value in data.items() if _well_formed(key, value)}
    return _entries


def _well_formed(key: Any, value: Any) -> bool:
    return (isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], str) and isinstance(key[1], int)
            and isinstance(value, tuple) and len(value) == 5 and isinstance(value[0], int)
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
    """Write the patterns (at exit, when this run compiled new ones): whole or not at all, readable only by the user."""
    path = _file()
    if path is None or _entries is None:
        return
    import marshal

    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(marshal.dumps(_entries))
        os.replace(temporary, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(temporary)
