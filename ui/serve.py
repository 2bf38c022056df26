"""`kilde serve`: the web app on this machine, locked down."""

from __future__ import annotations

import ipaddress
import os
import stat
import sys
from pathlib import Path
from typing import Any

from ui.config import Config, ConfigError
from ui.login import Login


def launch(
    config: Config,
    *,
    host: str,
    port: int,
    auth: Login | None,
    block: bool = True,
) -> Any:
    """Start the app; with `block` False, return the running gr.Blocks (call .close())."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from ui.app import build_app
    from ui.services import AppServices

    if not _is_loopback(host) and auth is None:
        print(
            f"kilde: warning: serving on {host} without --auth-file: anyone who can reach "
            "this machine can use the app",
            file=sys.stderr,
        )
    services = AppServices(config, os.environ)
    # Gradio reads its upload folder from the environment, when the Blocks are made and
    # again at each upload; its default, <tmp>/gradio, is shared with every local user.
    os.environ["GRADIO_TEMP_DIR"] = str(private_folder(services.upload_folder))
    blocks = build_app(services)
    blocks.queue(max_size=config.ui.max_queue, default_concurrency_limit=config.ui.concurrency)
    served = services.served_folder
    served.mkdir(parents=True, exist_ok=True)
    try:
        _launch(blocks, config, host, port, auth, served, block)
    except OSError as error:
        # Gradio's own message suggests an environment variable; kilde has --port.
        raise ConfigError(
            f"cannot serve on {host}:{port}: the port is taken or not allowed; choose another "
            "with --port"
        ) from error
    return blocks


def _launch(
    blocks: Any,
    config: Config,
    host: str,
    port: int,
    auth: Login | None,
    served: Path,
    block: bool,
) -> None:
    from ui.app import CSS
    from ui.render import PAGE_SCRIPT

    blocks.launch(
        server_name=host,
        server_port=port,
        share=False,  # never open a public tunnel
        auth=auth,
        allowed_paths=[str(served)],  # the copies of the sources, nothing else
        blocked_paths=[str(config.data_dir / "index"), str(config.data_dir / "corpus")],
        enable_monitoring=False,
        max_file_size=f"{config.ui.max_upload_mb}mb",
        show_error=True,
        prevent_thread_lock=not block,
        footer_links=["api"],
        css=CSS,
        js=PAGE_SCRIPT,
        theme=_theme(),
        quiet=not block,
    )


def private_folder(path: Path) -> Path:
    """`path` as a folder only its owner can enter: made with mode 0700, or, if it is
    there, checked to be a real folder of this user and set to 0700."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = path.lstat()
    except OSError as error:
        raise ConfigError(f"cannot make the upload folder {path}: {error.strerror}") from error
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid():
        raise ConfigError(
            f"the upload folder {path} is not a folder of this user (a link, or another "
            "user's); remove it, and kilde makes it anew"
        )
    path.chmod(0o700)
    return path


def _theme() -> Any:
    import gradio as gr

    # System fonts: the default theme would fetch fonts from the internet. Blue, and its
    # darker shades where text sits on it: the default orange fails WCAG contrast (axe).
    return gr.themes.Default(
        primary_hue="blue",
        font=["system-ui", "sans-serif"],
        font_mono=["ui-monospace", "monospace"],
    ).set(
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        color_accent="*primary_700",
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
