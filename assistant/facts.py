"""The checkable facts of a sentence: numbers by kind, names, negation and polar words.

A claim and its evidence can be close in meaning and still disagree on the one
thing that matters: a year, a percentage, a university, "within" versus
"outside". These are compared literally; embeddings blur exactly them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.language import detect_language

_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:[ .,]\d{3})+|\d+(?:[.,]\d+)?)\s*(%|prosent\b|percent\b|per cent\b)?"
    r"(?:\s*(millioner|million|milliarder|billion|mrd|mill|euro|eur|kroner|nok|kr|€|\$|usd))?",
    re.IGNORECASE,
)
# English month names are written with a capital; Norwegian ones are not.
_EN_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_NO_MONTHS = (
    "januar februar mars april mai juni juli august september oktober november desember".split()
)
_MONTHS = {
    **{name: str(n) for n, name in enumerate(_EN_MONTHS, start=1)},
    **{name: str(n) for n, name in enumerate(_NO_MONTHS, start=1)},
}
# "25-28. september", "25. september", "September 25": days of a month, not counts.
_DAYS = re.compile(
    r"\b(\d{1,2})(?:\.?\s*[-–]\s*(\d{1,2}))?\.?\s+(?:" + "|".join(_EN_MONTHS + _NO_MONTHS) + r")\b",
    re.IGNORECASE,
)
# Ordinals, alone or starting a compound ("fjerdeplass", "tredjeplassen"): a place, a
# frequency ("hvert tredje år"). "andre", "annet" and "annen" mostly mean "other(s)"
# ("blant annet", "en annen"): "second" in Norwegian only as "hvert annet" / "annethvert".
_ORDINALS = {
    "hvert annet": "2", "annethvert": "2", "second": "2", "tredje": "3",
    "third": "3", "fjerde": "4", "fourth": "4", "femte": "5", "fifth": "5", "sjette": "6",
    "sixth": "6", "sjuende": "7", "syvende": "7", "seventh": "7", "åttende": "8",
    "eighth": "8", "niende": "9", "ninth": "9", "tiende": "10", "tenth": "10",
}  # fmt: skip
_ORDINAL = re.compile(
    r"\b(" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")(plass\w*)?\b",
    re.IGNORECASE,
)
_ROMAN = {"II": "2", "III": "3", "IV": "4", "VI": "6", "VII": "7", "VIII": "8", "IX": "9"}
_NEGATION = frozenset(
    "not no never none neither nor cannot without "
    "ikke ikkje aldri ingen inga intet ingenting verken uten utan".split()
)
# Nynorsk "no" is "now" ("inkluderer no smart spesialisering"), not a negation.
_NEGATION_NO = _NEGATION - {"no"}
# Words of opposite meaning, in both languages, by concept.
_POLES = {
    "inside": "within inside internal internally innenfor innad intern interne".split(),
    "outside": "outside external externally beyond utenfor ekstern eksterne utenlands".split(),
    "all": "entirely only solely exclusively wholly fully kun utelukkende helt".split(),
    "part": "partly partially part parts deler delvis del".split(),
    "more": "more increase increased increases increasing higher greater larger growing grew "
    "grown grows rose risen rises mer meir økte økt øker økende øke økning auka aukar auke "
    "steg steget stiger vokste vokst høyere større flere fleire".split(),
    "less": "less decrease decreased decreases decreasing lower smaller fewer declining declined "
    "fell fallen dropped shrank mindre reduserte redusert redusere reduksjon lavere færre "
    "synkende sank sunket synker falt faller nedgang minket minsket minka".split(),
    "good": "good positive successful best god godt gode positiv positivt vellykket beste".split(),
    "bad": "bad negative unsuccessful worst poor dårlig dårlige negativ negativt mislykket "
    "verste".split(),
    "local": "local locally lokal lokale lokalt domestic nasjonal nasjonale".split(),
    "global": "global globally globale international internationally internasjonal "
    "internasjonale internasjonalt foreign utenlandske".split(),
    "easy": "easy easily simple straightforward lett enkel enkelt enkle".split(),
    "hard": "difficult hard challenge challenging vanskelig vanskelige utfordring utfordrende "
    "krevende".split(),
    "large": "large big larger biggest stor store største".split(),
    "small": "small smaller smallest little liten lite små mindre minste".split(),
    # An amount, apart from more and less: "mye mindre" is still less.
    "much": "much mye mykje".split(),
    "little": "lite".split(),
    "strong": "strong stronger strongly sterk sterke sterkt".split(),
    "weak": "weak weaker weakly svak svake svakt".split(),
    "win": "won wins win winning victory beat beats vant vinner vinne seier".split(),
    "lose": "lost loses lose losing defeat tapte taper tape tap".split(),
    "open": "open opened opens åpen åpent åpne åpnet åpner opna".split(),
    "closed": "closed closes stengt stengte stenger stengde lukket lukka".split(),
    "allowed": "allowed permitted legal tillatt tillatte lovlig".split(),
    "forbidden": "forbidden banned prohibited illegal forbudt forbudte ulovlig".split(),
    "most": "most mest flest".split(),
    # Not "minst" ("at least": "minst tre år"); "least" only as "the least" (see _poles).
    "least": "least færrest".split(),
    "north": "north northern nord nordlige".split(),
    "south": "south southern sør sørlige".split(),
    "east": "east eastern øst østlige".split(),
    "west": "west western vest vestlige".split(),
    "public": "public offentlig offentlige".split(),
    "private": "private privat private".split(),
}
_OPPOSITE = {
    "inside": "outside",
    "outside": "inside",
    "all": "part",
    "part": "all",
    "more": "less",
    "less": "more",
    "much": "little",
    "little": "much",
    "good": "bad",
    "bad": "good",
    "local": "global",
    "global": "local",
    "easy": "hard",
    "hard": "easy",
    "large": "small",
    "small": "large",
    "strong": "weak",
    "weak": "strong",
    "public": "private",
    "private": "public",
    "win": "lose",
    "lose": "win",
    "open": "closed",
    "closed": "open",
    "allowed": "forbidden",
    "forbidden": "allowed",
    "most": "least",
    "least": "most",
    "north": "south",
    "south": "north",
    "east": "west",
    "west": "east",
}
# A word may carry more than one: "lite" is small ("et lite land") and little ("lite å vinne").
_WORD_POLES = {
    word: [pole for pole, words in _POLES.items() if word in words]
    for word in {w for words in _POLES.values() for w in words}
}
# Capitalised at a sentence's start before a name ("The EU", "Den OECD-baserte"): not names.
_NOT_NAMES = frozenset(
    "the a an this that these those in on at for according if when den det de en et ei i på "
    "for ifølge når hvis".split()
)
_CAPITALISED = re.compile(r"\b[A-ZÆØÅÉ][\w’'-]*")
_SENTENCE_START = re.compile(r"(^|[.!?:]\s+|\n)$")


@dataclass(frozen=True)
class Facts:
    numbers: dict[str, frozenset[str]] = field(default_factory=dict)  # kind -> values
    names: frozenset[str] = frozenset()  # case-folded capitalised words and acronyms
    negated: bool = False
    poles: frozenset[str] = frozenset()
    # Every capitalised word, sentence starts included: what a name may be found among.
    capitalised: frozenset[str] = frozenset()

    def all_numbers(self) -> frozenset[str]:
        return frozenset(v for values in self.numbers.values() for v in values)


def facts_of(text: str) -> Facts:
    capitalised = frozenset(
        part.casefold()
        for match in _CAPITALISED.finditer(text)
        for part in match.group(0).rstrip("’'").removesuffix("’s").removesuffix("'s").split("-")
        if len(part) > 1
    )
    return Facts(
        _numbers(text), _names(text) - _NOT_NAMES, _negated(text), _poles(text), capitalised
    )


def _numbers(text: str) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    days = {m.start(group) for m in _DAYS.finditer(text) for group in (1, 2) if m.group(group)}
    for match in _NUMBER.finditer(text):
        if match.start(1) in days:
            found.setdefault("day", set()).add(match.group(1))
            continue
        value = re.sub(r"[ .,](?=\d{3}\b)", "", match.group(1)).replace(",", ".")
        unit = (match.group(2) or "").lower()
        scale = (match.group(3) or "").lower()
        if unit:
            kind = "percent"
        elif scale:
            kind = "amount"
        elif len(value) == 4 and value.isdigit() and 1800 <= int(value) <= 2100:
            kind = "year"
        else:
            kind = "number"
        found.setdefault(kind, set()).add(value)
    for word, value in _ROMAN.items():
        if re.search(rf"\b{word}\b", text):
            found.setdefault("number", set()).add(value)
    # "half of the budget" is a share like "60 prosent".
    # ... but "the first half of 2020" is a period, not a share.
    if re.search(r"(?<!first )(?<!second )\b(half of|halvparten|halvparta)\b", text, re.IGNORECASE):
        found.setdefault("percent", set()).add("50")
    for match in _ORDINAL.finditer(text):
        found.setdefault("ordinal", set()).add(_ORDINALS[match.group(1).lower()])
    for word in re.findall(r"[a-zA-Z]+", text):
        month = _MONTHS.get(word) or _MONTHS.get(word.lower() if word.islower() else "")
        if month:
            found.setdefault("month", set()).add(month)
    return {kind: frozenset(values) for kind, values in found.items()}


def _names(text: str) -> frozenset[str]:
    """Capitalised words, except a sentence's first word unless a name follows it."""
    names: set[str] = set()
    matches = list(_CAPITALISED.finditer(text))
    for i, match in enumerate(matches):
        word = match.group(0).rstrip("’'").removesuffix("’s").removesuffix("'s")
        if word in _ROMAN:
            continue
        at_start = bool(_SENTENCE_START.search(text[: match.start()]))
        followed = i + 1 < len(matches) and matches[i + 1].start() == match.end() + 1
        if not at_start or followed:
            names.update(p.casefold() for p in word.split("-") if len(p) > 1)
    return frozenset(names)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’']+", text.casefold())


