"""A search result: a chunk, its document's name, its score and how each retriever ranked it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from index.chunk import Chunk
from index.sections import Place, location


@dataclass(frozen=True)
class SentenceScore:
    """A sentence of the chunk (offsets into the chunk's text) and its similarity to the query."""

    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused; comparable within one result list only
    dense_rank: int | None  # 1-based; None when the dense retriever did not return it
    lexical_rank: int | None
    title: str
    url: str | None
    kind: str
    # Cosine similarity of the query to the chunk's best view (None: not scored).
    dense_score: float | None = None
    sentences: tuple[SentenceScore, ...] = ()
    # Text and HTML sources: the section and paragraph the passage starts in.
    place: Place | None = None

    def location(self, page_word: str = "p.") -> str:
        """ "p. 3" in a PDF, "Deltakere, ¶ 2" in a text or a web page."""
        place = self.place
        return location(
            self.chunk.page,
            place.section if place else None,
            place.paragraph if place else None,
            page_word,
        )

    def to_json(self, rank: int) -> dict[str, Any]:
        return {
            "rank": rank,
            "score": round(self.score, 4),
            "doc_id": self.chunk.doc_id,
            "title": self.title,
            "url": self.url,
            "page": self.chunk.page,
            "section": self.place.section if self.place else None,
            "paragraph": self.place.paragraph if self.place else None,
            "location": self.location(),
            "start": self.chunk.start,
            "end": self.chunk.end,
            "text": self.chunk.text,
            "lang": self.chunk.lang,
            "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank,
        }
