"""The calibration of unanswerable questions: measured at publish, kept in the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.calibration import Calibration, bank, calibrate
from index.corpus import ListedCorpus
from index.directory import IndexDirectory
from index.embedder import HashEmbedder
from index.errors import IndexMismatchError
from index.search import HybridSearcher
from index.vector_store import FaissStore, StorePlan
from tests.test_index_store import _build, _corpus


def test_the_bank_holds_everyday_questions_in_three_languages() -> None:
    questions = [question for _, question in bank()]
    assert len(questions) >= 400
    assert len(set(questions)) == len(questions)
    text = " ".join(questions).lower()
    # bokmål, nynorsk and English question words
    assert " hvorfor " in f" {text} " and " kva " in f" {text} " and " which " in f" {text} "
    # Nothing of what kilde's users ask about, which would raise the bar for it.
    for topic in ("smart spesialisering", "smart specialisation", "innovasjonspolitikk"):
        assert topic not in text


def test_calibration_is_the_spread_of_the_banks_best_matches() -> None:
    vectors = np.eye(4, dtype=np.float32)
    store = FaissStore.create(4, StorePlan("flat", "test"))
    store.upsert([0, 1, 2, 3], vectors)
    queries = np.array([[1, 0, 0, 0], [0.6, 0.8, 0, 0], [0.8, 0, 0.6, 0]], dtype=np.float32)
    found = calibrate(store, queries)
    assert found.questions == 3
    assert found.mean == pytest.approx((1.0 + 0.8 + 0.8) / 3, abs=1e-6)
    assert found.spread == pytest.approx(float(np.std([1.0, 0.8, 0.8])), abs=1e-6)
    assert found.standardise(found.mean + 2 * found.spread) == pytest.approx(2.0)
    assert found.similarity_at(1.0) == pytest.approx(found.mean + found.spread)


def _published(folder: Path) -> tuple[HybridSearcher, Calibration]:
    docs, chunks = _corpus()
    _build(folder).build(ListedCorpus(docs, chunks))
    searcher = HybridSearcher.open(IndexDirectory(folder / "index"), HashEmbedder())
    assert searcher.manifest is not None
    return searcher, searcher.manifest.calibration


def test_a_published_index_carries_its_calibration(tmp_path: Path) -> None:
    searcher, calibration = _published(tmp_path)
    assert calibration.questions == len(bank()) and calibration.spread > 0
    # The evidence of a question is its best similarity on that scale.
    retrieval = searcher.retrieve("international networks clusters", 3)
    best = max(h.dense_score or 0.0 for h in retrieval.hits)
    # ... of its language.
    english = calibration.for_language("en")
    assert retrieval.evidence == pytest.approx(english.standardise(best))
    assert retrieval.calibration == english and retrieval.scale == english.spread


def test_the_bank_is_embedded_once_per_model(tmp_path: Path) -> None:
    docs, chunks = _corpus()
    _build(tmp_path).build(ListedCorpus(docs, chunks))
    embedder = CountingHash()
    _build(tmp_path, embedder).build(ListedCorpus(docs, chunks))
    assert embedder.queries == 0  # the first build cached the bank's vectors


class CountingHash(HashEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.queries = 0

    def embed_query(self, text: str) -> np.ndarray:
        self.queries += 1
        return super().embed_query(text)


def test_an_index_from_before_calibration_asks_for_a_rebuild(tmp_path: Path) -> None:
    docs, chunks = _corpus()
    report = _build(tmp_path).build(ListedCorpus(docs, chunks))
    manifest = report.folder / "manifest.json"
    data = json.loads(manifest.read_text())
    data["format"] = 3
    del data["calibration"]
    manifest.write_text(json.dumps(data))
    with pytest.raises(IndexMismatchError, match="kilde ingest --rebuild"):
        HybridSearcher.open(IndexDirectory(tmp_path / "index"), HashEmbedder())


def test_calibration_round_trips_through_json() -> None:
    calibration = Calibration(420, 0.803, 0.0217, {"en": Calibration(160, 0.79, 0.018)})
    assert Calibration.from_json(json.loads(json.dumps(calibration.to_json()))) == calibration


def test_each_language_of_the_bank_has_its_own_scale() -> None:
    store = FaissStore.create(2, StorePlan("flat", "test"))
    store.upsert([0], np.array([[1.0, 0.0]], dtype=np.float32))
    # Norwegian bank questions land close to the corpus, English ones (another language
    # than the corpus) further off.
    angles = [0.1, 0.2, 0.15] * 10 + [0.6, 0.7, 0.65] * 10
    queries = np.array([[np.cos(a), np.sin(a)] for a in angles], dtype=np.float32)
    found = calibrate(store, queries, ["nb"] * 15 + ["nn"] * 15 + ["en"] * 30)
    norwegian, english = found.for_language("no"), found.for_language("en")
    assert norwegian.questions == 30 and english.questions == 30
    assert english.mean < norwegian.mean
    assert norwegian.mean == pytest.approx(float(np.mean(np.cos(angles[:30]))), abs=1e-6)
    # A language the bank does not have (or too few of) is read on the pooled scale.
    assert found.for_language("de") is found
    few = calibrate(store, queries, ["nb"] * 55 + ["en"] * 5)
    assert few.for_language("en") is few


def test_a_question_is_read_on_the_scale_of_its_language(tmp_path: Path) -> None:
    searcher, calibration = _published(tmp_path)
    assert set(calibration.languages) == {"no", "en"}
    assert calibration.languages["no"].questions == sum(1 for lang, _ in bank() if lang != "en")
    english = searcher.retrieve("Which clusters build international networks?", 3)
    norwegian = searcher.retrieve("Hvilke klynger bygger internasjonale nettverk?", 3)
    assert english.calibration == calibration.languages["en"]
    assert norwegian.calibration == calibration.languages["no"]
