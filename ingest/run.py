"""One ingest run: obtain every source, parse it, chunk it, and record the outcome."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Protocol

from index.chunk import Chunk
from index.document import Document, Page
from index.language import UNDETERMINED, Languages, detect_languages, opening
from index.progress import Progress
from ingest.chunker import Chunker, main_language
from ingest.corpus import CorpusStore
from ingest.draft import CorpusDraft, Drafted
from ingest.duplicates import as_duplicate, duplicates, text_key, with_alias
from ingest.errors import IngestError, SkippedError
from ingest.fetcher import Fetcher
from ingest.links import DroppedLink, LinkPolicy
from ingest.loader import FileLoader, Loaded
from ingest.naming import slug_title
from ingest.parse_cache import PARSER_VERSION
from ingest.settings import SourceSpec
from ingest.source import SourceRecord
from ingest.targets import PathResolver, Target, linked_targets, raw_text_of, root_target


class ChunkSink(Protocol):
    """Takes each document's chunks as soon as they are made (to embed them meanwhile)."""

    def add(self, chunks: Sequence[Chunk]) -> None: ...


@dataclass(frozen=True)
class Outcome:
    record: SourceRecord
    document: Document | None = None
    chunks: tuple[Chunk, ...] = ()
    links: tuple[Target, ...] = ()
    dropped: tuple[DroppedLink, ...] = ()
    fresh: bool = True  # its chunks were made in this run (not taken from the last one)
    stored: bool = False  # its document is the corpus's as it stands (nothing to write)
    # Once its document and chunks are written to the run's draft: where they lie there
    # (`document` then keeps no pages, `chunks` nothing).
    drafted: Drafted | None = None


@dataclass(frozen=True)
class IngestSummary:
    records: list[SourceRecord]
    dropped_links: list[DroppedLink] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the corpus folder
    parsed: int = 0  # files parsed in this run
    cached: int = 0  # files whose text came from the parse cache
    unchanged: int = 0  # files not read at all: as they were when the corpus was written
    embedded: int = 0  # texts embedded while reading (by the ChunkSink)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.records)


