"""Fits and measures when kilde answers, and which sentences it quotes, on two corpora.

The weights in assistant/relevance.py (when the sources answer a question) and
assistant/passages.py (which sentences answer it) come from here. Every item's
split (tuning or validation half) is fixed by a hash of its id
(assistant.evaluation.split_of). This script fits on the tuning halves only
and prints the figures for both halves, per corpus and language, so a fit that
only holds on what it saw shows.

Corpora (data folders made by `kilde ingest`):
  --report DIR   the bundled report alone (`kilde --data-dir DIR ingest --offline`)
  --articles DIR NorQuAD's development articles added as a folder to the report
                 (`kilde --data-dir DIR ingest ../shared/eval/norquad-dev/docs`)
Question sets (JSON Lines, `evidence: []` for unanswerable questions) go with
the corpus they are about: --report-sets and --articles-sets. Without --articles
only the report's corpus is measured (what `make bench` does on a fresh clone).

Run from the repository root:
  .venv/bin/python bench/abstention.py --report R --articles A \\
      --report-sets tests/data/report-questions.jsonl ../shared/eval/dev.jsonl \\
          ../shared/eval/offtopic-dev.jsonl tests/data/norquad-unanswerable.jsonl \\
      --articles-sets ../shared/eval/norquad-dev/questions.jsonl \\
          tests/data/norquad-unanswerable.jsonl ../shared/eval/offtopic-dev.jsonl \\
          tests/data/report-questions.jsonl [--fit]
"""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parent
_ROOT = _BENCH.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_ROOT))

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import numpy as np  # noqa: E402

from assistant import passages, relevance  # noqa: E402
from assistant.evaluation import EvalItem, contains_evidence, load_items  # noqa: E402
from assistant.extractive import ExtractiveAnswerer  # noqa: E402
from index.analyzer import Analyzer  # noqa: E402
from index.language import detect_language  # noqa: E402
from index.search import Retrieval  # noqa: E402
from ui import wiring  # noqa: E402
from ui.config import load_config  # noqa: E402


@dataclass
class Case:
    corpus: str
    item: EvalItem
    retrieval: Retrieval
    lang: str  # "no" or "en", as detected


def cases(corpus: str, data: Path, sets: Sequence[Path], k: int) -> list[Case]:
    config = load_config(None, {"KILDE_PATHS__DATA_DIR": str(data)})
    searcher = wiring.searcher(config)
    seen: set[str] = set()
    out = []
    for path in sets:
        for item in load_items(path):
            if item.type != "qa" or item.id in seen:
                continue
            seen.add(item.id)
            lang = detect_language(item.text, default="en")
            out.append(Case(corpus, item, searcher.retrieve(item.text, k), lang))
    return out


def feature_rows(answerer: ExtractiveAnswerer, all_cases: Sequence[Case]) -> np.ndarray:
    rows = []
    for case in all_cases:
        judgement, _candidates = answerer.judge(case.item.text, case.retrieval)
        rows.append(list(judgement.features.values()))
    return np.array(rows)


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float = 0.01) -> np.ndarray:
    """Weighted logistic regression by gradient descent (last coefficient: the bias)."""
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    for _ in range(8000):
        p = 1 / (1 + np.exp(-design @ beta))
        grad = design.T @ (weight * (p - y)) / weight.sum() + l2 * np.r_[beta[:-1], 0]
        beta -= 0.3 * grad
    return beta


def report(answerer: ExtractiveAnswerer, all_cases: Sequence[Case]) -> None:
    print(
        f"{'half':<9}{'corpus':<9}{'lang':<5}{'n':>4}{'answered':>10}{'cites':>8}"
        f"{'contains':>10}{'n_unans':>9}{'declined':>10}"
    )
    for half in ("tune", "validate"):
        for corpus in dict.fromkeys(c.corpus for c in all_cases):
            for lang in ("all", "no", "en"):
                chosen = [
                    c
                    for c in all_cases
                    if c.item.split == half
                    and c.corpus == corpus
                    and (lang == "all" or _lang(c.item.lang) == lang)
                ]
                _line(answerer, half, corpus, lang, chosen)
    print("\nunanswerable questions declined (offtopic: everyday; near: on the corpus's topic)")
    for half in ("tune", "validate"):
        for corpus in dict.fromkeys(c.corpus for c in all_cases):
            for kind in ("offtopic", "near"):
                for lang in ("no", "en"):
                    chosen = [
                        c
                        for c in all_cases
                        if c.item.split == half
                        and c.corpus == corpus
                        and not c.item.evidence
                        and _kind(c.item) == kind
                        and _lang(c.item.lang) == lang
                    ]
                    declined = sum(
                        not answerer.answer(c.item.text, c.retrieval, c.lang).answered
                        for c in chosen
                    )
                    if chosen:
                        print(
                            f"{half:<9}{corpus:<9}{kind:<9}{lang:<4}{len(chosen):>4}"
                            f"{declined / len(chosen):>8.3f}"
                        )


