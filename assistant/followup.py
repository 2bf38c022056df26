"""Turning a follow-up question into one that stands alone, for retrieval."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.llm import LLM, LLMError, Message
from assistant.prompts import rewrite_messages
from index.analyzer import Analyzer

# Words that point back to something said before.
_ANAPHORA = frozenset(
    "it its they them their this that these those he she his her him there such "
    "den det dette disse de dem deres han hun hans hennes der slik denne".split()
)
_SHORT = 6


def needs_context(question: str) -> bool:
    words = [w.strip("?.!,").lower() for w in question.split()]
    return len(words) <= _SHORT or any(w in _ANAPHORA for w in words)


def standalone_question(
    question: str, history: Sequence[Message], analyzer: Analyzer, llm: LLM | None = None
) -> str:
    """The question as asked, or rewritten with what the conversation was about.

    With a model, the model rewrites it; without one (or if it fails), the key
    words of the previous question are carried over.
    """
    earlier = [m.content for m in history if m.role == "user" and m.content.strip()]
    if not earlier or not needs_context(question):
        return question
    if llm is not None:
        try:
            rewritten = "".join(llm.stream(rewrite_messages(history, question), max_tokens=96))
            rewritten = rewritten.strip().strip('"').splitlines()[0] if rewritten.strip() else ""
            if rewritten:
                return rewritten
        except LLMError:
            pass  # the carried-over words below still make a usable query
    have = set(analyzer.words(question))
    carried = [w for w in dict.fromkeys(analyzer.words(earlier[-1])) if w not in have]
    return f"{question} ({' '.join(carried)})" if carried else question
