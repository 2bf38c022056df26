"""Documents are embedded while the ingest still reads, so the index build finds them made."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from index.chunk import Chunk
from index.embedder import HashEmbedder, Vectors
from index.embedding_cache import EmbeddingCache, cache_key, embed_with_cache
from index.prefetch import EmbeddingPrefetch
from index.views import chunk_views
from ui.cli import main


def _chunks(doc: str, count: int) -> list[Chunk]:
    chunks = []
    for n in range(count):
        text = (
            f"Dokument {doc} del {n} handler om klynger og innovasjon i regionen. "
            f"Del {n} av {doc} nevner også bioøkonomi og skogbruk som satsinger."
        )
        chunks.append(Chunk(f"{doc}:p1:{n}", doc, 1, 0, len(text), text, "no"))
    return chunks


def test_every_view_of_what_was_added_is_in_the_cache_after_close(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    embedder = HashEmbedder()
    documents = [_chunks(doc, 7) for doc in ("a", "b", "c")]
    with EmbeddingPrefetch(embedder, cache, sentence_views=True, batch_size=8) as prefetch:
        for chunks in documents:
            prefetch.add(chunks)
    texts = [t for chunks in documents for t in chunk_views(chunks).texts]
    assert prefetch.error is None
    assert prefetch.embedded == len(set(texts))
    assert len(cache.get(embedder.name, texts)) == len(set(texts))


class _FailingEmbedder(HashEmbedder):
    """An embedder that runs out of memory: what a real one may do on a small machine."""

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        raise MemoryError("no room for the model's activations")


class _FailsOnItsThirdBatch(HashEmbedder):
    """Runs out of memory part of the way through: what it made before is kept."""

    def __init__(self) -> None:
        super().__init__()
        self.batches = 0

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        self.batches += 1
        if self.batches == 3:
            raise MemoryError("no room for the model's activations")
        return super().embed_passages(texts)


def test_what_an_embedder_made_before_it_failed_is_kept(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    embedder = _FailsOnItsThirdBatch()
    texts = [c.text for c in _chunks("a", 10)]
    with pytest.raises(MemoryError):
        embed_with_cache(embedder, cache, texts, batch_size=4)
    # The first two batches, saved although a second had not passed since the start.
    assert set(cache.get(embedder.name, texts)) == {cache_key(t) for t in texts[:8]}
    vectors, made = embed_with_cache(HashEmbedder(), cache, texts, batch_size=4)
    assert made == 2  # only the batch that failed is embedded again
    assert (vectors == HashEmbedder().embed_passages(texts)).all()


def test_an_embedder_that_fails_stops_the_prefetch_and_says_why(tmp_path: Path) -> None:
    prefetch = EmbeddingPrefetch(
        _FailingEmbedder(), EmbeddingCache(tmp_path / "e.sqlite"), sentence_views=False
    )
    prefetch.add(_chunks("a", 3))
    assert prefetch.close() == 0
    assert isinstance(prefetch.error, MemoryError)


def test_the_ingest_embeds_while_it_reads_and_the_build_finds_it_done(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "notater"
    folder.mkdir()
    for n in range(5):
        (folder / f"notat-{n}.md").write_text(
            f"# Notat {n}\n\nRegion {n} satser på havbruk og batterier i strategien sin. "
            f"Klynge {n} samarbeider med universitetet om innovasjon.\n"
        )
    config = tmp_path / "kilde.toml"
    config.write_text('[corpus]\nsources = []\n[embedding]\nbackend = "hash"\n')
    data = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    assert main([*data, "ingest", "--offline", str(folder)]) == 0
    out = capsys.readouterr().out
    early = re.search(r"embedded while reading: (\d+) texts", out)
    built = re.search(r"(\d+) vectors \((\d+) embedded now", out)
    assert early and built, out
    assert int(early[1]) > 0
    assert built[2] == "0"  # all made while reading


def test_an_ingest_that_changed_nothing_publishes_nothing_new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from index.directory import IndexDirectory

    note = tmp_path / "notat.md"
    note.write_text("# Notat\n\nJämtland satser på reiseliv og skogbruk i sin strategi.\n")
    config = tmp_path / "kilde.toml"
    config.write_text('[corpus]\nsources = []\n[embedding]\nbackend = "hash"\n')
    data = tmp_path / "data"
    run = ["--config", str(config), "--data-dir", str(data), "ingest", "--offline"]
    assert main([*run, str(note)]) == 0
    first = IndexDirectory(data / "index").current()
    capsys.readouterr()
    assert main(run) == 0
    assert "index: unchanged (1 chunks" in capsys.readouterr().out
    assert IndexDirectory(data / "index").current() == first
    assert main([*run, "--rebuild"]) == 0  # asked for: built again
    assert IndexDirectory(data / "index").current() != first
    note.write_text("# Notat\n\nJämtland satser på reiseliv, skogbruk og havbruk.\n")
    rebuilt = IndexDirectory(data / "index").current()
    assert main(run) == 0  # the note changed: a new version
    assert IndexDirectory(data / "index").current() != rebuilt


def test_earlier_chunks_are_kept_only_while_the_text_and_the_chunking_are_the_same(
    tmp_path: Path,
) -> None:
    from ingest.corpus import CorpusStore

    note = tmp_path / "notat.md"
    sentences = [f"Region {n} satser på havbruk og batterier i strategien sin." for n in range(30)]
    note.write_text("# Notat\n\n" + " ".join(sentences) + "\n")
    data = tmp_path / "data"

    def ingest(size: int) -> list[str]:
        config = tmp_path / f"kilde-{size}.toml"
        config.write_text(
            f'[corpus]\nsources = []\n[embedding]\nbackend = "hash"\n[chunk]\nsize = {size}\n'
        )
        run = ["--config", str(config), "--data-dir", str(data), "ingest", "--offline"]
        assert main([*run, str(note)]) == 0
        return [c.text for c in CorpusStore(data).chunks()]

    first = ingest(500)
    assert ingest(500) == first
    smaller = ingest(200)  # another chunking: chunked anew
    assert len(smaller) > len(first) and max(len(c) for c in smaller) <= 200
    note.write_text("# Notat\n\n" + " ".join(sentences[:10]) + " Nå også romfart.\n")
    assert any("romfart" in c for c in ingest(200))  # another text: chunked anew
