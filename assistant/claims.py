"""Checking a claim against the sources without a model.

The best evidence sentence is found by similarity; then the claim's facts are
compared with it literally: numbers of the same kind, names (when claim and
source share a language), and words of opposite meaning ("within" against
"utenfor"). A claim is `supported` only when it is close in meaning and every
number and name it states is in the evidence; `contradicted` when it is close
and a fact conflicts; otherwise `not_in_sources`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer import ClaimResult
from assistant.facts import Facts, facts_of, month_name, opposed_poles, pole_words
from assistant.passages import ScoredSentence, by_similarity, scored_sentences
from index.analyzer import Analyzer
from index.language import detect_language
from index.search import Retrieval

# Similarities on multilingual-e5-small's scale (see assistant/extractive.py).
SUPPORTED_AT = 0.87
# Across languages there is no word overlap to confirm a match, so similarity must be higher.
SUPPORTED_ACROSS_AT = 0.88
_SAME_STEM = 3
CONTRADICTED_AT = 0.85
# A claim in the sources' own language must also share most of its words with them.
WORD_COVERAGE = 0.5


@dataclass(frozen=True)
class Finding:
    verdict: str
    reason_en: str
    reason_no: str


class ExtractiveClaimChecker:
    name = "extractive"

    def __init__(self, analyzer: Analyzer | None = None, passages: int = 3) -> None:
        self._analyzer = analyzer or Analyzer()
        self._passages = passages

    def check(self, claim: str, retrieval: Retrieval) -> ClaimResult:
        lang = detect_language(claim, default="en")
        sentences = by_similarity(scored_sentences(retrieval.hits, self._passages))
        if not sentences:
            return self._result(
                claim,
                lang,
                Finding(
                    "not_in_sources",
                    "nothing in the sources is close to this claim",
                    "ingenting i kildene ligger nær påstanden",
                ),
                0.9,
                [],
            )
        best = sentences[0]
        finding = self._judge(claim, best)
        confidence = _confidence(finding.verdict, best.similarity)
        return self._result(claim, lang, finding, confidence, [best])

    def _judge(self, claim: str, best: ScoredSentence) -> Finding:
        similarity = best.similarity
        same_language = detect_language(claim) == best.hit.chunk.lang
        claim_facts = facts_of(claim)
        sentence_facts = facts_of(best.text)
        passage_facts = facts_of(best.hit.chunk.text)
        if similarity >= CONTRADICTED_AT:
            conflict = _conflict(
                claim_facts, sentence_facts, passage_facts, same_language, claim, best.text
            )
            if conflict is not None:
                return conflict
        missing = _unverified(claim_facts, passage_facts, same_language)
        if missing:
            return Finding(
                "not_in_sources",
                f"the sources do not mention {missing} [1]",
                f"kildene nevner ikke {missing} [1]",
            )
        covered = self._covered(claim, best) if same_language else similarity >= SUPPORTED_ACROSS_AT
        if similarity >= SUPPORTED_AT and covered:
            return Finding("supported", "the source says this [1]", "kilden sier dette [1]")
        return Finding(
            "not_in_sources",
            "the closest passage does not say this [1]",
            "det nærmeste avsnittet sier ikke dette [1]",
        )

    def _covered(self, claim: str, best: ScoredSentence) -> bool:
        words = self._analyzer.terms(claim, "und")
        passage = set(self._analyzer.terms(best.hit.chunk.text, "und"))
        return bool(words) and sum(t in passage for t in words) / len(words) >= WORD_COVERAGE

    def _result(
        self,
        claim: str,
        lang: str,
        finding: Finding,
        confidence: float,
        evidence: list[ScoredSentence],
    ) -> ClaimResult:
        reason = finding.reason_no if lang == "no" else finding.reason_en
        return ClaimResult(
            claim,
            finding.verdict,
            confidence,
            reason,
            tuple(s.evidence() for s in evidence),
            self.name,
        )


def _closest_names(
    claim_text: str, sentence_text: str, stated: list[str], others: list[str]
) -> list[str]:
    """The source's names that stand where the claim's stand ("i Bergen" / "i Stavanger")."""
    before = {_word_before(claim_text, name) for name in stated} - {""}
    matching = [n for n in others if _word_before(sentence_text, n) in before]
    return (matching or others)[:3]


def _word_before(text: str, name: str) -> str:
    match = re.search(rf"(\w+)\s+{re.escape(name)}\b", text, re.IGNORECASE)
    return match.group(1).lower() if match else ""


def _conflict(
    claim: Facts,
    sentence: Facts,
    passage: Facts,
    same_language: bool,
    claim_text: str = "",
    sentence_text: str = "",
) -> Finding | None:
    for kind, values in claim.numbers.items():
        others = passage.numbers.get(kind, frozenset())
        # A month is only compared with months ("10" may be a day elsewhere).
        stated = sorted(values - (others if kind == "month" else passage.all_numbers()))
        if stated and others:
            return Finding(
                "contradicted",
                f"the claim says {_shown(kind, stated[:1], 'en')}; the source says "
                f"{_shown(kind, sorted(others), 'en')} [1]",
                f"påstanden sier {_shown(kind, stated[:1], 'no')}; kilden sier "
                f"{_shown(kind, sorted(others), 'no')} [1]",
            )
    if same_language:
        stated_names = sorted(claim.names - passage.capitalised)
        other_names = sorted(sentence.names - claim.names)
        if stated_names and other_names:
            a = ", ".join(stated_names[:3]).title()
            b = ", ".join(
                _closest_names(claim_text, sentence_text, stated_names, other_names)
            ).title()
            return Finding(
                "contradicted",
                f"the claim says {a}; the source says {b} [1]",
                f"påstanden sier {a}; kilden sier {b} [1]",
            )
    opposed = opposed_poles(claim, sentence)
    if opposed:
        ours, theirs = opposed[0]
        return Finding(
            "contradicted",
            f"the claim says '{pole_words(ours)}'; the source says '{pole_words(theirs)}' [1]",
            f"påstanden sier '{pole_words(ours)}'; kilden sier '{pole_words(theirs)}' [1]",
        )
    if same_language and claim.negated != sentence.negated:
        return Finding(
            "contradicted", "the source says the opposite [1]", "kilden sier det motsatte [1]"
        )
    return None


def _shown(kind: str, values: list[str], lang: str) -> str:
    if kind == "month":
        return ", ".join(month_name(v, lang) for v in values)
    return ", ".join(values)


def _unverified(claim: Facts, passage: Facts, same_language: bool) -> str:
    numbers = sorted(claim.all_numbers() - passage.all_numbers())
    names = sorted(
        n
        for n in claim.names - passage.names
        # Across languages a name changes its ending (Norway / Norge, Seville / Sevilla).
        if same_language or not any(p[:_SAME_STEM] == n[:_SAME_STEM] for p in passage.capitalised)
    )
    return ", ".join([*numbers, *(n.title() for n in names)])


def _confidence(verdict: str, similarity: float) -> float:
    # Further from the thresholds is surer; capped, since the rules are coarse.
    if verdict == "supported":
        return min(0.95, 0.6 + (similarity - SUPPORTED_AT) * 4)
    if verdict == "contradicted":
        return min(0.9, 0.6 + (similarity - CONTRADICTED_AT) * 3)
    return min(0.9, 0.6 + max(0.0, SUPPORTED_AT - similarity) * 4)
