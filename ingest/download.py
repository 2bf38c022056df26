"""One download: redirects re-checked by the guard, a deadline, byte caps, bounded decoding."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

import httpx

from index.deadline import Deadline
from ingest.budget import ByteBudget, describe_size
from ingest.decoding import BoundedDecoder
from ingest.errors import FetchError, UnsafeURLError
from ingest.http_errors import status_error, transport_error
from ingest.netguard import AddressGuard, Target, one_word
from ingest.settings import FetchSettings

_HEAD = 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Where `_take_location` keeps a redirect's Location headers, in the response's extensions.
_LOCATIONS = "kilde.locations"


def make_client(settings: FetchSettings, transport: httpx.BaseTransport | None) -> httpx.Client:
    """The client a Downloader needs: no redirects, proxies or pooled connections of its own."""
    return httpx.Client(
        transport=transport,
        headers={"User-Agent": settings.user_agent},
        follow_redirects=False,
        # Proxy variables are ignored unless a proxy is configured on purpose.
        trust_env=False,
        proxy=settings.proxy or None,
        # A pooled TLS connection would be reused for another name on the same
        # IP without checking that name's certificate: never keep connections.
        limits=httpx.Limits(max_keepalive_connections=0),
        event_hooks={"response": [_take_location]},
    )


def _take_location(response: httpx.Response) -> None:
    """Moves a redirect's Location out of httpx's sight, for `_redirect_location` to judge.

    Even with follow_redirects off, httpx builds the next request of every redirect,
    and a Location it cannot parse ("data:...", "http://[::1") then raises past the
    caller or passes for a retryable protocol error.
    """
    if response.status_code in _REDIRECTS and "location" in response.headers:
        response.extensions[_LOCATIONS] = response.headers.get_list("location")
        del response.headers["location"]


@dataclass(frozen=True)
class Download:
    """What one download produced; the body itself went to the caller's sink."""

    url: str
    final_url: str
    status: int  # 2xx, or 304 when a conditional request was answered "not modified"
    content_type: str | None
    etag: str | None
    last_modified: str | None
    size: int
    sha256: str
    head: bytes  # the first 1024 body bytes, for sniffing


