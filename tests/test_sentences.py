from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from index.sentences import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_abbreviations_initials_and_dates_do_not_end_sentences() -> None:
    text = (
        "Metoden brukes bl.a. i Canada. Konferansen var 25. september 2018 i Sevilla. "
        "Prof. A. Smith spoke, e.g. on FDI. Hva kan gjøres? Mye!"
    )
    assert _sentences(text) == [
        "Metoden brukes bl.a. i Canada.",
        "Konferansen var 25. september 2018 i Sevilla.",
        "Prof. A. Smith spoke, e.g. on FDI.",
        "Hva kan gjøres?",
        "Mye!",
    ]


def test_chained_initials_do_not_end_a_sentence_but_an_acronym_may() -> None:
    text = (
        "Sammen med D.W. Griffith grunnla han selskapet. Det gikk bra i EU. Vi har nettverk "
        "m.m. Neste år kommer mer."
    )
    assert _sentences(text) == [
        "Sammen med D.W. Griffith grunnla han selskapet.",
        "Det gikk bra i EU.",
        "Vi har nettverk m.m.",
        "Neste år kommer mer.",
    ]


def test_quotes_and_lines() -> None:
    text = (
        "S3 besvarer spørsmålet: «Hva kan gjøres?» Innsikten er klar.\n"
        "En linje uten punktum\nOg en til"
    )
    assert _sentences(text) == [
        "S3 besvarer spørsmålet: «Hva kan gjøres?»",
        "Innsikten er klar.",
        "En linje uten punktum",
        "Og en til",
    ]


def test_lowercase_continuation_lines_stay_in_the_sentence() -> None:
    assert _sentences("A slide line that\ncontinues here.") == [
        "A slide line that\ncontinues here."
    ]


@given(st.text(alphabet=st.sampled_from("ab .!?\n«»ÆA1,"), max_size=200))
def test_spans_cover_every_character_in_order(text: str) -> None:
    spans = split_sentences(text)
    covered = "".join(text[a:b] for a, b in spans)
    assert covered.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    for (a, b), (c, _) in itertools.pairwise(spans):
        assert a < b <= c
    for a, b in spans:
        assert not text[a].isspace() and not text[b - 1].isspace()
