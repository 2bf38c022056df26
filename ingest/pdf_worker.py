"""The child process that reads PDFs: `python -m ingest.pdf_worker MEMORY_MB`.

It puts itself under the memory limit it is given before it imports pypdf
(setting limits from the parent with preexec_fn is unsafe in a threaded
parent), and under a CPU limit per file; the parent enforces a wall-clock
timeout per file, so that a hostile or broken PDF costs one child, never the
ingest run. A worker reads many files (starting one costs about 110 ms): one
JSON request per line on stdin, one JSON reply per line on stdout, either

    {"pages": [{"text": "...", "error": null}, ...], "title": "..." | null,
     "page_count": n, "capped_after": null | pages read when the character cap was met}

or {"error": "one-line reason"}. Page text is raw; the parent cleans it.
"""

from __future__ import annotations

import errno
import json
import resource
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypdf import PdfReader

# The exit code for "out of memory": printing JSON may itself fail by then.
EXIT_OUT_OF_MEMORY = 3


class _Refused(Exception):
    """The PDF cannot be read; the message is the reason."""


def _reason(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _open(path: str) -> PdfReader:
    # Imported here, inside the limits, and never by the parent.
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(path)
        # decrypt("") returns 0 when a user password is set; anything else
        # means the empty password opened it and the file reads as usual.
        if reader.is_encrypted and reader.decrypt("") == 0:
            raise _Refused("encrypted with a password; skipped")
    except DependencyError:
        raise _Refused(
            "encrypted with AES, which needs the 'cryptography' package: "
            "pip install 'pypdf[crypto]'"
        ) from None
    except (_Refused, MemoryError):
        raise
    except Exception as error:
        raise _Refused(f"damaged PDF: {_reason(error)}") from error
    return reader


def _page_count(reader: PdfReader, max_pages: int) -> int:
    try:
        count = len(reader.pages)
    except MemoryError:
        raise
    except Exception as error:
        raise _Refused(f"damaged PDF: {_reason(error)}") from error
    if count == 0:
        raise _Refused("the PDF has no pages")
    if count > max_pages:
        raise _Refused(
            f"the PDF has {count} pages, more than the limit of {max_pages}; "
            "raise max_pages to read it"
        )
    return count


def _page(reader: PdfReader, index: int) -> dict[str, str | None]:
    # One bad page must not cost the others: its error becomes a warning.
    try:
        return {"text": reader.pages[index].extract_text(), "error": None}
    except MemoryError:
        raise
    except Exception as error:
        return {"text": "", "error": _reason(error)}


def _title(reader: PdfReader) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except MemoryError:
        raise
    except Exception:
        # A broken info dictionary costs the title, not the text.
        return None
    return title if isinstance(title, str) else None


def read_pdf(path: str, max_pages: int, max_chars: int) -> dict[str, Any]:
    """The JSON-ready result for the PDF at `path`. Pages after the first `max_chars`
    characters are not extracted (their count is given as "capped_after")."""
    try:
        reader = _open(path)
        count = _page_count(reader, max_pages)
    except _Refused as refused:
        return {"error": str(refused)}
    pages: list[dict[str, str | None]] = []
    taken = 0
    for index in range(count):
        if taken >= max_chars:  # more pages, and no room for them
            return _result(reader, pages, count, capped_after=index)
        page = _page(reader, index)
        text = page["text"] or ""
        page["text"] = text[: max_chars - taken]
        taken += len(text)
        pages.append(page)
    return _result(reader, pages, count, capped_after=count if taken > max_chars else None)


def _result(
    reader: PdfReader, pages: list[dict[str, str | None]], count: int, capped_after: int | None
) -> dict[str, Any]:
    title = _title(reader)
    return {"pages": pages, "title": title, "page_count": count, "capped_after": capped_after}


def _lower(limit: int, value: int) -> None:
    _, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(limit, (value, hard))


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def serve(stdin: Any, stdout: Any) -> int:
    """Answer one request per line until stdin closes. The CPU limit is set anew for each
    file, counted from what the worker had used before it: the limit is per file."""
    try:
        for line in stdin:
            request = json.loads(line)
            _lower(resource.RLIMIT_CPU, int(_cpu_used()) + int(request["cpu_seconds"]))
            pages = read_pdf(request["path"], int(request["max_pages"]), int(request["max_chars"]))
            stdout.write(json.dumps(pages) + "\n")
            stdout.flush()
    except MemoryError:
        return EXIT_OUT_OF_MEMORY
    except OSError as error:  # an import that could not map its files
        if error.errno == errno.ENOMEM:
            return EXIT_OUT_OF_MEMORY
        raise
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].isdigit():
        print(
            "usage: python -m ingest.pdf_worker MEMORY_MB  (then one JSON request per line "
            'on stdin: {"path", "max_pages", "max_chars", "cpu_seconds"})',
            file=sys.stderr,
        )
        return 2
    try:
        _lower(resource.RLIMIT_AS, int(argv[0]) * 1024 * 1024)
    except MemoryError:
        return EXIT_OUT_OF_MEMORY
    return serve(sys.stdin, sys.stdout)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
