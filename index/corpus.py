"""What an index is built from: documents and their chunks, read as often as a build needs.

A build reads the corpus several times (to tell whether it changed, to analyse it, to
embed it a part at a time, to write it out). A corpus on disk is read again each time,
not held: held, the documents and chunks of 1,000 PDFs were a third of an ingest's
memory, and grew with every file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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


class ListedCorpus:
    """A corpus held in memory (a test's, or one just made)."""

    def __init__(self, documents: Sequence[Document], chunks: Sequence[Chunk]) -> None:
        self._documents = {d.id: d for d in documents}
        self._chunks = list(chunks)

    def document_ids(self) -> list[str]:
        return list(self._documents)

    def document(self, doc_id: str) -> Document:
        return self._documents[doc_id]

    def chunks(self) -> Iterator[Chunk]:
        return iter(self._chunks)
