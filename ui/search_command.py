"""`kilde search` and `kilde eval`: retrieval from the command line."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from assistant.evaluation import evaluate_answers, evaluate_retrieval, load_items
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
        lines.append(f"{rank:>2}. {hit.title} — p. {hit.chunk.page}  [{hit.score:.3f}]")
        lines.append(f"    {text[:300]}{'…' if len(text) > 300 else ''}")
    return "\n".join(lines)


def run_eval(config: Config, path: Path, *, as_json: bool, mode: str = "hybrid") -> int:
    items = load_items(path)
    searcher = wiring.searcher(config)
    assistant = wiring.assistant_for(config, searcher, make_llm(config.llm, os.environ))
    retrieval = evaluate_retrieval(items, lambda q, k: searcher.search(q, k, mode=mode))
    answers, claims = evaluate_answers(
        items, lambda q: assistant.ask(q), lambda c: assistant.check(c)[0]
    )
    table = {group: s.to_json() for group, s in retrieval.items()}
    sections: dict[str, dict[str, object]] = {
        "answers": {"backend": assistant.backend, **answers.to_json()},
        "claims": {**claims.to_json()},
    }
    if as_json:
        print(json.dumps({"retrieval": table, **sections}, indent=2))
        return 0
    columns = list(next(iter(table.values())).keys()) if table else []
    print("retrieval")
    print(f"  {'group':<14}" + "".join(f"{c:>20}" for c in columns))
    for group, row in table.items():
        print(f"  {group:<14}" + "".join(f"{row[c]:>20}" for c in columns))
    for name, section in sections.items():
        print(name)
        for key, value in section.items():
            print(f"  {key:<34}{value}")
    return 0
