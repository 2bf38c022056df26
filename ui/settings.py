"""Settings for the web app."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class UISettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=7860, ge=1, le=65535)
    language: str = "nb"  # interface language: nb (bokmål) or en
    # The files of one upload together (MiB).
    max_upload_mb: int = Field(default=50, ge=1)
    # The password file of `kilde serve` and `kilde passwd` when --auth-file is not given;
    # empty: no login.
    auth_file: str = ""
    max_queue: int = Field(default=32, ge=1)
    # Answers served at once (an in-process GGUF model always takes one at a time).
    concurrency: int = Field(default=8, ge=1)
