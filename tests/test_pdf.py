"""PdfParser on real PDFs made at test time, and sniff_kind, which decides what is a PDF."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from index.document import Page
from ingest.errors import ParseError
from ingest.kind import sniff_kind
from ingest.pdf import PdfParser, pdf_title
from ingest.settings import ParseSettings
from tests.pdfs import (
    encrypted_pdf,
    expanding_pdf,
    garbage_bytes,
    html_bytes,
    memory_hungry_pdf,
    pdf_with_blank_page,
    pdf_with_broken_page,
    text_pdf,
    truncated_pdf,
    zero_page_pdf,
)

PARSER = PdfParser(timeout=60)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[bytes], Path]:
    def write(data: bytes, name: str = "doc.pdf") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


def test_pages_keep_their_numbers_and_text(write: Callable[[bytes], Path]) -> None:
    parsed = PARSER.parse(write(text_pdf(["Alpha", "Bravo", "Charlie"])))

    assert parsed.pages == (Page(1, "Alpha"), Page(2, "Bravo"), Page(3, "Charlie"))
    assert parsed.title is None
    assert parsed.warnings == ()


def test_title_comes_from_the_metadata(write: Callable[[bytes], Path]) -> None:
    parsed = PARSER.parse(write(text_pdf(["Alpha"], title="Smart specialisation in Europe")))

    assert parsed.title == "Smart specialisation in Europe"


def test_title_loses_the_word_processor_prefix(write: Callable[[bytes], Path]) -> None:
    parsed = PARSER.parse(write(text_pdf(["Alpha"], title="Microsoft Word - SMARTER 2018.docx")))

    assert parsed.title == "SMARTER 2018"


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("Regional  innovation\nstrategies", "Regional innovation strategies"),
        ("Microsoft PowerPoint - Keynote Seville.pptx", "Keynote Seville"),
        ("untitled", None),
        ("Untitled-1", None),
        ("Presentation1", None),
        ("PowerPoint Presentation", None),
        ("C:\\Users\\eivind\\rapport.doc", None),
        ("   ", None),
        ("--- 2018 ---", None),
        (None, None),
    ],
)
def test_junk_titles_are_dropped(raw: str | None, title: str | None) -> None:
    assert pdf_title(raw) == title


def test_page_without_text_is_kept_with_a_warning(write: Callable[[bytes], Path]) -> None:
    parsed = PARSER.parse(write(pdf_with_blank_page()))

    assert parsed.pages == (Page(1, "Alpha"), Page(2, ""), Page(3, "Charlie"))
    assert parsed.warnings == ("page 2: no text layer; OCR is not available",)


def test_runs_of_pages_without_text_are_one_warning(write: Callable[[bytes], Path]) -> None:
    parsed = PARSER.parse(write(text_pdf(["Alpha", "", "", "Delta", ""])))

    assert [page.number for page in parsed.pages] == [1, 2, 3, 4, 5]
    assert parsed.pages[3] == Page(4, "Delta")
    assert parsed.warnings == (
        "pages 2-3: no text layer; OCR is not available",
        "page 5: no text layer; OCR is not available",
    )


def test_a_broken_page_is_a_warning_not_a_failure(write: Callable[[bytes], Path]) -> None:
    parsed = PARSER.parse(write(pdf_with_broken_page()))

    assert parsed.pages == (Page(1, "Alpha"), Page(2, ""), Page(3, "Charlie"))
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].startswith("page 2: text extraction failed (")


def test_empty_user_password_opens_the_file(write: Callable[[bytes], Path]) -> None:
    parsed = PARSER.parse(write(encrypted_pdf(user_password="", owner_password="owner")))

    assert parsed.pages == (Page(1, "Alpha"), Page(2, "Bravo"), Page(3, "Charlie"))


def _reason(path: Path, parser: PdfParser = PARSER) -> str:
    with pytest.raises(ParseError) as caught:
        parser.parse(path)
    reason = str(caught.value)
    assert "\n" not in reason
    return reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (encrypted_pdf(user_password="secret"), "encrypted with a password; skipped"),
        (zero_page_pdf(), "the PDF has no pages"),
        (b"", "not a PDF (the file is empty)"),
        (html_bytes(), "not a PDF: it looks like an HTML page (starts with '<!DOCTYPE html"),
        (garbage_bytes(), "not a PDF (starts with '"),
        (truncated_pdf(), "damaged PDF: "),
    ],
    ids=["password", "no-pages", "empty", "html", "garbage", "truncated"],
)
def test_unreadable_files_are_refused_with_a_reason(
    write: Callable[[bytes], Path], data: bytes, reason: str
) -> None:
    assert _reason(write(data)).startswith(reason)


def test_missing_file(tmp_path: Path) -> None:
    assert _reason(tmp_path / "gone.pdf") == f"no such file: {tmp_path / 'gone.pdf'}"


def test_too_many_pages_are_refused(write: Callable[[bytes], Path]) -> None:
    reason = _reason(write(text_pdf()), PdfParser(max_pages=2))

    assert reason.startswith("the PDF has 3 pages, more than the limit of 2")


def test_slow_parse_is_stopped(write: Callable[[bytes], Path]) -> None:
    reason = _reason(write(text_pdf()), PdfParser(timeout=0.001))

    assert reason == "parsing took longer than 0.001 s; skipped"


def test_memory_limit_stops_a_hungry_file(write: Callable[[bytes], Path]) -> None:
    reason = _reason(write(memory_hungry_pdf()), PdfParser(timeout=60, memory_mb=128))

    assert reason == "the PDF parser ran out of memory (limit 128 MB); skipped"


def test_memory_limit_too_small_to_load_the_parser(write: Callable[[bytes], Path]) -> None:
    # The child applies the limit to itself, then cannot even import pypdf.
    reason = _reason(write(text_pdf()), PdfParser(timeout=60, memory_mb=5))

    assert reason == "the PDF parser ran out of memory (limit 5 MB); skipped"


def test_parser_works_from_any_directory(
    write: Callable[[bytes], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(text_pdf(["Alpha"]))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTHONPATH", raising=False)

    assert PARSER.parse(path).pages == (Page(1, "Alpha"),)


def test_from_settings() -> None:
    settings = ParseSettings(pdf_timeout=5, pdf_memory_mb=300, max_pages=7, max_chars=9000)
    parser = PdfParser.from_settings(settings)
    limits = (parser.timeout, parser.memory_mb, parser.max_pages, parser.max_chars)
    assert limits == (5, 300, 7, 9000)


@pytest.mark.parametrize(
    ("head", "content_type", "name", "kind"),
    [
        (b"%PDF-1.7\n", None, None, "pdf"),
        (b"junk before the header %PDF-1.4", "text/html", "a.html", "pdf"),
        (b"<!DOCTYPE html><html>", "application/pdf", "report.pdf", "html"),
        (b"\xef\xbb\xbf  \n<html lang=no>", None, "x.pdf", "html"),
        (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>", None, None, "html"),
        (b"\n<HEAD><TITLE>x</TITLE>", None, None, "html"),
        (b"%PDF", None, None, None),
        (b"plain words", "application/pdf; charset=binary", None, "pdf"),
        (b"plain words", "Text/HTML; charset=utf-8", None, "html"),
        (b"plain words", "application/xhtml+xml", None, "html"),
        (b"plain words", "text/plain", None, "text"),
        (b"plain words", "text/markdown", None, "markdown"),
        (b"# Title", "text/plain; charset=utf-8", "README.md", "markdown"),
        (b"plain words", "application/octet-stream", "notes.TXT", "text"),
        (b"plain words", None, "https://example.org/files/guide.pdf?download=1", "pdf"),
        (b"plain words", None, "page.htm", "html"),
        (b"plain words", None, "notes.markdown", "markdown"),
        (b"plain words", None, "data.csv", None),
        (b"plain words", None, None, None),
    ],
)
def test_sniff_kind(head: bytes, content_type: str | None, name: str | None, kind: str) -> None:
    assert sniff_kind(head, content_type=content_type, name=name) == kind


@pytest.mark.parametrize(
    ("returncode", "stderr", "reason"),
    [
        (3, b"", "the PDF parser ran out of memory (limit 200 MB); skipped"),
        (-24, b"", "parsing used more than 11 s of CPU time; skipped"),
        (-9, b"", "the PDF parser was killed (exit code -9, SIGKILL), perhaps for lack of memory"),
        (-11, b"", "the PDF parser crashed (exit code -11, SIGSEGV)"),
        (
            1,
            b"Traceback ...\n  File x\nKeyError: 'x'\n",
            "the PDF parser crashed (exit code 1: KeyError: 'x')",
        ),
        (
            1,
            b"...\nMemoryError\n",
            "the PDF parser could not start within its memory limit of 200 MB",
        ),
    ],
)
def test_child_failures_are_explained(returncode: int, stderr: bytes, reason: str) -> None:
    # These deaths cannot be caused on demand by a file, so the mapping is tested directly.
    assert PdfParser(timeout=10, memory_mb=200)._failure(returncode, stderr).startswith(reason)


def test_the_text_taken_from_a_pdf_is_capped_and_the_rest_reported(
    write: Callable[[bytes], Path],
) -> None:
    bomb = write(expanding_pdf(pages=20, chars=100_000))
    assert bomb.stat().st_size < 20_000
    parsed = PdfParser(timeout=60, max_chars=250_000).parse(bomb)
    assert [len(p.text) > 0 for p in parsed.pages] == [True, True, True]
    assert sum(len(p.text) for p in parsed.pages) <= 250_000
    assert any(
        "parse.max_chars" in w and "read to page 3 of 20, pages 4-20 not read" in w
        for w in parsed.warnings
    ), parsed.warnings


def test_parse_workers_are_reused_for_many_files(tmp_path: Path) -> None:
    files = [tmp_path / f"side-{n}.pdf" for n in range(8)]
    for n, path in enumerate(files):
        path.write_bytes(text_pdf([f"Side {n}: klynger og innovasjon."]))
    with PdfParser(timeout=60, workers=2) as parser:
        before = parser.started
        texts = [parser.parse(path).pages[0].text for path in files]
        assert parser.started - before <= 2
    assert texts == [f"Side {n}: klynger og innovasjon." for n in range(8)]


def test_a_worker_is_replaced_after_a_crash_and_after_n_files(
    write: Callable[[bytes], Path],
) -> None:
    good = write(text_pdf())
    with PdfParser(timeout=60, memory_mb=128, workers=1, recycle_after=3) as parser:
        before = parser.started
        with pytest.raises(ParseError, match="out of memory"):
            parser.parse(write(memory_hungry_pdf(), "hungry.pdf"))  # type: ignore[call-arg]
        assert parser.parse(good).pages  # a new worker after the crash
        for _ in range(6):
            parser.parse(good)
        # The crashed one; then 7 good files in workers of at most 3 files each.
        assert parser.started - before == 1 + 3


def test_the_cpu_limit_is_per_file_not_per_worker(write: Callable[[bytes], Path]) -> None:
    """A worker that has read for longer than one file's CPU limit keeps reading."""
    path = write(text_pdf(["Klynger i Innlandet samarbeider om bioøkonomi. " * 40] * 30))
    with PdfParser(timeout=1, workers=1, recycle_after=10_000) as parser:  # 2 s of CPU per file
        before = parser.started
        start = time.monotonic()
        while time.monotonic() - start < 5:
            assert len(parser.parse(path).pages) == 30
        assert parser.started - before == 1
