"""Settings for ingestion, as small pydantic models (unknown keys are errors)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Strict):
    """A root source: a bundled file, a local path or a URL (exactly one)."""

    id: str | None = None
    bundled: str | None = None
    path: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    publisher: str | None = None
    lang: str | None = None
    follow_links: bool = False

    def location(self) -> str:
        return self.bundled or self.path or self.url or ""


def _default_sources() -> list[SourceSpec]:
    return [
        SourceSpec(
            id="report",
            bundled="smarter-2018-report.txt",
            title="SMARTER 2018: smart spesialisering og regional utvikling (Sevilla)",
            author="Eivind Lorentzen, med innspill fra Inger Midtkandal",
            date="2018",
            publisher="Norges delegasjon til EU (Norway's delegation to the EU)",
            lang="no",
            follow_links=True,
        )
    ]


class CorpusSettings(_Strict):
    sources: list[SourceSpec] = Field(default_factory=_default_sources)


class LinkSettings(_Strict):
    """Which links found in a root source are followed."""

    # Regular expressions matched against the normalised URL; a match drops the link.
    drop: list[str] = Field(
        default_factory=lambda: [
            r"^https?://([^/]+\.)?(facebook|twitter|instagram|linkedin|youtube|x)\.com(/|$)",
            r"^https?://(www\.)?eu-norway\.org/?$",
            r"^https?://(www\.)?regjeringen\.no/nb/tema/europapolitikk/id1151/?$",
        ]
    )
    max_links: int = Field(default=200, ge=0)


class RewriteRule(_Strict):
    """A dead location and its live replacement: `re.sub(pattern, replace, url)`."""

    pattern: str
    replace: str


class FetchSettings(_Strict):
    concurrency: int = Field(default=4, ge=1, le=32)
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=20.0, gt=0)
    # httpx timeouts are per inactivity; this bounds one download as a whole.
    deadline: float = Field(default=120.0, gt=0)
    retries: int = Field(default=2, ge=0, le=10)
    backoff: float = Field(default=0.5, ge=0)
    max_retry_after: float = Field(default=30.0, ge=0)
    max_bytes: int = Field(default=100_000_000, gt=0)
    max_total_bytes: int = Field(default=1_000_000_000, gt=0)
    max_redirects: int = Field(default=5, ge=0, le=20)
    allowed_ports: list[int] = Field(default_factory=lambda: [80, 443, 8080, 8443])
    allow_private_hosts: bool = False
    # Empty: proxy environment variables are ignored.
    proxy: str = ""
    user_agent: str = "kilde/0.1 (document question answering)"
    rewrite: list[RewriteRule] = Field(
        default_factory=lambda: [
            # The conference's WP Engine CDN host was shut down in 2022; its
            # uploads were served for www.regionalstudies.org.
            RewriteRule(
                pattern=r"^https?://3ftfah3bhjub3knerv1hneul-wpengine\.netdna-ssl\.com/",
                replace="https://www.regionalstudies.org/",
            )
        ]
    )
    archive: bool = True
    archive_availability_url: str = "https://archive.org/wayback/available"
    # {timestamp} and {url} are filled in; "id_" asks for the raw, unrewritten copy.
    archive_snapshot_url: str = "https://web.archive.org/web/{timestamp}id_/{url}"
    archive_timestamp: str = "2019"


class ParseSettings(_Strict):
    pdf_timeout: float = Field(default=120.0, gt=0)
    pdf_memory_mb: int = Field(default=1024, ge=128)
    max_pages: int = Field(default=5000, ge=1)
    # The text taken from one document; the rest is reported, not read. A 1,000-page
    # report holds about 3 million characters; a 14 kB PDF can expand to 60 million.
    max_chars: int = Field(default=5_000_000, ge=1000)
    # PDF parse workers; 0: one per core, at most 4.
    workers: int = Field(default=0, ge=0, le=32)


class ChunkSettings(_Strict):
    size: int = Field(default=500, ge=50)
    overlap: int = Field(default=100, ge=0)
