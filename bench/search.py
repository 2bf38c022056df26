"""Search benchmark: kilde's vector stores at 10k-1M vectors, and hybrid search end to end.

In one run:

  a. memory read bandwidth, the bound on an exact scan;
  b. for each corpus size, synthetic clustered 384-dim unit vectors (a mixture of topics,
     like text embeddings; the queries are fresh draws, not corpus rows), indexed twice:
     exact (StorePlan "flat") and the approximate index kilde picks above index.exact_max
     (StorePlan.for_size with a tiny exact_max, so IVF). Build time, single-query latency
     (FaissStore.search, one query at a time, as kilde calls it), recall@10 of the
     approximate index against exact, and resident memory per vector;
     the exact latency next to the memory-bandwidth bound (bytes scanned / bandwidth);
  c. kilde's HybridSearcher on the default corpus, built with `kilde ingest --offline` in a
     temporary data dir: latency of search(q, 10), query embedding included, over the
     questions and claims of tests/data/dev.jsonl.

Threads: indexes are built on --threads faiss (OpenMP) threads, by default every usable CPU,
which is also faiss's own default and so what kilde runs with today (it never sets them).
Every search is timed twice: with faiss on 1 thread, the sensible setting for one query at
a time (a second thread did not make a single query faster here, and idle OpenMP workers
spin on the CPUs the query embedder needs), and on --threads, as kilde runs now.

Prints the figures and whether kilde meets its goals. Run from the repository root:
`.venv/bin/python bench/search.py [--sizes 10000,100000,1000000] [--queries 200]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is bench/search.py: with bench/ first on sys.path, `import ingest` (through
# ui.cli) would find bench/ingest.py instead of the package.
_BENCH = Path(__file__).resolve().parent
_ROOT = _BENCH.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_ROOT))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import ctypes  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import faiss  # noqa: E402
import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
import psutil  # noqa: E402

from bench import report  # noqa: E402
from index.embedder import Vectors  # noqa: E402
from index.search import _CANDIDATES, _ROWS_PER_CHUNK  # noqa: E402
from index.settings import IndexSettings  # noqa: E402
from index.vector_store import FaissStore, StorePlan, training_rows  # noqa: E402
from ui import cli, wiring  # noqa: E402
from ui.config import load_config  # noqa: E402

SEED = 2018
DIM = 384  # multilingual-e5-small, kilde's default embedder
K = 10
WARMUP = 10  # untimed searches before each timed series
BLOCK = 100_000  # vectors generated at a time

# The synthetic corpus: SUPER broad subjects, TOPICS topics around them (unequal sizes),
# and each vector a topic plus noise that lies mostly in a shared RANK-dim subspace, so
# neighbours within a topic are near for a reason, as with real embeddings.
SUPER = 64
TOPICS = 4096
SPREAD = 0.8  # topic centre around its subject
RANK = 32
LOW_RANK_NOISE = 1.5
ISO_NOISE = 0.8

GOAL_ANN_SIZE = 1_000_000
GOAL_ANN_P50_MS = 20.0
GOAL_RECALL = 0.95
GOAL_HYBRID_P50_MS = 30.0

DEV_FILE = _ROOT / "tests" / "data" / "dev.jsonl"

Ids = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Mixture:
    centres: Vectors
    weights: npt.NDArray[np.float64]
    basis: Vectors  # RANK x DIM, orthonormal rows


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class Bandwidth:
    one_stream: float  # bytes/s, np.dot of a 1-D array with itself
    blas: float  # bytes/s, matrix @ vector on BLAS's threads


@dataclass(frozen=True)
class StoreRun:
    plan: StorePlan
    build_s: float
    train_s: float
    latency: Latency  # faiss on 1 thread, k=K
    latency_threads: Latency  # faiss on --threads, k=K
    latency_kilde_k: Latency  # faiss on 1 thread, the k HybridSearcher asks for
    bytes_per_vector: float
    ids: Ids  # the K best of each query


@dataclass(frozen=True)
class SizeResult:
    rows: int
    generate_s: float
    kilde_k: int
    exact: StoreRun
    approx: StoreRun
    recall: float
    nn_cosine: tuple[float, float]  # median cosine of the 1st and the K-th exact neighbour


@dataclass(frozen=True)
class HybridResult:
    vectors: int
    store: str
    ingest_s: float
    open_s: float
    queries: int
    search: Latency  # faiss on 1 thread
    search_threads: Latency  # faiss on --threads
    embed: Latency


# --- data ----------------------------------------------------------------------------------


def make_mixture(rng: np.random.Generator) -> Mixture:
    subjects = unit_rows(rng.standard_normal((SUPER, DIM), dtype=np.float32))
    noise = rng.standard_normal((TOPICS, DIM), dtype=np.float32) * (SPREAD / np.sqrt(DIM))
    centres = unit_rows(subjects[rng.integers(0, SUPER, TOPICS)] + noise)
    weights = rng.lognormal(0.0, 1.0, TOPICS)
    basis, _ = np.linalg.qr(rng.standard_normal((DIM, RANK)))
    return Mixture(centres, weights / weights.sum(), basis.T.astype(np.float32))


def draw(mixture: Mixture, rows: int, rng: np.random.Generator) -> Vectors:
    out = np.empty((rows, DIM), dtype=np.float32)
    for start in range(0, rows, BLOCK):
        m = min(BLOCK, rows - start)
        topics = rng.choice(TOPICS, m, p=mixture.weights)
        block = mixture.centres[topics]
        block += rng.standard_normal((m, DIM), dtype=np.float32) * (ISO_NOISE / np.sqrt(DIM))
        low = rng.standard_normal((m, RANK), dtype=np.float32) * (LOW_RANK_NOISE / np.sqrt(RANK))
        block += low @ mixture.basis
        out[start : start + m] = unit_rows(block)
    return out


def unit_rows(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: Vectors = (vectors / norms).astype(np.float32)
    return unit


# --- measurements --------------------------------------------------------------------------


def best_of(work: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def read_bandwidth(rows: int = 1_000_000, rounds: int = 4) -> Bandwidth:
    """Bytes per second read from a rows x DIM float32 array (1.5 GB at 1M rows)."""
    matrix = np.ones((rows, DIM), dtype=np.float32)  # np.ones touches every page
    flat = matrix.reshape(-1)
    vector = np.ones(DIM, dtype=np.float32)
    one = best_of(lambda: np.dot(flat, flat), rounds)
    blas = best_of(lambda: matrix @ vector, rounds)
    return Bandwidth(matrix.nbytes / one, matrix.nbytes / blas)


def rss_bytes() -> int:
    """Resident set size, after returning freed heap to the system where glibc allows."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return int(psutil.Process().memory_info().rss)


