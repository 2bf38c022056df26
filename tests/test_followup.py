"""Follow-up questions without a model: which depend on the conversation, and what they ask."""

from __future__ import annotations

import pytest

from assistant.followup import depends, follow_up
from assistant.llm import Message
from index.analyzer import Analyzer

ANALYZER = Analyzer()


def history(*turns: str) -> list[Message]:
    """Alternating user and assistant messages."""
    return [Message("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


@pytest.mark.parametrize(
    "question",
    [
        # Common words that merely look back, and short questions, are no evidence.
        "Hva er det S3 skal fremme?",
        "Hvilke temaer har de tematiske plattformene?",
        "Er det behov for bedre monitorering og evaluering?",
        "What is there to gain from international collaboration?",
        "Is that approach part of the EU's dialogue with Asian countries?",
        "Hvem er Markku Markkula?",
        "Where is Albany?",
        "Who organises the conference?",
        # A pronoun that names its own person, or is described on the spot.
        "Hva sa han fra Georgetown University?",
        "What did Charles Wessner say about his region?",
        # "her" is bokmål for "here".
        "Hvilke regioner deltok her i Sevilla?",
        # An "it" that is nobody's.
        "Is it true that the EU requires smart specialisation?",
    ],
)
def test_an_independent_question_is_left_as_asked(question: str) -> None:
    assert not depends(question, ANALYZER)
    asked = follow_up(question, history("Hva sa Peter Berkowitz?", "…"), ANALYZER)
    assert asked.standalone == question and not asked.more


@pytest.mark.parametrize(
    "question",
    [
        "Hva mer sa han?",
        "What else did he say?",
        "Kva meinte ho om litauisk forsking?",
        "Hvilket universitet kommer han fra?",
        "Og når?",
        "And DG RTD?",
        "Hva med Slavo Radosevic?",
        "Hvorfor?",
        "Anything else?",
        "Why do regions use it?",
        "Hvor mye av budsjettet kom derfra?",
        "Kva stad nemnde han som døme?",
    ],
)
def test_a_question_that_points_back_depends_on_the_conversation(question: str) -> None:
    assert depends(question, ANALYZER)


def test_a_pronoun_is_the_person_the_previous_question_named() -> None:
    asked = follow_up(
        "Hvilket virkemiddel foreslo han?",
        history("Hva sa Slavo Radosevic om innovasjon i periferien?", "…"),
        ANALYZER,
    )
    assert asked.standalone == "Hvilket virkemiddel foreslo Slavo Radosevic?"
    assert not asked.more


def test_after_a_who_question_a_pronoun_is_the_person_the_answer_named() -> None:
    answer = (
        "The sources are in Norwegian; this is what they say:\n«Caroline Paunov, OECD "
        "Directorate for Science, Technology and Innovation, France» [1]"
    )
    asked = follow_up(
        "Which organisation was she from?",
        history("Who presented on the digital transformation?", answer),
        ANALYZER,
    )
    # Not "OECD Directorate" or "Digital Transformation": a person's name.
    assert asked.standalone == "Which organisation was Caroline Paunov from?"


def test_what_about_asks_the_previous_question_of_someone_else() -> None:
    asked = follow_up(
        "What about Slavo Radosevic?",
        history("Which university is Charles Wessner from?", "…"),
        ANALYZER,
    )
    assert asked.standalone == "Which university is Slavo Radosevic from?"


def test_what_else_asks_the_same_and_wants_something_new() -> None:
    asked = follow_up(
        "Hva mer sa han?", history("Hva sa Charles Wessner om RIS3-strategier?", "…"), ANALYZER
    )
    assert asked.standalone == "Hva sa Charles Wessner?" and asked.more
    alone = follow_up(
        "Hva mer?", history("Hva sa Jurgita Petrauskiene om små land?", "…"), ANALYZER
    )
    assert alone.standalone == "Hva sa Jurgita Petrauskiene om små land?" and alone.more


@pytest.mark.parametrize(
    ("question", "standalone"),
    [
        ("What was his presentation about?", "What was Henry Yeung's presentation about?"),
        ("What did her talk say?", "What did Henry Yeung's talk say?"),
        ("What did you ask her?", "What did you ask Henry Yeung?"),
        ("Hva handlet presentasjonen hans om?", "Hva handlet presentasjonen Henry Yeung om?"),
    ],
)
def test_an_english_possessive_becomes_the_persons(question: str, standalone: str) -> None:
    asked = follow_up(question, history("What did Henry Yeung say?", "…"), ANALYZER)
    assert asked.standalone == standalone


@pytest.mark.parametrize(
    ("question", "previous", "standalone"),
    [
        ("Hvem andre deltok?", "Hvem deltok fra Norge?", "Hvem deltok? (Norge)"),
        ("Who else took part?", "Who took part from Norway?", "Who took part? (from Norway)"),
        ("Kven andre deltok?", "Kven deltok frå Noreg?", "Kven deltok? (frå Noreg)"),
    ],
)
def test_who_else_asks_the_same_of_others(question: str, previous: str, standalone: str) -> None:
    asked = follow_up(question, history(previous, "…"), ANALYZER)
    assert asked.standalone == standalone and asked.more


def test_a_third_turn_reaches_back_through_a_resolved_second() -> None:
    asked = follow_up(
        "What was the title of his talk?",
        history(
            "What did Charles Wessner say about average regions?",
            "…",
            "Which place did he give as an example?",
            "…",
        ),
        ANALYZER,
    )
    assert asked.standalone == "What was the title of Charles Wessner's talk?"


def test_an_ellipsis_carries_the_previous_questions_words() -> None:
    asked = follow_up(
        "Og når?", history("I hvilken by ble SMARTER-konferansen holdt i 2018?", "…"), ANALYZER
    )
    assert asked.standalone.startswith("Og når? (")
    assert "SMARTER-konferansen" in asked.standalone and "2018" in asked.standalone


def test_without_history_nothing_is_resolved() -> None:
    asked = follow_up("Hva mer sa han?", [], ANALYZER)
    assert asked.standalone == "Hva mer sa han?" and not asked.more
