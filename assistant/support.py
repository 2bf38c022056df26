"""Does a sentence say what the passages it cites say? Similarity plus literal facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.facts import facts_of
from index.embedder import Embedder
from index.sentences import split_sentences

# On multilingual-e5-small's scale: a sentence and its source paraphrase or
# translation score above this; unrelated statements of the same corpus below.
SUPPORTED_AT = 0.83


@dataclass(frozen=True)
class Support:
    score: float  # 0..1
    supported: bool
    best: tuple[int, int, int] | None  # (passage index, start, end) of the closest sentence
    problem: str | None = None  # e.g. "2010 is not in the cited passages"


class SupportChecker:
    def __init__(self, embedder: Embedder, threshold: float = SUPPORTED_AT) -> None:
        self._embedder = embedder
        self._threshold = threshold

    def check(self, sentence: str, passages: Sequence[str]) -> Support:
        spans = [(i, a, b) for i, text in enumerate(passages) for a, b in split_sentences(text)]
        if not spans:
            return Support(0.0, False, None, "no cited passage")
        texts = [passages[i][a:b] for i, a, b in spans]
        vectors = self._embedder.embed_passages(texts)
        query = self._embedder.embed_query(sentence)
        similarities = vectors @ query
        best = int(np.argmax(similarities))
        similarity = float(similarities[best])
        problem = _fact_problem(sentence, passages)
        supported = similarity >= self._threshold and problem is None
        score = max(0.0, min(1.0, (similarity - 0.75) / 0.2)) * (0.5 if problem else 1.0)
        return Support(score, supported, spans[best], problem)


def _fact_problem(sentence: str, passages: Sequence[str]) -> str | None:
    stated = facts_of(sentence).all_numbers()
    known = (
        frozenset().union(*(facts_of(p).all_numbers() for p in passages))
        if passages
        else frozenset()
    )
    missing = sorted(stated - known)
    return f"{', '.join(missing)} is not in the cited passages" if missing else None
