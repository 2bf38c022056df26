from __future__ import annotations

from ingest.reflow import reflow


def test_sentence_cut_by_url_block_is_whole_again(report_text: str) -> None:
    text = reflow(report_text).text
    assert "knyttet til Smart Spesialisering i land utenfor Europa." in text
    assert "http" not in text


def test_report_urls_are_collected_with_positions(report_text: str) -> None:
    result = reflow(report_text)
    written = [u.written for u in result.urls]
    assert len(written) == 26
    assert written[0].endswith("veileder-smart-spesialisering-endelig.pdf")
    # The first block stood between "i land" and "utenfor Europa".
    offset = result.urls[0].offset
    assert result.text[:offset].endswith("i land")


def test_wrapped_lines_join_and_headings_stay_apart(report_text: str) -> None:
    text = reflow(report_text).text
    assert "Bakgrunn\n\nEuropakommisjonen og Regional Studies Association" in text
    assert (
        "Kevin Morgan: The Realities of RIS3: Implementation Gaps Between More and Less "
        "Developed European Regions" in text
    )
    assert "deriblant Artur Santoalha og Fulvio Castellacci" in text
    assert "fagretninger\n\nInstitusjonell kapasitet" in text
    assert "(energi, agro-food etc)" in text


def test_bullets_are_lines_of_their_own() -> None:
    raw = "Liste:\n        Første punkt som er\n\nlangt.\n        Andre punkt.\n"
    assert reflow(raw).text == "Liste:\nFørste punkt som er langt.\nAndre punkt."


def test_inline_urls_are_found_and_kept() -> None:
    result = reflow("Se https://example.org/a for mer.\n")
    assert result.text == "Se https://example.org/a for mer."
    assert [(u.written, u.offset) for u in result.urls] == [("https://example.org/a", 3)]


def test_short_lines_ending_a_paragraph_are_not_joined() -> None:
    raw = "A title\nThe body starts here and runs on.\n"
    assert reflow(raw).text == "A title\n\nThe body starts here and runs on."
