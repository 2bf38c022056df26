"""Answer benchmark: extractive answers after start-up, and the local model's first token.

In one run:

  a. the default corpus, built with `kilde ingest --offline` in a temporary data dir, and the
     assistant built as the CLI builds it (ui.wiring.assistant, the default extractive
     backend). Start-up, then the first question (the warm-up), then assistant.ask(q) over
     the questions of tests/data/dev.jsonl and assistant.check(claim) over its claims,
     --rounds passes each; then searcher.retrieve(q, k) alone over the questions, the part
     of an answer spent retrieving (query embedding included);
  b. time to first token (TTFT) of the bundled GGUF (Gemma 3 270M, Q4_K_M) on the answer
     prompt kilde builds (assistant.prompts.answer_messages over the passages the searcher
     retrieves for a dev question): through kilde's LlamaCppChat.stream, and through
     llama-cpp-python's own Llama.create_chat_completion(stream=True). Two Llama instances
     with the same settings (model, n_ctx, chat format "gemma", temperature, max_tokens,
     default threads), so neither reuses the other's KV cache; each warmed once on the same
     prompt, then --llm-rounds rounds, one new question per round, the same messages for
     both, the order alternating. TTFT: from the call to the first non-empty content piece;
     every reply is then read to the end (at most --max-tokens tokens);
  c. for information: the first Draft of Assistant.ask_stream with the llama-cpp backend
     (ui.wiring, KILDE_LLM__BACKEND=llama-cpp; a third Llama instance), which includes
     language detection and retrieval before the model starts; --e2e-rounds questions.

Prints the figures and whether kilde meets its goals. Run from the repository root:
`.venv/bin/python bench/answer.py [--rounds 3] [--llm-rounds 7] [--e2e-rounds 3]
[--max-tokens 16]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is bench/answer.py: with bench/ first on sys.path, `import ingest` (through
# ui.cli) would find bench/ingest.py instead of the package.
_BENCH = Path(__file__).resolve().parent
_ROOT = _BENCH.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_ROOT))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator, Mapping, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import llama_cpp  # noqa: E402
import numpy as np  # noqa: E402
from llama_cpp.llama_chat_format import format_gemma  # noqa: E402

from assistant.answer import Draft  # noqa: E402
from assistant.assistant import Assistant  # noqa: E402
from assistant.llama_cpp_chat import (  # noqa: E402
    BUNDLED_CHAT_FORMAT,
    LlamaCppChat,
    bundled_model_path,
    merge_system,
)
from assistant.llm import Message  # noqa: E402
from assistant.prompts import answer_messages, new_tag  # noqa: E402
from assistant.texts import NOT_ANSWERED, text_for  # noqa: E402
from bench import report  # noqa: E402
from index.language import detect_language  # noqa: E402
from ui import cli, wiring  # noqa: E402
from ui.config import Config, load_config  # noqa: E402

DEV_FILE = _ROOT / "tests" / "data" / "dev.jsonl"
N_CTX = 4096
TEMPERATURE = 0.1  # kilde's default llm.temperature

GOAL_ASK_P50_MS = 300.0
GOAL_TTFT_RATIO = 1.1


@dataclass(frozen=True)
class Latency:
    count: int
    p50_ms: float
    p95_ms: float
    max_ms: float


@dataclass(frozen=True)
class ExtractiveResult:
    chunks: int
    ingest_s: float
    startup_s: float
    first_ask_ms: float
    ask: Latency
    check: Latency
    retrieve: Latency


@dataclass(frozen=True)
class Prompt:
    question: str
    messages: list[Message]  # what kilde's answerer hands to LlamaCppChat
    effective: list[Message]  # what llama.cpp formats: the system turn merged for Gemma
    tokens: int


@dataclass(frozen=True)
class TtftResult:
    threads: str
    load_s: tuple[float, float]  # kilde, raw
    system_kept: bool
    prompts: list[Prompt]
    kilde_ms: list[float]
    raw_ms: list[float]


@dataclass(frozen=True)
class EndToEndResult:
    ms: list[float]
    skipped: int  # questions answered without the model (retrieval too weak)


# --- data ----------------------------------------------------------------------------------


def dev_items(kind: str, field: str, path: Path = DEV_FILE) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    return [str(item[field]) for item in items if item.get("type") == kind]


def ingest_default_corpus(data_dir: Path) -> float:
    """`kilde --data-dir DATA_DIR ingest --offline`, its output kept back unless it fails."""
    output = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        status = cli.main(["--data-dir", str(data_dir), "ingest", "--offline"])
    if status != 0:
        raise SystemExit(f"bench: kilde ingest failed ({status}):\n{output.getvalue()}")
    return time.perf_counter() - start


def config_for(data_dir: Path, extra: Mapping[str, str] | None = None) -> Config:
    return load_config(None, {"KILDE_PATHS__DATA_DIR": str(data_dir), **(extra or {})})


def default_lang(config: Config) -> str:
    return "no" if config.ui.language == "nb" else "en"  # as ui.wiring.assistant decides


# --- measurements --------------------------------------------------------------------------


def latency(seconds: Sequence[float]) -> Latency:
    values = np.array(seconds) * 1000
    p50, p95 = np.percentile(values, [50, 95])
    return Latency(len(values), float(p50), float(p95), float(values.max()))


def time_each(work: Callable[[str], object], texts: Sequence[str], rounds: int) -> list[float]:
    seconds = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            work(text)
            seconds.append(time.perf_counter() - start)
    return seconds


def run_extractive(data_dir: Path, rounds: int) -> tuple[ExtractiveResult, Assistant]:
    questions, claims = dev_items("qa", "question"), dev_items("claim", "claim")
    ingested = ingest_default_corpus(data_dir)
    start = time.perf_counter()
    helper = wiring.assistant(config_for(data_dir), os.environ)
    started = time.perf_counter() - start
    start = time.perf_counter()
    helper.ask(questions[0])  # the warm-up: whatever loads lazily loads here
    first = time.perf_counter() - start
    asked = time_each(helper.ask, questions, rounds)
    checked = time_each(lambda claim: helper.check(claim)[0], claims, rounds)
    k = config_for(data_dir).retrieval.k
    retrieved = time_each(lambda q: helper.retriever.retrieve(q, k), questions, rounds)
    manifest = getattr(helper.retriever, "manifest", None)
    chunks = int(manifest.counts.get("chunks", -1)) if manifest else -1
    result = ExtractiveResult(
        chunks,
        ingested,
        started,
        first * 1000,
        latency(asked),
        latency(checked),
        latency(retrieved),
    )
    return result, helper


def answer_prompt(question: str, helper: Assistant, config: Config, raw: Any) -> Prompt:
    """The messages LLMAnswerer.stream sends for `question`, as kilde retrieves and builds them."""
    lang = detect_language(question, default=default_lang(config))
    hits = helper.retriever.retrieve(question, config.retrieval.k).hits
    messages = answer_messages(question, hits, lang, text_for(NOT_ANSWERED, lang), new_tag())
    # The same prompt for both sides: LlamaCppChat merges the system turn into the first
    # user turn (Gemma has no system turn), so the raw side is given the merged messages.
    effective = merge_system(messages)
    formatted = format_gemma(messages=[m.to_json() for m in effective]).prompt
    tokens = len(raw.tokenize(formatted.encode("utf-8"), add_bos=True, special=True))
    return Prompt(question, messages, effective, tokens)


def first_piece(pieces: Iterator[str]) -> float:
    """Seconds until the first non-empty piece; the rest is read, so the model finishes."""
    start = time.perf_counter()
    ttft = None
    for piece in pieces:
        if ttft is None and piece:
            ttft = time.perf_counter() - start
    if ttft is None:
        raise SystemExit("bench: the model replied with nothing")
    return ttft


def raw_pieces(raw: Any, messages: Sequence[Message], max_tokens: int) -> Iterator[str]:
    """llama-cpp-python's own streaming chat completion, content pieces only."""
    chunks = raw.create_chat_completion(
        messages=[m.to_json() for m in messages],
        max_tokens=max_tokens,
        temperature=TEMPERATURE,
        stream=True,
    )
    for chunk in chunks:
        for choice in chunk["choices"]:
            yield (choice.get("delta") or {}).get("content") or ""


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """llama.cpp writes notes to file descriptor 2 while loading, even with verbose=False."""
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def load_timed(make: Callable[[], Any]) -> tuple[Any, float]:
    with native_stderr_silenced():
        start = time.perf_counter()
        made = make()
        return made, time.perf_counter() - start