class Ingestor:
    def __init__(
        self,
        *,
        fetcher: Fetcher,
        loader: FileLoader,
        chunker: Chunker,
        links: LinkPolicy,
        store: CorpusStore,
        progress: Progress,
        workers: int,
        sink: ChunkSink | None = None,
        reread: bool = False,
        languages: Languages = detect_languages,
    ) -> None:
        """`reread`: read every file, also those whose size and time are as they were.
        `languages` tells documents' and chunks' languages (in this process unless given)."""
        self._fetcher = fetcher
        self._loader = loader
        self._chunker = chunker
        self._links = links
        self._store = store
        self._progress = progress
        self._workers = workers
        self._sink = sink
        self._reread = reread
        self._languages = languages

    def run(self, specs: Sequence[SourceSpec]) -> IngestSummary:
        chunking = asdict(self._chunker)
        earlier = _Earlier(self._store, same_chunking=self._store.chunking() == chunking)
        removed = self._store.removed()  # by the user: not taken again
        resolve = PathResolver()
        targets = _unique([root_target(s, resolve) for s in specs])
        wanted = [t for t in targets if not _among(t, removed)]
        with CorpusDraft(self._store.root) as draft:
            roots = self._obtain_all("sources", wanted, earlier, draft)
            seen = {o.record.url for o in roots} | {o.record.id for o in roots} | removed
            linked = _unique(
                [t for o in roots for t in o.links if t.url not in seen and t.id not in seen]
            )
            outcomes = _folded(roots + self._obtain_all("linked documents", linked, earlier, draft))
            records = [o.record for o in outcomes]
            drafted = [o.drafted for o in outcomes if o.drafted is not None]
            copies = {
                Path(o.document.path).name for o in outcomes if o.document and o.document.path
            }
            notes = self._store.write(records, drafted, copies, draft, chunking) if drafted else []
        dropped = [d for o in roots for d in o.dropped]
        parsed, cached = self._loader.counts
        return IngestSummary(
            records=records,
            dropped_links=dropped,
            notes=notes,
            parsed=parsed,
            cached=cached,
            unchanged=sum(o.stored for o in outcomes),
        )

    def _obtain_all(
        self, label: str, targets: list[Target], earlier: _Earlier, draft: CorpusDraft
    ) -> list[Outcome]:
        if not targets:
            return []
        with (
            self._progress.bar(label, len(targets)) as bar,
            ThreadPoolExecutor(max_workers=self._workers) as pool,
        ):
            # A file unchanged since the last run is settled here, without a task: most
            # files of a re-run are, and a task each was most of such a run's time.
            settled = [self._settled(t, earlier) for t in targets]
            futures = [
                None if done is not None else pool.submit(self._obtain, t, earlier)
                for t, done in zip(targets, settled, strict=True)
            ]
            outcomes = []
            pages = 0
            for position, (target, done) in enumerate(zip(targets, settled, strict=True)):
                # Each let go of once taken: a finished future holds its document and
                # chunks for as long as anything refers to it.
                future, futures[position], settled[position] = futures[position], None, None
                result = done if future is None else future.result()
                del future
                assert result is not None
                outcome = self._keep_earlier(target, result, earlier)
                if self._sink is not None and outcome.fresh:
                    self._sink.add(outcome.chunks)
                outcome = self._drafted(outcome, draft)
                pages += outcome.record.pages or 0
                # The bar counts documents and estimates the time left; pages so far beside.
                bar.advance(f"{pages} pages; {outcome.record.id}")
                outcomes.append(outcome)
        return outcomes

    def _drafted(self, outcome: Outcome, draft: CorpusDraft) -> Outcome:
        """The outcome with its document and chunks written to `draft`, keeping only its
        document's shell (no pages): the run holds no text longer than it needs."""
        document = outcome.document
        if document is None:
            return outcome
        # Duplicates are told by this key once the text is gone (an older kilde's record
        # may lack it).
        record = outcome.record
        if record.text_key is None:
            record = _replace(record, text_key=text_key(document))
        on_disk = outcome.stored and self._store.has_document(document.id)
        drafted = draft.add(document, outcome.chunks, write=not on_disk)
        return replace(
            outcome, record=record, document=replace(document, pages=()), chunks=(), drafted=drafted
        )

    def _obtain(self, target: Target, earlier: _Earlier) -> Outcome:
        """The outcome for one source; never raises, so one bad source cannot stop the run."""
        try:
            return self._obtain_unguarded(target, earlier)
        except Exception as error:  # reported in the record and the summary, not swallowed
            reason = " ".join(f"{type(error).__name__}: {error}".split())
            return Outcome(_replace(_record(target), error=f"unexpected error: {reason}"))

    def _obtain_unguarded(self, target: Target, earlier: _Earlier) -> Outcome:
        base = _record(target)
        path, content_type = target.path, None
        if target.url is not None:
            expect = "pdf" if target.url.lower().split("?")[0].endswith(".pdf") else None
            fetched = self._fetcher.fetch(target.url, expect=expect)
            base = _replace(
                base,
                obtained=fetched.obtained,
                final_url=fetched.final_url,
                attempts=fetched.attempts,
                via=fetched.via,
            )
            if not fetched.ok or fetched.path is None:
                return Outcome(_replace(base, status="failed", error=fetched.error))
            path, content_type = fetched.path, fetched.content_type
        assert path is not None
        try:
            loaded = self._loader.load(
                path, name=target.url or path.name, content_type=content_type
            )
        except SkippedError as error:
            return Outcome(_replace(base, status="skipped", error=str(error)))
        except IngestError as error:
            return Outcome(_replace(base, status="failed", error=str(error)))
        return self._build(target, base, loaded, path, earlier)

    def _settled(self, target: Target, earlier: _Earlier) -> Outcome | None:
        """`_unchanged_file`, or None (read it) if even telling that failed: one odd file
        must not stop the run, and reading it reports what is wrong with it."""
        try:
            return self._unchanged_file(target, earlier)
        except Exception:  # not swallowed: the file is read, and its error recorded there
            return None

    def _unchanged_file(self, target: Target, earlier: _Earlier) -> Outcome | None:
        """A local file with the size and modification time it had when it was read last
        time: its earlier document and chunks, without reading it again (as make and git
        tell a changed file). None when it must be read."""
        spec = target.spec
        if self._reread or target.url is not None or target.path is None:
            return None  # a download is checked by the HTTP cache
        if spec and spec.follow_links:
            return None  # its links are found in its text
        found = earlier.ok(target.id) if earlier.same_chunking else None
        if found is None:
            return None
        record, document, chunks = found
        base = _record(target)
        if (
            record.path != base.path
            or record.stamp is None
            or record.stamp != file_stamp(target.path)
            or (target.title and target.title != record.title)
            or (spec and spec.lang and spec.lang != document.lang)
            or not (document.path and Path(document.path).is_file())
        ):
            return None
        kept = _replace(
            record,
            provenance=base.provenance,
            parent=base.parent,
            mentioned_at=base.mentioned_at,
            obtained=base.obtained,
            # Read now as it was: no longer a copy kept from a run that could not read it.
            warnings=tuple(w for w in record.warnings if not w.startswith(_KEPT_PREFIX)),
            text_key=record.text_key or text_key(document),  # made once, by an older kilde
        )
        return Outcome(kept, document, chunks, fresh=False, stored=True)

    def _build(
        self, target: Target, base: SourceRecord, loaded: Loaded, path: Path, earlier: _Earlier
    ) -> Outcome:
        spec = target.spec
        title, title_from = _title(target, loaded, path)
        copy = self._store.keep_copy(target.id, path, loaded.kind)
        pages = loaded.parsed.pages
        # Text read and chunked the same way in an earlier run is not detected or chunked
        # again (most of the time of a run over an unchanged corpus).
        before = earlier.same_text(target.id, pages)
        given = (spec.lang if spec and spec.lang else None) or (before[0].lang if before else None)
        document = Document(
            id=target.id,
            title=title,
            url=target.url,
            path=str(copy),
            kind=loaded.kind,
            lang=given or UNDETERMINED,
            pages=pages,
        )
        reused = before[1] if before and before[0].lang == document.lang else ()
        chunks = reused or tuple(self._chunker.chunk(document, self._languages))
        if given is None and chunks:
            document, chunks = self._told(document, chunks)
        record = _replace(
            base,
            title=title,
            title_from=title_from,
            kind=loaded.kind,
            path=str(path),
            copy=str(copy),
            sha256=loaded.sha256,
            stamp=file_stamp(path) if target.url is None else None,
            text_key=text_key(document) if chunks else None,
            pages=len(document.pages),
            chunks=len(chunks),
            lang=document.lang,
            warnings=loaded.parsed.warnings,
            status="ok" if chunks else "skipped",
            error=None if chunks else "no text found (no text layer; OCR is not available)",
        )
        links, dropped = (
            ((), ()) if not (spec and spec.follow_links) else self._links_of(document, loaded.raw)
        )
        return Outcome(
            record, document if chunks else None, chunks, links, dropped, fresh=not reused
        )

    def _told(
        self, document: Document, chunks: tuple[Chunk, ...]
    ) -> tuple[Document, tuple[Chunk, ...]]:
        """The document in the language most of its text is in, told from its chunks' (each
        chunk's is told anyway; telling the document's apart was a fifth of the time spent
        on languages), else from its opening; chunks that said too little take it."""
        lang = (
            main_language(chunks) or self._languages([opening(p.text for p in document.pages)])[0]
        )
        if lang == UNDETERMINED:
            return document, chunks
        return replace(document, lang=lang), tuple(
            replace(c, lang=lang) if c.lang == UNDETERMINED else c for c in chunks
        )

    def _keep_earlier(self, target: Target, outcome: Outcome, earlier: _Earlier) -> Outcome:
        """A source that was in the corpus and cannot be read now keeps its earlier copy.

        A moved file, a parse failure or a network outage with nothing cached must not
        take a document out of the corpus, the served files and the index.
        """
        if outcome.record.status != "failed":
            return outcome
        found = earlier.ok(outcome.record.id)
        if found is None:
            return outcome
        record, document, chunks = found
        document = self._recopied(document)
        reason = outcome.record.error or "no reason given"
        warnings = tuple(w for w in record.warnings if not w.startswith(_KEPT_PREFIX))
        kept = _replace(
            record,
            obtained="cached",
            status="ok",
            error=None,
            attempts=outcome.record.attempts,
            parent=outcome.record.parent,
            mentioned_at=outcome.record.mentioned_at,
            warnings=(*warnings, f"{_KEPT_PREFIX}{reason}); kept the copy ingested earlier"),
            copy=document.path,
        )
        spec = target.spec
        if not (spec and spec.follow_links):
            return Outcome(kept, document, chunks, fresh=False)
        links, dropped = self._links_of(document, _copy_bytes(document))
        return Outcome(kept, document, chunks, links, dropped, fresh=False)

    def _recopied(self, document: Document) -> Document:
        """The document with its files/ copy named as copies are named now (HTML as text)."""
        if not document.path:
            return document
        try:
            copy = self._store.keep_copy(document.id, Path(document.path), document.kind)
        except OSError:
            return document  # the copy is gone: the text is still kept
        return replace(document, path=str(copy))

    def _links_of(
        self, document: Document, raw: bytes | None
    ) -> tuple[tuple[Target, ...], tuple[DroppedLink, ...]]:
        text = raw_text_of(raw) if document.kind == "text" and raw is not None else None
        links, dropped = linked_targets(document.id, document.pages, text, self._links)
        return tuple(links), tuple(dropped)


