"""Hybrid search: dense views and BM25, fused by how well the query's words are known."""

from __future__ import annotations

import os
import re
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt
import orjson

from index.analyzer import Analyzer
from index.calibration import UNCALIBRATED, Calibration
from index.chunk import Chunk
from index.directory import IndexDirectory
from index.embedder import Embedder
from index.frequency import descriptive_words
from index.fusion import fuse, lexical_weight
from index.hit import Hit, SentenceScore
from index.language import detect_language
from index.lexical import LexicalIndex
from index.manifest import Manifest
from index.sections import PageLayout, Place, cited_place
from index.vector_store import FaissStore, StorePlan, VectorStore

_CANDIDATES = 50
# Dense rows fetched per wanted chunk: a chunk has its own vector and one per sentence.
_ROWS_PER_CHUNK = 20


@dataclass(frozen=True)
class Filters:
    """Keep only hits from these documents, languages or source kinds (None: any)."""

    doc_ids: frozenset[str] | None = None
    langs: frozenset[str] | None = None
    kinds: frozenset[str] | None = None


@dataclass(frozen=True)
class Retrieval:
    """Hits, and how far the best one stands above what unanswerable questions reach.

    `evidence` is the best dense similarity in standard deviations above the
    mean best similarity of the calibration bank on this corpus (see
    index/calibration.py): a scale that does not move with the embedder or the
    corpus's size. 0 is where questions the corpus cannot answer typically land.
    """

    hits: list[Hit]
    evidence: float
    # Where unanswerable questions land on this corpus, and the unit that means the same
    # with any embedder (its spread).
    calibration: Calibration = UNCALIBRATED
    # How much of the query's wording the corpus knows (0..1), see LexicalIndex.coverage.
    coverage: float = 0.0
    # Names in the query that occur nowhere in the corpus (not even by their first letters,
    # as names change their endings across languages: Litauen / Lithuania).
    unknown_names: tuple[str, ...] = ()
    # The headings and paragraphs of the pages the hits are on, by (doc_id, page): what
    # section a sentence is in, and where a citation of a text source points.
    layouts: dict[tuple[str, int], PageLayout] = field(default_factory=dict)

    @property
    def scale(self) -> float:
        return self.calibration.spread

    def deviations(self, similarity: float) -> float:
        """`similarity` in calibration spreads above what unanswerable questions reach."""
        return self.calibration.standardise(similarity)

    def layout(self, hit: Hit) -> PageLayout | None:
        return self.layouts.get((hit.chunk.doc_id, hit.chunk.page))

    def place(self, hit: Hit, offset: int) -> Place | None:
        """Where a citation of `offset` on the hit's page points (index/sections.cited_place)."""
        return cited_place(hit.kind, self.layout(hit), offset)


@dataclass(frozen=True)
class DocInfo:
    title: str
    url: str | None
    kind: str
    lang: str
    copy: str | None = None  # the source's copy under files/, which the app may serve


