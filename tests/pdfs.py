"""Real PDF files, made at test time with fpdf2 and pypdf, with text we know page by page."""

from __future__ import annotations

import io
from collections.abc import Sequence

from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

PAGE_WORDS = ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot")


def _document(title: str | None = None) -> FPDF:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    if title is not None:
        pdf.set_title(title)
    return pdf


def text_pdf(pages: Sequence[str] = PAGE_WORDS[:3], *, title: str | None = None) -> bytes:
    """One page per string, each page's text exactly that string."""
    pdf = _document(title)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def pdf_with_blank_page() -> bytes:
    """Page 1 "Alpha", page 2 only a rectangle and an image (no text layer), page 3 "Charlie"."""
    pdf = _document()
    pdf.add_page()
    pdf.multi_cell(0, 10, "Alpha")
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    pdf.image(Image.new("RGB", (8, 8), "red"), x=20, y=100, w=40)
    pdf.add_page()
    pdf.multi_cell(0, 10, "Charlie")
    return bytes(pdf.output())


def encrypted_pdf(user_password: str, owner_password: str = "owner") -> bytes:
    """`text_pdf()` encrypted (RC4, so no `cryptography` is needed to read it)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt(user_password=user_password, owner_password=owner_password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_broken_page() -> bytes:
    """`text_pdf()` with page 2's content stream replaced by undecodable LZW data."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    stream = StreamObject()
    stream.set_data(b"\xff" * 16)
    stream[NameObject("/Filter")] = NameObject("/LZWDecode")
    writer.pages[1][NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zero_page_pdf() -> bytes:
    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


def truncated_pdf() -> bytes:
    """The first half of a valid PDF, as a cut-off download leaves it."""
    data = text_pdf()
    return data[: len(data) // 2]


def garbage_bytes() -> bytes:
    return bytes((i * 37 + 11) % 256 for i in range(4096))


def html_bytes() -> bytes:
    """An error page, as servers send for a PDF that moved."""
    return b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body></body></html>"


def memory_hungry_pdf(chars: int = 20_000_000) -> bytes:
    """A 20 KB file whose one page holds a 20 MB string: pypdf needs far over 256 MB for it."""
    pdf = _document()
    pdf.add_page()
    pdf.text(10, 10, "a" * chars)
    return bytes(pdf.output())


def expanding_pdf(pages: int, chars: int) -> bytes:
    """A few kB per page that each expand to `chars` characters of text (compressed
    content streams of one long line): the shape of a text bomb."""
    pdf = _document()
    for number in range(pages):
        pdf.add_page()
        pdf.text(10, 10, f"page{number} " + "x" * chars)
    return bytes(pdf.output())
