"""Embedding while the ingest still reads: each document's views go into the embedding
cache as soon as the document is chunked, so parsing and embedding overlap and the index
build finds the vectors made. One background thread; the queue is bounded, so a slow
embedder holds the reading back instead of filling memory."""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence

from index.chunk import Chunk
from index.embedder import Embedder
from index.embedding_cache import EmbeddingCache, embed_with_cache
from index.memory import release_freed_memory
from index.views import chunk_views

_QUEUED_DOCUMENTS = 64
# Texts looked up in the cache at once: one lookup per small document made an unchanged
# corpus of 3,000 notes wait 10 s on the cache.
_GATHER = 1024


class EmbeddingPrefetch:
    def __init__(
        self,
        embedder: Embedder,
        cache: EmbeddingCache,
        *,
        sentence_views: bool,
        batch_size: int = 32,
    ) -> None:
        self._embedder = embedder
        self._cache = cache
        self._sentence_views = sentence_views
        self._batch_size = batch_size
        self._queue: queue.Queue[Sequence[Chunk] | None] = queue.Queue(maxsize=_QUEUED_DOCUMENTS)
        self.embedded = 0  # texts embedded here (the rest were cached already)
        self.error: Exception | None = None  # what stopped it; the index build does the rest
        self._thread = threading.Thread(target=self._run, name="kilde-embed", daemon=True)
        self._thread.start()

    def add(self, chunks: Sequence[Chunk]) -> None:
        """Embed the views of these chunks (one document's), in the background."""
        if chunks and self.error is None:
            self._queue.put(chunks)  # views are made in the background too

    def close(self) -> int:
        """Wait for what was added; returns how many texts were embedded."""
        self._queue.put(None)
        self._thread.join()
        return self.embedded

    def __enter__(self) -> EmbeddingPrefetch:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _run(self) -> None:
        pending: list[str] = []
        while True:
            chunks = self._queue.get()
            if chunks is not None:
                pending.extend(self._views(chunks))
            # Documents are gathered, and embedded when enough wait, when a batch waits and
            # nothing else is queued (reading is slower: keep the overlap), or at the end.
            full = len(pending) >= _GATHER
            if pending and (chunks is None or full or self._waits_alone(len(pending))):
                self._embed(pending)
                pending = []
                # The C allocator keeps what a thread frees for that thread's reuse, and
                # what this one freed (texts, vectors, the cache's buffers) grew with the
                # documents read: its part of the heap held 62 MiB after 1,000 PDFs, under
                # 10 MiB handed back after each embedding (657 times, 0.3 s of this
                # thread's time with the hash embedder).
                release_freed_memory()
            if chunks is None:
                return

    def _waits_alone(self, pending: int) -> bool:
        return pending >= self._batch_size and self._queue.empty()

    def _views(self, chunks: Sequence[Chunk]) -> list[str]:
        # The thread must live to the end: `close` waits for it to take the last item.
        if self.error is not None:
            return []
        try:
            return chunk_views(chunks, sentences=self._sentence_views).texts
        except Exception as error:  # reported by the ingest; the index build retries
            self.error = error
            return []

    def _embed(self, texts: list[str]) -> None:
        if self.error is not None:
            return
        try:
            _, made = embed_with_cache(
                self._embedder, self._cache, texts, batch_size=self._batch_size
            )
        except Exception as error:  # reported by the ingest; the index build retries
            self.error = error
            return
        self.embedded += made
