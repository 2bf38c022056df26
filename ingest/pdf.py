"""PDF files, read page by page in a child process with time and memory limits."""

from __future__ import annotations

import json
import math
import os
import queue
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from index.document import Page
from ingest.errors import ParseError
from ingest.kind import looks_like_html, looks_like_pdf
from ingest.pdf_worker import EXIT_OUT_OF_MEMORY
from ingest.settings import ParseSettings
from ingest.textfile import ParsedFile, clean_text, decode_text

_HEAD_BYTES = 1024
_PREVIEW_CHARS = 20
# What a child that died for lack of memory leaves on stderr, from the Python
# runtime or, below about 10 MB, from the dynamic loader.
_MEMORY_SIGNS = ("MemoryError", "Cannot allocate memory", "failed to map segment")
# The worker runs as a plain script (stdlib and pypdf only), not as part of the
# package: it starts faster, and -P keeps the current folder off its import path,
# so a stray "ingest" folder or pypdf.py where kilde is run cannot shadow anything.
_WORKER = str(Path(__file__).resolve().with_name("pdf_worker.py"))


class PdfParser:
    """Reads a PDF's text layer page by page, in a pool of child processes.

    pypdf keeps fixing denial-of-service bugs, so files are parsed by children
    with an address-space limit, a CPU-time limit per file and a wall-clock
    timeout per file: a hostile file costs that child, never the caller. A child
    reads many files (one started per file cost 110 ms, more than parsing most
    of them); it is replaced after a crash, a limit, a timeout or `recycle_after`
    files, so memory one file left behind does not stay. Thread-safe: the ingest's
    fetch threads parse in parallel, up to `workers` at a time.
    """

    def __init__(
        self,
        *,
        timeout: float = 120.0,
        memory_mb: int = 1024,
        max_pages: int = 5000,
        max_chars: int = 5_000_000,
        workers: int = 0,
        recycle_after: int = 500,
    ) -> None:
        self.timeout = timeout  # seconds of wall clock per file
        self.memory_mb = memory_mb  # address-space limit of a child
        self.max_pages = max_pages
        self.max_chars = max_chars
        # A worker's resident memory went from 39 to 43 MB over its first 150 files and
        # stayed there over 250 more: a start (0.25 s of CPU with pypdf's import) every
        # 50 files cost more than it guarded against.
        self.recycle_after = recycle_after
        size = workers or min(4, os.cpu_count() or 1)
        self._slots = threading.BoundedSemaphore(size)
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = 0

    @classmethod
    def from_settings(cls, settings: ParseSettings) -> PdfParser:
        return cls(
            timeout=settings.pdf_timeout,
            memory_mb=settings.pdf_memory_mb,
            max_pages=settings.max_pages,
            max_chars=settings.max_chars,
            workers=settings.workers,
        )

    def parse(self, path: Path) -> ParsedFile:
        """The text of each page; raises ParseError with a one-line reason."""
        _check_header(path)
        request = {
            "path": str(path),
            "max_pages": self.max_pages,
            "max_chars": self.max_chars,
            "cpu_seconds": _cpu_seconds(self.timeout),
        }
        with self._slots:
            worker = self._take()
            try:
                reply = worker.ask(request, self.timeout)
            except _WorkerDied as died:
                self._retire(worker)
                raise ParseError(self._failure(died.returncode, died.stderr)) from None
            except TimeoutError:
                self._retire(worker)
                raise ParseError(f"parsing took longer than {self.timeout:g} s; skipped") from None
            self._give_back(worker)
        return _parsed(_payload(reply), self.max_chars)

    def close(self) -> None:
        """Stop every child (they also stop by themselves when the parent goes)."""
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()

    def __enter__(self) -> PdfParser:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def started(self) -> int:
        """Children this parser started so far."""
        with self._lock:
            return self._started

    def _take(self) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            worker = _Worker(self.memory_mb)
            with self._lock:
                self._all.add(worker)
                self._started += 1
            return worker

    def _give_back(self, worker: _Worker) -> None:
        if worker.done >= self.recycle_after:
            self._retire(worker)
        else:
            self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()

    def _failure(self, returncode: int, stderr: bytes) -> str:
        if returncode == EXIT_OUT_OF_MEMORY:
            return f"the PDF parser ran out of memory (limit {self.memory_mb} MB); skipped"
        if any(sign.encode() in stderr for sign in _MEMORY_SIGNS):
            return (
                f"the PDF parser could not start within its memory limit of "
                f"{self.memory_mb} MB; raise pdf_memory_mb"
            )
        if returncode == -signal.SIGXCPU:
            return f"parsing used more than {_cpu_seconds(self.timeout)} s of CPU time; skipped"
        if returncode == -signal.SIGKILL:
            # Only the kernel's out-of-memory killer sends it: our own kill on
            # timeout is reported as a timeout.
            return (
                f"the PDF parser was killed (exit code {returncode}, SIGKILL), "
                "perhaps for lack of memory; skipped"
            )
        return f"the PDF parser crashed (exit code {returncode}{_crash_detail(returncode, stderr)})"


class _WorkerDied(Exception):
    def __init__(self, returncode: int, stderr: bytes) -> None:
        super().__init__(returncode)
        self.returncode = returncode
        self.stderr = stderr


