"""Files that are either absent or complete: written beside their place, then renamed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write; renamed to ``path`` if the block succeeds.

    An interrupted or failed write leaves ``path`` as it was (absent, or the previous file) and
    removes the temporary, so a reader never sees half a table.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, file_mode())  # mkstemp makes 0600; respect the umask
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def file_mode() -> int:
    """The mode a new file gets under this process's umask (0666 less the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
