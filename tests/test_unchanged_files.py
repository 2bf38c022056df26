"""A re-run does not read files that are as they were, reads those that changed, and
publishes a version updated from the last one when a file is added."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.targets import PathResolver
from ui.cli import main

NOTES = {
    "havbruk": "# Havbruk\n\nOppdrettsnæringen i Nordland eksporterte laks for 20 milliarder.",
    "batterier": "# Batterier\n\nBatterifabrikken i Mo i Rana skal gi 1500 arbeidsplasser.",
    "turisme": "# Turisme\n\nCruiseturismen til Lofoten vokste med 12 prosent i fjor.",
    "skog": "# Skog\n\nSkognæringen i Innlandet satser på tre i store bygg.",
    "vind": "# Vind\n\nVindkraftverket på Fosen ble bygget uten gyldig konsesjon.",
    "jernbane": "# Jernbane\n\nNordlandsbanen får fjernstyring av sporveksler innen 2027.",
    "helse": "# Helse\n\nSykehuset i Bodø fikk ny stråleterapi i mars.",
    "skole": "# Skole\n\nTo av tre elever i Troms fullfører videregående på normert tid.",
    "kultur": "# Kultur\n\nKulturhuset i Harstad har fått ny sal med 800 plasser.",
    "vei": "# Vei\n\nFerjefri E39 over Bjørnafjorden er utsatt til etter 2035.",
    "bredbånd": "# Bredbånd\n\nAlle husstander i Vestland skal ha fiber innen 2026.",
    "reindrift": "# Reindrift\n\nReindriftsforvaltningen teller 214 000 rein i Finnmark.",
}


Run = Callable[..., str]


@pytest.fixture(name="run")
def _run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Run:
    monkeypatch.setenv("KILDE_EMBEDDING__BACKEND", "hash")
    monkeypatch.setenv("KILDE_CORPUS__SOURCES", "[]")
    data = tmp_path / "data"

    def run(*sources: Path | str) -> str:
        capsys.readouterr()
        assert main(["--data-dir", str(data), "ingest", "--offline", *map(str, sources)]) == 0
        return capsys.readouterr().out

    return run


def _files(out: str) -> tuple[int, int, int]:
    found = re.search(r"files: (\d+) parsed now, (\d+) read from the parse cache, (\d+) unch", out)
    assert found, out
    return int(found[1]), int(found[2]), int(found[3])


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "notater"
    folder.mkdir()
    for name, text in NOTES.items():
        (folder / f"{name}.md").write_text(text, "utf-8")
    return folder


def test_unchanged_files_are_not_read_again_and_changed_ones_are(tmp_path: Path, run: Run) -> None:
    folder = _folder(tmp_path)
    assert _files(run(folder)) == (12, 0, 0)
    again = run()
    assert _files(again) == (0, 0, 12)
    assert "index: unchanged" in again
    edited = folder / "skog.md"
    edited.write_text("# Skog\n\nSkognæringen i Innlandet bygger nå et stort sagbruk i Elverum.")
    after = run()
    assert _files(after) == (1, 0, 11)
    assert "index: updated: 1 of" in after
    corpus = tmp_path / "data" / "corpus"
    (path,) = (corpus / "documents").glob("skog*.json")
    document = json.loads(path.read_text("utf-8"))
    assert "sagbruk i Elverum" in document["pages"][0]["text"]


def test_rebuild_reads_every_file_again(tmp_path: Path, run: Run) -> None:
    run(_folder(tmp_path))
    out = run("--rebuild")
    assert _files(out) == (0, 12, 0)  # read, its text from the parse cache
    assert "index: 12 chunks" in out  # built whole


def test_a_file_with_the_same_size_but_a_new_time_is_read_again(tmp_path: Path, run: Run) -> None:
    folder = _folder(tmp_path)
    run(folder)
    edited = folder / "vind.md"
    text = edited.read_text("utf-8")
    edited.write_text(text.replace("Fosen", "Frøya"), "utf-8")  # same length
    stat = edited.stat()
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert _files(run()) == (1, 0, 11)


def test_an_added_file_is_published_as_an_update(tmp_path: Path, run: Run) -> None:
    folder = _folder(tmp_path)
    run(folder)
    extra = tmp_path / "ny" / "fiske.md"
    extra.parent.mkdir()
    extra.write_text("# Fiske\n\nKysttorsken i Finnmark er på sitt laveste nivå på 30 år.")
    out = run(extra)
    assert _files(out) == (1, 0, 12)
    assert "index: updated: 1 of 13 chunks new or changed" in out


def test_the_path_resolver_resolves_as_path_resolve_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.md").write_text("a")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    (real / "b.md").symlink_to(real / "a.md")
    monkeypatch.chdir(tmp_path)
    paths = [
        real / "a.md",
        tmp_path / "linked" / "a.md",  # through a linked folder
        real / "b.md",  # a linked file
        Path("linked/a.md"),  # relative
        real / "..",
        tmp_path / "linked" / "missing.md",
    ]
    resolve = PathResolver()
    assert [resolve(p) for p in paths] == [p.resolve() for p in paths]
    assert [resolve(p) for p in paths] == [p.resolve() for p in paths]  # from its memory
