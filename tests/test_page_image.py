"""Drawing a cited PDF page in a sandboxed child (ui/page_image.py, ui/page_worker.py)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tests.pdfs import garbage_bytes, text_pdf
from ui.page_image import PageImageError, PageImages

PAGES = ["Innlandet satser på reiseliv.", "Klyngen for bioøkonomi får   12 millioner kroner."]


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "innlandet.pdf"
    path.write_bytes(text_pdf(PAGES))
    return path


def test_the_page_is_drawn_and_the_quote_marked_where_it_stands(pdf: Path) -> None:
    # kilde's page text may space words otherwise than the PDF's text layer.
    image = PageImages(max_side=800).image(pdf, 2, "bioøkonomi får 12 millioner")
    assert base64.b64decode(image.png).startswith(b"\x89PNG")
    assert max(image.width, image.height) == 800
    ((x, y, w, h),) = image.boxes  # one line
    assert 0 < x < 0.5 and 0 < y < 0.2 and 0.1 < w < 0.9 and 0 < h < 0.05


def test_a_quote_not_on_the_page_marks_nothing(pdf: Path) -> None:
    assert PageImages().image(pdf, 1, "bioøkonomi").boxes == ()


def test_a_page_drawn_once_is_not_drawn_again(pdf: Path) -> None:
    images = PageImages()
    first = images.image(pdf, 1, "reiseliv")
    assert images.image(pdf, 1, "reiseliv") is first
    pdf.write_bytes(text_pdf(["Ny tekst."]))  # a changed file is drawn anew
    assert images.image(pdf, 1, "reiseliv") is not first


@pytest.mark.parametrize(
    ("content", "page", "reason"),
    [
        (text_pdf(PAGES), 3, "has 2 pages, not 3"),
        (garbage_bytes(), 1, "(?i)pdf|format|data"),
    ],
)
def test_what_cannot_be_drawn_says_why(
    tmp_path: Path, content: bytes, page: int, reason: str
) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(PageImageError, match=reason):
        PageImages().image(path, page)


def test_a_child_that_fails_costs_the_page_not_the_app(pdf: Path) -> None:
    # A memory limit too small for the child to start: the drawing fails, the caller goes on.
    with pytest.raises(PageImageError):
        PageImages(memory_mb=8).image(pdf, 1)
    assert PageImages().image(pdf, 1).png