def _kind(item: EvalItem) -> str:
    # kilde's own sets mark each unanswerable question near or far from the corpus's
    # topic; the shared everyday set (dev-ot-*) is all far.
    return "near" if _KINDS.get(item.id) == "near" else "offtopic"


_KINDS: dict[str, str] = {}


def read_kinds(sets: Sequence[Path]) -> None:
    for path in sets:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                if "kind" in data:
                    _KINDS[str(data["id"])] = str(data["kind"])


def _lang(code: str) -> str:
    return "no" if code in ("nb", "nn", "no") else code


def _line(
    answerer: ExtractiveAnswerer, half: str, corpus: str, lang: str, chosen: Sequence[Case]
) -> None:
    answerable = [c for c in chosen if c.item.evidence]
    unanswerable = [c for c in chosen if not c.item.evidence]
    answered = cites = contains = gold = declined = 0
    for case in answerable:
        answer = answerer.answer(case.item.text, case.retrieval, case.lang)
        answered += answer.answered
        cites += answer.answered and any(
            contains_evidence(c.passage, case.item.evidence) for c in answer.citations
        )
        if case.item.answer:
            gold += 1
            contains += answer.answered and contains_evidence(answer.text, (case.item.answer,))
    for case in unanswerable:
        declined += not answerer.answer(case.item.text, case.retrieval, case.lang).answered
    n = max(len(answerable), 1)
    print(
        f"{half:<9}{corpus:<9}{lang:<5}{len(answerable):>4}{answered / n:>10.3f}{cites / n:>8.3f}"
        f"{(contains / gold if gold else math.nan):>10.3f}{len(unanswerable):>9}"
        f"{(declined / len(unanswerable) if unanswerable else math.nan):>10.3f}"
    )


def grid(answerer: ExtractiveAnswerer, answerable: Sequence[Case]) -> None:
    """Sentence weights by how often answers cite the evidence and contain the gold answer
    (the mean over both corpora), on answerable tuning items; sets the best."""
    best: tuple[float, float, float, float] | None = None
    for own in (0.3, 0.5, 0.7, 0.9):
        for cover in (1.0, 2.0, 4.0):
            for kind in (0.5, 1.0):
                passages.OWN_SHARE, passages.COVER_WEIGHT, passages.KIND_WEIGHT = own, cover, kind
                score = float(np.mean([_quality(answerer, c) for c in answerable]))
                print(f"  own {own} cover {cover} kind {kind}: {score:.3f}")
                if best is None or score > best[0]:
                    best = (score, own, cover, kind)
    assert best is not None
    print("best (quality, own share, cover, kind)", best)
    passages.OWN_SHARE, passages.COVER_WEIGHT, passages.KIND_WEIGHT = best[1:]


def _quality(answerer: ExtractiveAnswerer, case: Case) -> float:
    _judgement, candidates = answerer.judge(case.item.text, case.retrieval)
    if not candidates:
        return 0.0
    chosen = answerer.choose(candidates)
    text = " ".join(s.text for s in chosen)
    cites = any(contains_evidence(s.hit.chunk.text, case.item.evidence) for s in chosen)
    gold = contains_evidence(text, (case.item.answer,)) if case.item.answer else cites
    return (cites + gold) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--articles", type=Path, help="absent: the report's corpus alone")
    parser.add_argument("--report-sets", type=Path, nargs="+", required=True)
    parser.add_argument("--articles-sets", type=Path, nargs="*", default=[])
    parser.add_argument("-k", type=int, default=6)
    parser.add_argument("--fit", action="store_true", help="refit the relevance weights")
    parser.add_argument(
        "--grid", action="store_true", help="search the sentence weights on the tuning halves"
    )
    args = parser.parse_args()
    articles_sets = args.articles_sets if args.articles else []
    all_cases = cases("report", args.report, args.report_sets, args.k)
    if args.articles:
        all_cases += cases("articles", args.articles, articles_sets, args.k)
    read_kinds([*args.report_sets, *articles_sets])
    answerer = ExtractiveAnswerer(Analyzer())
    if args.grid:
        grid(answerer, [c for c in all_cases if c.item.split == "tune" and c.item.evidence])
    if args.fit:
        tune = [c for c in all_cases if c.item.split == "tune"]
        x = feature_rows(answerer, tune)
        y = np.array([float(bool(c.item.evidence)) for c in tune])
        # Each corpus and each class weighs the same, however many items it has.
        weight = np.ones(len(tune))
        for corpus in ("report", "articles"):
            for label in (0.0, 1.0):
                mask = np.array([c.corpus == corpus for c in tune]) & (y == label)
                weight[mask] = 1 / max(1, mask.sum())
        beta = fit(x, y, weight)
        names = list(relevance.WEIGHTS)
        relevance.WEIGHTS.update(zip(names, beta[:-1].round(3).tolist(), strict=True))
        relevance.BIAS = float(beta[-1].round(3))
        print("fitted on the tuning halves:", relevance.WEIGHTS, "bias", relevance.BIAS)
    print(f"relevance: answer at p >= {relevance.ANSWER}, clear at p >= {relevance.CLEAR}")
    report(answerer, all_cases)


if __name__ == "__main__":
    main()
