"""A new index version updated from the last one: unchanged chunks keep their vectors and
lexical rows, and it searches like a version built whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.builder import BuildReport, IndexBuilder
from index.chunk import Chunk
from index.corpus import ListedCorpus
from index.directory import IndexDirectory
from index.document import Document, Page
from index.embedder import HashEmbedder
from index.embedding_cache import EmbeddingCache
from index.rows import taken_over
from index.search import HybridSearcher
from ingest.chunker import Chunker

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
REPORT = ROOT / "ingest" / "bundled" / "smarter-2018-report.txt"
QUERIES = [
    "flom på Vestlandet",
    "eksport av laks",
    "bibliotek i Tromsø",
    "smart spesialisering i regionene",
    "Hva koster den nye kaia i Narvik?",
    "international networks of clusters",
]


def _document(path: Path, lang: str = "no") -> Document:
    text = path.read_text("utf-8")
    pages = [p for p in text.split("\n\n\n") if p.strip()] or [text]
    return Document(
        path.stem,
        path.stem.replace("-", " ").title(),
        None,
        str(path),
        "text",
        lang,
        tuple(Page(i, t) for i, t in enumerate(pages, 1)),
    )


def _corpus(names: list[str], *, report: bool = True) -> tuple[list[Document], list[Chunk]]:
    documents = [_document(DATA / "articles" / f"{name}.txt") for name in names]
    if report:
        documents.append(_document(REPORT))
    chunker = Chunker(size=400, overlap=60)
    return documents, [c for d in documents for c in chunker.chunk(d)]


ARTICLES = sorted(p.stem for p in (DATA / "articles").glob("*.txt"))


def _builder(root: Path, *, exact_max: int = 200_000, cache: str = "cache.sqlite") -> IndexBuilder:
    # Without compound splitting, which takes the whole vocabulary into account (and so
    # may split an unchanged chunk's words differently once a new document is in), an
    # update must search exactly like a version built whole.
    return IndexBuilder(
        HashEmbedder(dim=64),
        EmbeddingCache(root / cache),
        IndexDirectory(root / "index"),
        exact_max=exact_max,
        compounds=False,
    )


def _searcher(root: Path) -> HybridSearcher:
    return HybridSearcher.open(IndexDirectory(root / "index"), HashEmbedder(dim=64))


def _results(root: Path) -> list[list[tuple[str, float]]]:
    searcher = _searcher(root)
    return [[(h.chunk.id, h.score) for h in searcher.search(q, 8)] for q in QUERIES]


def _same_results(root: Path, other: Path) -> bool:
    """The same hits in the same order, scores equal but for float rounding."""
    mine, theirs = _results(root), _results(other)
    return all(
        [i for i, _ in a] == [i for i, _ in b]
        and np.allclose([s for _, s in a], [s for _, s in b], atol=1e-4)
        for a, b in zip(mine, theirs, strict=True)
    )


def _built_whole(tmp_path: Path, documents: list[Document], chunks: list[Chunk]) -> Path:
    root = tmp_path / "whole"
    _builder(root).build(ListedCorpus(documents, chunks))
    return root


def test_an_added_document_is_the_only_text_worked_on(tmp_path: Path) -> None:
    root = tmp_path / "updated"
    documents, chunks = _corpus(ARTICLES[:-1])
    first = _builder(root).build(ListedCorpus(documents, chunks))
    assert not first.updated and first.analysed == len(chunks)
    documents, chunks = _corpus(ARTICLES)
    added = [c for c in chunks if c.doc_id == ARTICLES[-1]]
    # A new, empty embedding cache: what is not embedded now came from the last version.
    report = _builder(root, cache="empty.sqlite").build(ListedCorpus(documents, chunks))
    assert report.updated and report.analysed == len(added)
    searcher = _searcher(root)
    owned = [searcher.chunks[int(o)].doc_id for o in searcher._owners if o >= 0]
    assert report.embedded == owned.count(ARTICLES[-1]) > 0
    assert report.vectors == first.vectors + report.embedded == len(searcher._store)
    assert _same_results(root, _built_whole(tmp_path, documents, chunks))


def test_a_removed_document_is_gone_from_every_part(tmp_path: Path) -> None:
    root = tmp_path / "updated"
    documents, chunks = _corpus(ARTICLES)
    _builder(root).build(ListedCorpus(documents, chunks))
    gone = "glitterfjell"
    documents, chunks = _corpus([a for a in ARTICLES if a != gone])
    report = _builder(root).build(ListedCorpus(documents, chunks))
    assert report.updated and report.analysed == 0 and report.embedded == 0
    searcher = _searcher(root)
    assert len(searcher._store) == report.vectors == int((searcher._owners >= 0).sum())
    assert all(h.chunk.doc_id != gone for q in QUERIES for h in searcher.search(q, 20))
    assert searcher._lexical.scores("Glitterfjell").max() == 0  # its words are unknown now
    assert _same_results(root, _built_whole(tmp_path, documents, chunks))


def test_an_edited_document_is_worked_on_again(tmp_path: Path) -> None:
    root = tmp_path / "updated"
    documents, chunks = _corpus(ARTICLES)
    _builder(root).build(ListedCorpus(documents, chunks))
    edited = Document(
        documents[0].id,
        documents[0].title,
        None,
        documents[0].path,
        "text",
        "no",
        (Page(1, "Kommunen åpner et nytt velferdsteknologisenter i Alta til våren."),),
    )
    documents = [edited, *documents[1:]]
    chunks = [*Chunker(size=400, overlap=60).chunk(edited)] + [
        c for c in chunks if c.doc_id != edited.id
    ]
    report = _builder(root).build(ListedCorpus(documents, chunks))
    assert report.updated and report.analysed == 1
    top = _searcher(root).search("velferdsteknologisenter i Alta", 1)[0]
    assert top.chunk.doc_id == edited.id
    assert _same_results(root, _built_whole(tmp_path, documents, chunks))


def test_after_much_change_the_next_build_is_whole_again(tmp_path: Path) -> None:
    root = tmp_path / "updated"
    documents, chunks = _corpus(ARTICLES[:4], report=False)
    _builder(root).build(ListedCorpus(documents, chunks))
    reports: list[BuildReport] = []
    for count in range(5, len(ARTICLES) + 1):
        documents, chunks = _corpus(ARTICLES[:count], report=False)
        reports.append(_builder(root).build(ListedCorpus(documents, chunks)))
        if not reports[-1].updated:
            break
    # Small steps are updates until those since the last whole build pass a quarter.
    assert reports[0].updated and not reports[-1].updated
    assert reports[-1].analysed == reports[-1].chunks
    assert (_searcher(root)._owners >= 0).all()  # a whole build leaves no unused row ids
    assert _same_results(root, _built_whole(tmp_path, documents, chunks))


def test_force_builds_whole(tmp_path: Path) -> None:
    root = tmp_path / "updated"
    documents, chunks = _corpus(ARTICLES)
    _builder(root).build(ListedCorpus(documents, chunks))
    report = _builder(root).build(ListedCorpus(documents, chunks[:-1]), force=True)
    assert not report.updated and report.analysed == report.chunks


def test_an_ivf_index_is_updated_with_its_trained_lists(tmp_path: Path) -> None:
    root = tmp_path / "updated"
    documents, chunks = _corpus(ARTICLES[:-1])
    first = _builder(root, exact_max=50).build(ListedCorpus(documents, chunks))
    assert first.store == "ivf"
    documents, chunks = _corpus(ARTICLES)
    report = _builder(root, exact_max=50).build(ListedCorpus(documents, chunks))
    assert report.updated and report.store == "ivf"
    searcher = _searcher(root)
    assert len(searcher._store) == report.vectors
    new = {c.id for c in chunks if c.doc_id == ARTICLES[-1]}
    assert any(h.chunk.id in new for h in searcher.search(_first_sentence(chunks, new), 5))


def _first_sentence(chunks: list[Chunk], ids: set[str]) -> str:
    text = next(c.text for c in chunks if c.id in ids)
    return text.split(". ")[0]


@pytest.mark.parametrize("kind", ["flat", "ivf"])
def test_a_flat_store_that_outgrows_exact_search_is_built_whole(tmp_path: Path, kind: str) -> None:
    root = tmp_path / kind
    documents, chunks = _corpus(ARTICLES[:-1])
    small = _builder(root, exact_max=100_000).build(ListedCorpus(documents, chunks))
    documents, chunks = _corpus(ARTICLES)
    limit = small.vectors + 1 if kind == "ivf" else 100_000
    report = _builder(root, exact_max=limit).build(ListedCorpus(documents, chunks))
    assert report.store == kind
    assert report.updated == (kind == "flat")
    assert np.isfinite(_searcher(root).search("laks", 3)[0].score)


def test_repeated_texts_take_the_earlier_rows_first_come_first_taken() -> None:
    # A header repeated on every page: each copy takes its own earlier row, in order.
    assert taken_over(["a", "b", "a", "c"], ["a", "a", "a", "c", "d"]) == [0, 2, None, 3, None]
    assert taken_over([], ["a"]) == [None]
    many = ["header"] * 50_000  # quadratic would take minutes here
    assert taken_over(many, many) == list(range(50_000))
