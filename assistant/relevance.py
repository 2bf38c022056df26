"""Whether the sources answer a question: one decision for every answer backend.

A logistic model over features that mean the same on any corpus and with any
embedder (fitted and measured by bench/abstention.py on the tuning halves of
two corpora: the bundled report, and 282 NorQuAD articles with the report):

- evidence: the best similarity in calibration spreads above what the bank of
  unanswerable questions in the question's language reaches on this corpus
  (index/calibration.py);
- cover: the weighted share of the question's salient words (names, rare
  words) that one retrieved sentence or its heading holds, when question and
  passage share a language; and the same across languages, where only names
  and cognates can match;
- same: question and passages in one language;
- unknown names: a name the corpus does not contain anywhere;
- kind missing: a question asking for a number, date, name or place whose
  best sentences hold none.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.passages import ScoredSentence
from assistant.question import COMMON_ZIPF, Question
from index.frequency import wordfreq_language, zipf
from index.search import Retrieval

# Fitted by bench/abstention.py (see its printout for the figures on both corpora).
WEIGHTS = {
    "evidence": 0.705,
    "cover_same": 1.946,
    "cover_across": 0.651,
    "same": -0.242,
    "unknown_names": -0.648,
    "kind_missing": 0.019,
}
BIAS = -1.707
# Below ANSWER the sources are taken not to answer; below CLEAR the answer says it may not.
# 0.3: the highest p at which Norwegian answerable questions on the articles are answered
# 0.95 or more (tuning half 0.955, validation 0.956); everyday questions are then declined
# 0.84 / 0.96 on the report and 0.94 / 0.92 on the articles.
ANSWER = 0.3
CLEAR = 0.6
# The sentences whose words and kinds count: the best few, as an answer would quote.
_SENTENCES = 3


@dataclass(frozen=True)
class Judgement:
    probability: float  # that the sources answer the question
    answer: bool
    clear: bool  # answer without saying it may not
    features: dict[str, float]


@dataclass(frozen=True)
class Relevance:
    answer_at: float = ANSWER
    clear_at: float = CLEAR

    def judge(
        self, question: Question, retrieval: Retrieval, sentences: Sequence[ScoredSentence]
    ) -> Judgement:
        found = features(question, retrieval, sentences)
        z = BIAS + sum(WEIGHTS[name] * value for name, value in found.items())
        probability = 1 / (1 + math.exp(-z))
        # A question about a name the corpus does not contain anywhere ("What did Angela
        # Merkel say ...") is not answered from passages that merely share its topic.
        # Measured: such names in 2 of 543 answerable questions (both common words in
        # titles, which do not count) and in 69 of 272 unanswerable ones.
        missing = unknown_salient_names(question, retrieval)
        answer = probability >= self.answer_at and not missing
        return Judgement(probability, answer, answer and probability >= self.clear_at, found)


def unknown_salient_names(question: Question, retrieval: Retrieval) -> list[str]:
    """The question's names that the corpus lacks and that are not common words."""
    lang = wordfreq_language(question.lang)
    return [n for n in retrieval.unknown_names if zipf(n.lower(), lang) < COMMON_ZIPF]


def features(
    question: Question, retrieval: Retrieval, sentences: Sequence[ScoredSentence]
) -> dict[str, float]:
    langs = [h.chunk.lang for h in retrieval.hits[:3]]
    passage_lang = max(set(langs), key=langs.count) if langs else "und"
    same = float(question.lang == passage_lang)
    cover = max((s.cover for s in sentences), default=0.0)
    best = sentences[:_SENTENCES]
    kind_missing = question.kind != "other" and not any(s.kind_ok for s in best)
    return {
        "evidence": retrieval.evidence,
        "cover_same": cover * same,
        "cover_across": cover * (1 - same),
        "same": same,
        "unknown_names": float(bool(retrieval.unknown_names)),
        "kind_missing": float(kind_missing),
    }
