from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.url import normalise_url, strip_trailing_punctuation, url_path_suffix


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "HTTP://Example.COM:80/a%7eb/c d?utm_source=x&q=1#frag",
            "http://example.com/a~b/c%20d?q=1",
        ),
        (
            "https://www.regionalstudies.org/events/2018-smarter-conference/.",
            "https://www.regionalstudies.org/events/2018-smarter-conference/",
        ),
        ("https://example.org:443", "https://example.org/"),
        ("https://example.org:8443/x", "https://example.org:8443/x"),
        ("http://x.org/a%2fb", "http://x.org/a%2Fb"),
        ("http://x.org/wiki/(a)", "http://x.org/wiki/(a)"),
        ("http://x.org/a)", "http://x.org/a"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("http://x.org/p?inheritRedirect=true", "http://x.org/p?inheritRedirect=true"),
    ],
)
def test_normalise_url(raw: str, expected: str) -> None:
    assert normalise_url(raw) == expected


@pytest.mark.parametrize("raw", ["ftp://x.org/a", "mailto:a@b.c", "/relative/path", "http://", "x"])
def test_normalise_url_refuses_non_http(raw: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        normalise_url(raw)


def test_strip_trailing_punctuation_keeps_balanced_parentheses() -> None:
    assert strip_trailing_punctuation("http://x.org/a_(b))") == "http://x.org/a_(b)"
    assert strip_trailing_punctuation("http://x.org/a»,") == "http://x.org/a"


def test_url_path_suffix() -> None:
    assert url_path_suffix("http://x.org/a/B.PDF?x=1") == ".pdf"
    assert url_path_suffix("http://x.org/a/") == ""


_segment = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_characters="/?#", exclude_categories=["Cs", "Cc"]
    ),
    max_size=12,
)


@given(
    scheme=st.sampled_from(["http", "HTTP", "https", "HtTpS"]),
    host=st.from_regex(r"[a-zA-Z][a-zA-Z0-9-]{0,10}(\.[a-zA-Z]{2,5}){1,2}", fullmatch=True),
    port=st.one_of(st.none(), st.integers(1, 65535)),
    segments=st.lists(_segment, max_size=4),
    query=st.lists(st.tuples(_segment, _segment), max_size=3),
    fragment=_segment,
)
def test_normalise_url_is_idempotent_and_canonical(
    scheme: str,
    host: str,
    port: int | None,
    segments: list[str],
    query: list[tuple[str, str]],
    fragment: str,
) -> None:
    netloc = host + (f":{port}" if port else "")
    qs = "&".join(f"{k.replace('&', '').replace('=', '')}={v.replace('&', '')}" for k, v in query)
    raw = f"{scheme}://{netloc}/{'/'.join(segments)}" + (f"?{qs}" if qs else "") + f"#{fragment}"
    once = normalise_url(raw)
    assert normalise_url(once) == once
    assert once.startswith(("http://", "https://"))
    assert "#" not in once
    assert " " not in once
    assert host.lower() in once
    if port in (80, 443) and scheme.lower() == {80: "http", 443: "https"}[port]:
        assert f":{port}" not in once
