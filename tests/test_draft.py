"""A run's documents and chunks go to a draft as they are made; the corpus is made from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from index.chunk import Chunk
from index.document import Document, Page
from ingest.corpus import CorpusStore
from ingest.draft import CorpusDraft


def _document(doc_id: str, text: str) -> tuple[Document, list[Chunk]]:
    document = Document(doc_id, doc_id.title(), None, None, "text", "no", (Page(1, text),))
    half = len(text) // 2
    chunks = [
        Chunk(Chunk.make_id(doc_id, 1, 0, half), doc_id, 1, 0, half, text[:half], "no"),
        Chunk(
            Chunk.make_id(doc_id, 1, half, len(text)), doc_id, 1, half, len(text), text[half:], "no"
        ),
    ]
    return document, chunks


def test_the_corpus_is_made_from_the_draft_in_the_order_given(tmp_path: Path) -> None:
    store = CorpusStore(tmp_path / "data")
    made = {
        name: _document(name, f"Teksten i {name} handler om havvind og fiske. " * 40)
        for name in ("alfa", "beta", "gamma")
    }
    with CorpusDraft(store.root) as draft:
        drafted = {name: draft.add(doc, chunks, write=True) for name, (doc, chunks) in made.items()}
        assert sorted(p.name for p in draft.folder.iterdir()) == [
            "alfa.json",
            "beta.json",
            "chunks.jsonl",
            "gamma.json",
        ]
        # beta left out (a duplicate folded into another), gamma before alfa.
        store.write([], [drafted["gamma"], drafted["alfa"]], set(), draft, {"size": 500})
        folder = draft.folder
    assert not folder.exists()  # the draft is gone once the run ends
    assert store.document_ids() == ["alfa", "gamma"]
    assert store.document("gamma") == made["gamma"][0]
    assert list(store.chunks()) == [*made["gamma"][1], *made["alfa"][1]]


def test_an_unchanged_document_is_neither_drafted_nor_rewritten(tmp_path: Path) -> None:
    store = CorpusStore(tmp_path / "data")
    document, chunks = _document("alfa", "Strategien for smart spesialisering. " * 30)
    with CorpusDraft(store.root) as draft:
        store.write([], [draft.add(document, chunks, write=True)], set(), draft)
    written = (store.root / "documents" / "alfa.json").stat().st_mtime_ns
    with CorpusDraft(store.root) as draft:
        kept = draft.add(document, chunks, write=False)  # the corpus has it as it is
        assert not draft.document_file("alfa").exists()
        again = draft.add(document, chunks, write=True)  # read again: the same bytes
        store.write([], [kept], set(), draft)
        store.write([], [again], set(), draft)
    assert (store.root / "documents" / "alfa.json").stat().st_mtime_ns == written
    assert list(store.chunks()) == chunks


def test_a_draft_left_by_a_killed_run_goes_but_not_one_of_a_running_run(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    killed = root / f".draft-{ended.stdout.strip()}-0000abcd"
    killed.mkdir(parents=True)
    (killed / "chunks.jsonl").write_bytes(b"{}\n")
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        alive = root / f".draft-{running.pid}-0000abcd"
        alive.mkdir()
        with CorpusDraft(root) as draft:
            assert not killed.exists()
            assert alive.is_dir()
            assert draft.folder.is_dir() and draft.folder != alive
    finally:
        running.kill()
        running.wait()


def test_a_draft_cut_short_is_an_error_not_a_short_corpus(tmp_path: Path) -> None:
    store = CorpusStore(tmp_path / "data")
    document, chunks = _document("alfa", "Klynger og nettverk i regionen. " * 30)
    with CorpusDraft(store.root) as draft:
        drafted = draft.add(document, chunks, write=True)
        assert list(draft.chunk_lines([])) == []  # (written out to the file)
        (draft.folder / "chunks.jsonl").write_bytes(b"")  # then lost under it
        with pytest.raises(OSError, match="cut short"):
            store.write([], [drafted], set(), draft)
    assert not (store.root / "chunks.jsonl").exists()
