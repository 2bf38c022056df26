"""Building a new index version from the corpus's documents and chunks."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import orjson

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
from index.rows import taken_over
from index.sections import section_headings
from index.vector_store import FaissStore, StorePlan, training_rows
from index.views import chunk_views, view_spans, view_texts

# An update takes the unchanged chunks' vectors and lexical rows from the last version;
# once the chunks added and removed since the last full build pass this share of the
# corpus, the next build is full again: compound parts found with today's vocabulary, an
# IVF index trained on today's vectors, no row ids left unused.
_FULL_AFTER = 0.25
# Vectors added to a new store at a time (16,384 x 384 floats: 24 MiB).
_ADD_AT_ONCE = 16_384


@dataclass(frozen=True)
class BuildReport:
    folder: Path
    chunks: int
    vectors: int
    embedded: int  # vectors computed now; the rest came from the cache
    store: str
    unchanged: bool = False  # nothing it is built from changed: the current version stays
    updated: bool = False  # built from the last version: only changed chunks were worked on
    analysed: int = 0  # chunks whose vectors and lexical rows were made (not taken over)


@dataclass(frozen=True)
class _Parts:
    """What a version is made of, before it is written."""

    store: FaissStore
    owners: npt.NDArray[np.int64]  # per vector row id, its chunk's position (-1: unused)
    spans: npt.NDArray[np.int64]  # per vector row id, where in its chunk the text lies
    lexical: LexicalIndex
    embedded: int
    analysed: int
    changed: int  # chunks added or removed since the last full build
    updated: bool


@dataclass(frozen=True)
class _Previous:
    """The current version, read to be updated."""

    manifest: Manifest
    texts: list[str]  # its chunks' texts, in order
    owners: npt.NDArray[np.int64]
    spans: npt.NDArray[np.int64]
    store: FaissStore
    lexical: LexicalIndex

    @property
    def changed(self) -> int:
        return int(self.manifest.store.get("changed_since_full", 0))


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
        one was built from the same documents, chunks and settings, and not `force`).

        A version is updated from the current one when few chunks changed (unless
        `force`): unchanged chunks keep their vectors and lexical rows."""
        # In one order whoever passes them (a run, or the corpus read back from disk), so
        # the same documents always give the same digest and files.
        documents = sorted(documents, key=lambda d: d.id)
        questions = bank()
        inputs = self._inputs(documents, chunks, questions)
        same = None if force else self._current_if_built_from(inputs)
        if same is not None:
            return same
        headings = section_headings(documents, chunks)
        previous = None if force else self._previous()
        parts = self._updated(previous, chunks, headings) if previous is not None else None
        if parts is None:
            parts = self._made(chunks, headings)
        plan = parts.store.plan
        vectors_of_bank = embed_queries(self._embedder, self._cache, [q for _, q in questions])

        def write(folder: Path) -> Manifest:
            parts.store.save(folder / "vectors.faiss")
            calibration = calibrate(parts.store, vectors_of_bank, [lang for lang, _ in questions])
            np.save(folder / "owners.npy", parts.owners)
            np.save(folder / "spans.npy", parts.spans)
            parts.lexical.save(folder / "lexical")
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
                    "changed_since_full": parts.changed,
                },
                counts={
                    "documents": len(documents),
                    "chunks": len(chunks),
                    "vectors": len(parts.store),
                },
                created_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                calibration=calibration,
                inputs=inputs,
            )

        folder = self._directory.publish(write)
        return BuildReport(
            folder,
            len(chunks),
            len(parts.store),
            parts.embedded,
            plan.kind,
            updated=parts.updated,
            analysed=parts.analysed,
        )

    def _made(self, chunks: Sequence[Chunk], headings: Sequence[str]) -> _Parts:
        """Every part anew (vectors from the cache where it has them)."""
        # The lexical index first, and each large part let go as soon as it is used: a
        # large corpus's peak memory is the sum of what is alive at once.
        lexical = LexicalIndex.build(chunks, compounds=self._compounds, headings=headings)
        found_owners, found_spans = view_spans(chunks, sentences=self._sentence_views)
        owners = np.asarray(found_owners, dtype=np.int64)
        spans = np.asarray(found_spans, dtype=np.int64).reshape(-1, 2)
        del found_owners, found_spans
        count = len(owners)

        def texts(rows: npt.NDArray[np.int64]) -> list[str]:
            # Made a part at a time from where they lie: all of them at once were as
            # large as the chunks' text again.
            return view_texts(chunks, owners[rows].tolist(), spans[rows].tolist())

        plan = StorePlan.for_size(count, self._exact_max)
        training = None
        if plan.kind == "ivf":
            rows = training_rows(count, plan)
            training, _ = embed_with_cache(self._embedder, self._cache, texts(rows))
        store = FaissStore.create(self._embedder.dim, plan, training=training, capacity=count)
        del training
        # Added a part at a time: the whole corpus's vectors are never held twice (here
        # and in the store), which at 100,000 chunks is hundreds of megabytes.
        embedded = 0
        parts = range(0, count, _ADD_AT_ONCE)
        for number, start in enumerate(parts, start=1):
            part = texts(np.arange(start, min(start + _ADD_AT_ONCE, count), dtype=np.int64))
            vectors, made = embed_with_cache(
                self._embedder,
                self._cache,
                part,
                progress=self._progress,
                label=f"embedding (part {number} of {len(parts)})"
                if len(parts) > 1
                else "embedding",
            )
            store.add(range(start, start + len(part)), vectors)
            embedded += made
        return _Parts(
            store, owners, spans, lexical, embedded, analysed=len(chunks), changed=0, updated=False
        )

    def _updated(
        self, previous: _Previous, chunks: Sequence[Chunk], headings: Sequence[str]
    ) -> _Parts | None:
        """The parts with each unchanged chunk's vectors (views of the same text) and
        lexical row taken from `previous`; None when so much changed that a full build
        is due."""
        taken = taken_over(previous.texts, (c.text for c in chunks))
        fresh = [i for i, t in enumerate(taken) if t is None]
        removed = len(previous.texts) - (len(chunks) - len(fresh))
        changed = previous.changed + len(fresh) + removed
        if changed > _FULL_AFTER * len(chunks):
            return None
        owners, gone = _moved_owners(previous, taken)
        views = chunk_views([chunks[i] for i in fresh], sentences=self._sentence_views)
        rows = len(previous.store) - len(gone) + len(views.texts)
        if previous.store.plan.kind == "flat" and rows > self._exact_max:
            return None  # the corpus outgrew exact search: a full build trains IVF
        vectors, embedded = embed_with_cache(
            self._embedder, self._cache, views.texts, progress=self._progress
        )
        ids = np.arange(len(owners), len(owners) + len(views.texts), dtype=np.int64)
        store = previous.store
        store.delete(gone.tolist())
        store.add(ids.tolist(), vectors)
        lexical, _ = previous.lexical.updated(chunks, headings=headings)
        spans = np.asarray(views.spans, dtype=np.int64).reshape(-1, 2)
        return _Parts(
            store,
            np.concatenate([owners, np.asarray([fresh[o] for o in views.owners], np.int64)]),
            np.concatenate([previous.spans.reshape(-1, 2), spans]),
            lexical,
            embedded,
            analysed=len(fresh),
            changed=changed,
            updated=True,
        )

    def _previous(self) -> _Previous | None:
        """The current version, when it was built with these settings and reads whole."""

        def read(folder: Path, manifest: Manifest) -> _Previous | None:
            same = (
                manifest.format == FORMAT
                and (manifest.embedder.name, manifest.embedder.dim)
                == (self._embedder.name, self._embedder.dim)
                and manifest.store.get("sentence_views") == self._sentence_views
            )
            if not same:
                return None
            store = manifest.store
            plan = StorePlan(store["kind"], store["reason"], store["nlist"], store["nprobe"])
            lexical = LexicalIndex.load(folder / "lexical")
            if lexical.analyzer.compounds != self._compounds:
                return None
            with (folder / "chunks.jsonl").open("rb") as handle:
                texts = [str(orjson.loads(line)["text"]) for line in handle if line.strip()]
            return _Previous(
                manifest,
                texts,
                np.load(folder / "owners.npy", allow_pickle=False),
                np.load(folder / "spans.npy", allow_pickle=False),
                FaissStore.load(folder / "vectors.faiss", plan),
                lexical,
            )

        try:
            return self._directory.load(read)
        except (KildeIndexError, OSError, ValueError, TypeError, KeyError):
            return None  # none, or unreadable: a full build

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
        # Each field with its length before it, so no text can pass for another's
        # boundary (not JSON: a large corpus has hundreds of thousands of chunks, and this
        # runs on every ingest).
        for d in documents:
            fields = [d.id, d.title, d.url or "", d.path or "", d.kind, d.lang]
            fields += [f"{p.number}|{p.text}" for p in d.pages]
            digest.update(_framed(["document", *fields]))
        for c in chunks:
            fields = [c.id, c.doc_id, str(c.page), str(c.start), str(c.end), c.text, c.lang]
            digest.update(_framed(["chunk", *fields]))
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


