"""What the web app needs: assistants per backend, the corpus, and ingest in the background."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from assistant.assistant import Assistant
from index.document import Document
from index.errors import KildeIndexError
from index.progress import Progress
from ingest.corpus import CorpusStore
from ingest.source import SourceRecord
from ui import wiring
from ui.config import Config
from ui.ingest_command import build_index, ingest_sources, report

BACKENDS = ("extractive", "openai", "llama-cpp")


class AppServices:
    """Built once by `kilde serve`; thread-safe. An index published by an ingest
    (from here or the command line) is picked up by the next question."""

    def __init__(self, config: Config, environ: Mapping[str, str]) -> None:
        self.config = config
        self._environ = dict(environ)
        self._store = CorpusStore(config.data_dir)
        self._lock = threading.Lock()
        self._ingesting = threading.Lock()
        self._assistants: dict[str, tuple[str, Assistant]] = {}
        self._documents: tuple[str, dict[str, Document]] = ("", {})

    def assistant(self, backend: str | None = None) -> Assistant:
        """The assistant for `backend` on the current index (KildeIndexError, LLMError)."""
        name = backend or self.config.llm.backend
        if name not in BACKENDS:
            raise ValueError(f"unknown backend {name!r}")
        version = self._version()
        with self._lock:
            cached = self._assistants.get(name)
            if cached is None or cached[0] != version:
                llm = self.config.llm.model_copy(update={"backend": name})
                config = self.config.model_copy(update={"llm": llm})
                self._assistants[name] = (version, wiring.assistant(config, self._environ))
            return self._assistants[name][1]

    def _version(self) -> str:
        try:
            return wiring.index_directory(self.config).current().name
        except KildeIndexError:
            return ""  # no index yet: assistant() raises the full error

    def sources(self) -> list[SourceRecord]:
        return self._store.sources()

    def document(self, doc_id: str) -> Document | None:
        version = self._version()
        with self._lock:
            if self._documents[0] != version or doc_id not in self._documents[1]:
                self._documents = (version, {d.id: d for d in self._store.documents()})
            return self._documents[1].get(doc_id)

    def local_copy(self, doc_id: str) -> Path | None:
        document = self.document(doc_id)
        if document is None or not document.path:
            return None
        path = Path(document.path)
        return path if path.parent == self._store.files_dir and path.is_file() else None

    @property
    def served_folder(self) -> Path:
        """The only folder the app serves files from: the copies of the sources."""
        return self._store.files_dir

    def ingest(self, urls: Sequence[str], uploads: Sequence[Path], progress: Progress) -> str:
        """Add sources and ingest again; questions keep being answered meanwhile."""
        if not self._ingesting.acquire(blocking=False):
            return "An ingest is already running; wait for it to finish."
        try:
            kept = [str(self._keep_upload(path)) for path in uploads]
            summary = ingest_sources(
                self.config,
                [*urls, *kept],
                offline=False,
                allow_private_hosts=self.config.fetch.allow_private_hosts,
                progress=progress,
            )
            text = report(summary, self._store)
            if summary.count("ok"):
                built = build_index(self.config, self._store, rebuild=False, progress=progress)
                text += "\n" + built
            return text
        finally:
            self._ingesting.release()

    def _keep_upload(self, path: Path) -> Path:
        # Gradio's upload folder is temporary; added sources must outlive it.
        folder = self.config.data_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / Path(path).name
        shutil.copyfile(path, target)
        return target
