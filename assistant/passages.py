"""Sentences of retrieved passages, placed on their page and scored against the query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer import Citation, Evidence
from index.analyzer import Analyzer
from index.hit import Hit
from index.sentences import split_sentences

# A line without a full stop is more often a heading or a caption than an answer,
# and one ending in a colon only announces what follows.
_HEADING_PENALTY = 0.01
_LEAD_IN_PENALTY = 0.03


@dataclass(frozen=True)
class ScoredSentence:
    hit: Hit
    rank: int  # the passage's rank, 1-based
    start: int  # offsets into the page text
    end: int
    similarity: float  # the dense retriever's similarity of this sentence to the query
    score: float  # for ranking sentences: similarity, passage context, shared words

    @property
    def text(self) -> str:
        return self.hit.chunk.text[
            self.start - self.hit.chunk.start : self.end - self.hit.chunk.start
        ]

    def citation(self, n: int) -> Citation:
        """This sentence quoted as marker [n]."""
        chunk = self.hit.chunk
        return Citation(
            n,
            chunk.doc_id,
            self.hit.title,
            self.hit.url,
            chunk.page,
            self.text,
            self.start,
            self.end,
            chunk.id,
            chunk.text,
        )

    def evidence(self) -> Evidence:
        chunk = self.hit.chunk
        return Evidence(
            chunk.doc_id, self.hit.title, self.hit.url, chunk.page, self.text, self.start, self.end
        )

    @property
    def key(self) -> tuple[str, int, int]:
        """Where on which page: the same sentence in two overlapping chunks has one key."""
        return (self.hit.chunk.doc_id, self.hit.chunk.page, self.start)


Words = Sequence[tuple[tuple[str, ...], float]]


def scored_sentences(
    hits: Sequence[Hit],
    passages: int,
    *,
    words: Words = (),
    analyzer: Analyzer | None = None,
    lexical_weight: float = 0.0,
) -> list[ScoredSentence]:
    """Every sentence of the first `passages` hits, best first, each page position once.

    A sentence's score is the mean of its own similarity and its passage's
    (a sentence rarely answers alone what its paragraph answers), plus up to
    `lexical_weight` for the idf-weighted share of the query's words it
    contains (names and rare words decide between sentences that mean much
    the same), less a little for a heading. A short sentence the retriever
    did not embed takes its passage's similarity less a little.
    """
    found: dict[tuple[str, int, int], ScoredSentence] = {}
    for rank, hit in enumerate(hits[:passages], start=1):
        base = hit.dense_score if hit.dense_score is not None else 0.0
        scored = {(s.start, s.end): s.score for s in hit.sentences}
        spans = split_sentences(hit.chunk.text)
        for start, end in spans:
            text = hit.chunk.text[start:end]
            similarity = scored.get((start, end), base if len(spans) == 1 else base - 0.05)
            score = (similarity + base) / 2 - _heading_penalty(text)
            if words and analyzer is not None:
                score += lexical_weight * _shared(words, set(analyzer.terms(text, "und")))
            sentence = ScoredSentence(
                hit, rank, hit.chunk.start + start, hit.chunk.start + end, similarity, score
            )
            if sentence.key not in found or found[sentence.key].score < score:
                found[sentence.key] = sentence
    return sorted(found.values(), key=lambda s: (-s.score, s.rank, s.start))


def by_similarity(sentences: Sequence[ScoredSentence]) -> list[ScoredSentence]:
    return sorted(sentences, key=lambda s: (-s.similarity, s.rank, s.start))


def _shared(words: Words, terms: set[str]) -> float:
    total = sum(weight for _, weight in words)
    found = sum(weight for forms, weight in words if any(f in terms for f in forms))
    return found / total if total else 0.0


def _heading_penalty(text: str) -> float:
    stripped = text.rstrip()
    if stripped.endswith(":"):
        return _LEAD_IN_PENALTY
    return 0.0 if stripped.endswith((".", "!", "?", "»", "”", ")")) else _HEADING_PENALTY
