"""Sources with the same text are one document: the first keeps the others as aliases.

The same article saved under two names (or a PDF linked from two URLs) would
otherwise fill two hit slots for every question about it and be cited twice.
Text is compared after normalising whitespace and case, so a re-saved copy
or a differently wrapped one still counts as the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from index.document import Document
from ingest.source import Alias, SourceRecord


class HasDocument(Protocol):
    @property
    def record(self) -> SourceRecord: ...

    @property
    def document(self) -> Document | None: ...


def text_key(document: Document) -> str:
    text = " ".join(" ".join(page.text.split()) for page in document.pages).casefold()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def duplicates(outcomes: Sequence[HasDocument]) -> dict[int, int]:
    """For each outcome whose document repeats an earlier one's text: that earlier one."""
    first: dict[str, int] = {}
    found: dict[int, int] = {}
    for position, outcome in enumerate(outcomes):
        if outcome.document is None:
            continue
        key = outcome.record.text_key or text_key(outcome.document)
        if key in first:
            found[position] = first[key]
        else:
            first[key] = position
    return found


def as_duplicate(record: SourceRecord, original: SourceRecord) -> SourceRecord:
    return replace(
        record,
        status="duplicate",
        error=f"the same text as {original.id} ({original.title}); kept as its alias",
        chunks=0,
    )


def with_alias(record: SourceRecord, duplicate: SourceRecord) -> SourceRecord:
    alias = Alias(duplicate.id, duplicate.title, duplicate.url, duplicate.path)
    return replace(record, aliases=(*record.aliases, alias))
