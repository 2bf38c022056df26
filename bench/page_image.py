"""Page image benchmark: a cited PDF page drawn with its quote marked, as the viewer shows it.

Generates one PDF of --pages pages (as bench/ingest.py writes them), then times
`PageImages.image` (ui/page_image.py: a sandboxed child draws the page with
PDFium and finds the quote's character boxes):

  a. the document's first page drawn (the first render of that document);
  b. other pages of it, each drawn for the first time (goal: at most 300 ms);
  c. a page drawn before, shown again (the cache).

Prints the figures and exits. Run from the repository root:
`.venv/bin/python bench/page_image.py [--pages 50] [--rounds 10]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parent
_ROOT = _BENCH.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_ROOT))

import argparse  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from bench.ingest import SEED, write_pdf  # noqa: E402
from ui.page_image import PageImages  # noqa: E402

GOAL_S = 0.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "long.pdf"
        write_pdf(pdf, "Regional utvikling, sluttrapport", args.pages, random.Random(SEED))
        images = PageImages()
        started = time.perf_counter()
        first = images.image(pdf, 1, "Regional")
        first_s = time.perf_counter() - started
        times = []
        marked = 0
        for page in range(2, min(args.pages, args.rounds + 2)):
            started = time.perf_counter()
            # The page's heading number opens its text: a quote that is on the page.
            found = images.image(pdf, page, f"{page}.")
            times.append(time.perf_counter() - started)
            marked += bool(found.boxes)
        started = time.perf_counter()
        images.image(pdf, 2, "2.")
        cached_s = time.perf_counter() - started
    median = statistics.median(times)
    verdict = "MET" if median <= GOAL_S else "NOT MET"
    print(f"a. first page of the document       {first_s * 1000:6.0f} ms  ({first.width} px wide)")
    print(
        f"b. another page, first time (median) {median * 1000:6.0f} ms  "
        f"goal <= {GOAL_S * 1000:.0f} ms: {verdict}  (max {max(times) * 1000:.0f} ms; "
        f"quote marked on {marked} of {len(times)})"
    )
    print(f"c. a page drawn before               {cached_s * 1000:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
