"""Cutting pages into sentence-aligned chunks with exact offsets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from index.chunk import Chunk
from index.document import Document, Page
from index.language import SHORT_TEXT, UNDETERMINED, Languages, detect_languages
from index.sentences import split_sentences


@dataclass(frozen=True)
class Chunker:
    """Packs whole sentences into chunks of at most `size` characters.

    Consecutive chunks share up to `overlap` characters of whole sentences, so
    a passage cut at a boundary is still found whole in one of them. A chunk
    never crosses a page: citations name one page. A sentence longer than
    `size` is cut at spaces.
    """

    size: int = 500
    overlap: int = 100

    def __post_init__(self) -> None:
        if self.size < 1 or not 0 <= self.overlap < self.size:
            raise ValueError(
                f"chunk size {self.size} / overlap {self.overlap}: need 0 <= overlap < size"
            )

    def chunk(self, document: Document, languages: Languages = detect_languages) -> list[Chunk]:
        """`languages` tells each chunk's language (in-process unless another is given)."""
        spans = [(page, span) for page in document.pages for span in self._page_spans(page)]
        texts = [page.text[start:end] for page, (start, end) in spans]
        # Each chunk's own language (a Norwegian report quotes English slides), all of a
        # document's told at once. A short chunk (a heading, a caption, a page number)
        # takes its document's: too little to go on, and telling it apart needs lingua's
        # full models, which take longer to load than most documents take to read.
        told = [i for i, text in enumerate(texts) if len(text) >= SHORT_TEXT]
        langs = [document.lang] * len(texts)
        found = languages([texts[i] for i in told], default=document.lang)
        for i, lang in zip(told, found, strict=True):
            langs[i] = lang
        return [
            Chunk(
                id=Chunk.make_id(document.id, page.number, start, end),
                doc_id=document.id,
                page=page.number,
                start=start,
                end=end,
                text=text,
                lang=lang,
            )
            for (page, (start, end)), text, lang in zip(spans, texts, langs, strict=True)
        ]

    def _page_spans(self, page: Page) -> list[tuple[int, int]]:
        units = [
            piece for span in split_sentences(page.text) for piece in self._fit(page.text, span)
        ]
        return self.windows(units)

    def windows(self, units: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Greedy packing of consecutive units (sentence spans) into windows."""
        windows: list[tuple[int, int]] = []
        first = 0
        while first < len(units):
            last = first
            while last + 1 < len(units) and units[last + 1][1] - units[first][0] <= self.size:
                last += 1
            windows.append((units[first][0], units[last][1]))
            if last + 1 >= len(units):
                break
            first = self._next_first(units, first, last)
        return windows

    def _next_first(self, units: list[tuple[int, int]], first: int, last: int) -> int:
        # Step back over whole sentences while they fit in the overlap, but always advance.
        nxt = last + 1
        end = units[last][1]
        while nxt - 1 > first and end - units[nxt - 1][0] <= self.overlap:
            nxt -= 1
        return nxt

    def _fit(self, text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
        """Cut a span longer than `size` at spaces (or hard, if it has none)."""
        start, end = span
        pieces: list[tuple[int, int]] = []
        while end - start > self.size:
            cut = text.rfind(" ", start + 1, start + self.size + 1)
            cut = cut if cut > start else start + self.size
            pieces.append((start, cut))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            pieces.append((start, end))
        return pieces


def main_language(chunks: Iterable[Chunk]) -> str | None:
    """The language most of the chunks' text is in (by characters), of those told; None
    when none was."""
    sizes: Counter[str] = Counter()
    for chunk in chunks:
        if chunk.lang != UNDETERMINED:
            sizes[chunk.lang] += len(chunk.text)
    return max(sizes, key=sizes.__getitem__) if sizes else None
