"""One run at a time in an output folder: an operating-system lock (``filelock``) on ``OUT``.

Two runs on one ``--out`` would delete each other's parts in flight (each clears temporaries as
it starts). The lock is taken before anything in the folder is touched and held until the cube is
written; the kernel frees it when the process ends however it ends, so a killed run leaves no
stale lock. Who holds it (process, host, command) is written beside it, for the refusal to name.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from simulate.errors import InputError

LOCK, HOLDER = ".icsim.lock", ".icsim.lock.holder"


@contextmanager
def locked(out: Path, command: str) -> Iterator[None]:
    """Hold ``out``'s lock, or raise InputError naming the run that holds it."""
    lock = FileLock(out / LOCK, timeout=0)
    made = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise InputError(
            f"another icsim run is using this folder ({_holder(out)}); wait for it or use "
            "another --out",
            file=out,
        ) from None
    except OSError as error:  # a file, a read-only disk, no permission
        why = error.strerror or str(error)
        raise InputError(f"cannot write an output folder here: {why}", file=out) from None
    try:
        (out / HOLDER).write_text(f"process {os.getpid()} on {socket.gethostname()}: {command}")
        yield
    finally:
        (out / HOLDER).unlink(missing_ok=True)
        left_empty = made and {p.name for p in out.iterdir()} <= {LOCK}
        if left_empty:  # a run refused before its first output leaves nothing behind
            (out / LOCK).unlink(missing_ok=True)
        lock.release()
        if left_empty:
            with contextlib.suppress(OSError):  # something else wrote there meanwhile
                out.rmdir()


def _holder(out: Path) -> str:
    try:
        text = (out / HOLDER).read_text(errors="replace")[:300]
    except OSError:
        return "holder unknown"
    return " ".join(text.split()) or "holder unknown"
