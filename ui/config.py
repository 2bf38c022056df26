"""The merged configuration: defaults, then a TOML file, then KILDE_* variables."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.settings import LLMSettings, RetrievalSettings
from index.redaction import redact_url
from index.settings import EmbeddingSettings, IndexSettings
from ingest.settings import (
    ChunkSettings,
    CorpusSettings,
    FetchSettings,
    LinkSettings,
    ParseSettings,
)
from ui.settings import UISettings

ENV_PREFIX = "KILDE_"
_SECRET = re.compile(r"(key|token|secret|password)", re.IGNORECASE)


class ConfigError(Exception):
    """The configuration cannot be used; the message names the file or variable."""


class PathSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Downloads, parsed text, the corpus and the index live here.
    data_dir: str = "~/.local/share/kilde"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    paths: PathSettings = Field(default_factory=PathSettings)
    corpus: CorpusSettings = Field(default_factory=CorpusSettings)
    links: LinkSettings = Field(default_factory=LinkSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    parse: ParseSettings = Field(default_factory=ParseSettings)
    chunk: ChunkSettings = Field(default_factory=ChunkSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    index: IndexSettings = Field(default_factory=IndexSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    ui: UISettings = Field(default_factory=UISettings)

    @property
    def data_dir(self) -> Path:
        return Path(self.paths.data_dir).expanduser()


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Defaults, overlaid by the TOML file at `path`, overlaid by KILDE_SECTION__KEY variables."""
    data: dict[str, Any] = {}
    if path is not None:
        data = _read_toml(path)
    for name, value in (environ or {}).items():
        if name.startswith(ENV_PREFIX) and "__" in name:
            _set_env_value(data, name, value)
    try:
        return Config.model_validate(data)
    except ValidationError as error:
        where = str(path) if path else "the defaults"
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise ConfigError(
            f"invalid configuration ({where} and {ENV_PREFIX}* variables): {problems}"
        ) from error


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        return data
    except FileNotFoundError as error:
        raise ConfigError(f"config file not found: {path}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from error


def _set_env_value(data: dict[str, Any], name: str, value: str) -> None:
    # KILDE_FETCH__MAX_BYTES=5000000 -> data["fetch"]["max_bytes"] = 5000000
    keys = [k.lower() for k in name[len(ENV_PREFIX) :].split("__")]
    node = data
    for key in keys[:-1]:
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            raise ConfigError(f"{name}: {key} is not a section")
        node = child
    node[keys[-1]] = _parse_value(value)


def _parse_value(value: str) -> Any:
    """A TOML value if the text is one (42, true, [80, 443]); else the text itself."""
    try:
        return tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return value


def redacted(config: Config) -> dict[str, Any]:
    """The config as plain data, with secrets and URLs' user info replaced by "***"."""
    data: dict[str, Any] = _redact(config.model_dump(mode="json"))
    return data


def _redact(node: Any, key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _redact(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_redact(v, key) for v in node]
    if isinstance(node, str):
        if node and _SECRET.search(key) and not key.endswith("_env"):
            return "***"
        return redact_url(node)
    return node


def to_toml(data: Mapping[str, Any]) -> str:
    """TOML for the config's shape: tables of scalars, lists, and arrays of tables."""
    lines: list[str] = []
    for section, body in data.items():
        scalars = {k: v for k, v in body.items() if not _is_table_list(v)}
        lines.append(f"[{section}]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in scalars.items())
        lines.append("")
        for key, tables in body.items():
            if _is_table_list(tables):
                for table in tables:
                    lines.append(f"[[{section}.{key}]]")
                    lines.extend(
                        f"{k} = {_toml_value(v)}" for k, v in table.items() if v is not None
                    )
                    lines.append("")
    return "\n".join(lines)


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _toml_value(value: Any) -> str:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return "[" + ", ".join(_inline_table(v) for v in value) + "]"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return _inline_table(value)
    return json.dumps(value, ensure_ascii=False)


def _inline_table(table: Mapping[str, Any]) -> str:
    return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in table.items()) + " }"
