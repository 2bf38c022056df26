from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "ingest" / "bundled" / "smarter-2018-report.txt"


@pytest.fixture(scope="session")
def report_text() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def report_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the bundled report ingested and indexed by the default models."""
    from ui.cli import main

    folder = tmp_path_factory.mktemp("report-data")
    assert main(["--data-dir", str(folder), "ingest", "--offline"]) == 0
    return folder


DEV = Path(__file__).resolve().parent / "data" / "dev.jsonl"  # a copy of shared/eval/dev.jsonl
