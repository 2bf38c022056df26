"""Loopback HTTP servers for tests: routes are plain Python handlers.

    with LoopbackServer() as server:
        server.route("/a.pdf", static(b"%PDF-1.4 ...", "application/pdf"))
        server.route("/old", redirect("/a.pdf"))
        fetch(server.url("/old"))
        assert server.hits("/a.pdf") == 1

A handler gets an `Exchange` and answers through it; it may stream slowly,
send odd headers or nothing at all. Every request (GET, HEAD or POST) is
recorded in `server.seen`, with its body. The server binds 127.0.0.1 on a free
port and answers with HTTP/1.0, so each connection carries one request.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx


@dataclass(frozen=True)
class Seen:
    """A request as the server received it."""

    method: str
    target: str  # as on the request line (absolute when the server is used as a proxy)
    path: str  # without the query
    query: str
    headers: dict[str, str]  # lower-case names
    body: bytes = b""  # the request body (sent with Content-Length), e.g. of a POST


class Exchange:
    """One request and the means to answer it."""

    def __init__(self, handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        self.request = seen
        self._handler = handler

    def start(self, status: int, headers: Mapping[str, str] | None = None) -> None:
        """Send the status line and headers; write the body with `write`."""
        self._handler.send_response(status)
        for name, value in (headers or {}).items():
            self._handler.send_header(name, value)
        self._handler.end_headers()

    def write(self, data: bytes) -> None:
        self._handler.wfile.write(data)
        self._handler.wfile.flush()

    def send(
        self,
        status: int,
        body: bytes = b"",
        content_type: str = "application/octet-stream",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """A complete response with Content-Length."""
        all_headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
        self.start(status, {**all_headers, **(headers or {})})
        self.write(body)


Handler = Callable[[Exchange], None]


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 whose paths are answered by handlers."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self._routes: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler_class(self))
        self._httpd.daemon_threads = True
        # A short poll interval keeps `stop` (and so each test's teardown) fast.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> None:
        """Answer requests for `path` (exact, query ignored) with `handler`."""
        with self._lock:
            self._routes[path] = handler

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for seen in self.seen if seen.path == path)

    def requests_for(self, path: str) -> list[Seen]:
        with self._lock:
            return [seen for seen in self.seen if seen.path == path]

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        headers = {name.lower(): value for name, value in handler.headers.items()}
        # Read the body before answering: closing with unread data would reset the connection.
        length = int(headers.get("content-length") or 0)
        body = handler.rfile.read(length) if length > 0 else b""
        seen = Seen(handler.command, handler.path, parts.path, parts.query, headers, body)
        with self._lock:
            self.seen.append(seen)
            route = self._routes.get(parts.path, not_found)
        # The client may hang up early, often on purpose (caps, deadlines).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(Exchange(handler, seen))


def _make_handler_class(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server._dispatch(self)

        def do_HEAD(self) -> None:
            server._dispatch(self)

        def do_POST(self) -> None:
            server._dispatch(self)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    return _Handler


# Ready-made handlers.


def not_found(exchange: Exchange) -> None:
    exchange.send(404, b"<html><body>not found</body></html>", "text/html")


def static(
    body: bytes,
    content_type: str = "application/octet-stream",
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Handler:
    def handle(exchange: Exchange) -> None:
        exchange.send(status, body, content_type, headers)

    return handle


def redirect(location: str, status: int = 302) -> Handler:
    def handle(exchange: Exchange) -> None:
        exchange.send(status, b"", "text/plain", {"Location": location})

    return handle


def status(code: int, headers: Mapping[str, str] | None = None) -> Handler:
    return static(f"status {code}".encode(), "text/plain", code, headers)


def sequence(*handlers: Handler) -> Handler:
    """Each request gets the next handler; the last one answers all the rest."""
    queue = list(handlers)
    lock = threading.Lock()

    def handle(exchange: Exchange) -> None:
        with lock:
            current = queue.pop(0) if len(queue) > 1 else queue[0]
        current(exchange)

    return handle


def with_etag(body: bytes, etag: str, content_type: str = "application/pdf") -> Handler:
    """Answers 304 when the client already has `etag`, else the body with the ETag."""

    def handle(exchange: Exchange) -> None:
        if exchange.request.headers.get("if-none-match") == etag:
            exchange.start(304, {"ETag": etag})
            return
        exchange.send(200, body, content_type, {"ETag": etag})

    return handle


def drip(
    piece: bytes, every: float, total: float, content_type: str = "application/pdf"
) -> Handler:
    """Sends `piece` every `every` seconds for `total` seconds (no Content-Length)."""

    def handle(exchange: Exchange) -> None:
        exchange.start(200, {"Content-Type": content_type})
        end = time.monotonic() + total
        while time.monotonic() < end:
            exchange.write(piece)
            time.sleep(every)

    return handle


def slow_headers(every: float, total: float) -> Handler:
    """Writes the status line and headers one byte every `every` seconds, for `total` seconds.

    Every byte resets a per-read timeout, so only a total deadline ends the wait.
    """
    head = (
        b"HTTP/1.0 200 OK\r\nContent-Type: application/pdf\r\n"
        + b"X-Padding: "
        + b"x" * 400
        + b"\r\n\r\n%PDF-1.4\n"
    )

    def handle(exchange: Exchange) -> None:
        end = time.monotonic() + total
        for byte in head:
            if time.monotonic() >= end:
                return
            exchange.write(bytes([byte]))
            time.sleep(every)

    return handle


def gzipped(body: bytes, content_type: str = "application/pdf") -> Handler:
    """Sends `body` gzip-compressed with Content-Encoding: gzip, whatever was asked."""
    compressed = gzip.compress(body, compresslevel=9)

    def handle(exchange: Exchange) -> None:
        exchange.send(200, compressed, content_type, {"Content-Encoding": "gzip"})

    return handle


class LoopbackOnly(httpx.BaseTransport):
    """A real HTTP transport that sends nothing beyond loopback.

    A request for any other address is recorded in `refused` and fails as a
    connection error, so a test can assert that the guard stopped it first.
    """

    def __init__(self) -> None:
        self.refused: list[str] = []
        self._inner = httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host not in ("127.0.0.1", "::1"):
            self.refused.append(str(request.url))
            raise httpx.ConnectError("the test allows loopback only", request=request)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def loopback_server() -> Iterator[LoopbackServer]:
    """Body of a pytest fixture: `server = pytest.fixture(loopback_server)`."""
    with LoopbackServer() as server:
        yield server
