"""What a question asks for: its kind in bokmål, nynorsk and English, and its salient words."""

from __future__ import annotations

import pytest

from assistant.question import analyse, question_kind
from index.analyzer import Analyzer


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hvor mange bein har en edderkopp?", "number"),
        ("Kor mange deltakarar var det?", "number"),
        ("How many directorates took part?", "number"),
        ("What share of the budget came from the structural funds?", "number"),
        ("Når ble konferansen holdt?", "date"),
        ("Kva år innførte EU kravet?", "date"),
        ("In what year did the EU make it a requirement?", "date"),
        ("Hvem skrev rapporten?", "person"),
        ("Kven representerte regionkomiteen?", "person"),
        ("Who made up most of the participants?", "person"),
        ("Hvor ligger universitetet?", "place"),
        ("Which country is the university in?", "place"),
        ("Hvilken institusjon representerte Charles Wessner?", "organisation"),
        ("Which university is Rune Dahl Fitjar affiliated with?", "organisation"),
        ("What was the title of Kevin Morgan's presentation?", "title"),
        ("What was Henry Yeung's presentation about?", "title"),
        ("Kva handla foredraget hennar om?", "title"),
        ("What did the talk say about clusters?", "other"),
        ("Hva mente Slavo Radosevic om innovasjon?", "other"),
        ("What does the EIT think regions should use?", "other"),
    ],
)
def test_kind_of_answer_asked_for(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def test_names_and_rare_words_are_salient_common_words_are_not() -> None:
    asked = analyse("What did Peter Berkowitz say about the quality of governance?", Analyzer())
    salient = {t.word for t in asked.terms if t.salient}
    assert {"Peter", "Berkowitz", "governance"} <= salient
    assert "quality" not in salient  # common in English
    assert all(t.word.lower() not in {"what", "did", "say", "the"} for t in asked.terms)
    assert [t.word for t in asked.names] == ["Peter", "Berkowitz"]
    assert asked.lang == "en"


def test_rarer_words_weigh_more() -> None:
    asked = analyse("Hvor mange bein har en edderkopp?", Analyzer())
    weights = {t.word: t.weight for t in asked.terms}
    assert weights["edderkopp"] > weights["bein"]
    assert asked.lang == "no" and asked.kind == "number"


def test_a_nynorsk_word_is_also_looked_for_in_its_bokmal_form() -> None:
    analyzer = Analyzer()
    (term,) = [
        t for t in analyse("Kva meinte ho om forsking?", analyzer).terms if t.word == "forsking"
    ]
    assert set(analyzer.terms("forskning", "no")) <= set(term.forms)
