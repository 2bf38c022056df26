"""One download: redirects re-checked by the guard, a deadline, byte caps, bounded decoding."""

from __future__ import annotations

import email.utils
import hashlib
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

import httpx

from ingest.errors import FetchError
from ingest.netguard import AddressGuard, Target
from ingest.settings import FetchSettings

_CHUNK = 64 * 1024
_HEAD = 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class StatusError(FetchError):
    """The server answered with an error status. `retry_after` is in seconds when given."""

    def __init__(self, message: str, *, status: int, retry_after: float | None = None) -> None:
        super().__init__(message, retryable=status == 429 or status >= 500)
        self.status = status
        self.retry_after = retry_after


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


def describe_size(n: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= scale:
            return f"{n / scale:.4g} {unit}"
    return f"{n} bytes"


class ByteBudget:
    """Bytes the whole run may still download; shared by every thread."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._left = limit
        self._lock = threading.Lock()

    def check(self, n: int) -> None:
        with self._lock:
            if n > self._left:
                raise self._error()

    def take(self, n: int) -> None:
        with self._lock:
            if n > self._left:
                self._left = 0
                raise self._error()
            self._left -= n

    def _error(self) -> FetchError:
        return FetchError(
            f"the run's download budget of {describe_size(self._limit)} is used up "
            "(fetch.max_total_bytes)"
        )


class Downloader:
    """Fetches one URL into a sink. Thread-safe when the client is shared."""

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
        deadline = self._clock() + self._settings.deadline
        cap = max_bytes or self._settings.max_bytes
        visited = [url]
        current = url
        while True:
            target = self._guard.check(current)
            with self._open(target, conditional or {}, deadline) as response:
                location = _redirect_location(response, current)
                if location is None:
                    return self._finish(url, current, response, sink, deadline, cap, conditional)
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
        self, target: Target, headers: Mapping[str, str], deadline: float
    ) -> Iterator[httpx.Response]:
        response: httpx.Response | None = None
        requests = self._requests(target, headers)
        for index, request in enumerate(requests):
            request.extensions["timeout"] = self._timeout(target, deadline).as_dict()
            try:
                response = self._client.send(request, stream=True)
                break
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                # The host's next address may answer (e.g. IPv6 without a route).
                if index == len(requests) - 1:
                    raise _transport_error(error, target, self._settings) from error
            except httpx.TransportError as error:
                raise _transport_error(error, target, self._settings) from error
        assert response is not None
        try:
            yield response
        except httpx.TransportError as error:
            raise _transport_error(error, target, self._settings) from error
        finally:
            response.close()

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

    def _timeout(self, target: Target, deadline: float) -> httpx.Timeout:
        left = deadline - self._clock()
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
        deadline: float,
        cap: int,
        conditional: Mapping[str, str] | None,
    ) -> Download:
        status = response.status_code
        if status == 304 and conditional:
            size, sha256, head = 0, "", b""
        elif 200 <= status < 300:
            size, sha256, head = self._read_body(final_url, response, sink, deadline, cap)
        else:
            raise _status_error(response)
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
        self, url: str, response: httpx.Response, sink: BinaryIO, deadline: float, cap: int
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
            # httpx's timeouts count inactivity only; a slow drip is cut off here.
            if self._clock() > deadline:
                raise self._deadline_error(url)
        decoder.finish()
        sink.flush()
        return size, digest.hexdigest(), head

    def _deadline_error(self, url: str) -> FetchError:
        return FetchError(
            f"gave up on {url} after the {self._settings.deadline:g} s deadline (fetch.deadline)"
        )


class BoundedDecoder:
    """Undoes gzip/deflate in pieces of at most 64 KB, so a bomb never lands in memory whole."""

    def __init__(self, encoding: str | None) -> None:
        self.encoding = encoding
        # 32 + MAX_WBITS accepts both gzip and zlib headers.
        self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS) if encoding else None

    @classmethod
    def for_encoding(cls, header: str | None) -> BoundedDecoder:
        encoding = (header or "").strip().lower()
        if encoding in ("", "identity"):
            return cls(None)
        if encoding in ("gzip", "x-gzip", "deflate"):
            return cls(encoding)
        raise FetchError(
            f"the server sent Content-Encoding {encoding!r} although identity was asked; "
            "only gzip and deflate can be decoded"
        )

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._zlib is None:
            if data:
                yield data
            return
        pending = data
        while True:
            try:
                piece = self._zlib.decompress(pending, _CHUNK)
            except zlib.error as error:
                raise FetchError(f"cannot decode the {self.encoding} body: {error}") from error
            if piece:
                yield piece
            pending = self._zlib.unconsumed_tail
            # A full piece may leave output buffered inside zlib even with no input left.
            if not pending and len(piece) < _CHUNK:
                return

    def finish(self) -> None:
        if self._zlib is not None and not self._zlib.eof:
            raise FetchError(f"the {self.encoding} body is truncated")


def _redirect_location(response: httpx.Response, current: str) -> str | None:
    if response.status_code not in _REDIRECTS:
        return None
    location = response.headers.get("location")
    if not location:
        raise FetchError(f"{response.status_code} redirect without a Location from {current}")
    try:
        return str(httpx.URL(current).join(location).copy_with(fragment=None))
    except httpx.InvalidURL as error:
        raise FetchError(f"bad redirect Location {location!r} from {current}: {error}") from error


def _content_length(response: httpx.Response) -> int | None:
    try:
        return int(response.headers.get("content-length", ""))
    except ValueError:
        return None


def _cap_error(cap: int, setting: int) -> FetchError:
    where = "fetch.max_bytes" if cap == setting else "the limit for this request"
    return FetchError(f"document is larger than the {describe_size(cap)} cap ({where})")


def status_line(status: int) -> str:
    return f"{status} {httpx.codes.get_reason_phrase(status)}".rstrip()


def _status_error(response: httpx.Response) -> StatusError:
    status = response.status_code
    retry_after = None
    if status in (429, 503):
        retry_after = parse_retry_after(response.headers.get("retry-after"))
    return StatusError(status_line(status), status=status, retry_after=retry_after)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _transport_error(
    error: httpx.TransportError, target: Target, settings: FetchSettings
) -> FetchError:
    where = f"{target.host}:{target.port}"
    if isinstance(error, httpx.ConnectTimeout):
        return FetchError(f"timed out connecting to {where}", retryable=True)
    if isinstance(error, httpx.ReadTimeout):
        return FetchError(
            f"{where} sent nothing for {settings.read_timeout:g} s (fetch.read_timeout)",
            retryable=True,
        )
    if _is_tls_failure(error):
        return FetchError(f"TLS with {where} failed: {_one_line(error)}")
    if isinstance(error, httpx.ConnectError):
        return FetchError(f"cannot connect to {where}: {_one_line(error)}", retryable=True)
    return FetchError(f"connection to {where} failed: {_one_line(error)}", retryable=True)


def _is_tls_failure(error: BaseException) -> bool:
    # Certificate problems do not heal by retrying; they hide in the exception chain.
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
