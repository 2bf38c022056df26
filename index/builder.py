"""Building a new index version from the corpus's documents and chunks."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import orjson

from index.calibration import BestScores, Calibration, bank, calibrate, embed_queries
from index.chunk import Chunk
from index.corpus import Corpus
from index.directory import IndexDirectory
from index.document import Document
from index.embedder import Embedder, Vectors
from index.embedding_cache import EmbeddingCache, embed_with_cache
from index.errors import KildeIndexError
from index.flat_file import FlatFileWriter, read_parts
from index.lexical import LexicalIndex
from index.manifest import FORMAT, EmbedderInfo, Manifest, read_manifest
from index.memory import release_freed_memory
from index.progress import Progress
from index.rows import taken_over
from index.sections import with_headings
from index.vector_store import FaissStore, StorePlan, training_rows
from index.views import ViewFinder, ViewReader, chunk_views

# An update takes the unchanged chunks' vectors and lexical rows from the last version;
# once the chunks added and removed since the last full build pass this share of the
# corpus, the next build is full again: compound parts found with today's vocabulary, an
# IVF index trained on today's vectors, no row ids left unused.
_FULL_AFTER = 0.25
# Vectors embedded, written or copied at a time (16,384 x 384 floats: 24 MiB).
_ADD_AT_ONCE = 16_384
_VECTORS = "vectors.faiss"


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
class _Bank:
    """The calibration bank's questions: their vectors and languages."""

    vectors: Vectors
    langs: list[str]


@dataclass(frozen=True)
class _Parts:
    """What a version is made of, besides its vectors and lexical index (written to its
    folder already)."""

    plan: StorePlan
    vectors: int
    calibration: Calibration
    owners: npt.NDArray[np.int64]  # per vector row id, its chunk's position (-1: unused)
    spans: npt.NDArray[np.int64]  # per vector row id, where in its chunk the text lies
    chunks: int
    embedded: int
    analysed: int
    changed: int  # chunks added or removed since the last full build
    updated: bool


