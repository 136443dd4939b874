"""Files perfrules ships: the grammar, the standard frameworks and the published JSON Schemas.

In a wheel they live inside the package (`perfrules/_shipped/`); in a source checkout they
are read from the top-level `grammar/` and `rulesets/std/` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def grammar_path() -> Path:
    return _first(_PACKAGE / "_shipped" / "perfrules.lark", _CHECKOUT / "grammar" / "perfrules.lark")


def std_dir() -> Path:
    return _first(_PACKAGE / "_shipped" / "std", _CHECKOUT / "rulesets" / "std")


def schema_path(name: str) -> Path:
    """A published JSON Schema (docs/schemas/NAME), shipped in the wheel as `_shipped/schemas/`."""
    return _first(_PACKAGE / "_shipped" / "schemas" / name, _CHECKOUT / "docs" / "schemas" / name)


def _first(shipped: Path, checkout: Path) -> Path:
    return shipped if shipped.exists() else checkout
