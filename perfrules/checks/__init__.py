"""Stage 4: the validator. A registry of checks over a Plan and its Result, each yielding Findings.

    checks = all_checks()                      # the catalogue, built once
    findings = run_checks(Context(plan, result, config))
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from perfrules.checks.registry import FAMILIES, Check, Context
from perfrules.findings import Finding

__all__ = ["Check", "Context", "all_checks", "get_check", "run_checks"]


@lru_cache(maxsize=1)
def all_checks() -> tuple[type[Check], ...]:
    """Every check class, ordered by code; each family is a package of one module per code."""
    found: list[type[Check]] = []
    for family in FAMILIES:
        package = importlib.import_module(f"perfrules.checks.{family}")
        for module in pkgutil.iter_modules(package.__path__):
            loaded = importlib.import_module(f"perfrules.checks.{family}.{module.name}")
            found += [obj for obj in vars(loaded).values()
                      if isinstance(obj, type) and issubclass(obj, Check) and obj is not Check
                      and obj.__module__ == loaded.__name__]
    codes = [c.code for c in found]
    duplicates = {code for code in codes if codes.count(code) > 1}
    if duplicates:
        raise TypeError(f"check codes defined twice: {sorted(duplicates)}")
    return tuple(sorted(found, key=lambda c: c.code))


def get_check(code: str) -> type[Check] | None:
    return next((c for c in all_checks() if c.code == code.upper()), None)


def run_checks(ctx: Context) -> list[Finding]:
    """The findings of every enabled check that has what it needs (results need actuals)."""
    findings: list[Finding] = []
    has_actuals = ctx.result is not None and any(i.status != "missing" for i in ctx.result.all_indicators)
    for check in all_checks():
        if not ctx.config.enabled(check.code):
            continue
        if check.family == "results" and not has_actuals:
            continue
        findings.extend(check().run(ctx))
    return findings
