"""Which chat questions ask for a summary, and of what."""

from __future__ import annotations

import pytest

from assistant.summary_request import SummaryRequest, summary_request


@pytest.mark.parametrize(
    ("question", "request_"),
    [
        ("Oppsummer rapporten.", SummaryRequest("", "rapport")),
        ("Summarise the report's main conclusions.", SummaryRequest("", "report")),
        ("Kva er hovudkonklusjonane i rettleiaren?", SummaryRequest("", "rettleiar")),
        ("Hva konkluderer rapporten med?", SummaryRequest("", "rapport")),
        ("What are the key findings?", SummaryRequest("", "")),
        ("Gi meg en oversikt over kildene.", SummaryRequest("", "")),
        ("Hva er hovedpunktene til Peter Berkowitz?", SummaryRequest("Berkowitz", "")),
        ("What did Peter Berkowitz argue?", SummaryRequest("Berkowitz", "")),
        ("Hva argumenterte Berkowitz for?", SummaryRequest("Berkowitz", "")),
        ("Oppsummer avsnittet om deltakere.", SummaryRequest("", "", "deltakere")),
        ("Summarise the section on the participants.", SummaryRequest("", "", "participants")),
        ("Kva er hovudpunkta i bolken om enkeltland?", SummaryRequest("", "", "enkeltland")),
    ],
)
def test_a_request_for_a_summary_and_its_scope(question: str, request_: SummaryRequest) -> None:
    assert summary_request(question) == request_


@pytest.mark.parametrize(
    "question",
    [
        # A question about a summary, or about one conclusion, is a question.
        "Hva ønsket konferansen å gi en oppsummering av?",
        "What did Caroline Paunov conclude about how digitalisation affects rural regions?",
        "Hva konkluderte de om klynger?",
        "Hva sa Peter Berkowitz?",
        "How many days did the conference last?",
    ],
)
def test_other_questions_are_not_summary_requests(question: str) -> None:
    assert summary_request(question) is None
