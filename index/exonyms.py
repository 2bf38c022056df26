"""Names across English and Norwegian: exonyms, and English spellings made Norwegian.

A name in an English question must be recognised in a Norwegian corpus (and the
reverse): "Lithuania" is "Litauen", "Norway" is "Norge" or "Noreg". Names that
differ only in their ending (Seville / Sevilla) need no entry: they are matched
by their letters (LexicalIndex.knows).
"""

from __future__ import annotations

import re

# English -> Norwegian (bokmål, and nynorsk where it differs), lower-case.
EXONYMS: dict[str, tuple[str, ...]] = {
    "norway": ("norge", "noreg"),
    "norwegian": ("norsk", "norske"),
    "sweden": ("sverige",),
    "swedish": ("svensk", "svenske"),
    "denmark": ("danmark",),
    "danish": ("dansk", "danske"),
    "finland": ("finland",),
    "iceland": ("island",),
    "germany": ("tyskland",),
    "german": ("tysk", "tyske"),
    "france": ("frankrike",),
    "french": ("fransk", "franske"),
    "spain": ("spania",),
    "spanish": ("spansk", "spanske"),
    "italy": ("italia",),
    "belgium": ("belgia",),
    "netherlands": ("nederland",),
    "dutch": ("nederlandsk", "nederlandske"),
    "britain": ("storbritannia",),
    "england": ("england",),
    "scotland": ("skottland",),
    "ireland": ("irland",),
    "poland": ("polen",),
    "lithuania": ("litauen",),
    "lithuanian": ("litauisk", "litauiske"),
    "latvia": ("latvia",),
    "estonia": ("estland",),
    "russia": ("russland",),
    "ukraine": ("ukraina",),
    "greece": ("hellas",),
    "greek": ("gresk", "greske"),
    "turkey": ("tyrkia",),
    "austria": ("østerrike",),
    "switzerland": ("sveits",),
    "hungary": ("ungarn",),
    "czechia": ("tsjekkia",),
    "europe": ("europa",),
    "european": ("europeisk", "europeiske"),
    "africa": ("afrika",),
    "african": ("afrikansk", "afrikanske"),
    "asia": ("asia",),
    "asian": ("asiatisk", "asiatiske"),
    "america": ("amerika",),
    "american": ("amerikansk", "amerikanske"),
    "latin": ("latin",),
    "united states": ("usa",),
    "china": ("kina",),
    "japan": ("japan",),
    "india": ("india",),
    "basque": ("baskerland",),
    "copenhagen": ("københavn",),
    "gothenburg": ("göteborg", "gøteborg"),
    "brussels": ("brussel",),
    "lisbon": ("lisboa",),
    "rome": ("roma",),
    "vienna": ("wien",),
    "athens": ("aten",),
    "moscow": ("moskva",),
}


def cognate(word: str) -> str:
    """English spellings turned Norwegian, to compare names: commission -> kommisjon."""
    for english, norwegian in (("ssion", "sjon"), ("tion", "sjon"), ("ph", "f"), ("th", "t")):
        word = word.replace(english, norwegian)
    # A soft c is an s (vice -> vise, specialisation -> spesialisasjon), a hard one a k.
    word = re.sub(r"c(?=[eiy])", "s", word)
    return word.replace("c", "k").replace("qu", "k")
