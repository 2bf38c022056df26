"""The text taken from one document is capped; what is left out is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.loader import FileLoader
from ingest.parse_cache import ParseCache
from ingest.pdf import PdfParser
from tests.pdfs import expanding_pdf
from ui.cli import main


def test_a_long_text_file_is_cut_at_the_cap_and_the_cut_reported(tmp_path: Path) -> None:
    path = tmp_path / "lang.txt"
    path.write_text("Klynger i Innlandet samarbeider om bioøkonomi. " * 2000)  # 94,000 chars
    with PdfParser() as pdf:
        loaded = FileLoader(
            pdf, ParseCache(tmp_path / "cache"), max_bytes=10**8, max_chars=10_000
        ).load(path)
    text = "".join(p.text for p in loaded.parsed.pages)
    assert 9_000 < len(text) <= 10_000
    # Cut at a space, not inside a word.
    assert text.rsplit(" ", 1)[-1] in "Klynger i Innlandet samarbeider om bioøkonomi.".split()
    (warning,) = loaded.parsed.warnings
    assert "parse.max_chars" in warning and "84,0" in warning


def test_a_pdf_text_bomb_is_ingested_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 14 kB PDF whose 60 pages expand to 100,000 characters each (6 million in all)."""
    bomb = tmp_path / "bombe.pdf"
    bomb.write_bytes(expanding_pdf(pages=60, chars=100_000))
    assert bomb.stat().st_size < 40_000
    monkeypatch.setenv("KILDE_PARSE__MAX_CHARS", "300000")
    monkeypatch.setenv("KILDE_EMBEDDING__BACKEND", "hash")
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", "--offline", str(bomb)]) == 0
    sources = json.loads((data / "corpus" / "sources.json").read_text())
    (record,) = [s for s in sources if s["id"].startswith("bombe")]
    assert record["status"] == "ok"
    warnings = record["warnings"]
    assert any("read to page 3 of 60, pages 4-60 not read" in w for w in warnings), warnings
