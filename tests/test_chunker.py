from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.document import Document, Page
from index.language import SHORT_TEXT, detect_languages
from ingest.chunker import Chunker, main_language
from ingest.reflow import reflow


def _doc(*pages: str, lang: str = "no") -> Document:
    return Document(
        "d", "D", None, None, "text", lang, tuple(Page(i + 1, t) for i, t in enumerate(pages))
    )


def test_chunks_are_exact_spans_of_their_page_and_never_cross_pages() -> None:
    doc = _doc("Alpha one. Alpha two.", "Bravo one. Bravo two.")
    chunks = Chunker(size=50, overlap=0).chunk(doc)
    assert [(c.page, c.text) for c in chunks] == [
        (1, "Alpha one. Alpha two."),
        (2, "Bravo one. Bravo two."),
    ]
    assert chunks[1].id == "d:p2:0-21"


def test_sentences_are_packed_up_to_size_with_overlap() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(10))
    chunks = Chunker(size=90, overlap=30).chunk(_doc(text))
    assert all(len(c.text) <= 90 for c in chunks)
    assert all(c.text.startswith("Sentence") and c.text.endswith(".") for c in chunks)
    # Each chunk repeats the last sentence of the one before it.
    for before, after in itertools.pairwise(chunks):
        assert after.start < before.end
        assert before.text.endswith(after.text.split(". ")[0] + ".")


def test_long_sentence_is_cut_at_spaces() -> None:
    text = "word " * 100
    chunks = Chunker(size=60, overlap=0).chunk(_doc(text.strip()))
    assert all(len(c.text) <= 60 and not c.text.startswith(" ") for c in chunks)
    assert " ".join(c.text for c in chunks) == text.strip()


_NORWEGIAN = (
    "Dette er en norsk setning som er skrevet på norsk, og den handler om hvordan "
    "regionene samarbeider om forskning og næringsutvikling i fylket."
)


@pytest.mark.parametrize(
    ("english", "langs"),
    [
        # Long enough to tell: the chunk's own language.
        (
            "This is an English sentence that was written for the test, about how the "
            "regions work together on research and on business development.",
            ["no", "en"],
        ),
        # A heading or caption: too short to tell apart without lingua's slow-loading
        # models, so it takes its document's language.
        ("Lessons from the regions of Europe.", ["no", "no"]),
    ],
)
def test_a_chunk_has_its_own_language_and_a_short_one_its_documents(
    english: str, langs: list[str]
) -> None:
    chunks = Chunker(size=150, overlap=0).chunk(_doc(f"{_NORWEGIAN} {english}", lang="no"))
    assert [c.lang for c in chunks] == langs
    assert chunks[1].text == english
    assert (len(english) >= SHORT_TEXT) == (langs[1] == "en")
    assert detect_languages([english]) == ["en"]  # what either is told alone


def test_the_main_language_is_that_of_most_text() -> None:
    norwegian = "Dette er en norsk setning om hvordan regionene samarbeider om forskning. " * 2
    english = "This is an English sentence that was written for the test of languages. " * 3
    doc = _doc(norwegian.strip(), english.strip(), lang="und")  # not known yet
    chunks = Chunker(size=250, overlap=0).chunk(doc)
    assert [c.lang for c in chunks] == ["no", "en"]
    assert main_language(chunks) == "en"
    assert main_language([]) is None


def test_report_chunks_hold_the_repaired_sentence(report_text: str) -> None:
    doc = _doc(reflow(report_text).text)
    chunks = Chunker().chunk(doc)
    assert len({c.id for c in chunks}) == len(chunks)
    assert any("i land utenfor Europa." in c.text for c in chunks)
    assert chunks == Chunker().chunk(doc)  # deterministic


def test_invalid_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        Chunker(size=100, overlap=100)


@settings(max_examples=200)
@given(
    pages=st.lists(
        st.text(alphabet=st.sampled_from("ab cé.!?\n»"), max_size=400), min_size=1, max_size=3
    ),
    size=st.integers(5, 120),
    overlap_share=st.floats(0, 0.9),
)
def test_offsets_are_exact_and_every_word_is_covered(
    pages: list[str], size: int, overlap_share: float
) -> None:
    overlap = int(size * overlap_share)
    doc = _doc(*pages)
    chunks = Chunker(size=size, overlap=overlap).chunk(doc)
    for chunk in chunks:
        text = doc.page(chunk.page).text
        assert text[chunk.start : chunk.end] == chunk.text
        assert 0 < len(chunk.text) <= size
    for page in doc.pages:
        covered = [False] * len(page.text)
        for chunk in (c for c in chunks if c.page == page.number):
            for i in range(chunk.start, chunk.end):
                covered[i] = True
        assert all(covered[i] for i, ch in enumerate(page.text) if not ch.isspace())
