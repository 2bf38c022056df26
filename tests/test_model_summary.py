"""LLMSummarizer on the bundled report's real index, with a fake model on loopback.

The fake model writes what each test needs (sentences of the passages it was
given, and sentences none of them say); what comes out must be cited, verified
and streamed, the passages read in bounded groups whatever the document's length.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answer import Draft
from assistant.model_summary import LLMSummarizer
from assistant.openai_chat import OpenAIChat
from assistant.summary import ExtractiveSummarizer, Summary, UnknownDocumentError
from assistant.texts import SUMMARY_SET_ASIDE
from index.chunk import Chunk
from index.search import HybridSearcher
from index.sentences import split_sentences
from tests.fake_openai import FakeOpenAI
from ui import wiring
from ui.cli import main
from ui.config import load_config

MOON = "Månen er laget av grønn ost"


@pytest.fixture(scope="module")
def found(report_data: Path) -> HybridSearcher:
    return wiring.searcher(load_config(None, {"KILDE_PATHS__DATA_DIR": str(report_data)}))


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def summarizer(fake: FakeOpenAI, found: HybridSearcher, group_chars: int = 2400) -> LLMSummarizer:
    llm = OpenAIChat(fake.base_url, "fake-model", timeout=10)
    return LLMSummarizer(
        llm, wiring._support(found), ExtractiveSummarizer(found), group_chars=group_chars
    )


def a_sentence(chunk: Chunk) -> str:
    """The longest whole sentence of a passage: what a faithful model would say."""
    spans = [chunk.text[a:b] for a, b in split_sentences(chunk.text)]
    return max((" ".join(s.split()) for s in spans), key=len)


def sources_in(body: dict[str, object]) -> list[int]:
    messages = body["messages"]
    assert isinstance(messages, list)
    return [int(n) for n in re.findall(r'<source-\w+ n="(\d+)">', messages[1]["content"])]


def run(writer: LLMSummarizer, sentences: int) -> tuple[Summary, list[Draft]]:
    events = list(writer.stream("report", sentences, lang="no"))
    final = events[-1]
    assert isinstance(final, Summary)
    return final, [e for e in events if isinstance(e, Draft)]


def test_supported_sentences_are_kept_and_cited_the_rest_dropped_and_noted(
    fake: FakeOpenAI, found: HybridSearcher
) -> None:
    chunks = ExtractiveSummarizer(found).salient_chunks("report", 6)
    first, second = a_sentence(chunks[0]), a_sentence(chunks[-1])
    fake.reply = f"{first} [1]. {second} [{len(chunks)}]. {MOON} [2]. Ingen kilde sier dette."
    summary, drafts = run(summarizer(fake, found), 3)

    assert summary.backend == "openai:fake-model" and summary.set_aside is None
    assert [s.text for s in summary.sentences] == [first, second]
    assert [s.citations for s in summary.sentences] == [(1,), (2,)]
    for citation, chunk in zip(summary.citations, (chunks[0], chunks[-1]), strict=True):
        assert citation.chunk_id == chunk.id
        page = found.page_text("report", citation.page) or ""
        assert page[citation.start : citation.end] == citation.quote
    assert any(MOON in note for note in summary.notes)
    assert any("Ingen kilde sier dette" in note for note in summary.notes)
    assert drafts and drafts[-1].text.startswith(first)


def test_the_passages_are_mapped_in_groups_numbered_as_one_and_reduced(
    fake: FakeOpenAI, found: HybridSearcher
) -> None:
    chunks = ExtractiveSummarizer(found).salient_chunks("report", 6)
    assert sum(len(c.text) for c in chunks) > 1000  # more than one group
    fake.reply = f"{a_sentence(chunks[0])} [1]."
    run(summarizer(fake, found, group_chars=1000), 3)

    *maps, reduce = fake.bodies
    numbered = [n for body in maps for n in sources_in(body)]
    assert len(maps) >= 2 and numbered == list(range(1, len(chunks) + 1))
    # The reduce step reads the parts (with their [n]) and numbers no sources of its own.
    assert sources_in(reduce) == []
    assert str(reduce["messages"][1]["content"]).count(fake.reply) == len(maps)


def test_a_long_document_is_read_in_bounded_prompts_and_combined_in_rounds(
    fake: FakeOpenAI, found: HybridSearcher
) -> None:
    chunks = ExtractiveSummarizer(found).salient_chunks("report", 20)
    fake.reply = " ".join(f"{a_sentence(c)} [{n}]." for n, c in enumerate(chunks[:3], start=1))
    summary, _ = run(summarizer(fake, found, group_chars=1200), 10)

    maps = [b for b in fake.bodies if sources_in(b)]
    assert len(maps) >= len(chunks) // 3
    for body in maps:
        read = [chunks[n - 1] for n in sources_in(body)]
        assert len(read) == 1 or sum(len(c.text) for c in read) <= 1200
    # The parts (3 sentences each) did not fit one prompt: combined in more than one round.
    assert len(fake.bodies) - len(maps) > 1
    assert len(summary.sentences) == 3 and summary.backend == "openai:fake-model"


def test_a_summary_that_fails_verification_gives_way_to_the_quotes(
    fake: FakeOpenAI, found: HybridSearcher
) -> None:
    fake.reply = f"{MOON} [1]. Solen er iskald om sommeren [2]."
    summary, _ = run(summarizer(fake, found), 3)

    quotes = ExtractiveSummarizer(found).summarize("report", 3)
    assert summary.backend == "openai:fake-model+extractive"
    assert summary.sentences == quotes.sentences and summary.citations == quotes.citations
    assert summary.notes[0] == SUMMARY_SET_ASIDE["no"]  # in the language asked for
    assert summary.set_aside is not None and MOON in summary.set_aside


def test_the_chat_and_the_cli_summarise_with_the_configured_model(
    fake: FakeOpenAI,
    found: HybridSearcher,
    report_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    chunks = ExtractiveSummarizer(found).salient_chunks("report", 16)
    fake.reply = f"{a_sentence(chunks[0])} [1]. {a_sentence(chunks[1])} [2]."
    config = tmp_path / "llm.toml"
    config.write_text(f'[llm]\nbackend = "openai"\nbase_url = "{fake.base_url}"\nmodel = "m"\n')
    env = ["--config", str(config), "--data-dir", str(report_data)]
    capsys.readouterr()

    assert main([*env, "ask", "--json", "Oppsummer rapporten."]) == 0
    (answer,) = json.loads(capsys.readouterr().out)
    assert answer["backend"] == "openai:m"
    assert [s["text"] for s in answer["sentences"]] == [a_sentence(c) for c in chunks[:2]]
    assert [c["quote"] in chunks[n].text for n, c in enumerate(answer["citations"])] == [
        True,
        True,
    ]

    assert main([*env, "summarize", "--json", "--sentences", "8", "report"]) == 0
    (summary,) = json.loads(capsys.readouterr().out)
    assert summary["backend"] == "openai:m" and len(summary["sentences"]) == 2
    assert all(s["supported"] and s["citations"] for s in summary["sentences"])


def test_more_supported_sentences_than_asked_for_are_cut_not_set_aside(
    fake: FakeOpenAI, found: HybridSearcher
) -> None:
    chunks = ExtractiveSummarizer(found).salient_chunks("report", 4)
    said = [f"{a_sentence(c)} [{n}]." for n, c in enumerate(chunks, start=1)]
    fake.reply = " ".join([*said, f"{MOON} [1]."])
    summary, _ = run(summarizer(fake, found), 2)
    assert summary.backend == "openai:fake-model" and len(summary.sentences) == 2


def test_an_unknown_document_is_refused_before_the_model_is_asked(
    fake: FakeOpenAI, found: HybridSearcher
) -> None:
    with pytest.raises(UnknownDocumentError, match="no document 'nosuch'"):
        summarizer(fake, found).summaries(["nosuch"])
    assert fake.bodies == []
