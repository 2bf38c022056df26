"""Reflowing hard-wrapped plain text into whole sentences and paragraphs.

Text exported from a word processor (like the bundled report) breaks lines
every ~100 characters, double-spaces bulleted lines, and drops blocks of bare
URLs between two halves of a sentence ("i land" ... URLs ... "utenfor Europa.").
Sentence splitting, chunking and citations all need whole sentences back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_URL_LINE = re.compile(r"^(?:https?://\S+\s*)+$")
_URL = re.compile(r"https?://\S+")
_BULLET = re.compile(r"^(?:[•◦▪‣∙·*\-–]\s+|\d{1,2}[.)]\s+)")
_END = tuple('.!?:;»”")')
# A line at least this long that stops without punctuation was wrapped, not ended.
_WRAPPED_MIN = 70
_INDENT = 4


@dataclass(frozen=True)
class UrlMention:
    """A URL written in the text, and where it stood in the reflowed text."""

    written: str
    offset: int


@dataclass(frozen=True)
class ReflowedText:
    text: str
    urls: tuple[UrlMention, ...]


def reflow(raw: str) -> ReflowedText:
    """Join wrapped lines, move bare-URL lines out of the prose, keep paragraphs."""
    out: list[str] = []
    urls: list[UrlMention] = []
    lines = [
        (" ".join(raw_line.split()), _is_bullet(raw_line))
        for raw_line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if raw_line.strip()
    ]
    prose = [i for i, (line, _) in enumerate(lines) if not _URL_LINE.match(line)]
    following = dict(zip(prose, [*prose[1:], None], strict=True))
    prev = ""
    for i, (line, bullet) in enumerate(lines):
        if i not in following:
            position = sum(len(piece) for piece in out)
            urls.extend(UrlMention(u, position) for u in line.split())
            continue
        nxt = following[i]
        next_is_bullet = nxt is not None and lines[nxt][1]
        heading = len(line) < _WRAPPED_MIN and (line.endswith(":") or next_is_bullet)
        out.append(_separator(prev, line, bullet=bullet, heading=heading) + line)
        prev = line
    text = "".join(out)
    inline = [UrlMention(m.group(0), m.start()) for m in _URL.finditer(text)]
    return ReflowedText(text=text, urls=tuple(sorted(urls + inline, key=lambda u: u.offset)))


def _is_bullet(raw_line: str) -> bool:
    indent = len(raw_line) - len(raw_line.lstrip(" \t"))
    return indent >= _INDENT or bool(_BULLET.match(raw_line.lstrip()))


def _separator(prev: str, line: str, *, bullet: bool, heading: bool) -> str:
    if not prev:
        return ""
    if bullet:
        return "\n"
    if line[0].islower():
        # "agro-" + "food": a word broken at its own hyphen stays one word.
        return "" if prev.endswith("-") and prev[-2:-1].isalpha() else " "
    if heading or prev.endswith(_END) or len(prev) < _WRAPPED_MIN:
        return "\n\n"
    return " " if _continues(prev, line) else "\n\n"


def _continues(prev: str, line: str) -> bool:
    """Whether a wrapped line that is followed by a capital letter runs on.

    In prose a line breaks before a capital only inside a name or a title
    ("... Less Developed" / "European Regions"), after a comma or a short
    function word, or before a person's name ("deriblant" / "Artur Santoalha").
    """
    last = prev.rsplit(" ", 1)[-1]
    words = line.split(" ", 2)
    starts_with_name = len(words) > 1 and all(w[:1].isupper() for w in words[:2])
    return (
        prev.endswith((",", "-", "–", "("))
        or last[:1].isupper()
        or last[:1].isdigit()
        or (last.isalpha() and len(last) <= 3)
        or starts_with_name
    )
