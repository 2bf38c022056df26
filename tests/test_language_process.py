"""Passages' languages told in a child process: the labels told in-process, concurrent
callers kept apart, and a child that dies costs speed, not labels."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from index.language import detect_languages
from index.language_process import LanguageProcess

TEXTS = [
    "Regionene som deltok i plattformen for smart spesialisering, la vekt på samarbeid "
    "mellom næringslivet, forskningen og offentlig sektor i hele fylket.",
    "Fylkeskommunen skal følgje opp strategien og rapportere til departementet kvart år, "
    "og kommunane skal få vere med i arbeidet frå starten av.",
    "Smart specialisation strategies ask regions to concentrate their resources on the "
    "few domains where they hold a real advantage over others.",
    "Regionerna som deltog i plattformen betonade samarbetet mellan näringslivet, "
    "forskningen och den offentliga sektorn i hela länet under året.",
    "Regionerne, der deltog i platformen, lagde vægt på samarbejdet mellem erhvervslivet, "
    "forskningen og den offentlige sektor i hele regionen i løbet af året.",
    "Seville 2018",  # says too little: the default
    "Hvorfor maler katter?",  # short: lingua's full models
    "",
]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that has exited but was not waited for still answers signal 0.
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"


def test_the_child_tells_the_labels_told_in_process_and_stops_on_close() -> None:
    expected = detect_languages(TEXTS, default="xx")
    assert expected[:6] == ["no", "no", "en", "sv", "da", "xx"]
    with LanguageProcess() as languages:
        assert languages(TEXTS, default="xx") == expected
        assert languages([], default="xx") == []
        pid = languages.pid
        assert pid is not None and pid != os.getpid() and _alive(pid)
        assert languages.error is None
    assert languages.pid is None and not _alive(pid)


def test_callers_on_many_threads_each_get_their_own_labels() -> None:
    expected = detect_languages(TEXTS, default="und")
    results: dict[int, list[str]] = {}
    with LanguageProcess() as languages:

        def ask(n: int) -> None:
            # Each thread asks for a different rotation: a reply given to the wrong caller
            # would show as a rotated list.
            texts = TEXTS[n:] + TEXTS[:n]
            results[n] = languages(texts)

        threads = [threading.Thread(target=ask, args=(n,)) for n in range(len(TEXTS))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    for n, labels in results.items():
        assert labels == expected[n:] + expected[:n]
    assert len(results) == len(TEXTS)


@pytest.mark.parametrize("how", ["killed", "could not start"])
def test_a_child_that_dies_costs_speed_not_labels(
    how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = detect_languages(TEXTS)
    if how == "could not start":
        monkeypatch.setattr("sys.executable", "/bin/false")  # exits 1 at once
    with LanguageProcess() as languages:
        if how == "killed":
            assert languages(TEXTS[:1]) == expected[:1]
            assert languages.pid is not None
            os.kill(languages.pid, signal.SIGKILL)
        assert languages(TEXTS) == expected
        assert languages.error is not None
        assert "stopped" in languages.error
        if how == "killed":
            assert "exit code -9" in languages.error
        else:
            assert "exit code 1" in languages.error
        assert languages(TEXTS) == expected  # in this process from now on
        assert languages.pid is None
