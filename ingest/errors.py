"""Errors meant for people: `str(error)` is a one-line reason that says what to do."""

from __future__ import annotations


class IngestError(Exception):
    """Base for every ingestion failure a user can act on."""


class FetchError(IngestError):
    """A download failed. `retryable` says whether trying again later may help."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class UnsafeURLError(FetchError):
    """A URL was refused before any request: scheme, credentials, port or address."""


class ParseError(IngestError):
    """A file could not be turned into text (broken, encrypted, empty, too large)."""


class SkippedError(IngestError):
    """A source deliberately left out: unsupported type, encrypted, or without text."""
