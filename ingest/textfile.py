"""Plain text and Markdown files, and `ParsedFile`, the result every parser returns."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from index.document import Page


@dataclass(frozen=True)
class ParsedFile:
    """A file's text by page, before it becomes a `Document`.

    `pages` are numbered from 1 and their text has been through `clean_text`.
    `warnings` are one line each, for the user ("page 3: no text layer; ...").
    """

    pages: tuple[Page, ...]
    title: str | None
    warnings: tuple[str, ...] = ()


# C0 and C1 control characters and DEL, except tab and newline: they come from
# broken encodings and PDF extraction and only confuse chunking and display.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TRAILING_SPACE = re.compile(r"[^\S\n]+$", re.MULTILINE)
_BLANK_RUN = re.compile(r"\n{3,}")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def clean_text(text: str) -> str:
    """Normalise line ends and whitespace noise; change nothing a reader would see."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    return _BLANK_RUN.sub("\n\n", text)


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        return None
    # As browsers do: pages labelled Latin-1 or ASCII are in practice Windows-1252.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Decode by byte order mark, then `charset`, then UTF-8, then Windows-1252.

    Never raises: undecodable bytes become U+FFFD as a last resort.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace")
    declared = _codec(charset)
    for name in dict.fromkeys(n for n in (declared, "utf-8", "cp1252") if n):
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    return data.decode(declared or "utf-8", errors="replace")


def single_page(text: str, title: str | None) -> ParsedFile:
    """A one-page `ParsedFile` of `text`, cleaned, with a warning if it is empty."""
    text = clean_text(text).strip("\n")
    warnings = () if text.strip() else ("the file has no text",)
    return ParsedFile(pages=(Page(1, text),), title=title, warnings=warnings)


def parse_text(data: bytes, charset: str | None = None) -> ParsedFile:
    """A plain text file: one page, no title."""
    return single_page(decode_text(data, charset), None)


_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_IMAGE = re.compile(r"!\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])[ \t]*")
_LINK = re.compile(r"\[([^\]\n]+)\](?:\([^)\n]*\)|\[[^\]\n]*\])")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s+\S+.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")


def _strip_markdown_noise(text: str) -> str:
    """Drop what a reader of the plain text would not miss; keep link text."""
    text = _HTML_COMMENT.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK_DEFINITION.sub("", text)
    text = _LINK.sub(r"\1", text)
    return _AUTOLINK.sub(r"\1", text)


def _markdown_title(text: str) -> str | None:
    """The first level-1 ATX heading outside fenced code."""
    in_code = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
            continue
        match = None if in_code else _H1.match(line)
        if match:
            return match.group(1).strip() or None
    return None


def parse_markdown(data: bytes, charset: str | None = None) -> ParsedFile:
    """A Markdown file: one page, kept as readable Markdown, titled by its first `# ` heading."""
    text = _strip_markdown_noise(clean_text(decode_text(data, charset)))
    return single_page(text, _markdown_title(text))
