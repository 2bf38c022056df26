"""What a question asks for: its language, the kind of answer, and its salient words.

The kind comes from the question word (bokmål, nynorsk, English): "hvor mange"
wants a number, "når" a date, "hvem" a name. Its words (without stopwords and
question words) are weighted by how rare they are in the question's language
(wordfreq's general-language frequencies): common words ("said", "mente",
"ligger") carry little of what is asked; the salient ones are names
(capitalised inside the sentence, acronyms, words with digits) and rare words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.analyzer import Analyzer, is_name
from index.exonyms import EXONYMS
from index.frequency import wordfreq_language, zipf
from index.language import detect_language
from index.nynorsk import bokmal

# A word this common (Zipf scale: 6 is "the", 3 is once per million words) is not salient.
COMMON_ZIPF = 4.5
_WORD = re.compile(r"[^\W_][\w'’-]*")
QUESTION_WORDS = frozenset(
    # bokmål
    "hva hvilken hvilket hvilke hvem hvor hvorfor hvordan når mange mye slags "
    "sa sier sagt mente mener ifølge rapporten rapport "
    # nynorsk
    "kva kven kvar korleis kvifor kor mykje kva følgje "
    # English
    "what which who whom whose when where why how many much did does do say said says "
    "according report".split()
)
_KINDS = (
    (
        "number",
        r"\b(hvor (mange|mye|stor|store|høy|lang|lenge|gammel)|kor (mange|mykje|stor|høg|lang|"
        r"lenge|gamal)|how (many|much|long|old|large|big|high)|what (share|percentage|proportion|"
        r"number)|hvilken andel|hvor stor andel|kor stor del)\b",
    ),
    (
        "date",
        r"\b(når|hvilket år|hvilken dato|hvilken måned|kva år|kva tid|kva dato|when|what year|"
        r"which year|what date|which date|in what year)\b",
    ),
    ("person", r"\b(hvem|kven|who|whom|whose)\b"),
    (
        "place",
        r"\b(hvor|kvar|where|hvilket land|hvilken by|kva land|kva by|which country|which city|"
        r"what country|what city)\b",
    ),
    (
        "organisation",
        r"\b(hvilken (organisasjon|institusjon|etat|myndighet|universitet|virksomhet|bedrift|"
        r"direktorat|departement)|hvilket (universitet|direktorat|departement|selskap)|"
        r"kva (organisasjon|institusjon|universitet|direktorat)|which (organisation|organization|"
        r"institution|university|directorate|ministry|agency|company|body))\b",
    ),
    (
        "title",
        r"\b(tittel|tittelen|title|titled|called|heter|het presentasjonen|kalt)\b|"
        # What a talk was about: its title says it ("What was Yeung's presentation about?").
        r"\b(presentation|talk|lecture|presentasjon\w*|foredrag\w*|innlegg\w*)\b[^?]*"
        r"\b(about|om)\s*\??\s*$",
    ),
)


@dataclass(frozen=True)
class Term:
    word: str
    forms: tuple[str, ...]  # index terms (both stemmers, compound parts)
    weight: float  # rarer weighs more: 6 - Zipf frequency, at least 0.5
    name: bool

    @property
    def salient(self) -> bool:
        return self.name or self.weight > 6.0 - COMMON_ZIPF


@dataclass(frozen=True)
class Question:
    text: str
    lang: str  # no | en | und (nynorsk counts as no)
    kind: str  # number | date | person | place | organisation | title | other
    terms: tuple[Term, ...]

    @property
    def names(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.name)


def analyse(text: str, analyzer: Analyzer, *, default_lang: str = "en") -> Question:
    lang = detect_language(text, default=default_lang)
    return Question(text, lang, question_kind(text), tuple(_terms(text, lang, analyzer)))


def question_kind(text: str) -> str:
    lowered = text.lower()
    # The organisation pattern is more specific than person/place: try it first.
    for kind, pattern in sorted(_KINDS, key=lambda k: k[0] != "organisation"):
        if re.search(pattern, lowered):
            return kind
    return "other"


def _terms(text: str, lang: str, analyzer: Analyzer) -> list[Term]:
    terms: dict[str, Term] = {}
    for position, match in enumerate(_WORD.finditer(text)):
        word = match.group(0).strip("'’-")
        lowered = word.lower()
        if not word or lowered in analyzer.stopwords or lowered in QUESTION_WORDS:
            continue
        name = is_name(word, first=position == 0)
        frequency = zipf(lowered, wordfreq_language(lang))
        # A name is also found under its name in the other language (Norway / Norge).
        # ... and a nynorsk word under its bokmål form (forsking / forskning).
        spellings = (word, *EXONYMS.get(lowered, ()), bokmal(lowered))
        forms = tuple(dict.fromkeys(t for w in spellings for t in analyzer.terms(w, "und") if t))
        if forms and lowered not in terms:
            terms[lowered] = Term(word, forms, max(0.5, 6.0 - frequency), name)
    return list(terms.values())
