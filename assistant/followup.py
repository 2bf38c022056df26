"""Whether a question leans on the conversation, and what it asks when read alone.

A question depends on what was said before only on evidence in its own words:
a personal pronoun with no name of its own ("Hva mer sa han?"), an opening that
continues ("Og når?", "What about DG RTD?"), "what else" / "hva mer", or a
pointing word ("it", "dette") in a question with nothing salient of its own.
Common words that merely look back ("det", "der", "that", "there") and short
questions are not evidence: an independent question is never altered.

Without a model a follow-up is resolved to the earlier topic: a pronoun is
replaced by the person last named (in the questions, else in the answer); "what
about X" puts X in the previous question's place; anything else carries over the
previous question's words. With a model, the model rewrites it.

"What else" reads on: a retrieved passage the conversation already quoted in full
makes room for the passages beside it, and one it quoted from is followed by them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from assistant.llm import LLM, LLMError, Message
from assistant.names import is_person, phrases
from assistant.prompts import rewrite_messages
from assistant.question import QUESTION_WORDS, analyse, question_kind
from index.analyzer import Analyzer
from index.hit import Hit
from index.language import detect_language
from index.search import Retrieval
from index.sections import PageLayout
from index.sentences import split_sentences

# A person, pointed back to. "her" is also bokmål for "here": English questions only.
_PERSONAL = frozenset("he she him his han hun ho ham henne hans hennes hennar".split())
_PERSONAL_EN_ONLY = frozenset({"her", "hers"})
# Things pointed back to: only in a question with nothing salient of its own
# ("Hva betyr dette?"), or as an English object ("Why do regions use it?").
_POINTING = frozenset(
    "it its they them their this these those dette disse denne dens dets dem deres desse dei "
    "deira".split()
)
# Places and times pointed back to: never the question's own ("kom derfra?").
_BACK = frozenset("derfra dit dengang therefrom thereof".split())
_CONTINUES = re.compile(
    r"^\s*(og|and|men|but|enn|også|also|hva med|hva så med|kva med|what about|how about)\b",
    re.IGNORECASE,
)
_MORE = re.compile(
    r"\b(what else|anything else|something else|anything more|tell me more|more about|"
    r"hva mer|hva annet|hva ellers|noe mer|noe annet|mer om|kva meir|kva anna|kva elles|"
    r"noko meir|noko anna|meir om|who else|where else|hvem andre|hvem ellers|hvor ellers|"
    r"kven andre|kven elles|kor elles)\b|^\s*(mer|more|meir)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# What a "what else" adds to the question it repeats.
_FILLER = re.compile(
    r"\b(mer|meir|more|else|annet|anna|andre|ellers|elles|anything|something|noe|noko|"
    r"tell me)\b",
    re.IGNORECASE,
)
# "han fra Georgetown", "she who spoke": a pronoun described on the spot.
# Not "som" or "that": "nemnde han som døme" (as an example).
_DESCRIBED = frozenset("fra frå from who ved at".split())
# English "it" that is nobody's: "is it true that", "it is said", "how long does it take".
_DUMMY_IT = re.compile(r"\b(is|was|does|did|will|would)\s+it\b|\bit\s+(is|was|'s|takes)\b")


@dataclass(frozen=True)
class FollowUp:
    question: str  # as asked
    standalone: str  # what it asks when read alone (the question itself if independent)
    more: bool = False  # "what else": answer with what was not said before

    @property
    def rewritten(self) -> bool:
        return self.standalone != self.question


def follow_up(
    question: str, history: Sequence[Message], analyzer: Analyzer, llm: LLM | None = None
) -> FollowUp:
    """The question as asked, or resolved against the conversation (see the module)."""
    asked = [m.content for m in history if m.role == "user" and m.content.strip()]
    answers = [m.content for m in history if m.role == "assistant" and m.content.strip()]
    if not asked or not depends(question, analyzer):
        return FollowUp(question, question)
    more = bool(_MORE.search(question))
    if llm is not None:
        try:
            rewritten = "".join(llm.stream(rewrite_messages(history, question), max_tokens=96))
            first = rewritten.strip().strip('"').splitlines()[0] if rewritten.strip() else ""
            if first:
                return FollowUp(question, first, more)
        except LLMError:
            pass  # the rules below still make a usable question
    # Earlier questions may be follow-ups too: read each as it was meant.
    previous = asked[0]
    for earlier in asked[1:]:
        previous = (
            _resolve(earlier, previous, "", analyzer) if depends(earlier, analyzer) else earlier
        )
    answer = answers[-1] if answers else ""
    return FollowUp(question, _resolve(question, previous, answer, analyzer), more)


def depends(question: str, analyzer: Analyzer) -> bool:
    """Whether the question's own words point back to the conversation."""
    if _CONTINUES.search(question) or _MORE.search(question):
        return True
    words = re.findall(r"[\w'’-]+", question.lower())
    if any(w in _BACK for w in words):
        return True
    if _points_to_person(question):
        return True
    terms = analyse(question, analyzer).terms
    if not terms:
        return True  # "Hvorfor?", "Hvor mange?": nothing asked about
    if any(w in _POINTING for w in words):
        english = detect_language(question, default="en") == "en"
        object_it = english and "it" in words and not _DUMMY_IT.search(question.lower())
        return object_it or not any(t.salient for t in terms)
    return False


