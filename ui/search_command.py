"""`kilde search` and `kilde eval`: retrieval from the command line."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.evaluation import (
    EvalFileError,
    evaluate_answers,
    evaluate_retrieval,
    load_items,
)
from assistant.llms import make_llm
from index.hit import Hit
from index.search import Filters
from ui import wiring
from ui.config import Config


def run_search(
    config: Config, queries: Sequence[str], *, k: int, as_json: bool, filters: Filters
) -> int:
    searcher = wiring.searcher(config)  # the models load once for every query
    results = [(q, searcher.search(q, k, filters)) for q in queries]
    if as_json:
        print(
            json.dumps(
                [
                    {"query": q, "hits": [h.to_json(r) for r, h in enumerate(hits, 1)]}
                    for q, hits in results
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print("\n\n".join(_show(q, hits) for q, hits in results))
    return 0


def _show(query: str, hits: list[Hit]) -> str:
    lines = [f"# {query}"]
    if not hits:
        lines.append("  (nothing found)")
    for rank, hit in enumerate(hits, 1):
        text = " ".join(hit.chunk.text.split())
        lines.append(f"{rank:>2}. {hit.title} — {hit.location()}  [{hit.score:.3f}]")
        lines.append(f"    {text[:300]}{'…' if len(text) > 300 else ''}")
    return "\n".join(lines)


def run_eval(
    config: Config,
    paths: Sequence[Path],
    *,
    as_json: bool,
    mode: str = "hybrid",
    split: str = "all",
) -> int:
    """Retrieval, answers and claims on one or more evaluation files, per language."""
    items = [item for path in paths for item in load_items(path, split)]
    if not items:
        raise EvalFileError(
            f"no evaluation items in the {split} split of {', '.join(map(str, paths))}"
        )
    searcher = wiring.searcher(config)
    assistant = wiring.assistant_for(config, searcher, make_llm(config.llm, os.environ))
    retrieval = evaluate_retrieval(items, lambda q, k: searcher.search(q, k, mode=mode))
    scores = evaluate_answers(items, assistant.ask, lambda c: assistant.check(c)[0])
    report = {
        "split": split,
        "backend": assistant.backend,
        "retrieval": {group: s.to_json() for group, s in retrieval.items()},
        **scores.to_json(),
    }
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(show_evaluation(report))
    return 0


def show_evaluation(report: dict[str, Any]) -> str:
    lines = [f"split: {report['split']}, answers by {report['backend']}"]
    for section in ("retrieval", "answers", "claims"):
        table: dict[str, dict[str, Any]] = report[section]
        if not table:
            continue
        lines.append(section)
        columns = list(dict.fromkeys(c for row in table.values() for c in row if c != "confusion"))
        lines.append(f"  {'group':<10}" + "".join(f"{_short(c):>13}" for c in columns))
        for group, row in table.items():
            cells = "".join(f"{row.get(c, ''):>13}" for c in columns)
            lines.append(f"  {group.removeprefix('lang='):<10}{cells}")
        for group, row in table.items():
            if "confusion" in row:
                lines.append(f"  confusion ({group}; rows: label, columns: verdict)")
                lines.extend(_confusion(row["confusion"]))
    return "\n".join(lines)


def _short(column: str) -> str:
    return (
        column.replace("budget_recall@", "budget@")
        .replace("unanswerable_declined", "declined")
        .replace("answerable_answered", "answered")
        .replace("false_or_absent_called_supported", "false->supp")
        .replace("citations_not_retrieved", "foreign_cit")
        .replace("unsupported_sentences", "unsupported")
        .replace("accuracy[not_in_sources]", "acc[absent]")
        .replace("accuracy[contradicted]", "acc[contra]")
        .replace("accuracy[supported]", "acc[supp]")
    )


def _confusion(matrix: dict[str, dict[str, int]]) -> list[str]:
    verdicts = ("supported", "contradicted", "not_in_sources")
    lines = [f"    {'':<16}" + "".join(f"{v:>16}" for v in verdicts)]
    for label, row in matrix.items():
        lines.append(f"    {label:<16}" + "".join(f"{row.get(v, 0):>16}" for v in verdicts))
    return lines