def _framed(fields: Sequence[str]) -> bytes:
    return "".join(f"{len(f)}:{f}" for f in fields).encode("utf-8", "surrogatepass")


def _moved_owners(
    previous: _Previous, taken: Sequence[int | None]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Per row id of `previous`, the new position of its chunk (-1: not kept); and the
    ids of the rows whose chunk is gone. `taken[i]`: the earlier position of chunk i."""
    before = previous.owners
    used = np.flatnonzero(before >= 0)
    by_chunk = used[np.argsort(before[used], kind="stable")]
    bounds = np.searchsorted(before[by_chunk], np.arange(len(previous.texts) + 1))
    owners = np.full(len(before), -1, dtype=np.int64)
    for position, earlier in enumerate(taken):
        if earlier is not None:
            owners[by_chunk[bounds[earlier] : bounds[earlier + 1]]] = position
    return owners, used[owners[used] < 0]


def _write_chunks(folder: Path, documents: Sequence[Document], chunks: Sequence[Chunk]) -> None:
    with (folder / "chunks.jsonl").open("wb") as handle:
        for chunk in chunks:
            handle.write(orjson.dumps(chunk.to_json()) + b"\n")
    docs = {
        d.id: {"title": d.title, "url": d.url, "kind": d.kind, "lang": d.lang, "copy": d.path}
        for d in documents
    }
    (folder / "documents.json").write_bytes(orjson.dumps(docs))
    # The page texts citations point into, so a viewer reads the version that was searched.
    with (folder / "pages.jsonl").open("wb") as handle:
        for d in documents:
            for page in d.pages:
                record = {"doc_id": d.id, "page": page.number, "text": page.text}
                handle.write(orjson.dumps(record) + b"\n")
