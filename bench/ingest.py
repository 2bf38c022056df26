"""Ingest benchmark: how fast kilde turns a folder of PDFs into chunks.

Generates a corpus of text PDFs with fpdf2, then measures, in one run:

  a. kilde's sandboxed PdfParser (its pool of parse workers), one file at a time;
  b. pypdf's extract_text in this process, to show what the sandbox costs;
  c. PyMuPDF's text extraction, if it is installed (`pip install -e '.[bench]'`);
  d. kilde's real Ingestor on the folder (fresh data dir, offline fetcher);
  e. the same Ingestor run again on the same data dir, everything parsed already cached;
  f. `kilde ingest --offline FOLDER` (no default sources, the hash embedder): parse,
     chunk and index build, as a user runs it; its pages/s against b (goal: at least 0.5x).

Prints a table of figures and exits. Run from the repository root:
`.venv/bin/python bench/ingest.py [--docs 30] [--pages 12] [--out DIR]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is bench/ingest.py: with bench/ first on sys.path, `import ingest`
# would find this script instead of the package.
_BENCH = Path(__file__).resolve().parent
_ROOT = _BENCH.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_ROOT))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import pypdf  # noqa: E402
from fpdf import FPDF  # noqa: E402

from bench import report  # noqa: E402
from index.language_process import LanguageProcess  # noqa: E402
from index.progress import SilentProgress  # noqa: E402
from ingest.cache import HttpCache  # noqa: E402
from ingest.chunker import Chunker  # noqa: E402
from ingest.corpus import CorpusStore  # noqa: E402
from ingest.fetcher import Fetcher  # noqa: E402
from ingest.links import LinkPolicy  # noqa: E402
from ingest.loader import FileLoader  # noqa: E402
from ingest.parse_cache import ParseCache  # noqa: E402
from ingest.pdf import PdfParser  # noqa: E402
from ingest.run import Ingestor, IngestSummary  # noqa: E402
from ui import cli  # noqa: E402
from ui.config import Config  # noqa: E402
from ui.ingest_command import specs_from_arguments  # noqa: E402

SEED = 2018
GOAL_PDF_RATIO = 0.5  # kilde's PDF ingest at least half the pages/s of bare pypdf
PAGE_CHARS = (1500, 2500)  # characters of body text per page: at least, at most

NORWEGIAN = (
    "Regionene som deltok i plattformen for smart spesialisering, la vekt på samarbeid "
    "mellom næringsliv, forskning og offentlig sektor.",
    "Rapporten viser at {n} prosent av prosjektene fikk støtte fra mer enn én kilde.",
    "Erfaringene fra {year} tyder på at små regioner trenger lengre tid før tiltakene virker.",
    "Fylkeskommunen har ansvar for å følge opp strategien og rapportere til departementet.",
    "Flere deltakere påpekte at indikatorene må være enkle å forstå for politikerne.",
    "Det ble foreslått å opprette et felles sekretariat for de nordiske regionene.",
    "Evalueringen bygger på intervjuer med {n} informanter og en spørreundersøkelse.",
    "Konferansen i Sevilla samlet forskere, byråkrater og representanter for næringslivet.",
    "Målet er å styrke omstillingsevnen i regioner med få store arbeidsgivere.",
    "Tiltakene skal vurderes på nytt i {year}, når de første resultatene foreligger.",
    "Både kommunene og universitetene ønsket en tydeligere arbeidsdeling i partnerskapet.",
    "Tabellen under gir en oversikt over midlene som ble fordelt i perioden.",
)
ENGLISH = (
    "Smart specialisation strategies ask regions to concentrate resources on a few "
    "domains where they hold a real advantage.",
    "The survey found that {n} percent of respondents had taken part in an "
    "entrepreneurial discovery process.",
    "Since {year}, the Commission has required such a strategy as a condition for funding.",
    "Critics argue that the approach favours regions that already have strong institutions.",
    "The case studies show how universities can act as brokers between firms and government.",
    "Monitoring remains the weakest part of most strategies, according to the evaluators.",
    "A panel discussed how lagging regions can build capacity without copying leaders.",
    "The authors recommend that indicators be chosen before the first calls are announced.",
    "Interregional partnerships were set up in {n} thematic areas, from energy to food.",
    "Several speakers stressed that policy learning takes longer than a funding period.",
    "The report closes with a list of open questions for the next programming period.",
    "Participants agreed that citizens should be involved earlier in the process.",
)
HEADINGS = ("Innledning", "Bakgrunn", "Funn", "Introduction", "Method", "Findings", "Discussion")


@dataclass(frozen=True)
class Timing:
    seconds: float
    pages: int
    chunks: int | None = None


@dataclass(frozen=True)
class Row:
    label: str
    timing: Timing | None
    note: str = ""


# --- corpus --------------------------------------------------------------------------------


def sentence(rng: random.Random) -> str:
    pool = NORWEGIAN if rng.random() < 0.5 else ENGLISH
    return rng.choice(pool).format(n=rng.randint(3, 97), year=rng.randint(2008, 2024))


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def page_text(rng: random.Random) -> list[str]:
    """Paragraphs adding up to between PAGE_CHARS[0] and a target drawn from PAGE_CHARS."""
    low, _ = PAGE_CHARS
    target = rng.randint(*PAGE_CHARS)
    paragraphs: list[str] = []
    total = 0
    while True:
        text = paragraph(rng)
        if total >= low and total + len(text) > target:
            return paragraphs
        paragraphs.append(text)
        total += len(text)


def write_pdf(path: Path, title: str, pages: int, rng: random.Random) -> None:
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=False)  # one generated page is one PDF page, exactly
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("helvetica", style="B", size=13)
        pdf.multi_cell(0, 7, f"{number}. {rng.choice(HEADINGS)}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font("helvetica", size=10)
        for text in page_text(rng):
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.output(str(path))


def make_corpus(folder: Path, docs: int, pages: int) -> list[Path]:
    rng = random.Random(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(1, docs + 1):
        path = folder / f"rapport-{index:03d}.pdf"
        write_pdf(path, f"Regional utvikling, delrapport {index}", pages, rng)
        paths.append(path)
    return paths


# --- measurements --------------------------------------------------------------------------


def timed(work: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    count = work()
    return time.perf_counter() - start, count


def sandboxed_pypdf(paths: Sequence[Path]) -> Timing:
    with PdfParser() as parser:
        seconds, pages = timed(lambda: sum(len(parser.parse(p).pages) for p in paths))
    return Timing(seconds, pages)


def raw_pypdf(paths: Sequence[Path]) -> Timing:
    def run() -> int:
        pages = 0
        for path in paths:
            for page in pypdf.PdfReader(path).pages:
                page.extract_text()
                pages += 1
        return pages

    return Timing(*timed(run))


def raw_pymupdf(paths: Sequence[Path]) -> Timing | None:
    try:
        import pymupdf
    except ImportError:
        return None

    def run() -> int:
        pages = 0
        for path in paths:
            with pymupdf.open(path) as document:
                for page in document:
                    page.get_text()
                    pages += 1
        return pages

    return Timing(*timed(run))


def ingest_folder(folder: Path, data_dir: Path, config: Config) -> tuple[float, IngestSummary]:
    """One `kilde ingest FOLDER`, built as ui/ingest_command.py builds it, minus the report."""
    store = CorpusStore(data_dir)
    specs, problems = specs_from_arguments([str(folder)])
    if problems:
        raise SystemExit(f"bench: unexpected files in {folder}: {[p.id for p in problems]}")
    start = time.perf_counter()
    with (
        Fetcher(config.fetch, HttpCache(store.http_cache_dir), offline=True) as fetcher,
        PdfParser.from_settings(config.parse) as pdf,
        LanguageProcess() as languages,
    ):
        ingestor = Ingestor(
            fetcher=fetcher,
            loader=FileLoader(
                pdf,
                ParseCache(store.parse_cache_dir),
                max_bytes=config.fetch.max_bytes,
                max_chars=config.parse.max_chars,
            ),
            chunker=Chunker(size=config.chunk.size, overlap=config.chunk.overlap),
            links=LinkPolicy(config.links.drop, config.links.max_links),
            store=store,
            progress=SilentProgress(),
            workers=config.fetch.concurrency,
            languages=languages,
        )
        summary = ingestor.run(specs)
    return time.perf_counter() - start, summary


def ingest_env(data: Path, backend: str) -> dict[str, str]:
    """The KILDE_* variables of one ingest: this data dir, no default sources."""
    return {
        "KILDE_PATHS__DATA_DIR": str(data),
        "KILDE_CORPUS__SOURCES": "[]",
        "KILDE_EMBEDDING__BACKEND": backend,
    }


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def kilde_ingest(data: Path, sources: Sequence[Path], backend: str = "hash") -> float:
    """Seconds of `kilde --data-dir data ingest --offline sources...`, its output swallowed."""
    output = io.StringIO()
    arguments = ["--data-dir", str(data), "ingest", "--offline", *map(str, sources)]
    with (
        environment(ingest_env(data, backend)),
        contextlib.redirect_stdout(output),
        contextlib.redirect_stderr(output),
    ):
        start = time.perf_counter()
        status = cli.main(arguments)
        seconds = time.perf_counter() - start
    if status != 0:
        print(f"  note: kilde ingest exited {status}; last output:\n{output.getvalue()[-2000:]}")
    return seconds


def ingest_timing(seconds: float, summary: IngestSummary) -> Timing:
    bad = [r for r in summary.records if r.status != "ok"]
    if bad:
        raise SystemExit(f"bench: {len(bad)} sources not ok, first: {bad[0].id}: {bad[0].error}")
    pages = sum(r.pages or 0 for r in summary.records)
    chunks = sum(r.chunks or 0 for r in summary.records)
    return Timing(seconds, pages, chunks)


# --- report --------------------------------------------------------------------------------


def machine_info() -> list[tuple[str, str]]:
    try:
        import pymupdf

        mupdf = f"{pymupdf.__version__} (MuPDF {pymupdf.VersionFitz})"
    except ImportError:
        mupdf = "PyMuPDF not installed"
    return report.machine_info(("pypdf", pypdf.__version__), ("pymupdf", mupdf))


def rate(count: int | None, seconds: float) -> str:
    return "-" if count is None or seconds <= 0 else f"{count / seconds:,.1f}"


def table(rows: Sequence[Row]) -> str:
    header = ("measurement", "seconds", "pages", "pages/s", "chunks", "chunks/s", "note")
    lines: list[tuple[str, ...]] = [header]
    for row in rows:
        t = row.timing
        if t is None:
            lines.append((row.label, "-", "-", "-", "-", "-", row.note))
            continue
        chunks = "-" if t.chunks is None else str(t.chunks)
        lines.append(
            (
                row.label,
                f"{t.seconds:.2f}",
                str(t.pages),
                rate(t.pages, t.seconds),
                chunks,
                rate(t.chunks, t.seconds),
                row.note,
            )
        )
    return "\n".join(report.aligned(lines, right={1, 2, 3, 4, 5}))


def overhead_note(sandboxed: Timing, raw: Timing, files: int) -> str:
    per_file = (sandboxed.seconds - raw.seconds) / files
    return f"sandbox = {sandboxed.seconds / raw.seconds:.1f}x raw, +{per_file * 1000:.0f} ms/file"


# --- main ----------------------------------------------------------------------------------


def run(folder: Path, data_parent: Path, docs: int, pages: int) -> list[Row]:
    config = Config()
    start = time.perf_counter()
    paths = make_corpus(folder, docs, pages)
    generated = Timing(time.perf_counter() - start, docs * pages)
    size_mb = sum(p.stat().st_size for p in paths) / 1e6

    sandboxed = sandboxed_pypdf(paths)
    raw = raw_pypdf(paths)
    mupdf = raw_pymupdf(paths)
    data_dir = data_parent / "data"
    first = ingest_timing(*ingest_folder(folder, data_dir, config))
    second = ingest_timing(*ingest_folder(folder, data_dir, config))
    command = Timing(kilde_ingest(data_parent / "data-cli", [folder]), docs * pages)
    workers = config.fetch.concurrency
    return [
        Row("generate corpus (fpdf2)", generated, f"{docs} PDFs, {size_mb:.1f} MB"),
        Row("a. pypdf, kilde sandbox", sandboxed, "reused parse workers, one file at a time"),
        Row("b. pypdf, in-process", raw, overhead_note(sandboxed, raw, docs)),
        Row("c. PyMuPDF, in-process", mupdf, "" if mupdf else "PyMuPDF not installed"),
        Row(
            "d. Ingestor, fresh",
            first,
            f"{workers} workers, offline, chunk size {config.chunk.size}",
        ),
        Row("e. Ingestor, cached", second, "same data dir: parse cache hits"),
        Row("f. kilde ingest + index", command, "the CLI, hash embedder, fresh data dir"),
    ]


def ratio_lines(rows: Sequence[Row]) -> list[str]:
    """Pages/s of kilde's ingest (rows d and f) against bare pypdf in this process (row b)."""
    timings = {row.label[0]: row.timing for row in rows}
    raw = timings["b"]
    lines = []
    for key in ("d", "f"):
        timing = timings[key]
        if raw is None or timing is None:
            continue
        ratio = raw.seconds / timing.seconds  # the same pages: the ratio of the pages/s
        met = "MET" if ratio >= GOAL_PDF_RATIO else "NOT MET"
        goal = f"  goal >= {GOAL_PDF_RATIO}x: {met}" if key == "f" else ""
        lines.append(f"pages/s, {key} / b: {ratio:.2f}x{goal}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=30, help="PDFs to generate (default 30)")
    parser.add_argument("--pages", type=int, default=12, help="pages per PDF (default 12)")
    parser.add_argument(
        "--out", type=Path, help="keep the generated PDFs in this folder (absent or empty)"
    )
    args = parser.parse_args(argv)
    if args.docs < 1 or args.pages < 1:
        parser.error("--docs and --pages must be at least 1")
    if args.out is not None and args.out.exists() and any(args.out.iterdir()):
        parser.error(f"--out {args.out} is not empty")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kilde-bench-") as scratch:
        folder = args.out or Path(scratch) / "pdfs"
        rows = run(folder.resolve(), Path(scratch), args.docs, args.pages)
    info = machine_info()
    width = max(len(name) for name, _ in info)
    print("\n".join(f"{name.ljust(width)}  {value}" for name, value in info))
    print()
    print(table(rows))
    print()
    print("\n".join(ratio_lines(rows)))
    print(f"\ntotal wall time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
