"""Building the configured LLM. The one place that knows every backend."""

from __future__ import annotations

from collections.abc import Mapping

from assistant.llm import LLM, LLMError
from assistant.settings import LLMSettings


def make_llm(settings: LLMSettings, environ: Mapping[str, str]) -> LLM | None:
    """The chat model for `settings`, or None for the extractive backend (no model)."""
    match settings.backend:
        case "extractive":
            return None
        case "openai":
            from assistant.openai_chat import OpenAIChat

            return OpenAIChat(
                settings.base_url,
                settings.model,
                api_key=environ.get(settings.api_key_env) or None,
                timeout=settings.timeout,
                temperature=settings.temperature,
            )
        case "llama-cpp":
            from assistant.llama_cpp_chat import (
                BUNDLED_CHAT_FORMAT,
                LlamaCppChat,
                bundled_model_path,
            )

            if settings.model_path:
                path, chat_format = settings.model_path, settings.chat_format
            else:
                path, chat_format = (
                    bundled_model_path(),
                    settings.chat_format or BUNDLED_CHAT_FORMAT,
                )
            return LlamaCppChat(
                path,
                n_ctx=settings.context,
                temperature=settings.temperature,
                chat_format=chat_format,
            )
        case other:
            raise LLMError(f"unknown llm.backend {other!r}; use extractive, openai or llama-cpp")
