"""Measures the extractive claim checker on both halves of every claim set, on two corpora.

The thresholds in assistant/claims.py were chosen with this script on the tuning
halves only; it prints both halves per set, three-way accuracy and the number of
false or absent claims called `supported` (which must stay 0), so a rule that only
holds on what it saw shows. With --grid it also searches the support thresholds
on the tuning halves (the chosen values are the defaults in assistant/claims.py).

Corpora (data folders made by `kilde ingest`):
  --report DIR   the bundled report alone (`kilde --data-dir DIR ingest --offline`)
  --articles DIR NorQuAD's development articles added as a folder to the report
Claim sets (JSON Lines, `type: claim`) go with the corpus they are about. Without
--articles only the report's corpus is measured (what `make bench` does on a fresh clone).

Run from the repository root:
  .venv/bin/python bench/claims.py --report R --articles A \\
      --report-sets tests/data/report-claims.jsonl tests/data/report-claims-holdout.jsonl \\
      --articles-sets tests/data/norquad-claims.jsonl [--grid]
"""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parent
_ROOT = _BENCH.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_ROOT))

import argparse  # noqa: E402
import itertools  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from assistant import claims  # noqa: E402
from assistant.assistant import Assistant  # noqa: E402
from assistant.evaluation import EvalItem, load_items  # noqa: E402
from ui import wiring  # noqa: E402
from ui.config import load_config  # noqa: E402


@dataclass(frozen=True)
class Case:
    assistant: Assistant
    set_name: str
    item: EvalItem


def cases(data: Path, sets: Sequence[Path]) -> list[Case]:
    config = load_config(None, {"KILDE_PATHS__DATA_DIR": str(data)})
    # The extractive checker, whatever answer backend the environment configures.
    assistant = wiring.assistant_for(config, wiring.searcher(config), None)
    return [
        Case(assistant, path.name, item)
        for path in sets
        for item in load_items(path)
        if item.type == "claim"
    ]


def score(chosen: Sequence[Case]) -> tuple[float, int]:
    """Three-way accuracy, and false or absent claims called supported."""
    right = false = 0
    for case in chosen:
        verdict = case.assistant.check(case.item.text)[0].verdict
        right += verdict == case.item.label
        false += verdict == "supported" and case.item.label != "supported"
    return right / max(1, len(chosen)), false


_VERDICTS = ("supported", "contradicted", "not_in_sources")


def confusion(chosen: Sequence[Case]) -> str:
    """Rows are the labels, columns the verdicts, in the order of _VERDICTS."""
    counts = Counter((c.item.label, c.assistant.check(c.item.text)[0].verdict) for c in chosen)
    rows = (
        f"    {label[:12]:<14}" + "".join(f"{counts[label, v]:>6}" for v in _VERDICTS)
        for label in _VERDICTS
    )
    return "    label \\ verdict  supp  contr  not_in\n" + "\n".join(rows)


def report(all_cases: Sequence[Case], matrices: bool) -> None:
    print(f"{'set':<34}{'half':<10}{'n':>4}{'accuracy':>10}{'false supported':>17}")
    for name in dict.fromkeys(c.set_name for c in all_cases):
        for half in ("tune", "validate"):
            chosen = [c for c in all_cases if c.set_name == name and c.item.split == half]
            accuracy, false = score(chosen)
            print(f"{name:<34}{half:<10}{len(chosen):>4}{accuracy:>10.3f}{false:>17}")
            if matrices:
                print(confusion(chosen))


_TUNED = ("MATCHED_ACROSS_AT", "LEAD_ACROSS")


def grid(tune: Sequence[Case]) -> None:
    """Support thresholds on the tuning halves: no false support first, then accuracy."""
    for values in itertools.product((3.5, 4.0, 4.5), (0.5, 1.0, 1.5)):
        for name, value in zip(_TUNED, values, strict=True):
            setattr(claims, name, value)
        accuracy, false = score(tune)
        shown = ", ".join(f"{n} {v}" for n, v in zip(_TUNED, values, strict=True))
        print(f"  {shown}: accuracy {accuracy:.3f}, {false} false supported")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--articles", type=Path, help="absent: the report's corpus alone")
    parser.add_argument("--report-sets", type=Path, nargs="+", required=True)
    parser.add_argument("--articles-sets", type=Path, nargs="*", default=[])
    parser.add_argument("--grid", action="store_true", help="search the support thresholds")
    parser.add_argument("--matrices", action="store_true", help="print confusion matrices")
    args = parser.parse_args()
    all_cases = cases(args.report, args.report_sets)
    if args.articles:
        all_cases += cases(args.articles, args.articles_sets)
    if args.grid:
        defaults = {name: getattr(claims, name) for name in _TUNED}
        grid([c for c in all_cases if c.item.split == "tune"])
        for name, value in defaults.items():
            setattr(claims, name, value)
    report(all_cases, args.matrices)


if __name__ == "__main__":
    main()
