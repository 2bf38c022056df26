"""Building the index-side objects from the config: the one place that does it."""

from __future__ import annotations

from collections.abc import Mapping

from assistant.assistant import Answerer, Assistant, ClaimChecker
from assistant.claims import ExtractiveClaimChecker
from assistant.extractive import ExtractiveAnswerer
from assistant.generative import LLMAnswerer, LLMClaimChecker
from assistant.llm import LLM
from assistant.llms import make_llm
from assistant.model_summary import LLMSummarizer
from assistant.summary import ExtractiveSummarizer, Summarizer
from assistant.support import SupportChecker, support_threshold, support_thresholds
from index.analyzer import Analyzer
from index.builder import IndexBuilder
from index.directory import IndexDirectory
from index.embedder import Embedder
from index.embedders import make_embedder
from index.embedding_cache import EmbeddingCache
from index.prefetch import EmbeddingPrefetch
from index.progress import Progress
from index.search import HybridSearcher
from ui.config import Config


def index_directory(config: Config) -> IndexDirectory:
    return IndexDirectory(config.data_dir / "index")


def embedder(config: Config) -> Embedder:
    return make_embedder(config.embedding)


def embedding_cache(config: Config) -> EmbeddingCache:
    return EmbeddingCache(config.data_dir / "embeddings.sqlite")


def prefetch(config: Config, model: Embedder) -> EmbeddingPrefetch:
    """Embeds what an ingest reads while it reads (see index/prefetch.py)."""
    return EmbeddingPrefetch(
        model,
        embedding_cache(config),
        sentence_views=config.index.sentence_views,
    )


def builder(config: Config, model: Embedder, progress: Progress | None = None) -> IndexBuilder:
    return IndexBuilder(
        model,
        embedding_cache(config),
        index_directory(config),
        exact_max=config.index.exact_max,
        sentence_views=config.index.sentence_views,
        compounds=config.index.compounds,
        chunker={"size": config.chunk.size, "overlap": config.chunk.overlap},
        progress=progress,
    )


def searcher(config: Config) -> HybridSearcher:
    import faiss

    # One query at a time: a second OpenMP thread only competes with the query
    # embedder (hybrid search p50 19 ms on two threads, 11 ms on one; bench/search.py).
    faiss.omp_set_num_threads(1)
    return HybridSearcher.open(index_directory(config), embedder(config))


def assistant(config: Config, environ: Mapping[str, str]) -> Assistant:
    """The assistant for the configured answer backend, on the published index."""
    return assistant_for(config, searcher(config), make_llm(config.llm, environ))


def assistant_for(config: Config, found: HybridSearcher, llm: LLM | None) -> Assistant:
    """An assistant on `found` answering with `llm` (None: extractive). Cheap to build."""
    analyzer = Analyzer()
    # Claims compare words with the evidence: "styringskvalitet" is found in "kvalitet på
    # styring" by the corpus's compound parts.
    rules = ExtractiveClaimChecker(found.analyzer)
    extractive = ExtractiveAnswerer(analyzer)
    if llm is None:
        answerer: Answerer = extractive
        claims: ClaimChecker = rules
    else:
        answerer = LLMAnswerer(llm, _support(found), extractive, max_tokens=config.llm.max_tokens)
        claims = LLMClaimChecker(llm, rules)
    return Assistant(
        found,
        answerer,
        claims,
        summarizer_for(config, found, llm),
        k=config.retrieval.k,
        llm=llm,
        analyzer=analyzer,
        default_lang="no" if config.ui.language == "nb" else "en",
    )


def summarizer(config: Config, environ: Mapping[str, str]) -> Summarizer:
    """The summariser for the configured answer backend, on the published index."""
    return summarizer_for(config, searcher(config), make_llm(config.llm, environ))


def summarizer_for(config: Config, found: HybridSearcher, llm: LLM | None) -> Summarizer:
    """Quotes without a model; with one, its summary of the salient passages, verified."""
    quotes = ExtractiveSummarizer(found)
    if llm is None:
        return quotes
    return LLMSummarizer(llm, _support(found), quotes, max_tokens=config.llm.max_tokens)


def _support(found: HybridSearcher) -> SupportChecker:
    """Whether a model's sentence says what its cited passages say, on this corpus."""
    return SupportChecker(
        found.embedder,
        support_threshold(found.calibration),
        support_thresholds(found.calibration),
    )
