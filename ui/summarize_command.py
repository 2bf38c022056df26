"""`kilde summarize`: cited summaries of documents, or an overview of the corpus."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence

from assistant.summary import Summary, UnknownDocumentError
from ui import wiring
from ui.config import Config

_GROUPS = {
    "no": {
        "text": "Tekster",
        "markdown": "Tekster",
        "pdf": "Dokumenter (PDF)",
        "html": "Nettsider",
    },
    "en": {
        "text": "Texts",
        "markdown": "Texts",
        "pdf": "Documents (PDF)",
        "html": "Web pages",
    },
}


def run_summarize(
    config: Config,
    doc_ids: Sequence[str],
    *,
    sentences: int | None,
    lang: str,
    as_json: bool,
) -> int:
    if sentences is not None and sentences < 1:
        print("kilde: --sentences must be at least 1", file=sys.stderr)
        return 2
    try:
        summaries = wiring.summarizer(config, os.environ).summaries(doc_ids, sentences, lang)
    except UnknownDocumentError as error:
        print(f"kilde: {error}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps([s.to_json() for s in summaries], ensure_ascii=False, indent=2))
    else:
        print(show_summaries(summaries, lang, overview=not doc_ids))
    return 0


def show_summaries(summaries: Sequence[Summary], lang: str, *, overview: bool) -> str:
    groups = _GROUPS.get(lang, _GROUPS["en"])
    lines: list[str] = []
    kind = None
    for summary in summaries:
        if overview and summary.kind != kind:
            kind = summary.kind
            lines += [f"## {groups.get(kind, kind)}", ""]
        lines += [f"# {summary.title} ({summary.doc_id})", summary.text or "—", ""]
        for c in summary.citations:
            lines.append(f"[{c.n}] {c.location('s.' if lang == 'no' else 'p.')}")
            lines.append(f"    «{' '.join(c.quote.split())}»")
        lines.extend(f"note: {note}" for note in summary.notes)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
