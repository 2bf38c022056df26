"""What kind of file some bytes are: pdf, html, text or markdown."""

from __future__ import annotations

import codecs
from pathlib import PurePosixPath

# PDF readers accept the header anywhere in the first kilobyte, after junk.
_PDF_SCAN = 1024
_HTML_SCAN = 1024
_HTML_STARTS = (b"<!doctype html", b"<html")
_HTML_TAGS = (b"<html", b"<head", b"<body")

_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
}
_EXTENSIONS = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}


def looks_like_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:_PDF_SCAN]


def looks_like_html(head: bytes) -> bool:
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()[:_HTML_SCAN].lower()
    return start.startswith(_HTML_STARTS) or any(tag in start for tag in _HTML_TAGS)


def _by_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return _CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())


def _by_name(name: str | None) -> str | None:
    if not name:
        return None
    # Names may be URLs: the extension is on the path, before any query.
    path = name.split("?")[0].split("#")[0]
    return _EXTENSIONS.get(PurePosixPath(path).suffix.lower())


def sniff_kind(
    head: bytes, *, content_type: str | None = None, name: str | None = None
) -> str | None:
    """The kind of a file from its first bytes, else its content type, else its name.

    Bytes win: an HTML error page served as application/pdf is "html". Servers
    often send Markdown as text/plain, so a Markdown name refines text/plain.
    None means unknown.
    """
    if looks_like_pdf(head):
        return "pdf"
    if looks_like_html(head):
        return "html"
    by_type = _by_content_type(content_type)
    by_name = _by_name(name)
    if by_type == "text" and by_name == "markdown":
        return "markdown"
    return by_type or by_name
