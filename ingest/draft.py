"""A run's documents and chunks, written to disk as each is made.

A run held every document and chunk it made until it wrote the corpus at its end: over
1,000 PDFs a third of its memory, growing with every file. Each is now written to a
draft folder beside the corpus as soon as it is made (and handed to the embedder), and
the run keeps only where it lies. When the run ends the corpus is made from the draft
(`CorpusStore.write`): document files are moved into place, the chunks copied in the
run's order, leaving out those of sources folded into another as duplicates. A killed
run leaves its draft behind, and the next one removes it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from index.chunk import Chunk
from index.document import Document

_PREFIX = ".draft-"
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Drafted:
    """Where a document's part of the draft lies."""

    doc_id: str
    start: int  # its chunk lines' first byte in the draft's chunk file
    size: int  # their length in bytes
    written: bool  # its document file is in the draft (False: the corpus has it as it is)


class CorpusDraft:
    def __init__(self, root: Path) -> None:
        """A new draft folder in `root` (the corpus folder); drafts that killed runs left
        there are removed first."""
        root.mkdir(parents=True, exist_ok=True)
        for stale in root.glob(f"{_PREFIX}*"):
            if not _running(stale.name):
                shutil.rmtree(stale, ignore_errors=True)
        self.folder = root / f"{_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.folder.mkdir()
        self._chunks = (self.folder / "chunks.jsonl").open("w+b")
        self._size = 0

    def add(self, document: Document, chunks: Sequence[Chunk], *, write: bool) -> Drafted:
        """Drafts `chunks` and, if `write`, `document`."""
        if write:  # synced only if it is moved into the corpus (CorpusStore.write)
            self.document_file(document.id).write_bytes(orjson.dumps(document.to_json()))
        lines = b"".join(orjson.dumps(c.to_json()) + b"\n" for c in chunks)
        self._chunks.write(lines)
        start, self._size = self._size, self._size + len(lines)
        return Drafted(document.id, start, len(lines), write)

    def document_file(self, doc_id: str) -> Path:
        return self.folder / f"{doc_id}.json"

    def chunk_lines(self, drafted: Iterable[Drafted]) -> Iterator[bytes]:
        """The chunk lines of `drafted`, in that order, a block at a time (read at their
        offsets: the file's own position, where `add` writes, is left alone)."""
        self._chunks.flush()
        descriptor = self._chunks.fileno()
        for part in drafted:
            at, end = part.start, part.start + part.size
            while at < end:
                block = os.pread(descriptor, min(end - at, _BLOCK), at)
                if not block:
                    raise OSError(f"{self.folder}: the draft's chunk file was cut short")
                at += len(block)
                yield block

    def close(self) -> None:
        self._chunks.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> CorpusDraft:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _running(name: str) -> bool:
    """Whether the process that named a draft `name` still runs (its run may be going on)."""
    pid = name.removeprefix(_PREFIX).split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