def _resolve(question: str, previous: str, answer: str, analyzer: Analyzer) -> str:
    """A question that `depends` on `previous` (and its `answer`), read alone."""
    # "Hva mer sa han?" asks what "Hva sa han?" asks; that it wants more is FollowUp.more.
    asked = " ".join(_MORE.sub(lambda m: _FILLER.sub("", m.group(0)), question).split())
    asked = re.sub(r"\s+([?.!,])", r"\1", asked)
    pointing = _points_to_person(asked)
    if asked != question and not pointing and not analyse(asked, analyzer).terms:
        return previous  # "Hva mer?": the same question, answered with what is new
    own = phrases(asked)
    if own and _CONTINUES.search(asked):
        # "What about Slavo Radosevic?": the previous question, asked of someone else.
        theirs = phrases(previous)
        if theirs:
            return previous.replace(theirs[0], own[0], 1)
    if pointing:
        # "Who was ...?" is answered with the person meant; otherwise the question named them.
        first, then = (
            (answer, previous) if question_kind(previous) == "person" else (previous, answer)
        )
        named = [*phrases(first), *phrases(then)]
        person = next((n for n in named if is_person(n)), None)
        if person is not None:
            return _named(asked, person)
    have = {w.lower() for w in re.findall(r"[\w'’-]+", asked)}
    carried = [
        w
        for w in dict.fromkeys(re.findall(r"[\w'’-]+", previous))
        if w.lower() not in have
        and w.lower() not in analyzer.stopwords
        and w.lower() not in QUESTION_WORDS
    ]
    return f"{asked} ({' '.join(carried)})" if carried else asked


def _named(question: str, person: str) -> str:
    """`question` with its personal pronouns replaced by `person`."""
    english = detect_language(question, default="en") == "en"

    def name(match: re.Match[str]) -> str:
        word = match.group(0).lower()
        # "her" is possessive before a noun ("her talk"), an object at the end ("ask her").
        before_word = re.match(r"\s+\w", question[match.end() :]) is not None
        possessive = english and (word in ("his", "hers") or (word == "her" and before_word))
        return f"{person}'s" if possessive else person

    pattern = r"\b(" + "|".join(sorted(_personal(question))) + r")\b"
    return re.sub(pattern, name, question, flags=re.IGNORECASE)


def _points_to_person(question: str) -> bool:
    """A personal pronoun that stands for someone named before: not "han fra Georgetown"
    (a description), and not in a question that names a person itself."""
    if any(is_person(p) for p in phrases(question)):
        return False
    personal = _personal(question)
    words = re.findall(r"[\w'’-]+", question.lower())
    return any(
        w in personal and not (i + 2 < len(words) and words[i + 1] in _DESCRIBED)
        for i, w in enumerate(words)
    )


def _personal(question: str) -> frozenset[str]:
    english = detect_language(question, default="en") == "en"
    return _PERSONAL | _PERSONAL_EN_ONLY if english else _PERSONAL


class Pages(Protocol):
    """What reading on needs of an index (a HybridSearcher)."""

    def beside(self, hit: Hit, step: int) -> Hit | None: ...

    def layout(self, doc_id: str, page: int) -> PageLayout: ...


# How many passages on from a quoted one (either way) "what else" reads through.
_READ_ON = 2


def read_on(retrieval: Retrieval, said: Callable[[str], bool], pages: Pages) -> Retrieval:
    """`retrieval` for "what else": passages whose every sentence `said` are left out; the
    passages the conversation quoted from, and the nearest ones before and after each in
    its document with anything unsaid (at most _READ_ON away), come first, so the answer
    goes on around where it stopped."""
    retrieved = {h.chunk.id: h for h in retrieval.hits}
    # A passage read on to that was not retrieved ranks with the least of those that were.
    floor = min((h.dense_score for h in retrieval.hits if h.dense_score is not None), default=None)
    around: dict[str, Hit] = {}  # where the conversation was: first
    for hit in retrieval.hits:
        quoted = _quoted(hit, said)
        if not any(quoted):
            continue
        if not all(quoted):
            around.setdefault(hit.chunk.id, hit)
        for step in (1, -1):
            found = _unsaid_beside(hit, step, said, pages)
            if found is not None:
                near = retrieved.get(found.chunk.id, replace(found, dense_score=floor))
                around.setdefault(near.chunk.id, near)
    rest = [h for h in retrieval.hits if h.chunk.id not in around and not all(_quoted(h, said))]
    hits = [*around.values(), *rest]
    layouts = dict(retrieval.layouts)
    for hit in hits:
        key = (hit.chunk.doc_id, hit.chunk.page)
        if key not in layouts:
            layouts[key] = pages.layout(*key)
    return replace(retrieval, hits=hits, layouts=layouts)


def _unsaid_beside(hit: Hit, step: int, said: Callable[[str], bool], pages: Pages) -> Hit | None:
    """The nearest passage `step`-wise of `hit` with something unsaid (_READ_ON at most)."""
    beside: Hit | None = hit
    for _ in range(_READ_ON):
        beside = pages.beside(beside, step) if beside is not None else None
        if beside is None:
            return None
        if not all(_quoted(beside, said)):
            return beside
    return None


def _quoted(hit: Hit, said: Callable[[str], bool]) -> list[bool]:
    text = hit.chunk.text
    return [said(text[a:b]) for a, b in split_sentences(text)] or [False]