def _negated(text: str, lang: str | None = None) -> bool:
    """Whether `text` negates; `lang`: the language of the text it is part of, if known."""
    words = _words(text)
    negators = _NEGATION
    if "no" in words and (lang or detect_language(text, default="en")) == "no":
        negators = _NEGATION_NO
    return any(w in negators or w.endswith("n't") for w in words)


# Where a sentence's clauses part: "Hun ber folk holde seg unna, og ikke kjøre gjennom vann".
_CLAUSE = re.compile(r"[,;:]\s*|\s+(?:og|men|eller|and|but|or)\s+", re.IGNORECASE)


def negation_differs(claim: str, text: str) -> bool:
    """Whether a clause of `claim` and the clause of `text` that says most of it differ in
    negation. A negation elsewhere says nothing of the claim: "holde seg unna elvebreddene
    og ikke kjøre gjennom vann" does not negate "holde seg unna elvebreddene"."""
    ours_lang = detect_language(claim, default="en")
    theirs_lang = detect_language(text, default="en")
    theirs = [(set(_content(c)), _negated(c, theirs_lang)) for c in _CLAUSE.split(text)]
    everything = set(_content(text))
    claimed = _content(claim)
    # The sentence is about what the claim says: it holds half of its words.
    related = bool(claimed) and sum(w in everything for w in claimed) / len(claimed) >= 0.5
    for clause in _CLAUSE.split(claim):
        words = _content(clause)
        if not words or not theirs:
            continue
        overlap = [sum(w in t for w in words) for t, _ in theirs]
        best = max(overlap)
        if best / len(words) < 0.5:
            # Nothing in the sentence says this clause: a negated one ("Det er ikke slik at
            # ...") is compared with the sentence as a whole.
            if related and _negated(clause, ours_lang) and not any(n for _, n in theirs):
                return True
            continue
        # Where clauses say it equally well, all of them must differ.
        if all(
            n != _negated(clause, ours_lang)
            for (_, n), o in zip(theirs, overlap, strict=True)
            if o == best
        ):
            return True
    return False


