"""Choosing which links found in a root source to follow."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.reflow import UrlMention
from ingest.url import normalise_url


@dataclass(frozen=True)
class Link:
    """A link to follow: its normalised URL and where it first stood in the text."""

    url: str
    written: str
    offset: int


@dataclass(frozen=True)
class DroppedLink:
    url: str
    reason: str


class LinkPolicy:
    """Normalises, de-duplicates and filters links by the configured drop rules."""

    def __init__(self, drop: Sequence[str], max_links: int) -> None:
        try:
            self._drop = [re.compile(pattern, re.IGNORECASE) for pattern in drop]
        except re.error as error:
            raise ValueError(f"links.drop has an invalid regular expression: {error}") from error
        self._max_links = max_links

    def select(self, mentions: Sequence[UrlMention]) -> tuple[list[Link], list[DroppedLink]]:
        kept: dict[str, Link] = {}
        dropped: dict[str, DroppedLink] = {}
        for mention in mentions:
            try:
                url = normalise_url(mention.written)
            except ValueError as error:
                dropped.setdefault(mention.written, DroppedLink(mention.written, str(error)))
                continue
            if url in kept or url in dropped:
                continue
            rule = next((r.pattern for r in self._drop if r.search(url)), None)
            if rule is not None:
                dropped[url] = DroppedLink(url, f"matches links.drop rule {rule!r}")
            elif len(kept) >= self._max_links:
                dropped[url] = DroppedLink(
                    url, f"more than {self._max_links} links (links.max_links)"
                )
            else:
                kept[url] = Link(url=url, written=mention.written, offset=mention.offset)
        return list(kept.values()), list(dropped.values())
