"""Evaluation: stable tuning/validation halves, gold answers, declines, claim confusion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation, ClaimResult
from assistant.evaluation import (
    EvalFileError,
    EvalItem,
    evaluate_answers,
    load_items,
    split_of,
)

DATA = Path(__file__).resolve().parent / "data"


def test_halves_depend_on_the_id_alone_and_split_every_set() -> None:
    assert split_of("rq-001") == split_of("rq-001")
    for name in ("report-questions.jsonl", "report-claims.jsonl", "norquad-unanswerable.jsonl"):
        items = load_items(DATA / name)
        tune, validate = load_items(DATA / name, "tune"), load_items(DATA / name, "validate")
        assert len(tune) + len(validate) == len(items)
        assert {i.id for i in tune}.isdisjoint({i.id for i in validate})
        assert 0.3 < len(tune) / len(items) < 0.7, name


def test_kildes_own_sets_cover_what_the_issue_names() -> None:
    questions = load_items(DATA / "report-questions.jsonl")
    claims = load_items(DATA / "report-claims.jsonl")
    answerable = [q for q in questions if q.evidence]
    assert len(questions) >= 80 and len(questions) - len(answerable) >= 20
    assert {q.lang for q in questions} == {"nb", "nn", "en"}
    assert all(q.answer for q in answerable)
    assert len(claims) >= 60 and {c.lang for c in claims} >= {"nb", "en"}
    classes = {json.loads(line)["class"] for line in (DATA / "report-claims.jsonl").open()}
    assert classes >= {"role_swap", "substitution", "number", "polarity", "wrong_person"}
    text = (DATA / "report-questions.jsonl").read_text(encoding="utf-8")
    report = (DATA.parent.parent / "ingest" / "bundled" / "smarter-2018-report.txt").read_text(
        encoding="utf-8"
    )
    for item in answerable:
        assert all(e in report for e in item.evidence), item.id
        assert item.answer is not None and item.answer in report, item.id
    assert "\\u00" not in text


def _answer(text: str, *, answered: bool = True, passage: str = "") -> Answer:
    citation = Citation(1, "d", "T", None, 1, passage, 0, len(passage), "d:p1:0-1", passage)
    return Answer("q", text, "extractive", (citation,) if answered else (), answered=answered)


def test_answers_are_scored_for_evidence_gold_and_declines() -> None:
    items = [
        EvalItem("a", "qa", "nb", "Hvem?", ("forskere fra hele verden",), answer="forskere"),
        EvalItem("b", "qa", "en", "Who?", ("75 % av budsjettet",), answer="75 %"),
        EvalItem("c", "qa", "en", "Spiders?", ()),
    ]
    answers = {
        "Hvem?": _answer("«Forskere fra hele verden.» [1]", passage="Forskere fra hele verden."),
        "Who?": _answer("Something else [1]", passage="Something else."),
        "Spiders?": _answer("Kildene svarer ikke.", answered=False),
    }
    result = evaluate_answers(items, answers.__getitem__, lambda c: ClaimResult(c, "x", 0, ""))
    scores = result.to_json()["answers"]
    assert scores["all"]["cites_evidence"] == 0.5
    assert scores["all"]["contains_answer"] == 0.5
    assert scores["all"]["answerable_answered"] == 1.0
    assert scores["all"]["unanswerable_declined"] == 1.0
    assert scores["lang=nb"]["contains_answer"] == 1.0


def test_claims_get_a_confusion_matrix_and_a_count_of_false_certificates() -> None:
    items = [
        EvalItem("1", "claim", "en", "true", ("x",), "supported"),
        EvalItem("2", "claim", "en", "false", ("x",), "contradicted"),
        EvalItem("3", "claim", "nb", "absent", (), "not_in_sources"),
    ]
    verdicts = {"true": "supported", "false": "supported", "absent": "not_in_sources"}
    result = evaluate_answers(
        items,
        lambda q: _answer(q),
        lambda c: ClaimResult(c, verdicts[c], 0.5, ""),
    )
    claims = result.to_json()["claims"]["all"]
    assert claims["accuracy"] == pytest.approx(0.667)
    assert claims["false_or_absent_called_supported"] == 1
    assert claims["confusion"]["contradicted"] == {
        "supported": 1,
        "contradicted": 0,
        "not_in_sources": 0,
    }


def test_a_bad_line_names_its_number(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "1", "type": "claim", "claim": "x", "label": "maybe"}\n')
    with pytest.raises(EvalFileError, match="line 1"):
        load_items(path)
