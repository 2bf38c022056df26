"""Sources a reader manages from the app: removed for good, tried again, failures explained."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.progress import SilentProgress
from ingest.corpus import CorpusStore
from tests.app_server import app_config
from tests.pdfs import text_pdf
from tests.servers import LoopbackServer, loopback_server, sequence, static, status
from ui.cli import main
from ui.reasons import reason_kind, refusing_rule
from ui.render import sources_html
from ui.services import AppServices

server = pytest.fixture(name="server")(loopback_server)


# Only what the test adds: the report's links are not tried (no network here).
NO_REPORT = {"KILDE_CORPUS__SOURCES": "[]", "KILDE_FETCH__RETRIES": "0"}


def services_on(data: Path, **env: str) -> AppServices:
    return AppServices(app_config(data, **env), os.environ)


def test_a_removed_source_is_gone_and_stays_gone_until_added_again(tmp_path: Path) -> None:
    note = tmp_path / "notat.md"
    note.write_text("# Notat\n\nJämtland satser på reiseliv og skogbruk i sin strategi.\n")
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", "--offline", str(note)]) == 0
    services = services_on(data)
    doc_id = next(r.id for r in services.sources() if r.path == str(note))
    assert doc_id in services.searcher().documents

    report = services.remove(doc_id, SilentProgress())
    assert "ok" in report
    assert doc_id not in {r.id for r in services.sources()}
    assert doc_id not in services.searcher().documents  # a new index version without it
    assert "report" in services.searcher().documents  # the rest kept
    # A later run, from the app or the command line, does not take it again...
    assert main(["--data-dir", str(data), "ingest", "--offline"]) == 0
    assert doc_id not in {r.id for r in CorpusStore(data).sources()}
    # ... until the reader adds it again.
    assert main(["--data-dir", str(data), "ingest", "--offline", str(note)]) == 0
    assert doc_id in {r.id for r in CorpusStore(data).sources()}


def test_a_failed_source_is_tried_again(tmp_path: Path, server: LoopbackServer) -> None:
    server.route(
        "/budsjett.pdf",
        sequence(status(503), static(text_pdf(["Klyngen får 12 millioner."]), "application/pdf")),
    )
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", "--offline"]) == 0
    services = services_on(
        data,
        KILDE_FETCH__ALLOWED_PORTS=f"[{server.port}]",
        KILDE_FETCH__ALLOW_PRIVATE_HOSTS="true",
        KILDE_FETCH__RETRIES="0",
    )
    services.ingest([server.url("/budsjett.pdf")], [], SilentProgress())
    record = next(r for r in services.sources() if r.url == server.url("/budsjett.pdf"))
    assert record.status == "failed"
    services.retry(record.id, SilentProgress())
    again = next(r for r in services.sources() if r.id == record.id)
    assert again.status == "ok"
    assert (
        "12 millioner"
        in services.searcher().retrieve("Hvor mye får klyngen?", 3).hits[0].chunk.text
    )


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("offline and not in the cache", "why_offline"),
        (
            "direct: cannot resolve host gone.example: [Errno -2] Name or service not known",
            "why_host_unknown",
        ),
        (
            "refused http://127.0.0.1:8080/a.pdf: port 8080 is not allowed "
            "(fetch.allowed_ports: 80, 443)",
            "why_refused",
        ),
        ("direct: timed out connecting to example.org", "why_silent"),
        ("direct https://example.org/a.pdf: 404 Not Found", "why_gone"),
        ("encrypted with a password; skipped", "why_encrypted"),
        ("not a PDF: it looks like an HTML page (starts with '<html>'...)", "why_not_pdf"),
        ("damaged PDF: EOF marker not found", "why_damaged"),
        ("something nobody foresaw", "why_other"),
    ],
)
def test_a_failure_is_told_in_plain_words(reason: str, kind: str) -> None:
    assert reason_kind(reason) == kind


def test_the_sources_table_says_why_plainly_and_keeps_the_details(report_data: Path) -> None:
    records = CorpusStore(report_data).sources()
    shown = sources_html(records, "nb")
    assert "Ikke hentet: kilde kjørte uten nett og hadde ingen kopi." in shown
    assert "<details><summary>" in shown and "offline and not in the cache</details>" in shown
    assert "<th>tittel / grunn</th>" in shown
    rule = "refused http://127.0.0.1:8080/a.pdf: port 8080 is not allowed (fetch.allowed_ports: 80)"
    assert refusing_rule(rule) == "port 8080 is not allowed (fetch.allowed_ports: 80)"


def test_a_refused_address_typed_into_the_app_is_not_remembered(
    tmp_path: Path, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack: type a private address into the URL box (refused), and wait for a run
    that allows private hosts (a mirror, on the command line) to send the request."""
    server.route("/hemmelig.pdf", static(text_pdf(["Intern budsjettnotat."]), "application/pdf"))
    data = tmp_path / "data"
    typed = server.url("/hemmelig.pdf")
    report = services_on(data, **NO_REPORT).ingest([typed], [], SilentProgress())
    assert f"refused {typed}" in report
    assert typed not in {s.url for s in CorpusStore(data).added()}
    for name, value in {**NO_REPORT, "KILDE_FETCH__ALLOWED_PORTS": f"[{server.port}]"}.items():
        monkeypatch.setenv(name, value)
    assert main(["--data-dir", str(data), "ingest", "--allow-private-hosts"]) == 1  # nothing
    assert server.hits("/hemmelig.pdf") == 0


def test_an_added_address_that_only_failed_is_remembered(
    tmp_path: Path, server: LoopbackServer
) -> None:
    server.route("/budsjett.pdf", status(503))
    data = tmp_path / "data"
    services = services_on(
        data,
        KILDE_FETCH__ALLOWED_PORTS=f"[{server.port}]",
        KILDE_FETCH__ALLOW_PRIVATE_HOSTS="true",
        **NO_REPORT,
    )
    services.ingest([server.url("/budsjett.pdf")], [], SilentProgress())
    assert server.hits("/budsjett.pdf") == 1
    assert server.url("/budsjett.pdf") in {s.url for s in CorpusStore(data).added()}
