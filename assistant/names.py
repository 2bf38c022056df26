"""Names in a claim against names in its evidence, across English and Norwegian.

A name is found when the source has it, inflected ("Universitetet" / "Universitet"),
or across languages as a cognate or exonym ("Lithuania" / "Litauen",
"Commission" / "Europakommisjonen"). A name is also checked where it stands: next to
its anchor, the nearest name before it that the source has exactly once, so that
"Fitjar fra Universitetet i Oslo" against "Fitjar, Universitetet i Stavanger" is caught.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import pairwise

from assistant.facts import country
from index.analyzer import is_name
from index.exonyms import EXONYMS, cognate
from index.frequency import descriptive_words, zipf

Token = tuple[str, bool]  # a word, and whether it is a name

_ROMAN_NUMERALS = frozenset("II III IV VI VII VIII IX XI XII".split())
_MONTH_NAMES = frozenset(
    "january february march april may june july august september october november december "
    "januar februar mars mai juni juli oktober desember".split()
)

# How alike (difflib's ratio) two names must be across languages, beyond their first letters.
_COGNATE = 0.6
# Letters a name must share with a source word across languages (Lithuania / Litauen).
_SAME_STEM = 3
# Letters that make one root whatever follows (modernis-ation / modernis-eringsdepartementet).
_SAME_ROOT = 7

_TOKEN = re.compile(r"[^\W_][\w'’-]*")
# Names this close to each other (in words) belong together: "Fitjar, Universitetet i Oslo".
_TIED = 4
# How far back in the claim a name's anchor may stand ("Rodríguez-Pose deltok i faglig
# kapasitet som professor II ved Universitetet i Bergen").
_ANCHOR_REACH = 12
# Across languages, a capitalised word this common in the claim's language (Zipf) may be a
# translated part of a name: "Conservative" (4.6); "Bergen" is 3.3, "Stavanger" 2.4.
_TRANSLATED = 4.0
# Words more frequent than this (Zipf) are no given names however capitalised: "Det", "The".
_COMMON = 5.5
# ... and a claim's given name accepted for a family name alone is rarer still: "Kari" is
# 4.4, "Kelly" 4.4; "Latin" 4.6, "Northern" 4.8 and "New" start places.
_PLAIN_GIVEN = 4.5
# How far after its anchor a tied name may stand in the source.
_NEAR = _TIED + 2


@dataclass(frozen=True)
class NameConflict:
    ours: str  # the claim's name
    theirs: str | None  # what the source names in its place (None: nothing there)


def name_conflict(
    claim: str, text: str, same_language: bool, across: str | None = None
) -> NameConflict | None:
    """A claim name the source ties to something else.

    Each claim name is checked beside its anchor: the nearest name before it in
    the claim that the source has exactly once. "Fitjar fra Universitetet i Oslo"
    against "Fitjar, Universitetet i Stavanger" gives (Oslo, Stavanger). `across`: the
    claim's language when the source is in another (see `tokens`).
    """
    claim_tokens = tokens(claim, across=across)
    source_tokens = tokens(text)
    for i, (word, name) in enumerate(claim_tokens):
        if not name or given_name(i, claim_tokens, source_tokens, same_language):
            continue
        # Across languages a common word may be translated: "the Conservative Party" is
        # "Høyre", which says nothing of a name put in its place.
        if across is not None and zipf(word.lower(), across) >= _TRANSLATED:
            continue
        anchor = _anchor(claim_tokens, i, source_tokens, same_language)
        if anchor is None:
            continue
        beside = source_tokens[anchor + 1 : anchor + 1 + _NEAR]
        near = [w for w, n in beside if n]
        # Beside the anchor as a word of any kind: English capitalises what Norwegian does
        # not ("London's first Muslim mayor" / "Londons første muslimske borgermester").
        if any(same(word, other, same_language) for other, _ in beside):
            continue
        if not found(word, source_tokens, same_language):
            # The source has another name where the claim has one it lacks (Bergen / Wasa).
            theirs = next((o for o in near if not found(o, claim_tokens, same_language)), None)
        else:
            # Both names are in the source, tied the other way round (Oslo / Stavanger).
            # A partner named after `word` in the claim, not the anchor's own group before it.
            before = claim_tokens[max(0, i - _NEAR - 1) : i]
            theirs = next(
                (
                    o
                    for o in near
                    if found(o, claim_tokens[i + 1 :], same_language)
                    and not found(o, before, same_language)
                ),
                None,
            )
        return NameConflict(word, theirs)
    return None


def given_name(
    i: int,
    claim: list[Token],
    source: list[Token],
    same_language: bool,
    wider: list[Token] | None = None,
) -> bool:
    """Whether claim token i is a given name whose family name follows it and stands in the
    source without a given name of its own ("Kelly Clarkson" / "Clarkson skiftet ..."),
    nor with another one in the `wider` text around it: "Kari Vindheim" there is someone
    else than "Ola Vindheim"."""
    if i + 1 >= len(claim) or not claim[i + 1][1]:
        return False
    # The family name ends the run of names: "Aleksander Aamodt Kilde".
    last = i + 1
    while last + 1 < len(claim) and claim[last + 1][1]:
        last += 1
    given, family = claim[i][0], claim[last][0]
    # A person's given name, not a place's first word ("New York", "Latin America").
    if _common(given, _PLAIN_GIVEN):
        return False
    here = _given_before(family, source, same_language)
    around = _given_before(family, wider or [], same_language)
    return (
        bool(here)
        and all(g is None for g in here)
        and all(g is None or same(given, g, same_language) for g in around)
    )


def _given_before(family: str, text: list[Token], same_language: bool) -> list[str | None]:
    """For each place of `family` in `text`, the given name before it, if any."""
    # A family name that starts a sentence (not a name to `tokens`) has none before it.
    return [
        text[k - 1][0] if k > 0 and name and _given(text[k - 1]) else None
        for k, (w, name) in enumerate(text)
        if same(family, w, same_language)
    ]


def _common(word: str, above: float = _COMMON) -> bool:
    """Whether `word` is more frequent than `above` (Zipf) in Norwegian or English."""
    return max(zipf(word.lower(), "nb"), zipf(word.lower(), "en")) >= above


def _given(token: Token) -> bool:
    # A line's first word is no name to `tokens`, but "Kari" before "Vindheim" is one.
    word, name = token
    return name or (word[:1].isupper() and not _common(word))


def tokens(text: str, *, heading: bool = False, across: str | None = None) -> list[Token]:
    """Words, and whether each is a name (in a heading the first word may be one too).

    `across`: the text's language (a wordfreq code) when it is compared with text in
    another; its common capitalised words are then descriptive, not names.
    """
    return list(_tokens(text, heading, across))


def phrases(text: str) -> list[str]:
    """The names in `text` as written, adjacent name words joined ("Charles Wessner",
    "DG RTD"); a lone capitalised word as common as "Europe" is left out."""
    runs: list[list[str]] = []
    end = -1
    before: tuple[str, int] | None = None  # a capitalised word that starts a sentence
    for match, (word, name) in zip(_TOKEN.finditer(text), _tokens(text, False, None), strict=True):
        if not name:
            # "«Caroline Paunov, ...": a sentence's first word may start a name.
            capitalised = word[:1].isupper() and not _common(word, _FIRST_WORD)
            before = (word, match.end()) if capitalised else None
            continue
        if runs and text[end : match.start()].strip() == "":
            runs[-1].append(word)
        elif before is not None and text[before[1] : match.start()].strip() == "":
            runs.append([before[0], word])
        else:
            runs.append([word])
        before = None
        end = match.end()
    return [
        " ".join(run)
        for run in runs
        if len(run) > 1 or run[0].isupper() or not _common(run[0], _PHRASE_COMMON)
    ]


def is_person(phrase: str) -> bool:
    """Whether a name phrase (`phrases`) looks like a person's: two words or more, none
    after the first (a given name, a title) a common word ("Markku Markkula", "Kevin
    Morgan"), none an acronym (not "Regional Studies Association", "OECD Directorate")."""
    words = phrase.split()
    return (
        len(words) > 1
        and not any(len(w) > 1 and w.isupper() for w in words)
        and not any(_common(w, _FAMILY) for w in words[1:])
    )


# A family name is rarer than this (Zipf) in both languages: "Morgan" is 4.4, "Norge" 6.2,
# "Association" 5.0, "Minister" 5.0.
_FAMILY = 4.5
# A sentence's first word this common (Zipf) does not start a name: "The", "Hva", "Og".
_FIRST_WORD = 5.0
# A capitalised word this common (Zipf) alone is no name worth carrying: "Europe" is 5.2.
_PHRASE_COMMON = 4.5


# What stands between a sentence's (or a quoted title's) first word and the word before.
_STARTS = re.compile(r"([.!?:\n]\s*|['‘«\"“]|\n\s*[–—-]\s*)$")


@lru_cache(maxsize=128)
def _tokens(text: str, heading: bool, across: str | None) -> tuple[Token, ...]:
    # A claim's evidence is tokenised for every claim name and candidate: once is enough.
    # A check reads a few dozen texts (some a document's passages): 128 keeps one check's.
    out = []
    described = descriptive_words(text, across) if across is not None else frozenset()
    end = 0
    for position, match in enumerate(_TOKEN.finditer(text)):
        word = match.group(0).strip("'’-").removesuffix("’s").removesuffix("'s")
        # A sentence's or a quoted title's first word is capitalised anyway.
        first = not heading and (
            position == 0 or _STARTS.search(text, end, match.start()) is not None
        )
        end = match.end()
        # Numbers and months are compared as such, not as names.
        name = (
            is_name(word, first=first)
            and len(word) > 1
            and not any(c.isdigit() for c in word)
            and word.lower() not in _MONTH_NAMES
            and word not in _ROMAN_NUMERALS
            and word not in described
        )
        out.append((word, name))
    return tuple(out)


def _anchor(claim: list[Token], i: int, source: list[Token], same_language: bool) -> int | None:
    """Where in the source the nearest claim name before token i stands, if it stands
    there once (a name the source repeats anchors nothing)."""
    for j in range(i - 1, max(-1, i - _ANCHOR_REACH - 1), -1):
        word, name = claim[j]
        if not name:
            continue
        places = [k for k, (other, _) in enumerate(source) if same(word, other, same_language)]
        if len(places) == 1:
            return places[0]
    return None


def found(word: str, tokens: list[Token], same_language: bool) -> bool:
    return any(same(word, other, same_language) for other, _ in tokens)


def same(a: str, b: str, same_language: bool) -> bool:
    """The same word, allowing for inflection, and across languages for cognates and
    compounds ("Commission" / "Europakommisjonen", "Lithuania" / "Litauen")."""
    # A name's Norwegian genitive: EU / EUs, Bø / Bøs, Bjørndalen / Bjørndalens; not a
    # common word and another one ("Han" / "Hans", "Å" / "Ås").
    short = a if b == a + "s" else b if a == b + "s" else None
    if short is not None and ((len(short) > 1 and short.isupper()) or not _common(short)):
        return True
    # A country and its adjective as Norwegian writes it, in lower case: US / amerikanske,
    # Norge / norske. Two names ("Norwegian" the airline, "Norway") are not one.
    place = country(a)
    if (a.islower() or b.islower()) and place is not None and place == country(b):
        return True
    # Hyphens come and go across languages: Vice-President / visepresident.
    a, b = a.casefold().replace("-", ""), b.casefold().replace("-", "")
    if a == b:
        return True
    if min(len(a), len(b)) >= 5 and a[:-2] == b[: len(a) - 2]:
        return True  # Universitetet / Universitet, Nordland / Nordlands
    if same_language:
        return False
    if _exonym(a, b) or _exonym(b, a):
        return True
    x, y = cognate(a), cognate(b)
    if (len(x) >= 6 and x in y) or (len(y) >= 6 and y in x):
        return True
    # One root, other endings and compounds: Modernisation / moderniseringsdepartementet.
    if len(x) >= _SAME_ROOT and len(y) >= _SAME_ROOT and x[:_SAME_ROOT] == y[:_SAME_ROOT]:
        return True
    # Names change their endings across languages: Litauen / Lithuania, Sevilla / Seville.
    return x[:_SAME_STEM] == y[:_SAME_STEM] and SequenceMatcher(None, x, y).ratio() >= _COGNATE


def _exonym(english: str, other: str) -> bool:
    # Inflected too: Norges, Noregs, Tysklands.
    return any(
        other.startswith(form) and len(other) - len(form) <= 2 for form in EXONYMS.get(english, ())
    )


# Words that join names into a list, which has no order to swap: "Oslo og Bergen".
_JOINING = frozenset("og and or eller samt , & with med".split())
# How many words may stand between two names whose order is compared.
_SWAP_REACH = 8


def swapped(claim: str, text: str, same_language: bool) -> tuple[str, str] | None:
    """Two names the claim relates in one order and the source in the other: "Pete Best
    overtok for Ringo Starr" / "Ringo Starr overtok for Best". Returns the claim's two names
    in its order. Names only joined ("Oslo og Bergen") have no order."""
    ours, theirs = tokens(claim), tokens(text)
    if len(ours) > 1 and ours[1][1] and ours[0][0][:1].isupper():
        ours[0] = (ours[0][0], True)  # a given name first in the sentence: "Silje Moe ..."
    groups = _groups(ours)
    for (a_start, a_end), (b_start, b_end) in pairwise(groups):
        between = [w.casefold() for w, _ in ours[a_end:b_start]]
        if not between or len(between) > _SWAP_REACH or set(between) <= _JOINING:
            continue
        a = _place(ours[a_end - 1][0], theirs, same_language)
        b = _place(ours[b_end - 1][0], theirs, same_language)
        if a is None or b is None or not 0 < a - b <= _SWAP_REACH + 2:
            continue
        # The same relation between them: a word they share (so a claim in another
        # language, reworded, is not compared).
        theirs_between = {w.casefold()[:5] for w, _ in theirs[b + 1 : a]}
        if not {w[:5] for w in between if len(w) > 2} & theirs_between:
            continue
        first = " ".join(w for w, _ in ours[a_start:a_end])
        second = " ".join(w for w, _ in ours[b_start:b_end])
        return first, second
    return None


def _groups(text: list[Token]) -> list[tuple[int, int]]:
    """(start, end) of each run of names: one person or institution."""
    runs: list[tuple[int, int]] = []
    for i, (_, name) in enumerate(text):
        if not name:
            continue
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _place(word: str, text: list[Token], same_language: bool) -> int | None:
    """Where `word` stands in `text`, if it stands there once."""
    places = [k for k, (w, _) in enumerate(text) if same(word, w, same_language)]
    return places[0] if len(places) == 1 else None
