"""Data types, embedders, vector store, BM25 and hybrid search."""

from index.chunk import Chunk
from index.document import Document, Page

__all__ = ["Chunk", "Document", "Page"]
