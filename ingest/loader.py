"""Turning a file on disk into page-numbered text, whatever its type."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from index.document import Page
from ingest.errors import ParseError, SkippedError
from ingest.htmltext import parse_html
from ingest.kind import sniff_kind
from ingest.parse_cache import ParseCache
from ingest.pdf import PdfParser
from ingest.reflow import reflow
from ingest.textfile import ParsedFile, parse_markdown, parse_text

_SUPPORTED = "PDF, HTML, TXT and Markdown"


@dataclass(frozen=True)
class Loaded:
    parsed: ParsedFile
    kind: str
    sha256: str
    raw: bytes


class FileLoader:
    """Reads, sniffs and parses a file; parsed results are cached by content hash."""

    def __init__(
        self, pdf: PdfParser, cache: ParseCache, *, max_bytes: int, max_chars: int = 5_000_000
    ) -> None:
        self._pdf = pdf
        self._cache = cache
        self._max_bytes = max_bytes
        self._max_chars = max_chars  # PDFs: the parser caps them as it reads
        self._counts = Counter[str]()
        self._lock = threading.Lock()

    def load(
        self, path: Path, *, name: str | None = None, content_type: str | None = None
    ) -> Loaded:
        data = self._read(path)
        label = name or path.name
        kind = "pdf" if label.lower().endswith(".pdf") else None
        kind = kind or sniff_kind(data[:2048], content_type=content_type, name=label)
        if kind is None:
            suffix = Path(label).suffix or "(no extension)"
            raise SkippedError(f"unsupported file type {suffix}; kilde reads {_SUPPORTED}")
        sha256 = hashlib.sha256(data).hexdigest()
        parsed = self._cache.get(sha256, kind)
        if parsed is None:
            parsed = self._parse(path, data, kind, content_type)
            self._cache.put(sha256, kind, parsed)
            self._count("parsed")
        else:
            self._count("cached")
        return Loaded(parsed=parsed, kind=kind, sha256=sha256, raw=data)

    @property
    def counts(self) -> tuple[int, int]:
        """Files parsed so far, and files whose text came from the parse cache."""
        with self._lock:
            return self._counts["parsed"], self._counts["cached"]

    def _count(self, what: str) -> None:
        with self._lock:
            self._counts[what] += 1

    def _read(self, path: Path) -> bytes:
        """The bytes of `path`; any failure to read it is a one-line ParseError."""
        try:
            if not path.exists():
                raise ParseError(f"no such file: {path}")
            if not path.is_file():
                raise ParseError(f"not a file: {path}")
            size = path.stat().st_size
            if size > self._max_bytes:
                raise SkippedError(
                    f"{path.name} is {size / 1e6:.0f} MB, over the "
                    f"{self._max_bytes / 1e6:.0f} MB cap (fetch.max_bytes)"
                )
            if size == 0:
                raise ParseError(f"empty file: {path}")
            return path.read_bytes()
        except OSError as error:
            raise ParseError(f"cannot read {path}: {error.strerror or error}") from error

    def _parse(self, path: Path, data: bytes, kind: str, content_type: str | None) -> ParsedFile:
        charset = _charset(content_type)
        match kind:
            case "pdf":
                return self._pdf.parse(path)
            case "html":
                return capped(parse_html(data, charset), self._max_chars)
            case "markdown":
                return capped(parse_markdown(data, charset), self._max_chars)
            case _:
                return reflow_text(capped(parse_text(data, charset), self._max_chars))


def capped(parsed: ParsedFile, max_chars: int) -> ParsedFile:
    """At most `max_chars` characters of text, cut at a space; the cut is reported."""
    total = sum(len(p.text) for p in parsed.pages)
    if total <= max_chars:
        return parsed
    pages: list[Page] = []
    left = max_chars
    for page in parsed.pages:
        if left <= 0:
            break
        text = page.text if len(page.text) <= left else _cut(page.text, left)
        pages.append(Page(page.number, text))
        left -= len(page.text)
    kept = sum(len(p.text) for p in pages)
    warning = (
        f"text capped at {max_chars:,} characters (parse.max_chars): the last "
        f"{total - kept:,} characters not read; raise parse.max_chars to read it all"
    )
    return replace(parsed, pages=tuple(pages), warnings=(*parsed.warnings, warning))


def _cut(text: str, limit: int) -> str:
    space = text.rfind(" ", 0, limit + 1)
    return text[: space if space > limit // 2 else limit]


def reflow_text(parsed: ParsedFile) -> ParsedFile:
    """Plain text is often hard-wrapped: join its lines into whole sentences."""
    pages = tuple(Page(p.number, reflow(p.text).text) for p in parsed.pages)
    return replace(parsed, pages=pages)


def _charset(content_type: str | None) -> str | None:
    if not content_type or "charset=" not in content_type.lower():
        return None
    return content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or None
