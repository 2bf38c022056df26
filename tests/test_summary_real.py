"""`kilde summarize` on the bundled report and the test articles, with the real index."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assistant.texts import CROSS_LINGUAL, NOT_ANSWERED
from ui import wiring
from ui.cli import main
from ui.config import load_config

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"

# The report's main points (its "Noen hovedkonklusjoner" section), each by the words that
# state it; a summary covers a point when one of its sentences holds one of them.
POINTS = {
    "framework": ["hensiktsmessig rammeverk", "diversifisering"],
    "method for change": ["metode for samfunnsendring", "lineær forskningsmodell"],
    "institutions": ["Institusjonell kapasitet", "gode institusjoner", "tverrgående prosess"],
    "evaluation": ["monitorering og evaluering", "evalueringsmetodikk"],
    "internationalisation": ["bidra til internasjonalisering", "spisset teknologisamarbeid"],
    "global networks": ["globale produksjonsnettverket", "kunnskapsimport"],
    "platforms": ["tematiske plattformer"],
    "FDI": ["Fiskale insentiver"],
    "competence": ["Kompetanse blir stadig viktigere", "relevant kompetanse"],
    "priorities": ["for mange og for brede prioriteringer", "konsistent mellom nivåene"],
    "mapping axes": ["Kapasitet og mulighetsområde"],
    "beyond the EU": ["utenfor EU", "Afrika og Latin-Amerika", "bærekraftsmålene"],
}


def summarize(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    result: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return result


def test_a_summary_of_the_report_states_its_main_points_each_cited(
    report_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (summary,) = summarize(capsys, "--data-dir", str(report_data), "summarize", "report")
    sentences = summary["sentences"]
    assert isinstance(sentences, list) and len(sentences) == 10
    text = " ".join(s["text"] for s in sentences).lower()
    covered = [p for p, words in POINTS.items() if any(w.lower() in text for w in words)]
    assert len(covered) >= 8, covered
    # Most come from the report's conclusions ("Overordnet").
    assert sum(c["section"] == "Overordnet" for c in summary["citations"]) >= 7
    # Every sentence is a verbatim span of its page, cited by section and paragraph.
    config = load_config(None, {"KILDE_PATHS__DATA_DIR": str(report_data)})
    found = wiring.searcher(config)
    citations = summary["citations"]
    assert isinstance(citations, list) and len(citations) == len(sentences)
    for sentence, cited in zip(sentences, citations, strict=True):
        assert sentence["citations"] == [cited["n"]] and sentence["supported"]
        page = found.page_text(cited["doc_id"], cited["page"]) or ""
        assert page[cited["start"] : cited["end"]] == cited["quote"]
        assert cited["section"] and cited["paragraph"] >= 1
    # In document order, and no sentence twice.
    starts = [c["start"] for c in citations]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_the_overview_gives_every_source_its_sentences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", "--offline", str(ARTICLES)]) == 0
    overview = summarize(capsys, "--data-dir", str(data), "summarize", "--sentences", "1")
    ids = [s["doc_id"] for s in overview]
    assert "report" in ids and len(ids) == 1 + len(list(ARTICLES.glob("*.txt")))
    assert all(len(s["sentences"]) == 1 for s in overview)
    # An article is summarised from its own text: the band article by what it is about.
    band = next(s for s in overview if str(s["doc_id"]).startswith("glitterfjell"))
    assert "Glitterfjell" in str(band["summary"]) and "[1]" in str(band["summary"])
    # The text form groups the sources and shows each citation's place.
    capsys.readouterr()
    assert main(["--data-dir", str(data), "summarize", "--lang", "en"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("## Texts") and "¶" in shown


def test_an_unknown_document_is_named_with_the_known_ones(
    report_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--data-dir", str(report_data), "summarize", "nosuch"]) == 2
    error = capsys.readouterr().err
    assert "no document 'nosuch'" in error and "report" in error
    assert main(["--data-dir", str(report_data), "summarize", "--sentences", "0"]) == 2


def covered(text: str) -> list[str]:
    return [p for p, words in POINTS.items() if any(w.lower() in text.lower() for w in words)]


@pytest.mark.parametrize(
    ("question", "header"),
    [
        ("Oppsummer rapporten.", None),
        ("Summarise the report's main conclusions.", CROSS_LINGUAL[("en", "no")]),
        ("Kva er hovudkonklusjonane i rapporten?", None),
    ],
)
def test_a_summary_asked_for_in_the_chat_states_the_main_points(
    report_data: Path, question: str, header: str | None
) -> None:
    config = load_config(None, {"KILDE_PATHS__DATA_DIR": str(report_data)})
    answer = wiring.assistant(config, os.environ).ask(question)
    assert answer.answered and len(answer.sentences) == 8, answer.text
    assert len(covered(answer.text)) >= 6, covered(answer.text)
    assert all(s.citations and s.supported for s in answer.sentences)
    assert [c.n for c in answer.citations] == list(range(1, 9))
    assert answer.text.startswith(header) if header else "\n" not in answer.text


def test_a_summary_of_a_speaker_quotes_that_speakers_section(report_data: Path) -> None:
    config = load_config(None, {"KILDE_PATHS__DATA_DIR": str(report_data)})
    answer = wiring.assistant(config, os.environ).ask("What did Charles Wessner argue?")
    assert answer.answered and len(answer.citations) == 4, answer.text
    assert all(str(c.evidence().section).startswith("Charles Wessner") for c in answer.citations)
    assert "Albany" in answer.text


@pytest.mark.parametrize(
    "question",
    ["Oppsummer avsnittet om deltakere.", "Summarise the section on the participants."],
)
def test_a_summary_of_a_section_quotes_that_section(report_data: Path, question: str) -> None:
    # The section by its heading's word, or, across languages, by what its sentences say.
    config = load_config(None, {"KILDE_PATHS__DATA_DIR": str(report_data)})
    answer = wiring.assistant(config, os.environ).ask(question)
    assert answer.answered and len(answer.citations) == 5, answer.text
    assert all(c.evidence().section == "Deltakere" for c in answer.citations)
    assert "Hovedmengden av deltakerne var forskere" in answer.text


def test_a_summary_of_someone_the_sources_do_not_cover_is_declined(report_data: Path) -> None:
    # Not an overview of everything else: a question about an unknown name, declined.
    config = load_config(None, {"KILDE_PATHS__DATA_DIR": str(report_data)})
    answer = wiring.assistant(config, os.environ).ask("What did Angela Merkel argue?")
    assert not answer.answered and answer.text == NOT_ANSWERED["en"], answer.text
