from __future__ import annotations

import pytest

from index.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hovedmengden av deltakerne var forskere fra hele verden.", "no"),
        ("Institusjoner har en viktig rolle å spille i kunnskapsimport", "no"),
        ("The impact of the digital transformation on the geography of innovation", "en"),
        ("Globalisation through FDI and regional development policy, with a focus on the EU", "en"),
        ("Seville 2018", "und"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_report_is_norwegian(report_text: str) -> None:
    assert detect_language(report_text) == "no"


def test_default_is_used_when_unclear() -> None:
    assert detect_language("OECD 2018", default="en") == "en"
