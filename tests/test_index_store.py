"""The on-disk index: versions, checksums, crash safety, FAISS stores, hybrid search."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from index.builder import IndexBuilder
from index.chunk import Chunk
from index.corpus import ListedCorpus
from index.directory import IndexDirectory
from index.document import Document, Page
from index.embedder import HashEmbedder
from index.embedding_cache import EmbeddingCache
from index.errors import IndexCorruptError, IndexMismatchError, NoIndexError
from index.search import Filters, HybridSearcher
from index.vector_store import FaissStore, StorePlan, training_rows
from ingest.chunker import Chunker

ROOT = Path(__file__).resolve().parent.parent

PAGES = {
    "guide": (
        "no",
        "pdf",
        [
            "Veilederen forklarer smart spesialisering for fylkene.",
            "Strukturfondene krever en strategi for forskning og innovasjon.",
        ],
    ),
    "talk": (
        "en",
        "pdf",
        [
            "Clusters gain value from international networks.",
            "Foreign direct investment shapes regional development.",
        ],
    ),
}


def _corpus() -> tuple[list[Document], list[Chunk]]:
    docs = [
        Document(
            doc_id,
            doc_id.title(),
            f"https://example.org/{doc_id}.pdf",
            None,
            kind,
            lang,
            tuple(Page(i, t) for i, t in enumerate(texts, 1)),
        )
        for doc_id, (lang, kind, texts) in PAGES.items()
    ]
    chunks = [c for d in docs for c in Chunker(size=200, overlap=0).chunk(d)]
    return docs, chunks


def _build(root: Path, embedder: HashEmbedder | None = None, exact_max: int = 1000) -> IndexBuilder:
    return IndexBuilder(
        embedder or HashEmbedder(),
        EmbeddingCache(root / "emb.sqlite"),
        IndexDirectory(root / "index"),
        exact_max=exact_max,
    )


def test_no_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NoIndexError, match="kilde ingest"):
        IndexDirectory(tmp_path / "index").open()


def test_build_publish_and_search_with_filters(tmp_path: Path) -> None:
    docs, chunks = _corpus()
    report = _build(tmp_path).build(ListedCorpus(docs, chunks))
    assert (report.chunks, report.store) == (4, "flat")
    searcher = HybridSearcher.open(IndexDirectory(tmp_path / "index"), HashEmbedder())
    hits = searcher.search("international networks clusters", k=2)
    assert hits[0].chunk.doc_id == "talk" and hits[0].chunk.page == 1
    assert hits[0].title == "Talk" and hits[0].url == "https://example.org/talk.pdf"
    assert hits[0].dense_rank == 1 and hits[0].lexical_rank == 1
    only_guide = searcher.search(
        "international networks", k=5, filters=Filters(doc_ids=frozenset({"guide"}))
    )
    assert only_guide and {h.chunk.doc_id for h in only_guide} == {"guide"}
    assert {h.chunk.lang for h in searcher.search("x y", 5, Filters(langs=frozenset({"en"})))} <= {
        "en"
    }
    assert searcher.search("networks", 5, Filters(kinds=frozenset({"html"}))) == []
    json_hit = hits[0].to_json(1)
    assert set(json_hit) >= {
        "rank",
        "score",
        "doc_id",
        "title",
        "url",
        "page",
        "start",
        "end",
        "text",
    }


def test_a_second_build_embeds_only_new_text(tmp_path: Path) -> None:
    docs, chunks = _corpus()
    first = _build(tmp_path).build(ListedCorpus(docs, chunks))
    again = _build(tmp_path).build(
        ListedCorpus(docs, chunks), force=True
    )  # built again, from the cache
    assert first.embedded == first.vectors and again.embedded == 0
    assert again.folder != first.folder
    extra = Document(
        "new", "New", None, None, "text", "en", (Page(1, "A brand new page of text."),)
    )
    third = _build(tmp_path).build(ListedCorpus([*docs, extra], [*chunks, *Chunker().chunk(extra)]))
    assert third.embedded == 1


def test_opening_with_another_embedder_is_refused_with_the_fix(tmp_path: Path) -> None:
    docs, chunks = _corpus()
    _build(tmp_path).build(ListedCorpus(docs, chunks))
    with pytest.raises(IndexMismatchError, match="kilde ingest --rebuild"):
        HybridSearcher.open(IndexDirectory(tmp_path / "index"), HashEmbedder(dim=32))


def test_a_flipped_byte_is_refused_before_faiss_reads_it(tmp_path: Path) -> None:
    docs, chunks = _corpus()
    folder = _build(tmp_path).build(ListedCorpus(docs, chunks)).folder
    target = folder / "vectors.faiss"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError, match="does not match its checksum"):
        HybridSearcher.open(IndexDirectory(tmp_path / "index"), HashEmbedder())


def test_old_versions_are_pruned_and_current_is_the_newest(tmp_path: Path) -> None:
    docs, chunks = _corpus()
    # Forced: the same corpus would otherwise keep the version it has.
    folders = [
        _build(tmp_path).build(ListedCorpus(docs, chunks), force=True).folder for _ in range(4)
    ]
    directory = IndexDirectory(tmp_path / "index")
    assert directory.current() == folders[-1]
    assert sorted(p.name for p in directory.versions.iterdir()) == sorted(
        f.name for f in folders[-2:]
    )


_SLOW_WRITER = """
import sys, time
from pathlib import Path
from index.directory import IndexDirectory
def build(folder):
    (folder / "half-written.bin").write_bytes(b"x" * 1000)
    print("building", flush=True)
    time.sleep(60)
