"""A parsed document: page-numbered text, as a reader sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a document. `number` is 1-based, as printed for a reader."""

    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """A source's text, split into pages.

    Chunk offsets point into `pages[i].text`, so that text is kept exactly as
    chunked; never rewrite it after chunking.
    """

    id: str
    title: str
    url: str | None
    path: str | None
    kind: str  # pdf | html | text | markdown
    lang: str  # "no", "en" or "und"
    pages: tuple[Page, ...] = field(default_factory=tuple)

    def page(self, number: int) -> Page:
        for page in self.pages:
            if page.number == number:
                return page
        raise KeyError(f"{self.id} has no page {number}")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "path": self.path,
            "kind": self.kind,
            "lang": self.lang,
            "pages": [{"number": p.number, "text": p.text} for p in self.pages],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        return cls(
            id=data["id"],
            title=data["title"],
            url=data["url"],
            path=data["path"],
            kind=data["kind"],
            lang=data["lang"],
            pages=tuple(Page(int(p["number"]), p["text"]) for p in data["pages"]),
        )
