"""Errors meant for people: what failed, and what to do about it."""

from __future__ import annotations


class KildeIndexError(Exception):
    """Base for index failures a user can act on."""


class NoIndexError(KildeIndexError):
    """There is no index yet."""


class IndexMismatchError(KildeIndexError):
    """The index was built with another embedder or chunker than the config asks for."""


class IndexCorruptError(KildeIndexError):
    """A file of the index does not match its recorded checksum, or cannot be read."""


class EmbedderUnavailableError(KildeIndexError):
    """The configured embedding backend cannot be loaded here."""
