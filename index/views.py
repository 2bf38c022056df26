"""The texts embedded for each chunk: the chunk itself, and each of its sentences.

A short question often matches one sentence better than the 500 characters
around it (measured on the dev set: English questions on the Norwegian report
found their evidence first 7 of 10 times with chunk vectors alone, 9 of 10 with
the best of chunk and sentence). A chunk's dense score is its best view's.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    texts = [c.text for c in chunks]
    owners = list(range(len(chunks)))
    spans = [(0, len(c.text)) for c in chunks]
    if sentences:
        for position, chunk in enumerate(chunks):
            sentences_of_chunk = split_sentences(chunk.text)
            if len(sentences_of_chunk) < 2:
                continue
            for start, end in sentences_of_chunk:
                if end - start >= _MIN_SENTENCE:
                    texts.append(chunk.text[start:end])
                    owners.append(position)
                    spans.append((start, end))
    return Views(texts, owners, spans)