def run_ttft(
    helper: Assistant, config: Config, model_path: str, rounds: int, max_tokens: int
) -> TtftResult:
    chat, kilde_load = load_timed(
        lambda: LlamaCppChat(
            model_path, n_ctx=N_CTX, temperature=TEMPERATURE, chat_format=BUNDLED_CHAT_FORMAT
        )
    )
    raw, raw_load = load_timed(
        lambda: llama_cpp.Llama(
            model_path=model_path, n_ctx=N_CTX, chat_format=BUNDLED_CHAT_FORMAT, verbose=False
        )
    )
    questions = dev_items("qa", "question")
    prompts = [answer_prompt(q, helper, config, raw) for q in questions[: rounds + 1]]

    def kilde(prompt: Prompt) -> float:
        return first_piece(chat.stream(prompt.messages, max_tokens=max_tokens))

    def direct(prompt: Prompt) -> float:
        return first_piece(raw_pieces(raw, prompt.effective, max_tokens))

    kilde(prompts[0])  # warm-up, the same prompt for both
    direct(prompts[0])
    kilde_s, raw_s = [], []
    for n, prompt in enumerate(prompts[1:]):
        if n % 2 == 0:
            kilde_s.append(kilde(prompt))
            raw_s.append(direct(prompt))
        else:
            raw_s.append(direct(prompt))
            kilde_s.append(kilde(prompt))
    system = prompts[0].messages[0].content
    formatted = format_gemma(messages=[m.to_json() for m in prompts[0].effective]).prompt
    threads = (
        f"kilde n_threads {chat._llm.n_threads}, batch {chat._llm.n_threads_batch}; "
        f"raw n_threads {raw.n_threads}, batch {raw.n_threads_batch}"
    )
    return TtftResult(
        threads,
        (kilde_load, raw_load),
        system[:60] in formatted,
        prompts[1:],
        [s * 1000 for s in kilde_s],
        [s * 1000 for s in raw_s],
    )


