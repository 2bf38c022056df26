"""The Retry-After header: how long a server asks a client to wait, in seconds."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime

# Delay-seconds: RFC 9110 says a non-negative integer; some servers send "1.5", which
# means what it says. No sign, exponent, "inf" or "nan": those are not delays.
_SECONDS = re.compile(r"\d+(?:\.\d*)?|\.\d+")


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait, from delay-seconds ("120", "1.5") or an HTTP-date.

    A date in the past means 0 (retry now); a value that is neither means None.

    >>> parse_retry_after("1.5")
    1.5
    >>> parse_retry_after("Mon, 01 Jan 2024 12:00:30 GMT", datetime(2024, 1, 1, 12, tzinfo=UTC))
    30.0
    >>> parse_retry_after("soon") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    if _SECONDS.fullmatch(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, origin unknown
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
