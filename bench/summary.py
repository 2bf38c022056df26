"""Summary benchmark: an extractive summary of a long PDF, and the corpus overview.

Generates one PDF of --pages pages (300 by default, as bench/ingest.py writes
them), ingests it with the report into a fresh data folder (offline; the hash
embedder, as a summary reads text and no vectors), then times, after ingest:

  a. `summarize(doc)` of the PDF, 10 sentences (goal: at most 5 s for 300 pages);
  b. `overview()` of the default corpus, the bundled report alone (goal: at most 2 s);
  c. the same overview with the long PDF in the corpus.

Prints the figures and exits. Run from the repository root:
`.venv/bin/python bench/summary.py [--pages 300] [--rounds 3]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parent
_ROOT = _BENCH.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

from assistant.summary import ExtractiveSummarizer  # noqa: E402
from bench.ingest import SEED, write_pdf  # noqa: E402
from ui import wiring  # noqa: E402
from ui.cli import main as kilde  # noqa: E402
from ui.config import Config, load_config  # noqa: E402


def median_seconds(work: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def config_of(data: Path) -> Config:
    return load_config(
        None, {"KILDE_PATHS__DATA_DIR": str(data), "KILDE_EMBEDDING__BACKEND": "hash"}
    )


def summarizer(data: Path) -> ExtractiveSummarizer:
    found = wiring.searcher(config_of(data))
    return ExtractiveSummarizer(found)


def ingest(data: Path, *sources: str) -> None:
    args = ["--data-dir", str(data), "ingest", "--offline", *sources]
    code = kilde(args)
    if code != 0:
        raise SystemExit(f"bench: ingest failed ({code})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    # A summary reads text, not vectors: the hash embedder keeps the ingest short.
    os.environ["KILDE_EMBEDDING__BACKEND"] = "hash"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        report_only, with_pdf = root / "report", root / "with-pdf"
        ingest(report_only)
        pdf = root / "long.pdf"
        write_pdf(pdf, "Regional utvikling, sluttrapport", args.pages, random.Random(SEED))
        ingest(with_pdf, str(pdf))
        long = summarizer(with_pdf)
        doc_id = next(d for d, info in long.sources.items() if info.kind == "pdf")
        rows = [
            (
                f"a. summary of a {args.pages}-page PDF (10 sentences)",
                median_seconds(lambda: long.summarize(doc_id, 10), args.rounds),
                5.0,
            ),
            (
                "b. overview of the default corpus",
                median_seconds(lambda: summarizer(report_only).overview(2), args.rounds),
                2.0,
            ),
            (
                "c. overview with the long PDF",
                median_seconds(lambda: long.overview(2), args.rounds),
                None,
            ),
        ]
    print(f"median of {args.rounds} rounds, after ingest")
    for what, seconds, goal in rows:
        verdict = (
            ""
            if goal is None
            else f"  goal <= {goal:.0f} s: {'MET' if seconds <= goal else 'NOT MET'}"
        )
        print(f"{what:52} {seconds:7.2f} s{verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
