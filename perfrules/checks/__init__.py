"""Stage 4: the validator. A registry of checks over a Plan and its Result, each yielding Findings.

    checks = all_checks()                      # the catalogue, built once
    findings = run_checks(Context(plan, result, config))

Each check is the whole check in its own file, perfrules/checks/<family>/PRxxx.py (see registry.py):
its messages, hints, settings and flags are read from the class. `get_check`, `message_of` and
`hint_of` import only the module a code names, so showing one finding does not load the catalogue.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from functools import cache
from types import ModuleType

from perfrules.checks.registry import FAMILIES, Check, Context, family_of
from perfrules.findings import Finding

__all__ = ["Check", "Context", "all_checks", "checks_of", "fails_eval", "get_check", "hint_of", "known_codes",
           "loaded_checks", "message_of", "nearest_codes", "needs_actuals", "partial_unsafe", "run_checks", "scored"]


@cache
def all_checks() -> tuple[type[Check], ...]:
    """Every check class, ordered by code; each family is a package of one module per code."""
    found = [check for family in FAMILIES for check in _family_checks(family)]
    codes = [c.code for c in found]
    duplicates = {code for code in codes if codes.count(code) > 1}
    if duplicates:
        raise TypeError(f"check codes defined twice: {sorted(duplicates)}")
    return tuple(sorted(found, key=lambda c: c.code))


@cache
def checks_of(families: frozenset[str]) -> tuple[type[Check], ...]:
    """The checks of these families, ordered by code, importing only their modules (`check` runs the static ones)."""
    if all_checks.cache_info().currsize:
        return tuple(c for c in all_checks() if c.family in families)
    return tuple(sorted((c for family in FAMILIES if family in families for c in _family_checks(family)),
                        key=lambda c: c.code))


def loaded_checks() -> list[type[Check]]:
    """The checks of the families imported so far (`checks_of`, `all_checks`), ordered by family."""
    return [check for family in FAMILIES if family in _LOADED for check in _family_checks(family)]


_LOADED: set[str] = set()


@cache
def _family_checks(family: str) -> tuple[type[Check], ...]:
    package = importlib.import_module(f"perfrules.checks.{family}")
    found = tuple(check for name in _modules(package)
                  for check in _checks_in(importlib.import_module(f"perfrules.checks.{family}.{name}")))
    _LOADED.add(family)
    return found


def _modules(package: ModuleType) -> list[str]:
    """The modules of a family's package, from its folder (pkgutil's scan for a package that is not one)."""
    try:
        names = {entry.split(".")[0] for folder in package.__path__ for entry in os.listdir(folder)
                 if entry.endswith((".py", ".pyc")) and not entry.startswith("_")}
    except OSError:
        import pkgutil

        names = {module.name for module in pkgutil.iter_modules(package.__path__)}
    return sorted(names)


def _checks_in(module: ModuleType) -> list[type[Check]]:
    found = [obj for obj in vars(module).values()
             if isinstance(obj, type) and issubclass(obj, Check) and obj is not Check and obj.__module__ == module.__name__]
    stray = [c.code for c in found if c.code != module.__name__.rsplit(".", 1)[-1]]
    if stray:
        raise TypeError(f"{module.__name__}: a check's module is named by its code, not {stray}")
    return found


@cache
def known_codes() -> tuple[str, ...]:
    """Every code perfrules reports, sorted: the language's (PR0xx, perfrules.messages) and the checks'.

    The checks' codes are their module names (`_checks_in` holds them to it), read without importing a check.
    """
    from perfrules.messages import CODES

    if all_checks.cache_info().currsize:
        checks = [c.code for c in all_checks()]
    else:
        checks = [name for family in FAMILIES for name in _modules(importlib.import_module(f"perfrules.checks.{family}"))]
    return tuple(sorted({*CODES, *checks}))


def nearest_codes(code: str, n: int = 3) -> list[str]:
    """The known codes (for a code of five characters or more) or prefixes (PR2, PR20) nearest to an unknown one."""
    import difflib

    known = known_codes()
    code = code.upper()
    if len(code) >= 5:
        pool = list(known)
    else:
        pool = sorted({k[:3] for k in known} | {k[:4] for k in known} | {prefix for prefix, *_ in FAMILIES.values()})
    return difflib.get_close_matches(code, pool, n=n, cutoff=0.6)


@cache
def get_check(code: str) -> type[Check] | None:
    """The check of a code (any case), loading only its own module when the catalogue is not loaded yet."""
    code = code.upper()
    if all_checks.cache_info().currsize:
        return next((c for c in all_checks() if c.code == code), None)
    family = family_of(code)
    if family is None or not code[2:].isdigit() or len(code) != 5:
        return None
    name = f"perfrules.checks.{family}.{code}"
    if importlib.util.find_spec(name) is None:
        return None
    return next(iter(_checks_in(importlib.import_module(name))), None)


def message_of(key: str) -> tuple[str, str] | None:
    """The (Chinese, English) template of a check's message key (`PR201.loose`), else of its code."""
    check = get_check(key.split(".")[0])
    if check is None:
        return None
    return check.messages.get(key) or check.messages.get(check.code)


def hint_of(key: str) -> tuple[str, str] | None:
    check = get_check(key.split(".")[0])
    return check.hints.get(key) if check is not None else None


def fails_eval(code: str) -> bool:
    """Whether an error of this code fails `perfrules eval` (exit 1): an input error, a failed check or expect."""
    from perfrules.messages import CODES

    entry = CODES.get(code)
    if entry is not None:
        return entry.fails_eval
    check = get_check(code)
    return check is None or check.fails_eval  # a code nobody declares fails safe: the run is not passed


@cache
def partial_unsafe() -> frozenset[str]:
    """Codes a dropped line can cause (sums, counts, checks, expects): left out of a partial analysis."""
    from perfrules.messages import CODES

    return frozenset({*(code for code, entry in CODES.items() if not entry.partial_safe),
                      *(check.code for check in all_checks() if not check.partial_safe)})


def scored(ctx: Context) -> bool:
    """Whether the run has actuals to check (a framework, or a plan before its year, has none): the checks that
    need a result (`needs_result`) run only then."""
    return ctx.result is not None and any(i.status != "missing" for i in ctx.result.all_indicators)


def needs_actuals(code: str) -> bool:
    """Whether a noqa entry (`PR202`, a prefix `PR2`, or `noqa` for a bare one) covers a code that only a run with
    actuals can find: a check that needs a result, or a language code (PR0xx: the actuals' own problems among them)."""
    if code == "noqa" or code.startswith("PR0"):
        return True
    return any(c.needs_result for c in all_checks() if c.code.startswith(code))


def run_checks(ctx: Context, families: frozenset[str] | None = None) -> list[Finding]:
    """The findings of every enabled check (of `families`, when given) that has what it needs (results need actuals)."""
    findings: list[Finding] = []
    has_actuals = scored(ctx)
    for check in all_checks() if families is None else checks_of(families):
        if not ctx.config.enabled(check.code):
            continue
        if check.needs_result and not has_actuals:
            continue
        findings.extend(check().run(ctx))
    return findings
