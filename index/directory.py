"""Index versions on disk, published atomically.

    index/
      CURRENT            the name of the published version (replaced atomically)
      .lock              held by the one writer
      versions/<name>/   a complete index: manifest.json and the files it lists

A writer builds a new version in a temporary folder, fsyncs it, renames it
into versions/, then replaces CURRENT (write, fsync, rename, fsync the
folder). A reader follows CURRENT, so it sees the old version or the new one,
never a half-written one; a killed writer leaves the old version in use.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from index.errors import IndexCorruptError, NoIndexError
from index.manifest import Manifest, checksum, checksums, read_manifest, write_manifest

_KEEP = 2
_RETRIES = 3
# np.load parses .npy headers with ast.literal_eval, which on CPython 3.11 can
# fail with "AST constructor recursion depth mismatch" when threads do it at
# once; loading is rare and short, so loads take turns.
_READ_LOCK = threading.Lock()
T = TypeVar("T")


class IndexDirectory:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.versions = root / "versions"

    def current(self) -> Path:
        """The published version's folder; raises NoIndexError when there is none."""
        pointer = self.root / "CURRENT"
        try:
            name = pointer.read_text().strip()
        except FileNotFoundError:
            raise NoIndexError(f"no index in {self.root}; run `kilde ingest` first") from None
        folder = self.versions / name
        if not name or "/" in name or not folder.is_dir():
            raise IndexCorruptError(
                f"{pointer} names a missing version {name!r}; run `kilde ingest`"
            )
        return folder

    def load(self, reader: Callable[[Path, Manifest], T]) -> T:
        """`reader(folder, manifest)` on the verified current version.

        A writer prunes old versions; if ours vanished while being read, the
        newer current one is read instead.
        """
        for _ in range(_RETRIES):
            before = self.current()
            try:
                folder, manifest = self.open()
                with _READ_LOCK:
                    return reader(folder, manifest)
            except FileNotFoundError:
                if self.current() == before:
                    raise
        folder, manifest = self.open()
        with _READ_LOCK:
            return reader(folder, manifest)

    def open(self) -> tuple[Path, Manifest]:
        """The current version, after checking every file against the manifest."""
        folder = self.current()
        try:
            manifest = read_manifest(folder)
        except (OSError, ValueError, TypeError, KeyError) as error:
            raise IndexCorruptError(f"unreadable manifest in {folder}: {error}") from error
        for name, expected in manifest.files.items():
            path = folder / name
            if not path.is_file() or checksum(path) != expected:
                if self.current() != folder:
                    raise FileNotFoundError(path)  # pruned under us: the caller retries
                raise IndexCorruptError(
                    f"{path} does not match its checksum: the index is damaged; "
                    "run `kilde ingest --rebuild`"
                )
        return folder, manifest

    def publish(self, build: Callable[[Path], Manifest]) -> Path:
        """Build a version with `build(folder)` and make it current; returns its folder."""
        with self._lock():
            self.versions.mkdir(parents=True, exist_ok=True)
            # Names sort in publishing order (nanoseconds), for pruning.
            name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:6]}"
            staging = self.root / f".building-{name}"
            staging.mkdir(parents=True)
            try:
                manifest = build(staging)
                manifest = Manifest(**{**manifest.__dict__, "files": checksums(staging)})
                write_manifest(staging, manifest)
                _fsync_tree(staging)
                final = self.versions / name
                staging.rename(final)
                _fsync_dir(self.versions)
                self._point_to(name)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            self._prune(keep=name)
            return final

    def _point_to(self, name: str) -> None:
        tmp = self.root / f".CURRENT.{uuid.uuid4().hex[:8]}"
        with tmp.open("w") as handle:
            handle.write(name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self.root / "CURRENT")
        _fsync_dir(self.root)

    def _prune(self, keep: str) -> None:
        # Old versions stay a while for readers that opened them; leftovers of
        # killed writers go.
        for stale in self.root.glob(".building-*"):
            shutil.rmtree(stale, ignore_errors=True)
        names = sorted(p.name for p in self.versions.iterdir() if p.is_dir())
        for name in names[:-_KEEP]:
            if name != keep:
                shutil.rmtree(self.versions / name, ignore_errors=True)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    for sub in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        _fsync_dir(sub)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
