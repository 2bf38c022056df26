from __future__ import annotations

import pytest

from index.language import detect_language, norwegian_variety


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hovedmengden av deltakerne var forskere fra hele verden.", "no"),
        ("Institusjoner har en viktig rolle å spille i kunnskapsimport", "no"),
        ("Kva år la departementet fram rettleiaren?", "no"),
        # Short bokmål questions that a detector without priors calls Danish.
        ("Hvorfor maler katter?", "no"),
        ("Hvor mange knokler har et voksent menneske?", "no"),
        ("The impact of the digital transformation on the geography of innovation", "en"),
        ("Globalisation through FDI and regional development policy, with a focus on the EU", "en"),
        (
            "Jeg synes, at det er en rigtig god idé, og vi skal nok også snakke om det i morgen.",
            "da",
        ),
        ("Jag tycker att det är en mycket bra idé och att vi borde prata om det i morgon.", "sv"),
        ("Die Konferenz hat gezeigt, dass die Regionen mehr zusammenarbeiten müssen.", "de"),
        ("Seville 2018", "und"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_bokmål_and_nynorsk_are_told_apart() -> None:
    assert norwegian_variety("Kva sa Simona Iammarino om direkteinvesteringar i Europa?") == "nn"
    assert norwegian_variety("Hva sa Simona Iammarino om direkteinvesteringer i Europa?") == "nb"
    assert norwegian_variety("What did she say?", default="nb") == "nb"


def test_report_is_norwegian(report_text: str) -> None:
    assert detect_language(report_text) == "no"


def test_default_is_used_when_unclear() -> None:
    assert detect_language("OECD 2018", default="en") == "en"


def test_languages_told_together_are_those_told_one_by_one() -> None:
    from index.language import detect_language, detect_languages

    texts = [
        "Regionen satser på havbruk og batterier i strategien sin.",
        "The region invests in aquaculture and batteries in its strategy.",
        "Fylket vil satse på reiseliv og kultur i åra som kjem.",
        "Seville 2018",  # too little to go on: the default
        "",
        "Regionen satsar på batterier och vattenbruk i sin strategi.",
    ]
    assert detect_languages(texts, default="x") == [detect_language(t, default="x") for t in texts]
    assert detect_languages(texts, default="x")[:4] == ["no", "en", "no", "x"]
