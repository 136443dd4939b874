"""Files perfrules ships: the grammar and the standard frameworks.

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


def _first(shipped: Path, checkout: Path) -> Path:
    return shipped if shipped.exists() else checkout
