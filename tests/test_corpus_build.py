"""A full index build reads its corpus as it goes and holds none of it: the same index as
one built from the corpus in memory, with only a few chunks alive at any time."""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from index.builder import IndexBuilder
from index.chunk import Chunk
from index.corpus import ListedCorpus
from index.directory import IndexDirectory
from index.document import Document, Page
from index.embedder import HashEmbedder, Vectors
from index.embedding_cache import EmbeddingCache
from index.manifest import read_manifest
from index.views import ViewReader, view_spans
from ingest.chunker import Chunker

_TOPICS = ("havvind", "skogbruk", "batterier", "reiseliv", "helse")


class _Tracked(Chunk):
    """A chunk that can be counted while alive (a subclass gets a weak reference slot)."""


class _ReadAsItGoes:
    """A corpus that makes its chunks anew on every read, as one read from disk does, and
    notes the most chunks alive at once: when a chunk is made, a document asked for, or a
    text embedded."""

    def __init__(self, documents: Sequence[Document], chunks: Sequence[Chunk]) -> None:
        self._documents = {d.id: d for d in documents}
        self._rows = [c.to_json() for c in chunks]
        self._alive: weakref.WeakSet[Chunk] = weakref.WeakSet()
        self.most = 0
        self.passes = 0

    def document_ids(self) -> list[str]:
        return list(self._documents)

    def document(self, doc_id: str) -> Document:
        self.note()
        return self._documents[doc_id]

    def chunks(self) -> Iterator[Chunk]:
        self.passes += 1
        for row in self._rows:
            plain = Chunk.from_json(row)
            chunk = _Tracked(*(getattr(plain, f) for f in Chunk.__slots__))
            self._alive.add(chunk)
            self.note()
            yield chunk

    def note(self) -> None:
        self.most = max(self.most, len(self._alive))


class _NotingEmbedder(HashEmbedder):
    def __init__(self, corpus: _ReadAsItGoes) -> None:
        super().__init__()
        self._corpus = corpus

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        self._corpus.note()
        return super().embed_passages(texts)


def _corpus(documents: int) -> tuple[list[Document], list[Chunk]]:
    docs = []
    for n in range(documents):
        topic = _TOPICS[n % len(_TOPICS)]
        pages = tuple(
            Page(
                page,
                f"Kapittel {page}\n\n"
                + " ".join(
                    f"Region {n} satser på {topic} i plan {page} del {s} med klynge {n + s} i byen."
                    for s in range(8)
                ),
            )
            for page in range(1, 4)
        )
        docs.append(Document(f"notat-{n:03}", f"Notat {n}", None, None, "pdf", "no", pages))
    return docs, [c for d in docs for c in Chunker(size=300, overlap=50).chunk(d)]


def _builder(root: Path, embedder: HashEmbedder) -> IndexBuilder:
    return IndexBuilder(
        embedder,
        EmbeddingCache(root / "emb.sqlite"),
        IndexDirectory(root / "index"),
        exact_max=10**6,
    )


def test_a_build_holds_a_few_chunks_at_a_time_and_makes_the_same_index(tmp_path: Path) -> None:
    documents, chunks = _corpus(60)
    assert len(chunks) > 300
    streamed = _ReadAsItGoes(documents, chunks)
    built = _builder(tmp_path / "read", _NotingEmbedder(streamed)).build(streamed)
    # Read a few times over (changed?, analysed, embedded, written), never held: a list of
    # the chunks would have kept every one alive.
    assert 3 <= streamed.passes <= 6
    assert streamed.most <= 3, f"{streamed.most} chunks alive at once"
    held = _builder(tmp_path / "held", HashEmbedder()).build(ListedCorpus(documents, chunks))
    assert (
        (built.chunks, built.vectors) == (held.chunks, held.vectors) == (len(chunks), held.vectors)
    )
    ours, theirs = sorted(built.folder.rglob("*")), sorted(held.folder.rglob("*"))
    assert [p.relative_to(built.folder) for p in ours] == [
        p.relative_to(held.folder) for p in theirs
    ]
    for mine, other in zip(ours, theirs, strict=True):
        if mine.is_file() and mine.name != "manifest.json":
            assert mine.read_bytes() == other.read_bytes(), mine.name
    a, b = read_manifest(built.folder), read_manifest(held.folder)
    assert (a.inputs, a.calibration, a.counts) == (b.inputs, b.calibration, b.counts)


def test_views_are_read_in_order_and_the_chunks_again_only_for_the_sentences() -> None:
    _, chunks = _corpus(3)
    owners, spans = view_spans(chunks)
    assert len(owners) > 2 * len(chunks)  # sentences too
    opened = []

    def read() -> Iterator[Chunk]:
        opened.append(1)
        return iter(chunks)

    reader = ViewReader(read, owners, spans)
    texts = [
        t
        for start in range(0, len(owners), 7)
        for t in reader.texts(np.arange(start, min(start + 7, len(owners)), dtype=np.int64))
    ]
    assert texts == [
        chunks[o].text[s:e] for o, (s, e) in zip(owners.tolist(), spans.tolist(), strict=True)
    ]
    assert len(opened) == 2  # the whole chunks, then their sentences
    with pytest.raises(ValueError, match="changed while read"):
        ViewReader(lambda: iter(chunks[:2]), owners, spans).texts(np.array([5], dtype=np.int64))
