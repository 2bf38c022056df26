"""What a fetch produced, and the log of the attempts that led there."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.cache import CacheEntry


@dataclass(frozen=True)
class FetchResult:
    url: str  # as requested
    final_url: str | None  # where the bytes came from (after redirects, rewrite or archive)
    path: Path | None  # cached body on disk; None when failed
    content_type: str | None
    kind: str | None  # sniffed from the body first: "pdf" | "html" | "text" | ...
    sha256: str | None
    obtained: str  # "direct" | "rewritten" | "archived" | "cached" | "failed"
    error: str | None  # one-line reason when obtained == "failed"
    attempts: tuple[str, ...]  # what was tried, one line each
    # A cached body: how it was first obtained ("direct", "rewritten", "archived").
    via: str = ""

    @property
    def ok(self) -> bool:
        return self.obtained != "failed"


@dataclass
class AttemptLog:
    """The attempts of one fetch, and the last reason each kind of attempt failed."""

    lines: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)

    def fail(self, label: str, url: str, reason: str) -> None:
        self.lines.append(f"{label} {url}: {reason}")
        self.reasons[label] = reason

    def note(self, line: str) -> None:
        self.lines.append(line)

    def summary(self) -> str:
        return "; ".join(f"{label}: {reason}" for label, reason in self.reasons.items())


def from_entry(url: str, entry: CacheEntry, obtained: str, log: AttemptLog) -> FetchResult:
    meta = entry.meta
    return FetchResult(
        url=url,
        final_url=meta.final_url,
        path=entry.path,
        content_type=meta.content_type,
        kind=meta.kind,
        sha256=meta.sha256,
        obtained=obtained,
        error=None,
        attempts=tuple(log.lines),
        via=meta.obtained,
    )


def from_cache(url: str, entry: CacheEntry, log: AttemptLog) -> FetchResult:
    return from_entry(url, entry, "cached", log)


def failed(url: str, reason: str, log: AttemptLog) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=None,
        path=None,
        content_type=None,
        kind=None,
        sha256=None,
        obtained="failed",
        error=reason,
        attempts=tuple(log.lines),
    )
