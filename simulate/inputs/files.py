"""Opening the user's files: regular files only, of a bounded size, so nothing hangs.

A FIFO, ``/dev/zero`` or ``/proc/kmsg`` named as a scenario, place or practice CSV would block
the reader for ever or fill memory; such a path is refused before it is opened for reading
(opened non-blocking, then checked, so that even opening a FIFO cannot wait).
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from simulate.errors import InputError

TOML_LIMIT = 4 * 2**20
"""Bytes a scenario or place file may have: hand-written files are a few kilobytes."""
CSV_LIMIT = 1 * 2**30
"""Bytes a practice CSV may have: NHS Digital's national quinary file is some tens of MB."""


def open_regular(path: Path, limit: int, what: str) -> io.BufferedReader:
    """``path`` opened for reading in binary, refused unless a regular file under ``limit``."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, not a {what}", file=path) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", file=path) from None
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode):
        os.close(handle)
        raise InputError(f"not a regular file, so not a {what}", file=path)
    if info.st_size > limit:
        os.close(handle)
        raise InputError(
            f"{info.st_size:,} bytes, more than a {what} may have ({limit:,})", file=path
        )
    os.set_blocking(handle, True)
    return os.fdopen(handle, "rb")


def read_text(path: Path, limit: int, what: str) -> str:
    """The UTF-8 text of the regular file ``path`` (see :func:`open_regular`)."""
    with open_regular(path, limit, what) as file:
        data = file.read(limit + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", file=path) from None
