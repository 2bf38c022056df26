"""Summaries without a model: a document's salient sentences, verbatim and cited.

A sentence is salient when it shares the document's most telling words (its
tf-idf similarity to the document as a whole), when it leads the document, when
it opens a line or is one (where a point is made) and, most of all, when it
stands in the document's own conclusions ("Noen hovedkonklusjoner", "Conclusions", "Key findings",
"Hovedbudskap"): a report that states its main points is summarised by them.
Near-repeats are left out, no section gives more than its share unless it is
the conclusions, and the sentences keep their document order. It never invents:
every sentence is a span of its page, cited with its page or section.

With no document named, the overview gives each source one or two such
sentences, grouped by kind: the report, the documents (PDFs), the pages.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Protocol

from assistant.answer import Answer, AnswerSentence, Citation, Draft
from assistant.summary_request import SummaryRequest, document_words
from assistant.texts import CROSS_LINGUAL, NOT_ANSWERED, text_for
from index.analyzer import Analyzer
from index.chunk import Chunk
from index.search import DocInfo
from index.sections import Heading, PageLayout, cited_place
from index.sentences import split_sentences

# What a document's own conclusions are called, in its headings.
_CONCLUSIONS = re.compile(
    r"konklu|conclu|oppsummer|sammendrag|summary|key findings|hovedfunn|hovedbudskap|"
    r"hovedpunkt|main points|anbefaling|recommendation|takeaway",
    re.IGNORECASE,
)
# A sentence counts this much more in the conclusions, when it opens a line (a point, a
# paragraph) and when it is a line of its own (a point stated: "Kompetanse blir stadig
# viktigere.").
_CONCLUSION_WEIGHT = 2.0
_OPENS_LINE = 1.3
_OWN_LINE = 1.6
# A document's first sentences lead (a news article's lead says what it is about).
_LEAD = 1.5
_LEAD_SENTENCES = 2
# ... and most when that line is short: a point's own heading sentence.
_POINT = 2.5
_POINT_CHARS = 90
# Shorter than this is a fragment or a caption; longer, a paragraph the splitter missed.
_MIN_CHARS, _MAX_CHARS = 25, 400
# Sentences sharing this much of their words (Jaccard) say the same.
_SAME = 0.5
# Outside the conclusions, no section gives more than this share of the sentences.
_SECTION_SHARE = 0.25
# The order of the overview's groups.
_KINDS = ("text", "markdown", "pdf", "html")


class Corpus(Protocol):
    """What a summary reads: the documents, their chunks, page texts and page layouts (an
    index's HybridSearcher)."""

    @property
    def chunks(self) -> Sequence[Chunk]: ...

    @property
    def documents(self) -> Mapping[str, DocInfo]: ...

    @property
    def analyzer(self) -> Analyzer: ...

    def page_text(self, doc_id: str, page: int) -> str | None: ...

    def layout(self, doc_id: str, page: int) -> PageLayout: ...


class Summarizer(Protocol):
    """Writes cited summaries: ExtractiveSummarizer (quotes) or a model's (LLMSummarizer)."""

    @property
    def sources(self) -> Mapping[str, DocInfo]: ...

    def sections_naming(self, name: str) -> list[str]: ...

    def overview(self, per_document: int = 1, limit: int | None = None) -> list[Summary]: ...

    def summaries(
        self, doc_ids: Sequence[str], sentences: int | None = None, lang: str = "en"
    ) -> list[Summary]: ...

    def stream(
        self, doc_id: str, sentences: int, *, section: str = "", lang: str = "en"
    ) -> Iterator[Draft | Summary]: ...


class UnknownDocumentError(ValueError):
    """A document id the corpus does not have; the message lists the ones it has."""


@dataclass(frozen=True)
class SummarySentence:
    text: str
    citations: tuple[int, ...]
    supported: bool = True  # verbatim: its citation says it

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations), "supported": self.supported}


@dataclass(frozen=True)
class Summary:
    doc_id: str
    title: str
    kind: str
    sentences: tuple[SummarySentence, ...]
    citations: tuple[Citation, ...]
    backend: str = "extractive"
    notes: tuple[str, ...] = ()  # what was dropped or set aside, for the reader
    # A model's summary that failed verification and was replaced by the quotes.
    set_aside: str | None = None

    @property
    def text(self) -> str:
        return " ".join(s.text + "".join(f" [{n}]" for n in s.citations) for s in self.sentences)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "kind": self.kind,
            "summary": self.text,
            "citations": [c.to_json() for c in self.citations],
            "sentences": [s.to_json() for s in self.sentences],
            "backend": self.backend,
            "notes": list(self.notes),
            **({"set_aside": self.set_aside} if self.set_aside else {}),
        }


