"""Building a new index version from the corpus's documents and chunks."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.calibration import bank, calibrate, embed_queries
from index.chunk import Chunk
from index.directory import IndexDirectory
from index.document import Document
from index.embedder import Embedder
from index.embedding_cache import EmbeddingCache, embed_with_cache
from index.lexical import LexicalIndex
from index.manifest import EmbedderInfo, Manifest
from index.progress import Progress
from index.sections import section_headings
from index.vector_store import FaissStore, StorePlan
from index.views import chunk_views


@dataclass(frozen=True)
class BuildReport:
    folder: Path
    chunks: int
    vectors: int
    embedded: int  # vectors computed now; the rest came from the cache
    store: str


class IndexBuilder:
    def __init__(
        self,
        embedder: Embedder,
        cache: EmbeddingCache,
        directory: IndexDirectory,
        *,
        exact_max: int,
        sentence_views: bool = True,
        compounds: bool = True,
        chunker: dict[str, int] | None = None,
        progress: Progress | None = None,
    ) -> None:
        self._progress = progress
        self._embedder = embedder
        self._cache = cache
        self._directory = directory
        self._exact_max = exact_max
        self._sentence_views = sentence_views
        self._compounds = compounds
        self._chunker = chunker or {}

    def build(self, documents: Sequence[Document], chunks: Sequence[Chunk]) -> BuildReport:
        """Embed what is not cached, index, and publish a new version."""
        views = chunk_views(chunks, sentences=self._sentence_views)
        vectors, embedded = embed_with_cache(
            self._embedder, self._cache, views.texts, progress=self._progress
        )
        plan = StorePlan.for_size(len(vectors), self._exact_max)
        questions = bank()
        vectors_of_bank = embed_queries(self._embedder, self._cache, [q for _, q in questions])

        def write(folder: Path) -> Manifest:
            store = FaissStore.create(self._embedder.dim, plan, training=vectors)
            store.upsert(list(range(len(vectors))), vectors)
            store.save(folder / "vectors.faiss")
            calibration = calibrate(store, vectors_of_bank, [lang for lang, _ in questions])
            np.save(folder / "owners.npy", np.asarray(views.owners, dtype=np.int64))
            np.save(folder / "spans.npy", np.asarray(views.spans, dtype=np.int64).reshape(-1, 2))
            LexicalIndex.build(
                chunks, compounds=self._compounds, headings=section_headings(documents, chunks)
            ).save(folder / "lexical")
            _write_chunks(folder, documents, chunks)
            return Manifest(
                embedder=EmbedderInfo(self._embedder.name, self._embedder.dim),
                chunker=dict(self._chunker),
                store={
                    "kind": plan.kind,
                    "reason": plan.reason,
                    "nlist": plan.nlist,
                    "nprobe": plan.nprobe,
                    "sentence_views": self._sentence_views,
                },
                counts={
                    "documents": len(documents),
                    "chunks": len(chunks),
                    "vectors": len(vectors),
                },
                created_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                calibration=calibration,
            )

        folder = self._directory.publish(write)
        return BuildReport(folder, len(chunks), len(vectors), embedded, plan.kind)


def _write_chunks(folder: Path, documents: Sequence[Document], chunks: Sequence[Chunk]) -> None:
    with (folder / "chunks.jsonl").open("w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(json.dumps(chunk.to_json(), ensure_ascii=False) + "\n")
    docs = {
        d.id: {"title": d.title, "url": d.url, "kind": d.kind, "lang": d.lang, "copy": d.path}
        for d in documents
    }
    (folder / "documents.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    # The page texts citations point into, so a viewer reads the version that was searched.
    with (folder / "pages.jsonl").open("w", encoding="utf-8") as handle:
        for d in documents:
            for page in d.pages:
                record = {"doc_id": d.id, "page": page.number, "text": page.text}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
