"""Answers without a model: the retrieved sentences that best answer the question, cited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.answer import Answer, AnswerSentence
from assistant.passages import ScoredSentence, scored_sentences
from assistant.texts import (
    CROSS_LINGUAL,
    NOT_ANSWERED,
    UNSURE,
    UNSURE_CROSS_LINGUAL,
    text_for,
)
from index.analyzer import Analyzer
from index.search import Retrieval

# Relevance is the best similarity plus its margin over the median, on
# multilingual-e5-small's scale. Measured on the report: answerable questions
# score 0.86-1.0, off-topic ones 0.81-0.89. Below MIN_RELEVANCE the sources are
# taken not to answer; below CLEAR_RELEVANCE the answer says it may not.
MIN_RELEVANCE = 0.855
CLEAR_RELEVANCE = 0.895
# The most a sentence gains for containing all of the question's words.
LEXICAL_WEIGHT = 0.15
_MIN_SENTENCE = 25


@dataclass(frozen=True)
class ExtractiveAnswerer:
    """Picks up to `max_sentences` sentences within `margin` of the best one.

    Near-duplicates are left out, sentences keep their order within a
    document, and each is quoted verbatim with its page: it never invents.
    """

    analyzer: Analyzer = field(default_factory=Analyzer)
    passages: int = 4
    max_sentences: int = 3
    margin: float = 0.03
    min_relevance: float = MIN_RELEVANCE
    clear_relevance: float = CLEAR_RELEVANCE
    lexical: float = LEXICAL_WEIGHT
    name: str = "extractive"

    def stream(self, question: str, retrieval: Retrieval, lang: str) -> Iterator[Answer]:
        yield self.answer(question, retrieval, lang)

    def answer(self, question: str, retrieval: Retrieval, lang: str) -> Answer:
        scored = scored_sentences(
            retrieval.hits,
            self.passages,
            words=retrieval.words,
            analyzer=self.analyzer,
            lexical_weight=self.lexical * retrieval.coverage,
        )
        candidates = [s for s in scored if len(s.text) >= _MIN_SENTENCE]
        if not candidates or retrieval.relevance < self.min_relevance:
            return not_answered(question, retrieval, lang, self.name)
        chosen = self._choose(candidates)
        citations = tuple(s.citation(n) for n, s in enumerate(chosen, start=1))
        source_lang = _majority([s.hit.chunk.lang for s in chosen])
        header = CROSS_LINGUAL.get((lang, source_lang))
        quote = "«{}»" if header else "{}"
        if retrieval.relevance < self.clear_relevance:
            header = UNSURE_CROSS_LINGUAL.get((lang, source_lang)) or text_for(UNSURE, lang)
        parts = [f"{quote.format(c.quote)} [{c.n}]" for c in citations]
        # Verbatim: escaping for display (no links, images or HTML) is the renderer's job.
        text = (header + "\n" if header else "") + " ".join(parts)
        sentences = tuple(AnswerSentence(c.quote, (c.n,), True, 1.0) for c in citations)
        return Answer(
            question,
            text,
            self.name,
            citations,
            sentences,
            True,
            tuple(retrieval.hits),
            lang=lang,
        )

    def _choose(self, candidates: list[ScoredSentence]) -> list[ScoredSentence]:
        best = candidates[0]
        chosen = [best]
        for candidate in candidates[1:]:
            if len(chosen) >= self.max_sentences or candidate.score < best.score - self.margin:
                break
            if _lead_in(candidate.text) or any(_redundant(candidate.text, c.text) for c in chosen):
                continue
            chosen.append(candidate)
        documents = list(dict.fromkeys(s.hit.chunk.doc_id for s in chosen))
        return sorted(
            chosen, key=lambda s: (documents.index(s.hit.chunk.doc_id), s.hit.chunk.page, s.start)
        )


def not_answered(question: str, retrieval: Retrieval, lang: str, backend: str) -> Answer:
    return Answer(
        question,
        text_for(NOT_ANSWERED, lang),
        backend,
        answered=False,
        closest=tuple(retrieval.hits),
        lang=lang,
    )


def _lead_in(text: str) -> bool:
    """A heading or a line announcing a list: worth quoting only as the best match."""
    stripped = text.rstrip()
    return stripped.endswith(":") or (len(stripped) < 60 and not stripped.endswith((".", "?", "!")))


def _redundant(a: str, b: str) -> bool:
    words_a, words_b = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(words_a & words_b) / max(1, min(len(words_a), len(words_b))) >= 0.7


def _majority(langs: list[str]) -> str:
    known = [x for x in langs if x in ("no", "en")]
    return max(set(known), key=known.count) if known else "und"