def time_queries(store: FaissStore, queries: Vectors, k: int) -> tuple[Latency, Ids]:
    for query in queries[:WARMUP]:
        store.search(query, k)
    seconds = np.empty(len(queries))
    found = np.full((len(queries), min(k, K)), -1, dtype=np.int64)
    for i, query in enumerate(queries):
        start = time.perf_counter()
        _, ids = store.search(query, k)
        seconds[i] = time.perf_counter() - start
        found[i, : min(len(ids), K)] = ids[:K]
    return percentiles(seconds), found


def percentiles(seconds: npt.NDArray[np.float64]) -> Latency:
    p50, p95 = np.percentile(seconds, [50, 95]) * 1000
    return Latency(float(p50), float(p95))


@contextlib.contextmanager
def faiss_threads(count: int) -> Iterator[None]:
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(count)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def run_store(
    plan: StorePlan, corpus: Vectors, queries: Vectors, kilde_k: int, threads: int
) -> StoreRun:
    before = rss_bytes()
    start = time.perf_counter()
    training = corpus[training_rows(len(corpus), plan)] if plan.kind == "ivf" else None
    store = FaissStore.create(DIM, plan, training=training)
    trained = time.perf_counter()
    store.upsert(range(len(corpus)), corpus)
    built = time.perf_counter()
    memory = rss_bytes() - before
    with faiss_threads(1):
        latency, ids = time_queries(store, queries, K)
        latency_kilde_k, _ = time_queries(store, queries, kilde_k)
    latency_threads, _ = time_queries(store, queries, K)
    del store
    return StoreRun(
        plan,
        built - start,
        trained - start,
        latency,
        latency_threads,
        latency_kilde_k,
        memory / len(corpus),
        ids,
    )