def first_draft(helper: Assistant, question: str) -> float | None:
    """Seconds from ask_stream to its first Draft; None if it answered without the model."""
    start = time.perf_counter()
    ttft = None
    for event in helper.ask_stream(question):
        if ttft is None and isinstance(event, Draft):
            ttft = time.perf_counter() - start
    return ttft


def run_end_to_end(data_dir: Path, rounds: int, max_tokens: int) -> EndToEndResult:
    extra = {"KILDE_LLM__BACKEND": "llama-cpp", "KILDE_LLM__MAX_TOKENS": str(max_tokens)}
    with native_stderr_silenced():
        helper = wiring.assistant(config_for(data_dir, extra), os.environ)
    questions = dev_items("qa", "question")[: rounds + 1]
    first_draft(helper, questions[0])  # warm-up
    timed = [first_draft(helper, q) for q in questions[1:]]
    return EndToEndResult([s * 1000 for s in timed if s is not None], timed.count(None))


# --- report --------------------------------------------------------------------------------


def machine_info(model_path: str) -> list[tuple[str, str]]:
    model = Path(model_path)
    return report.machine_info(
        ("llama-cpp-python", llama_cpp.__version__),
        ("model", f"{model.name} ({model.stat().st_size / 1e6:.0f} MB)"),
    )


def verdict(met: bool) -> str:
    return "MET" if met else "NOT MET"


def extractive_lines(r: ExtractiveResult, rounds: int) -> list[str]:
    header = ("call", "n", "p50 ms", "p95 ms", "max ms")
    rows: list[tuple[str, ...]] = [header]
    for label, lat in (
        ("assistant.ask(q)", r.ask),
        ("assistant.check(claim)[0]", r.check),
        ("  of an ask: searcher.retrieve(q, k)", r.retrieve),
    ):
        rows.append(
            (label, str(lat.count), f"{lat.p50_ms:.1f}", f"{lat.p95_ms:.1f}", f"{lat.max_ms:.1f}")
        )
    return [
        f"default corpus: {r.chunks} chunks; `kilde ingest --offline` {r.ingest_s:.1f} s",
        f"start-up: ui.wiring.assistant {r.startup_s:.2f} s, "
        f"then the first ask (warm-up) {r.first_ask_ms:.0f} ms",
        f"{rounds} passes over the dev questions and claims, after the warm-up:",
        "",
        *report.aligned(rows, right={1, 2, 3, 4}),
    ]


