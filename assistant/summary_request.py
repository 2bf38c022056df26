"""Whether a chat question asks for a summary, and of what: the corpus, a document, a speaker,
a section."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.names import is_person, phrases

# A request for a summary: an imperative that opens the question, the main points asked
# for, or what someone argues or concludes with nothing more specific after it. Not "Hva
# ønsket konferansen å gi en oppsummering av?" or "What did X conclude about Y?".
_ASKS = re.compile(
    r"^\s*(oppsummer|summari[sz]e|sum up|samanfatt|lag et sammendrag|lag eit samandrag|"
    r"gi meg (en|et) (oversikt|sammendrag)|gje meg (ei|eit) (oversikt|samandrag)|"
    r"give me (an overview|a summary))\b"
    r"|\b(hovedpunkt\w*|hovudpunkt\w*|hovedkonklusjon\w*|hovudkonklusjon\w*|"
    r"hovedbudskap\w*|hovudbodskap\w*|main points|key points|main conclusions|key findings|"
    r"key messages)\b",
    re.IGNORECASE,
)
# "What did X argue?", "Hva konkluderer rapporten med?": the verb, then at most a few words
# and none that narrows it ("about", "om").
_ARGUES = re.compile(
    r"\b(argue[sd]?|concluded?|konkluder\w*|argumenter\w*)\b(?P<rest>[^?.!]*)[?.!]*\s*$",
    re.IGNORECASE,
)
# "Oppsummer avsnittet om deltakere", "Summarise the section on participants".
_SECTION = re.compile(
    r"\b(?:avsnittet|delen|seksjonen|kapittelet|kapitlet|bolken|the section|the part|"
    r"the chapter)\s+(?:om|on|about)\s+(?:the\s+)?(?P<topic>[^?.!]+)",
    re.IGNORECASE,
)
_NARROWING = frozenset("about on regarding of that om angående av at for å".split())
_AFTER = 3
# What "the report", "the guide" are called; a document is meant when its id or title has one.
_DOCUMENT_WORDS = {
    "rapport": ("rapport", "report"),
    "report": ("rapport", "report"),
    "veileder": ("veileder", "rettleiar", "guide"),
    "rettleiar": ("veileder", "rettleiar", "guide"),
    "guide": ("veileder", "rettleiar", "guide"),
    "presentasjon": ("presentasjon", "presentation"),
    "presentation": ("presentasjon", "presentation"),
}


@dataclass(frozen=True)
class SummaryRequest:
    person: str = ""  # a speaker whose section is meant
    document: str = ""  # a word naming the document ("rapport", "guide")
    section: str = ""  # what a section is about ("deltakere", "participants")


def summary_request(question: str) -> SummaryRequest | None:
    """The request's scope, or None when the question asks for something else."""
    if not _ASKS.search(question) and not _argues(question):
        return None
    # A person's name, or a family name alone ("Berkowitz"), not an acronym ("EU").
    person = next(
        (p for p in phrases(question) if is_person(p) or (" " not in p and not p.isupper())), ""
    )
    words = re.findall(r"\w+", question.casefold())
    document = next((key for w in words for key in _DOCUMENT_WORDS if w.startswith(key)), "")
    section = _SECTION.search(question)
    topic = " ".join(section.group("topic").split()) if section else ""
    return SummaryRequest(person.split()[-1] if person else "", document, topic)


def _argues(question: str) -> bool:
    match = _ARGUES.search(question)
    if match is None:
        return False
    rest = match.group("rest").casefold().split()
    narrowed = any(w in _NARROWING for w in rest) and rest[-1:] not in (["med"], ["for"])
    return len(rest) <= _AFTER and not narrowed


def document_words(request: SummaryRequest) -> tuple[str, ...]:
    return _DOCUMENT_WORDS.get(request.document, ())
