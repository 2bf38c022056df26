"""The fetcher against real loopback servers: retries, fallbacks, caps, cache."""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
import time
import tracemalloc
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from index.retry_after import parse_retry_after
from ingest.cache import HttpCache
from ingest.fetcher import Fetcher, FetchResult
from ingest.http_errors import status_error
from ingest.settings import FetchSettings, RewriteRule
from tests.servers import (
    Exchange,
    LoopbackOnly,
    LoopbackServer,
    drip,
    gzipped,
    loopback_server,
    redirect,
    sequence,
    slow_headers,
    static,
    status,
    with_etag,
)
from ui.reasons import reason_kind, refusing_rule

PDF = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 50 + b"%%EOF\n"
HTML = b"<!DOCTYPE html><html><head><title>Not found</title></head><body>Sorry</body></html>"

server = pytest.fixture(name="server")(loopback_server)


@pytest.fixture
def cache(tmp_path: Path) -> HttpCache:
    return HttpCache(tmp_path / "cache")


def make_settings(server: LoopbackServer, **overrides: Any) -> FetchSettings:
    base: dict[str, Any] = {
        "allow_private_hosts": True,
        "allowed_ports": [server.port],
        "retries": 2,
        "backoff": 0.01,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "deadline": 10.0,
        "max_retry_after": 5.0,
        "archive": False,
        "rewrite": [],
    }
    return FetchSettings(**{**base, **overrides})


def fetch(
    server: LoopbackServer, cache: HttpCache, path: str, expect: str | None = None, **overrides: Any
) -> FetchResult:
    with Fetcher(make_settings(server, **overrides), cache) as fetcher:
        return fetcher.fetch(server.url(path), expect=expect)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Direct downloads and redirects.


def test_direct_pdf(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/a.pdf", static(PDF, "application/pdf"))
    result = fetch(server, cache, "/a.pdf", expect="pdf", user_agent="kilde-test/1")
    assert result.ok, result.error
    assert (result.obtained, result.kind, result.error) == ("direct", "pdf", None)
    assert result.final_url == server.url("/a.pdf")
    assert result.content_type == "application/pdf"
    assert result.path is not None and result.path.read_bytes() == PDF
    assert result.sha256 == sha(PDF)
    assert result.attempts == (f"direct {server.url('/a.pdf')}: 200 OK (pdf, {len(PDF)} bytes)",)
    [seen] = server.seen
    assert seen.headers["accept-encoding"] == "identity"
    assert seen.headers["user-agent"] == "kilde-test/1"
    assert seen.headers["host"] == f"127.0.0.1:{server.port}"


def test_redirect_chain(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/old", redirect(server.url("/moved"), 301))
    server.route("/moved", redirect("docs/a.pdf", 307))  # relative
    server.route("/docs/a.pdf", static(PDF, "application/pdf"))
    result = fetch(server, cache, "/old", expect="pdf")
    assert result.obtained == "direct", result.error
    assert result.final_url == server.url("/docs/a.pdf")
    assert [seen.path for seen in server.seen] == ["/old", "/moved", "/docs/a.pdf"]


def test_redirect_loop(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/x", redirect("/y"))
    server.route("/y", redirect("/x"))
    result = fetch(server, cache, "/x")
    assert not result.ok
    assert result.error is not None and "redirect loop" in result.error
    assert server.hits("/x") == 1  # a loop is not retried


def test_too_many_redirects(server: LoopbackServer, cache: HttpCache) -> None:
    for i in range(6):
        server.route(f"/r{i}", redirect(f"/r{i + 1}"))
    result = fetch(server, cache, "/r0", max_redirects=3)
    assert result.error is not None and "more than 3 redirects" in result.error
    assert server.hits("/r4") == 0


def test_loopback_is_refused_unless_private_hosts_are_allowed(
    server: LoopbackServer, cache: HttpCache
) -> None:
    server.route("/a.pdf", static(PDF, "application/pdf"))
    result = fetch(server, cache, "/a.pdf", allow_private_hosts=False)
    assert not result.ok
    assert result.error is not None
    assert "127.0.0.1 is not globally routable" in result.error
    assert "fetch.allow_private_hosts" in result.error
    assert server.seen == []


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://user:secret@127.0.0.1:{port}/b.pdf", "credentials"),
        ("file:///etc/passwd", "only http and https"),
    ],
)
def test_every_redirect_hop_is_checked(
    server: LoopbackServer, cache: HttpCache, location: str, reason: str
) -> None:
    server.route("/a.pdf", redirect(location.format(port=server.port)))
    server.route("/b.pdf", static(PDF, "application/pdf"))
    result = fetch(server, cache, "/a.pdf")
    assert not result.ok
    assert result.error is not None and reason in result.error
    assert server.hits("/b.pdf") == 0


def test_a_redirect_hop_to_a_public_host_is_checked_for_its_port(
    server: LoopbackServer, cache: HttpCache
) -> None:
    # With allow_private_hosts a loopback mirror may use any port, a public host not.
    server.route("/a.pdf", redirect("http://docs.example:1/b.pdf"))
    transport = LoopbackOnly()
    with Fetcher(
        make_settings(server),
        cache,
        resolver=lambda host, port: ["93.184.216.34"],
        transport=transport,
    ) as fetcher:
        result = fetcher.fetch(server.url("/a.pdf"))
    assert result.error is not None and "port 1 is not allowed" in result.error
    assert transport.refused == []
    assert server.hits("/a.pdf") == 1


def test_redirect_to_a_private_address_is_refused(cache: HttpCache) -> None:
    # No sockets: MockTransport answers, the resolver is a table. The first hop
    # is public, the second resolves to a private address and must not be sent.
    table = {"public.example": ["93.184.216.34"], "internal.example": ["10.0.0.1"]}
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(302, headers={"Location": "http://internal.example/secret.pdf"})

    settings = FetchSettings(archive=False, rewrite=[], retries=0)
    with Fetcher(
        settings,
        cache,
        resolver=lambda host, port: table[host],
        transport=httpx.MockTransport(answer),
    ) as fetcher:
        result = fetcher.fetch("https://public.example/a.pdf")
    assert result.error is not None
    assert "address 10.0.0.1 is not globally routable" in result.error
    [request] = sent
    assert str(request.url) == "https://93.184.216.34/a.pdf"
    assert request.headers["host"] == "public.example"
    assert request.extensions["sni_hostname"] == "public.example"


def test_connects_to_the_checked_address(server: LoopbackServer, cache: HttpCache) -> None:
    # A rebinding resolver: a second lookup would answer with an address
    # nobody listens on, and the system resolver cannot resolve the name.
    answers = iter([["127.0.0.1"]])
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers, ["10.255.255.1"])

    server.route("/a.pdf", static(PDF, "application/pdf"))
    url = f"http://docs.example:{server.port}/a.pdf"
    with Fetcher(make_settings(server), cache, resolver=rebinding) as fetcher:
        result = fetcher.fetch(url)
    assert result.obtained == "direct", result.error
    assert result.final_url == url
    assert calls == ["docs.example"]
    assert server.seen[0].headers["host"] == f"docs.example:{server.port}"


