"""Errors in the app: one plain line in the reader's language, the error's own words folded."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path
from typing import Any

import pytest

from index.progress import BarBase
from tests.app_server import app_config
from ui.app import App
from ui.labels import LABELS, label
from ui.page_image import PageImages
from ui.services import AppServices

LANGS = ("nb", "en")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _folded(shown: str, lang: str, key: str, detail: str) -> None:
    """`shown` says `key` in `lang`, and holds `detail` only inside the folded details."""
    assert label(lang, key) in shown
    before, _, folded = shown.partition("<details>")
    assert detail not in before
    assert detail in folded
    assert label(lang, "details") in folded


def test_every_error_is_worded_in_both_languages() -> None:
    keys = {k for k in LABELS["en"] if k.startswith("err_")}
    assert keys == {k for k in LABELS["nb"] if k.startswith("err_")}
    assert {"err_busy", "err_not_web", "err_llm", "err_no_index", "err_index"} <= keys
    for key in keys:
        assert LABELS["nb"][key] != LABELS["en"][key], key


@pytest.mark.parametrize("lang", LANGS)
def test_a_model_that_does_not_answer_is_said_plainly_in_the_chat(
    report_data: Path, lang: str
) -> None:
    port = _closed_port()
    config = app_config(
        report_data,
        KILDE_LLM__BASE_URL=f"http://127.0.0.1:{port}/v1",
        KILDE_LLM__MODEL="m",
    )
    app = App(AppServices(config, os.environ), PageImages())
    *_, last = app.respond("Hva er smart spesialisering?", [], [], [], "openai", 4, lang)
    shown = last[0][-1]["content"]
    assert shown.startswith("⚠️ ")
    _folded(shown, lang, "err_llm", f"127.0.0.1:{port}")
    assert "\\." not in shown  # no Markdown escapes in the details


@pytest.mark.parametrize("lang", LANGS)
def test_a_check_before_any_ingest_says_to_read_the_sources_in(tmp_path: Path, lang: str) -> None:
    app = App(AppServices(app_config(tmp_path), os.environ), PageImages())
    shown, copied = app.check("Rapporten sier at klynger er viktige.", "extractive", lang)
    _folded(shown, lang, "err_no_index", "kilde ingest")
    assert copied == ""


@pytest.mark.parametrize("lang", LANGS)
def test_a_path_in_the_url_box_is_refused_in_the_readers_language(
    report_data: Path, lang: str
) -> None:
    app = App(AppServices(app_config(report_data), os.environ), PageImages())
    status, *_ = app.ingest("file:///etc/passwd", None, lang)
    _folded(status, lang, "err_not_web", "file:///etc/passwd")


class _HeldBar(BarBase):
    def __init__(self, started: threading.Event, release: threading.Event) -> None:
        self._started, self._release = started, release

    def advance(self, note: str = "", steps: int = 1) -> None:
        self._started.set()
        self._release.wait(60)


class _HeldProgress:
    """Holds the ingest at its first step until released."""

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()

    def bar(self, label: str, total: int, unit: str = "doc") -> Any:
        return _HeldBar(self.started, self.release)


def test_a_second_ingest_while_one_runs_is_told_to_wait(report_data: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(report_data, data)
    services = AppServices(app_config(data), os.environ)
    app = App(services, PageImages())
    failed, other, *_ = [r.id for r in services.sources() if r.status == "failed"]
    held = _HeldProgress()
    first = threading.Thread(target=services.remove, args=(failed, held))
    first.start()
    try:
        assert held.started.wait(60), "the first ingest never reported progress"
        status, *_ = app.retry_source("report", "nb")
        _folded(status, "nb", "err_busy", "already running")
    finally:
        held.release.set()
        first.join(120)
    status, *_ = app.remove_source(other, "en")  # free again
    assert status.startswith("Done: 1 sources read")
