from __future__ import annotations

from assistant.facts import (
    facts_of,
    kind_differs,
    kind_missing,
    negation_differs,
    office_differs,
    opposed_poles,
)
from assistant.output import clean_output, markers, strip_markers


def test_numbers_are_grouped_by_kind() -> None:
    facts = facts_of("I 2014 gikk 75 % av budsjettet, 1 200 millioner kroner, til 3 regioner.")
    assert facts.numbers == {
        "year": {"2014"},
        "percent": {"75"},
        "amount": {"1200"},
        "number": {"3"},
    }


def test_roman_numerals_count_as_numbers_not_names() -> None:
    facts = facts_of("Han er professor II ved universitetet.")
    assert facts.numbers == {"number": {"2"}} and "ii" not in facts.names


def test_names_skip_a_sentence_start_unless_a_name_follows() -> None:
    assert facts_of("According to Kevin Morgan, Wales lags.").names == {"kevin", "morgan", "wales"}
    assert facts_of("Andrés Rodríguez-Pose spoke.").names == {"andrés", "rodríguez", "pose"}


def test_opposite_words_across_languages() -> None:
    claim = facts_of("The method originated entirely within the EU.")
    source = facts_of("Metoden har både deler av sin opprinnelse utenfor EU.")
    assert ("inside", "outside") in opposed_poles(claim, source)
    assert opposed_poles(claim, facts_of("It originated within the EU.")) == []


def test_negation() -> None:
    assert facts_of("Størrelse er ikke avgjørende.").negated
    assert not facts_of("Size is decisive.").negated
    assert facts_of("Size isn't decisive.").negated


def test_clean_output_keeps_source_links_only_and_no_images() -> None:
    text, removed = clean_output(
        "See [the talk](https://src.example/a.pdf) and [this](http://evil.example/x) "
        "![pic](http://127.0.0.1:9/canary.png) http://evil.example/y <b>bold</b> "
        "https://src.example/a.pdf.",
        {"https://src.example/a.pdf"},
    )
    assert "[the talk](https://src.example/a.pdf)" in text
    assert "evil.example" not in text and "canary" not in text and "<b>" not in text
    assert text.rstrip().endswith("https://src.example/a.pdf.")
    assert len(removed) == 4


def test_markers() -> None:
    assert markers("A claim [1][3] and [12].") == [1, 3, 12]
    assert strip_markers("A claim [1][3].") == "A claim."


def test_months_in_both_languages() -> None:
    assert facts_of("It took place in October 2018.").numbers["month"] == {"10"}
    assert facts_of("Konferansen var 25. september 2018.").numbers["month"] == {"9"}
    assert "month" not in facts_of("We march on; it may rain.").numbers


def test_good_and_bad_are_opposites() -> None:
    claim = facts_of("Baskerland trekkes frem som et dårlig eksempel.")
    source = facts_of("Baskerland er blant landene som trekkes frem som godt eksempel.")
    assert opposed_poles(claim, source) == [("bad", "good")]


def test_ordinals_are_numbers_of_their_own_kind() -> None:
    assert facts_of("Konferansen holdes hvert tredje år.").numbers == {"ordinal": frozenset("3")}
    assert facts_of("Hun endte på fjerdeplass.").numbers == {"ordinal": frozenset("4")}
    assert facts_of("It was the second time.").numbers == {"ordinal": frozenset("2")}
    # "andre", "annet", "annen" are mostly "other(s)": not numbers, but "hvert annet år" is.
    assert facts_of("Andre regioner fulgte etter.").numbers == {}
    assert facts_of("Rapporten peker blant annet på en annen region.").numbers == {}
    assert facts_of("Konferansen holdes hvert annet år.").numbers == {"ordinal": frozenset("2")}


def test_a_negation_counts_where_it_negates_what_the_claim_says() -> None:
    source = "Haugland ber folk holde seg unna elvebreddene og ikke kjøre gjennom vann på veien."
    assert not negation_differs("Haugland ber folk holde seg unna elvebreddene.", source)
    assert negation_differs("Haugland ber folk kjøre gjennom vann på veien.", source)
    # A negated clause nothing in the sentence says: the sentence as a whole does not negate.
    assert negation_differs(
        "Det er ikke slik at regionen og kommunen samarbeider tett om næringsutvikling.",
        "Regionen og kommunen samarbeider tett om næringsutvikling.",
    )
    # Both negate, but different things.
    assert negation_differs(
        "Perioden var uvanlig varm over hele verden, ikke bare i enkelte regioner.",
        "Perioden var ikke uvanlig varm over hele verden, og klimaet var forskjellig i regioner.",
    )


