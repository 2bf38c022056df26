from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ui.config import Config, ConfigError, load_config, redacted, to_toml

ROOT = Path(__file__).resolve().parent.parent


def test_config_toml_states_every_default() -> None:
    assert load_config(ROOT / "config.toml") == Config()
    listed = tomllib.loads((ROOT / "config.toml").read_text())
    defaults = Config().model_dump(mode="json")
    assert set(listed) == set(defaults)
    for section, values in defaults.items():
        assert set(listed[section]) == set(values), section


def test_file_then_environment_override(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[fetch]\nconcurrency = 2\nallowed_ports = [8000]\n[chunk]\nsize = 300\n")
    config = load_config(
        path,
        {
            "KILDE_CHUNK__SIZE": "250",
            "KILDE_FETCH__ALLOW_PRIVATE_HOSTS": "true",
            "KILDE_PATHS__DATA_DIR": "/tmp/x y",
            "OTHER": "1",
        },
    )
    assert config.fetch.concurrency == 2
    assert config.fetch.allowed_ports == [8000]
    assert config.chunk.size == 250
    assert config.fetch.allow_private_hosts is True
    assert config.data_dir == Path("/tmp/x y")


def test_unknown_keys_and_bad_values_are_named(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[fetch]\nconcurency = 2\n")
    with pytest.raises(ConfigError, match=r"fetch\.concurency"):
        load_config(path)
    with pytest.raises(ConfigError, match=r"chunk\.size"):
        load_config(None, {"KILDE_CHUNK__SIZE": "tiny"})
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")
    path.write_text("[fetch\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_show_redacts_secrets_and_round_trips() -> None:
    config = load_config(
        None,
        {
            "KILDE_LLM__BASE_URL": "https://me:hunter2@llm.example/v1",
            "KILDE_LLM__API_KEY_ENV": "MY_KEY",
        },
    )
    shown = to_toml(redacted(config))
    assert "hunter2" not in shown
    assert "https://***@llm.example/v1" in shown
    assert 'api_key_env = "MY_KEY"' in shown
    reparsed = tomllib.loads(shown)
    assert reparsed["fetch"]["rewrite"][0]["replace"] == "https://www.regionalstudies.org/"
    assert reparsed["corpus"]["sources"][0]["bundled"] == "smarter-2018-report.txt"
