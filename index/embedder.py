"""The embedder protocol, and a deterministic hash embedder for tests that need no model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns text into L2-normalised float32 rows; inner product is then cosine.

    >>> embedder = HashEmbedder(dim=16)
    >>> embedder.embed_passages(["a text"]).shape
    (1, 16)
    """

    name: str  # backend and model, recorded in the index manifest
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...

    def embed_query(self, text: str) -> Vectors: ...


class HashEmbedder:
    """Bag of hashed words: similar wording gives similar vectors. No model, no meaning."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.name = f"hash/{dim}"

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return (
            np.stack([self._embed(t) for t in texts])
            if texts
            else np.empty((0, self.dim), np.float32)
        )

    def embed_query(self, text: str) -> Vectors:
        return self._embed(text)

    def _embed(self, text: str) -> Vectors:
        # Counted in a list, not the array: a numpy item update costs several list ones.
        counts = [0.0] * self.dim
        for word in _WORD.findall(text.lower()):
            bucket, sign = _slot(word, self.dim)
            counts[bucket] += sign
        vector = np.array(counts, dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1 << 16)
def _slot(word: str, dim: int) -> tuple[int, float]:
    """The bucket a word adds to and its sign (a hash of it, remembered: words recur)."""
    digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
    return int.from_bytes(digest[:4], "little") % dim, 1.0 if digest[4] & 1 else -1.0


def normalise_rows(vectors: npt.NDArray[np.floating]) -> Vectors:
    """Unit-length float32 rows (zero rows stay zero)."""
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    out = np.zeros_like(matrix)
    np.divide(matrix, norms, out=out, where=norms > 0)
    return out
