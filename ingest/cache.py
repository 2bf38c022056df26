"""The on-disk HTTP cache: one body and one JSON metadata file per URL.

Layout: `<key>.json` names its body `<key>-<sha256[:16]>.body`. A new body is
moved into place under its own name before the metadata that points at it,
so a reader (or a crash) sees the old pair or the new pair, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from ingest.atomic import write_atomic


@dataclass(frozen=True)
class CacheMeta:
    """What is known about a cached body, as stored in its JSON file."""

    url: str
    final_url: str
    etag: str | None
    last_modified: str | None
    content_type: str | None
    kind: str | None
    sha256: str
    obtained: str  # how the body was first obtained: "direct" | "rewritten" | "archived"
    fetched_at: str  # ISO 8601, UTC


_META_FIELDS = frozenset(f.name for f in fields(CacheMeta))
_REQUIRED_FIELDS = ("url", "final_url", "sha256", "obtained", "fetched_at")


@dataclass(frozen=True)
class CacheEntry:
    meta: CacheMeta
    path: Path


@dataclass(frozen=True)
class Staged:
    """A temporary file in the cache folder that a download writes into."""

    path: Path
    file: BinaryIO


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class HttpCache:
    """Bodies keyed by URL. Safe across threads as long as one URL is written by one at a time."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def get(self, url: str) -> CacheEntry | None:
        """The cached copy of `url`, or None when absent or unreadable."""
        meta = self._read_meta(self._meta_path(url))
        if meta is None or meta.url != url:
            return None
        path = self._body_path(url, meta.sha256)
        return CacheEntry(meta, path) if path.is_file() else None

    @contextmanager
    def staging(self) -> Iterator[Staged]:
        """A fresh temporary file; removed on exit unless `store` moved it into place."""
        fd, name = tempfile.mkstemp(prefix=".download-", suffix=".part", dir=self.directory)
        path = Path(name)
        try:
            with os.fdopen(fd, "w+b") as file:
                yield Staged(path, file)
        finally:
            path.unlink(missing_ok=True)

    def store(self, staged: Staged, meta: CacheMeta) -> CacheEntry:
        """Move a staged body into place and point the URL's metadata at it."""
        staged.file.flush()
        os.fsync(staged.file.fileno())
        previous = self._read_meta(self._meta_path(meta.url))
        body = self._body_path(meta.url, meta.sha256)
        staged.path.replace(body)
        document = json.dumps(asdict(meta), indent=2, ensure_ascii=False) + "\n"
        write_atomic(self._meta_path(meta.url), document.encode("utf-8"))
        if previous is not None and previous.sha256 != meta.sha256:
            self._body_path(meta.url, previous.sha256).unlink(missing_ok=True)
        return CacheEntry(meta, body)

    def _key(self, url: str) -> str:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]

    def _meta_path(self, url: str) -> Path:
        return self.directory / f"{self._key(url)}.json"

    def _body_path(self, url: str, sha256: str) -> Path:
        return self.directory / f"{self._key(url)}-{sha256[:16]}.body"

    @staticmethod
    def _read_meta(path: Path) -> CacheMeta | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or set(data) != _META_FIELDS:
            return None
        if not all(isinstance(data[name], str) for name in _REQUIRED_FIELDS):
            return None
        if not all(value is None or isinstance(value, str) for value in data.values()):
            return None
        return CacheMeta(**data)
