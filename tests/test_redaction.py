"""redact_url: user info out, everything else exactly as written."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.redaction import redact_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://u:p%40ss@[::1]:8080/v1", "http://***@[::1]:8080/v1"),
        ("http://tok@host/v1", "http://***@host/v1"),
        ("https://sk-abc123@api.example/v1", "https://***@api.example/v1"),
        ("https://me:hunter2@llm.example/v1", "https://***@llm.example/v1"),
        ("https://TOKEN:x-oauth-basic@github.com/a/b", "https://***@github.com/a/b"),
        ("http://:pw@127.0.0.1:11434", "http://***@127.0.0.1:11434"),
        ("http://a@b:c@Host.Example:8443/x", "http://***@Host.Example:8443/x"),
        ("http://u:p@[fe80::1%25eth0]/v1?x=1#f", "http://***@[fe80::1%25eth0]/v1?x=1#f"),
        ("http://u:p@host?next=a@b", "http://***@host?next=a@b"),
        ("HTTPS://u:p@host", "HTTPS://***@host"),
    ],
)
def test_user_info_is_replaced_and_the_host_kept(url: str, shown: str) -> None:
    assert redact_url(url) == shown


@pytest.mark.parametrize(
    "text",
    [
        "http://127.0.0.1:11434/v1",
        "http://[::1]:8080/v1",
        "https://example.org/people/@alice",
        "https://example.org/?mail=a@b.c",
        "https://example.org/#a@b",
        "mailto:someone@example.org",
        "someone@example.org",
        "^https?://([^/]+\\.)?example\\.com(/|$)",
        "https://web.archive.org/web/{timestamp}id_/{url}",
        "",
    ],
)
def test_anything_else_is_unchanged(text: str) -> None:
    assert redact_url(text) == text


@given(
    st.sampled_from(["http", "https"]),
    st.text(st.characters(blacklist_characters="/?#"), min_size=1, max_size=20),
    st.sampled_from(["host", "[::1]", "127.0.0.1:8080", "Example.ORG:443"]),
    st.sampled_from(["", "/", "/v1", "/v1?q=@x", "#@"]),
)
def test_no_user_info_survives(scheme: str, user_info: str, host: str, rest: str) -> None:
    shown = redact_url(f"{scheme}://{user_info}@{host}{rest}")
    assert shown == f"{scheme}://***@{host}{rest}"
