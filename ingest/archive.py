"""The Internet Archive's Wayback Machine as a last place to find a dead document."""

from __future__ import annotations

import io
import json
import re

import httpx

from ingest.download import Downloader
from ingest.errors import FetchError
from ingest.settings import FetchSettings

# The availability answer is a few hundred bytes; anything large is not it.
_MAX_ANSWER_BYTES = 1_000_000
_TIMESTAMP = re.compile(r"\d{4,14}")


class WaybackArchive:
    """Finds the raw snapshot of a URL closest to `settings.archive_timestamp`."""

    def __init__(self, settings: FetchSettings, downloader: Downloader) -> None:
        self._settings = settings
        self._downloader = downloader

    def lookup_url(self, url: str) -> str:
        """The availability API query for `url`."""
        params = {"url": url, "timestamp": self._settings.archive_timestamp}
        return str(httpx.URL(self._settings.archive_availability_url, params=params))

    def snapshot_url(self, url: str) -> str:
        """Where the raw archived copy of `url` is, or FetchError("no snapshot ...")."""
        answer = io.BytesIO()
        try:
            lookup = self.lookup_url(url)
            self._downloader.get(lookup, answer, max_bytes=_MAX_ANSWER_BYTES)
        except httpx.InvalidURL as error:
            raise FetchError(f"fetch.archive_availability_url is not a URL: {error}") from error
        except FetchError as error:
            raise FetchError(f"availability lookup failed: {error}") from error
        timestamp = _closest_timestamp(answer.getvalue())
        if timestamp is None:
            raise FetchError("no snapshot")
        try:
            return self._settings.archive_snapshot_url.format(timestamp=timestamp, url=url)
        except (KeyError, IndexError, ValueError) as error:
            raise FetchError(
                f"fetch.archive_snapshot_url may only use {{timestamp}} and {{url}}: {error!r}"
            ) from error


def _closest_timestamp(answer: bytes) -> str | None:
    """The timestamp of the closest good snapshot in an availability answer."""
    try:
        data = json.loads(answer)
    except ValueError as error:
        raise FetchError(f"availability answer is not JSON: {error}") from error
    snapshots = data.get("archived_snapshots") if isinstance(data, dict) else None
    closest = snapshots.get("closest") if isinstance(snapshots, dict) else None
    if not isinstance(closest, dict) or closest.get("available") is not True:
        return None
    # A snapshot of a 404 page is not the document.
    if str(closest.get("status", "200")) != "200":
        return None
    timestamp = closest.get("timestamp")
    # The timestamp goes into a URL template: accept digits only.
    if not isinstance(timestamp, str) or not _TIMESTAMP.fullmatch(timestamp):
        return None
    return timestamp