def _content(text: str) -> list[str]:
    # Six letters stand for the word, so inflections meet ("motsetning" / "motsetninger").
    return [w[:6] for w in _words(text) if w not in _NEGATION and len(w) > 2]


# Beating someone, in the passive voice the other way round: "Hun ble slått av Kurt Nilsen"
# is a loss, "Hun slo Emma Lind" a win; "slo fast", "slo seg ned" are neither.
_BEATING = frozenset("slo slått slår beaten defeated".split())
_PASSIVE = frozenset("ble blei vart blitt was were been being got".split())
_NOT_BEATING = frozenset("fast seg ned an opp til inn sammen igjen".split())


def _poles(text: str) -> frozenset[str]:
    return frozenset(pole for pole, _ in _pole_words(text))


def _pole_words(text: str) -> list[tuple[str, str]]:
    """(pole, the word that carries it) for each word of `text` that has a pole."""
    words = _words(text)
    found = []
    for i, w in enumerate(words):
        before = words[i - 1] if i > 0 else ""
        if w in _BEATING:
            after = words[i + 1] if i + 1 < len(words) else ""
            if after in _NOT_BEATING:
                continue
            # "ble imidlertid slått", "ble i finalen slått": a few words may stand between.
            found.append(("lose" if _PASSIVE & set(words[max(0, i - 3) : i]) else "win", w))
        elif w in _WORD_POLES and not (w == "least" and before == "at"):
            found.extend((pole, w) for pole in _WORD_POLES[w])
    return found


