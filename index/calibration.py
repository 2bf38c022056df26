"""How questions a corpus cannot answer score on it, measured when its index is published.

Similarities are on each embedder's own scale, and on one corpus an unrelated
question's best match scores higher the larger and broader the corpus is: no
absolute threshold holds across models and corpora. So when an index is
published, a bank of everyday questions that a document collection does not
answer (bokmål, nynorsk and English, shipped with kilde in
index/data/offtopic-bank.txt) is searched against it. The mean and spread of
their best similarities are kept in the manifest, and a question's best
similarity is read as standard deviations above that: `standardise`.

Measured on the bundled report (33 chunks) and on 282 NorQuAD articles with
the report (1,603 chunks): the bank's best similarities were 0.803 ± 0.022 and
0.834 ± 0.025, while answerable questions scored a median 3.2 and 2.2
deviations above them.

A question in another language than the corpus matches it less closely, answerable
or not: on the articles the bank's English questions reached 0.811 ± 0.016 and its
Norwegian ones 0.848 ± 0.018. So each language of the bank also gets its own mean
and spread (`for_language`), and a question is read on the scale of its language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from index.embedder import Embedder, Vectors
from index.embedding_cache import EmbeddingCache, cache_key
from index.vector_store import VectorStore

BANK_FILE = "offtopic-bank.txt"


# Bank languages read as one: bokmål and nynorsk questions score alike on a corpus.
_LANGUAGE_OF = {"nb": "no", "nn": "no", "no": "no", "en": "en"}
# A language needs this many bank questions for a mean and spread of its own.
_MIN_QUESTIONS = 30


@dataclass(frozen=True)
class Calibration:
    questions: int  # bank questions searched
    mean: float  # of their best similarity in this corpus
    spread: float  # standard deviation of the same
    # The same per language of the question ("no", "en").
    languages: dict[str, Calibration] = field(default_factory=dict)

    def for_language(self, lang: str) -> Calibration:
        """The scale a question in `lang` is read on (the pooled one for other languages)."""
        return self.languages.get(_LANGUAGE_OF.get(lang, lang), self)

    def standardise(self, similarity: float) -> float:
        """How many spreads `similarity` lies above what unanswerable questions score."""
        return (similarity - self.mean) / self.spread

    def similarity_at(self, deviations: float) -> float:
        """The similarity that lies `deviations` spreads above the unanswerable mean."""
        return self.mean + deviations * self.spread

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibration:
        return cls(
            int(data["questions"]),
            float(data["mean"]),
            float(data["spread"]),
            {k: cls.from_json(v) for k, v in data.get("languages", {}).items()},
        )


# What a searcher without a manifest, or a corpus without vectors, reads similarities on.
UNCALIBRATED = Calibration(0, 0.0, 1.0)


def bank() -> list[tuple[str, str]]:
    """The shipped bank as (language, question): one `lang<TAB>question` per line, # for
    comments."""
    text = resources.files("index").joinpath("data", BANK_FILE).read_text(encoding="utf-8")
    return [
        (lang.strip(), question.strip())
        for lang, question in (
            line.split("\t", 1)
            for line in text.splitlines()
            if line.strip() and not line.startswith("#") and "\t" in line
        )
    ]


def calibrate(store: VectorStore, queries: Vectors, langs: Sequence[str] = ()) -> Calibration:
    """The calibration of `store` from the bank's query vectors (one row per question) and,
    when given, each question's language."""
    if len(store) == 0 or len(queries) == 0:
        return UNCALIBRATED
    # One search for the whole bank: a matrix product, not hundreds of scans.
    return calibration_of(store.search_many(queries, 1)[0][:, 0], langs)


def calibration_of(best: npt.NDArray[np.float32], langs: Sequence[str] = ()) -> Calibration:
    """The calibration from each bank question's best similarity in the corpus."""
    if len(best) == 0:
        return UNCALIBRATED
    scores = np.asarray(best, dtype=np.float64)
    groups: dict[str, list[float]] = {}
    for lang, score in zip(langs, scores.tolist(), strict=False):
        groups.setdefault(_LANGUAGE_OF.get(lang, lang), []).append(score)
    languages = {
        lang: _measured(np.array(found))
        for lang, found in groups.items()
        if len(found) >= _MIN_QUESTIONS
    }
    return replace(_measured(scores), languages=languages)


class BestScores:
    """Each bank question's best similarity over vectors seen a part at a time: what an
    exact search of the finished store would find, without holding the store."""

    # Rows multiplied at once: 1,024 x 414 questions is 1.7 MB of scores.
    _ROWS = 1024

    def __init__(self, queries: Vectors) -> None:
        self._queries = np.ascontiguousarray(queries, dtype=np.float32)
        self.seen = 0
        self._best = np.full(len(queries), -np.inf, dtype=np.float32)

    def add(self, vectors: Vectors) -> None:
        for start in range(0, len(vectors), self._ROWS):
            scores = vectors[start : start + self._ROWS] @ self._queries.T
            if len(scores):
                np.maximum(self._best, scores.max(axis=0), out=self._best)
        self.seen += len(vectors)

    def calibration(self, langs: Sequence[str] = ()) -> Calibration:
        if self.seen == 0 or len(self._queries) == 0:
            return UNCALIBRATED
        return calibration_of(self._best, langs)


def _measured(best: npt.NDArray[np.float64]) -> Calibration:
    # Only a corpus of one repeated text could give no spread at all.
    return Calibration(len(best), float(best.mean()), max(float(best.std()), 1e-6))


def embed_queries(embedder: Embedder, cache: EmbeddingCache, questions: Sequence[str]) -> Vectors:
    """Query vectors for `questions`, from the embedding cache where it has them."""
    model = f"{embedder.name}#query"
    known = cache.get(model, questions)
    missing = [q for q in dict.fromkeys(questions) if cache_key(q) not in known]
    if missing:
        vectors = np.stack([embedder.embed_query(q) for q in missing])
        cache.put(model, missing, vectors)
        known.update((cache_key(q), v) for q, v in zip(missing, vectors, strict=True))
    return np.stack([known[cache_key(q)] for q in questions])
