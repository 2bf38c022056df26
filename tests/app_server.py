"""The web app started on a loopback port for tests, and stopped after."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ui.config import Config, load_config
from ui.login import Login
from ui.serve import launch


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_config(data_dir: Path, **env: str) -> Config:
    return load_config(None, {"KILDE_PATHS__DATA_DIR": str(data_dir), **env})


@contextmanager
def running_app(config: Config, auth: Login | None = None) -> Iterator[tuple[Any, str]]:
    """Yields (the Gradio Blocks, its base URL)."""
    port = free_port()
    blocks = launch(config, host="127.0.0.1", port=port, auth=auth, block=False)
    try:
        yield blocks, f"http://127.0.0.1:{port}/"
    finally:
        blocks.close()
