"""`kilde ingest`: turn command-line sources into specs, run the ingest, report."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path

from index.embedder import Embedder
from index.errors import NoIndexError
from index.language_process import LanguageProcess
from index.manifest import read_manifest
from index.memory import release_freed_memory
from index.progress import Progress, TerminalProgress
from ingest.cache import HttpCache
from ingest.chunker import Chunker
from ingest.corpus import CorpusStore
from ingest.fetcher import Fetcher
from ingest.links import LinkPolicy
from ingest.loader import FileLoader
from ingest.parse_cache import ParseCache
from ingest.pdf import PdfParser
from ingest.run import Ingestor, IngestSummary
from ingest.settings import SourceSpec
from ingest.source import SourceRecord
from ingest.targets import expand_folder
from ingest.url import normalise_url
from ui import wiring
from ui.config import Config
from ui.tables import problems, sources_table


def run_ingest(
    config: Config,
    arguments: Sequence[str],
    *,
    offline: bool,
    strict: bool,
    allow_private_hosts: bool,
    rebuild: bool = False,
) -> int:
    store = CorpusStore(config.data_dir)
    # Load the embedder and compare it with the index first: a mismatch found after a
    # long download would leave a new corpus beside the old index.
    model = wiring.embedder(config)
    if not rebuild:
        check_embedder(config, model)
    with _startup_frozen():
        summary = ingest_sources(
            config,
            arguments,
            offline=offline,
            allow_private_hosts=allow_private_hosts,
            progress=TerminalProgress(),
            model=model,
            reread=rebuild,
        )
        print(report(summary, store))
        if summary.count("ok") == 0:
            print("kilde: nothing could be ingested; see the reasons above", file=sys.stderr)
            return 1
        print(build_index(config, store, model, progress=TerminalProgress(), force=rebuild))
    failed = summary.count("failed") + summary.count("skipped")
    return 1 if strict and failed else 0


@contextmanager
def _startup_frozen() -> Iterator[None]:
    """The objects made so far (modules, the model) left out of garbage collections while
    the block runs: each full collection walked them all again, a third of a second of a
    re-run over 10,000 files. Objects made in the block are collected as usual."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def check_embedder(config: Config, model: Embedder) -> None:
    """IndexMismatchError (with the --rebuild fix) if the index was built with another model."""
    directory = wiring.index_directory(config)
    with suppress(NoIndexError):  # no index yet: nothing to compare with
        read_manifest(directory.current()).check_embedder(model.name, model.dim)


def ingest_sources(
    config: Config,
    arguments: Sequence[str],
    *,
    offline: bool,
    allow_private_hosts: bool,
    progress: Progress,
    model: Embedder | None = None,
    reread: bool = False,
) -> IngestSummary:
    """Ingest the configured and earlier added sources, and those in `arguments`; with a
    `model`, each document is embedded as soon as it is read (the index build then finds
    its vectors made)."""
    store = CorpusStore(config.data_dir)
    added, problems = specs_from_arguments(arguments)
    specs = [*config.corpus.sources, *(store.add(added) if added else store.added())]
    fetch = config.fetch
    if allow_private_hosts:
        fetch = fetch.model_copy(update={"allow_private_hosts": True})
    prefetch = wiring.prefetch(config, model) if model is not None else None
    with (
        Fetcher(fetch, HttpCache(store.http_cache_dir), offline=offline) as fetcher,
        PdfParser.from_settings(config.parse) as pdf,
        LanguageProcess() as languages,
    ):
        ingestor = Ingestor(
            fetcher=fetcher,
            loader=FileLoader(
                pdf,
                ParseCache(store.parse_cache_dir),
                max_bytes=fetch.max_bytes,
                max_chars=config.parse.max_chars,
            ),
            chunker=Chunker(size=config.chunk.size, overlap=config.chunk.overlap),
            links=LinkPolicy(config.links.drop, config.links.max_links),
            store=store,
            progress=progress,
            workers=fetch.concurrency,
            sink=prefetch,
            reread=reread,
            languages=languages,
        )
        try:
            summary = ingestor.run(specs)
        finally:
            embedded = prefetch.close() if prefetch is not None else 0
    # Kept only if it was not refused: a later run (perhaps one allowed private hosts)
    # must not send a request someone typed into the URL box and the rules turned down.
    store.forget_added({r.url for r in summary.records if r.refused and r.url})
    notes = summary.notes
    if languages.error is not None:
        notes = [*notes, f"{languages.error}; languages were told in this process instead"]
    if prefetch is not None and prefetch.error is not None:
        notes = [
            *notes,
            f"embedding while reading stopped ({prefetch.error}); the index build embeds the rest",
        ]
    return replace(summary, records=[*summary.records, *problems], notes=notes, embedded=embedded)


