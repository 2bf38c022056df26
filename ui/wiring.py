"""Building the index-side objects from the config: the one place that does it."""

from __future__ import annotations

from index.builder import IndexBuilder
from index.directory import IndexDirectory
from index.embedder import Embedder
from index.embedders import make_embedder
from index.embedding_cache import EmbeddingCache
from index.progress import TerminalProgress
from index.search import HybridSearcher
from ui.config import Config


def index_directory(config: Config) -> IndexDirectory:
    return IndexDirectory(config.data_dir / "index")


def embedder(config: Config) -> Embedder:
    return make_embedder(config.embedding)


def builder(config: Config, model: Embedder) -> IndexBuilder:
    return IndexBuilder(
        model,
        EmbeddingCache(config.data_dir / "embeddings.sqlite"),
        index_directory(config),
        exact_max=config.index.exact_max,
        sentence_views=config.index.sentence_views,
        compounds=config.index.compounds,
        chunker={"size": config.chunk.size, "overlap": config.chunk.overlap},
        progress=TerminalProgress(),
    )


def searcher(config: Config) -> HybridSearcher:
    return HybridSearcher.open(index_directory(config), embedder(config))