def recall_at_k(found: Ids, truth: Ids) -> float:
    pairs = zip(found.tolist(), truth.tolist(), strict=True)
    hits = sum(len(set(f) & set(t) - {-1}) for f, t in pairs)
    return hits / truth.size


def dense_request(rows: int, k: int = K) -> int:
    """How many vectors HybridSearcher asks its store for, at k hits (its own constants)."""
    return min(rows, (k + _CANDIDATES) * _ROWS_PER_CHUNK)


def run_size(rows: int, queries: int, mixture: Mixture, threads: int) -> SizeResult:
    rng = np.random.default_rng([SEED, rows])
    start = time.perf_counter()
    corpus = draw(mixture, rows, rng)
    query_vectors = draw(mixture, queries, rng)
    generated = time.perf_counter() - start
    kilde_k = dense_request(rows)
    flat, ivf = StorePlan.for_size(rows, exact_max=rows), StorePlan.for_size(rows, exact_max=1)
    exact = run_store(flat, corpus, query_vectors, kilde_k, threads)
    approx = run_store(ivf, corpus, query_vectors, kilde_k, threads)
    top = corpus[exact.ids[:, 0]]
    tenth = corpus[exact.ids[:, K - 1]]
    cosine = (
        float(np.median(np.sum(top * query_vectors, axis=1))),
        float(np.median(np.sum(tenth * query_vectors, axis=1))),
    )
    return SizeResult(
        rows, generated, kilde_k, exact, approx, recall_at_k(approx.ids, exact.ids), cosine
    )


def dev_queries(path: Path = DEV_FILE) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    return [str(item.get("question") or item.get("claim")) for item in items]


def run_hybrid(rounds: int) -> HybridResult:
    """`kilde ingest --offline` into a fresh data dir, then searcher.search(q, 10)."""
    texts = dev_queries()
    with tempfile.TemporaryDirectory(prefix="kilde-bench-") as data_dir:
        output = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            status = cli.main(["--data-dir", data_dir, "ingest", "--offline"])
        ingested = time.perf_counter() - start
        if status != 0:
            raise SystemExit(f"bench: kilde ingest failed ({status}):\n{output.getvalue()}")
        config = load_config(None, {"KILDE_PATHS__DATA_DIR": data_dir})
        start = time.perf_counter()
        searcher = wiring.searcher(config)
        opened = time.perf_counter() - start
        search_threads = time_each(lambda text: searcher.search(text, K), texts, rounds)
        with faiss_threads(1):
            search = time_each(lambda text: searcher.search(text, K), texts, rounds)
        embedder = wiring.embedder(config)
        embed = time_each(embedder.embed_query, texts, rounds)
        manifest = searcher.manifest
        vectors = int(manifest.counts["vectors"]) if manifest else -1
        kind = str(manifest.store["kind"]) if manifest else "?"
    return HybridResult(
        vectors,
        kind,
        ingested,
        opened,
        len(search),
        percentiles(search),
        percentiles(search_threads),
        percentiles(embed),
    )


def time_each(
    work: Callable[[str], object], texts: Sequence[str], rounds: int
) -> npt.NDArray[np.float64]:
    for text in texts:
        work(text)  # warm-up
    seconds = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            work(text)
            seconds.append(time.perf_counter() - start)
    return np.array(seconds)


# --- report --------------------------------------------------------------------------------


def machine_info(threads: int) -> list[tuple[str, str]]:
    return report.machine_info(
        (
            "faiss",
            f"{faiss.__version__}; OpenMP threads (faiss.omp_set_num_threads): "
            f"{threads} to build, 1 and {threads} to search",
        ),
        ("numpy", np.__version__),
    )


def bandwidth_lines(bandwidth: Bandwidth) -> list[str]:
    return [
        f"read bandwidth, one stream (np.dot, 1.5 GB, best of 4):     "
        f"{bandwidth.one_stream / 1e9:6.1f} GB/s",
        f"read bandwidth, BLAS threads (matrix @ vector, 1.5 GB):     "
        f"{bandwidth.blas / 1e9:6.1f} GB/s",
    ]


def size_label(rows: int) -> str:
    return f"{rows // 1_000_000}M" if rows % 1_000_000 == 0 else f"{rows // 1000}k"


