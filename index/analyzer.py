"""Turning text into index terms, per language: words, stopwords, stems, compound parts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from typing import Any

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_JOINER = re.compile(r"[-'’]")
_LANGUAGES = {"no": "norwegian", "en": "english"}
_ONE = {lang: (lang,) for lang in _LANGUAGES}
_BOTH = tuple(_LANGUAGES)  # text of another or unknown language: stemmed both ways
# A compound part shorter than this is more often a coincidence than a word.
_MIN_PART = 4
_MIN_COMPOUND = 9


_NAME_WORD = re.compile(r"[^\W_][\w'’-]*")


def is_name(word: str, *, first: bool = False) -> bool:
    """Capitalised inside a sentence, an acronym, or a word with digits."""
    if any(c.isdigit() for c in word):
        return True
    if len(word) > 1 and word.isupper():
        return True
    return word[:1].isupper() and not first


class Analyzer:
    """Norwegian and English analysis with Snowball stemmers and stopword lists.

    Text in one language is stemmed with its stemmer; text of unknown language
    and every query with both, so that a query finds either language's words.
    Norwegian writes compounds as one word ("forskningsbudsjettet"); when a
    word splits into a known word and a remainder, both parts are indexed too.
    """

    def __init__(self, vocabulary: Iterable[str] = (), *, compounds: bool = True) -> None:
        self.vocabulary = frozenset(vocabulary)
        self.compounds = compounds
        # Words repeat (most of a corpus is a few thousand words): each word's terms are
        # worked out once per analyzer. It was most of the time of building the lexical
        # index; the vocabulary does not change, so neither do they.
        self._terms_of: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}

    @cached_property
    def _stemmers(self) -> dict[str, Any]:
        import Stemmer  # lazy: a C extension

        return {lang: Stemmer.Stemmer(name) for lang, name in _LANGUAGES.items()}

    @cached_property
    def stopwords(self) -> frozenset[str]:
        from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_NORWEGIAN

        return frozenset(STOPWORDS_EN) | frozenset(STOPWORDS_NORWEGIAN)

    def words(self, text: str) -> list[str]:
        """Lower-cased words, without stopwords."""
        out: list[str] = []
        stopwords = self.stopwords
        for token in _WORD.findall(text.lower()):
            # Tested with `in`, not the pattern: most words have no joiner, and a regex
            # call per word was a third of the time of building the lexical index.
            joined = "-" in token or "'" in token or "’" in token
            pieces = _JOINER.split(token) if joined else (token,)
            for word in pieces:
                if word and word not in stopwords and not (word == "s" and out):
                    out.append(word)
        return out

    def terms(self, text: str, lang: str) -> list[str]:
        """Index terms of `text` in `lang` ("no", "en"; anything else: both)."""
        return self.terms_of_words(self.words(text), lang)

    def terms_of_words(self, words: Iterable[str], lang: str) -> list[str]:
        """Index terms of `words` (as `words` gives them) in `lang`."""
        terms: list[str] = []
        for word in words:
            terms.extend(self.word_terms(word, lang))
        return terms

    def word_terms(self, word: str, lang: str) -> tuple[str, ...]:
        """Index terms of one word (as `words` gives it) in `lang`."""
        langs = _ONE.get(lang, _BOTH)
        found = self._terms_of.get((word, langs))
        if found is None:
            found = self._terms_of[(word, langs)] = self._word_terms(word, langs)
        return found

    def _word_terms(self, word: str, langs: tuple[str, ...]) -> tuple[str, ...]:
        forms = [word, *self.parts(word)] if self.compounds else [word]
        terms: list[str] = []
        for form in forms:
            terms.extend(dict.fromkeys(self._stemmers[x].stemWord(form) for x in langs))
        return tuple(terms)

    def query_terms(self, text: str) -> list[str]:
        return list(dict.fromkeys(self.terms(text, "und")))

    def names(self, text: str) -> list[str]:
        """Words that name something: capitalised inside a sentence, acronyms, words with digits."""
        found = []
        for position, match in enumerate(_NAME_WORD.finditer(text)):
            word = match.group(0).strip("'’-").removesuffix("’s").removesuffix("'s")
            if word and is_name(word, first=position == 0) and word.lower() not in self.stopwords:
                found.append(word)
        return list(dict.fromkeys(found))

    def parts(self, word: str) -> list[str]:
        """The parts of a Norwegian compound, when its first part is a known word."""
        if len(word) < _MIN_COMPOUND or not word.isalpha():
            return []
        for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            # Joining letters: "forsknings|budsjettet", "nærings|liv".
            for stem in (head, head[:-1] if head[-1] in "se" else None):
                if stem and len(stem) >= _MIN_PART and stem in self.vocabulary:
                    return [stem, tail]
        return []
