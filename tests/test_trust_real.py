"""Issue 8's promise on the report with the real models: answers that answer, declines that
hold, and claim checks that catch what people get wrong. Figures for kilde's own development
sets are in bench/abstention.py's printout; here each class of error has a test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.evaluation import evaluate_answers, load_items
from assistant.support import SupportChecker, support_threshold, support_thresholds
from ui import wiring
from ui.config import load_config

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def assistant(report_data: Path) -> Assistant:
    config = load_config(None, {"KILDE_PATHS__DATA_DIR": str(report_data)})
    return wiring.assistant(config, os.environ)


# Answers that answer.


def test_a_question_about_a_speaker_is_answered_from_that_speakers_section(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("What did Peter Berkowitz say about the quality of governance?")
    assert answer.answered and answer.citations
    page = assistant.retriever.page_text("report", 1)  # type: ignore[attr-defined]
    section = (page.index("Peter Berkowitz, European"), page.index("Slavo Radosevic, University"))
    # Quoted from what follows his heading, not the heading itself, nor another's section.
    assert all(section[0] < c.start and c.end < section[1] for c in answer.citations), answer.text
    assert not any(c.quote.startswith("Peter Berkowitz") for c in answer.citations)


def test_a_heading_that_matches_leads_to_the_sentences_under_it(assistant: Assistant) -> None:
    answer = assistant.ask("Hva sa Charles Wessner om gode RIS3-strategier?")
    assert answer.answered and answer.citations
    assert not any(c.quote.startswith("Charles Wessner") for c in answer.citations)
    assert any("RIS3 strategier" in c.quote for c in answer.citations)


def test_a_title_question_may_quote_the_heading(assistant: Assistant) -> None:
    answer = assistant.ask("What was the title of Kevin Morgan's presentation?")
    assert any("The Realities of RIS3" in c.quote for c in answer.citations), answer.text


def test_how_many_prefers_the_sentence_with_the_number(assistant: Assistant) -> None:
    answer = assistant.ask(
        "What share of Lithuania's research budget has so far come from the structural funds?"
    )
    assert answer.answered and "75 %" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Hvor mange bein har en edderkopp?",
        "Kor mange bein har ein edderkopp?",
        "How many legs does a spider have?",
        "Hvordan lager man fårikål?",
        "What did Angela Merkel say about smart specialisation?",
    ],
)
def test_questions_the_report_does_not_answer_are_declined(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)
    assert not answer.answered and answer.citations == (), answer.text


def test_an_institutions_english_words_are_not_unknown_names(assistant: Assistant) -> None:
    # "Minister of Education and Science" is "forsknings- og utdanningsministeren" in the
    # report: common words, translated, not names the corpus lacks (which would decline).
    answer = assistant.ask(
        "Who was the Lithuanian Minister of Education and Science who spoke at the conference?"
    )
    assert answer.answered, answer.text
    assert "Petrauskiene" in answer.text


def test_own_development_set_holds_its_measured_floor(assistant: Assistant) -> None:
    """A regression guard a little below what was measured on this set (answerable answered
    1.00, cites the evidence 0.91, its 30 unanswerable questions, 20 of them on the report's
    own topic, declined 0.37: 0.43 before common English words such as "Country" stopped
    counting as names the corpus lacks, which declined for the wrong reason)."""
    items = load_items(DATA / "report-questions.jsonl")
    result = evaluate_answers(items, assistant.ask, lambda c: assistant.check(c)[0]).to_json()
    scores = result["answers"]["all"]
    assert scores["answerable_answered"] >= 0.88, scores
    assert scores["cites_evidence"] >= 0.8, scores
    assert scores["unanswerable_declined"] >= 0.35, scores
    assert scores["citations_not_retrieved"] == 0


# Claim checks that catch what people get wrong.


@pytest.mark.parametrize(
    ("claim", "verdict", "says"),
    [
        # a name the claim attaches to the wrong speaker (the source's section names the other)
        (
            "Det var Simona Iammarino som ifølge rapporten pekte på følgeforskning som et mulig "
            "virkemiddel.",
            "contradicted",
            "Radosevic",
        ),
        # two people's affiliations swapped within one sentence
        (
            "Rapporten nevner Rune Dahl Fitjar fra Universitetet i Oslo og Fulvio Castellacci "
            "fra Universitetet i Stavanger.",
            "contradicted",
            "Stavanger",
        ),
        # an institution replaced by another, across languages
        (
            "Professor Åge Mariussen took part from the University of Bergen and Nordland "
            "Research Institute.",
            "contradicted",
            "Wasa",
        ),
        # a word replaced by its opposite, across languages
        (
            "The report says clusters get the most value when they make sure to connect to "
            "local networks.",
            "contradicted",
            "local",
        ),
        # days of a month are not a count of people
        (
            "Ifølge rapporten deltok rundt 40 nordmenn på konferansen i Sevilla.",
            "not_in_sources",
            "",
        ),
        (
            "Rapporten sier at Singapore har brukt smart spesialisering siden 2010.",
            "not_in_sources",
            "",
        ),
        # words gathered from two neighbouring sentences: leading regions gain from focused
        # technology cooperation, lagging ones from broader international contact
        (
            "Ifølge rapporten ligger regioner som ligger langt fremme, best an til bredere "
            "internasjonal kontakt.",
            "not_in_sources",
            "",
        ),
        # a talk's title names its subject, not its findings
        (
            "Kevin Morgan found that more developed regions implemented their RIS3 strategies "
            "twice as fast as less developed regions.",
            "not_in_sources",
            "",
        ),
    ],
)
def test_claims_by_error_class(assistant: Assistant, claim: str, verdict: str, says: str) -> None:
    result = assistant.check(claim)[0]
    assert result.verdict == verdict, result
    assert says in result.reason


@pytest.mark.parametrize(
    ("name", "accuracy", "false_supported"),
    [
        # Measured 0.70 (tuning half) and 0.49 (validation half), none of 45 false or
        # absent claims called supported (nothing is certified across languages).
        ("report-claims.jsonl", 0.5, 0),
        # Written later and never looked at item by item: 0.68 and 0.52, none of 38.
        ("report-claims-holdout.jsonl", 0.5, 0),
    ],
)
def test_claim_sets_hold_their_measured_floor(
    assistant: Assistant, name: str, accuracy: float, false_supported: int
) -> None:
    """Issue 8 asks 0.85 and none called supported: work continues (the rules now give up
    accuracy to certify nothing false)."""
    items = load_items(DATA / name)
    result = evaluate_answers(items, assistant.ask, lambda c: assistant.check(c)[0]).to_json()
    claims = result["claims"]["all"]
    assert claims["accuracy"] >= accuracy, claims
    assert claims["false_or_absent_called_supported"] <= false_supported, claims


# A model's answer that fails verification is not the answer.


def test_a_draft_that_fails_verification_is_set_aside_in_the_cli(
    report_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.fake_openai import FakeOpenAI
    from ui.cli import main

    with FakeOpenAI(
        reply="The EIT thinks regions should build 40 new airports by 2030 [1]."
    ) as fake:
        config = tmp_path / "llm.toml"
        config.write_text(f'[llm]\nbackend = "openai"\nbase_url = "{fake.base_url}"\nmodel = "m"\n')
        capsys.readouterr()
        args = ["--config", str(config), "--data-dir", str(report_data), "ask"]
        assert main([*args, "What does the EIT think regions should make use of?"]) == 0
    out = capsys.readouterr().out
    shown, _, draft = out.partition("the model's draft, set aside:")
    assert "airports" in draft and "airports" not in shown
    assert "EIT mener at regionene bør benytte" in shown and "[1]" in shown
    assert "The model's answer was set aside" in shown


# A model's sentence is verified as a claim is: its parts aligned with the cited passages.


@pytest.mark.parametrize(
    ("sentence", "supported", "problem"),
    [
        ("The report says Lithuania's research needs better quality regimes.", True, None),
        # A name and an office put in another's place, and opposites:
        ("The report says Latvia's research needs better quality regimes.", False, "Latvia"),
        (
            "The EU Committee of the Regions was represented by its president Markku Markkula.",
            False,
            "visepresident",
        ),
        (
            "Regions far ahead have the least to gain from focused technology cooperation.",
            False,
            "mest",
        ),
        (
            "Tilbakeliggende regioner har lite å vinne på en bredere tilnærming til internasjonal "
            "kontakt.",
            False,
            "mye",
        ),
    ],
)
def test_a_model_sentence_is_aligned_with_its_sources(
    report_data: Path, sentence: str, supported: bool, problem: str | None
) -> None:
    config = load_config(None, {"KILDE_PATHS__DATA_DIR": str(report_data)})
    found = wiring.searcher(config)
    checker = SupportChecker(
        found.embedder,
        support_threshold(found.calibration),
        support_thresholds(found.calibration),
    )
    passages = [h.chunk.text for h in found.retrieve(sentence, 4).hits]
    result = checker.check(sentence, passages)
    assert result.supported is supported, result
    if problem is not None:
        assert result.problem is not None and problem in result.problem, result