def store_table(results: Sequence[SizeResult], threads: int) -> list[str]:
    header = (
        "size",
        "index",
        "build s",
        "p50 ms",
        "p95 ms",
        f"p50 / p95 ms @{threads} threads",
        "p50 ms @kilde k",
        "recall@10",
        "bytes/vector",
        "note",
    )
    lines: list[tuple[str, ...]] = [header]
    for r in results:
        for run, recall, note in (
            (r.exact, "1 (truth)", "IndexFlatIP"),
            (r.approx, f"{r.recall:.3f}", approx_note(r.approx)),
        ):
            lines.append(
                (
                    size_label(r.rows),
                    run.plan.kind,
                    f"{run.build_s:.1f}",
                    f"{run.latency.p50_ms:.2f}",
                    f"{run.latency.p95_ms:.2f}",
                    f"{run.latency_threads.p50_ms:.2f} / {run.latency_threads.p95_ms:.2f}",
                    f"{run.latency_kilde_k.p50_ms:.2f} (k={r.kilde_k})",
                    recall,
                    f"{run.bytes_per_vector:,.0f}",
                    note,
                )
            )
    return report.aligned(lines, right={2, 3, 4, 5, 6, 8})


def approx_note(run: StoreRun) -> str:
    plan = run.plan
    return (
        f"nlist {plan.nlist}, nprobe {plan.nprobe}; "
        f"train {run.train_s:.1f} s + add {run.build_s - run.train_s:.1f} s"
    )


def bound_table(results: Sequence[SizeResult], bandwidth: Bandwidth, threads: int) -> list[str]:
    header = (
        "size",
        "bytes scanned/query",
        "bound, one stream ms",
        "bound, BLAS threads ms",
        "flat p50 ms, 1 thread",
        "flat / one-stream bound",
        f"flat p50 ms, {threads} threads",
    )
    lines: list[tuple[str, ...]] = [header]
    for r in results:
        scanned = r.rows * DIM * 4
        bound = scanned / bandwidth.one_stream * 1000
        lines.append(
            (
                size_label(r.rows),
                f"{scanned / 1e6:,.1f} MB",
                f"{bound:.2f}",
                f"{scanned / bandwidth.blas * 1000:.2f}",
                f"{r.exact.latency.p50_ms:.2f}",
                f"{r.exact.latency.p50_ms / bound:.2f}x",
                f"{r.exact.latency_threads.p50_ms:.2f}",
            )
        )
    return report.aligned(lines, right={1, 2, 3, 4, 5, 6})


def data_lines(results: Sequence[SizeResult]) -> list[str]:
    return [
        f"{size_label(r.rows)}: generated in {r.generate_s:.1f} s; median cosine of a query's "
        f"1st / 10th exact neighbour {r.nn_cosine[0]:.3f} / {r.nn_cosine[1]:.3f}"
        for r in results
    ]


def hybrid_lines(h: HybridResult, threads: int) -> list[str]:
    return [
        f"default corpus: {h.vectors} vectors ({h.store}); `kilde ingest --offline` "
        f"{h.ingest_s:.1f} s, opening the searcher {h.open_s:.2f} s",
        f"searcher.search(q, 10) over {h.queries} queries, faiss on 1 thread: "
        f"p50 {h.search.p50_ms:.2f} ms, p95 {h.search.p95_ms:.2f} ms",
        f"the same, faiss on {threads} threads (kilde today): "
        f"p50 {h.search_threads.p50_ms:.2f} ms, p95 {h.search_threads.p95_ms:.2f} ms",
        "the query embedding alone (embed_query, no faiss call in between): "
        f"p50 {h.embed.p50_ms:.2f} ms, p95 {h.embed.p95_ms:.2f} ms",
    ]


def verdict(value: float, goal: float, *, at_most: bool) -> str:
    met = value <= goal if at_most else value >= goal
    return "MET" if met else "NOT MET"


