"""Files perfrules ships: the grammar, the standard frameworks and the published JSON Schemas.

In a wheel they live inside the package (`perfrules/_shipped/`); in a source checkout they
are read from the top-level `grammar/` and `rulesets/std/` folders. Paths are strings (os.path):
`perfrules check` reads std/ without importing pathlib.
"""

from __future__ import annotations

import os

_PACKAGE = os.path.dirname(os.path.realpath(__file__))
_CHECKOUT = os.path.dirname(_PACKAGE)


def grammar_path() -> str:
    return _first(os.path.join(_PACKAGE, "_shipped", "perfrules.lark"), os.path.join(_CHECKOUT, "grammar", "perfrules.lark"))


def std_dir() -> str:
    return _first(os.path.join(_PACKAGE, "_shipped", "std"), os.path.join(_CHECKOUT, "rulesets", "std"))


def schema_path(name: str) -> str:
    """A published JSON Schema (docs/schemas/NAME), shipped in the wheel as `_shipped/schemas/`."""
    return _first(os.path.join(_PACKAGE, "_shipped", "schemas", name), os.path.join(_CHECKOUT, "docs", "schemas", name))


def read_text(path: str) -> str:
    """A shipped text file (UTF-8)."""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _first(shipped: str, checkout: str) -> str:
    return shipped if os.path.exists(shipped) else checkout
