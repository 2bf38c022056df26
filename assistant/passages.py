"""Sentences of retrieved passages, placed on their page and scored against the question."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from assistant.answer import Citation, Evidence
from assistant.question import Question, Term
from index.analyzer import Analyzer
from index.hit import Hit
from index.search import Retrieval
from index.sections import Heading, PageLayout, cited_place
from index.sentences import split_sentences

# Scores are in calibration spreads (Retrieval.scale): how far apart what
# unanswerable questions score on this corpus lies, so the weights below mean
# the same with any embedder. Fitted on the tuning halves (bench/abstention.py).
# A sentence's similarity counts this much, its passage's the rest: a sentence rarely
# answers alone what its paragraph answers.
OWN_SHARE = 0.7
# What a sentence gains for holding all of the question's salient words:
COVER_WEIGHT = 2.0
# ... for holding the question's telling words, those few retrieved sentences hold:
FOCUS_WEIGHT = 2.0
# ... for holding what the question asks for (a number for "how many", a name for "who"):
KIND_WEIGHT = 0.5
# A line without a full stop is more often a heading or a caption than an answer,
# and one ending in a colon only announces what follows.
_HEADING_PENALTY = 0.5
_LEAD_IN_PENALTY = 1.5
# A short sentence the retriever did not embed on its own takes its passage's similarity
# less this many spreads.
_UNSCORED_PENALTY = 2.0
# A sentence's predecessor's words count this much of its own.
_PREVIOUS_SHARE = 0.6
# The heading's words count this much of a sentence's own: "What did Wessner say" is
# answered under Wessner's heading, by sentences that do not repeat his name.
_HEADING_SHARE = 0.8


@dataclass(frozen=True)
class ScoredSentence:
    hit: Hit
    rank: int  # the passage's rank, 1-based
    start: int  # offsets into the page text
    end: int
    similarity: float  # the dense retriever's similarity of this sentence to the query
    score: float  # for ranking sentences, in calibration spreads
    cover: float = 0.0  # the weighted share of the question's salient words it holds (0..1)
    kind_ok: bool = False  # it holds what the question asks for
    heading: Heading | None = None  # the section it is in
    is_heading: bool = False  # it is itself a heading line
    # Its similarity is its own, not its passage's less a penalty (a short line the
    # retriever did not embed alone).
    embedded: bool = True
    layout: PageLayout | None = None  # its page's sections and paragraphs

    @property
    def text(self) -> str:
        return _span(self.hit, self.start, self.end)

    def citation(self, n: int) -> Citation:
        """This sentence quoted as marker [n]."""
        chunk = self.hit.chunk
        return Citation(
            n,
            chunk.doc_id,
            self.hit.title,
            self.hit.url,
            chunk.page,
            self.text,
            self.start,
            self.end,
            chunk.id,
            chunk.text,
            # Only what is cited is placed: a handful of sentences, not every candidate.
            cited_place(self.hit.kind, self.layout, self.start),
        )

    def evidence(self) -> Evidence:
        return self.citation(0).evidence()

    @property
    def key(self) -> tuple[str, int, int]:
        """Where on which page: the same sentence in two overlapping chunks has one key."""
        return (self.hit.chunk.doc_id, self.hit.chunk.page, self.start)


def scored_sentences(
    retrieval: Retrieval,
    passages: int,
    *,
    question: Question | None = None,
    analyzer: Analyzer | None = None,
) -> list[ScoredSentence]:
    """Every sentence of the first `passages` hits, best first, each page position once.

    A sentence's score mixes its own similarity (OWN_SHARE) with its passage's
    (a sentence rarely answers alone what its paragraph answers), plus a share
    for the question's salient words it (or its section's heading) holds, plus
    a share for holding the kind of thing asked for, less a little for a
    heading line. Similarities count in calibration spreads.
    """
    found: dict[tuple[str, int, int], ScoredSentence] = {}
    scale = retrieval.scale
    terms_of: dict[Heading, frozenset[str]] = {}

    def heading_terms(heading: Heading) -> frozenset[str]:
        # Every sentence of a section shares its heading: analyse it once.
        if heading not in terms_of and analyzer is not None:
            terms_of[heading] = frozenset(analyzer.terms(heading.text, "und"))
        return terms_of.get(heading, frozenset())

    drafts: list[_Draft] = []
    for rank, hit in enumerate(retrieval.hits[:passages], start=1):
        base = hit.dense_score if hit.dense_score is not None else 0.0
        scored = {(s.start, s.end): s.score for s in hit.sentences}
        spans = split_sentences(hit.chunk.text)
        layout = retrieval.layout(hit)
        heading_spans = {(h.start, h.end) for h in layout.headings} if layout else set()
        for start, end in spans:
            text = hit.chunk.text[start:end]
            page_start, page_end = hit.chunk.start + start, hit.chunk.start + end
            unscored = 0.0 if len(spans) == 1 else _UNSCORED_PENALTY * scale
            heading = layout.heading_of(page_start) if layout else None
            is_heading = any(a <= page_start and page_end <= b for a, b in heading_spans)
            own: frozenset[str] = frozenset()
            above: frozenset[str] = frozenset()
            if question is not None and analyzer is not None:
                own = frozenset(analyzer.terms(text, "und"))
                above = frozenset() if heading is None or is_heading else heading_terms(heading)
            drafts.append(
                _Draft(
                    hit,
                    rank,
                    page_start,
                    page_end,
                    scored.get((start, end), base - unscored),
                    base,
                    (start, end) in scored or len(spans) == 1,
                    heading,
                    is_heading,
                    own,
                    above,
                    start == spans[0][0],
                )
            )
    terms = question.terms if question is not None else ()
    focus_weights = _focus_weights(terms, [d.own for d in drafts])
    previous_cover = previous_focus = 0.0
    for draft in drafts:
        if draft.first:
            previous_cover = previous_focus = 0.0
        cover = focus = 0.0
        kind_ok = False
        if question is not None and analyzer is not None:
            own_cover = _cover(terms, draft.own, draft.above)
            own_focus = _focus(terms, focus_weights, draft.own)
            # "Samme dag ble Christian Frederik valgt til konge." answers what the
            # sentence before it names: a sentence shares in its predecessor's words.
            cover = max(own_cover, _PREVIOUS_SHARE * previous_cover)
            focus = max(own_focus, _PREVIOUS_SHARE * previous_focus)
            previous_cover, previous_focus = own_cover, own_focus
            kind_ok = holds_kind(question.kind, draft.text)
        score = (
            (OWN_SHARE * draft.similarity + (1 - OWN_SHARE) * draft.base) / scale
            - _heading_penalty(draft.text)
            + COVER_WEIGHT * cover
            + FOCUS_WEIGHT * focus
            + (KIND_WEIGHT * kind_ok if question is not None and question.kind != "other" else 0)
        )
        sentence = ScoredSentence(
            draft.hit,
            draft.rank,
            draft.start,
            draft.end,
            draft.similarity,
            score,
            cover,
            kind_ok,
            draft.heading,
            draft.is_heading,
            draft.embedded,
            retrieval.layout(draft.hit),
        )
        if sentence.key not in found or found[sentence.key].score < score:
            found[sentence.key] = sentence
    return sorted(found.values(), key=lambda s: (-s.score, s.rank, s.start))


def by_similarity(sentences: Sequence[ScoredSentence]) -> list[ScoredSentence]:
    return sorted(sentences, key=lambda s: (-s.similarity, s.rank, s.start))


@dataclass(frozen=True)
class _Draft:
    """A sentence of a retrieved passage before it is scored against the others."""

    hit: Hit
    rank: int
    start: int  # offsets into the page text
    end: int
    similarity: float
    base: float  # its passage's similarity
    embedded: bool
    heading: Heading | None
    is_heading: bool
    own: frozenset[str]  # its index terms
    above: frozenset[str]  # its section heading's index terms
    first: bool  # the first sentence of its passage

    @property
    def text(self) -> str:
        return _span(self.hit, self.start, self.end)


def _span(hit: Hit, start: int, end: int) -> str:
    """The hit's text from page offset `start` to `end`."""
    return hit.chunk.text[start - hit.chunk.start : end - hit.chunk.start]


