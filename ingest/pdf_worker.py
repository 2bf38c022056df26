"""The child process that reads one PDF:
`python -m ingest.pdf_worker PATH MAX_PAGES MEMORY_MB CPU_SECONDS`.

It puts itself under the memory and CPU limits it is given before it imports
pypdf (setting them from the parent with preexec_fn is unsafe in a threaded
parent), and the parent enforces a wall-clock timeout, so that a
hostile or broken PDF costs one child, never the ingest run. It prints one
JSON object on stdout, either

    {"pages": [{"text": "...", "error": null}, ...], "title": "..." | null}

or {"error": "one-line reason"}. Page text is raw; the parent cleans it.
"""

from __future__ import annotations

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


def read_pdf(path: str, max_pages: int) -> dict[str, Any]:
    """The JSON-ready result for the PDF at `path`."""
    try:
        reader = _open(path)
        count = _page_count(reader, max_pages)
    except _Refused as refused:
        return {"error": str(refused)}
    pages = [_page(reader, index) for index in range(count)]
    return {"pages": pages, "title": _title(reader)}


def _lower(limit: int, value: int) -> None:
    _, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(limit, (value, hard))


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(
            "usage: python -m ingest.pdf_worker PATH MAX_PAGES MEMORY_MB CPU_SECONDS",
            file=sys.stderr,
        )
        return 2
    try:
        _lower(resource.RLIMIT_AS, int(argv[2]) * 1024 * 1024)
        _lower(resource.RLIMIT_CPU, int(argv[3]))
        output = json.dumps(read_pdf(argv[0], int(argv[1])))
    except MemoryError:
        return EXIT_OUT_OF_MEMORY
    sys.stdout.write(output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