_KEPT_PREFIX = "could not read it now ("


class _Earlier:
    """The corpus the previous run left, read on first need (a source failed, or one was
    read again); thread-safe. An unreadable earlier corpus counts as empty: this run
    replaces it."""

    def __init__(self, store: CorpusStore, *, same_chunking: bool) -> None:
        self._store = store
        self._same_chunking = same_chunking
        self._found: dict[str, tuple[SourceRecord, Document, tuple[Chunk, ...]]] | None = None
        self._lock = threading.Lock()

    @property
    def same_chunking(self) -> bool:
        return self._same_chunking

    def ok(self, doc_id: str) -> tuple[SourceRecord, Document, tuple[Chunk, ...]] | None:
        with self._lock:
            if self._found is None:
                self._found = self._read()
        return self._found.get(doc_id)

    def same_text(
        self, doc_id: str, pages: tuple[Page, ...]
    ) -> tuple[Document, tuple[Chunk, ...]] | None:
        """The earlier document and chunks of `doc_id` if its pages read as they did and
        chunking is as it was."""
        if not self._same_chunking:
            return None
        found = self.ok(doc_id)
        if found is None or found[1].pages != pages:
            return None
        return found[1], found[2]

    def _read(self) -> dict[str, tuple[SourceRecord, Document, tuple[Chunk, ...]]]:
        try:
            records = {r.id: r for r in self._store.sources() if r.status == "ok"}
            if not records:
                return {}
            documents = {d.id: d for d in self._store.documents() if d.id in records}
            chunks: dict[str, list[Chunk]] = {}
            for chunk in self._store.chunks():
                if chunk.doc_id in documents:
                    chunks.setdefault(chunk.doc_id, []).append(chunk)
        except (OSError, ValueError, TypeError, KeyError):
            return {}
        return {
            doc_id: (records[doc_id], document, tuple(chunks[doc_id]))
            for doc_id, document in documents.items()
            if chunks.get(doc_id)
        }


