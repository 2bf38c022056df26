"""Splitting text into sentences, as character spans into the original text."""

from __future__ import annotations

import re

# Abbreviations after which a full stop does not end a sentence (lower-cased).
_ABBREVIATIONS = frozenset(
    "bl.a m.fl f.eks dvs d.v.s etc ca jf kap nr mht vs e.g i.e cf al dr mr mrs ms prof "
    "st no fig vol pp p s inc ltd co dept u.s u.k e.u mill mrd".split()
)
# A candidate end: terminal punctuation, optional closing quotes or brackets, then space.
_END = re.compile(r"[.!?…]+[»”\"')\]]*(?=\s)")
_PARAGRAPH = re.compile(r"\n\s*\n")
_LINE = re.compile(r"\n")
_NEXT = re.compile(r"\s*(\S)")
_WORD = re.compile(r"(\S+)$")
_INITIALS = re.compile(r"[^\W\d_](?:\.[^\W\d_]){1,2}")
# The word before a full stop is read from at most this many characters back: longer
# "words" (URLs, runs of symbols) are never abbreviations or initials.
_WORD_LOOKBACK = 64


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans `(start, end)` of the sentences in `text`, trimmed of surrounding space.

    A sentence ends at terminal punctuation followed by an upper-case letter,
    digit or opening quote, at a blank line, or at a line break that is not
    followed by a lower-case continuation (slides and lists end lines without
    punctuation). Every non-space character belongs to exactly one span.
    """
    cuts = sorted(set(_cuts(text)))
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in [*cuts, len(text)]:
        span = _trim(text, start, cut)
        if span is not None:
            spans.append(span)
        start = cut
    return spans


def _cuts(text: str) -> list[int]:
    cuts = [m.end() for m in _PARAGRAPH.finditer(text)]
    for m in _LINE.finditer(text):
        following = text[m.end() : m.end() + 1]
        if following and not following.islower():
            cuts.append(m.end())
    for m in _END.finditer(text):
        if _ends_sentence(text, m.start(), m.end()):
            cuts.append(m.end())
    return cuts


def _ends_sentence(text: str, dot: int, end: int) -> bool:
    # Both looks are anchored at the punctuation, never at the text's ends: a look at
    # the whole rest (or the whole start) per candidate made splitting quadratic.
    after = _NEXT.match(text, end)
    following = after.group(1) if after else ""
    if not following or following.islower() or following in ",;:":
        return False
    if text[dot] != ".":
        return True
    word = _WORD.search(text, max(0, dot - _WORD_LOOKBACK), dot)
    token = word.group(1).lower().lstrip("(«“\"'") if word else ""
    if token in _ABBREVIATIONS or token.rstrip(".") in _ABBREVIATIONS:
        return False
    # Initials ("A. Smith", "D.W. Griffith") and ordinals ("25. september") are not ends;
    # lower-case abbreviations of that shape ("m.m.", "o.l.") may be.
    raw = word.group(1).lstrip("(«“\"'") if word else ""
    initials = (len(token) == 1 and token.isalpha()) or (
        _INITIALS.fullmatch(token) is not None and raw.isupper()
    )
    return not initials and not (token.isdigit() and len(token) <= 2)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