def test_falls_back_to_the_next_address(server: LoopbackServer, cache: HttpCache) -> None:
    # Nothing listens on 127.0.0.2 (the server binds 127.0.0.1 only).
    def two_addresses(host: str, port: int) -> list[str]:
        return ["127.0.0.2", "127.0.0.1"]

    server.route("/a.pdf", static(PDF, "application/pdf"))
    with Fetcher(make_settings(server), cache, resolver=two_addresses) as fetcher:
        result = fetcher.fetch(f"http://docs.example:{server.port}/a.pdf")
    assert result.obtained == "direct", result.error


def test_through_a_proxy_the_name_is_sent_not_the_address(
    server: LoopbackServer, cache: HttpCache
) -> None:
    # The loopback server answers absolute-form requests, so it can play the proxy.
    server.route("/a.pdf", static(PDF, "application/pdf"))
    url = f"http://docs.example:{server.port}/a.pdf"
    settings = make_settings(server, proxy=server.url(""))
    with Fetcher(settings, cache, resolver=lambda host, port: ["127.0.0.1"]) as fetcher:
        result = fetcher.fetch(url)
    assert result.obtained == "direct", result.error
    assert server.seen[0].target == url


def test_dns_failure_is_not_retried(server: LoopbackServer, cache: HttpCache) -> None:
    def no_dns(host: str, port: int) -> list[str]:
        raise OSError(-2, "Name or service not known")

    with Fetcher(make_settings(server), cache, resolver=no_dns) as fetcher:
        result = fetcher.fetch(f"http://gone.example:{server.port}/a.pdf")
    assert result.error is not None
    assert result.error.startswith("direct: cannot resolve host gone.example")
    assert len(result.attempts) == 1


# Fallbacks: rewrite rules and the archive.