def _cover(terms: Sequence[Term], own: Collection[str], above: Collection[str]) -> float:
    """The weighted share of `terms` in a sentence's terms, or (for less) in its heading's."""
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    found = 0.0
    for term in terms:
        if any(f in own for f in term.forms):
            found += term.weight
        elif any(f in above for f in term.forms):
            found += _HEADING_SHARE * term.weight
    return found / total


def _focus_weights(terms: Sequence[Term], sentences: Sequence[Collection[str]]) -> list[float]:
    """How few of the retrieved sentences hold each term (its inverse sentence frequency).

    The question's topic ("Pantera") is in most retrieved sentences and tells them
    apart no more than a stop word; the word that asks something of it ("dannet",
    "2008", "tirsdag") is in few, and the sentence holding it is the likelier answer.
    How rare a word is in general language (Term.weight) does not count here: a rare
    name is the topic more often than the question.
    """
    n = len(sentences)
    weights = []
    for term in terms:
        holding = sum(any(f in own for f in term.forms) for own in sentences)
        weights.append(math.log(n / holding) if holding else 0.0)
    return weights


def _focus(terms: Sequence[Term], weights: Sequence[float], own: Collection[str]) -> float:
    """The share of the question's telling words (`_focus_weights`) a sentence holds."""
    total = sum(weights)
    if not total:
        return 0.0
    return (
        sum(w for t, w in zip(terms, weights, strict=True) if any(f in own for f in t.forms))
        / total
    )


_NUMBER_WORDS = frozenset(
    "en ett ei én to tre fire fem seks sju syv åtte ni ti elleve tolv tjue hundre tusen "
    "million millioner milliard milliarder halvparten dobbelt flertallet "
    "one two three four five six seven eight nine ten eleven twelve twenty hundred thousand "
    "million millions billion half double majority dozen".split()
)
_MONTH_OR_DAY = re.compile(
    r"\b(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|"
    r"january|february|march|may|june|july|october|december|mandag|tirsdag|onsdag|torsdag|"
    r"fredag|lørdag|søndag|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"århundre|tallet|century|i dag|i går|i fjor|today|yesterday)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(1[0-9]\d\d|20\d\d)\b")
_DIGIT = re.compile(r"\d")
_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÆØÅ][\w'’-]+")


def holds_kind(kind: str, text: str) -> bool:
    """Whether `text` holds the kind of thing a question asks for."""
    match kind:
        case "number":
            return bool(_DIGIT.search(text)) or any(
                w in _NUMBER_WORDS for w in re.findall(r"\w+", text.lower())
            )
        case "date":
            return bool(_YEAR.search(text) or _MONTH_OR_DAY.search(text))
        case "person" | "place" | "organisation":
            return bool(_CAPITAL.search(text.strip()))
        case _:
            return True


def _heading_penalty(text: str) -> float:
    stripped = text.rstrip()
    if stripped.endswith(":"):
        return _LEAD_IN_PENALTY
    return 0.0 if stripped.endswith((".", "!", "?", "»", "”", ")")) else _HEADING_PENALTY
