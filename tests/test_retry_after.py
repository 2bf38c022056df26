"""parse_retry_after: delay-seconds or an HTTP-date, for the fetcher and the LLM client."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.retry_after import parse_retry_after

NOW = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0", 0.0),
        ("7", 7.0),
        (" 120 ", 120.0),
        ("1.5", 1.5),
        ("0.25", 0.25),
        ("2.", 2.0),
        (".5", 0.5),
        ("Mon, 01 Jan 2024 12:00:30 GMT", 30.0),
        ("Mon, 01 Jan 2024 13:00:00 +0100", 0.0),  # the same instant, another zone
        ("Mon, 01 Jan 2024 12:00:30 -0000", 30.0),  # no zone known: UTC
        ("Mon, 01 Jan 2024 11:00:00 GMT", 0.0),  # in the past: now
        ("Sat, 01 Jan 2000 00:00:00 GMT", 0.0),
    ],
)
def test_delays_and_dates(value: str, seconds: float) -> None:
    assert parse_retry_after(value, NOW) == seconds


@pytest.mark.parametrize(
    "value",
    [None, "", "  ", "soon", "-1", "-0.5", "+5", "1e3", "inf", "nan", "1_000", "7s", "1.2.3"],
)
def test_anything_else_is_none(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None


def test_now_defaults_to_the_clock() -> None:
    soon = datetime.now(UTC) + timedelta(seconds=60)
    after = parse_retry_after(soon.strftime("%a, %d %b %Y %H:%M:%S GMT"))
    assert after is not None and 50 < after <= 60


@given(st.text(max_size=40))
def test_never_raises_and_never_negative(value: str) -> None:
    after = parse_retry_after(value, NOW)
    assert after is None or (after >= 0 and math.isfinite(after))