def test_404_then_rewrite_rule(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/cdn/a.pdf", status(404))
    server.route("/live/a.pdf", static(PDF, "application/pdf"))
    rule = RewriteRule(pattern=r"^(http://[^/]+)/cdn/", replace=r"\1/live/")
    result = fetch(server, cache, "/cdn/a.pdf", expect="pdf", rewrite=[rule])
    assert result.obtained == "rewritten", result.error
    assert result.final_url == server.url("/live/a.pdf")
    assert result.attempts[0] == f"direct {server.url('/cdn/a.pdf')}: 404 Not Found"
    assert server.hits("/cdn/a.pdf") == 1  # 404 is not retried


def wayback_stand_in(server: LoopbackServer, timestamp: str | None) -> dict[str, Any]:
    def available(exchange: Exchange) -> None:
        query = parse_qs(exchange.request.query)
        closest = {
            "available": True,
            "url": f"http://web.archive.org/web/{timestamp}/{query['url'][0]}",
            "timestamp": timestamp,
            "status": "200",
        }
        answer = {"archived_snapshots": {"closest": closest} if timestamp else {}}
        exchange.send(200, json.dumps(answer).encode(), "application/json")

    server.route("/wayback/available", available)
    return {
        "archive": True,
        "archive_availability_url": server.url("/wayback/available"),
        "archive_snapshot_url": server.url("/web/{timestamp}id_/{url}"),
        "archive_timestamp": "2018",
    }


def test_dead_everywhere_then_archive(server: LoopbackServer, cache: HttpCache) -> None:
    original = server.url("/gone.pdf")
    server.route("/gone.pdf", status(410))
    server.route("/moved.pdf", status(404))
    server.route(f"/web/20180601000000id_/{original}", static(PDF, "application/pdf"))
    archive = wayback_stand_in(server, "20180601000000")
    rule = RewriteRule(pattern="gone", replace="moved")
    result = fetch(server, cache, "/gone.pdf", expect="pdf", rewrite=[rule], **archive)
    assert result.obtained == "archived", result.error
    assert result.final_url == server.url(f"/web/20180601000000id_/{original}")
    assert result.path is not None and result.path.read_bytes() == PDF
    [lookup] = server.requests_for("/wayback/available")
    assert parse_qs(lookup.query) == {"url": [original], "timestamp": ["2018"]}
    assert any(line.startswith("rewrite ") and "404" in line for line in result.attempts)


def test_archived_copy_is_reused_on_the_next_run(server: LoopbackServer, cache: HttpCache) -> None:
    original = server.url("/gone.pdf")
    server.route("/gone.pdf", status(404))
    server.route(f"/web/2018id_/{original}", static(PDF, "application/pdf"))
    archive = wayback_stand_in(server, "2018")
    assert fetch(server, cache, "/gone.pdf", **archive).obtained == "archived"
    again = fetch(server, cache, "/gone.pdf", **archive)
    assert (again.obtained, again.sha256) == ("cached", sha(PDF))
    assert server.hits("/wayback/available") == 1
    assert server.hits("/gone.pdf") == 2  # the origin is still tried first
    assert (
        f"an archived snapshot from {server.url(f'/web/2018id_/{original}')}"
        in (again.attempts[-1])
    )


def test_a_cached_copy_is_used_before_the_archive(server: LoopbackServer, cache: HttpCache) -> None:
    original = server.url("/cdn/a.pdf")
    server.route("/cdn/a.pdf", static(PDF, "application/pdf"))
    archive = wayback_stand_in(server, "2016")
    rule = RewriteRule(pattern=r"^(http://[^/]+)/cdn/", replace=r"\1/live/")
    assert fetch(server, cache, "/cdn/a.pdf", rewrite=[rule], **archive).obtained == "direct"
    # A temporary outage: the fresher cached body wins over an old snapshot.
    server.route("/cdn/a.pdf", status(503))
    server.route("/live/a.pdf", status(404))
    snapshot = PDF + b"% as archived in 2016\n"
    server.route(f"/web/2016id_/{original}", static(snapshot, "application/pdf"))
    result = fetch(server, cache, "/cdn/a.pdf", expect="pdf", rewrite=[rule], **archive)
    assert (result.obtained, result.sha256, result.error) == ("cached", sha(PDF), None)
    assert result.path is not None and result.path.read_bytes() == PDF
    assert server.hits("/wayback/available") == 0
    assert server.hits(f"/web/2016id_/{original}") == 0
    assert result.attempts[0].startswith(f"direct {original}: 503")
    assert any(line.startswith("rewrite ") and "404" in line for line in result.attempts)
    assert "the origin failed" in result.attempts[-1]
    entry = cache.get(original)
    assert entry is not None and entry.path.read_bytes() == PDF


def test_no_snapshot_names_every_reason(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/gone.pdf", status(404))
    result = fetch(server, cache, "/gone.pdf", **wayback_stand_in(server, None))
    assert result.obtained == "failed"
    assert result.error == "direct: 404 Not Found; archive: no snapshot"


# Retries.


def test_429_with_retry_after_waits_then_succeeds(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/a.pdf", sequence(status(429, {"Retry-After": "1"}), static(PDF)))
    started = time.monotonic()
    result = fetch(server, cache, "/a.pdf", expect="pdf")
    elapsed = time.monotonic() - started
    assert result.obtained == "direct", result.error
    assert 0.9 <= elapsed < 3
    assert "429 Too Many Requests; retrying in 1 s" in result.attempts[0]


def test_429_asking_too_long_gives_up_at_once(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/a.pdf", status(429, {"Retry-After": "3600"}))
    started = time.monotonic()
    result = fetch(server, cache, "/a.pdf", max_retry_after=5)
    assert time.monotonic() - started < 1
    assert result.error is not None
    assert "asks to wait 3600 s, more than fetch.max_retry_after (5 s)" in result.error
    assert server.hits("/a.pdf") == 1


def test_retry_after_as_http_date() -> None:
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Mon, 01 Jan 2024 12:00:30 GMT", now) == 30
    assert parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now) == 0
    assert parse_retry_after("7", now) == 7
    assert parse_retry_after("soon", now) is None


def test_a_fractional_retry_after_reaches_the_fetcher() -> None:
    response = httpx.Response(429, headers={"Retry-After": "1.5"})
    assert status_error(response).retry_after == 1.5


def test_503_twice_then_200(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/a.pdf", sequence(status(503), status(503), static(PDF, "application/pdf")))
    result = fetch(server, cache, "/a.pdf", retries=2)
    assert result.obtained == "direct", result.error
    assert server.hits("/a.pdf") == 3
    assert len(result.attempts) == 3


def test_5xx_gives_up_after_the_retries(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/a.pdf", status(500))
    result = fetch(server, cache, "/a.pdf", retries=1)
    assert result.error == "direct: 500 Internal Server Error"
    assert server.hits("/a.pdf") == 2


def test_connection_refused_is_retried(server: LoopbackServer, cache: HttpCache) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = make_settings(server, allowed_ports=[closed_port], retries=1)
    with Fetcher(settings, cache) as fetcher:
        result = fetcher.fetch(f"http://127.0.0.1:{closed_port}/a.pdf")
    assert result.error is not None and "cannot connect to 127.0.0.1" in result.error
    assert "retrying" in result.attempts[0]


# Limits: deadline, caps, budget, encodings, content sniffing.


def test_slow_drip_is_cut_at_the_deadline(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/slow.pdf", drip(b"%PDF-1.4 " + b"x" * 11, every=0.5, total=10))
    started = time.monotonic()
    result = fetch(server, cache, "/slow.pdf", deadline=2, read_timeout=2)
    elapsed = time.monotonic() - started
    assert result.error is not None and "2 s deadline (fetch.deadline)" in result.error
    assert elapsed < 4
    assert server.hits("/slow.pdf") == 1  # a deadline is not retried


def test_slow_headers_are_cut_at_the_deadline(server: LoopbackServer, cache: HttpCache) -> None:
    # Each header byte comes well within read_timeout: only the deadline's watchdog ends this.
    server.route("/slow-head.pdf", slow_headers(every=0.05, total=10))
    started = time.monotonic()
    result = fetch(server, cache, "/slow-head.pdf", deadline=1.5, read_timeout=1)
    elapsed = time.monotonic() - started
    assert result.error is not None and "1.5 s deadline (fetch.deadline)" in result.error
    assert elapsed < 1.5 + 1
    assert server.hits("/slow-head.pdf") == 1  # a deadline is not retried


def test_gzip_bomb_stops_at_the_cap(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/bomb.pdf", gzipped(b"\0" * 50_000_000))
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = fetch(server, cache, "/bomb.pdf", max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error is not None
    assert "larger than the 1 MB cap (fetch.max_bytes)" in result.error
    assert time.monotonic() - started < 5
    assert peak < 8_000_000
    assert list(cache.directory.iterdir()) == []  # the partial body was removed


def test_gzip_body_is_decoded(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/a.pdf", gzipped(PDF))
    result = fetch(server, cache, "/a.pdf", expect="pdf")
    assert result.obtained == "direct", result.error
    assert result.path is not None and result.path.read_bytes() == PDF


def test_unknown_encoding_is_refused(server: LoopbackServer, cache: HttpCache) -> None:
    server.route(
        "/a.pdf", static(b"\x1b\x00junk", "application/pdf", headers={"Content-Encoding": "br"})
    )
    result = fetch(server, cache, "/a.pdf")
    assert result.error is not None and "Content-Encoding 'br'" in result.error


def test_html_served_as_pdf_is_not_a_pdf(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/a.pdf", static(HTML, "application/pdf"))
    result = fetch(server, cache, "/a.pdf", expect="pdf")
    assert not result.ok
    assert result.error == "direct: HTML where a PDF was promised"
    assert result.path is None
    plain = fetch(server, cache, "/a.pdf")
    assert (plain.obtained, plain.kind) == ("direct", "html")


def test_text_where_a_pdf_was_promised(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/a.pdf", static(b"Access denied", "text/plain"))
    result = fetch(server, cache, "/a.pdf", expect="pdf")
    assert result.error is not None
    assert "no PDF signature (%PDF-)" in result.error
    assert "text/plain" in result.error


def test_truncated_gzip_is_refused(server: LoopbackServer, cache: HttpCache) -> None:
    body = gzip.compress(PDF * 20)[:-40]
    server.route("/a.pdf", static(body, "application/pdf", headers={"Content-Encoding": "gzip"}))
    result = fetch(server, cache, "/a.pdf")
    assert result.error == "direct: the gzip body is truncated"


def test_content_length_over_the_cap_is_refused(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/big.pdf", static(PDF + b"x" * 5000, "application/pdf"))
    result = fetch(server, cache, "/big.pdf", max_bytes=2000)
    assert result.error == "direct: document is larger than the 2 KB cap (fetch.max_bytes)"
    assert server.hits("/big.pdf") == 1


def test_body_over_the_cap_without_length(server: LoopbackServer, cache: HttpCache) -> None:
    def unannounced(exchange: Exchange) -> None:
        exchange.start(200, {"Content-Type": "application/pdf"})
        exchange.write(PDF + b"x" * 5000)

    server.route("/big.pdf", unannounced)
    result = fetch(server, cache, "/big.pdf", max_bytes=2000)
    assert result.error == "direct: document is larger than the 2 KB cap (fetch.max_bytes)"


def test_budget_is_shared_by_one_run(server: LoopbackServer, cache: HttpCache) -> None:
    for name in ("a", "b", "c"):
        server.route(f"/{name}.pdf", static(PDF, "application/pdf"))
    settings = make_settings(server, max_total_bytes=int(len(PDF) * 2.5))
    with Fetcher(settings, cache) as fetcher:
        results = [fetcher.fetch(server.url(f"/{name}.pdf")) for name in ("a", "b", "c")]
    assert [r.obtained for r in results] == ["direct", "direct", "failed"]
    assert results[2].error is not None and "fetch.max_total_bytes" in results[2].error


# The cache: revalidation, offline mode, fallback.


def test_etag_revalidation_downloads_no_body(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/a.pdf", with_etag(PDF, '"v1"'))
    first = fetch(server, cache, "/a.pdf")
    assert first.obtained == "direct", first.error
    assert first.path is not None
    stored_at = first.path.stat().st_mtime_ns
    second = fetch(server, cache, "/a.pdf")
    assert second.obtained == "cached", second.error
    assert (second.path, second.sha256, second.kind) == (first.path, first.sha256, "pdf")
    assert "304 Not Modified" in second.attempts[0]
    revalidation = server.requests_for("/a.pdf")[1]
    assert revalidation.headers["if-none-match"] == '"v1"'
    assert first.path.stat().st_mtime_ns == stored_at


def test_last_modified_revalidation(server: LoopbackServer, cache: HttpCache) -> None:
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"

    def dated(exchange: Exchange) -> None:
        if exchange.request.headers.get("if-modified-since") == stamp:
            exchange.start(304)
            return
        exchange.send(200, PDF, "application/pdf", {"Last-Modified": stamp})

    server.route("/a.pdf", dated)
    assert fetch(server, cache, "/a.pdf").obtained == "direct"
    assert fetch(server, cache, "/a.pdf").obtained == "cached"


def test_changed_document_replaces_the_cached_body(
    server: LoopbackServer, cache: HttpCache
) -> None:
    server.route("/a.pdf", with_etag(PDF, '"v1"'))
    first = fetch(server, cache, "/a.pdf")
    newer = PDF + b"% revised\n"
    server.route("/a.pdf", with_etag(newer, '"v2"'))
    second = fetch(server, cache, "/a.pdf")
    assert second.obtained == "direct", second.error
    assert second.path is not None and second.path.read_bytes() == newer
    assert first.path is not None and not first.path.exists()


def test_offline_uses_only_the_cache(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/a.pdf", static(PDF, "application/pdf"))
    assert fetch(server, cache, "/a.pdf").obtained == "direct"
    requests_before = len(server.seen)
    with Fetcher(make_settings(server), cache, offline=True) as fetcher:
        hit = fetcher.fetch(server.url("/a.pdf"))
        miss = fetcher.fetch(server.url("/b.pdf"))
    assert (hit.obtained, hit.sha256) == ("cached", sha(PDF))
    assert (miss.obtained, miss.error) == ("failed", "offline and not in the cache")
    assert len(server.seen) == requests_before


def test_cached_copy_is_used_when_the_origin_dies(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/a.pdf", static(PDF, "application/pdf"))
    assert fetch(server, cache, "/a.pdf").obtained == "direct"
    server.route("/a.pdf", status(404))
    result = fetch(server, cache, "/a.pdf", expect="pdf")
    assert (result.obtained, result.sha256, result.error) == ("cached", sha(PDF), None)
    assert result.attempts[0].endswith("404 Not Found")
    assert "the origin failed" in result.attempts[-1]


def test_corrupt_metadata_counts_as_a_miss(server: LoopbackServer, cache: HttpCache) -> None:
    server.route("/a.pdf", static(PDF, "application/pdf"))
    assert fetch(server, cache, "/a.pdf").obtained == "direct"
    for meta in cache.directory.glob("*.json"):
        meta.write_text("{not json", encoding="utf-8")
    assert cache.get(server.url("/a.pdf")) is None


# Robustness.


def test_parallel_fetches(server: LoopbackServer, cache: HttpCache) -> None:
    names = [f"/doc{i}.pdf" for i in range(12)]
    for name in names:
        server.route(name, static(PDF + name.encode(), "application/pdf"))
    with (
        Fetcher(make_settings(server, concurrency=4), cache) as fetcher,
        ThreadPoolExecutor(max_workers=4) as pool,
    ):
        results = list(pool.map(lambda n: fetcher.fetch(server.url(n), expect="pdf"), names))
    assert [r.obtained for r in results] == ["direct"] * len(names)
    assert len({r.sha256 for r in results}) == len(names)


def test_bad_urls_fail_without_raising(server: LoopbackServer, cache: HttpCache) -> None:
    with Fetcher(make_settings(server), cache) as fetcher:
        result = fetcher.fetch("not a url at all")
    assert result.obtained == "failed"
    assert result.error is not None and "only http and https" in result.error


# Safety rules that fit a mirror.


def test_a_mirror_on_a_high_port_needs_only_the_flag(
    server: LoopbackServer, cache: HttpCache
) -> None:
    server.route("/a.pdf", static(PDF, "application/pdf"))
    defaults = FetchSettings()
    assert server.port not in defaults.allowed_ports
    mirror = defaults.model_copy(update={"allow_private_hosts": True, "archive": False})
    with Fetcher(mirror, cache) as fetcher:
        result = fetcher.fetch(server.url("/a.pdf"), expect="pdf")
    assert result.obtained == "direct", result.error
    assert result.path is not None and result.path.read_bytes() == PDF
    public = defaults.model_copy(update={"archive": False})
    with Fetcher(public, cache) as fetcher:
        refused = fetcher.fetch(server.url("/b.pdf"))
    assert refused.error is not None and f"port {server.port} is not allowed" in refused.error
    assert server.hits("/b.pdf") == 0


NEVER_ALLOWED = [
    ("169.254.169.254", "link-local address (cloud metadata services answer there)"),
    ("224.0.0.1", "multicast address"),
    ("0.0.0.0", "unspecified address"),
    ("255.255.255.255", "broadcast address"),
    ("[fe80::1]", "link-local address (cloud metadata services answer there)"),
    ("[ff02::1]", "multicast address"),
    ("[::]", "unspecified address"),
]


@pytest.mark.parametrize("private", [False, True])
@pytest.mark.parametrize(("literal", "rule"), NEVER_ALLOWED)
def test_never_allowed_addresses_are_refused_before_connecting(
    server: LoopbackServer, cache: HttpCache, literal: str, rule: str, private: bool
) -> None:
    url = f"http://{literal}/latest/meta-data/"
    transport = LoopbackOnly()
    settings = make_settings(server, allow_private_hosts=private, allowed_ports=[80])
    with Fetcher(settings, cache, transport=transport) as fetcher:
        result = fetcher.fetch(url)
    assert result.obtained == "failed"
    assert result.error is not None
    assert result.error.startswith(f"direct: refused {url}: ")
    assert rule in result.error
    assert "refused whatever --allow-private-hosts" in result.error
    assert transport.refused == []  # no connection was attempted
    assert len(result.attempts) == 1  # and none retried


@pytest.mark.parametrize(("literal", "rule"), NEVER_ALLOWED)
def test_a_redirect_to_a_never_allowed_address_is_refused(
    server: LoopbackServer, cache: HttpCache, literal: str, rule: str
) -> None:
    server.route("/a.pdf", redirect(f"http://{literal}/latest/meta-data/"))
    transport = LoopbackOnly()
    with Fetcher(make_settings(server), cache, transport=transport) as fetcher:
        result = fetcher.fetch(server.url("/a.pdf"))
    assert result.error is not None and rule in result.error
    assert transport.refused == []
    assert server.hits("/a.pdf") == 1


def test_a_redirect_to_a_name_of_a_metadata_service_is_refused(
    server: LoopbackServer, cache: HttpCache
) -> None:
    server.route("/a.pdf", redirect("http://metadata.example/computeMetadata/v1/"))
    transport = LoopbackOnly()
    table = {"metadata.example": ["169.254.169.254"]}
    with Fetcher(
        make_settings(server),
        cache,
        resolver=lambda host, port: table[host],
        transport=transport,
    ) as fetcher:
        result = fetcher.fetch(server.url("/a.pdf"))
    assert result.error is not None
    assert "169.254.169.254 is a link-local address" in result.error
    assert transport.refused == []


# Bad redirects.

BAD_LOCATIONS = [
    ("data:application/pdf;base64,JVBERi0xLjQK", "leads to a URL of scheme 'data'"),
    ("javascript:alert(1)", "leads to a URL of scheme 'javascript'"),
    ("ftp://127.0.0.1/a.pdf", "leads to a URL of scheme 'ftp'"),
    ("http://[::1", "has a malformed Location 'http://[::1'"),
    ("http://exa mple.com/", "'exa%20mple.com' is not a valid host name"),
    ("", "has no Location to follow"),
    ("http://", "leads to 'http://', which names no host"),
    ("//", "leads to '//', which names no host"),
]


@pytest.mark.parametrize(("location", "reason"), BAD_LOCATIONS)
def test_a_bad_redirect_is_refused_once(
    server: LoopbackServer, cache: HttpCache, location: str, reason: str
) -> None:
    server.route("/a.pdf", redirect(location))
    result = fetch(server, cache, "/a.pdf")  # with retries=2
    assert result.obtained == "failed"
    assert result.error is not None
    assert result.error.startswith("direct: refused http://")
    assert reason in result.error
    assert reason_kind(result.error) == "why_refused"
    assert refusing_rule(result.error) is not None
    assert server.hits("/a.pdf") == 1


def test_two_locations_are_refused(server: LoopbackServer, cache: HttpCache) -> None:
    def two_locations(exchange: Exchange) -> None:
        # Header names differing in case are two headers on the wire.
        exchange.start(302, {"Location": "/b.pdf", "location": "/c.pdf", "Content-Length": "0"})

    server.route("/a.pdf", two_locations)
    result = fetch(server, cache, "/a.pdf")
    assert result.error is not None and "has 2 Location headers" in result.error
    assert server.hits("/b.pdf") == server.hits("/c.pdf") == 0


@pytest.mark.parametrize(("location", "reason"), BAD_LOCATIONS[:4])
def test_a_bad_redirect_falls_back_to_the_cached_copy(
    server: LoopbackServer, cache: HttpCache, location: str, reason: str
) -> None:
    server.route("/a.pdf", static(PDF, "application/pdf"))
    assert fetch(server, cache, "/a.pdf").obtained == "direct"
    server.route("/a.pdf", redirect(location))
    again = fetch(server, cache, "/a.pdf", expect="pdf")
    assert (again.obtained, again.sha256) == ("cached", sha(PDF))
    assert any(reason in line for line in again.attempts)


@pytest.mark.parametrize(("location", "reason"), BAD_LOCATIONS[:4])
def test_a_bad_redirect_falls_back_to_rewrite_and_archive(
    server: LoopbackServer, cache: HttpCache, location: str, reason: str
) -> None:
    original = server.url("/gone.pdf")
    server.route("/gone.pdf", redirect(location))
    server.route("/moved.pdf", redirect(location))
    server.route(f"/web/2018id_/{original}", static(PDF, "application/pdf"))
    archive = wayback_stand_in(server, "2018")
    rule = RewriteRule(pattern="gone", replace="moved")
    result = fetch(server, cache, "/gone.pdf", expect="pdf", rewrite=[rule], **archive)
    assert result.obtained == "archived", result.error
    assert result.path is not None and result.path.read_bytes() == PDF
    assert sum(reason in line for line in result.attempts) == 2  # direct, then rewrite
    assert server.hits("/gone.pdf") == server.hits("/moved.pdf") == 1


# Content encodings.


# A decoder that stops at the first member used to spin on the rest.
@pytest.mark.timeout(30)
def test_gzip_with_two_members_is_decoded_whole(server: LoopbackServer, cache: HttpCache) -> None:
    # RFC 1952: a gzip file is a series of members; `gzip -c a b` writes two.
    body = gzip.compress(PDF[:100]) + gzip.compress(PDF[100:])
    server.route("/a.pdf", static(body, "application/pdf", headers={"Content-Encoding": "gzip"}))
    result = fetch(server, cache, "/a.pdf", expect="pdf")
    assert result.obtained == "direct", result.error
    assert result.path is not None and result.path.read_bytes() == PDF
    assert result.sha256 == sha(PDF)


# A decoder that stops at the first member used to spin on the rest.
@pytest.mark.timeout(30)
def test_gzip_members_count_together_against_the_cap(
    server: LoopbackServer, cache: HttpCache
) -> None:
    member = gzip.compress(b"\0" * 600_000)
    server.route(
        "/a.pdf", static(member * 2, "application/pdf", headers={"Content-Encoding": "gzip"})
    )
    server.route("/b.pdf", static(member, "application/pdf", headers={"Content-Encoding": "gzip"}))
    assert fetch(server, cache, "/b.pdf", max_bytes=1_000_000).ok  # one member fits
    result = fetch(server, cache, "/a.pdf", max_bytes=1_000_000)
    assert result.error == "direct: document is larger than the 1 MB cap (fetch.max_bytes)"


# A decoder that stops at the first member used to spin on the rest.
@pytest.mark.timeout(30)
def test_many_gzip_members_stay_bounded_in_memory(server: LoopbackServer, cache: HttpCache) -> None:
    member = gzip.compress(b"\0" * 10_000_000)
    server.route(
        "/bomb.pdf", static(member * 5, "application/pdf", headers={"Content-Encoding": "gzip"})
    )
    tracemalloc.start()
    try:
        result = fetch(server, cache, "/bomb.pdf", max_bytes=40_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error is not None and "larger than the 40 MB cap" in result.error
    assert peak < 8_000_000


@pytest.mark.parametrize(
    ("body", "encoding", "reason"),
    [
        (b"\x1b\x00junk", "br", "Content-Encoding 'br' although identity was asked"),
        (b"junk", "x-unknown", "Content-Encoding 'x-unknown' although identity was asked"),
        (gzip.compress(PDF), "gzip, gzip", "Content-Encoding 'gzip, gzip'"),
        (b"\x1f\x8b\x08\x00" + b"garbage" * 20, "gzip", "cannot decode the gzip body"),
        (b"not zlib at all", "deflate", "cannot decode the deflate body"),
        (gzip.compress(PDF) + b"trailing junk", "gzip", "cannot decode the gzip body"),
        (zlib.compress(PDF) + b"junk", "deflate", "data follows the end of its stream"),
        (gzip.compress(PDF)[:-40], "gzip", "the gzip body is truncated"),
    ],
)
def test_undecodable_bodies_are_refused_without_retries(
    server: LoopbackServer, cache: HttpCache, body: bytes, encoding: str, reason: str
) -> None:
    server.route("/a.pdf", static(body, "application/pdf", headers={"Content-Encoding": encoding}))
    result = fetch(server, cache, "/a.pdf")  # with retries=2
    assert result.obtained == "failed"
    assert result.error is not None and reason in result.error
    assert server.hits("/a.pdf") == 1
    assert list(cache.directory.iterdir()) == []  # nothing half-decoded was kept


def test_zero_padding_after_gzip_is_accepted(server: LoopbackServer, cache: HttpCache) -> None:
    # gzip(1) and Python's gzip module both skip zeros padding a gzip file.
    body = gzip.compress(PDF) + b"\0" * 512
    server.route("/a.pdf", static(body, "application/pdf", headers={"Content-Encoding": "gzip"}))
    result = fetch(server, cache, "/a.pdf", expect="pdf")
    assert result.obtained == "direct", result.error
    assert result.path is not None and result.path.read_bytes() == PDF
