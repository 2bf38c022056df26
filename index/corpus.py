"""What an index is built from: documents and their chunks, read as often as a build needs.

A build reads the corpus several times (to tell whether it changed, to analyse it, to
embed it a part at a time, to write it out). A corpus on disk is read again each time,
not held: held, the documents and chunks of 1,000 PDFs were a third of an ingest's
memory, and grew with every file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from index.chunk import Chunk
from index.document import Document


class Corpus(Protocol):
    def document_ids(self) -> list[str]:
        """Every document's id."""
        ...

    def document(self, doc_id: str) -> Document: ...

    def chunks(self) -> Iterator[Chunk]:
        """The chunks, in corpus order (a document's together, in page order)."""
        ...


@dataclass(frozen=True)
class ListedCorpus:
    """A corpus held in memory (a test's, or one just made)."""

    documents: Sequence[Document]
    listed: Sequence[Chunk]
    _by_id: dict[str, Document] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {d.id: d for d in self.documents})

    def document_ids(self) -> list[str]:
        return list(self._by_id)

    def document(self, doc_id: str) -> Document:
        return self._by_id[doc_id]

    def chunks(self) -> Iterator[Chunk]:
        return iter(self.listed)
