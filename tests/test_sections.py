"""Headings found in page text, and the section a sentence belongs to."""

from __future__ import annotations

from index.chunk import Chunk
from index.document import Document, Page
from index.sections import (
    PageLayout,
    Place,
    cited_place,
    find_headings,
    heading_before,
    with_headings,
)


def test_headings_are_short_lines_or_names_followed_by_text() -> None:
    text = (
        "Bakgrunn\n\n"
        "Konferansen fant sted i Sevilla. Den samlet mange.\n\n"
        "Deltakere:\n"
        "Hovedmengden var forskere.\n"
        "Charles Wessner, Georgetown University, United States: Smart Specialization in the U.S\n"
        "Gode strategier kjennetegnes av god forankring.\n"
        "Utvikling av relevant kompetanse blir en utfordring og bør stå sentralt i strategiene\n"
        "Mer tekst.\n"
        "Eivind Lorentzen"
    )
    found = [h.text for h in find_headings(text)]
    assert found == [
        "Bakgrunn",
        "Deltakere:",
        "Charles Wessner, Georgetown University, United States: Smart Specialization in the U.S",
    ]


def test_a_colon_line_and_its_title_line_are_one_heading() -> None:
    text = (
        "Andrés Rodríguez-Pose, London School of Economics:\n\n"
        "Why places matter: the revenge of the places that don’t matter\n\n"
        "Stedsbaserte strategier motvirker forskjeller.\n"
    )
    (heading,) = find_headings(text)
    assert heading.text.startswith("Andrés Rodríguez-Pose") and heading.text.endswith("matter")


def test_a_sentence_is_in_the_section_of_the_last_heading_above_it(report_text: str) -> None:
    from ingest.reflow import reflow

    page = reflow(report_text).text
    headings = find_headings(page)
    albany = page.index("Albany er et godt eksempel")
    section = heading_before(headings, albany)
    assert section is not None and section.text.startswith("Charles Wessner")
    governance = page.index("Vi vet at kvalitet på styring")
    section = heading_before(headings, governance)
    assert section is not None and section.text.startswith("Peter Berkowitz")
    assert heading_before(headings, 0) is not None  # "Bakgrunn" heads the first line


def test_a_chunk_after_its_heading_is_given_the_heading() -> None:
    text = "Charles Wessner, Georgetown University\nGode strategier. Albany er et eksempel.\n"
    document = Document("d", "D", None, None, "text", "no", (Page(1, text),))
    first = text.index("Gode")
    after = text.index("Albany")
    chunks = [
        Chunk("d:p1:a", "d", 1, 0, first, text[:first], "no"),
        Chunk("d:p1:b", "d", 1, after, len(text), text[after:], "no"),
    ]
    # The first chunk holds its heading itself; the second stands under it.
    found = [heading for _, heading in with_headings(chunks, {document.id: document}.get)]
    assert found == ["", "Charles Wessner, Georgetown University"]


def test_a_passage_is_placed_by_its_section_and_paragraph() -> None:
    text = (
        "Innledning på siden.\n\n"
        "Deltakere:\n"
        "Mange kom fra hele verden. De fleste var forskere.\n\n"
        "EUs regionkomité var representert.\n\n"
        "Charles Wessner, Georgetown University, United States: Smart Specialization in the "
        "U.S: Growing New York’s Nano-Cluster\n\n"
        "Albany er et godt eksempel."
    )
    layout = PageLayout.of(text)
    assert len(layout.paragraphs) == 5
    # Before any heading: the page's own paragraphs.
    assert layout.place(0) == Place(None, 1)
    # A heading's own line is no paragraph; what follows it on the next line is the first.
    assert layout.place(text.index("De fleste")) == Place("Deltakere", 1)
    assert layout.place(text.index("EUs")) == Place("Deltakere", 2)
    # A long heading is shortened at a word.
    albany = layout.place(text.index("Albany"))
    assert albany == Place("Charles Wessner, Georgetown University, United States …", 1)


def test_a_pdf_is_cited_by_its_page_a_text_by_section_and_paragraph() -> None:
    layout = PageLayout.of("Deltakere:\nMange kom.")
    assert cited_place("pdf", layout, 11) is None
    assert cited_place("html", layout, 11) == Place("Deltakere", 1)
    assert cited_place("text", None, 11) is None
