"""Config files for tests that ingest from a loopback server."""

from __future__ import annotations

from pathlib import Path


def loopback_config(
    folder: Path,
    port: int,
    root: Path,
    *,
    lang: str = "en",
    rewrite: tuple[tuple[str, str], ...] = (),
) -> Path:
    """A root source at `root` that follows its links to 127.0.0.1:`port`, no retries; dead
    locations rewritten by `rewrite` (pattern, replacement) pairs."""
    rules = "".join(
        f'\n[[fetch.rewrite]]\npattern = "{pattern}"\nreplace = "{replace}"'
        for pattern, replace in rewrite
    )
    config = folder / "kilde.toml"
    config.write_text(
        f"""
[paths]
data_dir = "{folder / "data"}"
[[corpus.sources]]
id = "notes"
path = "{root}"
lang = "{lang}"
follow_links = true
[fetch]
allowed_ports = [{port}]
retries = 0
archive = false
{rules or "rewrite = []"}
"""
    )
    return config
