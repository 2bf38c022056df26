"""A flat index written a part at a time is the file faiss writes, and reads back in parts."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from index.calibration import BestScores, calibrate
from index.flat_file import FlatFileWriter, read_parts
from index.vector_store import FaissStore, StorePlan


def _vectors(count: int, dim: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _faiss_file(path: Path, ids: np.ndarray, vectors: np.ndarray) -> Path:
    index = faiss.IndexIDMap(faiss.IndexFlatIP(vectors.shape[1]))
    index.add_with_ids(vectors, ids)
    faiss.write_index(index, str(path))
    return path


@pytest.mark.parametrize("count", [0, 1, 1_000])
def test_the_file_written_in_parts_is_the_one_faiss_writes(tmp_path: Path, count: int) -> None:
    vectors = _vectors(count, 24)
    ids = np.arange(count, dtype=np.int64) * 3 + 7  # ids need not be positions
    with FlatFileWriter(tmp_path / "ours.faiss", 24, count) as out:
        out.add(ids[:0], vectors[:0])  # an empty part (an update that keeps no rows) adds none
        for start in range(0, count, 300):
            out.add(ids[start : start + 300], vectors[start : start + 300])
    theirs = _faiss_file(tmp_path / "theirs.faiss", ids, vectors)
    assert (tmp_path / "ours.faiss").read_bytes() == theirs.read_bytes()
    # ... and faiss searches it.
    if count:
        store = FaissStore.load(tmp_path / "ours.faiss", StorePlan("flat", "test"))
        scores, found = store.search(vectors[500 % count], 1)
        assert found[0] == ids[500 % count] and scores[0] == pytest.approx(1.0, abs=1e-5)


def test_a_file_faiss_wrote_reads_back_in_parts_after_deletions(tmp_path: Path) -> None:
    vectors = _vectors(1_000, 16)
    index = faiss.IndexIDMap(faiss.IndexFlatIP(16))
    index.add_with_ids(vectors, np.arange(1_000, dtype=np.int64))
    index.remove_ids(np.arange(0, 1_000, 7, dtype=np.int64))
    faiss.write_index(index, str(tmp_path / "v.faiss"))
    parts = list(read_parts(tmp_path / "v.faiss", 256))
    assert [len(ids) for ids, _ in parts] == [256, 256, 256, 89]
    ids = np.concatenate([ids for ids, _ in parts])
    kept = np.array([i for i in range(1_000) if i % 7], dtype=np.int64)
    assert np.array_equal(ids, kept)
    assert np.array_equal(np.concatenate([v for _, v in parts]), vectors[kept])


def test_a_writer_refuses_more_or_fewer_vectors_than_it_announced(tmp_path: Path) -> None:
    vectors = _vectors(10, 8)
    with (
        pytest.raises(ValueError, match="more than the 5 vectors announced"),
        FlatFileWriter(tmp_path / "a.faiss", 8, 5) as out,
    ):
        out.add(np.arange(10, dtype=np.int64), vectors)
    with (
        pytest.raises(ValueError, match="4 vectors written of the 10 announced"),
        FlatFileWriter(tmp_path / "b.faiss", 8, 10) as out,
    ):
        out.add(np.arange(4, dtype=np.int64), vectors[:4])
    with (
        pytest.raises(ValueError, match="3 ids for vectors of shape"),
        FlatFileWriter(tmp_path / "c.faiss", 8, 10) as out,
    ):
        out.add(np.arange(3, dtype=np.int64), vectors[:4])


def test_a_file_of_another_layout_or_cut_short_is_refused(tmp_path: Path) -> None:
    plain = faiss.IndexFlatIP(8)  # no id map
    plain.add(_vectors(10, 8))
    faiss.write_index(plain, str(tmp_path / "plain.faiss"))
    with pytest.raises(ValueError, match="not a flat inner-product index with ids"):
        list(read_parts(tmp_path / "plain.faiss", 4))
    whole = _faiss_file(tmp_path / "whole.faiss", np.arange(10, dtype=np.int64), _vectors(10, 8))
    cut = tmp_path / "cut.faiss"
    cut.write_bytes(whole.read_bytes()[:-20])
    with pytest.raises(ValueError, match="cut short"):
        list(read_parts(cut, 4))


def test_best_scores_seen_in_parts_are_what_an_exact_search_finds() -> None:
    vectors, queries = _vectors(10_000, 32), _vectors(50, 32, seed=1)
    store = FaissStore.create(32, StorePlan("flat", "test"))
    store.add(range(10_000), vectors)
    best = BestScores(queries)
    for start in range(0, 10_000, 3_000):  # not a multiple of its own block of rows
        best.add(vectors[start : start + 3_000])
    langs = ["en"] * 30 + ["nb"] * 20
    ours, exact = best.calibration(langs), calibrate(store, queries, langs)
    assert ours.mean == pytest.approx(exact.mean, abs=1e-6)
    assert ours.spread == pytest.approx(exact.spread, abs=1e-6)
    assert ours.languages.keys() == exact.languages.keys() == {"en"}
    assert ours.languages["en"].mean == pytest.approx(exact.languages["en"].mean, abs=1e-6)
    assert BestScores(queries).calibration(langs).questions == 0  # nothing seen: uncalibrated
