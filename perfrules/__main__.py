"""The command line's entry point: the `perfrules` script and `python -m perfrules …` both call `run`.

A command is a short process whose objects (the modules, then the syntax tree, the plan, the result) live
until it ends, so the cyclic collector's passes over them while they are made find nothing to free: they
were about 3 ms of a cold `perfrules check` (a twentieth). `run` lets young objects accumulate to 50,000
before a pass instead of 700: memory stays bounded, and a small run rarely starts one. Importing
perfrules (or perfrules.cli, as the tests do) changes nothing; perfrules.gcpause pauses the collector
outright while a large stage builds.
"""

import gc

YOUNG_OBJECTS = 50_000
"""How many new container objects the collector lets accumulate before a pass over them (Python's default: 700)."""


def run() -> None:
    gc.set_threshold(YOUNG_OBJECTS, 10, 10)
    from perfrules.cli import main

    main(prog_name="perfrules")


if __name__ == "__main__":
    run()