class HybridSearcher:
    def __init__(
        self,
        *,
        embedder: Embedder,
        store: VectorStore,
        owners: npt.NDArray[np.int64],
        spans: npt.NDArray[np.int64],
        chunks: Sequence[Chunk],
        documents: dict[str, DocInfo],
        lexical: LexicalIndex,
        manifest: Manifest | None = None,
        folder: Path | None = None,
        pages: int | None = None,
    ) -> None:
        """`pages`: an open descriptor of the version's page texts, read on first need.
        Opened with the version: a writer removes versions two publishes old, and a
        searcher opened before that still reads the pages its citations point into."""
        self.embedder = embedder
        self._store = store
        self._owners = owners
        self._spans = spans
        self.chunks = list(chunks)
        self.documents = documents
        self._lexical = lexical
        self.manifest = manifest
        self.folder = folder  # the index version this searcher reads
        self._pages: dict[tuple[str, int], str] | None = None
        self._pages_file = pages
        self._close_pages = weakref.finalize(self, os.close, pages) if pages is not None else None
        self._page_layouts: dict[tuple[str, int], PageLayout] = {}
        self._pages_lock = threading.Lock()

    @classmethod
    def open(cls, directory: IndexDirectory, embedder: Embedder) -> HybridSearcher:
        """The published index, verified, for this embedder (else IndexMismatchError)."""

        def read(folder: Path, manifest: Manifest) -> HybridSearcher:
            manifest.check_format()
            manifest.check_embedder(embedder.name, embedder.dim)
            return cls(
                embedder=embedder,
                store=FaissStore.load(
                    folder / "vectors.faiss", StorePlan.of_manifest(manifest.store)
                ),
                owners=np.load(folder / "owners.npy", allow_pickle=False),
                spans=np.load(folder / "spans.npy", allow_pickle=False),
                chunks=_read_chunks(folder),
                documents=_read_documents(folder),
                lexical=LexicalIndex.load(folder / "lexical"),
                manifest=manifest,
                folder=folder,
                pages=os.open(folder / "pages.jsonl", os.O_RDONLY),
            )

        return directory.load(read)

    @property
    def analyzer(self) -> Analyzer:
        """The corpus's analyzer: it knows the corpus's words, so it splits its compounds."""
        return self._lexical.analyzer

    @property
    def version(self) -> str:
        return self.folder.name if self.folder else ""

    def page_text(self, doc_id: str, page: int) -> str | None:
        """A page's text as this index version has it (what its citations point into)."""
        with self._pages_lock:
            if self._pages is None:
                found = {} if self._pages_file is None else _read_pages(self._pages_file)
                if self._close_pages is not None:
                    self._close_pages()
                self._pages = found
        return self._pages.get((doc_id, page))

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        return self.retrieve(query, k, filters, mode).hits

    def retrieve(
        self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid"
    ) -> Retrieval:
        """The best `k` chunks. `mode` other than "hybrid" is for comparisons: "dense",
        "lexical", or "rrf" (plain reciprocal-rank fusion)."""
        if not self.chunks or not query.strip():
            return Retrieval([], _NO_EVIDENCE)
        allowed = self._allowed(filters)
        views = self._dense(query, k, allowed)
        dense = {i: max(s for s, _ in rows) for i, rows in views.items()}
        lexical_all = self._lexical.scores(query)
        lexical = {i: float(lexical_all[i]) for i in _top(lexical_all, allowed, _CANDIDATES + k)}
        candidates = sorted(set(dense) | set(lexical))
        if not candidates:
            return Retrieval([], _NO_EVIDENCE)
        floor = min(dense.values()) if dense else 0.0
        dense_scores = np.array([dense.get(i, floor) for i in candidates])
        lexical_scores = np.array([float(lexical_all[i]) for i in candidates])
        coverage = self._lexical.coverage(query)
        ranks = (_ranks(dense), _ranks(lexical))
        fused = _combine(mode, candidates, dense_scores, lexical_scores, coverage, ranks)
        order = _distinct(
            [candidates[j] for j in np.argsort(-fused, kind="stable")], self.chunks, k
        )
        position = {c: j for j, c in enumerate(candidates)}
        hits = [self._hit(i, float(fused[position[i]]), ranks, views) for i in order]
        # A question is read on the scale of its language (index/calibration.py).
        lang = detect_language(query)
        calibration = self.calibration.for_language(lang)
        described = descriptive_words(query, lang)
        pages = list(dict.fromkeys((h.chunk.doc_id, h.chunk.page) for h in hits))
        return Retrieval(
            hits,
            calibration.standardise(max(dense.values())) if dense else _NO_EVIDENCE,
            calibration,
            coverage,
            tuple(
                n
                for n in self._lexical.analyzer.names(query)
                if not self._lexical.knows(n) and n not in described
            ),
            {key: self.layout(*key) for key in pages},
        )

    def beside(self, hit: Hit, step: int) -> Hit | None:
        """The chunk `step` after (or, negative, before) `hit`'s in its document, as a hit
        ranked like it: reading on, or back."""
        position = self._positions.get(hit.chunk.id)
        if position is None or not 0 <= position + step < len(self.chunks):
            return None
        chunk = self.chunks[position + step]
        if chunk.doc_id != hit.chunk.doc_id:
            return None
        return replace(hit, chunk=chunk, sentences=(), place=self._place(hit.kind, chunk))

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {c.id: i for i, c in enumerate(self.chunks)}

    def layout(self, doc_id: str, page: int) -> PageLayout:
        """A page's headings and paragraphs, found once per searcher."""
        key = (doc_id, page)
        with self._pages_lock:
            found = self._page_layouts.get(key)
        if found is None:
            found = PageLayout.of(self.page_text(doc_id, page) or "")
            with self._pages_lock:
                self._page_layouts[key] = found
        return found

    @property
    def calibration(self) -> Calibration:
        return self.manifest.calibration if self.manifest else UNCALIBRATED

    def _dense(
        self, query: str, k: int, allowed: npt.NDArray[np.bool_] | None
    ) -> dict[int, list[tuple[float, int]]]:
        """For each candidate chunk its scored views (similarity, row)."""
        vector = self.embedder.embed_query(query)
        wanted = min(len(self._store), (k + _CANDIDATES) * _ROWS_PER_CHUNK)
        if allowed is not None:
            # A filter can leave few chunks among the nearest rows: look further.
            wanted = min(len(self._store), wanted * 10)
        scores, ids = self._store.search(vector, wanted)
        views: dict[int, list[tuple[float, int]]] = {}
        for score, row in zip(scores.tolist(), ids.tolist(), strict=True):
            if row < 0:
                continue
            chunk = int(self._owners[row])
            if allowed is None or allowed[chunk]:
                views.setdefault(chunk, []).append((score, row))
        top = sorted(views, key=lambda i: max(s for s, _ in views[i]), reverse=True)
        return {i: views[i] for i in top[: _CANDIDATES + k]}

    def _allowed(self, filters: Filters | None) -> npt.NDArray[np.bool_] | None:
        if filters is None or filters == Filters():
            return None
        return np.array([self._passes(c, filters) for c in self.chunks], dtype=bool)

    def _passes(self, chunk: Chunk, filters: Filters) -> bool:
        doc = self.documents.get(chunk.doc_id)
        return (
            (filters.doc_ids is None or chunk.doc_id in filters.doc_ids)
            and (filters.langs is None or chunk.lang in filters.langs)
            and (filters.kinds is None or (doc is not None and doc.kind in filters.kinds))
        )

    def _hit(
        self,
        index: int,
        score: float,
        ranks: tuple[dict[int, int], dict[int, int]],
        views: dict[int, list[tuple[float, int]]],
    ) -> Hit:
        chunk = self.chunks[index]
        doc = self.documents.get(chunk.doc_id, DocInfo(chunk.doc_id, None, "", chunk.lang))
        scored = views.get(index, [])
        sentences = tuple(
            SentenceScore(int(self._spans[row][0]), int(self._spans[row][1]), similarity)
            for similarity, row in sorted(scored, key=lambda v: int(self._spans[v[1]][0]))
            if (int(self._spans[row][0]), int(self._spans[row][1])) != (0, len(chunk.text))
        )
        return Hit(
            chunk,
            score,
            ranks[0].get(index),
            ranks[1].get(index),
            doc.title,
            doc.url,
            doc.kind,
            dense_score=max((s for s, _ in scored), default=None),
            sentences=sentences,
            place=self._place(doc.kind, chunk),
        )

    def _place(self, kind: str, chunk: Chunk) -> Place | None:
        return cited_place(kind, self.layout(chunk.doc_id, chunk.page), chunk.start)


