"""Sources, link discovery, fetching, parsing, chunking and the ingest run.

Heavy modules (httpx, pypdf in a child process) load only when used through
these names; nothing here imports a model.
"""

from ingest.chunker import Chunker
from ingest.corpus import CorpusStore
from ingest.errors import FetchError, IngestError, ParseError, SkippedError, UnsafeURLError
from ingest.settings import (
    ChunkSettings,
    CorpusSettings,
    FetchSettings,
    LinkSettings,
    ParseSettings,
    SourceSpec,
)
from ingest.source import Mention, SourceRecord

__all__ = [
    "ChunkSettings",
    "Chunker",
    "CorpusSettings",
    "CorpusStore",
    "FetchError",
    "FetchSettings",
    "IngestError",
    "LinkSettings",
    "Mention",
    "ParseError",
    "ParseSettings",
    "SkippedError",
    "SourceRecord",
    "SourceSpec",
    "UnsafeURLError",
]
