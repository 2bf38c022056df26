"""A chunk: a span of one page, the unit that is embedded, searched and cited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Chunk:
    """`text == page.text[start:end]` for the page it came from; ids are deterministic."""

    id: str
    doc_id: str
    page: int
    start: int
    end: int
    text: str
    lang: str

    @staticmethod
    def make_id(doc_id: str, page: int, start: int, end: int) -> str:
        # Readable and stable: the same document, page and span give the same id.
        return f"{doc_id}:p{page}:{start}-{end}"

    def to_json(self) -> dict[str, Any]:
        # Not dataclasses.asdict: it deep-copies every field, and a large corpus has
        # hundreds of thousands of chunks to write and digest.
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "page": self.page,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "lang": self.lang,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Chunk:
        return cls(**data)
