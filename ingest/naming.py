"""Naming a linked document the way the report names it.

A report prints "Charles Wessner, Georgetown University: Smart Specialization
in the U.S" and, somewhere else, a bare link to `...JPTS_OA_Wessner.pdf`.
Matching the words of the link (and initials such as "ARP" or "KM") against
the report's lines finds the caption and the passage that refers to the link.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from index.sentences import split_sentences

_STOP = frozenset(
    "www com org net no eu uk de http https html htm php aspx pdf wp content uploads "
    "contentassets assets files download en nb nn id the and of in on for to a an at "
    "with og i av til på med -".split()
)
_CAPTION_MAX = 250
_NAME_WORDS = 4
_RARE_LINES = 3


@dataclass(frozen=True)
class Passage:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class LinkName:
    title: str | None  # a caption printed in the report, if one names the link
    mentioned_in: Passage | None


@dataclass(frozen=True)
class _Token:
    word: str  # lower-cased, "z" spelled "s" (specialization / specialisation)
    acronym: bool


class LinkNamer:
    """Finds, for a link, the caption and the passage of `text` that refer to it."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines = _lines(text)
        self._sentences = [Passage(text[a:b], a, b) for a, b in split_sentences(text)]
        counts: Counter[str] = Counter()
        for line in self._lines:
            counts.update(set(_words(line.text)))
        self._idf = {w: math.log(1 + len(self._lines) / n) for w, n in counts.items()}
        # A word on at most this many lines tells one passage from the others.
        self._rare = math.log(1 + len(self._lines) / _RARE_LINES)

    def name(self, url: str) -> LinkName:
        tokens = url_tokens(url)
        if not tokens:
            return LinkName(None, None)
        # A line that carries a URL is prose around a link, not a title for it.
        captions = [p for p in self._lines if len(p.text) <= _CAPTION_MAX and "://" not in p.text]
        caption = self._best(captions, tokens)
        if caption is not None:
            caption = self._with_title_line(caption)
        mention = caption or self._best(self._sentences, tokens)
        return LinkName(" ".join(caption.text.split()) if caption else None, mention)

    def _with_title_line(self, caption: Passage) -> Passage:
        # "Name, Affiliation:" printed above the talk's title on a line of its own.
        if not caption.text.rstrip().endswith(":"):
            return caption
        following = [p for p in self._lines if p.start > caption.end]
        if not following or len(following[0].text) > _CAPTION_MAX:
            return caption
        end = following[0].end
        return Passage(self._text[caption.start : end], caption.start, end)

    def _best(self, passages: list[Passage], tokens: list[_Token]) -> Passage | None:
        best: tuple[float, Passage] | None = None
        rare = [t for t in tokens if t.acronym or self._idf.get(t.word, 0.0) >= self._rare]
        for passage in passages:
            score, matched = self._score(passage.text, tokens)
            named = _names_presenter(passage.text, rare)
            enough = (
                matched >= min(2, len(tokens))
                and matched / len(tokens) >= 0.5
                and self._score(passage.text, rare)[1] > 0
            )
            if (named or enough) and (best is None or score > best[0]):
                best = (score, passage)
        return best[1] if best else None

    def _score(self, text: str, tokens: list[_Token]) -> tuple[float, int]:
        words = set(_words(text))
        initials = _initials(text)
        score, matched = 0.0, 0
        for token in tokens:
            if token.acronym and token.word in initials:
                score, matched = score + 3.0, matched + 1
            elif token.word in words:
                score, matched = score + self._idf.get(token.word, 1.0), matched + 1
            elif len(token.word) >= 5 and any(token.word in w for w in words):
                score, matched = score + 0.5 * self._idf.get(token.word, 1.0), matched + 1
        return score, matched


def url_tokens(url: str) -> list[_Token]:
    """Distinctive words of a URL's path (and host, when the path has none)."""
    parts = urlsplit(url)
    path_words = _split_words(unquote(parts.path))
    raw = path_words or _split_words(parts.hostname or "")
    tokens: dict[str, _Token] = {}
    for word in raw:
        lower = _fold(word)
        if lower in _STOP or lower.isdigit() or len(lower) < 2 or _is_hash(lower):
            continue
        acronym = word.isupper() and 2 <= len(word) <= 4 and word.isalpha()
        if len(lower) >= 3 or acronym:
            tokens[lower] = _Token(lower, acronym)
    return list(tokens.values())


def slug_title(url: str) -> str:
    """A readable title made from the URL itself, the last resort."""
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s and not _is_hash(s.lower())]
    if not segments:
        return parts.hostname or url
    stem = re.sub(r"\.(pdf|html?|php|aspx)$", "", segments[-1], flags=re.IGNORECASE)
    # ISBN-like numbers and a trailing language code say nothing to a reader.
    pieces = [w for w in re.split(r"[-_+\s]+", stem) if w and not (w.isdigit() and len(w) >= 6)]
    if len(pieces) > 1 and pieces[-1].lower() in {"en", "no", "nb", "nn", "fr", "de"}:
        pieces.pop()
    words = " ".join(pieces)
    return (words[:1].upper() + words[1:]) if words else (parts.hostname or url)


def _names_presenter(text: str, tokens: list[_Token]) -> bool:
    """Whether the line starts with a person's name that the URL carries."""
    head = [w for w in re.split(r"[\s,:]+", text)[:_NAME_WORDS] if w[:1].isupper()]
    names = {_fold(p) for w in head for p in w.split("-") if p}
    first = "".join(_fold(p)[0] for w in head[:2] for p in w.split("-") if p)
    return any(t.word in names and len(t.word) >= 4 for t in tokens) or any(
        t.acronym and first.startswith(t.word) for t in tokens
    )


def _initials(text: str) -> set[str]:
    """Initials of runs of capitalised words ("Andrés Rodríguez-Pose" -> "arp")."""
    found: set[str] = set()
    for run in re.findall(r"(?:[A-ZÆØÅÉ][\w’'-]*\s+)*[A-ZÆØÅÉ][\w’'-]*", text):
        letters = "".join(_fold(p)[0] for w in run.split() for p in w.split("-") if p)
        found.update(
            letters[i:j] for i in range(len(letters)) for j in range(i + 2, len(letters) + 1)
        )
    return found


def _lines(text: str) -> list[Passage]:
    passages = []
    start = 0
    for line in text.split("\n"):
        if line.strip():
            passages.append(Passage(line, start, start + len(line)))
        start += len(line) + 1
    return passages


def _split_words(text: str) -> list[str]:
    # Split on punctuation and on camelCase boundaries ("GeographyDigital").
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
    return [w for w in re.split(r"[^\w]+|_", spaced) if w]


def _words(text: str) -> list[str]:
    return [_fold(w) for w in re.findall(r"\w+", text)]


def _fold(word: str) -> str:
    return word.lower().replace("z", "s")


def _is_hash(word: str) -> bool:
    return len(word) >= 16 and all(c in "0123456789abcdef" for c in word)