def _folded(outcomes: list[Outcome]) -> list[Outcome]:
    """Outcomes with every repeated text folded into its first source, as an alias."""
    repeats = duplicates(outcomes)
    folded = list(outcomes)
    for position, original in repeats.items():
        kept = folded[original]
        folded[original] = replace(kept, record=with_alias(kept.record, outcomes[position].record))
        folded[position] = Outcome(as_duplicate(outcomes[position].record, kept.record))
    return folded


def file_stamp(path: Path) -> str | None:
    """Size and modification time of a file (and the parser's version), or None when it
    cannot be looked at."""
    try:
        found = path.stat()
    except OSError:
        return None
    return f"{found.st_size}:{found.st_mtime_ns}:v{PARSER_VERSION}"


def _copy_bytes(document: Document) -> bytes | None:
    """The bytes of the copy kept under files/, for finding links in it again."""
    try:
        return Path(document.path).read_bytes() if document.path else None
    except OSError:
        return None


def _title(target: Target, loaded: Loaded, path: Path) -> tuple[str, str]:
    if target.title:
        return target.title, target.title_from
    if loaded.parsed.title:
        return loaded.parsed.title, "metadata"
    if target.url:
        return slug_title(target.url), "url"
    return path.stem, "file"


def _record(target: Target) -> SourceRecord:
    spec = target.spec
    provenance = {}
    if spec is not None:
        provenance = {k: v for k in ("author", "date", "publisher") if (v := getattr(spec, k))}
    return SourceRecord(
        id=target.id,
        title=target.title or (slug_title(target.url) if target.url else target.id),
        title_from=target.title_from or "url",
        url=target.url,
        final_url=None,
        path=str(target.path) if target.path else None,
        kind=None,
        obtained=target.obtained_as or "failed",
        status="failed",
        parent=target.parent,
        mentioned_at=target.mention,
        provenance=provenance,
    )


def _replace(record: SourceRecord, **changes: object) -> SourceRecord:
    return replace(record, **changes)  # type: ignore[arg-type]


def _among(target: Target, names: set[str]) -> bool:
    return bool({target.id, target.url, str(target.path) if target.path else None} & names)


def _unique(targets: list[Target]) -> list[Target]:
    seen: set[str] = set()
    kept = []
    for target in targets:
        key = target.url or str(target.path)
        if key not in seen and target.id not in seen:
            seen.update({key, target.id})
            kept.append(target)
    return kept
