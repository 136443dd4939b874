"""The limits every input is held to, in one place and the same in every command.

perfrules reads rule files, data files, plans and spreadsheets that other people send. Each
limit below bounds the memory or time one input can cost; going past one is a located
finding (exit 2) that names the limit, never a traceback or a hang. `docs/limits.md` lists
them for users; a test keeps that page and these numbers in step.
"""

from __future__ import annotations

import os
import stat

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Any one file perfrules reads: a rule file, a data file, a plan, a form (on disk)."""

MAX_NESTING = 50
"""Blocks inside blocks in a rule file; objects and lists inside each other in JSON, YAML and plans."""

MAX_FORMULA_DEPTH = 100
"""Operators nested inside one formula (later stages walk formulas recursively)."""

MAX_INTEGER_DIGITS = 15
"""Digits before the decimal point: 10^15 and more is beyond any budget or count, and beyond Decimal's exact range."""

MAX_FRACTION_DIGITS = 15
"""Digits after the decimal point that carry meaning; a number with more is refused."""

MAX_CELLS = 1_000_000
"""Cells one sheet may hold (rows × columns as stored, not as the sheet's dimension claims)."""

MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""The parts of one .xlsx workbook together, unpacked (a zip bomb stops here)."""

MAX_PACK_RATIO = 200
"""Unpacked size over packed size for one part of a workbook."""

MAX_ARCHIVE_PARTS = 10_000
"""Parts (files inside the zip) of one .xlsx workbook; a real workbook has tens."""

MAX_YAML_ALIASES = 100
"""`*alias` references in one YAML file (an alias bomb stops here)."""

MAX_CSV_FIELD_BYTES = 1024 * 1024
"""One field of a CSV file."""

MAX_PATH_BYTES = 4096
"""A path a rule file names (`use`), as UTF-8; one component at most 255 bytes."""

MAX_NAME_BYTES = 255

MAX_SYNTAX_ERRORS = 1000
"""Syntax findings listed for one rule file; past this many, one last finding says how many more there were
(a file of 100,000 stray braces is one mistake repeated, and listing each would cost seconds in every command)."""

PROJECT_SECONDS = 120
"""A batch gives each project this long before it is reported as an error row (`--timeout`)."""


class LimitError(ValueError):
    """An input beyond one of the limits above, or a file that is not a regular file; says which, in Chinese
    (its `str`) and in English (`en`; the same text when only one was given)."""

    def __init__(self, message: str, en: str | None = None) -> None:
        super().__init__(message)
        self.en = message if en is None else en


def read_bytes(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (MAX_FILE_BYTES by default).

    Devices, FIFOs and directories are refused before anything is read (`/dev/zero` would never
    end), and a file that grows while it is read is still cut at the limit. Raises OSError when
    the file cannot be opened, LimitError when it is not a regular file or too large.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LimitError(*not_regular_reason(info.st_mode))
        if info.st_size > limit:
            raise LimitError(*too_large_reason(info.st_size, limit))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise LimitError(*too_large_reason(len(data), limit))
    return data


def not_regular_reason(mode: int) -> tuple[str, str]:
    """Why a path is not read as a file: (Chinese, English)."""
    if stat.S_ISDIR(mode):
        return "这是目录，不是普通文件", "this is a directory, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode):
        return "这是设备或管道，不是普通文件", "this is a device or a pipe, not a regular file"
    return "这是特殊文件，不是普通文件", "this is a special file, not a regular file"


def too_large_reason(size: int, limit: int) -> tuple[str, str]:
    """(Chinese, English)."""
    return f"文件太大（{size:,} 字节，上限 {limit:,} 字节）", f"the file is too large ({size:,} bytes, at most {limit:,})"
