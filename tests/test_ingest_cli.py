"""`kilde ingest` and `kilde sources`, end to end, on real files and loopback servers."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from index.language import detect_language
from ingest.corpus import CorpusStore
from tests.configs import loopback_config
from tests.pdfs import text_pdf, truncated_pdf
from tests.servers import LoopbackServer, loopback_server, not_found, static, with_etag
from ui.cli import main

server = pytest.fixture(name="server")(loopback_server)

TALK = ["Alpha page about clusters.", "Bravo page about regional policy.", "Charlie page ends."]
HTML = b"""<!doctype html><html><head><title>Programme</title></head><body>
<nav>Home | About</nav><main><h1>Conference programme</h1><p>Sessions on smart
specialisation and the geography of innovation.</p></main><footer>Cookies</footer></body></html>"""


def _sources(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, dict[str, object]]:
    capsys.readouterr()
    assert main([*args, "sources", "--json"]) == 0
    return {r["id"]: r for r in json.loads(capsys.readouterr().out)}


def test_offline_ingest_builds_the_corpus_from_the_bundled_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "ingest", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "1 ok, 14 failed, 0 skipped" in out
    records = _sources(capsys, "--data-dir", str(tmp_path))
    report = records.pop("report")
    assert (report["status"], report["obtained"], report["kind"], report["lang"]) == (
        "ok",
        "bundled",
        "text",
        "no",
    )
    assert report["pages"] == 1 and int(str(report["chunks"])) > 20
    assert "Norway's delegation to the EU" in str(report["provenance"])
    assert len(records) == 14
    assert all(
        r["status"] == "failed" and r["error"] == "offline and not in the cache"
        for r in records.values()
    )
    named = [r for r in records.values() if r["title_from"] == "report"]
    assert len(named) >= 10
    wessner = next(r for r in records.values() if "Wessner" in str(r["url"]))
    assert str(wessner["title"]).startswith("Charles Wessner, Georgetown University")
    assert "Charles Wessner" in str(wessner["mentioned_in"])
    for key in (
        "id",
        "title",
        "url",
        "final_url",
        "obtained",
        "status",
        "error",
        "pages",
        "chunks",
        "lang",
        "sha256",
        "mentioned_in",
    ):
        assert key in wessner


def _config(tmp_path: Path, server: LoopbackServer, root: Path) -> Path:
    return loopback_config(tmp_path, server.port, root)


@pytest.fixture
def linked(tmp_path: Path, server: LoopbackServer) -> Path:
    server.route("/Nordmann_clusters.pdf", with_etag(text_pdf(TALK), '"v1"'))
    server.route("/programme.html", static(HTML, "text/html; charset=utf-8"))
    server.route("/broken.pdf", static(truncated_pdf(), "application/pdf"))
    server.route(
        "/error.pdf", static(b"<html><body>Access denied</body></html>", "application/pdf")
    )
    server.route("/gone.pdf", not_found)
    root = tmp_path / "notes.txt"
    root.write_text(
        "Notes from the conference.\n\n"
        "Kari Nordmann, University of Somewhere: Clusters and regional policy\n"
        f"{server.url('/Nordmann_clusters.pdf')}\n{server.url('/Nordmann_clusters.pdf')}\n"
        f"See the programme at {server.url('/programme.html')} for details.\n"
        f"{server.url('/broken.pdf')}\n{server.url('/error.pdf')}\n{server.url('/gone.pdf')}\n"
    )
    return _config(tmp_path, server, root)


def test_linked_documents_are_fetched_parsed_and_chunked_by_page(
    linked: Path, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(linked), "ingest", "--allow-private-hosts"]) == 0
    records = {r["url"]: r for r in _sources(capsys, "--config", str(linked)).values()}
    talk = records[server.url("/Nordmann_clusters.pdf")]
    assert (talk["status"], talk["obtained"], talk["kind"], talk["pages"]) == (
        "ok",
        "direct",
        "pdf",
        3,
    )
    assert talk["title"] == "Kari Nordmann, University of Somewhere: Clusters and regional policy"
    assert talk["parent"] == "notes"
    programme = records[server.url("/programme.html")]
    assert (programme["status"], programme["kind"], programme["title"]) == (
        "ok",
        "html",
        "Programme",
    )
    assert "damaged PDF" in str(records[server.url("/broken.pdf")]["error"])
    assert "PDF" in str(records[server.url("/error.pdf")]["error"])
    assert "404" in str(records[server.url("/gone.pdf")]["error"])
    assert server.hits("/Nordmann_clusters.pdf") == 1  # listed twice, fetched once
    copy = Path(str(talk["copy"]))
    assert copy.name == f"{talk['id']}.pdf"
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == talk["sha256"]

    store = CorpusStore(linked.parent / "data")
    chunks = [c for c in store.chunks() if c.doc_id == talk["id"]]
    assert {c.page: c.text for c in chunks} == dict(enumerate(TALK, start=1))
    page_text = {d.id: d for d in store.documents()}[str(talk["id"])].page(2).text
    bravo = next(c for c in chunks if c.page == 2)
    assert page_text[bravo.start : bravo.end] == bravo.text
    assert "nav" not in " ".join(c.text for c in store.chunks() if c.doc_id == programme["id"])

    assert main(["--config", str(linked), "ingest", "--allow-private-hosts", "--strict"]) == 1


def test_a_second_run_downloads_and_parses_nothing_again(
    linked: Path, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(linked), "ingest", "--allow-private-hosts"]) == 0
    parsed = sorted((linked.parent / "data" / "parsed").iterdir())
    stamps = [p.stat().st_mtime_ns for p in parsed]
    assert main(["--config", str(linked), "ingest", "--allow-private-hosts"]) == 0
    second = server.requests_for("/Nordmann_clusters.pdf")[-1]
    assert second.headers.get("if-none-match") == '"v1"'
    records = {r["url"]: r for r in _sources(capsys, "--config", str(linked)).values()}
    assert records[server.url("/Nordmann_clusters.pdf")]["obtained"] == "cached"
    assert records[server.url("/Nordmann_clusters.pdf")]["status"] == "ok"
    assert sorted((linked.parent / "data" / "parsed").iterdir()) == parsed
    assert [p.stat().st_mtime_ns for p in parsed] == stamps


def test_loopback_is_refused_unless_allowed(
    linked: Path, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(linked), "ingest"]) == 0  # the root itself is local
    records = {r["url"]: r for r in _sources(capsys, "--config", str(linked)).values()}
    assert "not globally routable" in str(records[server.url("/Nordmann_clusters.pdf")]["error"])
    assert server.hits("/Nordmann_clusters.pdf") == 0


def test_bad_local_inputs_get_one_line_reasons_and_lose_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fake.pdf").write_bytes(b"<!DOCTYPE html><html><body>nope</body></html>")
    (folder / "cut.pdf").write_bytes(truncated_pdf())
    (folder / "memo.docx").write_bytes(b"PK\x03\x04")
    (folder / "notes.md").write_text("# Notater\n\nKlynger får størst verdi i nettverk.\n")
    (folder / "empty.txt").write_bytes(b"")
    data = tmp_path / "data"
    code = main(
        ["--data-dir", str(data), "ingest", "--offline", str(folder), str(tmp_path / "missing.pdf")]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "not a PDF: it looks like an HTML page" in out
    assert "damaged PDF" in out
    assert "unsupported file type" in out
    assert "no such file or folder" in out
    assert "empty file" in out
    records = _sources(capsys, "--data-dir", str(data))
    notes = next(r for r in records.values() if str(r["path"]).endswith("notes.md"))
    assert (notes["status"], notes["obtained"], notes["title"]) == ("ok", "local", "Notater")
    assert records["report"]["status"] == "ok"
    # Added sources are remembered for the next run; missing ones are not.
    added = json.loads((data / "added.json").read_text())
    assert len(added) == 4 and not any("missing" in a["path"] for a in added)
    code = main(["--data-dir", str(data), "ingest", "--offline", "--strict"])
    assert code == 1


def test_config_show_prints_merged_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KILDE_LLM__BASE_URL", "https://user:s3cret@llm.example/v1")
    monkeypatch.setenv("KILDE_CHUNK__SIZE", "400")
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "s3cret" not in out and "***@llm.example" in out
    assert "size = 400" in out


def test_bad_config_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[fetch]\nconcurrency = 0\n")
    assert main(["--config", str(bad), "sources"]) == 2
    assert "fetch.concurrency" in capsys.readouterr().err


def test_a_documents_language_is_that_of_most_of_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Told in the ingest's language process: the opening alone would say Norwegian.
    monkeypatch.setenv("KILDE_CORPUS__SOURCES", "[]")
    monkeypatch.setenv("KILDE_EMBEDDING__BACKEND", "hash")
    monkeypatch.setenv("KILDE_CHUNK__SIZE", "200")  # a paragraph a chunk
    monkeypatch.setenv("KILDE_CHUNK__OVERLAP", "0")
    norwegian = (
        "Dette notatet oppsummerer hva deltakerne fra fylket lærte på konferansen, og hva "
        "de vil ta med seg videre i arbeidet med strategien."
    )
    english = (
        "Smart specialisation strategies ask regions to concentrate their resources on the "
        "few domains where they hold a real advantage over other regions."
    )
    # More than the 10,000 characters a language is judged by in Norwegian, then more
    # in English: all of it counts, not its opening.
    paragraphs = [norwegian] * 75 + [english] * 110
    mostly = tmp_path / "mostly-english.md"
    mostly.write_text("\n\n".join(paragraphs), encoding="utf-8")
    short = tmp_path / "short.md"  # every chunk too short to tell: judged as a whole
    short.write_text("# Møte\n\nVi møtes i morgen klokka ti i rådhuset.", encoding="utf-8")
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", "--offline", str(mostly), str(short)]) == 0
    store = CorpusStore(data)
    documents = {d.title: d for d in store.documents()}
    assert {title: d.lang for title, d in documents.items()} == {
        "mostly-english": "en",
        "Møte": "no",
    }
    chunks = [c for c in store.chunks() if c.doc_id == documents["mostly-english"].id]
    assert [c.lang for c in chunks] == ["no"] * 75 + ["en"] * 110
    assert detect_language("\n\n".join(paragraphs)) == "no"  # what its opening says
    assert {c.lang for c in store.chunks() if c.doc_id == documents["Møte"].id} == {"no"}
