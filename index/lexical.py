"""BM25 over the chunks, and how well a query's words are known to the corpus.

The index keeps, per chunk, how often each term and each word occurs (two sparse
matrices), so a new version can take the rows of unchanged chunks from the
last one and analyse only the new ones (`updated`). BM25 weights are worked out
from the counts when the index is made or loaded: Lucene's variant with k1 = 1.5 and
b = 0.75, as bm25s scores it (tests/test_lexical.py compares the two).
"""

from __future__ import annotations

import hashlib
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from difflib import SequenceMatcher
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from index.analyzer import Analyzer
from index.chunk import Chunk
from index.exonyms import EXONYMS, cognate
from index.rows import taken_over

Scores = npt.NDArray[np.float32]
# Letters a name must share with a corpus word to count as the same name in another
# language, and how alike (difflib's ratio) the rest must be.
_PREFIX = 3
_ALIKE = 0.7
_BLOCK = 4096  # rows of a table turned into Python lists at once
_K1 = 1.5
_B = 0.75


class LexicalIndex:
    def __init__(
        self, terms: _Table, words: _Table, analyzer: Analyzer, rows: Sequence[str]
    ) -> None:
        """`terms`: how often each term occurs in each chunk; `words`: how often each word
        does (the analyzer's vocabulary, for compounds and names); `rows`: a key per chunk
        (its text, heading and language) that tells a later build which rows it can take
        over."""
        self._terms = terms
        self._words = words
        self.analyzer = analyzer
        self.rows = list(rows)
        self.size = terms.size
        self._df = terms.frequencies()
        self._known: dict[str, bool] = {}

    @classmethod
    def build(
        cls, chunks: Iterable[Chunk], *, compounds: bool = True, headings: Iterable[str] = ()
    ) -> LexicalIndex:
        """`headings`: per chunk, the heading of its section when the chunk does not hold it
        (none: ""); its words count as the chunk's own."""
        heads = iter(headings)
        return cls.from_rows(((c, next(heads, "")) for c in chunks), compounds=compounds)

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[Chunk, str]], *, compounds: bool = True
    ) -> LexicalIndex:
        """An index of each chunk with its heading, in one pass over `rows` (which may be
        read from disk as they come: no chunk is kept)."""
        keys: list[str] = []

        def keyed() -> Iterator[tuple[Chunk, str]]:
            for chunk, heading in rows:
                keys.append(row_key(chunk, heading))
                yield chunk, heading

        # `keys` is filled as `_made` reads the rows, before it makes the index.
        return cls._made(keyed(), compounds, None, keys)

    def updated(
        self, chunks: Sequence[Chunk], *, headings: Sequence[str] = ()
    ) -> tuple[LexicalIndex, int]:
        """An index over `chunks` that takes every row whose key this one has (the same
        text, heading and language) and analyses the others; and how many it analysed.

        A taken row keeps the compound parts found with the vocabulary of its time: a
        word that only a new document made known does not split it (a full `build`
        does)."""
        padded = _padded(headings, chunks)
        keys = [row_key(c, h) for c, h in zip(chunks, padded, strict=True)]
        earlier = taken_over(self.rows, keys)
        fresh = ((chunks[i], padded[i]) for i, e in enumerate(earlier) if e is None)
        made = self._made(fresh, self.analyzer.compounds, (self, earlier), keys)
        return made, sum(e is None for e in earlier)

    @classmethod
    def _made(
        cls,
        fresh: Iterable[tuple[Chunk, str]],
        compounds: bool,
        before: tuple[LexicalIndex, Sequence[int | None]] | None,
        keys: list[str],
    ) -> LexicalIndex:
        """An index of the `fresh` rows (chunk and heading) analysed now, below the rows
        of an earlier index taken over: with `before` = (that index, `earlier`), where
        `earlier[i]` is the row chunk i takes (None: the next fresh row). `keys`: each
        chunk's row key."""
        # Words do not depend on the vocabulary: counted once per chunk into the word table
        # (one string per distinct word), and the terms worked out from those counts. No
        # list of every chunk's words is held: at 100,000 chunks it was most of the memory.
        plain = Analyzer(compounds=False)
        langs: list[str] = []

        def counted() -> Iterator[Counter[str]]:
            for chunk, heading in fresh:
                langs.append(chunk.lang)
                yield Counter(plain.words(_text(chunk, heading)))

        index = before[0] if before is not None else None
        start = index.size if index is not None else 0
        word_table = (index._words if index is not None else _Table.empty()).extended(counted())
        order = None
        kept_words = word_table
        if before is not None:
            # The fresh rows went below the earlier table's; one pass puts every row a
            # chunk takes in chunk order (rows of removed chunks are left behind).
            earlier = before[1]
            made = iter(range(start, word_table.size))
            order = np.fromiter(
                (next(made) if e is None else e for e in earlier),
                dtype=np.int64,
                count=len(earlier),
            )
            kept_words = word_table.taken(order)
        # The vocabulary of the rows kept (a removed chunk's words are no longer known).
        analyzer = Analyzer(kept_words.present(), compounds=compounds)
        counts = (
            _term_counts(analyzer, words, lang)
            for words, lang in zip(word_table.rows(start, word_table.size), langs, strict=True)
        )
        term_table = (index._terms if index is not None else _Table.empty()).extended(counts)
        if order is not None:
            term_table = term_table.taken(order)
        return cls(term_table, kept_words, analyzer, keys)

    def scores(self, query: str) -> Scores:
        """BM25 score of every chunk, in chunk order."""
        ids = [
            i for t in self.analyzer.query_terms(query) if (i := self._terms.column(t)) is not None
        ]
        ids = [i for i in ids if self._df[i]]
        if not ids or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._weights[:, ids].sum(axis=1), dtype=np.float32).ravel()

    @cached_property
    def _weights(self) -> Any:
        """Chunks x terms, each count's BM25 weight (idf times saturated term frequency)."""
        from scipy.sparse import csr_matrix  # lazy

        counts = self._terms.matrix
        size = counts.shape[0]
        lengths = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
        average = float(lengths.mean()) if size else 1.0
        df = self._df.astype(np.float64)
        idf = np.log(1 + (size - df + 0.5) / (df + 0.5))
        rows = np.repeat(np.arange(size), np.diff(counts.indptr))
        tf = counts.data.astype(np.float64)
        norm = _K1 * ((1 - _B) + _B * lengths[rows] / max(average, 1e-9))
        weights = (idf[counts.indices] * tf / (norm + tf)).astype(np.float32)
        return csr_matrix((weights, counts.indices, counts.indptr), shape=counts.shape).tocsc()

    def _frequency(self, term: str) -> int:
        column = self._terms.column(term)
        return int(self._df[column]) if column is not None else 0

    def coverage(self, query: str) -> float:
        """The idf-weighted share of the query's words that occur in the corpus.

        An English question about a Norwegian corpus scores near 0 (only names
        match); a question in the corpus's own language near 1. Fusion trusts
        the lexical ranking that much.
        """
        words = self.analyzer.words(query)
        if not words or not self.size:
            return 0.0
        total = known = 0.0
        for word in words:
            terms = [t for t in self.analyzer.terms(word, "und") if t]
            df = max((self._frequency(t) for t in terms), default=0)
            # An unknown word weighs as much as the rarest known one.
            weight = math.log(1 + self.size / max(df, 1))
            total += weight
            known += weight if df else 0.0
        return known / total if total else 0.0

    def knows(self, word: str) -> bool:
        """Whether the corpus has `word`, or (for a name across languages) a word like it:
        the same first letters and mostly the same letters (Lithuania / Litauen, Seville /
        Sevilla, Basque / Baskerland), also as the first part of a compound."""
        lowered = word.lower()
        if lowered not in self._known:
            forms = (word, *EXONYMS.get(lowered, ()))
            # Letter-by-letter comparisons over the vocabulary are not cheap: once per word.
            self._known[lowered] = any(self._has(form) for form in forms)
        return self._known[lowered]

    def _has(self, word: str) -> bool:
        if any(self._frequency(t) for t in self.analyzer.terms(word, "und") if t):
            return True
        wanted = cognate(word.lower())
        for known in self._by_prefix.get(wanted[:_PREFIX], ()):
            if SequenceMatcher(None, wanted, known).ratio() >= _ALIKE:
                return True
            if SequenceMatcher(None, wanted, known[: len(wanted)]).ratio() >= _ALIKE:
                return True
        return False

    @cached_property
    def _by_prefix(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for known in self.analyzer.vocabulary:
            form = cognate(known)
            if len(form) >= _PREFIX:
                found.setdefault(form[:_PREFIX], []).append(form)
        return found

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._terms.save(directory / "terms.npz")
        self._words.save(directory / "words.npz")
        meta = {
            "size": self.size,
            "terms": self._terms.labels,
            "words": self._words.labels,
            "rows": self.rows,
            "compounds": self.analyzer.compounds,
        }
        (directory / "lexical.json").write_bytes(orjson.dumps(meta))

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        meta = orjson.loads((directory / "lexical.json").read_bytes())
        terms = _Table.load(directory / "terms.npz", meta["terms"])
        words = _Table.load(directory / "words.npz", meta["words"])
        if len({terms.size, words.size, len(meta["rows"]), meta["size"]}) != 1:
            raise ValueError(f"{directory}: the lexical index's parts disagree on its size")
        analyzer = Analyzer(words.present(), compounds=meta["compounds"])
        return cls(terms, words, analyzer, meta["rows"])


class _Columns(dict[str, int]):
    """Label to column; a label not seen before becomes the next column (and `labels`'s
    next entry)."""

    def __init__(self, columns: Mapping[str, int], labels: list[str]) -> None:
        super().__init__(columns)
        self._labels = labels

    def __missing__(self, label: str) -> int:
        column = self[label] = len(self._labels)
        self._labels.append(label)
        return column


class _Table:
    """A sparse count matrix, chunks x labels (terms or words), that grows by rows and
    labels: a label keeps its column for good."""

    def __init__(self, matrix: Any, labels: list[str]) -> None:
        self.matrix = matrix  # scipy.sparse.csr_matrix of int32
        self.labels = labels
        self._columns = {label: i for i, label in enumerate(labels)}

    @classmethod
    def empty(cls) -> _Table:
        from scipy.sparse import csr_matrix  # lazy

        return cls(csr_matrix((0, 0), dtype=np.int32), [])

    @property
    def size(self) -> int:
        return int(self.matrix.shape[0])

    def column(self, label: str) -> int | None:
        return self._columns.get(label)

    def frequencies(self) -> npt.NDArray[np.int64]:
        """In how many rows each label occurs."""
        return np.bincount(self.matrix.indices, minlength=len(self.labels)).astype(np.int64)

    def present(self) -> list[str]:
        """The labels that occur in some row."""
        return [self.labels[i] for i in np.flatnonzero(self.frequencies())]

    def rows(self, start: int, stop: int) -> Iterator[list[tuple[str, int]]]:
        """The labels of rows `start` to `stop`, each with its count: a block of rows made
        into Python lists at a time (per row, numpy's slicing cost more than the rest)."""
        matrix, labels = self.matrix, self.labels
        for block in range(start, stop, _BLOCK):
            bounds = matrix.indptr[block : min(block + _BLOCK, stop) + 1].tolist()
            indices = matrix.indices[bounds[0] : bounds[-1]].tolist()
            data = matrix.data[bounds[0] : bounds[-1]].tolist()
            base = bounds[0]
            for begin, end in pairwise(bounds):
                found = range(begin - base, end - base)
                yield [(labels[indices[i]], data[i]) for i in found]

    def taken(self, rows: Sequence[int] | npt.NDArray[np.int64]) -> _Table:
        """These rows, in this order."""
        return _Table(self.matrix[np.asarray(rows, dtype=np.int64)], self.labels)

    def extended(self, rows: Iterable[Mapping[str, int]]) -> _Table:
        """These rows added below, with any labels not seen before as new columns."""
        from scipy.sparse import csr_matrix, vstack

        labels = list(self.labels)
        columns = _Columns(self._columns, labels)
        # Typed arrays, 4 or 8 bytes an entry (a list of ints is 8 plus an object each),
        # extended a row at a time in C (an append per count was most of this loop's time).
        indptr, indices, data = array("q", [0]), array("i"), array("i")
        for counts in rows:
            indices.extend(map(columns.__getitem__, counts))
            data.extend(counts.values())
            indptr.append(len(indices))
        width = len(labels)
        # The arrays' own buffers, not copies of them: a table is built at its size once.
        below = csr_matrix(
            (
                np.frombuffer(data, dtype=f"i{data.itemsize}"),  # a C int: 4 bytes here
                np.frombuffer(indices, dtype=f"i{indices.itemsize}"),
                np.frombuffer(indptr, dtype=np.int64),
            ),
            shape=(len(indptr) - 1, width),
            copy=False,
        )
        if self.size == 0:
            return _Table(below, labels)
        above = self.matrix
        above = csr_matrix((above.data, above.indices, above.indptr), shape=(self.size, width))
        return _Table(vstack([above, below], format="csr", dtype=np.int32), labels)

    def save(self, path: Path) -> None:
        matrix = self.matrix
        with path.open("wb") as handle:
            np.savez(handle, data=matrix.data, indices=matrix.indices, indptr=matrix.indptr)

    @classmethod
    def load(cls, path: Path, labels: list[str]) -> _Table:
        from scipy.sparse import csr_matrix

        with np.load(path, allow_pickle=False) as arrays:
            indptr = arrays["indptr"]
            matrix = csr_matrix(
                (arrays["data"], arrays["indices"], indptr), shape=(len(indptr) - 1, len(labels))
            )
        return cls(matrix, labels)


def _term_counts(analyzer: Analyzer, words: Iterable[tuple[str, int]], lang: str) -> dict[str, int]:
    """How often each index term occurs, from how often each word does."""
    counts: dict[str, int] = {}
    found, terms_of = counts.get, analyzer.word_terms  # looked up once: millions of calls
    for word, count in words:
        for term in terms_of(word, lang):
            if term:
                counts[term] = found(term, 0) + count
    return counts


def _text(chunk: Chunk, heading: str) -> str:
    return f"{heading}\n{chunk.text}" if heading else chunk.text


def row_key(chunk: Chunk, heading: str) -> str:
    """What a chunk's lexical row is made from: its language, heading and text."""
    return hashlib.sha1(f"{chunk.lang}\n{heading}\n{chunk.text}".encode()).hexdigest()


def _padded(headings: Sequence[str], chunks: Sequence[Chunk]) -> list[str]:
    return [headings[i] if i < len(headings) else "" for i in range(len(chunks))]