@dataclass(frozen=True)
class _Candidate:
    page: int
    start: int  # offsets into the page text
    end: int
    text: str
    terms: frozenset[str]
    section: Heading | None
    conclusion: bool
    opens: bool  # it starts a line
    alone: bool  # it is its line
    paragraph: int  # which paragraph of its page


class ExtractiveSummarizer:
    def __init__(self, corpus: Corpus) -> None:
        self._corpus = corpus

    @property
    def sources(self) -> Mapping[str, DocInfo]:
        return self._corpus.documents

    def summaries(
        self, doc_ids: Sequence[str], sentences: int | None = None, lang: str = "en"
    ) -> list[Summary]:
        """A summary of each of `doc_ids` (DOCUMENT_SENTENCES each unless `sentences`), or
        with none the overview (OVERVIEW_SENTENCES a source); UnknownDocumentError for an
        id the corpus does not have. Quotes stay in their sources' language, whatever `lang`."""
        self.known(doc_ids)
        if not doc_ids:
            return self.overview(sentences or OVERVIEW_SENTENCES)
        return [self.summarize(d, sentences or DOCUMENT_SENTENCES) for d in doc_ids]

    def summarize(self, doc_id: str, sentences: int = 8, *, section: str = "") -> Summary:
        """The `sentences` most salient sentences of one document (or of its sections whose
        heading holds `section`, a speaker's name); UnknownDocumentError if there is none."""
        chosen = self._chosen(doc_id, sentences, section)
        source = self.sources[doc_id]
        citations = tuple(
            self.cite(n, self._chunk_of(doc_id, c), c.start, c.end)
            for n, c in enumerate(chosen, start=1)
        )
        said = tuple(
            SummarySentence(" ".join(c.text.split()), (n,)) for n, c in enumerate(chosen, start=1)
        )
        return Summary(doc_id, source.title, source.kind, said, citations)

    def stream(
        self, doc_id: str, sentences: int, *, section: str = "", lang: str = "en"
    ) -> Iterator[Draft | Summary]:
        """The summary, at once: quotes need no writing (and no language)."""
        yield self.summarize(doc_id, sentences, section=section)

    def salient_chunks(self, doc_id: str, sentences: int, *, section: str = "") -> list[Chunk]:
        """The chunks holding the `sentences` most salient sentences, in document order:
        what a model summarising the document reads, however long the document is."""
        chosen = self._chosen(doc_id, sentences, section)
        return list({c.id: c for c in (self._chunk_of(doc_id, s) for s in chosen)}.values())

    def cite(self, n: int, chunk: Chunk, start: int, end: int) -> Citation:
        """Citation n of the span `start:end` of `chunk`'s page (offsets into the page)."""
        source = self.sources[chunk.doc_id]
        page_text = self._corpus.page_text(chunk.doc_id, chunk.page) or chunk.text
        return Citation(
            n,
            chunk.doc_id,
            source.title,
            source.url,
            chunk.page,
            page_text[start:end],
            start,
            end,
            chunk.id,
            chunk.text,
            cited_place(source.kind, self._corpus.layout(chunk.doc_id, chunk.page), start),
        )

    def known(self, doc_ids: Sequence[str]) -> None:
        """UnknownDocumentError, listing the documents there are, if one of `doc_ids` is not."""
        unknown = [d for d in doc_ids if d not in self.sources]
        if unknown:
            known = ", ".join(sorted(self.sources)) or "none (run `kilde ingest` first)"
            raise UnknownDocumentError(
                f"no document {', '.join(map(repr, unknown))}; the documents are: {known}"
            )

    def _chosen(self, doc_id: str, sentences: int, section: str) -> list[_Candidate]:
        self.known([doc_id])
        candidates = self._candidates(doc_id)
        if section:
            candidates = [
                c
                for c in candidates
                if c.section is not None and section.casefold() in c.section.text.casefold()
            ]
        # One section asked for has no other sections to share with.
        share = 1.0 if section else _SECTION_SHARE
        return _choose(candidates, _scores(candidates), sentences, share)

    def _chunk_of(self, doc_id: str, candidate: _Candidate) -> Chunk:
        """The chunk a sentence lies in (the chunker keeps sentences whole), or the one it
        starts in."""
        on_page = [c for c in self._chunks[doc_id] if c.page == candidate.page]
        return next(
            (c for c in on_page if c.start <= candidate.start and candidate.end <= c.end),
            min(on_page, key=lambda c: abs(c.start - candidate.start)),
        )

    def sections_naming(self, name: str) -> list[str]:
        """The documents with a section whose heading holds `name` ("Berkowitz")."""
        wanted = name.casefold()
        return [
            doc_id
            for doc_id in self._chunks
            if any(
                wanted in h.text.casefold()
                for page in self._pages(doc_id)
                for h in self._corpus.layout(doc_id, page).headings
            )
        ]

    def overview(self, per_document: int = 1, limit: int | None = None) -> list[Summary]:
        """Each source's most salient sentences (the first `limit` sources), the texts
        first, then PDFs, then pages."""
        order = sorted(
            self.sources, key=lambda d: (_rank(self.sources[d].kind), self.sources[d].title)
        )
        return [self.summarize(doc_id, per_document) for doc_id in order[:limit]]

    @cached_property
    def _chunks(self) -> dict[str, list[Chunk]]:
        """Each document's chunks: the corpus is read once, not once a document."""
        chunks: dict[str, list[Chunk]] = {}
        for chunk in self._corpus.chunks:
            chunks.setdefault(chunk.doc_id, []).append(chunk)
        return chunks

    def _pages(self, doc_id: str) -> list[int]:
        return sorted({c.page for c in self._chunks.get(doc_id, [])})

    def _candidates(self, doc_id: str) -> list[_Candidate]:
        out: list[_Candidate] = []
        for number in self._pages(doc_id):
            text = self._corpus.page_text(doc_id, number) or ""
            layout = self._corpus.layout(doc_id, number)
            spans = {(h.start, h.end) for h in layout.headings}
            conclusions = _conclusion_sections(layout.headings, text)
            for start, end in split_sentences(text):
                sentence = " ".join(text[start:end].split())
                if not _MIN_CHARS <= len(sentence) <= _MAX_CHARS or _is_heading(start, spans):
                    continue
                if "http" in sentence or not sentence.endswith((".", "!", "?", "»", "”")):
                    continue
                heading = layout.heading_of(start)
                terms = frozenset(self._corpus.analyzer.terms(sentence, "und"))
                if terms:
                    out.append(
                        _Candidate(
                            number,
                            start,
                            end,
                            text[start:end],
                            terms,
                            heading,
                            heading in conclusions,
                            *_line(text, start, end),
                            sum(1 for a, _ in layout.paragraphs if a <= start),
                        )
                    )
        return out


