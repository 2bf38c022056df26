"""The record of one source: where it came from, how, and what became of it."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# How the bytes were obtained.
OBTAINED = ("direct", "rewritten", "archived", "cached", "bundled", "local", "failed")
# What became of the source: in the corpus, could not be had, or deliberately left out.
# "duplicate": the same text as another source, which keeps it as an alias.
STATUSES = ("ok", "failed", "skipped", "duplicate")

# How the fetch guard words a refusal, as the record keeps it (the app reads it too).
REFUSED = re.compile(r"^(?:\w+: )?refused ")


@dataclass(frozen=True, slots=True)
class Mention:
    """The passage of a root source that refers to (links) this source."""

    doc_id: str
    page: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Alias:
    """Another name for the same text: a second file or URL that held it."""

    id: str
    title: str
    url: str | None
    path: str | None


@dataclass(frozen=True, slots=True)
class SourceRecord:
    id: str
    title: str
    title_from: str  # config | report | metadata | url | file
    url: str | None
    final_url: str | None
    path: str | None  # where it was read from: the file given, or the download cache
    kind: str | None
    obtained: str
    status: str
    error: str | None = None
    pages: int = 0
    chunks: int = 0
    lang: str = "und"
    sha256: str | None = None
    # A local file's size, modification time and parser version when it was read: a
    # later run that finds them the same takes its text from the corpus.
    stamp: str | None = None
    # A hash of its normalised text (ingest/duplicates.py), kept so that a document taken
    # over unchanged is not read through again to find its duplicates.
    text_key: str | None = None
    parent: str | None = None  # the root source that links this one
    mentioned_at: Mention | None = None
    warnings: tuple[str, ...] = ()
    attempts: tuple[str, ...] = ()
    provenance: dict[str, str] = field(default_factory=dict)  # author, date, publisher
    copy: str | None = None  # the copy kept under files/, which the app serves
    aliases: tuple[Alias, ...] = ()  # other sources with the same text, folded into this one
    # A copy from the cache: how it was first obtained ("direct", "rewritten", "archived"),
    # so that a dead original stays known as dead.
    via: str = ""

    @property
    def mentioned_in(self) -> str | None:
        return self.mentioned_at.text if self.mentioned_at else None

    @property
    def refused(self) -> bool:
        """Whether the fetch guard refused its address (a safety rule, not a failure)."""
        return self.status == "failed" and bool(REFUSED.match(self.error or ""))

    def to_json(self) -> dict[str, Any]:
        # Field by field, not dataclasses.asdict (which deep-copies all): thousands of
        # records are written by every run.
        data = {name: getattr(self, name) for name in _FIELDS}
        data["mentioned_at"] = asdict(self.mentioned_at) if self.mentioned_at else None
        data["provenance"] = dict(self.provenance)
        data["mentioned_in"] = self.mentioned_in
        data["warnings"] = list(self.warnings)
        data["attempts"] = list(self.attempts)
        data["aliases"] = [asdict(a) for a in self.aliases]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourceRecord:
        data = dict(data)
        data.pop("mentioned_in", None)
        mention = data.pop("mentioned_at", None)
        return cls(
            **{
                **data,
                "mentioned_at": Mention(**mention) if mention else None,
                "warnings": tuple(data.get("warnings", ())),
                "attempts": tuple(data.get("attempts", ())),
                "aliases": tuple(Alias(**a) for a in data.get("aliases", ())),
            }
        )


_FIELDS = tuple(f.name for f in fields(SourceRecord))
