"""Writing files so that a reader sees the old content or the new, never half."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def synced(path: Path) -> Path:
    """`path` after its bytes are on disk (fsync), to be moved into place whole."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())
    return path


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over `path`.
    `data`: the bytes, or pieces of them written as they come (a large file is then never
    whole in memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in (data,) if isinstance(data, bytes) else data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