def ttft_lines(r: TtftResult, max_tokens: int) -> list[str]:
    kilde, raw = float(np.median(r.kilde_ms)), float(np.median(r.raw_ms))
    rows: list[tuple[str, ...]] = [("round", "prompt tokens", "kilde ms", "raw ms", "kilde/raw")]
    for n, (prompt, k, w) in enumerate(zip(r.prompts, r.kilde_ms, r.raw_ms, strict=True), 1):
        rows.append((str(n), str(prompt.tokens), f"{k:.0f}", f"{w:.0f}", f"{k / w:.2f}"))
    rows.append(("median", "", f"{kilde:.0f}", f"{raw:.0f}", f"{kilde / raw:.2f}"))
    paired = float(np.median([k / w for k, w in zip(r.kilde_ms, r.raw_ms, strict=True)]))
    kept = "yes (merged into the first user turn)" if r.system_kept else "no"
    return [
        f"settings: n_ctx {N_CTX}, chat_format {BUNDLED_CHAT_FORMAT!r}, temperature "
        f"{TEMPERATURE}, max_tokens {max_tokens}; {r.threads}",
        f"model load: kilde LlamaCppChat {r.load_s[0]:.2f} s, raw Llama {r.load_s[1]:.2f} s",
        f"kilde's system message in the formatted prompt: {kept}",
        "kilde: LlamaCppChat.stream; raw: Llama.create_chat_completion(stream=True); "
        "first round kilde first, then alternating",
        "",
        *report.aligned(rows, right={1, 2, 3, 4}),
        f"median of the per-round ratios {paired:.2f} (less moved by load that comes and goes)",
    ]


def end_to_end_lines(r: EndToEndResult) -> list[str]:
    if not r.ms:
        return [f"no question reached the model ({r.skipped} answered without it)"]
    skipped = f"; {r.skipped} answered without the model, not counted" if r.skipped else ""
    return [
        "Assistant.ask_stream(q) to its first Draft, language detection and retrieval "
        "included (information, no goal):",
        f"median {np.median(r.ms):.0f} ms, min {min(r.ms):.0f} ms, max {max(r.ms):.0f} ms "
        f"over {len(r.ms)} questions{skipped}",
    ]


def goal_lines(extractive: ExtractiveResult, ttft: TtftResult) -> list[str]:
    p50 = extractive.ask.p50_ms
    ratio = float(np.median(ttft.kilde_ms)) / float(np.median(ttft.raw_ms))
    return [
        f"extractive ask p50 <= {GOAL_ASK_P50_MS:.0f} ms: "
        f"{verdict(p50 <= GOAL_ASK_P50_MS)} ({p50:.1f} ms)",
        f"llama-cpp TTFT kilde/raw <= {GOAL_TTFT_RATIO}: "
        f"{verdict(ratio <= GOAL_TTFT_RATIO)} ({ratio:.2f})",
    ]


def section(title: str, lines: Sequence[str]) -> None:
    print(f"\n{title}")
    print("\n".join(f"  {line}" for line in lines), flush=True)


# --- main ----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--rounds", type=int, default=3, help="passes over dev.jsonl for ask and check (default 3)"
    )
    parser.add_argument(
        "--llm-rounds", type=int, default=7, help="timed TTFT rounds per backend (default 7)"
    )
    parser.add_argument(
        "--e2e-rounds", type=int, default=3, help="timed questions end to end (default 3)"
    )
    parser.add_argument(
        "--max-tokens", type=int, default=16, help="max_tokens of every model reply (default 16)"
    )
    args = parser.parse_args(argv)
    questions = len(dev_items("qa", "question"))
    if args.rounds < 1 or args.max_tokens < 1:
        parser.error("--rounds and --max-tokens must be at least 1")
    if not 1 <= args.llm_rounds < questions or not 1 <= args.e2e_rounds < questions:
        parser.error(f"--llm-rounds and --e2e-rounds must be 1 to {questions - 1}")

    started = time.perf_counter()
    model_path = bundled_model_path()
    info = machine_info(model_path)
    width = max(len(name) for name, _ in info)
    print("\n".join(f"{name.ljust(width)}  {value}" for name, value in info), flush=True)

    with tempfile.TemporaryDirectory(prefix="kilde-bench-") as scratch:
        data_dir = Path(scratch) / "data"
        extractive, helper = run_extractive(data_dir, args.rounds)
        section("a. extractive answers and claim checks", extractive_lines(extractive, args.rounds))
        config = config_for(data_dir)
        ttft = run_ttft(helper, config, model_path, args.llm_rounds, args.max_tokens)
        section(
            "b. llama-cpp time to first token on kilde's answer prompt",
            ttft_lines(ttft, args.max_tokens),
        )
        end_to_end = run_end_to_end(data_dir, args.e2e_rounds, args.max_tokens)
        section("c. llama-cpp end to end (for information)", end_to_end_lines(end_to_end))
    section("goals", goal_lines(extractive, ttft))
    report.print_total(started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