class _Worker:
    """One child: a request line in, a reply line out."""

    def __init__(self, memory_mb: int) -> None:
        # stderr goes to a file: pypdf may warn at length, and a full pipe would stall it.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the child
        self._process = subprocess.Popen(
            [sys.executable, "-P", _WORKER, str(memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self.done = 0

    def ask(self, request: dict[str, Any], timeout: float) -> bytes:
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps(request).encode() + b"\n")
            self._process.stdin.flush()
        except OSError:
            raise self._died() from None
        reply = self._read_line(time.monotonic() + timeout)
        self.done += 1
        return reply

    def _read_line(self, deadline: float) -> bytes:
        assert self._process.stdout is not None
        descriptor = self._process.stdout.fileno()
        received = bytearray()
        # A reply is one line (JSON escapes newlines inside strings).
        while not received.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([descriptor], [], [], left)
            if not ready:
                continue
            chunk = os.read(descriptor, 1 << 20)
            if not chunk:
                raise self._died()
            received += chunk
        return bytes(received)

    def _died(self) -> _WorkerDied:
        try:
            returncode = self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            returncode = self._process.wait()
        self._stderr.seek(0)
        stderr = self._stderr.read()
        self._stderr.close()
        return _WorkerDied(returncode, stderr)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()
        self._stderr.close()


def _crash_detail(returncode: int, stderr: bytes) -> str:
    if returncode < 0:
        try:
            return f", {signal.Signals(-returncode).name}"
        except ValueError:
            return f", signal {-returncode}"
    # A traceback's last line names the error; that is enough for a report.
    last = stderr.decode(errors="replace").strip().splitlines()[-1:]
    return f": {last[0][:200]}" if last else ""


def _check_header(path: Path) -> None:
    """Refuse missing files and non-PDFs here, without starting a child."""
    if not path.is_file():
        raise ParseError(f"no such file: {path}")
    try:
        with path.open("rb") as file:
            head = file.read(_HEAD_BYTES)
    except OSError as error:
        raise ParseError(f"cannot read {path}: {error.strerror}") from None
    if looks_like_pdf(head):
        return
    if not head:
        raise ParseError("not a PDF (the file is empty)")
    text = decode_text(head).lstrip()[:_PREVIEW_CHARS]
    preview = "".join(char if char.isprintable() else "?" for char in text)
    if looks_like_html(head):
        raise ParseError(f"not a PDF: it looks like an HTML page (starts with {preview!r}...)")
    raise ParseError(f"not a PDF (starts with {preview!r}...)")


def _cpu_seconds(timeout: float) -> int:
    # A backstop for the wall-clock timeout, which normally fires first.
    return math.ceil(timeout) + 1


def _payload(stdout: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(stdout)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise ParseError("the PDF parser gave no readable result; skipped")
    if "error" in payload:
        raise ParseError(str(payload["error"]))
    return payload


def _parsed(payload: dict[str, Any], max_chars: int) -> ParsedFile:
    pages: list[Page] = []
    warnings: list[str] = []
    empty: list[int] = []
    for number, page in enumerate(payload["pages"], start=1):
        text = clean_text(page["text"] or "")
        pages.append(Page(number, text))
        if page["error"]:
            warnings.append(f"page {number}: text extraction failed ({page['error']})")
        elif not text.strip():
            empty.append(number)
    warnings.extend(f"{span}: no text layer; OCR is not available" for span in _spans(empty))
    capped = payload.get("capped_after")
    if capped is not None:
        warnings.append(_capped(max_chars, capped, int(payload.get("page_count") or capped)))
    return ParsedFile(tuple(pages), pdf_title(payload["title"]), tuple(warnings))


def _capped(max_chars: int, read: int, count: int) -> str:
    unread = f"pages {read + 1}-{count} not read" if read < count else "the rest not read"
    return (
        f"text capped at {max_chars:,} characters (parse.max_chars): read to page {read} of "
        f"{count}, {unread}; raise parse.max_chars to read it all"
    )


def _spans(numbers: list[int]) -> list[str]:
    """Page numbers as "page 3" and "pages 5-9", so a scanned book is one warning."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and spans[-1][-1] == number - 1:
            spans[-1].append(number)
        else:
            spans.append([number])
    return [f"page {s[0]}" if len(s) == 1 else f"pages {s[0]}-{s[-1]}" for s in spans]


_APP_PREFIX = re.compile(r"^Microsoft (?:Office )?(?:Word|PowerPoint|Excel) - ", re.I)
_FILE_EXTENSION = re.compile(r"\.(?:docx?|pptx?|xlsx?|od[tps]|rtf|pdf|indd|tex|txt)$", re.I)
_JUNK_TITLE = re.compile(
    r"^(?:untitled|untitled document|document|presentation|powerpoint presentation|"
    r"book|slide|title|no title|none|null|unknown)[\s_-]*\d*$",
    re.I,
)
_FILE_PATH = re.compile(r"^(?:[a-z]:\\|/)", re.I)


def pdf_title(raw: str | None) -> str | None:
    """The metadata title if it names the document, not the program or a file."""
    title = " ".join((raw or "").split())
    title = _FILE_EXTENSION.sub("", _APP_PREFIX.sub("", title)).strip()
    if _JUNK_TITLE.match(title) or _FILE_PATH.match(title):
        return None
    if not any(char.isalpha() for char in title):
        return None
    return title
