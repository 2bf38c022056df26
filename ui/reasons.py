"""Why something failed, in plain words: a source's ingest reason, or an error met while
answering, checking or ingesting, read for a person in their language."""

from __future__ import annotations

import html
import re

from assistant.llm import LLMError
from index.errors import KildeIndexError, NoIndexError
from ingest.errors import IngestError
from ingest.source import REFUSED
from ui.labels import label
from ui.services import Refusal

# (pattern in the ingest's reason, label key), first match wins. The reason itself stays
# available as the details.
_KINDS = (
    (r"offline and not in the cache", "why_offline"),
    (r"cannot resolve host", "why_host_unknown"),
    (REFUSED.pattern, "why_refused"),
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


def failure_key(error: Exception) -> str:
    """The label key of the plain, reader's-language sentence for an error."""
    if isinstance(error, Refusal):
        return f"err_{error.kind}"
    if isinstance(error, NoIndexError):
        return "err_no_index"
    if isinstance(error, KildeIndexError):
        return "err_index"
    if isinstance(error, LLMError):
        return "err_llm"
    if isinstance(error, IngestError):
        return "err_ingest"
    return "err_other"


def failure_markdown(error: Exception, lang: str) -> str:
    """A short line in the reader's language, the error's own words folded under it."""
    detail = str(error).replace("`", "'")  # kept inside its code block
    return (
        f"⚠️ {label(lang, failure_key(error))}\n\n"
        f"<details><summary>{html.escape(label(lang, 'details'))}</summary>\n\n"
        f"```\n{detail}\n```\n\n</details>"
    )


def failure_html(error: Exception, lang: str, key: str | None = None) -> str:
    """As `failure_markdown`, in HTML; `key` says it in other words than the error's kind."""
    return (
        f"<p class='kilde-note'>⚠️ {html.escape(label(lang, key or failure_key(error)))}</p>"
        f"<details><summary>{html.escape(label(lang, 'details'))}</summary>"
        f"<p>{html.escape(str(error))}</p></details>"
    )
