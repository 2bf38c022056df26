"""The login check `kilde serve` gives Gradio: password hashes, and a throttle on failures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from ui.passwords import PasswordHash
from ui.throttle import Throttle

# Names not in the file share one throttle key: guesses at unknown names are slowed as
# well, and cannot fill memory with one entry per made-up name.
_UNKNOWN = ""


@dataclass
class Login:
    """Called by Gradio with (username, password) for each attempt at /login. Gradio does
    not pass the client's address, so failures are counted per user name."""

    users: Mapping[str, PasswordHash]
    throttle: Throttle = field(default_factory=Throttle)

    def __call__(self, username: str, password: str) -> bool:
        known = username in self.users
        key = username if known else _UNKNOWN
        if not self.throttle.allows(key):
            return False
        stored = self.users[username] if known else _decoy()
        if stored.matches(password) and known:
            self.throttle.succeeded(key)
            return True
        self.throttle.failed(key)
        return False


@cache
def _decoy() -> PasswordHash:
    # Checked for unknown names, so that they take as long as known ones.
    return PasswordHash.of("kilde: no such user")
