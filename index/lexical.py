"""BM25 over the chunks (bm25s), and how well a query's words are known to the corpus."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from index.analyzer import Analyzer
from index.chunk import Chunk
from index.exonyms import EXONYMS, cognate

Scores = npt.NDArray[np.float32]
# Letters a name must share with a corpus word to count as the same name in another
# language, and how alike (difflib's ratio) the rest must be.
_PREFIX = 3
_ALIKE = 0.7


class LexicalIndex:
    def __init__(self, bm25: Any, analyzer: Analyzer, df: dict[str, int], size: int) -> None:
        self._bm25 = bm25
        self.analyzer = analyzer
        self._df = df
        self.size = size
        self._known: dict[str, bool] = {}

    @classmethod
    def build(
        cls, chunks: Sequence[Chunk], *, compounds: bool = True, headings: Sequence[str] = ()
    ) -> LexicalIndex:
        """`headings`: per chunk, the heading of its section when the chunk does not hold it;
        its words count as the chunk's own."""
        import bm25s  # lazy: scipy

        texts = [
            f"{headings[i]}\n{c.text}" if i < len(headings) and headings[i] else c.text
            for i, c in enumerate(chunks)
        ]
        # Words do not depend on the vocabulary: found once, for it and for the terms.
        plain = Analyzer(compounds=False)
        words = [plain.words(t) for t in texts]
        vocabulary = {w for found in words for w in found}
        analyzer = Analyzer(vocabulary, compounds=compounds)
        corpus = [
            analyzer.terms_of_words(found, c.lang) or [""]
            for found, c in zip(words, chunks, strict=True)
        ]
        bm25 = bm25s.BM25()
        if chunks:
            bm25.index(corpus, show_progress=False)
        df = Counter(t for terms in corpus for t in set(terms) if t)
        return cls(bm25, analyzer, dict(df), len(chunks))

    def scores(self, query: str) -> Scores:
        """BM25 score of every chunk, in chunk order."""
        terms = [t for t in self.analyzer.query_terms(query) if t in self._df]
        if not terms or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)

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
            df = max((self._df.get(t, 0) for t in terms), default=0)
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
        if any(self._df.get(t, 0) for t in self.analyzer.terms(word, "und") if t):
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
        if self.size:
            self._bm25.save(str(directory / "bm25"), show_progress=False)
        meta = {
            "size": self.size,
            "df": self._df,
            "vocabulary": sorted(self.analyzer.vocabulary),
            "compounds": self.analyzer.compounds,
        }
        (directory / "lexical.json").write_text(json.dumps(meta, ensure_ascii=False))

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        import bm25s

        meta = json.loads((directory / "lexical.json").read_text())
        analyzer = Analyzer(meta["vocabulary"], compounds=meta["compounds"])
        bm25 = (
            bm25s.BM25.load(str(directory / "bm25"), show_progress=False, verbosity=0)
            if meta["size"]
            else None
        )
        return cls(bm25, analyzer, meta["df"], meta["size"])