def opposed_poles(claim: Facts, evidence: Facts) -> list[tuple[str, str]]:
    """Pairs (claim's pole, evidence's opposite pole) where the evidence lacks the claim's."""
    return [
        (pole, _OPPOSITE[pole])
        for pole in sorted(claim.poles)
        if _OPPOSITE[pole] in evidence.poles and pole not in evidence.poles
    ]


def pole_word(pole: str, text: str) -> str:
    """The word of `text` that carries `pole` ("sunket" for less), else the pole's name."""
    return next((w for p, w in _pole_words(text) if p == pole), _POLES[pole][0])


def month_name(number: str, lang: str) -> str:
    names = _NO_MONTHS if lang == "no" else _EN_MONTHS
    return names[int(number) - 1] if number.isdigit() and 1 <= int(number) <= 12 else number


# Offices, by concept in both languages, and the words that make one the deputy's.
_OFFICES = {
    "president": "president presidenten presidents presidentens",
    "director": "director director-general direktør direktøren direktørens",
    "leader": "leader leder lederen leders chair chairman chairwoman chairperson formann "
    "styreleder",
    "minister": "minister ministeren statsråd statsråden",
    "mayor": "mayor ordfører ordføreren borgermester",
    "secretary": "secretary sekretær sekretæren",
    "rector": "rector rektor rektoren",
    "governor": "governor guvernør fylkesmann statsforvalter",
    "chief": "chief head sjef sjefen",
}  # fmt: skip
_OFFICE = {w: office for office, words in _OFFICES.items() for w in words.split()}
_DEPUTY_WORDS = frozenset(
    "vice deputy assistant acting assisterende stedfortredende konstituert fungerende".split()
)
# Written together with the office: visepresident, varaordfører, nestleder, viseadministrerende.
_DEPUTY_PREFIXES = ("vise", "vice", "vara", "nest", "ass")


def _offices(text: str) -> list[tuple[str, bool, str]]:
    """(office, whether a deputy's, the words used) for each office `text` names."""
    words = re.findall(r"[\w’']+", text.casefold())
    found = []
    for i, word in enumerate(words):
        prefix = next((p for p in _DEPUTY_PREFIXES if word.startswith(p)), "")
        office = _OFFICE.get(word) or (_OFFICE.get(word[len(prefix) :]) if prefix else None)
        if office is None:
            continue
        before = words[i - 1] if i > 0 else ""
        deputy_before = before in _DEPUTY_WORDS or before.startswith(("vise", "vice"))
        deputy = deputy_before or (prefix != "" and word not in _OFFICE)
        shown = f"{before} {word}" if deputy_before else word
        found.append((office, deputy, shown))
    return found


def office_differs(claim: str, text: str) -> tuple[str, str] | None:
    """The claim's office and the source's where one is the other's deputy ("president" /
    "visepresident", "leder" / "nestleder"), and the source does not also name the other."""
    theirs = _offices(text)
    for office, deputy, shown in _offices(claim):
        same_office = [(d, w) for o, d, w in theirs if o == office]
        if same_office and all(d != deputy for d, _ in same_office):
            return shown, same_office[0][1]
    return None