@dataclass(frozen=True)
class _Previous:
    """The current version, read to be updated (its vectors are read where they lie)."""

    manifest: Manifest
    texts: list[str]  # its chunks' texts, in order
    owners: npt.NDArray[np.int64]
    spans: npt.NDArray[np.int64]
    folder: Path
    lexical: LexicalIndex

    @property
    def changed(self) -> int:
        return int(self.manifest.store.get("changed_since_full", 0))

    @property
    def plan(self) -> StorePlan:
        return StorePlan.of_manifest(self.manifest.store)


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

    def build(self, corpus: Corpus, *, force: bool = False) -> BuildReport:
        """Embed what is not cached, index, and publish a new version (unless the current
        one was built from the same documents, chunks and settings, and not `force`).

        A version is updated from the current one when few chunks changed (unless
        `force`): unchanged chunks keep their vectors and lexical rows. A full build
        reads `corpus` a few times over and holds none of it."""
        # In one order whoever passes them (a run, or the corpus read back from disk), so
        # the same documents always give the same digest and files.
        ids = sorted(corpus.document_ids())
        questions = bank()
        inputs = self._inputs(corpus, ids, questions)
        same = None if force else self._current_if_built_from(inputs)
        if same is not None:
            return same
        questions_of_bank = [q for _, q in questions]
        scale = _Bank(
            embed_queries(self._embedder, self._cache, questions_of_bank),
            [lang for lang, _ in questions],
        )
        made: list[_Parts] = []

        def write(folder: Path) -> Manifest:
            # The vectors are written into the new version's folder as they are made.
            previous = None if force else self._previous()
            with _Texts(folder) as texts:
                parts = None
                if previous is not None:
                    parts = self._updated(previous, corpus, folder, scale, texts)
                del previous  # not held through a full build
                if parts is None:
                    parts = self._made(corpus, folder, scale, texts)
                texts.finish(corpus, ids)
            made.append(parts)
            np.save(folder / "owners.npy", parts.owners)
            np.save(folder / "spans.npy", parts.spans)
            plan = parts.plan
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
                    "documents": len(ids),
                    "chunks": parts.chunks,
                    "vectors": parts.vectors,
                },
                created_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                calibration=parts.calibration,
                inputs=inputs,
            )

        folder = self._directory.publish(write)
        (parts,) = made
        return BuildReport(
            folder,
            parts.chunks,
            parts.vectors,
            parts.embedded,
            parts.plan.kind,
            updated=parts.updated,
            analysed=parts.analysed,
        )

    def _made(self, corpus: Corpus, folder: Path, scale: _Bank, texts: _Texts) -> _Parts:
        """Every part anew (vectors from the cache where it has them), the vectors and
        `texts` written to `folder`."""
        # One pass finds each chunk's heading, lexical row and views and writes out the
        # chunks and pages; a second (and a third, from the first sentence view on) reads
        # the views' texts a part at a time to embed them. A large corpus's peak memory is
        # the sum of what is alive at once.
        finder = ViewFinder(sentences=self._sentence_views)

        def analysed() -> Iterator[tuple[Chunk, str]]:
            read = texts.reading(corpus.document)
            for chunk, heading in with_headings(corpus.chunks(), read):
                finder.add(chunk)
                texts.chunk(chunk)
                yield chunk, heading

        lexical = LexicalIndex.from_rows(analysed(), compounds=self._compounds)
        # Saved and let go of before the embedding: not held beside its buffers.
        lexical.save(folder / "lexical")
        chunk_count = lexical.size
        del lexical
        owners, spans = finder.found()
        # What the pass freed (each chunk's words and texts) handed back before embedding:
        # the C allocator keeps it otherwise, 20 MiB over 1,000 PDFs.
        release_freed_memory()
        count = len(owners)
        reader = ViewReader(corpus.chunks, owners, spans)

        def views(start: int, stop: int) -> list[str]:
            # Made a part at a time from where they lie: all of them at once were as
            # large as the chunks' text again.
            return reader.texts(np.arange(start, stop, dtype=np.int64))

        plan = StorePlan.for_size(count, self._exact_max)
        path = folder / _VECTORS
        if plan.kind == "flat":
            # Straight to the file, a part at a time: an exact index built in memory held
            # every vector of the corpus at once.
            best = BestScores(scale.vectors)
            with FlatFileWriter(path, self._embedder.dim, count) as out:

                def written(start: int, vectors: Vectors) -> None:
                    out.add(np.arange(start, start + len(vectors), dtype=np.int64), vectors)
                    best.add(vectors)

                embedded = self._embed_parts(count, views, written)
            calibration = best.calibration(scale.langs)
        else:
            # IVF-Flat keeps its vectors in its lists: built in memory, then saved.
            sample = training_rows(count, plan)
            training, _ = embed_with_cache(self._embedder, self._cache, reader.texts(sample))
            store = FaissStore.create(self._embedder.dim, plan, training=training)
            del training
            embedded = self._embed_parts(
                count,
                views,
                lambda start, vectors: store.add(range(start, start + len(vectors)), vectors),
            )
            store.save(path)
            calibration = calibrate(store, scale.vectors, scale.langs)
        return _Parts(
            plan,
            count,
            calibration,
            owners,
            spans,
            chunk_count,
            embedded,
            analysed=chunk_count,
            changed=0,
            updated=False,
        )

    def _embed_parts(
        self,
        count: int,
        texts: Callable[[int, int], list[str]],
        sink: Callable[[int, Vectors], None],
    ) -> int:
        """Vectors for rows 0 to `count` (`texts(start, stop)` gives theirs), given to
        `sink(start, vectors)` a part at a time; returns how many were computed. The whole
        corpus's vectors are never held at once: at 100,000 chunks they are hundreds of
        megabytes."""
        embedded = 0
        parts = range(0, count, _ADD_AT_ONCE)
        for number, start in enumerate(parts, start=1):
            vectors, made = embed_with_cache(
                self._embedder,
                self._cache,
                texts(start, min(start + _ADD_AT_ONCE, count)),
                progress=self._progress,
                label=f"embedding (part {number} of {len(parts)})"
                if len(parts) > 1
                else "embedding",
            )
            sink(start, vectors)
            embedded += made
        return embedded

    def _updated(
        self, previous: _Previous, corpus: Corpus, folder: Path, scale: _Bank, texts: _Texts
    ) -> _Parts | None:
        """The parts with each unchanged chunk's vectors (views of the same text) and
        lexical row taken from `previous`, the vectors written to `folder`; None (and
        nothing written) when so much changed that a full build is due. The chunks are
        held while it works (an update's memory is that of its last version's texts)."""
        chunks = list(corpus.chunks())
        taken = taken_over(previous.texts, (c.text for c in chunks))
        fresh = [i for i, t in enumerate(taken) if t is None]
        removed = len(previous.texts) - (len(chunks) - len(fresh))
        changed = previous.changed + len(fresh) + removed
        if changed > _FULL_AFTER * len(chunks):
            return None
        owners, gone = _moved_owners(previous, taken)
        views = chunk_views([chunks[i] for i in fresh], sentences=self._sentence_views)
        kept = int(np.count_nonzero(owners >= 0))
        rows = kept + len(views.texts)
        plan = previous.plan
        if plan.kind == "flat" and rows > self._exact_max:
            return None  # the corpus outgrew exact search: a full build trains IVF
        vectors, embedded = embed_with_cache(
            self._embedder, self._cache, views.texts, progress=self._progress
        )
        ids = np.arange(len(owners), len(owners) + len(views.texts), dtype=np.int64)
        path, before = folder / _VECTORS, previous.folder / _VECTORS
        if plan.kind == "flat":
            # The kept rows copied a part at a time from the last version's file.
            best = BestScores(scale.vectors)
            with FlatFileWriter(path, self._embedder.dim, rows) as out:
                for part_ids, part in read_parts(before, _ADD_AT_ONCE):
                    keep = owners[part_ids] >= 0
                    kept_rows = part[keep]
                    out.add(part_ids[keep], kept_rows)
                    best.add(kept_rows)
                out.add(ids, vectors)
                best.add(vectors)
            calibration = best.calibration(scale.langs)
        else:
            store = FaissStore.load(before, plan)
            store.delete(gone.tolist())
            store.add(ids.tolist(), vectors)
            store.save(path)
            calibration = calibrate(store, scale.vectors, scale.langs)
        headings = []
        for chunk, heading in with_headings(chunks, texts.reading(corpus.document)):
            texts.chunk(chunk)
            headings.append(heading)
        lexical, _ = previous.lexical.updated(chunks, headings=headings)
        lexical.save(folder / "lexical")
        spans = np.asarray(views.spans, dtype=np.int64).reshape(-1, 2)
        return _Parts(
            plan,
            rows,
            calibration,
            np.concatenate([owners, np.asarray([fresh[o] for o in views.owners], np.int64)]),
            np.concatenate([previous.spans.reshape(-1, 2), spans]),
            lexical.size,
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
                folder,
                lexical,
            )

        try:
            return self._directory.load(read)
        except (KildeIndexError, OSError, ValueError, TypeError, KeyError):
            return None  # none, or unreadable: a full build

    def _inputs(
        self, corpus: Corpus, ids: Sequence[str], questions: Sequence[tuple[str, str]]
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
        for d in map(corpus.document, ids):
            fields = [d.id, d.title, d.url or "", d.path or "", d.kind, d.lang]
            fields += [f"{p.number}|{p.text}" for p in d.pages]
            digest.update(_framed(["document", *fields]))
        for c in corpus.chunks():
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


class _Texts:
    """A version's chunks.jsonl, pages.jsonl (the page texts citations point into, so a
    viewer reads the version that was searched) and documents.json, written as a pass
    over the corpus reads them (not in a pass of their own)."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._chunks = (folder / "chunks.jsonl").open("wb")
        self._pages = (folder / "pages.jsonl").open("wb")
        self._documents: dict[str, dict[str, str | None]] = {}

    def chunk(self, chunk: Chunk) -> None:
        self._chunks.write(orjson.dumps(chunk.to_json()) + b"\n")

    def reading(self, documents: Callable[[str], Document]) -> Callable[[str], Document]:
        """`documents`, each document it gives also written here."""

        def read(doc_id: str) -> Document:
            document = documents(doc_id)
            self._document(document)
            return document

        return read

    def finish(self, corpus: Corpus, ids: Sequence[str]) -> None:
        """Adds the documents no chunk led to, and closes the files."""
        for doc_id in ids:
            if doc_id not in self._documents:
                self._document(corpus.document(doc_id))
        self.close()
        (self._folder / "documents.json").write_bytes(orjson.dumps(self._documents))

    def close(self) -> None:
        self._chunks.close()
        self._pages.close()

    def __enter__(self) -> _Texts:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _document(self, d: Document) -> None:
        if d.id in self._documents:
            return
        self._documents[d.id] = {
            "title": d.title,
            "url": d.url,
            "kind": d.kind,
            "lang": d.lang,
            "copy": d.path,
        }
        for page in d.pages:
            record = {"doc_id": d.id, "page": page.number, "text": page.text}
            self._pages.write(orjson.dumps(record) + b"\n")
