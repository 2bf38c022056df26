"""A source whose original no longer answers: the reader is told, and given the address it
came from and the local copy (the CLI, and the app's citations)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.configs import loopback_config
from tests.pdfs import text_pdf
from tests.servers import LoopbackServer, loopback_server, not_found, static
from ui.app import App
from ui.cli import main
from ui.config import load_config
from ui.page_image import PageImages
from ui.render import citations_html
from ui.services import AppServices

server = pytest.fixture(name="server")(loopback_server)
PAGES = ["Innlandet satser på reiseliv.", "Klyngen for bioøkonomi i Innlandet får 12 millioner."]


@pytest.fixture
def moved(tmp_path: Path, server: LoopbackServer) -> Iterator[Path]:
    """A note linking a PDF whose host moved it: the old address 404s, a rewrite rule knows
    the new one."""
    server.route("/old/innlandet.pdf", not_found)
    server.route("/new/innlandet.pdf", static(text_pdf(PAGES), "application/pdf"))
    note = tmp_path / "notat.txt"
    note.write_text(f"Notat om Innlandet.\n\nBudsjettet:\n{server.url('/old/innlandet.pdf')}\n")
    config = loopback_config(tmp_path, server.port, note, lang="no", rewrite=(("/old/", "/new/"),))
    assert main(["--config", str(config), "ingest", "--allow-private-hosts"]) == 0
    yield config


def test_the_cli_names_the_dead_original_the_new_address_and_the_copy(
    moved: Path, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--config", str(moved), "ask", "Hvor mye får klyngen for bioøkonomi?"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("[1]"))
    assert f"{server.url('/old/innlandet.pdf')} (svarer ikke lenger)" in line
    assert f"ny adresse: {server.url('/new/innlandet.pdf')}" in line
    assert "lokal kopi: " in line and line.rstrip().endswith(".pdf")
    # Kept across runs: the next ingest takes the cached copy, still from the new address.
    assert main(["--config", str(moved), "ingest", "--allow-private-hosts", "--offline"]) == 0
    capsys.readouterr()
    assert main(["--config", str(moved), "sources", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    record = next(r for r in records if r["url"] == server.url("/old/innlandet.pdf"))
    assert (record["obtained"], record["via"]) == ("cached", "rewritten")


def test_the_app_links_the_original_as_dead_and_the_new_address(
    moved: Path, server: LoopbackServer
) -> None:
    app = App(AppServices(load_config(moved, {}), os.environ), PageImages())
    answer = app.services.assistant().ask("Hvor mye får klyngen for bioøkonomi?")
    (cited,) = answer.citations
    links = app.links(cited.doc_id)
    assert (links.answered, links.how) == (False, "rewritten")
    shown = citations_html(answer, "en", app.links)
    assert "original (no longer answers)" in shown and "new address" in shown
    assert f"{server.url('/new/innlandet.pdf')}#page=2" in shown
    assert "local copy" in shown
