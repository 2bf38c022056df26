"""An answer: text with [n] markers, the citations behind them, and per-sentence support."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from index.hit import Hit
from index.sections import Place, location


@dataclass
class Draft:
    """A model's reply so far (for streaming to a screen), already without images and
    foreign links: a screen that renders it must not fetch what a source slipped in."""

    text: str


@dataclass(frozen=True)
class Citation:
    """Marker [n]: an exact span of a page, `page_text[start:end] == quote`."""

    n: int
    doc_id: str
    title: str
    url: str | None
    page: int
    quote: str
    start: int
    end: int
    chunk_id: str
    passage: str  # the retrieved chunk the quote comes from
    # Text and HTML sources: the section and paragraph a reader finds the quote by.
    place: Place | None = None

    def evidence(self) -> Evidence:
        return Evidence(
            self.doc_id,
            self.title,
            self.url,
            self.page,
            self.quote,
            self.start,
            self.end,
            self.place,
        )

    def location(self, page_word: str = "p.") -> str:
        return self.evidence().location(page_word)

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, **self.evidence().to_json()}


@dataclass(frozen=True)
class AnswerSentence:
    text: str
    citations: tuple[int, ...]
    supported: bool
    support: float = 0.0  # 0..1, how well the cited passages back the sentence

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations), "supported": self.supported}


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    backend: str
    citations: tuple[Citation, ...] = ()
    sentences: tuple[AnswerSentence, ...] = ()
    answered: bool = True  # False: the sources do not answer it (text is the sentinel)
    closest: tuple[Hit, ...] = ()  # the passages retrieved, best first
    notes: tuple[str, ...] = ()  # what was dropped or doubted, for the user
    standalone: str | None = None  # the question as searched, when rewritten from a follow-up
    lang: str = "en"
    # A model's answer that failed verification and was replaced by the extractive one.
    set_aside: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "backend": self.backend,
            "answered": self.answered,
            "citations": [c.to_json() for c in self.citations],
            "sentences": [s.to_json() for s in self.sentences],
            "notes": list(self.notes),
            "standalone_question": self.standalone,
            "set_aside_draft": self.set_aside,
        }


@dataclass(frozen=True)
class Evidence:
    doc_id: str
    title: str
    url: str | None
    page: int
    quote: str
    start: int
    end: int
    place: Place | None = None  # text and HTML sources: section and paragraph

    @property
    def section(self) -> str | None:
        return self.place.section if self.place else None

    @property
    def paragraph(self) -> int | None:
        return self.place.paragraph if self.place else None

    def location(self, page_word: str = "p.") -> str:
        return location(self.page, self.section, self.paragraph, page_word)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "url": self.url,
            "page": self.page,
            "section": self.section,
            "paragraph": self.paragraph,
            "location": self.location(),
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class ClaimResult:
    claim: str
    verdict: str  # supported | contradicted | not_in_sources
    confidence: float
    reason: str
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    backend: str = "extractive"

    def to_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "verdict": self.verdict,
            "confidence": round(self.confidence, 2),
            "reason": self.reason,
            "evidence": [e.to_json() for e in self.evidence],
            "backend": self.backend,
        }