class Downloader:
    """Fetches one URL into a sink. Thread-safe when the client is shared.

    The client must come from `make_client`: redirects are read from where its hook
    puts them.
    """

    def __init__(
        self,
        settings: FetchSettings,
        client: httpx.Client,
        guard: AddressGuard,
        budget: ByteBudget,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._client = client
        self._guard = guard
        self._budget = budget
        self._clock = clock

    def get(
        self,
        url: str,
        sink: BinaryIO,
        *,
        conditional: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
    ) -> Download:
        """Download `url` into `sink` (truncated first), following redirects by hand.

        `conditional` holds If-None-Match / If-Modified-Since; only then is a 304 accepted.
        """
        cap = max_bytes or self._settings.max_bytes
        visited = [url]
        current = url
        with Deadline(self._settings.deadline, self._clock) as deadline:
            while True:
                target = self._guard.check(current)
                with self._open(target, conditional or {}, deadline) as response:
                    location = _redirect_location(response, current)
                    if location is None:
                        return self._finish(
                            url, current, response, sink, deadline, cap, conditional
                        )
                if location in visited:
                    raise FetchError(f"redirect loop: {current} leads back to {location}")
                if len(visited) > self._settings.max_redirects:
                    raise FetchError(
                        f"more than {self._settings.max_redirects} redirects from {url} "
                        "(fetch.max_redirects)"
                    )
                visited.append(location)
                current = location

    @contextmanager
    def _open(
        self, target: Target, headers: Mapping[str, str], deadline: Deadline
    ) -> Iterator[httpx.Response]:
        response: httpx.Response | None = None
        requests = self._requests(target, headers)
        for index, request in enumerate(requests):
            request.extensions["timeout"] = self._timeout(target, deadline).as_dict()
            request.extensions["trace"] = deadline.trace
            try:
                response = self._client.send(request, stream=True)
                break
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                # The host's next address may answer (e.g. IPv6 without a route).
                if index == len(requests) - 1:
                    raise self._failure(error, target, deadline) from error
            except httpx.TransportError as error:
                raise self._failure(error, target, deadline) from error
        assert response is not None
        try:
            yield response
        except httpx.TransportError as error:
            raise self._failure(error, target, deadline) from error
        finally:
            response.close()

    def _failure(
        self, error: httpx.TransportError, target: Target, deadline: Deadline
    ) -> FetchError:
        if deadline.fired:  # the watchdog cut the connection, whatever httpx made of it
            return self._deadline_error(target.url)
        return transport_error(error, target, self._settings)

    def _requests(self, target: Target, headers: Mapping[str, str]) -> list[httpx.Request]:
        """One request per checked address, each sent to that address (no second lookup)."""
        common = {**headers, "Accept-Encoding": "identity"}
        if self._settings.proxy:
            # The proxy connects, and over CONNECT httpx verifies TLS against the URL's
            # host: pinning an IP would break https. The guard has still checked the host.
            return [self._client.build_request("GET", target.url, headers=common)]
        return [
            self._client.build_request(
                "GET",
                target.pinned_url(address),
                headers={**common, "Host": target.host_header},
                extensions=target.extensions(),
            )
            for address in target.addresses
        ]

    def _timeout(self, target: Target, deadline: Deadline) -> httpx.Timeout:
        left = deadline.left()
        if left <= 0:
            raise self._deadline_error(target.url)
        connect = min(self._settings.connect_timeout, left)
        read = min(self._settings.read_timeout, left)
        return httpx.Timeout(read, connect=connect, pool=connect)

    def _finish(
        self,
        url: str,
        final_url: str,
        response: httpx.Response,
        sink: BinaryIO,
        deadline: Deadline,
        cap: int,
        conditional: Mapping[str, str] | None,
    ) -> Download:
        status = response.status_code
        if status == 304 and conditional:
            size, sha256, head = 0, "", b""
        elif 200 <= status < 300:
            size, sha256, head = self._read_body(final_url, response, sink, deadline, cap)
        else:
            raise status_error(response)
        return Download(
            url=url,
            final_url=final_url,
            status=status,
            content_type=response.headers.get("content-type"),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            size=size,
            sha256=sha256,
            head=head,
        )

    def _read_body(
        self, url: str, response: httpx.Response, sink: BinaryIO, deadline: Deadline, cap: int
    ) -> tuple[int, str, bytes]:
        decoder = BoundedDecoder.for_encoding(response.headers.get("content-encoding"))
        length = _content_length(response)
        if length is not None:
            if length > cap:
                raise _cap_error(cap, self._settings.max_bytes)
            self._budget.check(length)
        sink.seek(0)
        sink.truncate()
        digest = hashlib.sha256()
        size = 0
        head = b""
        # No chunk size: httpx would buffer until a chunk is full, hiding a slow drip.
        for raw in response.iter_raw():
            for piece in decoder.feed(raw):
                size += len(piece)
                if size > cap:
                    raise _cap_error(cap, self._settings.max_bytes)
                self._budget.take(len(piece))
                digest.update(piece)
                sink.write(piece)
                if len(head) < _HEAD:
                    head += piece[: _HEAD - len(head)]
            # httpx's timeouts count inactivity only; a slow drip is cut off here (or,
            # mid-read, by the deadline's watchdog: see index.deadline).
            if deadline.passed():
                raise self._deadline_error(url)
        if deadline.fired:  # the watchdog's shutdown looks like the end of the body
            raise self._deadline_error(url)
        decoder.finish()
        sink.flush()
        return size, digest.hexdigest(), head

    def _deadline_error(self, url: str) -> FetchError:
        return FetchError(
            f"gave up on {url} after the {self._settings.deadline:g} s deadline (fetch.deadline)"
        )


def _redirect_location(response: httpx.Response, current: str) -> str | None:
    """Where a redirect leads, as an absolute URL; None when `response` is no redirect.

    The guard checks the URL returned before it is fetched; what it cannot see (an
    empty or unparsable Location, one without a host) is refused here.
    """
    status = response.status_code
    if status not in _REDIRECTS:
        return None
    locations = [value.strip() for value in response.extensions.get(_LOCATIONS, [])]
    refused = f"refused {one_word(current)}: its {status} redirect"
    if not any(locations):
        raise UnsafeURLError(f"{refused} has no Location to follow")
    if len(locations) > 1:
        raise UnsafeURLError(f"{refused} has {len(locations)} Location headers; one was expected")
    [location] = locations
    try:
        parsed = httpx.URL(location)
        if parsed.scheme and parsed.scheme not in ("http", "https"):
            raise UnsafeURLError(
                f"{refused} leads to a URL of scheme {parsed.scheme!r}; "
                "only http and https URLs are fetched"
            )
        if (parsed.scheme or location.startswith("//")) and not parsed.raw_host:
            raise UnsafeURLError(f"{refused} leads to {_clipped(location)}, which names no host")
        return str(httpx.URL(current).join(parsed).copy_with(fragment=None))
    except httpx.InvalidURL as error:
        raise UnsafeURLError(
            f"{refused} has a malformed Location {_clipped(location)} ({error})"
        ) from error


def _clipped(location: str) -> str:
    # A data: URL can hold a whole file; a reason stays one readable line.
    return repr(location if len(location) <= 200 else location[:200] + "...")


def _content_length(response: httpx.Response) -> int | None:
    try:
        return int(response.headers.get("content-length", ""))
    except ValueError:
        return None


def _cap_error(cap: int, setting: int) -> FetchError:
    where = "fetch.max_bytes" if cap == setting else "the limit for this request"
    return FetchError(f"document is larger than the {describe_size(cap)} cap ({where})")
