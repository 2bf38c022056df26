"""The texts embedded for each chunk: the chunk itself, and each of its sentences.

A short question often matches one sentence better than the 500 characters
around it (measured on the dev set: English questions on the Norwegian report
found their evidence first 7 of 10 times with chunk vectors alone, 9 of 10 with
the best of chunk and sentence). A chunk's dense score is its best view's.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.chunk import Chunk
from index.sentences import split_sentences

# Sentences shorter than this say too little to be matched on their own.
_MIN_SENTENCE = 25


@dataclass(frozen=True)
class Views:
    texts: list[str]
    owners: list[int]  # the chunk (by position) each text stands for
    spans: list[list[int]]  # where in that chunk's text it lies: [start, end]


def chunk_views(chunks: Sequence[Chunk], *, sentences: bool = True) -> Views:
    owners, spans = view_spans(chunks, sentences=sentences)
    owned, spanned = owners.tolist(), spans.tolist()
    return Views(view_texts(chunks, owned, spanned), owned, spanned)


def view_spans(
    chunks: Iterable[Chunk], *, sentences: bool = True
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Where each view lies: its chunk (by position) and its span in that chunk's text
    (a row of two); every chunk whole first, then the sentences. The texts are
    `view_texts`: a large build makes them a part at a time instead of holding them all."""
    finder = ViewFinder(sentences=sentences)
    for chunk in chunks:
        finder.add(chunk)
    return finder.found()


class ViewFinder:
    """`view_spans` of chunks given one at a time (as a pass over a corpus on disk reads
    them, for other work too)."""

    def __init__(self, *, sentences: bool = True) -> None:
        self._sentences = sentences
        self._lengths = array("q")
        self._owners, self._bounds = array("q"), array("q")  # the sentences' (8 bytes each)

    def add(self, chunk: Chunk) -> None:
        position = len(self._lengths)
        self._lengths.append(len(chunk.text))
        if not self._sentences:
            return
        found = split_sentences(chunk.text)
        if len(found) < 2:
            return
        for start, end in found:
            if end - start >= _MIN_SENTENCE:
                self._owners.append(position)
                self._bounds.extend((start, end))

    def found(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        count = len(self._lengths)
        whole = np.zeros((count, 2), dtype=np.int64)
        whole[:, 1] = np.asarray(self._lengths, dtype=np.int64)
        return (
            np.concatenate([np.arange(count, dtype=np.int64), np.asarray(self._owners, np.int64)]),
            np.concatenate([whole, np.asarray(self._bounds, np.int64).reshape(-1, 2)]),
        )


def view_texts(
    chunks: Sequence[Chunk], owners: Iterable[int], spans: Iterable[Sequence[int]]
) -> list[str]:
    """The texts of the views at `owners` and `spans`."""
    return [chunks[o].text[s:e] for o, (s, e) in zip(owners, spans, strict=True)]


class ViewReader:
    """Views' texts from chunks read in corpus order as they are asked for: rows asked in
    order lie in chunks in order, but for one step back (from the last whole chunk to the
    first sentence), where the chunks are read again from the start."""

    def __init__(
        self,
        chunks: Callable[[], Iterator[Chunk]],
        owners: npt.NDArray[np.int64],
        spans: npt.NDArray[np.int64],
    ) -> None:
        self._open = chunks
        self._owners = owners
        self._spans = spans
        self._chunks: Iterator[Chunk] | None = None
        self._position = -1
        self._chunk: Chunk | None = None

    def texts(self, rows: npt.NDArray[np.int64]) -> list[str]:
        at = self._chunk_at
        return [
            at(owner).text[start:end]
            for owner, (start, end) in zip(
                self._owners[rows].tolist(), self._spans[rows].tolist(), strict=True
            )
        ]

    def _chunk_at(self, position: int) -> Chunk:
        if self._chunks is None or position < self._position:
            self._chunks, self._position = self._open(), -1
        while self._position < position:
            found = next(self._chunks, None)
            if found is None:
                raise ValueError(f"the corpus has no chunk {position}: it changed while read")
            self._chunk, self._position = found, self._position + 1
        assert self._chunk is not None
        return self._chunk
