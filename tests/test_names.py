"""Names in claims against names in sources, across English and Norwegian."""

from __future__ import annotations

from assistant.names import given_name, name_conflict, same, swapped, tokens
from index.frequency import descriptive_words


def _names(text: str, across: str | None = None) -> list[str]:
    return [w for w, name in tokens(text, across=across) if name]


def test_an_institutions_descriptive_words_are_not_names_across_languages() -> None:
    claim = "The report says the Ministry of Local Government met the University of Manchester."
    # Compared in its own language every capitalised word is a name ...
    assert {"Ministry", "Local", "Government", "Manchester"} <= set(_names(claim))
    # ... across languages "Ministry of Local Government" is translated, Manchester is not.
    across = _names(claim, across="en")
    assert "Manchester" in across
    assert not {"Ministry", "Local", "Government", "University"} & set(across)


def test_countries_and_acronyms_stay_names_however_common() -> None:
    assert _names("The delegation came from Norway and the EU.", across="en") == ["Norway", "EU"]


def test_exonyms_are_found_inflected() -> None:
    assert same("Norway", "Norges", False)
    assert same("Norway", "Noreg", False)
    assert not same("Sweden", "Norges", False)
    assert not same("Norge", "svenske", True)


def test_a_country_is_the_same_place_as_its_adjective() -> None:
    # English capitalises what Norwegian writes in lower case ("the US president" / "den
    # amerikanske presidenten"); in one language too ("norske kirker" / "i Norge").
    assert same("US", "amerikanske", False)
    assert same("Norge", "norske", True)
    assert same("Tysklands", "tysk", True)
    assert not same("Latvia", "litauiske", False)


def test_an_acronyms_norwegian_genitive_is_the_acronym() -> None:
    assert same("EU", "EUs", False)
    assert same("OECDs", "OECD", True)
    assert not same("EU", "EUR", False)


def test_one_root_across_languages_is_one_name() -> None:
    assert same("Modernisation", "moderniseringsdepartementet", False)
    assert not same("Modernisation", "moderniseringsdepartementet", True)
    assert not same("Moderation", "moderniseringsdepartementet", False)


def test_a_name_tied_to_another_in_the_source_is_a_conflict() -> None:
    source = (
        "Rune Dahl Fitjar, Universitetet i Stavanger, og Fulvio Castellacci, Universitetet i Oslo"
    )
    # Bergen is not in the source; beside Fitjar it names Stavanger.
    conflict = name_conflict("Professor Fitjar fra Universitetet i Bergen deltok.", source, True)
    assert conflict is not None
    assert (conflict.ours, conflict.theirs) == ("Bergen", "Stavanger")
    # Oslo is, but tied to Castellacci.
    conflict = name_conflict("Professor Fitjar fra Universitetet i Oslo deltok.", source, True)
    assert conflict is not None
    assert conflict.ours == "Oslo"
    right = "Professor Fitjar fra Universitetet i Stavanger deltok."
    assert name_conflict(right, source, True) is None


def test_only_an_institutions_common_words_are_descriptive() -> None:
    words = descriptive_words("the Minister of Education and Science, Jurgita Petrauskiene", "en")
    assert {"Education", "Science"} <= words and "Petrauskiene" not in words
    # wordfreq ignores case: common names score like common words, but name no institution.
    assert descriptive_words("It was held in London by John Smith.", "en") == frozenset()
    assert _names("The conference was held in London.", across="en") == ["London"]


def test_a_given_name_is_had_when_its_family_name_stands_alone() -> None:
    claim = tokens("Kelly Clarkson byttet antrekk seks ganger.")
    assert given_name(0, claim, tokens("Clarkson skiftet antrekk seks ganger."), True)
    # Someone else of that family name is named in the source ...
    assert not given_name(0, claim, tokens("Maria Clarkson skiftet antrekk seks ganger."), True)
    # ... or in the rest of the document, at a line's start too.
    assert not given_name(
        0,
        claim,
        tokens("Clarkson skiftet antrekk seks ganger."),
        True,
        tokens("Tittel\nMaria Clarkson ledet showet."),
    )
    assert not given_name(0, claim, tokens("Antrekket ble skiftet seks ganger."), True)


def test_a_quote_dash_starts_a_sentence() -> None:
    assert tokens("Det sa hun.\n– Vi har ikke sett så mye regn.")[3] == ("Vi", False)


def test_names_the_other_way_round_in_one_relation() -> None:
    source = "Ringo Starr overtok for Best på trommer."
    assert swapped("Pete Best overtok for Ringo Starr på trommer.", source, True) == (
        "Pete Best",
        "Ringo Starr",
    )
    assert swapped("Ringo Starr overtok for Pete Best.", source, True) is None
    # A list has no order, and a relation in other words is not compared.
    assert swapped("De kom fra Oslo og Bergen.", "De kom fra Bergen og Oslo.", True) is None
    assert swapped("Pete Best was replaced by Ringo Starr.", source, False) is None


def test_a_common_word_across_languages_is_no_name_to_conflict_with() -> None:
    # "the Conservative Party's national conference" is "Høyres landsmøte".
    claim = "Isaksen spoke at the Conservative Party's national conference."
    source = "Isaksen talte på Høyres landsmøte fredag."
    assert name_conflict(claim, source, False, "en") is None
    assert same("Bø", "Bøs", True)


def test_a_country_is_not_a_common_word_of_the_other_language() -> None:
    assert not same("America", "us", False)
    assert not same("Iceland", "island", True)
    assert same("Iceland", "islandske", False)


def test_hyphens_and_a_soft_c_come_and_go_across_languages() -> None:
    assert same("Vice-President", "visepresident", False)
    assert same("Specialisation", "spesialisering", False)
    # (a compound holds its parts: "president" is in "visepresident"; offices are told
    # apart by facts.office_differs)
    assert not same("Vice-President", "visedirektør", False)


def test_no_equivalence_makes_two_different_names_one() -> None:
    # A common word and its genitive-looking neighbour, two capitalised names on a country.
    assert not same("Hans", "Han", True)
    assert not same("Ås", "Å", True)
    assert not same("Norwegian", "Norway", True)
    # A place's first word is no given name: "New York" is not "York".
    claim = tokens("The ban in New York was lifted.")
    assert not given_name(3, claim, tokens("The ban in York was lifted."), False)
