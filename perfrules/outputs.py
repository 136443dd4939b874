"""Output files written safely: the place is checked before any work, and a file appears whole or not at all.

Every file perfrules writes (`-o`, `--summary`, `--write-baseline`, xlsx reports) goes to a
temporary file in the same folder, is flushed to disk, then renamed over the target with
`os.replace`: an interrupted or failed write leaves the old file (or none), never half a file.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def unwritable(path: Path) -> OSError | None:
    """Why a file cannot be written at `path` (a folder there, a missing or read-only folder), or None.

    Found by creating and removing a temporary file beside it, so it holds for root and for
    read-only file systems alike, where permission bits would say otherwise.
    """
    if path.is_dir():
        return IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    try:
        fd, temporary = tempfile.mkstemp(dir=_folder(path), prefix=f".{path.name[:100]}.", suffix=".tmp")
    except OSError as error:
        return error
    os.close(fd)
    os.unlink(temporary)
    return None


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write; when the block ends without error it replaces `path`.

    On an error the temporary file is removed and the error goes on (`path` is left as it was).
    The temporary file keeps `path`'s suffix (openpyxl checks it).
    """
    fd, name = tempfile.mkstemp(dir=_folder(path), prefix=f".{path.name[:100]}.", suffix=path.suffix)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode(path))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike[str], data: str | bytes, encoding: str = "utf-8") -> None:
    """Write `data` (text in `encoding`, or bytes) to `path` whole or not at all."""
    with atomic_path(Path(path)) as temporary:
        temporary.write_bytes(data.encode(encoding) if isinstance(data, str) else data)


def _folder(path: Path) -> str:
    return str(path.parent) if str(path.parent) else "."


def _mode(path: Path) -> int:
    """The target's permissions if it exists, else what a plain `open(path, "w")` would give."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
