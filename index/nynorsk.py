"""Nynorsk words in their bokmål form, so that a nynorsk claim meets a bokmål source.

Snowball's Norwegian stemmer knows bokmål endings; nynorsk's differ in a few regular
ways (strategiar / strategier, viktigare / viktigere, landa / landene) and in its
commonest words (ikkje, kva, frå). Only those are mapped: enough for word overlap,
not a translation.
"""

from __future__ import annotations

_WORDS = {
    "ikkje": "ikke", "kva": "hva", "kven": "hvem", "korleis": "hvordan", "kvifor": "hvorfor",
    "frå": "fra", "ein": "en", "eit": "et", "eitt": "ett", "berre": "bare", "mykje": "mye",
    "vert": "blir", "vart": "ble", "blei": "ble", "desse": "disse", "dei": "de", "ho": "hun",
    "seier": "sier", "no": "nå", "òg": "også", "au": "også", "heile": "hele",
    "kvar": "hver", "kvart": "hvert", "nokon": "noen", "noko": "noe",
    "inga": "ingen", "utan": "uten", "ligg": "ligger",
    "fekk": "fikk", "gjekk": "gikk", "vore": "vært",
    "vere": "være", "meir": "mer", "fleire": "flere", "sjølv": "selv", "dessutan": "dessuten",
    "ifølgje": "ifølge", "landa": "landene", "forsking": "forskning", "verksemd": "virksomhet",
    "verksemda": "virksomheten", "tilsette": "ansatte",
    "auka": "økte", "auke": "øke", "aukar": "øker",
    "døme": "eksempel", "dømet": "eksempelet", "stad": "sted", "staden": "stedet",
    "nemnde": "nevnte", "nemner": "nevner", "nemne": "nevne", "meinte": "mente",
    "meiner": "mener", "medan": "mens", "saman": "sammen", "difor": "derfor", "kor": "hvor",
    "fortalde": "fortalte", "skreiv": "skrev", "peika": "pekte", "heitte": "het",
    "gong": "gang", "gongen": "gangen", "spurde": "spurte",
}  # fmt: skip
# Endings, longest first: (nynorsk, bokmål), for words at least this long.
_ENDINGS = (("ane", "ene"), ("are", "ere"), ("ast", "est"), ("ar", "er"))
_MIN_LENGTH = 6


def bokmal(word: str) -> str:
    """`word` (lower case) as bokmål would most likely write it; itself when unknown."""
    if word in _WORDS:
        return _WORDS[word]
    if len(word) >= _MIN_LENGTH:
        for ending, replacement in _ENDINGS:
            if word.endswith(ending):
                return word[: -len(ending)] + replacement
    return word
