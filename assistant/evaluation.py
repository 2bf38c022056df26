"""Evaluating retrieval, answers and claim checks on JSON Lines sets with verbatim evidence.

A hit is a retrieved chunk whose text contains one of the item's evidence
strings (whitespace-normalised). Beside recall@k and MRR, "budget recall"
joins the hits in rank order, keeps the first 2,000 characters (what an
answer can use) and asks whether an evidence string is inside: recall@k alone
rewards huge chunks that locate nothing.

Every development set is split into a tuning half and a validation half by a
hash of each item's id (`split_of`), so the halves stay the same whatever the
order of the file and whoever runs it: tune on one, report both.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answer import Answer, ClaimResult
from assistant.texts import normalise
from index.hit import Hit

BUDGET = 2000
KS = (1, 5, 10)
SPLITS = ("tune", "validate")
VERDICTS = ("supported", "contradicted", "not_in_sources")


class EvalFileError(Exception):
    """The evaluation file cannot be read; the message names the line."""


@dataclass(frozen=True)
class EvalItem:
    id: str
    type: str  # qa | claim
    lang: str
    text: str  # the question or the claim
    evidence: tuple[str, ...]
    label: str | None = None  # claims: supported | contradicted | not_in_sources
    answer: str | None = None  # questions: the span a right answer contains, if known

    @property
    def split(self) -> str:
        return split_of(self.id)


def split_of(item_id: str) -> str:
    """ "tune" or "validate", from the id alone: stable across files, orders and machines."""
    return SPLITS[hashlib.sha256(item_id.encode("utf-8")).digest()[0] % 2]


def load_items(path: Path, split: str | None = None) -> list[EvalItem]:
    """The items of a JSON Lines file; only those of one split when `split` is given."""
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise EvalFileError(f"cannot read {path}: {error.strerror}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            items.append(_item(json.loads(line)))
        except (ValueError, KeyError, TypeError) as error:
            raise EvalFileError(
                f"{path} line {number}: not an evaluation item ({error})"
            ) from error
    return [i for i in items if split in (None, "all") or i.split == split]


def _item(data: dict[str, object]) -> EvalItem:
    kind = str(data["type"])
    if kind not in ("qa", "claim"):
        raise ValueError(f"type must be qa or claim, not {kind!r}")
    text = str(data["question"] if kind == "qa" else data["claim"])
    if not text.strip():
        raise ValueError("the question or claim is empty")
    label = data.get("label")
    if kind == "claim" and label not in VERDICTS:
        raise ValueError(f"a claim's label must be one of {', '.join(VERDICTS)}, not {label!r}")
    evidence = data.get("evidence") or ()
    if not isinstance(evidence, list | tuple):
        raise ValueError("evidence must be a list of strings")
    answer = data.get("answer")
    return EvalItem(
        str(data["id"]),
        kind,
        _language(str(data.get("lang", "und"))),
        text,
        tuple(str(e) for e in evidence),
        str(label) if label else None,
        str(answer) if answer else None,
    )


def _language(code: str) -> str:
    # Bokmål and nynorsk are reported apart; "no" is the older code for bokmål.
    return "nb" if code == "no" else code


def contains_evidence(text: str, evidence: Sequence[str]) -> bool:
    haystack = normalise(text)
    return any(normalise(e) in haystack for e in evidence if e.strip())


def _groups(item: EvalItem) -> tuple[str, ...]:
    return ("all", f"lang={item.lang}")


@dataclass
class RetrievalScores:
    n: int = 0
    hits_at: dict[int, int] = field(default_factory=lambda: dict.fromkeys(KS, 0))
    reciprocal: float = 0.0
    in_budget: int = 0

    def add(self, first: int | None, budget: bool) -> None:
        self.n += 1
        for k in KS:
            self.hits_at[k] += first is not None and first <= k
        self.reciprocal += 1 / first if first else 0.0
        self.in_budget += budget

    def to_json(self) -> dict[str, float]:
        n = max(self.n, 1)
        out: dict[str, float] = {"n": self.n}
        out.update({f"recall@{k}": round(self.hits_at[k] / n, 3) for k in KS})
        out["mrr"] = round(self.reciprocal / n, 3)
        out[f"budget_recall@{BUDGET}"] = round(self.in_budget / n, 3)
        return out


def evaluate_retrieval(
    items: Sequence[EvalItem], search: Callable[[str, int], list[Hit]]
) -> dict[str, RetrievalScores]:
    """Scores overall, per language and per type; items without evidence are skipped."""
    groups: dict[str, RetrievalScores] = {}
    for item in items:
        if not item.evidence:
            continue
        hits = search(item.text, max(KS))
        first = next(
            (
                rank
                for rank, h in enumerate(hits, 1)
                if contains_evidence(h.chunk.text, item.evidence)
            ),
            None,
        )
        context = "\n".join(h.chunk.text for h in hits)[:BUDGET]
        budget = contains_evidence(context, item.evidence)
        for group in (*_groups(item), f"type={item.type}"):
            groups.setdefault(group, RetrievalScores()).add(first, budget)
    return dict(sorted(groups.items()))


@dataclass
class AnswerScores:
    """For questions: whether answers cite the evidence and contain the gold answer, how
    often answerable questions are answered and unanswerable ones declined."""

    n: int = 0  # answerable questions
    answered: int = 0  # of those, answered (not the "sources do not answer" sentinel)
    cited_evidence: int = 0
    with_gold: int = 0  # answerable questions that carry a gold answer span
    contains_gold: int = 0
    sentences: int = 0
    unsupported: int = 0
    foreign_citations: int = 0  # citations to passages that were not retrieved
    unanswerable: int = 0  # questions without evidence in the sources
    declined: int = 0  # of those, answered with the sentinel

    def add(self, item: EvalItem, answer: Answer) -> None:
        retrieved = {h.chunk.id for h in answer.closest}
        self.foreign_citations += sum(c.chunk_id not in retrieved for c in answer.citations)
        self.sentences += len(answer.sentences)
        self.unsupported += sum(not s.supported for s in answer.sentences)
        if not item.evidence:
            self.unanswerable += 1
            self.declined += not answer.answered
            return
        self.n += 1
        self.answered += answer.answered
        self.cited_evidence += answer.answered and any(
            contains_evidence(c.passage, item.evidence) for c in answer.citations
        )
        if item.answer:
            self.with_gold += 1
            self.contains_gold += answer.answered and contains_evidence(answer.text, (item.answer,))

    def to_json(self) -> dict[str, float]:
        out: dict[str, float] = {"n": self.n}
        if self.n:
            out["cites_evidence"] = _share(self.cited_evidence, self.n)
            out["answerable_answered"] = _share(self.answered, self.n)
        if self.with_gold:
            out["contains_answer"] = _share(self.contains_gold, self.with_gold)
        out["unanswerable"] = self.unanswerable
        if self.unanswerable:
            out["unanswerable_declined"] = _share(self.declined, self.unanswerable)
        out["unsupported_sentences"] = _share(self.unsupported, self.sentences)
        out["citations_not_retrieved"] = self.foreign_citations
        return out


@dataclass
class ClaimScores:
    """A confusion matrix of claim verdicts: label -> verdict -> count."""

    matrix: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, item: EvalItem, result: ClaimResult) -> None:
        row = self.matrix.setdefault(item.label or "unknown", dict.fromkeys(VERDICTS, 0))
        row[result.verdict] = row.get(result.verdict, 0) + 1

    @property
    def n(self) -> int:
        return sum(sum(row.values()) for row in self.matrix.values())

    @property
    def wrongly_supported(self) -> int:
        """False or absent claims called supported: the one error kilde must never make."""
        return sum(
            row.get("supported", 0) for label, row in self.matrix.items() if label != "supported"
        )

    def to_json(self) -> dict[str, object]:
        right = sum(row.get(label, 0) for label, row in self.matrix.items())
        out: dict[str, object] = {"n": self.n, "accuracy": _share(right, self.n)}
        for label in sorted(self.matrix):
            row = self.matrix[label]
            out[f"accuracy[{label}]"] = _share(row.get(label, 0), sum(row.values()))
        out["false_or_absent_called_supported"] = self.wrongly_supported
        out["confusion"] = {label: dict(row) for label, row in sorted(self.matrix.items())}
        return out


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


@dataclass
class Evaluation:
    """Answer and claim scores for every group ("all", "lang=nb", ...)."""

    answers: dict[str, AnswerScores] = field(default_factory=dict)
    claims: dict[str, ClaimScores] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "answers": {g: s.to_json() for g, s in sorted(self.answers.items())},
            "claims": {g: s.to_json() for g, s in sorted(self.claims.items())},
        }


def evaluate_answers(
    items: Iterable[EvalItem],
    ask: Callable[[str], Answer],
    check: Callable[[str], ClaimResult],
) -> Evaluation:
    result = Evaluation()
    for item in items:
        if item.type == "qa":
            answer = ask(item.text)
            for group in _groups(item):
                result.answers.setdefault(group, AnswerScores()).add(item, answer)
        elif item.type == "claim":
            verdict = check(item.text)
            for group in _groups(item):
                result.claims.setdefault(group, ClaimScores()).add(item, verdict)
    return result
