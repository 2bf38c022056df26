"""HTML pages: the main text, as lines a reader would see, with the standard library's parser."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

from ingest.textfile import ParsedFile, decode_text, single_page


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


# Chrome, navigation and code: never part of what the page says. Not <form>:
# ASP.NET and SharePoint pages wrap the whole body in one; a form's chrome is
# its controls and their labels.
_SKIP = _tags(
    "script style noscript template svg math nav aside iframe button select "
    "textarea label object canvas dialog"
)
# Site banners and footers, unless they belong to an article or section
# (as in ARIA, where only the top-level ones are landmarks).
_LANDMARKS = _tags("header footer")
_SKIP_ROLES = _tags("navigation banner contentinfo complementary search")
_SECTIONING = _tags("main article section")
_PARAGRAPH = _tags(
    "p h1 h2 h3 h4 h5 h6 article section main blockquote pre table ul ol dl "
    "figure address details header footer hgroup fieldset"
)
_LINE = _tags("br div li tr dt dd caption figcaption summary legend hr center option")
_CELL = _tags("td th")
# Elements without end tags; they must never be counted as open.
_VOID = _tags("area base br col embed hr img input link meta param source track wbr")
_HEAD_SCAN = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.-]+)""", re.I)
_SPACES = re.compile(r"\s+")
# Stands for a paragraph break until the text is joined; page text never has it,
# as whitespace in the page, form feeds included, is collapsed to spaces.
_PARAGRAPH_BREAK = "\f"


@dataclass(frozen=True, eq=False)
class _Element:
    """An open element, and whether its text is dropped, main text, or an article."""

    tag: str
    skip: bool = False
    main: bool = False
    article: bool = False


_FLAGS = ("skip", "main", "article")


class _TextCollector(HTMLParser):
    """Collects the page's text three ways: all of it, inside <main>, inside <article>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.body: list[str] = []
        self.main: list[str] = []
        self.article: list[str] = []
        self.title: str | None = None
        self.og_title: str | None = None
        self.first_h1: str | None = None
        self._stack: list[_Element] = []
        # How many open elements have each tag, and each flag: no stack scans.
        self._open: Counter[str] = Counter()
        self._inside: Counter[str] = Counter()
        # The <title> or first <h1> being read, and its text so far.
        self._capture: tuple[_Element, list[str]] | None = None

    def _emit(self, piece: str) -> None:
        if self._inside["skip"]:
            return
        self.body.append(piece)
        if self._inside["main"]:
            self.main.append(piece)
        if self._inside["article"]:
            self.article.append(piece)

    def _element(self, tag: str, attrs: dict[str, str | None]) -> _Element:
        role = (attrs.get("role") or "").lower()
        skip = (
            tag in _SKIP
            or role in _SKIP_ROLES
            or "hidden" in attrs
            or (attrs.get("aria-hidden") or "").lower() == "true"
            or (tag in _LANDMARKS and not any(self._open[t] for t in _SECTIONING))
        )
        main = tag == "main" or role == "main"
        return _Element(tag, skip=skip, main=main, article=tag == "article")

    def _push(self, element: _Element) -> None:
        self._stack.append(element)
        self._open[element.tag] += 1
        self._inside.update(flag for flag in _FLAGS if getattr(element, flag))

    def _pop(self) -> _Element:
        element = self._stack.pop()
        self._open[element.tag] -= 1
        self._inside.subtract(flag for flag in _FLAGS if getattr(element, flag))
        if self._capture is not None and self._capture[0] is element:
            text = "".join(self._capture[1])
            self._capture = None
            if element.tag == "title":
                self.title = text
            else:
                self.first_h1 = text
        return element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("property") or "").lower() == "og:title":
            self.og_title = self.og_title or values.get("content")
        self._break(tag)
        if tag in _VOID:
            return
        element = self._element(tag, values)
        self._push(element)
        wanted = (tag == "title" and self.title is None) or (tag == "h1" and not self.first_h1)
        if wanted and self._capture is None and not self._inside["skip"]:
            self._capture = (element, [])

    def handle_endtag(self, tag: str) -> None:
        # Stray end tags are ignored; elements left open inside this one end with it.
        if tag in _VOID or not self._open[tag]:
            return
        self._break(tag)
        while self._pop().tag != tag:
            pass

    def _break(self, tag: str) -> None:
        if tag in _PARAGRAPH:
            self._emit(_PARAGRAPH_BREAK)
        elif tag in _LINE:
            self._emit("\n")
        elif tag in _CELL:
            self._emit(" ")

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._capture[1].append(data)
        if self._open["title"]:
            return
        self._emit(_SPACES.sub(" ", data))


def _lines(pieces: list[str]) -> str:
    """Join pieces into lines, and lines into paragraphs, without empty lines or padding."""
    paragraphs = []
    for block in "".join(pieces).split(_PARAGRAPH_BREAK):
        lines = (_SPACES.sub(" ", line).strip() for line in block.split("\n"))
        paragraphs.append("\n".join(line for line in lines if line))
    return "\n\n".join(p for p in paragraphs if p)


def _one_line(text: str | None) -> str | None:
    text = _SPACES.sub(" ", text or "").strip()
    return text or None


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_HEAD_SCAN])
    return match.group(1).decode("ascii") if match else None


def parse_html(data: bytes, charset: str | None = None) -> ParsedFile:
    """The main text of an HTML page, as one page.

    Text inside <main> (or role="main") wins over <article>, which wins over
    the whole page; navigation, scripts, form controls and site banners are dropped.
    """
    collector = _TextCollector()
    collector.feed(decode_text(data, charset or _declared_charset(data)))
    collector.close()
    text = ""
    for pieces in (collector.main, collector.article, collector.body):
        text = _lines(pieces)
        if text.strip():
            break
    title = (
        _one_line(collector.title) or _one_line(collector.og_title) or _one_line(collector.first_h1)
    )
    return single_page(text, title)
