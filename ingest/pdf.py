"""PDF files, read page by page in a child process with time and memory limits."""

from __future__ import annotations

import json
import math
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
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


@dataclass(frozen=True)
class PdfParser:
    """Reads a PDF's text layer page by page, in a child process.

    pypdf keeps fixing denial-of-service bugs, so each file is parsed by a
    child with a wall-clock timeout, an address-space limit and a CPU-time
    limit: a hostile file costs that child, never the caller.
    """

    timeout: float = 120.0  # seconds, wall clock
    memory_mb: int = 1024  # address-space limit of the child
    max_pages: int = 5000

    @classmethod
    def from_settings(cls, settings: ParseSettings) -> PdfParser:
        return cls(
            timeout=settings.pdf_timeout,
            memory_mb=settings.pdf_memory_mb,
            max_pages=settings.max_pages,
        )

    def parse(self, path: Path) -> ParsedFile:
        """The text of each page; raises ParseError with a one-line reason."""
        _check_header(path)
        try:
            done = subprocess.run(
                [
                    sys.executable,
                    "-P",
                    _WORKER,
                    str(path),
                    str(self.max_pages),
                    str(self.memory_mb),
                    str(_cpu_seconds(self.timeout)),
                ],
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ParseError(f"parsing took longer than {self.timeout:g} s; skipped") from None
        if done.returncode != 0:
            raise ParseError(self._failure(done.returncode, done.stderr))
        return _parsed(_payload(done.stdout))

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


def _parsed(payload: dict[str, Any]) -> ParsedFile:
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
    return ParsedFile(tuple(pages), pdf_title(payload["title"]), tuple(warnings))


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
