"""The ingested corpus on disk: source records, documents and chunks.

Layout under the data directory:
    corpus/sources.json          every source and what became of it
    corpus/documents/<id>.json   page-numbered text of each document
    corpus/chunks.jsonl          the chunks, in document and page order
    corpus/.draft-<pid>-<id>/    a run's documents and chunks while it runs (ingest/draft.py)
    files/<id>.<ext>             a copy of each source as it was read (what the app serves)
    added.json                   sources a user added with `kilde ingest ...`
"""

from __future__ import annotations

import filecmp
import json
import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path

import orjson
from pydantic import ValidationError

from index.chunk import Chunk
from index.document import Document
from ingest.atomic import synced, write_atomic
from ingest.draft import CorpusDraft, Drafted
from ingest.errors import IngestError
from ingest.settings import SourceSpec
from ingest.source import SourceRecord

# An HTML copy is kept as text: served as HTML from kilde's own address, a page's
# scripts would run with the app's rights (stored XSS).
_SUFFIXES = {"pdf": ".pdf", "html": ".html.txt", "text": ".txt", "markdown": ".md"}
_BLOCK = 1 << 20


class CorpusStore:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.root = data_dir / "corpus"

    @property
    def http_cache_dir(self) -> Path:
        return self.data_dir / "http"

    @property
    def parse_cache_dir(self) -> Path:
        return self.data_dir / "parsed"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    def keep_copy(self, doc_id: str, source: Path, kind: str) -> Path:
        """A stable copy of a source's bytes under files/, named for its id and kind."""
        target = self.files_dir / f"{doc_id}{_SUFFIXES.get(kind, '')}"
        # Compared and copied a block at a time: a source may be as large as fetch.max_bytes.
        if target.exists() and filecmp.cmp(target, source, shallow=False):
            return target
        self.files_dir.mkdir(parents=True, exist_ok=True)
        with source.open("rb") as handle:
            write_atomic(target, iter(lambda: handle.read(_BLOCK), b""))
        return target

    def exists(self) -> bool:
        return (self.root / "sources.json").is_file()

    def write(
        self,
        records: Sequence[SourceRecord],
        drafted: Sequence[Drafted],
        copies: Collection[str],
        draft: CorpusDraft,
        chunking: dict[str, int] | None = None,
    ) -> list[str]:
        """The corpus made from a run's `draft`: the documents and chunks of `drafted`, in
        that order. Documents and chunks first, the source list last: it marks a complete
        corpus. `copies`: the names of the files/ copies the corpus uses (others go);
        `chunking`: the chunker's settings, so a later run knows whether the chunks it
        finds here are the ones it would make. Returns notes on what was found in the
        copies folder and left alone."""
        folder = self.root / "documents"
        folder.mkdir(parents=True, exist_ok=True)
        for part in drafted:
            target, made = folder / f"{part.doc_id}.json", draft.document_file(part.doc_id)
            # Most documents of a re-run are as they were: comparing is cheaper than a
            # synced write. Another is synced and moved into place whole.
            if part.written and not (target.is_file() and filecmp.cmp(made, target, False)):
                synced(made).replace(target)
        keep = {f"{part.doc_id}.json" for part in drafted}
        for stale in folder.glob("*.json"):
            if stale.name not in keep:
                stale.unlink()
        notes = self._drop_stale_copies(set(copies))
        write_atomic(self.root / "chunks.jsonl", draft.chunk_lines(drafted))
        write_atomic(self.root / "chunking.json", _dumps(chunking or {}))
        write_atomic(self.root / "sources.json", _dumps([r.to_json() for r in records]))
        return notes

    def has_document(self, doc_id: str) -> bool:
        return os.path.isfile(self._document_path(doc_id))  # noqa: PTH113

    def chunking(self) -> dict[str, int] | None:
        """The chunker settings the corpus was chunked with (None: not known)."""
        try:
            found = json.loads((self.root / "chunking.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return found if isinstance(found, dict) and found else None

    def _drop_stale_copies(self, copies: set[str]) -> list[str]:
        """Remove copies of sources no longer in the corpus. Only files kilde could have
        made go: a folder someone put there is reported and left alone."""
        notes = []
        for stale in self.files_dir.iterdir() if self.files_dir.is_dir() else []:
            if stale.name in copies or stale.name.startswith("."):
                continue
            if stale.is_dir() and not stale.is_symlink():
                notes.append(f"{stale} is a folder, not a copy kilde made: left alone; move it")
                continue
            stale.unlink()
        return notes

    def sources(self) -> list[SourceRecord]:
        path = self.root / "sources.json"
        if not path.is_file():
            return []
        return [SourceRecord.from_json(item) for item in orjson.loads(path.read_bytes())]

    def documents(self) -> list[Document]:
        return [self.document(doc_id) for doc_id in self.document_ids()]

    def document_ids(self) -> list[str]:
        folder = self.root / "documents"
        # By name (one folder): comparing whole paths was a third of reading 10,000.
        return sorted(p.name.removesuffix(".json") for p in folder.glob("*.json"))

    def document(self, doc_id: str) -> Document:
        with open(self._document_path(doc_id), "rb") as handle:  # noqa: PTH123
            return Document.from_json(orjson.loads(handle.read()))

    def _document_path(self, doc_id: str) -> str:
        # A plain string: an ingest and its index build ask for every document a few
        # times, and pathlib's joining was half the time of reading 10,000 small ones.
        return f"{self.root}/documents/{doc_id}.json"

    def chunks(self) -> Iterator[Chunk]:
        """The chunks as they are read from disk (an index build reads them a few times
        over rather than hold them)."""
        path = self.root / "chunks.jsonl"
        if not path.is_file():
            return
        with path.open("rb") as handle:
            for line in handle:
                if line.strip():
                    yield Chunk.from_json(orjson.loads(line))

    def added(self) -> list[SourceSpec]:
        """The sources added earlier; an IngestError naming the file when it is damaged."""
        path = self.data_dir / "added.json"
        if not path.is_file():
            return []
        try:
            return _added_specs(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError) as error:  # ValueError: bad UTF-8, JSON or source
            reason = " ".join(str(error).split())
            raise IngestError(
                f"cannot read the added sources in {path}: {reason}; "
                f"fix or delete {path} (then add the sources again with `kilde ingest`)"
            ) from error

    def add(self, specs: Iterable[SourceSpec]) -> list[SourceSpec]:
        """Remember sources a user added, so later runs keep them; returns the full list. A
        source added again is no longer one the user removed."""
        current = self.added()
        known = {s.location() for s in current}
        wanted = set()
        for spec in specs:
            wanted.add(spec.location())
            if spec.location() not in known:
                current.append(spec)
                known.add(spec.location())
        self._write_added(current)
        groups = self._removed_groups()
        kept = [g for g in groups if not set(g) & wanted]
        if len(kept) < len(groups):
            self._write_removed(kept)
        return current

    def forget_added(self, locations: set[str]) -> None:
        """No longer remember these added sources (not marked removed: they may be added
        again); a refused address must not be tried by every later run."""
        current = self.added()
        kept = [s for s in current if s.location() not in locations]
        if len(kept) < len(current):
            self._write_added(kept)

    def removed(self) -> set[str]:
        """The ids and addresses of the sources the user removed: no run takes them again,
        not even as a link of the report."""
        return {name for group in self._removed_groups() for name in group}

    def remove(self, record: SourceRecord) -> None:
        """Forget a source: no longer an added one, and never taken again (until added)."""
        names = sorted({n for n in (record.id, record.url, record.path) if n})
        self._write_added([s for s in self.added() if s.location() not in names])
        self._write_removed([*self._removed_groups(), names])

    def _removed_groups(self) -> list[list[str]]:
        """Each removed source's names (id, address, file), kept together so that adding it
        again by any one of them brings it back whole."""
        path = self.data_dir / "removed.json"
        if not path.is_file():
            return []
        try:
            items = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise IngestError(
                f"cannot read the removed sources in {path}: {' '.join(str(error).split())}; "
                f"fix or delete {path}"
            ) from error
        if not isinstance(items, list):
            raise IngestError(f"{path} is not a JSON list; fix or delete it")
        return [[str(name) for name in group] for group in items if isinstance(group, list)]

    def _write_added(self, specs: list[SourceSpec]) -> None:
        write_atomic(
            self.data_dir / "added.json",
            _dumps([s.model_dump(exclude_none=True) for s in specs]),
        )

    def _write_removed(self, groups: list[list[str]]) -> None:
        write_atomic(self.data_dir / "removed.json", _dumps(groups))


def _dumps(data: object) -> bytes:
    # orjson: every run writes thousands of records (the json module was most of the time
    # of re-reading an unchanged corpus of 10,000 files).
    return orjson.dumps(data, option=orjson.OPT_INDENT_2)


def _added_specs(items: object) -> list[SourceSpec]:
    if not isinstance(items, list):
        raise ValueError(f"a JSON list of sources was expected, not {type(items).__name__}")
    specs = []
    for number, item in enumerate(items, start=1):
        try:
            specs.append(SourceSpec.model_validate(item))
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"])
            raise ValueError(
                f"source {number}: {where + ': ' if where else ''}{problem['msg']}"
            ) from error
    return specs
