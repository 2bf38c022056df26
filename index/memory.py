"""Memory the C allocator keeps after Python freed it, handed back to the system."""

from __future__ import annotations

import ctypes


def release_freed_memory() -> None:
    """Return freed heap memory to the system (glibc's `malloc_trim`); nothing happens where
    the C library has none. glibc keeps what the threads that read documents freed, for
    reuse: after reading 1,000 PDFs that was over 100 MiB, held through the index build."""
    # The process's own symbols (the C library among them), not find_library("c"), which
    # runs ldconfig or a compiler to find a path.
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)
