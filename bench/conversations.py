"""Measures follow-up questions on a conversation set, both halves, per language.

Each line of the set (tests/data/conversations.jsonl) is a conversation: its turns
are asked in order, each with the answers before it as history (as the app's /chat
API receives them), and its last turn is judged:

- a dependent turn (`depends: true`) is resolved when the question kilde retrieved
  with names the `topic` and, if the line lists `evidence`, the answer cites it;
  a "what else" turn must also quote nothing an earlier answer quoted (or, marked
  `nothing_more`, say that the sources say nothing more);
- an independent turn is left intact when it is answered exactly as if asked alone.

"resolved" counts the dependent turns whose question named the topic, whatever the answer.

Run from the repository root, on a data folder holding the ingested report:
  .venv/bin/python bench/conversations.py --data DIR [--show] [tests/data/conversations.jsonl]
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
from collections import defaultdict  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from assistant.answer import Answer  # noqa: E402
from assistant.assistant import Assistant  # noqa: E402
from assistant.evaluation import contains_evidence, split_of  # noqa: E402
from assistant.llm import Message  # noqa: E402
from ui import wiring  # noqa: E402
from ui.config import load_config  # noqa: E402


@dataclass(frozen=True)
class Outcome:
    id: str
    lang: str
    kind: str
    ok: bool
    why: str
    resolved: bool = True  # the question retrieved with names the topic


def run(assistant: Assistant, line: dict[str, object]) -> Outcome:
    turns = [str(t) for t in line["turns"]]  # type: ignore[attr-defined]
    history: list[Message] = []
    earlier: list[Answer] = []
    for question in turns[:-1]:
        answer = assistant.ask(question, history)
        earlier.append(answer)
        history += [Message("user", question), Message("assistant", answer.text)]
    last = assistant.ask(turns[-1], history)
    asked = last.standalone or turns[-1]
    kind, lang, item = str(line["kind"]), str(line["lang"]), str(line["id"])
    if not line["depends"]:
        alone = assistant.ask(turns[-1])
        ok = last.standalone is None and last.text == alone.text
        return Outcome(item, lang, kind, ok, "" if ok else f"asked as {asked!r}")
    topic = str(line["topic"])
    evidence = [str(e) for e in line.get("evidence") or []]  # type: ignore[attr-defined]
    problems = []
    resolved = topic.casefold() in asked.casefold()
    if not resolved:
        problems.append(f"asked as {asked!r}")
    if evidence and not any(contains_evidence(c.passage, evidence) for c in last.citations):
        problems.append("evidence not cited: " + last.text[:160].replace("\n", " "))
    if line.get("nothing_more"):  # type: ignore[attr-defined]
        # Everything was quoted before: saying so is the right answer.
        if last.answered or last.citations:
            problems.append("quoted more where nothing more was said: " + last.text[:120])
    elif kind == "what_else":
        quoted = {c.quote for a in earlier for c in a.citations}
        repeated = [c.quote for c in last.citations if c.quote in quoted]
        if repeated or not last.citations:
            problems.append(f"repeated {len(repeated)} of {len(last.citations)} quotes")
    return Outcome(item, lang, kind, not problems, "; ".join(problems), resolved)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--show", action="store_true", help="print each conversation that fails")
    parser.add_argument(
        "sets", type=Path, nargs="*", default=[_ROOT / "tests/data/conversations.jsonl"]
    )
    args = parser.parse_args()
    config = load_config(None, {"KILDE_PATHS__DATA_DIR": str(args.data)})
    assistant = wiring.assistant_for(config, wiring.searcher(config), None)
    scores: dict[tuple[str, str, str], list[bool]] = defaultdict(list)
    for path in args.sets:
        for text in path.read_text(encoding="utf-8").splitlines():
            if not text.strip():
                continue
            line = json.loads(text)
            outcome = run(assistant, line)
            group = "dependent" if line["depends"] else "independent"
            half = split_of(outcome.id)
            for lang in (outcome.lang, "all"):
                scores[(half, group, lang)].append(outcome.ok)
            if line["depends"]:
                scores[(half, "resolved", "all")].append(outcome.resolved)
            if outcome.kind == "what_else":
                scores[(half, "what_else", "all")].append(outcome.ok)
            if args.show and not outcome.ok:
                print(f"FAIL {half} {outcome.id} {outcome.kind}: {outcome.why}")
    print(f"{'half':9}{'turn':13}{'lang':6}{'n':>4}  right")
    for (half, group, lang), oks in sorted(scores.items()):
        print(f"{half:9}{group:13}{lang:6}{len(oks):4}  {sum(oks) / len(oks):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
