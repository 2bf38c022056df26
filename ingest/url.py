"""Normalising URLs so that one document has one name."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

# Characters that often stick to a URL printed in prose but never end one.
_TRAILING = ".,;:!?)]}>»”’'\""
_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)$", re.IGNORECASE)
# RFC 3986 unreserved characters need no escaping; everything else stays as written.
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY = _SAFE_PATH + "?"


def strip_trailing_punctuation(url: str) -> str:
    """Drop punctuation a sentence added after a URL, keeping balanced parentheses."""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def normalise_url(url: str) -> str:
    """A canonical form: lower-case scheme and host, no default port, no fragment,
    no tracking parameters, consistent percent-escapes. Idempotent.

    Raises ValueError for anything that is not an absolute http(s) URL.
    """
    url = strip_trailing_punctuation(url.strip())
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{netloc}"
    path = _requote(parts.path, _SAFE_PATH) or "/"
    query = "&".join(
        _requote(pair, _SAFE_QUERY)
        for pair in parts.query.split("&")
        if pair and not _TRACKING.match(pair.split("=", 1)[0])
    )
    # Punctuation that ended up last once the fragment went ("/:#top") goes too.
    return strip_trailing_punctuation(urlunsplit((scheme, netloc, path, query, "")))


def _requote(text: str, safe: str) -> str:
    # Unquote then quote, but keep escaped reserved characters escaped (%2F stays %2F).
    pieces = re.split(r"(%(?:2[fF]|3[fF]|26|3[dD]|23|25|2[bB]))", text)
    out = []
    for i, piece in enumerate(pieces):
        out.append(piece.upper() if i % 2 else quote(unquote(piece), safe=safe.replace("%", "")))
    return "".join(out)


def url_path_suffix(url: str) -> str:
    """The lower-cased extension of the URL's path (".pdf"), or ""."""
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
