"""`kilde ask` and `kilde check`: answers and claim checks from the command line."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence

from assistant.answer import Answer, ClaimResult, Draft
from index.language import detect_language
from ingest.corpus import CorpusStore
from ingest.source import SourceRecord
from ui import export, wiring
from ui.config import Config
from ui.source_links import SourceLinks


def run_ask(
    config: Config, questions: Sequence[str], *, as_json: bool, markdown: bool = False
) -> int:
    assistant = wiring.assistant(config, os.environ)
    records = {r.id: r for r in CorpusStore(config.data_dir).sources()}
    answers = []
    for question in questions:
        answer = None
        for event in assistant.ask_stream(question):
            if isinstance(event, Draft) and not as_json and sys.stdout.isatty():
                print(f"\r{event.text[-100:]}", end="", file=sys.stderr, flush=True)
            elif isinstance(event, Answer):
                answer = event
        assert answer is not None
        answers.append(answer)
        if markdown:
            print(export.answer_markdown(answer, answer.lang))
        elif not as_json:
            print(show_answer(answer, records))
    if as_json:
        print(json.dumps([a.to_json() for a in answers], ensure_ascii=False, indent=2))
    return 0


def show_answer(answer: Answer, records: Mapping[str, SourceRecord]) -> str:
    lines = [f"# {answer.question}", answer.text, ""]
    for c in answer.citations:
        record = records.get(c.doc_id)
        links = SourceLinks.of(record, record.copy if record else None).text(answer.lang)
        lines.append(f"[{c.n}] {c.title}, {c.location()}" + (f" — {links}" if links else ""))
        lines.append(f"    «{' '.join(c.quote.split())}»")
    if not answer.answered:
        lines.append("Closest passages:")
        for hit in answer.closest[:3]:
            text = " ".join(hit.chunk.text.split())
            lines.append(f"  - {hit.title}, {hit.location()}: {text[:200]}…")
    lines.extend(f"note: {note}" for note in answer.notes)
    if answer.set_aside is not None:
        lines.append(f"the model's draft, set aside: {' '.join(answer.set_aside.split())}")
    return "\n".join(lines) + "\n"


def run_check(
    config: Config, claims: Sequence[str], *, as_json: bool, markdown: bool = False
) -> int:
    assistant = wiring.assistant(config, os.environ)
    results = [r for claim in claims for r in assistant.check(claim)]
    if markdown:
        lang = detect_language(" ".join(claims), default="en")
        print(export.claims_markdown(results, lang))
    elif as_json:
        print(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
    else:
        print("\n".join(show_claim(r) for r in results))
    return 0


def show_claim(result: ClaimResult) -> str:
    lines = [
        f"{result.verdict.upper()} ({result.confidence:.0%}): {result.claim}",
        f"  {result.reason}",
    ]
    for n, e in enumerate(result.evidence, start=1):
        lines.append(f"  [{n}] {e.title}, {e.location()}: «{' '.join(e.quote.split())}»")
    return "\n".join(lines) + "\n"