# Words of one kind that exclude each other, by concept in both languages: a claim that says
# "norske" where the source says "svenske" says something else.
_COUNTRIES = {
    "NO": "norsk norske norwegian",
    "SE": "svensk svenske swedish",
    "DK": "dansk danske danish",
    "FI": "finsk finske finnish",
    "IS": "islandsk islandske icelandic",
    "DE": "tysk tyske german",
    "FR": "fransk franske french",
    "GB": "britisk britiske british",
    "US": "amerikansk amerikanske american",
    "RU": "russisk russiske russian",
    "CN": "kinesisk kinesiske chinese",
    "JP": "japansk japanske japanese",
    "IT": "italiensk italienske italian",
    "ES": "spansk spanske spanish",
    "PL": "polsk polske polish",
    "NL": "nederlandsk nederlandske dutch",
    "BE": "belgisk belgiske belgian",
    "LT": "litauisk litauiske lithuanian",
    "LV": "latvisk latviske latvian",
    "EE": "estisk estiske estonian",
    "UA": "ukrainsk ukrainske ukrainian",
    "IN": "indisk indiske indian",
    "CA": "kanadisk kanadiske canadisk canadiske canadian",
    "AU": "australsk australske australian",
    "AT": "østerriksk østerrikske austrian",
    "CH": "sveitsisk sveitsiske swiss",
    "PT": "portugisisk portugisiske portuguese",
    "GR": "gresk greske greek",
    "TR": "tyrkisk tyrkiske turkish",
}
# The countries themselves, which say what the adjective does ("norske kirker" / "i Norge").
# Not words that are also common words in the other language: "us", "island" (Iceland).
_COUNTRY_NAMES = {
    "NO": "norge noreg norway", "SE": "sverige sweden", "DK": "danmark denmark",
    "FI": "finland", "IS": "iceland", "DE": "tyskland germany",
    "FR": "frankrike france", "GB": "storbritannia britain", "US": "america",
    "RU": "russland russia", "CN": "kina china", "JP": "japan", "IT": "italia italy",
    "ES": "spania spain", "PL": "polen poland", "NL": "nederland netherlands",
    "BE": "belgia belgium", "LT": "litauen lithuania", "LV": "latvia", "EE": "estland estonia",
    "UA": "ukraina ukraine", "IN": "india", "CA": "canada kanada", "AU": "australia",
    "AT": "østerrike austria", "CH": "sveits switzerland", "PT": "portugal",
    "GR": "hellas greece", "TR": "tyrkia turkey",
}  # fmt: skip
_COUNTRY = {
    w: c
    for table in (_COUNTRIES, _COUNTRY_NAMES)
    for c, words in table.items()
    for w in words.split()
}
_WEEKDAYS = {
    "1": "mandag måndag monday",
    "2": "tirsdag tysdag tuesday",
    "3": "onsdag wednesday",
    "4": "torsdag thursday",
    "5": "fredag friday",
    "6": "lørdag laurdag saturday",
    "7": "søndag sundag sunday",
}
_KINDS = {
    kind: {w: concept for concept, words in table.items() for w in words.split()}
    for kind, table in (("country", _COUNTRIES), ("weekday", _WEEKDAYS))
}


def _kinds(text: str) -> dict[str, dict[str, str]]:
    """kind -> concept -> the word used, for the words of `_KINDS` in `text`."""
    found: dict[str, dict[str, str]] = {}
    for word in _words(text):
        for kind, concepts in _KINDS.items():
            concept = concepts.get(word)
            if concept is not None:
                found.setdefault(kind, {}).setdefault(concept, word)
    return found


def kind_differs(claim: str, text: str) -> tuple[str, str] | None:
    """The claim's word and the source's where both name one of a kind and the source lacks
    the claim's ("norske" / "svenske", "tirsdag" / "onsdag")."""
    theirs = _kinds(text)
    for kind, ours in _kinds(claim).items():
        other = theirs.get(kind, {})
        missing = [word for concept, word in ours.items() if concept not in other]
        # What the source has in its place: one the claim does not name.
        instead = [word for concept, word in other.items() if concept not in ours]
        if missing and instead:
            return missing[0], instead[0]
    return None


def kind_missing(claim: str, text: str) -> list[str]:
    """The claim's words of `_KINDS` whose concept `text` does not have (a country's name
    says what its adjective does)."""
    theirs = _kinds(text)
    countries = countries_in(text)
    return [
        word
        for kind, ours in _kinds(claim).items()
        for concept, word in ours.items()
        if concept not in theirs.get(kind, {}) and not (kind == "country" and concept in countries)
    ]


# Written in capitals only: "us" is a pronoun.
_COUNTRY_ACRONYMS = {"US": "US", "USA": "US", "UK": "GB"}


def country(word: str) -> str | None:
    """The country a name or adjective stands for (Norges, norske, Norway: "NO")."""
    if word.rstrip("s") in _COUNTRY_ACRONYMS:
        return _COUNTRY_ACRONYMS[word.rstrip("s")]
    folded = word.casefold()
    return _COUNTRY.get(folded) or (_COUNTRY.get(folded[:-1]) if folded.endswith("s") else None)


def countries_in(text: str) -> frozenset[str]:
    # As written: "USA" is a country, "us" is not.
    return frozenset(c for w in re.findall(r"[\w’']+", text) if (c := country(w)) is not None)