def build_index(
    config: Config,
    store: CorpusStore,
    model: Embedder,
    *,
    progress: Progress,
    force: bool = False,
) -> str:
    """Embed what is new and publish a new index version (if anything changed, or `force`)
    from the corpus in `store`; returns a one-line summary."""
    release_freed_memory()  # what reading left behind, before the build needs its own
    builder = wiring.builder(config, model, progress)
    built = builder.build(store, force=force)
    if built.unchanged:
        return (
            f"index: unchanged ({built.chunks} chunks, {built.vectors} vectors): nothing it is "
            f"built from changed; version {built.folder.name} stays"
        )
    if built.updated:
        return (
            f"index: updated: {built.analysed} of {built.chunks} chunks new or changed "
            f"({built.embedded} vectors embedded now), the rest taken from the last version; "
            f"{built.vectors} vectors, {built.store} search with {model.name}"
        )
    return (
        f"index: {built.chunks} chunks, {built.vectors} vectors ({built.embedded} embedded now, "
        f"the rest cached), {built.store} search with {model.name}"
    )


def specs_from_arguments(arguments: Sequence[str]) -> tuple[list[SourceSpec], list[SourceRecord]]:
    """Specs for URLs, files and folders; a record of failure for paths that are not there."""
    specs: list[SourceSpec] = []
    problems: list[SourceRecord] = []
    for argument in arguments:
        if argument.startswith(("http://", "https://")):
            try:
                specs.append(SourceSpec(url=normalise_url(argument)))
            except ValueError as error:
                problems.append(_problem(Path(argument), "failed", str(error)))
            continue
        path = Path(argument).expanduser()
        try:
            kind = "folder" if path.is_dir() else "file" if path.is_file() else None
        except OSError as error:  # e.g. a name longer than the file system allows
            problems.append(_problem(path, "failed", f"cannot read {argument}: {error.strerror}"))
            continue
        if kind == "folder":
            files, left_out = expand_folder(path)
            specs.extend(SourceSpec(path=str(f.resolve())) for f in files)
            problems.extend(_problem(p, "skipped", "unsupported file type") for p in left_out)
        elif kind == "file":
            specs.append(SourceSpec(path=str(path.resolve())))
        else:
            problems.append(_problem(path, "failed", f"no such file or folder: {argument}"))
    return specs, problems


def _problem(path: Path, status: str, reason: str) -> SourceRecord:
    return SourceRecord(
        id=path.name,
        title=path.name,
        title_from="file",
        url=None,
        final_url=None,
        path=str(path),
        kind=None,
        obtained="local" if status == "skipped" else "failed",
        status=status,
        error=reason,
    )


def report(summary: IngestSummary, store: CorpusStore) -> str:
    lines = [sources_table(summary.records), ""]
    if details := problems(summary.records):
        lines.extend([details, ""])
    for dropped in summary.dropped_links:
        lines.append(f"link not followed: {dropped.url} ({dropped.reason})")
    lines.extend(f"note: {note}" for note in summary.notes)
    lines.append(
        f"{summary.count('ok')} ok, {summary.count('failed')} failed, "
        f"{summary.count('skipped')} skipped"
        + (f", {n} duplicate" if (n := summary.count("duplicate")) else "")
        + f"; corpus in {store.root}"
    )
    lines.append(
        f"files: {summary.parsed} parsed now, {summary.cached} read from the parse cache, "
        f"{summary.unchanged} unchanged since the last run (not read again)"
    )
    if summary.embedded:
        lines.append(f"embedded while reading: {summary.embedded} texts")
    return "\n".join(lines)
