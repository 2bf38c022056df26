"""Cleaning model output: only links to the sources themselves, no images, no HTML."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]*)[^)]*\)")
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]]+")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_MARKER = re.compile(r"\[(\d{1,3})\]")


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
        if match.group(0).rstrip(".,;:") in allowed_urls:
            return match.group(0)
        removed.append(f"link {match.group(0)}")
        return "[link removed]"

    text = _IMAGE.sub(image, text)
    text = _LINK.sub(link, text)
    text = _protect_links(text, bare)
    if _TAG.search(text):
        removed.append("HTML tags")
        text = _TAG.sub("", text)
    return text, removed


def _protect_links(text: str, replace: Callable[[re.Match[str]], str]) -> str:
    # Bare URLs outside markdown links only: split around the kept [text](url) links.
    pieces = re.split(r"(\[[^\]]+\]\([^)]*\))", text)
    return "".join(
        piece if piece.startswith("[") else _BARE_URL.sub(replace, piece) for piece in pieces
    )


def markers(sentence: str) -> list[int]:
    return [int(n) for n in _MARKER.findall(sentence)]


def strip_markers(sentence: str) -> str:
    return re.sub(r"\s*\[\d{1,3}\]", "", sentence).strip()
