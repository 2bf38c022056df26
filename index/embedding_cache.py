"""Embeddings kept by model and text hash, so unchanged text is never embedded twice."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from index.embedder import Embedder, Vectors
from index.progress import Progress, SilentProgress


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors "
                "(model TEXT, key TEXT, vector BLOB, PRIMARY KEY (model, key))"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get(self, model: str, texts: Sequence[str]) -> dict[str, Vectors]:
        return dict(self._found(model, {cache_key(t) for t in texts}))

    def fill(self, model: str, rows: dict[str, list[int]], out: Vectors) -> set[str]:
        """Write each cached vector into `out` at the rows its key lists; the keys found."""
        found: set[str] = set()
        for key, vector in self._found(model, rows):
            out[rows[key]] = vector
            found.add(key)
        return found

    def _found(self, model: str, keys: Iterable[str]) -> Iterator[tuple[str, Vectors]]:
        """The cached (key, vector) pairs among `keys`, asked for 500 keys at a time."""
        wanted = sorted(keys)
        with self._connect() as db:
            for start in range(0, len(wanted), 500):
                batch = wanted[start : start + 500]
                marks = ",".join("?" * len(batch))
                for key, vector in db.execute(
                    f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})",
                    [model, *batch],
                ):
                    yield key, np.frombuffer(vector, dtype=np.float32)

    def put(self, model: str, texts: Sequence[str], vectors: Vectors) -> None:
        self.put_keyed(model, [(cache_key(t), v) for t, v in zip(texts, vectors, strict=True)])

    def put_keyed(self, model: str, pairs: Iterable[tuple[str, Vectors]]) -> None:
        """Keep vectors under their texts' `cache_key`s, in one transaction."""
        with self._connect() as db:
            db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(model, key, v.astype(np.float32).tobytes()) for key, v in pairs],
            )


def embed_with_cache(
    embedder: Embedder,
    cache: EmbeddingCache,
    texts: Sequence[str],
    *,
    batch_size: int = 32,
    progress: Progress | None = None,
    label: str = "embedding",
) -> tuple[Vectors, int]:
    """Vectors for `texts` in order, and how many had to be computed.

    Written into one array as they come (from the cache, or embedded), so a large corpus
    holds its vectors once, not once per text in a mapping and again in the result."""
    rows: dict[str, list[int]] = {}
    for position, text in enumerate(texts):
        rows.setdefault(cache_key(text), []).append(position)
    out = np.empty((len(texts), embedder.dim), dtype=np.float32)
    found = cache.fill(embedder.name, rows, out)
    missing = [key for key in rows if key not in found]
    unsaved: list[tuple[str, Vectors]] = []
    saved = time.monotonic()
    with (progress or SilentProgress()).bar(label, len(missing), unit="text") as bar:
        try:
            for start in range(0, len(missing), batch_size):
                keys = missing[start : start + batch_size]
                vectors = embedder.embed_passages([texts[rows[key][0]] for key in keys])
                for key, vector in zip(keys, vectors, strict=True):
                    out[rows[key]] = vector
                    unsaved.append((key, vector))
                # Kept a second's work at a time: a transaction per batch was most of the
                # time of a fast embedder; a run killed now loses at most a second of it.
                if time.monotonic() - saved >= _SAVE_EVERY:
                    cache.put_keyed(embedder.name, unsaved)
                    unsaved, saved = [], time.monotonic()
                bar.advance(steps=len(keys))
        finally:  # also when the embedder fails: what it made is kept
            if unsaved:
                cache.put_keyed(embedder.name, unsaved)
    return out, len(missing)


_SAVE_EVERY = 1.0  # seconds


def cache_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
