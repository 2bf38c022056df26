"""The password file of `kilde serve --auth-file`: one `user:scrypt$n$r$p$salt$hash` a line."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ui.config import ConfigError

SCHEME = "scrypt"
# scrypt's usual interactive cost: 16 MiB and some 50 ms a check, so a stolen file is slow
# to guess through, and a login is not.
N, R, P = 2**14, 8, 1
_SALT_BYTES = 16
_HASH_BYTES = 32
# A file's parameters cannot make one check take more memory than this.
_MAX_MEMORY = 64 * 1024 * 1024


@dataclass(frozen=True)
class PasswordHash:
    """A salted scrypt hash and the parameters it was made with."""

    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    @classmethod
    def of(cls, password: str) -> PasswordHash:
        """A new hash of `password`, with a fresh random salt."""
        salt = secrets.token_bytes(_SALT_BYTES)
        return cls(N, R, P, salt, _scrypt(password, salt, N, R, P))

    @classmethod
    def parse(cls, text: str) -> PasswordHash:
        """`scrypt$n$r$p$salt_b64$hash_b64` (ValueError if it is not one)."""
        scheme, n, r, p, salt, digest = text.split("$")
        if scheme != SCHEME:
            raise ValueError(f"unknown scheme {scheme!r}")
        found = cls(int(n), int(r), int(p), _b64(salt), _b64(digest))
        if len(found.salt) < _SALT_BYTES or len(found.digest) < _HASH_BYTES:
            raise ValueError("the salt or the hash is too short")
        if found.n < 2 or found.n & (found.n - 1) or found.r < 1 or found.p < 1:
            raise ValueError("n must be a power of two, r and p at least 1")
        if _memory(found.n, found.r, found.p) > _MAX_MEMORY:
            raise ValueError("the parameters need too much memory")
        return found

    def text(self) -> str:
        salt = base64.b64encode(self.salt).decode("ascii")
        digest = base64.b64encode(self.digest).decode("ascii")
        return f"{SCHEME}${self.n}${self.r}${self.p}${salt}${digest}"

    def matches(self, password: str) -> bool:
        tried = _scrypt(password, self.salt, self.n, self.r, self.p, len(self.digest))
        return hmac.compare_digest(tried, self.digest)


def read_auth_file(path: Path) -> dict[str, PasswordHash]:
    """Each user's hash; a plaintext password or a malformed line is a ConfigError that
    names the line and says how to mend it."""
    lines = _lines(path)
    users: dict[str, PasswordHash] = {}
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, stored = line.partition(":")
        if not sep or not user or not stored:
            raise ConfigError(
                f"{path} line {number}: expected user:password-hash; "
                f"add users with `kilde passwd USER --auth-file {path}`"
            )
        if not stored.startswith(SCHEME + "$"):
            raise ConfigError(
                f"{path} line {number} holds a plaintext password for {user!r}; "
                f"store it hashed with `kilde passwd {user} --auth-file {path}`"
            )
        try:
            users[user] = PasswordHash.parse(stored)
        except (ValueError, TypeError) as error:
            raise ConfigError(
                f"{path} line {number}: the password hash of {user!r} is damaged ({error}); "
                f"set it again with `kilde passwd {user} --auth-file {path}`"
            ) from error
    if not users:
        raise ConfigError(
            f"{path} holds no user; add one with `kilde passwd USER --auth-file {path}`"
        )
    return users


def set_password(path: Path, user: str, password: str) -> None:
    """Write `user`'s line as a new hash, keeping every other line; the file is replaced
    whole, readable by its owner only."""
    if not user or ":" in user or user != user.strip():
        raise ConfigError(f"invalid user name {user!r}: no colon, no surrounding spaces")
    if not password:
        raise ConfigError("the password is empty")
    entry = f"{user}:{PasswordHash.of(password).text()}"
    lines = _lines(path) if path.exists() else []
    kept = [line for line in lines if line.strip().partition(":")[0] != user]
    _write_private(path, "\n".join([*kept, entry]) + "\n")


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ConfigError(f"cannot read the password file {path}: {error.strerror}") from error


def _write_private(path: Path, text: str) -> None:
    # A temporary file beside the target, then a rename: a reader sees the old file or
    # the new one, never half of one. mkstemp creates it with mode 0600.
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            Path(temporary).chmod(0o600)
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise ConfigError(f"cannot write the password file {path}: {error.strerror}") from error


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int = _HASH_BYTES) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=_memory(n, r, p) + 1024 * 1024,
        dklen=length,
    )


def _memory(n: int, r: int, p: int) -> int:
    return 128 * r * (n + p + 2)


def _b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)
