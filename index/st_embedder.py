"""Any sentence-transformers model, by name or local path, on the CPU."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from index.embedder import Vectors, normalise_rows


class SentenceTransformerEmbedder:
    def __init__(
        self, model: str, *, query_prefix: str = "", passage_prefix: str = "", batch_size: int = 32
    ) -> None:
        from sentence_transformers import SentenceTransformer  # lazy: imports torch

        self._model: Any = SentenceTransformer(model, device="cpu")
        # Renamed in sentence-transformers 5; older releases have only the old name.
        dimension = getattr(self._model, "get_embedding_dimension", None)
        dim = dimension() if dimension else self._model.get_sentence_embedding_dimension()
        if dim is None:
            raise OSError(f"{model} does not say its embedding dimension")
        self.dim = int(dim)
        self.name = f"sentence-transformers/{model.rstrip('/').rsplit('/', 1)[-1]}"
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self._batch_size = batch_size

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        return self._encode([self._passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> Vectors:
        row: Vectors = self._encode([self._query_prefix + text])[0]
        return row

    def _encode(self, texts: list[str]) -> Vectors:
        vectors = self._model.encode(
            texts, batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        matrix: Vectors = normalise_rows(np.asarray(vectors))
        return matrix
