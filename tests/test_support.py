"""SupportChecker: the checks of one answer embed each distinct text once, same verdicts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from assistant.answer import Answer
from assistant.extractive import ExtractiveAnswerer
from assistant.generative import LLMAnswerer
from assistant.llm import Message
from assistant.support import (
    SUPPORTED_AT,
    Support,
    SupportChecker,
    support_threshold,
    support_thresholds,
)
from index.calibration import Calibration
from index.chunk import Chunk
from index.embedder import HashEmbedder, Vectors
from index.hit import Hit
from index.search import Retrieval
from index.sentences import split_sentences

REPORT = (
    "Clusters matter for regional innovation in Norway. "
    "Firms in clusters share knowledge and workers. "
    "The report counts 42 clusters."
)
EU = (
    "Smart specialisation began in the EU in 2010. "
    "It spread to Norwegian regions later. "
    "Clusters matter there too."  # also a sentence of nothing else: distinct per passage
)


class CountingEmbedder:
    """A real HashEmbedder, counting every text it is asked to embed."""

    def __init__(self) -> None:
        self._inner = HashEmbedder(dim=256)
        self.name = self._inner.name
        self.dim = self._inner.dim
        self.passages: Counter[str] = Counter()
        self.queries: Counter[str] = Counter()

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        self.passages.update(texts)
        return self._inner.embed_passages(texts)

    def embed_query(self, text: str) -> Vectors:
        self.queries[text] += 1
        return self._inner.embed_query(text)


class ScriptedLLM:
    name = "scripted"

    def __init__(self, reply: str) -> None:
        self._reply = reply

    def stream(self, messages: Sequence[Message], *, max_tokens: int) -> Iterator[str]:
        yield self._reply


def hit(doc_id: str, text: str) -> Hit:
    chunk = Chunk(Chunk.make_id(doc_id, 1, 0, len(text)), doc_id, 1, 0, len(text), text, "en")
    return Hit(chunk, 1.0, 1, 1, doc_id, None, "pdf", dense_score=0.9)


def sentences_of(*texts: str) -> set[str]:
    return {t[a:b] for t in texts for a, b in split_sentences(t)}


def answer(reply: str, embedder: CountingEmbedder) -> Answer:
    answerer = LLMAnswerer(
        ScriptedLLM(reply), SupportChecker(embedder, threshold=0.3), ExtractiveAnswerer()
    )
    return answerer.answer(
        "What do clusters do?", Retrieval([hit("report", REPORT), hit("eu", EU)], 5.0), "en"
    )


REPLY = (
    "Clusters matter for innovation [1]. "
    "Firms share knowledge and workers [1][2]. "
    "Smart specialisation began in 2010 [2]. "
    "There are 42 clusters [1, 2]."
)


def test_an_answer_embeds_each_distinct_sentence_once() -> None:
    embedder = CountingEmbedder()
    result = answer(REPLY, embedder)

    assert len(result.citations) == 6  # both passages cited again and again
    assert set(embedder.passages) == sentences_of(REPORT, EU)
    assert sum(embedder.passages.values()) == len(sentences_of(REPORT, EU))
    assert sum(embedder.queries.values()) == len(embedder.queries) == len(result.sentences)


def test_each_answer_has_its_own_memory() -> None:
    embedder = CountingEmbedder()
    answer(REPLY, embedder)
    answer(REPLY, embedder)
    assert set(embedder.passages.values()) == {2}


class ForgetfulChecker(SupportChecker):
    """The checker as it was: every check embeds its passages and sentence anew."""

    def session(self) -> Any:
        checker = self

        class Forgetful:
            def check(self, sentence: str, passages: Sequence[str]) -> Support:
                return SupportChecker.session(checker).check(sentence, passages)

        return Forgetful()


def test_an_answer_is_the_same_as_with_fresh_checks() -> None:
    question = "What do clusters do?"
    hits = Retrieval([hit("report", REPORT), hit("eu", EU)], 5.0)
    forgetful = CountingEmbedder()
    before = LLMAnswerer(
        ScriptedLLM(REPLY), ForgetfulChecker(forgetful, threshold=0.3), ExtractiveAnswerer()
    )
    assert answer(REPLY, CountingEmbedder()) == before.answer(question, hits, "en")
    assert sum(forgetful.passages.values()) > 5 * len(sentences_of(REPORT, EU))


def test_a_session_gives_the_verdicts_of_separate_checks() -> None:
    checker = SupportChecker(HashEmbedder(dim=256), threshold=0.3)
    session = checker.session()
    cases = [
        ("Clusters matter for innovation.", [REPORT]),
        ("Clusters matter for innovation.", [REPORT, EU]),
        ("Smart specialisation began in 2012.", [EU]),
        ("Smart specialisation began in 2010.", [EU, REPORT]),
        ("There are 42 clusters.", [REPORT, EU]),
        ("Nothing cited.", []),
        ("Clusters matter for innovation.", [REPORT]),
    ]
    for sentence, passages in cases:
        assert session.check(sentence, passages) == checker.check(sentence, passages)


def test_the_same_sentence_in_two_passages_keeps_the_first_place() -> None:
    checker = SupportChecker(HashEmbedder(dim=256), threshold=0.3)
    support = checker.session().check(
        "Clusters matter there too.", [EU, "Clusters matter there too."]
    )
    assert support.best == (0, EU.index("Clusters matter there"), len(EU))


def test_a_sentence_is_held_to_the_threshold_of_its_language() -> None:
    english = "Clusters matter for innovation in every region we studied."
    norwegian = "Klynger er viktige for innovasjon i alle regionene vi har studert."
    checker = SupportChecker(HashEmbedder(dim=256), 0.3, {"en": 1.01})
    # Each sentence is its own source (similarity 1): only the English bar is out of reach.
    assert not checker.check(english, [english]).supported
    assert checker.check(norwegian, [norwegian]).supported


def test_each_language_of_the_calibration_has_its_support_threshold() -> None:
    calibration = Calibration(
        414,
        0.834,
        0.025,
        {"no": Calibration(254, 0.848, 0.018), "en": Calibration(160, 0.811, 0.016)},
    )
    thresholds = support_thresholds(calibration)
    assert thresholds["en"] == pytest.approx(0.811 + SUPPORTED_AT * 0.016)
    assert thresholds["no"] == pytest.approx(0.848 + SUPPORTED_AT * 0.018)
    assert thresholds["en"] < support_threshold(calibration) < thresholds["no"]
