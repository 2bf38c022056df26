"""Embeddings kept by model and text hash, so unchanged text is never embedded twice."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
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
        keys = sorted({cache_key(t) for t in texts})
        found: dict[str, Vectors] = {}
        with self._connect() as db:
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                marks = ",".join("?" * len(batch))
                rows = db.execute(
                    f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})",
                    [model, *batch],
                )
                found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        return found

    def put(self, model: str, texts: Sequence[str], vectors: Vectors) -> None:
        with self._connect() as db:
            db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [
                    (model, cache_key(t), v.astype(np.float32).tobytes())
                    for t, v in zip(texts, vectors, strict=True)
                ],
            )


def embed_with_cache(
    embedder: Embedder,
    cache: EmbeddingCache,
    texts: Sequence[str],
    *,
    batch_size: int = 32,
    progress: Progress | None = None,
) -> tuple[Vectors, int]:
    """Vectors for `texts` in order, and how many had to be computed."""
    known = cache.get(embedder.name, texts)
    missing = list(dict.fromkeys(t for t in texts if cache_key(t) not in known))
    with (progress or SilentProgress()).bar("embedding", len(missing), unit="text") as bar:
        for start in range(0, len(missing), batch_size):
            batch = missing[start : start + batch_size]
            vectors = embedder.embed_passages(batch)
            cache.put(embedder.name, batch, vectors)
            known.update((cache_key(t), v) for t, v in zip(batch, vectors, strict=True))
            bar.advance(steps=len(batch))
    if not texts:
        return np.empty((0, embedder.dim), dtype=np.float32), 0
    return np.stack([known[cache_key(t)] for t in texts]), len(missing)


def cache_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
