"""URLs shown to people without the credentials they carry."""

from __future__ import annotations

import re

# Scheme, "//", then the authority up to the path, query or fragment. A parser that also
# ends the authority at "\" (browsers do, for http) sees at most this much user info.
_AUTHORITY = re.compile(r"(\s*[A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)")


def redact_url(url: str) -> str:
    """The URL with its user info, whatever it is, replaced by "***"; all else as written.

    The user name goes too, not only the password: tokens are often given as the user
    name, alone (`https://TOKEN@host`) or with a dummy password (`TOKEN:x-oauth-basic`).
    The host stays exactly as written: case, an IPv6 address's brackets, the port.
    Text that is not a URL with user info comes back unchanged.

    >>> redact_url("http://u:p%40ss@[::1]:8080/v1")
    'http://***@[::1]:8080/v1'
    >>> redact_url("https://tok@Host.example/v1?q=a@b")
    'https://***@Host.example/v1?q=a@b'
    """
    match = _AUTHORITY.match(url)
    if match is None or "@" not in match.group(2):
        return url
    host = match.group(2).rpartition("@")[2]
    return f"{match.group(1)}***@{host}{url[match.end() :]}"
