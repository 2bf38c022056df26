"""Headings in page text: the lines that name the section, topic or speaker of what follows.

Parsers give text, not markup, so a heading is recognised by its shape: a line
of its own, followed by more text, that does not end like a sentence and is
either short or mostly capitalised words ("Charles Wessner, Georgetown
University, United States: Smart Specialization in the U.S"). A line ending in
a colon that introduces a title line forms one heading with it. A sentence's
section is the last heading above it on its page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from index.chunk import Chunk
from index.document import Document

# A line shorter than this (in words) without a full stop reads as a heading.
_SHORT_WORDS = 8
_MAX_CHARS = 300
# Or most of its words are capitalised: names, institutions, titles.
_CAPITALISED_SHARE = 0.4
_WORD = re.compile(r"[^\W_][\w'’.-]*")
_SENTENCE_END = (".", "!", "…", "»", "”", '"')
# A line ending in a colon is a heading ("Deltakere:") when short, else a lead-in sentence.
_COLON_WORDS = 12


@dataclass(frozen=True)
class Heading:
    start: int  # offsets into the page text
    end: int
    text: str


def find_headings(text: str) -> list[Heading]:
    lines = _lines(text)
    headings: list[Heading] = []
    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        if i + 1 >= len(lines):
            break  # a heading heads something
        previous = headings[-1] if headings else None
        if (
            previous is not None
            and previous.end == _end_before(lines, i)
            and previous.text.endswith(":")
            and not line.endswith((*_SENTENCE_END, ":"))
        ):
            # "Name, Institution:" followed by its title line: one heading.
            headings[-1] = Heading(previous.start, end, text[previous.start : end])
        elif _heading_shape(line):
            headings.append(Heading(start, end, line))
    return headings


def heading_before(headings: Sequence[Heading], offset: int) -> Heading | None:
    """The last heading that starts at or before `offset` (the section `offset` is in)."""
    found = None
    for heading in headings:
        if heading.start > offset:
            break
        found = heading
    return found


@dataclass(frozen=True)
class Place:
    """Where on a page a passage stands for a reader: its section and paragraph."""

    section: str | None  # the section's heading, shortened; None before any heading
    paragraph: int  # 1-based, counted from the section's heading (or the page's top)


def paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    """The paragraphs of a page: its blocks of text between blank lines, as spans."""
    spans = []
    for match in re.finditer(r"\S(?:.*?\S)?(?=\s*(?:\n\s*\n|\Z))", text, re.DOTALL):
        spans.append((match.start(), match.end()))
    return tuple(spans)


@dataclass(frozen=True)
class PageLayout:
    """A page's headings and paragraphs, found once: the section and paragraph of a passage."""

    headings: tuple[Heading, ...]
    paragraphs: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str) -> PageLayout:
        return cls(tuple(find_headings(text)), paragraphs(text))

    def heading_of(self, offset: int) -> Heading | None:
        return heading_before(self.headings, offset)

    def place(self, offset: int) -> Place:
        """The section and paragraph of `offset`; a heading's own line is no paragraph."""
        heading = self.heading_of(offset)
        after = heading.end if heading is not None else 0
        number = sum(
            1 for start, end in self.paragraphs if end > after and max(start, after) <= offset
        )
        return Place(_short(heading.text) if heading is not None else None, max(number, 1))


def cited_place(kind: str, layout: PageLayout | None, offset: int) -> Place | None:
    """Where a citation of `offset` points a reader: a PDF's page number says it (None);
    a text or a web page, whose one "page" tells nothing, needs the section and paragraph."""
    return None if kind == "pdf" or layout is None else layout.place(offset)


def _short(heading: str) -> str:
    text = " ".join(heading.split()).rstrip(":")
    if len(text) <= _SHORT_SECTION:
        return text
    return text[: text.rfind(" ", 0, _SHORT_SECTION)].rstrip(",;:") + " …"


# A section is named by at most this many characters of its heading.
_SHORT_SECTION = 60


def with_headings(
    chunks: Iterable[Chunk], document: Callable[[str], Document | None]
) -> Iterator[tuple[Chunk, str]]:
    """Each chunk with the heading of the section it starts in when the heading stands
    before the chunk ("" otherwise): what a speaker said is found by the speaker's name.
    `document(id)` gives a chunk's document (None: unknown, so no headings); one is
    asked for when the chunks move on to it, so a corpus on disk is read a document at a
    time."""
    doc_id: str | None = None
    pages: dict[int, str] = {}
    found: dict[int, list[Heading]] = {}
    for chunk in chunks:
        if chunk.doc_id != doc_id:
            doc_id, found = chunk.doc_id, {}
            known = document(doc_id)
            pages = {p.number: p.text for p in known.pages} if known is not None else {}
        if chunk.page not in found:
            found[chunk.page] = find_headings(pages.get(chunk.page, ""))
        heading = heading_before(found[chunk.page], chunk.start)
        yield chunk, heading.text if heading is not None and heading.end <= chunk.start else ""


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        stripped = match.group(0).strip()
        if stripped:
            start = match.start() + match.group(0).index(stripped[0])
            spans.append((start, start + len(stripped)))
    return spans


def _end_before(lines: list[tuple[int, int]], i: int) -> int:
    return lines[i - 1][1] if i > 0 else -1


def _heading_shape(line: str) -> bool:
    stripped = line.strip()
    if len(stripped) > _MAX_CHARS or (not stripped[:1].isupper() and not stripped[:1].isdigit()):
        return False
    if stripped.endswith(_SENTENCE_END):
        return False
    words = _WORD.findall(stripped)
    if not words:
        return False
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in words) / len(words)
    if stripped.endswith(":"):
        return len(words) <= _COLON_WORDS
    if stripped.endswith("?"):
        # A question as a title ("How Bright are the Northern Lights ...?"), not in the text.
        return capitalised >= _CAPITALISED_SHARE and len(words) > _SHORT_WORDS
    return len(words) <= _SHORT_WORDS or capitalised >= _CAPITALISED_SHARE


def location(page: int, section: str | None, paragraph: int | None, page_word: str = "p.") -> str:
    """Where a reader finds a quote: "p. 3" in a PDF, "Deltakere, ¶ 2" in a text or a page
    (whose one "page" tells nothing)."""
    if paragraph is None:
        return f"{page_word} {page}"
    return f"{section}, ¶ {paragraph}" if section else f"¶ {paragraph}"
