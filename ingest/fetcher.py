"""The fetcher: gets a document from its URL, a rewritten URL, the archive or the cache."""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable
from types import TracebackType

import httpx

from ingest.archive import WaybackArchive
from ingest.budget import ByteBudget
from ingest.cache import CacheEntry, CacheMeta, HttpCache, Staged, utc_now
from ingest.download import Download, Downloader, make_client
from ingest.errors import FetchError
from ingest.fetch_result import AttemptLog, FetchResult, failed, from_cache, from_entry
from ingest.http_errors import StatusError, status_line
from ingest.kind import looks_like_pdf, sniff_kind
from ingest.netguard import AddressGuard
from ingest.settings import FetchSettings

__all__ = ["FetchResult", "Fetcher"]

_LABELS = {"direct": "direct", "rewritten": "rewrite", "archived": "archive"}


class Fetcher:
    """Fetches documents with retries and fallbacks. `fetch` is safe to call from many threads."""

    def __init__(
        self,
        settings: FetchSettings,
        cache: HttpCache,
        *,
        offline: bool = False,
        resolver: Callable[[str, int], list[str]] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`resolver` and `transport` replace DNS and the network, for tests."""
        self._settings = settings
        self._cache = cache
        self._offline = offline
        self._client = make_client(settings, transport)
        downloader = Downloader(
            settings,
            self._client,
            AddressGuard(settings, resolver),
            ByteBudget(settings.max_total_bytes),
        )
        self._downloader = downloader
        self._archive = WaybackArchive(settings, downloader)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, *, expect: str | None = None) -> FetchResult:
        """Get `url`; never raises for network or HTTP problems (see `FetchResult.error`).

        `expect="pdf"` says the link promised a PDF: any other body is a failed attempt.
        """
        # One URL at a time: its cache entry is read, revalidated and replaced as a unit.
        with self._lock_for(url):
            cached = self._cache.get(url)
            if cached is not None and _mismatch(cached.meta.kind, expect, None) is not None:
                cached = None  # stored for a caller that did not expect a PDF
            if self._offline:
                return self._offline_result(url, cached)
            log = AttemptLog()
            result = self._try_origin(url, expect, cached, log)
            if result is not None:
                return result
            # A cached copy is at least as fresh as an archived snapshot: a temporary
            # outage must not replace it with the archive's older one.
            if cached is not None:
                log.note(f"cache: the origin failed; using the copy of {_described(cached)}")
                return from_cache(url, cached, log)
            if self._settings.archive:
                result = self._try_archive(url, expect, log)
                if result is not None:
                    return result
            return failed(url, log.summary() or "nothing to try", log)

    def _try_origin(
        self, url: str, expect: str | None, cached: CacheEntry | None, log: AttemptLog
    ) -> FetchResult | None:
        """The URL itself, then what the rewrite rules make of it."""
        result = self._attempt(url, url, "direct", expect, cached, log)
        if result is not None:
            return result
        for rewritten in self._rewrites(url, log):
            result = self._attempt(url, rewritten, "rewritten", expect, cached, log)
            if result is not None:
                return result
        return None

    def _rewrites(self, url: str, log: AttemptLog) -> list[str]:
        """The URLs the configured rewrite rules turn `url` into."""
        found: list[str] = []
        for rule in self._settings.rewrite:
            try:
                rewritten = re.sub(rule.pattern, rule.replace, url)
            except re.error as error:
                log.fail("rewrite", url, f"bad fetch.rewrite rule {rule.pattern!r}: {error}")
                continue
            if rewritten != url and rewritten not in found:
                found.append(rewritten)
        return found

    def _try_archive(self, url: str, expect: str | None, log: AttemptLog) -> FetchResult | None:
        """The Internet Archive's snapshot; only asked when nothing is cached."""
        try:
            snapshot = self._archive.snapshot_url(url)
        except FetchError as error:
            log.fail("archive", url, str(error))
            return None
        return self._attempt(url, snapshot, "archived", expect, None, log)

    def _attempt(
        self,
        url: str,
        source: str,
        obtained: str,
        expect: str | None,
        cached: CacheEntry | None,
        log: AttemptLog,
    ) -> FetchResult | None:
        """One way of getting `url` (from `source`); None when it failed, with the reason logged."""
        label = _LABELS[obtained]
        same_way = cached is not None and cached.meta.obtained == obtained
        conditional = _conditional_headers(cached) if same_way else {}
        with self._cache.staging() as staged:
            try:
                download = self._with_retries(label, source, staged, conditional, log)
            except FetchError as error:
                log.fail(label, source, str(error))
                return None
            if download.status == 304 and cached is not None:
                log.note(f"{label} {source}: 304 Not Modified; the cached body is current")
                return from_cache(url, cached, log)
            kind = sniff_kind(download.head, content_type=download.content_type, name=source)
            problem = _mismatch(kind, expect, download)
            if problem is not None:
                log.fail(label, source, problem)
                return None
            entry = self._cache.store(staged, _meta(url, obtained, kind, download))
        log.note(
            f"{label} {source}: {status_line(download.status)} ({kind}, {download.size} bytes)"
        )
        return from_entry(url, entry, obtained, log)

    def _with_retries(
        self, label: str, source: str, staged: Staged, conditional: dict[str, str], log: AttemptLog
    ) -> Download:
        for attempt in range(self._settings.retries + 1):
            try:
                return self._downloader.get(source, staged.file, conditional=conditional)
            except FetchError as error:
                if not error.retryable or attempt == self._settings.retries:
                    raise
                delay = self._delay(error, attempt)
                log.note(f"{label} {source}: {error}; retrying in {delay:.2g} s")
                time.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _delay(self, error: FetchError, attempt: int) -> float:
        asked = error.retry_after if isinstance(error, StatusError) else None
        if asked is None:
            base = self._settings.backoff * 2.0**attempt
            # Jitter keeps parallel workers from retrying in lockstep.
            return base + random.uniform(0, base / 4)
        if asked > self._settings.max_retry_after:
            raise FetchError(
                f"{error}; the server asks to wait {asked:g} s, more than "
                f"fetch.max_retry_after ({self._settings.max_retry_after:g} s)"
            )
        return asked

    def _offline_result(self, url: str, cached: CacheEntry | None) -> FetchResult:
        log = AttemptLog()
        if cached is None:
            return failed(url, "offline and not in the cache", log)
        log.note(f"cache: offline; using the copy of {cached.meta.fetched_at}")
        return from_cache(url, cached, log)

    def _lock_for(self, url: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(url, threading.Lock())


def _described(entry: CacheEntry) -> str:
    meta = entry.meta
    if meta.obtained == "archived":
        return f"{meta.fetched_at} (an archived snapshot from {meta.final_url})"
    return meta.fetched_at


def _conditional_headers(entry: CacheEntry | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if entry is not None and entry.meta.etag:
        headers["If-None-Match"] = entry.meta.etag
    if entry is not None and entry.meta.last_modified:
        headers["If-Modified-Since"] = entry.meta.last_modified
    return headers


def _mismatch(kind: str | None, expect: str | None, download: Download | None) -> str | None:
    """Why a body is not what the link promised, or None when it is.

    Without a fresh download (a cached copy) the stored kind is trusted.
    """
    if expect != "pdf":
        return None
    if download is None and kind == "pdf":
        return None
    if download is not None and looks_like_pdf(download.head):
        return None
    if kind == "html":
        return "HTML where a PDF was promised"
    content_type = download.content_type if download is not None else None
    return (
        "no PDF signature (%PDF-) in the first kilobyte where a PDF was promised "
        f"(content type {content_type or 'unknown'})"
    )


def _meta(url: str, obtained: str, kind: str | None, download: Download) -> CacheMeta:
    return CacheMeta(
        url=url,
        final_url=download.final_url,
        etag=download.etag,
        last_modified=download.last_modified,
        content_type=download.content_type,
        kind=kind,
        sha256=download.sha256,
        obtained=obtained,
        fetched_at=utc_now(),
    )
