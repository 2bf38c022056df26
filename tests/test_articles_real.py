"""Claims and answers on a small corpus of news articles written for these tests
(tests/data/articles), with the real models: quotes attributed to the wrong person, opposite
verbs, negations elsewhere in a sentence, an article's subsections, and the one sentence that
answers among many that echo the question."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from ui import wiring
from ui.cli import main
from ui.config import load_config

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder = tmp_path_factory.mktemp("articles-data")
    assert main(["--data-dir", str(folder), "ingest", "--offline", str(ARTICLES)]) == 0
    config = load_config(None, {"KILDE_PATHS__DATA_DIR": str(folder)})
    return wiring.assistant(config, os.environ)


def test_a_quote_given_to_the_wrong_person_names_who_said_it(assistant: Assistant) -> None:
    # The quote's sentence names nobody; the next one says who said it.
    result = assistant.check(
        "Per Olav Lunde sa at man ikke har sett så mye nedbør i september siden målingene startet."
    )[0]
    assert result.verdict == "contradicted", result
    assert "Haugland" in result.reason


@pytest.mark.parametrize(
    ("claim", "ours", "theirs"),
    [
        # Opposite verbs,
        ("Marte Solberg sier at utlånet har sunket hvert år siden 2015.", "'sunket'", "'økt'"),
        ("Kari Vindheim tapte 100 meter på Bislett torsdag kveld.", "'tapte'", "'vant'"),
        ("Kari Vindheim ble slått av svenske Emma Lind med fire hundredeler.", "'slått'", "'slo'"),
        # and one word in the place of another of its kind (kai-narvik.txt).
        ("Ordfører Kari Nilsen klippet snoren ved åpningen av kaien.", "rdfører", "araordfører"),
        ("Bodø havn åpnet tirsdag den nye containerkaien på Fagernes.", "Bodø", "Narvik"),
        (
            "Den norske malmeksporten fra Kiruna skal også gå over den nye kaien.",
            "norske",
            "svenske",
        ),
        ("Narvik havn åpnet onsdag den nye containerkaien på Fagernes.", "onsdag", "tirsdag"),
    ],
)
def test_a_word_in_the_place_of_another_is_a_contradiction_named_in_the_reason(
    assistant: Assistant, claim: str, ours: str, theirs: str
) -> None:
    result = assistant.check(claim)[0]
    assert result.verdict == "contradicted", result
    assert ours in result.reason and theirs in result.reason, result.reason


def test_an_ordinal_is_a_number_and_a_pronoun_stands_for_who_was_named(
    assistant: Assistant,
) -> None:
    # "Det var tredje gang hun vant sprinten på Bislett": "hun" is Kari Vindheim, named before.
    fourth = assistant.check("Det var fjerde gang Kari Vindheim vant sprinten på Bislett.")[0]
    assert fourth.verdict == "contradicted", fourth
    assert "4" in fourth.reason and "3" in fourth.reason
    third = assistant.check("Det var tredje gang Kari Vindheim vant sprinten på Bislett.")[0]
    assert third.verdict == "supported", third


def test_a_word_in_the_place_of_another_is_not_certified(assistant: Assistant) -> None:
    result = assistant.check("Meteorolog Sverre Dahl venter at snøen gir seg torsdag ettermiddag.")[
        0
    ]
    assert result.verdict != "supported", result


def test_a_pronoun_stands_for_the_one_named_just_before_not_anyone_earlier(
    assistant: Assistant,
) -> None:
    # "Per Olsen åpnet årsmøtet ... Kari Dahl la deretter fram tallene ... Hun sa at eksporten
    # av laks økte med fem prosent i fjor": she is Kari Dahl.
    wrong = assistant.check("Per Olsen sa at eksporten av laks økte med fem prosent i fjor.")[0]
    assert wrong.verdict != "supported", wrong
    assert "Olsen" in wrong.reason and "Dahl" in wrong.reason
    right = assistant.check("Kari Dahl sa at eksporten av laks økte med fem prosent i fjor.")[0]
    assert right.verdict == "supported", right


def test_a_negation_counts_only_where_it_negates_the_claim(assistant: Assistant) -> None:
    # "... holde seg unna elvebreddene og ikke kjøre gjennom vann": the "ikke" is not about
    # keeping away from the river banks ...
    kept_away = assistant.check("Haugland ber folk holde seg unna elvebreddene.")[0]
    assert kept_away.verdict == "supported", kept_away
    # ... but it is about driving through water.
    drive = assistant.check("Haugland ber folk kjøre gjennom vann på veien.")[0]
    assert drive.verdict == "contradicted", drive


def test_an_answer_may_come_from_an_articles_subsection(assistant: Assistant) -> None:
    # The title names Vindheim; the quote is under a subheading that names nobody.
    answer = assistant.ask("Hvordan synes Kari Vindheim det er å vinne på hjemmebane?")
    assert answer.answered
    assert "deilig" in answer.text


def test_a_family_name_alone_stands_for_the_one_person_of_that_name(assistant: Assistant) -> None:
    # "Treneren Ola Berg mener at Vindheim kan løpe under 11,10": Kari Vindheim, named before.
    right = "Treneren Ola Berg mener at Kari Vindheim kan løpe under 11,10 før sesongen er over."
    assert assistant.check(right)[0].verdict == "supported"
    for wrong in (
        "Treneren Ola Berg mener at Per Vindheim kan løpe under 11,10 før sesongen er over.",
        "Ola Vindheim vant 100 meter på Bislett torsdag kveld med tiden 11,21 sekunder.",
    ):
        result = assistant.check(wrong)[0]
        assert result.verdict != "supported", result


@pytest.mark.parametrize(
    "claim",
    [
        # One common word of its own in a sentence otherwise the source's ("venter"),
        "Meteorolog Sverre Dahl nekter at regnet gir seg torsdag ettermiddag.",
        # ... one said in other words and turned ("som ikke koster penger"),
        "Folk ønsker et dyrt sted å treffes, mener Solberg.",
        # ... and one added to what the source says.
        "Kari Vindheim vant 100 meter på Bislett torsdag kveld med tiden 11,21 sekunder, og hun "
        "var trist.",
    ],
)
def test_a_word_the_source_does_not_have_is_not_certified(assistant: Assistant, claim: str) -> None:
    assert assistant.check(claim)[0].verdict != "supported"


def test_two_people_the_other_way_round_are_a_contradiction(assistant: Assistant) -> None:
    # "Prosjektleder Jonas Berg overtok etter Silje Moe i fjor"
    result = assistant.check(
        "Silje Moe overtok etter Jonas Berg i fjor, da byggingen var halvveis."
    )[0]
    assert result.verdict == "contradicted", result
    assert "Silje Moe" in result.reason and "Jonas Berg" in result.reason
    assert assistant.check("Jonas Berg overtok etter Silje Moe i fjor.")[0].verdict == "supported"


def test_a_nynorsk_claim_meets_a_bokmal_source(assistant: Assistant) -> None:
    for claim in (
        "Biblioteket har åpent alle dagar frå klokka 8 til 22, også i helgane.",
        "Kari Dahl sa at eksporten av laks auka med fem prosent i fjor, mest til Polen og "
        "Frankrike.",
    ):
        result = assistant.check(claim)[0]
        assert result.verdict == "supported", result


def test_a_neighbours_name_does_not_make_them_the_actor(assistant: Assistant) -> None:
    # "Per Olsen åpnet årsmøtet ... Kari Dahl la deretter fram tallene for fjoråret."
    result = assistant.check("Per Olsen la fram tallene for fjoråret.")[0]
    assert result.verdict != "supported", result
    # ... but a quote's speaker is named in the sentence after it.
    quote = "Haugland sa at man ikke har sett så mye nedbør i september siden målingene startet."
    assert assistant.check(quote)[0].verdict == "supported"


def test_a_close_passage_without_the_claims_word_names_the_word(assistant: Assistant) -> None:
    result = assistant.check(
        "Meteorolog Sverre Dahl nekter at regnet gir seg torsdag ettermiddag."
    )[0]
    assert result.verdict == "not_in_sources", result
    assert "'nekter'" in result.reason and "[1]" in result.reason
    assert result.evidence and "venter" in result.evidence[0].quote


def test_an_answer_quotes_the_sentence_with_the_questions_telling_word(
    assistant: Assistant,
) -> None:
    # glitterfjell.txt names the band in nearly every sentence; only one says who formed
    # it, and it calls it "Bandet". The name echoes the question; "dannet" answers it.
    answer = assistant.ask("Hvem dannet Glitterfjell?")
    assert answer.answered, answer.text
    assert "Ole og Nils Aune" in answer.text, answer.text
