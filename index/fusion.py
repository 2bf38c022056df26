"""Fusing dense and lexical scores, trusting BM25 as far as the query's words are known.

Plain reciprocal-rank fusion lets BM25 drag down cross-lingual questions: an
English question about a Norwegian report has almost no words in common with
it, so its lexical ranking is noise. Here each side is min-max normalised over
the candidates, and the lexical side is weighted by the query's coverage (the
idf-weighted share of its words found in the corpus), squared so that a few
shared names do not outweigh the meaning.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


def lexical_weight(coverage: float) -> float:
    return max(0.0, min(1.0, coverage)) ** 2


def fuse(dense: Floats, lexical: Floats, weight: float) -> Floats:
    """Scores for candidates given their dense and lexical scores (same order)."""
    return _minmax(dense) + weight * _scaled(lexical)


def _minmax(values: Floats) -> Floats:
    if not len(values):
        return values
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.zeros_like(values)


def _scaled(values: Floats) -> Floats:
    # BM25 is 0 for chunks without a query word: divide by the best, keep 0 at 0.
    high = float(values.max()) if len(values) else 0.0
    return values / high if high > 0 else np.zeros_like(values)
