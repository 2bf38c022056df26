"""Settings for retrieval and answering."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RetrievalSettings(_Strict):
    k: int = Field(default=6, ge=1, le=50)


class LLMSettings(_Strict):
    # extractive: no model | openai: any OpenAI-compatible endpoint | llama-cpp: a local GGUF
    backend: str = "extractive"
    base_url: str = "http://127.0.0.1:11434/v1"
    model: str = ""
    # The name of the environment variable that holds the key, never the key itself.
    api_key_env: str = "OPENAI_API_KEY"
    # llama-cpp: a .gguf file; empty uses the bundled Gemma 3 270M if installed.
    model_path: str = ""
    context: int = Field(default=4096, ge=512)
    # llama-cpp: the model's chat format when its file carries no template (e.g. "gemma").
    chat_format: str = ""
    max_tokens: int = Field(default=512, ge=1)
    temperature: float = Field(default=0.1, ge=0)
    timeout: float = Field(default=120.0, gt=0)
