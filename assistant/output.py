"""Cleaning model output: only links to the sources themselves, no images, no HTML."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]*)[^)]*\)")
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]]+")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# [1], and lists like [1, 2] or [1,2,3] that models write despite the prompt.
_MARKER = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_AFTER_STOP = re.compile(r"([.!?…]+)((?:[ \t]*" + _MARKER.pattern + r")+)")
_KEPT_LINK = re.compile(r"(\[[^\]]+\]\([^)]*\))")
_TRAILING = ".,;:!?"


def clean_output(text: str, allowed_urls: Collection[str]) -> tuple[str, list[str]]:
    """The text with foreign links and every image removed; and what was removed."""
    removed: list[str] = []

    def image(match: re.Match[str]) -> str:
        removed.append(f"image {match.group(2)}")
        return match.group(1)

    def link(match: re.Match[str]) -> str:
        if match.group(2) in allowed_urls:
            return match.group(0)
        removed.append(f"link {match.group(2)}")
        return match.group(1)

    def bare(match: re.Match[str]) -> str:
        url = match.group(0).rstrip(_TRAILING)
        if url in allowed_urls:
            return match.group(0)
        removed.append(f"link {url}")
        return "[link removed]" + match.group(0)[len(url) :]  # the sentence keeps its full stop

    text = _IMAGE.sub(image, text)
    text = _LINK.sub(link, text)
    text = _protect_links(text, bare)
    if _TAG.search(text):
        removed.append("HTML tags")
        text = _TAG.sub("", text)
    return text, removed


def _protect_links(text: str, replace: Callable[[re.Match[str]], str]) -> str:
    # Bare URLs outside markdown links only: split around the kept [text](url) links.
    # The split alternates text and links (odd indices); text may start with "[" too.
    pieces = _KEPT_LINK.split(text)
    return "".join(
        piece if i % 2 else _BARE_URL.sub(replace, piece) for i, piece in enumerate(pieces)
    )


def attach_markers(text: str) -> str:
    """Markers written after a sentence's full stop ("It grew. [1]") moved before it.

    Else the sentence would end without its markers and they would open the next one.
    """
    return _AFTER_STOP.sub(lambda m: m.group(2) + m.group(1), text)


def markers(sentence: str) -> list[int]:
    return [int(n) for group in _MARKER.findall(sentence) for n in group.split(",")]


def strip_markers(sentence: str) -> str:
    plain = re.sub(r"\s*" + _MARKER.pattern, "", sentence).strip()
    # "It grew. [1]." leaves a stop too many (an ellipsis stays).
    return re.sub(r"(?<!\.)([.!?])\s*\.$", r"\1", plain)