IndexDirectory(Path(sys.argv[1])).publish(build)
"""


def test_a_killed_writer_leaves_the_previous_index_usable(tmp_path: Path) -> None:
    docs, chunks = _corpus()
    before = _build(tmp_path).build(ListedCorpus(docs, chunks)).folder
    writer = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(tmp_path / "index")],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "building"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=10)
    directory = IndexDirectory(tmp_path / "index")
    assert directory.open()[0] == before
    assert HybridSearcher.open(directory, HashEmbedder()).search("networks", 1)
    assert list((tmp_path / "index").glob(".building-*"))
    # The next writer takes the lock and cleans up.
    _build(tmp_path).build(ListedCorpus(docs, chunks), force=True)
    assert not list((tmp_path / "index").glob(".building-*"))


def test_readers_always_see_a_complete_version_while_a_writer_publishes(tmp_path: Path) -> None:
    docs, chunks = _corpus()
    _build(tmp_path).build(ListedCorpus(docs, chunks))
    directory = IndexDirectory(tmp_path / "index")
    errors: list[BaseException] = []
    opened = 0
    stop = threading.Event()

    def read() -> None:
        nonlocal opened
        while not stop.is_set():
            try:
                HybridSearcher.open(directory, HashEmbedder()).search("networks", 1)
                opened += 1
            except BaseException as error:
                errors.append(error)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for thread in readers:
        thread.start()
    deadline = time.monotonic() + 20
    for _ in range(8):
        if time.monotonic() > deadline:
            break
        _build(tmp_path).build(ListedCorpus(docs, chunks), force=True)
    stop.set()
    for thread in readers:
        thread.join(timeout=10)
    assert not errors, errors[:3]
    assert opened > 0


def test_faiss_flat_store_upserts_deletes_and_saves(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = FaissStore.create(16, StorePlan.for_size(50, exact_max=100))
    store.upsert(list(range(50)), vectors)
    scores, ids = store.search(vectors[7], 3)
    assert ids[0] == 7 and scores[0] == pytest.approx(1.0, abs=1e-5)
    store.delete([7])
    assert len(store) == 49 and 7 not in store.search(vectors[7], 5)[1]
    store.upsert([3], vectors[7:8])  # update: id 3 now holds vector 7
    assert store.search(vectors[7], 1)[1][0] == 3 and len(store) == 49
    store.save(tmp_path / "v.faiss")
    loaded = FaissStore.load(tmp_path / "v.faiss", store.plan)
    assert loaded.search(vectors[7], 1)[1][0] == 3


def test_large_corpora_get_an_approximate_index_that_still_finds_neighbours() -> None:
    plan = StorePlan.for_size(5000, exact_max=1000)
    assert plan.kind == "ivf" and "exact_max" in plan.reason and plan.nlist > 0
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(20, 32))
    vectors = (centres[rng.integers(0, 20, 5000)] + 0.3 * rng.normal(size=(5000, 32))).astype(
        np.float32
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = FaissStore.create(32, plan, training=vectors[training_rows(len(vectors), plan)])
    store.upsert(list(range(5000)), vectors)
    found = sum(int(store.search(vectors[i], 1)[1][0] == i) for i in range(0, 5000, 50))
    assert found >= 95
    store.delete(list(range(100)))
    assert len(store) == 4900


def test_a_build_in_parts_keeps_each_view_under_its_own_row(tmp_path: Path) -> None:
    """More views than one part of a build holds (16,384): every row's vector is that of
    the text its owner and span say it stands for, on both sides of each part's edge."""
    embedder = HashEmbedder()
    docs, chunks = [], []
    for number in range(30):
        pages = []
        for page in range(1, 101):
            text = " ".join(
                f"Setning {s} på side {page} i notat {number} gjelder tema {number * 1000 + page}."
                for s in range(6)
            )
            pages.append(Page(page, text))
            chunk_id = Chunk.make_id(f"n{number}", page, 0, len(text))
            chunks.append(Chunk(chunk_id, f"n{number}", page, 0, len(text), text, "no"))
        docs.append(
            Document(f"n{number}", f"Notat {number}", None, None, "text", "no", tuple(pages))
        )
    report = _build(tmp_path, embedder, exact_max=100_000).build(ListedCorpus(docs, chunks))
    assert report.vectors > 16_384 + 1_000  # crosses the edge of the first part
    owners = np.load(report.folder / "owners.npy")
    spans = np.load(report.folder / "spans.npy")
    store = FaissStore.load(report.folder / "vectors.faiss", StorePlan("flat", "test"))
    rows = [0, 1, 2_399, 2_400, 16_383, 16_384, 16_385, report.vectors - 1]
    texts = [chunks[owners[r]].text[spans[r][0] : spans[r][1]] for r in rows]
    assert all(len(t) >= 25 for t in texts) and len(set(texts)) == len(rows)
    scores, ids = store.search_many(embedder.embed_passages(texts), 1)
    assert ids[:, 0].tolist() == rows
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)


def test_a_searcher_reads_its_pages_after_its_version_was_removed(tmp_path: Path) -> None:
    """A writer keeps two versions; a searcher opened on an older one (the app's, while an
    ingest publishes twice) still reads the pages its citations point into."""
    docs, chunks = _corpus()
    first = _build(tmp_path).build(ListedCorpus(docs, chunks))
    searcher = HybridSearcher.open(IndexDirectory(tmp_path / "index"), HashEmbedder())
    for _ in range(2):
        _build(tmp_path).build(ListedCorpus(docs, chunks), force=True)
    assert not first.folder.exists()
    assert searcher.page_text("talk", 1) == "Clusters gain value from international networks."
    assert searcher.layout("guide", 2).paragraphs
