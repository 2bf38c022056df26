"""Building a new index version from the corpus's documents and chunks."""

from __future__ import annotations

import hashlib
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
from index.errors import KildeIndexError
from index.lexical import LexicalIndex
from index.manifest import FORMAT, EmbedderInfo, Manifest, read_manifest
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
    unchanged: bool = False  # nothing it is built from changed: the current version stays


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

    def build(
        self, documents: Sequence[Document], chunks: Sequence[Chunk], *, force: bool = False
    ) -> BuildReport:
        """Embed what is not cached, index, and publish a new version (unless the current
        one was built from the same documents, chunks and settings, and not `force`)."""
        questions = bank()
        inputs = self._inputs(documents, chunks, questions)
        same = None if force else self._current_if_built_from(inputs)
        if same is not None:
            return same
        views = chunk_views(chunks, sentences=self._sentence_views)
        vectors, embedded = embed_with_cache(
            self._embedder, self._cache, views.texts, progress=self._progress
        )
        plan = StorePlan.for_size(len(vectors), self._exact_max)
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
                inputs=inputs,
            )

        folder = self._directory.publish(write)
        return BuildReport(folder, len(chunks), len(vectors), embedded, plan.kind)

    def _inputs(
        self,
        documents: Sequence[Document],
        chunks: Sequence[Chunk],
        questions: Sequence[tuple[str, str]],
    ) -> str:
        digest = hashlib.sha256()
        settings = {
            "format": FORMAT,
            "embedder": [self._embedder.name, self._embedder.dim],
            "exact_max": self._exact_max,
            "sentence_views": self._sentence_views,
            "compounds": self._compounds,
            "chunker": self._chunker,
            "bank": list(questions),
        }
        digest.update(json.dumps(settings, sort_keys=True).encode())
        for document in documents:
            digest.update(json.dumps(document.to_json(), sort_keys=True).encode())
        for chunk in chunks:
            digest.update(json.dumps(chunk.to_json(), sort_keys=True).encode())
        return digest.hexdigest()

    def _current_if_built_from(self, inputs: str) -> BuildReport | None:
        try:
            folder = self._directory.current()
            manifest = read_manifest(folder)
        except (KildeIndexError, OSError, ValueError, TypeError, KeyError):
            return None  # none, or unreadable: build anew
        if manifest.inputs != inputs or manifest.format != FORMAT:
            return None
        counts = manifest.counts
        return BuildReport(
            folder, counts["chunks"], counts["vectors"], 0, manifest.store["kind"], True
        )


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
