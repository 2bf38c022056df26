"""The texts embedded for each chunk: the chunk itself, and each of its sentences.

A short question often matches one sentence better than the 500 characters
around it (measured on the dev set: English questions on the Norwegian report
found their evidence first 7 of 10 times with chunk vectors alone, 9 of 10 with
the best of chunk and sentence). A chunk's dense score is its best view's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from index.chunk import Chunk
from index.sentences import split_sentences

# Sentences shorter than this say too little to be matched on their own.
_MIN_SENTENCE = 25


@dataclass(frozen=True)
class Views:
    texts: list[str]
    owners: list[int]  # the chunk (by position) each text stands for
    spans: list[tuple[int, int]]  # where in that chunk's text it lies


def chunk_views(chunks: Sequence[Chunk], *, sentences: bool = True) -> Views:
    owners, spans = view_spans(chunks, sentences=sentences)
    return Views(view_texts(chunks, owners, spans), owners, spans)


def view_spans(
    chunks: Sequence[Chunk], *, sentences: bool = True
) -> tuple[list[int], list[tuple[int, int]]]:
    """Where each view lies: its chunk (by position) and its span in that chunk's text;
    every chunk whole first, then the sentences. The texts are `view_texts`: a large
    build makes them a part at a time instead of holding them all."""
    owners = list(range(len(chunks)))
    spans = [(0, len(c.text)) for c in chunks]
    if sentences:
        for position, chunk in enumerate(chunks):
            sentences_of_chunk = split_sentences(chunk.text)
            if len(sentences_of_chunk) < 2:
                continue
            for start, end in sentences_of_chunk:
                if end - start >= _MIN_SENTENCE:
                    owners.append(position)
                    spans.append((start, end))
    return owners, spans


def view_texts(
    chunks: Sequence[Chunk], owners: Iterable[int], spans: Iterable[Sequence[int]]
) -> list[str]:
    """The texts of the views at `owners` and `spans`."""
    return [chunks[o].text[s:e] for o, (s, e) in zip(owners, spans, strict=True)]
