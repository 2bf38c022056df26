"""An ingest killed at any point (kill -9) resumes without parsing or embedding again
what it had finished."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ui.cli import main

ROOT = Path(__file__).resolve().parents[1]
_TOPICS = ("skogbruk", "havbruk", "reiseliv", "batterier", "helse", "romfart", "landbruk")


def _folder(path: Path, files: int) -> Path:
    path.mkdir()
    for n in range(files):
        topic = _TOPICS[n % len(_TOPICS)]
        sentences = [
            f"Region {n} satser på {topic} i sin strategi for smart spesialisering, del {p}. "
            f"Klynge {n}-{p} samarbeider med universitetet om {topic} og innovasjon."
            for p in range(12)
        ]
        (path / f"strategi-{n:03}.md").write_text(f"# Strategi {n}\n\n" + "\n\n".join(sentences))
    return path


def _rows(database: Path) -> int:
    try:
        with sqlite3.connect(database, timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
    except sqlite3.Error:  # not made yet, or being written
        return 0


def test_a_killed_ingest_resumes_without_doing_its_work_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(tmp_path / "strategier", 16)
    data = tmp_path / "data"
    command = [sys.executable, "-m", "ui.cli", "--data-dir", str(data), "ingest", "--offline"]
    run = subprocess.Popen([*command, str(folder)], cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        # Killed while embedding: every file parsed, some vectors made, not all.
        while _rows(data / "embeddings.sqlite") < 100 and time.monotonic() < deadline:
            assert run.poll() is None, "the ingest ended before it could be killed"
            time.sleep(0.2)
        os.kill(run.pid, signal.SIGKILL)
    finally:
        run.wait()
    made = _rows(data / "embeddings.sqlite")
    assert made >= 100

    capsys.readouterr()
    assert main(["--data-dir", str(data), "ingest", "--offline", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "17 ok" in out  # the report and the 16 files
    # Read from the parse cache, or not read at all when the killed run had written the
    # corpus before it was killed (then the files are as they were).
    files = re.search(r"files: (\d+) parsed now, (\d+) read from the parse cache, (\d+) unch", out)
    assert files, out
    assert int(files[1]) == 0 and int(files[2]) + int(files[3]) == 17
    found = re.search(r"(\d+) vectors \((\d+) embedded now", out)
    assert found, out
    vectors, embedded = int(found[1]), int(found[2])
    assert 0 < embedded <= vectors - made  # nothing made before the kill was made again
