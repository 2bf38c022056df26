"""The child process that draws one PDF page:
`python -m ui.page_worker PATH PAGE MAX_SIDE MEMORY_MB CPU_SECONDS` with the quote on stdin.

pdfium is C++ reading a document from the internet: like the parse worker
(ingest/pdf_worker.py) it runs in a child under memory and CPU limits it sets
itself before importing pdfium, and the parent enforces a wall-clock timeout.
It writes one JSON object to stdout:

    {"png": "<base64>", "width": W, "height": H, "boxes": [[x, y, w, h], ...]}

(the page rendered with its longest side MAX_SIDE pixels; the quote's boxes as
fractions of the page, top-left origin, one per line of the quote, none when the
quote is not found on the page's text layer) or {"error": "one-line reason"}.
"""

from __future__ import annotations

import base64
import io
import json
import re
import resource
import sys
from typing import Any

# Characters of a line whose boxes' tops differ by less than this share of the page's
# height stand on one line.
_SAME_LINE = 0.005


def main(argv: list[str]) -> int:
    path, page_number, max_side, memory_mb, cpu_seconds = argv
    resource.setrlimit(resource.RLIMIT_AS, (int(memory_mb) * 2**20,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds),) * 2)
    quote = sys.stdin.read()
    try:
        result = _draw(path, int(page_number), int(max_side), quote)
    except MemoryError:
        result = {"error": "the page needs more memory than the limit allows"}
    except Exception as error:  # a broken PDF: one line for the reader
        lines = str(error).strip().splitlines()
        result = {"error": lines[0] if lines else type(error).__name__}
    sys.stdout.write(json.dumps(result))
    return 0


def _draw(path: str, number: int, max_side: int, quote: str) -> dict[str, Any]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    if not 1 <= number <= len(document):
        return {"error": f"the PDF has {len(document)} pages, not {number}"}
    page = document[number - 1]
    width, height = page.get_size()
    scale = max_side / max(width, height)
    image = page.render(scale=scale).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    boxes = _boxes(page.get_textpage(), quote, width, height) if quote.strip() else []
    return {
        "png": base64.b64encode(buffer.getvalue()).decode("ascii"),
        "width": image.width,
        "height": image.height,
        "boxes": boxes,
    }


def _boxes(text_page: Any, quote: str, width: float, height: float) -> list[list[float]]:
    """The quote's characters' boxes merged by line, as fractions of the page. The text
    layer and kilde's page text (pypdf's) may space words differently: both are compared
    with whitespace collapsed."""
    text = text_page.get_text_range()
    squeezed, where = _squeeze(text)
    wanted = " ".join(quote.split())
    found = squeezed.find(wanted)
    if found < 0:
        return []
    lines: list[list[float]] = []
    for index in where[found : found + len(wanted)]:
        if text[index].isspace():
            continue
        # Loose boxes: the font's height, so that the characters of a line line up.
        left, bottom, right, top = text_page.get_charbox(index, loose=True)
        box = [left / width, 1 - top / height, (right - left) / width, (top - bottom) / height]
        last = lines[-1] if lines else None
        if last is not None and abs(last[1] - box[1]) < _SAME_LINE:
            right_edge = max(last[0] + last[2], box[0] + box[2])
            last[0] = min(last[0], box[0])
            last[2] = right_edge - last[0]
            last[3] = max(last[3], box[3])
        else:
            lines.append(box)
    return [[round(v, 5) for v in line] for line in lines]


def _squeeze(text: str) -> tuple[str, list[int]]:
    """`text` with each whitespace run one space, and each kept character's index in it."""
    out: list[str] = []
    where: list[int] = []
    for match in re.finditer(r"\s+|\S", text):
        out.append(" " if match.group(0).isspace() else match.group(0))
        where.append(match.start())
    return "".join(out), where


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