def goal_lines(
    results: Sequence[SizeResult], hybrid: HybridResult | None, threads: int
) -> list[str]:
    lines = []
    at_goal = [r for r in results if r.rows == GOAL_ANN_SIZE]
    if at_goal:
        r = at_goal[0]
        for label, latency in (
            ("1 thread", r.approx.latency),
            (f"{threads} threads", r.approx.latency_threads),
        ):
            lines.append(
                f"1M approximate p50 <= {GOAL_ANN_P50_MS:.0f} ms, faiss on {label}: "
                f"{verdict(latency.p50_ms, GOAL_ANN_P50_MS, at_most=True)} "
                f"({latency.p50_ms:.2f} ms)"
            )
        lines.append(
            f"1M approximate recall@10 >= {GOAL_RECALL}: "
            f"{verdict(r.recall, GOAL_RECALL, at_most=False)} ({r.recall:.3f})"
        )
    else:
        lines.append("1M approximate p50 and recall@10: not measured (1000000 not in --sizes)")
    if hybrid is None:
        lines.append("hybrid p50: not measured (--rounds 0)")
        return lines
    for label, latency in (
        ("1 thread", hybrid.search),
        (f"{threads} threads", hybrid.search_threads),
    ):
        lines.append(
            f"end-to-end hybrid p50 <= {GOAL_HYBRID_P50_MS:.0f} ms, faiss on {label}: "
            f"{verdict(latency.p50_ms, GOAL_HYBRID_P50_MS, at_most=True)} "
            f"({latency.p50_ms:.2f} ms)"
        )
    return lines


def section(title: str, lines: Sequence[str]) -> None:
    print(f"\n{title}")
    print("\n".join(f"  {line}" for line in lines))


# --- main ----------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r}") from error
    if not sizes or min(sizes) < 1000:
        raise argparse.ArgumentTypeError("sizes must be at least 1000")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=parse_sizes("10000,100000,1000000"),
        help="corpus sizes, comma-separated (default 10000,100000,1000000)",
    )
    parser.add_argument(
        "--queries", type=int, default=200, help="queries per corpus size (default 200)"
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="passes over dev.jsonl for hybrid search (0: skip)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=report.usable_cpus(),
        help="faiss OpenMP threads to build, and for the second timing of each search "
        "(default: the usable CPUs, faiss's own default)",
    )
    args = parser.parse_args(argv)
    if args.queries < WARMUP or args.rounds < 0 or args.threads < 1:
        parser.error(f"--queries must be at least {WARMUP}, --rounds >= 0, --threads >= 1")

    started = time.perf_counter()
    faiss.omp_set_num_threads(args.threads)
    info = machine_info(args.threads)
    width = max(len(name) for name, _ in info)
    print("\n".join(f"{name.ljust(width)}  {value}" for name, value in info), flush=True)

    bandwidth = read_bandwidth()
    section("a. memory", bandwidth_lines(bandwidth))

    mixture = make_mixture(np.random.default_rng(SEED))
    results = []
    for rows in args.sizes:
        results.append(run_size(rows, args.queries, mixture, args.threads))
        print(f"  ... {size_label(rows)} done at {time.perf_counter() - started:.0f} s", flush=True)
    default_exact_max = IndexSettings().exact_max
    section(
        f"b. vector stores, {DIM}-dim, {args.queries} queries, k={K}, one query at a time",
        [
            f"data: {TOPICS} topics around {SUPER} subjects (lognormal sizes), noise "
            f"{LOW_RANK_NOISE} in a {RANK}-dim subspace + {ISO_NOISE} isotropic, unit rows",
            *data_lines(results),
            "",
            *store_table(results, args.threads),
            "",
            f"p50, p95, '@kilde k': faiss on 1 thread; '@{args.threads} threads': faiss's "
            "default, and kilde's today",
            "'@kilde k': the k HybridSearcher asks the store for "
            f"((k + {_CANDIDATES}) x {_ROWS_PER_CHUNK})",
            f"kilde's default index.exact_max is {default_exact_max:,}: "
            + ", ".join(
                f"{size_label(r.rows)} -> {StorePlan.for_size(r.rows, default_exact_max).kind}"
                for r in results
            ),
            "",
            "exact search against the memory bandwidth bound (bytes scanned / bandwidth):",
            *bound_table(results, bandwidth, args.threads),
            "(below 1x: the vectors fit in the CPU caches, which outrun memory)",
        ],
    )

    hybrid = run_hybrid(args.rounds) if args.rounds else None
    if hybrid is not None:
        section(
            "c. hybrid search end to end (query embedding included)",
            hybrid_lines(hybrid, args.threads),
        )
    section("goals", goal_lines(results, hybrid, args.threads))
    report.print_total(started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
