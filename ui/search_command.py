"""`kilde search` and `kilde eval`: retrieval from the command line."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from assistant.evaluation import evaluate_retrieval, load_items
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


def run_eval(config: Config, path: Path, *, as_json: bool) -> int:
    items = load_items(path)
    searcher = wiring.searcher(config)
    scores = evaluate_retrieval(items, lambda q, k: searcher.search(q, k))
    table = {group: s.to_json() for group, s in scores.items()}
    if as_json:
        print(json.dumps({"retrieval": table}, indent=2))
        return 0
    columns = list(next(iter(table.values())).keys()) if table else []
    print(f"{'group':<14}" + "".join(f"{c:>20}" for c in columns))
    for group, row in table.items():
        print(f"{group:<14}" + "".join(f"{row[c]:>20}" for c in columns))
    return 0
