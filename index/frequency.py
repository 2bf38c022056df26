"""How common a word is in general language (wordfreq's Zipf scale), and what that tells."""

from __future__ import annotations

from functools import cache

from index.exonyms import EXONYMS

# A capitalised word at least this common (Zipf) in its language describes rather than
# names: across languages it is translated ("Ministry of Local Government" /
# "Kommunal- og moderniseringsdepartementet", "Committee of the Regions" /
# "regionkomiteen"). Proper names are rarer: Manchester 4.5, Bergen 3.3, Vaasa 1.5;
# Ministry 4.6, Committee 5.0, Local 5.4, Education 4.9.
DESCRIPTIVE_ZIPF = 4.6


@cache
def zipf(word: str, lang: str) -> float:
    """How common `word` is in `lang` ("en" or "nb"): 7 for "the", 3 for once per million."""
    from wordfreq import zipf_frequency  # lazy: loads a frequency table per language

    return float(zipf_frequency(word, lang))


def wordfreq_language(lang: str) -> str:
    """wordfreq's code for a language kilde detects ("no", "nb", "nn" -> "nb")."""
    return "en" if lang == "en" else "nb"


def descriptive(word: str, lang: str) -> bool:
    """A capitalised common word ("Ministry", "Education"), not a name: acronyms and
    countries (however common) stay names."""
    if word.isupper() or word.casefold() in EXONYMS:
        return False
    return zipf(word, wordfreq_language(lang)) >= DESCRIPTIVE_ZIPF
