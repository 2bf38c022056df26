"""Where a reader can open a source: the original address, and when it no longer answered,
the rewritten or archived address kilde fetched it from; and always the local copy."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.source import SourceRecord
from ui.labels import label

# How a source was obtained when its original address did not give it (ingest/fetcher.py).
_ELSEWHERE = ("rewritten", "archived")


@dataclass(frozen=True)
class SourceLinks:
    original: str | None  # the address the report (or the reader) gave
    answered: bool  # whether the original gave the document when kilde fetched it
    fetched: str | None  # the rewritten or archived address it came from instead
    how: str  # "rewritten" | "archived" | "" (the original)
    local: str | None  # the local copy: an app route, or a path on disk

    @classmethod
    def of(cls, record: SourceRecord | None, local: str | None) -> SourceLinks:
        """The links of `record` (None: a source kilde has no record of)."""
        url = record.url if record else None
        how = "" if record is None else record.obtained
        if how == "cached" and record is not None:
            how = record.via  # a cached copy of what came from elsewhere came from elsewhere
        if record is None or how not in _ELSEWHERE:
            return cls(url, True, None, "", local)
        return cls(url, False, record.final_url, how, local)

    def text(self, lang: str) -> str:
        """One line for the command line: the addresses, and the local copy."""
        parts = []
        if self.original:
            parts.append(self.original + ("" if self.answered else " (" + _dead(lang) + ")"))
        if self.fetched:
            how = label(lang, "archived" if self.how == "archived" else "rewritten")
            parts.append(f"{how}: {self.fetched}")
        if self.local:
            parts.append(f"{label(lang, 'local_copy')}: {self.local}")
        return " — ".join(parts)


def _dead(lang: str) -> str:
    """ "svarer ikke lenger" from "original (svarer ikke lenger)": the original is named."""
    return label(lang, "original_dead").split("(", 1)[-1].rstrip(")")
