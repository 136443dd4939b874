"""Pause the cyclic garbage collector while a stage builds many small objects.

Parsing and compiling a large ruleset allocates hundreds of thousands of frozen dataclasses
that live on; the collector would scan them again and again (measured: a third of the time).
Reference counting still frees everything that is not in a cycle.

When the stage ends, its new objects are moved to the oldest generation without a pass over
them (`gc.freeze()` then `gc.unfreeze()`), as surviving objects would get there anyway. The
oldest generation is only cleared by a full collection, which the collector's own accounting
does not start for objects moved this way: a long-lived process (the language server, a batch
worker) keeps every garbage cycle its stages made unless it calls `collect_when_grown()`
between two pieces of work. A command-line run ends before that matters.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

GROWTH = 0.25
"""How much the process's memory blocks may grow past what the last full collection kept before the next one
(CPython's own rule for its oldest generation), so that full collections cost linear time in total."""

_kept = 0  # the objects the last full collection by `collect_when_grown` kept


@contextmanager
def paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:  # move the new objects to the oldest generation without a pass over them
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def collect_when_grown(growth: float = GROWTH) -> bool:
    """A full collection when what the process holds has grown by `growth` since the last one; True if it ran.

    For long-lived processes, between two pieces of work (an edit analysed, a project scored):
    measuring costs far less than a collection (see _tracked).
    """
    global _kept
    if gc.get_freeze_count() != 0:  # a program that freezes objects itself manages its own
        return False
    if _kept == 0:  # the first piece of work: what it made is what the process keeps (a language server's first
        _kept = _tracked()  # analysis, nearly all alive), not garbage worth a full pass (0.4-0.6 s at 10,000
        return False  # indicators, the GIL held: the editor's first requests waited for it)
    if _tracked() <= _kept * (1 + growth):
        return False
    gc.collect()
    _kept = _tracked()
    return True


def _tracked() -> int:
    """How much the process holds, measured without a pass of the collector: the memory blocks allocated
    (sys.getallocatedblocks, a fraction of a millisecond), else the objects the collector tracks (counting
    them walks them all: 12 ms for 500,000 objects, after every edit the language server analyses)."""
    blocks = sys.getallocatedblocks()
    if blocks:
        return blocks
    gc.freeze()  # every generation into the permanent one: list merges, then a count
    count = gc.get_freeze_count()
    gc.unfreeze()  # all of them back, into the oldest generation (as after a pause)
    return count
