"""The assistant: retrieve, answer or check, and say what was done."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import replace
from typing import Protocol

from assistant.answer import Answer, ClaimResult, Draft
from assistant.extractive import Said
from assistant.followup import Pages, follow_up, read_on
from assistant.llm import LLM, Message
from assistant.summary import Summarizer, document_answer, overview_answer, summary_answer
from assistant.summary_request import summary_request
from index.analyzer import Analyzer
from index.language import detect_language
from index.search import Retrieval
from index.sentences import split_sentences

# A "claim" shorter than this many words is a heading or a fragment, not a claim.
_MIN_CLAIM_WORDS = 4


class Retriever(Pages, Protocol):
    def retrieve(self, query: str, k: int = 10) -> Retrieval: ...


class Answerer(Protocol):
    """Answers from retrieved passages; `stream` yields drafts, then the final Answer."""

    @property
    def name(self) -> str: ...

    def stream(
        self, question: str, retrieval: Retrieval, lang: str, given: Collection[str] = ()
    ) -> Iterator[Draft | Answer]:
        """`given`: what earlier answers said, not to be said again ("what else")."""
        ...


class ClaimChecker(Protocol):
    @property
    def name(self) -> str: ...

    def check(self, claim: str, retrieval: Retrieval) -> ClaimResult: ...


class Assistant:
    def __init__(
        self,
        retriever: Retriever,
        answerer: Answerer,
        claims: ClaimChecker,
        summarizer: Summarizer,
        *,
        k: int = 6,
        llm: LLM | None = None,
        analyzer: Analyzer | None = None,
        default_lang: str = "en",
    ) -> None:
        self._retriever = retriever
        self._summarizer = summarizer
        self._answerer = answerer
        self._claims = claims
        self._k = k
        self._llm = llm
        self._analyzer = analyzer or Analyzer()
        self._default_lang = default_lang

    @property
    def backend(self) -> str:
        return self._answerer.name

    @property
    def retriever(self) -> Retriever:
        return self._retriever

    @property
    def summarizer(self) -> Summarizer:
        return self._summarizer

    def ask(self, question: str, history: Sequence[Message] = (), k: int | None = None) -> Answer:
        final = None
        for event in self.ask_stream(question, history, k):
            if isinstance(event, Answer):
                final = event
        assert final is not None
        return final

    def ask_stream(
        self, question: str, history: Sequence[Message] = (), k: int | None = None
    ) -> Iterator[Draft | Answer]:
        """Drafts while a model writes, then the final, checked answer."""
        request = summary_request(question)
        if request is not None:
            # "Oppsummer rapporten", "What did Berkowitz argue?": quoted, cited main points.
            lang = detect_language(question, default=self._default_lang)
            section = self._section(request.section) if request.section else None
            summary = summary_answer(question, request, self._summarizer, lang, section)
            if summary is not None:
                yield from summary
                return
        asked = follow_up(question, history, self._analyzer, self._llm)
        query = asked.standalone
        # "What else?" says too little to tell its language; the question it stands for does.
        lang = detect_language(
            question,
            default=self._default_lang
            if query == question
            else detect_language(query, default=self._default_lang),
        )
        retrieval = self._retriever.retrieve(query, k or self._k)
        # "What else": the sentences earlier answers quoted are not quoted again, and the
        # passages they came from are read on.
        given = [m.content for m in history if m.role == "assistant"] if asked.more else []
        if given:
            retrieval = read_on(retrieval, Said.of(given).holds, self._retriever)
        for event in self._answerer.stream(query, retrieval, lang, given):
            if isinstance(event, Answer):
                event = replace(
                    event, question=question, standalone=query if query != question else None
                )
            yield event

    def summarize_stream(
        self, question: str, doc_id: str | None, lang: str
    ) -> Iterator[Draft | Answer]:
        """One source's summary as an answer to `question` (drafts first, while a model
        writes), or with no `doc_id` the overview of all sources; UnknownDocumentError."""
        if doc_id is None:
            yield overview_answer(question, self._summarizer, lang)
        else:
            yield from document_answer(question, self._summarizer, lang, doc_id)

    def _section(self, words: str) -> tuple[str, str] | None:
        """The document and heading of the section `words` are about: a heading among the
        best passages' pages that holds them ("Deltakere:"), else the section of the best
        passage's best sentence (across languages: "participants")."""
        retrieval = self._retriever.retrieve(words, self._k)
        wanted = words.casefold()
        for hit in retrieval.hits:
            layout = retrieval.layout(hit)
            for heading in layout.headings if layout else ():
                if wanted in heading.text.casefold():
                    return hit.chunk.doc_id, heading.text
        for hit in retrieval.hits:
            layout = retrieval.layout(hit)
            best = max(hit.sentences, key=lambda s: s.score, default=None)
            if layout is None or best is None:
                continue
            offset = hit.chunk.start + best.start
            # A heading line matches its own words best and says nothing to summarise.
            if any(h.start <= offset < h.end for h in layout.headings):
                continue
            under = layout.heading_of(offset)
            if under is not None:
                return hit.chunk.doc_id, under.text
        return None

    def check(self, text: str) -> list[ClaimResult]:
        """A verdict for each claim in `text` (one sentence, or a paragraph of them)."""
        return [
            self._claims.check(claim, self._retriever.retrieve(claim, self._k))
            for claim in split_claims(text)
        ]


def split_claims(text: str) -> list[str]:
    sentences = [" ".join(text[a:b].split()) for a, b in split_sentences(text)]
    claims = [s for s in sentences if len(s.split()) >= _MIN_CLAIM_WORDS]
    return claims or ([" ".join(text.split())] if text.strip() else [])
