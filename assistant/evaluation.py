"""Evaluating retrieval on a JSON Lines set of questions and claims with verbatim evidence.

A hit is a retrieved chunk whose text contains one of the item's evidence
strings (whitespace-normalised). Beside recall@k and MRR, "budget recall"
joins the hits in rank order, keeps the first 2,000 characters (what an
answer can use) and asks whether an evidence string is inside: recall@k alone
rewards huge chunks that locate nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answer import Answer, ClaimResult
from index.hit import Hit

BUDGET = 2000
KS = (1, 5, 10)


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


def load_items(path: Path) -> list[EvalItem]:
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise EvalFileError(f"cannot read {path}: {error.strerror}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            text = str(data["question"] if data["type"] == "qa" else data["claim"])
            if not text.strip():
                raise ValueError("the question or claim is empty")
            items.append(
                EvalItem(
                    data["id"],
                    data["type"],
                    data.get("lang", "und"),
                    text,
                    tuple(data.get("evidence", ())),
                    data.get("label"),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise EvalFileError(
                f"{path} line {number}: not an evaluation item ({error})"
            ) from error
    return items


def normalise(text: str) -> str:
    return " ".join(text.split())


def contains_evidence(text: str, evidence: Sequence[str]) -> bool:
    haystack = normalise(text)
    return any(normalise(e) in haystack for e in evidence if e.strip())


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
        for group in ("all", f"lang={item.lang}", f"type={item.type}"):
            groups.setdefault(group, RetrievalScores()).add(first, budget)
    return dict(sorted(groups.items()))


@dataclass
class AnswerScores:
    """For questions: how often an answer cites the evidence, and how much it doubts itself."""

    n: int = 0
    cited_evidence: int = 0
    sentences: int = 0
    unsupported: int = 0
    foreign_citations: int = 0  # citations to passages that were not retrieved
    unanswerable: int = 0  # questions without evidence in the sources
    declined: int = 0  # of those, answered with the "sources do not answer" sentinel

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
        self.cited_evidence += any(
            contains_evidence(c.passage, item.evidence) for c in answer.citations
        )

    def to_json(self) -> dict[str, float]:
        return {
            "n": self.n,
            "cites_evidence": round(self.cited_evidence / max(self.n, 1), 3),
            "unsupported_sentences": round(self.unsupported / max(self.sentences, 1), 3),
            "citations_not_retrieved": self.foreign_citations,
            "unanswerable": self.unanswerable,
            "declined_unanswerable": round(self.declined / max(self.unanswerable, 1), 3),
        }


@dataclass
class ClaimScores:
    total: dict[str, int] = field(default_factory=dict)
    right: dict[str, int] = field(default_factory=dict)
    absent_called_supported: int = 0

    def add(self, item: EvalItem, result: ClaimResult) -> None:
        label = item.label or "unknown"
        self.total[label] = self.total.get(label, 0) + 1
        self.right[label] = self.right.get(label, 0) + (result.verdict == label)
        self.absent_called_supported += label == "not_in_sources" and result.verdict == "supported"

    def to_json(self) -> dict[str, float]:
        n = sum(self.total.values())
        out: dict[str, float] = {"n": n, "accuracy": round(sum(self.right.values()) / max(n, 1), 3)}
        for label in sorted(self.total):
            out[f"accuracy[{label}]"] = round(self.right[label] / self.total[label], 3)
        out["not_in_sources_called_supported"] = self.absent_called_supported
        return out


def evaluate_answers(
    items: Sequence[EvalItem],
    ask: Callable[[str], Answer],
    check: Callable[[str], ClaimResult],
) -> tuple[AnswerScores, ClaimScores]:
    answers, claims = AnswerScores(), ClaimScores()
    for item in items:
        if item.type == "qa":
            answers.add(item, ask(item.text))
        elif item.type == "claim" and item.text.strip():
            claims.add(item, check(item.text))
    return answers, claims
