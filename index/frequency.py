"""How common a word is in general language (wordfreq's Zipf scale), and what that tells."""

from __future__ import annotations

import re
from functools import cache

from index.exonyms import EXONYMS

# In an institution's name, a capitalised word at least this common (Zipf) in its language
# describes rather than names: across languages it is translated ("Ministry of Local
# Government" / "Kommunal- og moderniseringsdepartementet", "Committee of the Regions" /
# "regionkomiteen"). English: Ministry 4.6, Committee 5.0, Local 5.4, Education 4.9;
# Manchester 4.5, Vaasa 1.5. wordfreq ignores case, so common names score high too
# (London 5.3, John 5.4): only words inside a name joined by "of", "for", "and" count.
DESCRIPTIVE_ZIPF = 4.6
_CAPITALISED = r"[A-ZÆØÅ][\w’'-]*"
_INSTITUTION = re.compile(
    rf"{_CAPITALISED}(?:\s+(?:(?:of|for|and|on|og|for)\s+(?:the\s+)?)?{_CAPITALISED})+"
)
_CONNECTOR = re.compile(r"\s(?:of|for|and|on|og)\s")


@cache
def zipf(word: str, lang: str) -> float:
    """How common `word` is in `lang` ("en" or "nb"): 7 for "the", 3 for once per million."""
    from wordfreq import zipf_frequency  # lazy: loads a frequency table per language

    return float(zipf_frequency(word, lang))


def wordfreq_language(lang: str) -> str:
    """wordfreq's code for a language kilde detects ("no", "nb", "nn" -> "nb")."""
    return "en" if lang == "en" else "nb"


def descriptive_words(text: str, lang: str) -> frozenset[str]:
    """The common words of the institutions named in `text` ("Ministry", "Local" and
    "Government" in "the Ministry of Local Government and Modernisation"): not names to look
    for across languages. Acronyms and countries, however common, stay names."""
    found: set[str] = set()
    for match in _INSTITUTION.finditer(text):
        if not _CONNECTOR.search(match.group(0)):
            continue
        for word in re.findall(_CAPITALISED, match.group(0)):
            word = word.removesuffix("’s").removesuffix("'s")
            if word.isupper() or word.casefold() in EXONYMS:
                continue
            if zipf(word, wordfreq_language(lang)) >= DESCRIPTIVE_ZIPF:
                found.add(word)
    return frozenset(found)
