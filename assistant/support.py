"""Does a sentence say what the passages it cites say? Similarity plus literal facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.facts import (
    facts_of,
    kind_missing,
    negation_differs,
    office_differs,
    opposed_poles,
    pole_word,
)
from assistant.names import found, tokens
from index.calibration import Calibration
from index.embedder import Embedder, Vectors
from index.frequency import wordfreq_language
from index.language import detect_language
from index.sentences import split_sentences

# In calibration spreads above what unanswerable questions reach on the corpus
# (index/calibration.py): a sentence and its source paraphrase or translation score
# above this; unrelated statements of the same corpus below. Equal to the former
# 0.83 on the report with multilingual-e5-small (bank mean 0.803, spread 0.022).
SUPPORTED_AT = 1.25


def support_threshold(calibration: Calibration) -> float:
    """The similarity a sentence needs to its source on a corpus with this calibration."""
    return calibration.similarity_at(SUPPORTED_AT)


def support_thresholds(calibration: Calibration) -> dict[str, float]:
    """The same for sentences in each language the calibration knows: an English sentence
    matches its Norwegian source less closely than a Norwegian one would."""
    return {lang: support_threshold(c) for lang, c in calibration.languages.items()}


@dataclass(frozen=True)
class Support:
    score: float  # 0..1
    supported: bool
    best: tuple[int, int, int] | None  # (passage index, start, end) of the closest sentence
    problem: str | None = None  # e.g. "2010 is not in the cited passages"


class SupportChecker:
    """Stateless and thread-safe; `session()` gives the checks of one answer a memory."""

    def __init__(
        self,
        embedder: Embedder,
        threshold: float,
        by_language: Mapping[str, float] | None = None,
    ) -> None:
        self._embedder = embedder
        self._threshold = threshold
        # A sentence in one of these languages ("no", "en") needs its own threshold.
        self._by_language = dict(by_language or {})

    def check(self, sentence: str, passages: Sequence[str]) -> Support:
        return self.session().check(sentence, passages)

    def session(self) -> SupportSession:
        return SupportSession(self._embedder, self._threshold, self._by_language)


class SupportSession:
    """The checks of one answer: each distinct text is embedded (and split) once.

    An answer checks every sentence against the passages it cites, and every
    citation against its passage again, so the same passage sentences and answer
    sentences come back many times; the embedder (behind one lock) sees each once.
    Bounded by the answer's passages; not for sharing between threads.
    """

    def __init__(
        self, embedder: Embedder, threshold: float, by_language: Mapping[str, float]
    ) -> None:
        self._embedder = embedder
        self._threshold = threshold
        self._by_language = by_language
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._numbers: dict[str, frozenset[str]] = {}
        self._passage_vectors: dict[str, Vectors] = {}
        self._query_vectors: dict[str, Vectors] = {}

    def check(self, sentence: str, passages: Sequence[str]) -> Support:
        spans = [(i, a, b) for i, text in enumerate(passages) for a, b in self._split(text)]
        if not spans:
            return Support(0.0, False, None, "no cited passage")
        vectors = self._embed_passages([passages[i][a:b] for i, a, b in spans])
        similarities = vectors @ self._embed_query(sentence)
        best = int(np.argmax(similarities))
        similarity = float(similarities[best])
        i, a, b = spans[best]
        problem = self._fact_problem(sentence, passages, passages[i][a:b])
        threshold = self._threshold_for(sentence)
        supported = similarity >= threshold and problem is None
        # 0 well below the threshold, 1 well above it (one threshold's distance from 0).
        score = max(0.0, min(1.0, similarity / (2 * threshold))) if threshold else 0.0
        score *= 0.5 if problem else 1.0
        return Support(score, supported, spans[best], problem)

    def _threshold_for(self, sentence: str) -> float:
        if not self._by_language:
            return self._threshold
        return self._by_language.get(detect_language(sentence), self._threshold)

    def _split(self, text: str) -> list[tuple[int, int]]:
        if text not in self._spans:
            self._spans[text] = split_sentences(text)
        return self._spans[text]

    def _embed_passages(self, texts: Sequence[str]) -> Vectors:
        missing = list(dict.fromkeys(t for t in texts if t not in self._passage_vectors))
        if missing:
            vectors = self._embedder.embed_passages(missing)
            self._passage_vectors.update(zip(missing, vectors, strict=True))
        return np.stack([self._passage_vectors[t] for t in texts])

    def _embed_query(self, text: str) -> Vectors:
        if text not in self._query_vectors:
            self._query_vectors[text] = self._embedder.embed_query(text)
        return self._query_vectors[text]

    def _fact_problem(self, sentence: str, passages: Sequence[str], best: str) -> str | None:
        """What the sentence states that the cited passages do not, aligned as a claim is
        (assistant/claims.py): its numbers, names and words of a kind must be there, and
        the closest passage sentence must not say the opposite."""
        stated = facts_of(sentence).all_numbers()
        known: frozenset[str] = frozenset().union(*(self._known(p) for p in passages))
        cited = "\n".join(passages)
        # A sentence too short to tell is read in its source's language.
        source_lang = detect_language(best, default="und")
        lang = detect_language(sentence, default=source_lang)
        same_language = lang == source_lang
        across = None if same_language else wordfreq_language(lang)
        source = tokens(cited)
        missing = [
            *sorted(stated - known),
            *kind_missing(sentence, cited),
            *dict.fromkeys(
                w
                for w, name in tokens(sentence, across=across)
                if name and not w.isdigit() and not found(w, source, same_language)
            ),
        ]
        if missing:
            return f"{', '.join(missing)} is not in the cited passages"
        opposed = opposed_poles(facts_of(sentence), facts_of(best))
        if opposed:
            ours, theirs = pole_word(opposed[0][0], sentence), pole_word(opposed[0][1], best)
            return f"the source says '{theirs}', not '{ours}'"
        office = office_differs(sentence, best)
        if office is not None:
            return f"the source says '{office[1]}', not '{office[0]}'"
        if same_language and negation_differs(sentence, best):
            return "the source says the opposite"
        return None

    def _known(self, passage: str) -> frozenset[str]:
        if passage not in self._numbers:
            self._numbers[passage] = facts_of(passage).all_numbers()
        return self._numbers[passage]