def _combine(
    mode: str,
    candidates: list[int],
    dense: npt.NDArray[np.float64],
    lexical: npt.NDArray[np.float64],
    coverage: float,
    ranks: tuple[dict[int, int], dict[int, int]],
) -> npt.NDArray[np.float64]:
    match mode:
        case "hybrid":
            return fuse(dense, lexical, lexical_weight(coverage))
        case "dense":
            return dense
        case "lexical":
            return lexical
        case "rrf":
            return np.array([sum(1 / (_RRF_K + r[i]) for r in ranks if i in r) for i in candidates])
        case other:
            raise ValueError(f"unknown search mode {other!r}; use hybrid, dense, lexical or rrf")


_RRF_K = 60
# What a search that found nothing reports: far below anything the bank reaches.
_NO_EVIDENCE = -10.0


# Passages sharing this much of their words (Jaccard) say the same: one hit slot between them.
_NEAR_DUPLICATE = 0.9
_WORDS = re.compile(r"\w+")


def _distinct(ranked: list[int], chunks: Sequence[Chunk], k: int) -> list[int]:
    """The first `k` of `ranked` (chunk positions), skipping near-copies of one already taken."""
    kept: list[int] = []
    words: list[frozenset[str]] = []
    for index in ranked:
        these = frozenset(_WORDS.findall(chunks[index].text.casefold()))
        if any(_jaccard(these, other) >= _NEAR_DUPLICATE for other in words):
            continue
        kept.append(index)
        words.append(these)
        if len(kept) == k:
            break
    return kept


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _top(
    scores: npt.NDArray[np.float32], allowed: npt.NDArray[np.bool_] | None, n: int
) -> list[int]:
    masked = np.where(allowed, scores, 0.0) if allowed is not None else scores
    order = np.argsort(-masked, kind="stable")[:n]
    return [int(i) for i in order if masked[i] > 0]


def _ranks(scores: dict[int, float]) -> dict[int, int]:
    ordered = sorted(scores, key=scores.__getitem__, reverse=True)
    return {index: rank for rank, index in enumerate(ordered, start=1)}


def _read_chunks(folder: Path) -> list[Chunk]:
    with (folder / "chunks.jsonl").open("rb") as handle:
        return [Chunk.from_json(orjson.loads(line)) for line in handle if line.strip()]


def _read_pages(descriptor: int) -> dict[tuple[str, int], str]:
    pages = {}
    with open(descriptor, "rb", closefd=False) as handle:
        handle.seek(0)  # from the start, also when an earlier read failed part way
        for line in handle:
            if line.strip():
                item = orjson.loads(line)
                pages[(item["doc_id"], int(item["page"]))] = item["text"]
    return pages


def _read_documents(folder: Path) -> dict[str, DocInfo]:
    data = orjson.loads((folder / "documents.json").read_bytes())
    return {doc_id: DocInfo(**info) for doc_id, info in data.items()}
