"""Why a source failed, in plain words: the ingest's one-line reasons, read for a person."""

from __future__ import annotations

import re

# (pattern in the ingest's reason, label key), first match wins. The reason itself stays
# available as the details.
_KINDS = (
    (r"offline and not in the cache", "why_offline"),
    (r"cannot resolve host", "why_host_unknown"),
    (r"^(?:\w+: )?refused ", "why_refused"),
    (r"timed out|connection (?:failed|refused|reset)|did not answer|no response", "why_silent"),
    (r"\b(?:404|410)\b", "why_gone"),
    (r"\b(?:401|403)\b", "why_forbidden"),
    (r"encrypted", "why_encrypted"),
    (r"not a PDF", "why_not_pdf"),
    (r"damaged PDF|could not be parsed|parser (?:crashed|was killed|ran out)", "why_damaged"),
)
# "refused http://host/x.pdf: port 8080 is not allowed (...)": the rule is after the URL.
_RULE = re.compile(r"refused \S+: (?P<rule>.+)$")


def reason_kind(reason: str) -> str:
    """The label key of the plain reason for `reason` ("why_other" when none fits)."""
    return next((key for pattern, key in _KINDS if re.search(pattern, reason)), "why_other")


def refusing_rule(reason: str) -> str | None:
    """The safety rule a refused URL broke, as the ingest stated it."""
    found = _RULE.search(reason)
    return found.group("rule") if found else None