def test_half_is_a_share_and_most_and_least_are_opposites() -> None:
    assert facts_of("Halvparten av budsjettet kom fra strukturfondene.").numbers == {
        "percent": frozenset({"50"})
    }
    # ... but "the first half of 2020" is a period, and "at least" / "minst" no pole.
    assert "percent" not in facts_of("The first half of 2020 was calm.").numbers
    assert facts_of("At least some of the funding came late.").poles == frozenset()
    assert facts_of("Støtten gis i minst tre år.").poles == frozenset()
    claim = facts_of("Regions far ahead have the least to gain.")
    assert opposed_poles(claim, facts_of("Regioner langt fremme har mest å hente.")) == [
        ("least", "most")
    ]


def test_nynorsk_no_is_now_and_ikkje_negates() -> None:
    source = "EUs formelle dialoger med land i Afrika inkluderer nå smart spesialisering."
    claim = "EU sine formelle dialogar med land i Afrika inkluderer no smart spesialisering."
    assert not negation_differs(claim, source)
    assert negation_differs(
        "EU sine formelle dialogar med land i Afrika inkluderer ikkje smart spesialisering.",
        source,
    )
    assert facts_of("There is no agreement on the budget.").negated


def test_a_negation_is_found_whatever_the_inflection() -> None:
    assert negation_differs(
        "Gode rammebetingelser og god tilrettelegging gjennom S3 står i motsetning til hverandre.",
        "Gode rammebetingelser og god tilrettelegging gjennom S3 er ikke motsetninger.",
    )


def test_an_office_and_its_deputy_differ() -> None:
    source = "EUs regionkomité var representert med visepresident Markku Markkula."
    assert office_differs("The committee was represented by its president.", source) == (
        "president",
        "visepresident",
    )
    assert office_differs("Nestleder Per Hansen åpnet møtet.", "Leder Per Hansen åpnet møtet.")
    assert office_differs("The deputy director spoke.", "Direktøren talte.") == (
        "deputy director",
        "direktøren",
    )
    assert office_differs("Visepresidenten talte.", "The vice-president spoke.") is None
    # The source naming both offices says nothing against either.
    assert office_differs("Lederen talte.", "Lederen og nestlederen talte.") is None


def test_a_nationality_or_weekday_in_the_place_of_another_differs() -> None:
    source = "Den svenske malmeksporten fra Kiruna skal gå over kaien fra tirsdag."
    assert kind_differs("Den norske malmeksporten skal gå over kaien.", source) == (
        "norske",
        "svenske",
    )
    assert kind_differs("Eksporten går over kaien fra onsdag.", source) == ("onsdag", "tirsdag")
    assert kind_differs("Swedish ore exports will use the quay.", source) is None
    # What stands in its place is one the claim does not name; a list the source only
    # shortens is no contradiction.
    assert kind_differs("Åpent mandag til fredag.", "Åpent mandag til torsdag.") == (
        "fredag",
        "torsdag",
    )
    assert kind_differs("Norske og svenske bedrifter deltok.", "Svenske bedrifter deltok.") is None
    # A country's name says what its adjective does; a missing one is reported.
    assert kind_missing("Blant norske kirker er den størst.", "den største kirken i Norge") == []
    assert kind_missing("Den norske eksporten økte.", "Eksporten økte.") == ["norske"]


def test_being_beaten_is_a_loss() -> None:
    assert facts_of("Hun ble imidlertid slått av Kurt Nilsen.").poles == {"lose"}
    assert facts_of("He was defeated by Nilsen.").poles == {"lose"}
    assert facts_of("Kelly Clarkson beat Kurt Nilsen.").poles == {"win"}
    assert facts_of("Hun slo svenske Emma Lind med fire hundredeler.").poles == {"win"}
    # "slå fast", "slå seg ned": no contest.
    assert facts_of("Rapporten slår fast at regionene samarbeider.").poles == frozenset()


def test_a_negated_claim_is_no_contradiction_of_an_unrelated_sentence() -> None:
    claim = "Ingen fiendtlig hær har noen gang klart å innta festningen med makt."
    assert not negation_differs(claim, "Forsvarsmuseet har lokaler på festningen.")
    assert negation_differs(claim, "En fiendtlig hær klarte å innta festningen med makt.")


def test_much_less_is_still_less_and_contests_read_the_whole_phrase() -> None:
    more = facts_of("Norge eksporterer mye mer olje enn Sverige.")
    assert opposed_poles(more, facts_of("Norge eksporterer mye mindre olje enn Sverige.")) == [
        ("more", "less")
    ]
    assert facts_of("Hun ble i finalen slått av Kari.").poles == {"lose"}
    assert facts_of("Kommunene ble slått sammen i 2020.").poles == frozenset()


def test_a_countrys_acronym_is_read_as_written() -> None:
    assert kind_missing("De amerikanske selskapene vokste.", "Selskapene i USA vokste.") == []
    assert kind_missing("De amerikanske selskapene vokste.", "Ingen sa noe til us.") == [
        "amerikanske"
    ]