def _line(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether the sentence starts its line, and whether it is the whole line."""
    line_end = text.find("\n", end)
    opens = not text[text.rfind("\n", 0, start) + 1 : start].strip()
    return opens, opens and not text[end : line_end if line_end >= 0 else len(text)].strip()


def _rank(kind: str) -> int:
    return _KINDS.index(kind) if kind in _KINDS else len(_KINDS)


def _is_heading(start: int, spans: set[tuple[int, int]]) -> bool:
    return any(a <= start < b for a, b in spans)


def _conclusion_sections(headings: Sequence[Heading], text: str) -> set[Heading]:
    """The headings whose sections hold the document's conclusions: a heading that says
    so, and the subheadings that follow it with no text between ("Noen hovedkonklusjoner
    ...:" then "Overordnet:")."""
    found: set[Heading] = set()
    for i, heading in enumerate(headings):
        if not _CONCLUSIONS.search(heading.text):
            continue
        found.add(heading)
        for before, after in zip(headings[i:], headings[i + 1 :], strict=False):
            if text[before.end : after.start].strip():
                break
            found.add(after)
    return found


def _scores(candidates: Sequence[_Candidate]) -> list[float]:
    """Each sentence's tf-idf similarity to the whole document, weighted for where it is."""
    n = len(candidates)
    frequency = Counter(t for c in candidates for t in c.terms)
    idf = {t: math.log(1 + n / f) for t, f in frequency.items()}
    centroid = {t: frequency[t] * idf[t] for t in frequency}
    norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    scores = []
    for i, c in enumerate(candidates):
        own = math.sqrt(sum(idf[t] ** 2 for t in c.terms)) or 1.0
        similarity = sum(idf[t] * centroid[t] for t in c.terms) / (own * norm)
        weight = (_CONCLUSION_WEIGHT if c.conclusion else 1.0) * (
            (_POINT if len(c.text) <= _POINT_CHARS else _OWN_LINE)
            if c.alone
            else _OPENS_LINE
            if c.opens
            else 1.0
        )
        scores.append(similarity * weight * (_LEAD if i < _LEAD_SENTENCES else 1.0))
    return scores


def _choose(
    candidates: Sequence[_Candidate],
    scores: Sequence[float],
    limit: int,
    share: float = _SECTION_SHARE,
) -> list[_Candidate]:
    """The best `limit`, no near-repeats, no section beyond its share; first one from each
    paragraph (a point and its elaboration are one point), then the rest; in document order."""
    cap = max(1, math.ceil(limit * share))
    taken: list[_Candidate] = []
    per_section: Counter[Heading | None] = Counter()
    ranked = [candidates[i] for i in sorted(range(len(candidates)), key=lambda i: -scores[i])]
    for spread in (True, False):
        for candidate in ranked:
            if len(taken) >= limit:
                break
            if candidate in taken or (
                not candidate.conclusion and per_section[candidate.section] >= cap
            ):
                continue
            if spread and any(
                (t.page, t.paragraph) == (candidate.page, candidate.paragraph) for t in taken
            ):
                continue
            if any(_jaccard(candidate.terms, t.terms) >= _SAME for t in taken):
                continue
            taken.append(candidate)
            per_section[candidate.section] += 1
    return sorted(taken, key=lambda c: (c.page, c.start))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


# From the command line and the API: a document's summary, each source's share of the overview.
DOCUMENT_SENTENCES = 10
OVERVIEW_SENTENCES = 2
# In the chat: a document's summary, a speaker's, and how many sources an overview shows.
CHAT_DOCUMENT = 8
CHAT_SECTION = 5
CHAT_OVERVIEW = 10


def summary_answer(
    question: str,
    request: SummaryRequest,
    summarizer: Summarizer,
    lang: str,
    section: tuple[str, str] | None = None,
) -> Iterator[Draft | Answer] | None:
    """A summary asked for in the chat, as an answer (drafts first, while a model writes):
    its scope the speaker, section (`section`: the document and heading the request's
    section words were found under) or document the question names, else the whole corpus
    (each source's best sentence). None when it names someone no section is about ("What
    did Angela Merkel argue?"): that is a question, to be answered, or declined, as one."""
    sources = summarizer.sources
    named = summarizer.sections_naming(request.person) if request.person else []
    if request.person and not named:
        return None
    if named:
        return document_answer(
            question, summarizer, lang, named[0], CHAT_SECTION, section=request.person
        )
    if section is not None:
        return document_answer(
            question, summarizer, lang, section[0], CHAT_SECTION, section=section[1]
        )
    words = document_words(request)
    meant = [d for d in sources if any(w in f"{d} {sources[d].title}".casefold() for w in words)]
    if meant or len(sources) == 1:
        return document_answer(question, summarizer, lang, (meant or list(sources))[0])
    return iter([overview_answer(question, summarizer, lang)])


def document_answer(
    question: str,
    summarizer: Summarizer,
    lang: str,
    doc_id: str,
    sentences: int = CHAT_DOCUMENT,
    *,
    section: str = "",
) -> Iterator[Draft | Answer]:
    """One document's summary (or one section's) as an answer, drafts first."""
    for event in summarizer.stream(doc_id, sentences, section=section, lang=lang):
        yield (
            event
            if isinstance(event, Draft)
            else _as_answer(question, [event], lang, summarizer.sources)
        )


def overview_answer(question: str, summarizer: Summarizer, lang: str) -> Answer:
    """Each source's best sentence, the first CHAT_OVERVIEW sources, as an answer."""
    overview = summarizer.overview(1, limit=CHAT_OVERVIEW)
    return _as_answer(question, overview, lang, summarizer.sources)


def _as_answer(
    question: str, summaries: Sequence[Summary], lang: str, sources: Mapping[str, DocInfo]
) -> Answer:
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    lines: list[str] = []
    for summary in summaries:
        renumber = {}
        for cited in summary.citations:
            renumber[cited.n] = len(citations) + 1
            citations.append(replace(cited, n=renumber[cited.n]))
        said = [
            AnswerSentence(s.text, tuple(renumber[n] for n in s.citations), s.supported, 1.0)
            for s in summary.sentences
        ]
        sentences += said
        line = " ".join(s.text + "".join(f" [{n}]" for n in s.citations) for s in said)
        # An overview says which source each line is about.
        lines += [f"{summary.title}: {line}" if len(summaries) > 1 else line] if said else []
    backends = {s.backend for s in summaries}
    backend = backends.pop() if len(backends) == 1 else "extractive"
    notes = tuple(n for s in summaries for n in s.notes)
    set_aside = next((s.set_aside for s in summaries if s.set_aside), None)
    if not sentences:
        return Answer(question, text_for(NOT_ANSWERED, lang), backend, lang=lang, notes=notes)
    # Quotes are in their sources' language: the reader is told when that is not theirs.
    langs = {sources[c.doc_id].lang for c in citations}
    quoted = backend.endswith("extractive") and len(langs) == 1
    header = CROSS_LINGUAL.get((lang, langs.pop())) if quoted else None
    return Answer(
        question,
        "\n".join([header, *lines] if header else lines),
        backend,
        tuple(citations),
        tuple(sentences),
        True,
        notes=notes,
        lang=lang,
        set_aside=set_aside,
    )
