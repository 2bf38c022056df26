"""One bad source never stops an ingest, and never takes away what was ingested before."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.progress import SilentProgress, TerminalProgress
from ingest.atomic import write_atomic
from ingest.cache import HttpCache
from ingest.chunker import Chunker
from ingest.corpus import CorpusStore
from ingest.fetcher import Fetcher
from ingest.links import LinkPolicy
from ingest.loader import FileLoader, Loaded
from ingest.parse_cache import ParseCache
from ingest.pdf import PdfParser
from ingest.run import Ingestor
from ingest.settings import FetchSettings, LinkSettings, ParseSettings, SourceSpec
from tests.configs import loopback_config
from tests.servers import LoopbackServer, loopback_server, static
from ui.cli import main

server = pytest.fixture(name="server")(loopback_server)

NOTES = "# Notater\n\nKlynger får størst verdi i nettverk med universiteter og næringsliv.\n"
HTML = b"""<!doctype html><html><head><title>Programme</title></head><body><main>
<h1>Conference programme</h1><p>Sessions on smart specialisation and innovation.</p>
</main></body></html>"""


def _sources(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, dict[str, object]]:
    capsys.readouterr()
    assert main([*args, "sources", "--json"]) == 0
    return {r["id"]: r for r in json.loads(capsys.readouterr().out)}


# An unreadable source fails alone.


def test_a_file_that_cannot_be_read_fails_alone_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Even root cannot read a path whose name is longer than the file system allows:
    # looking at it raises OSError (ENAMETOOLONG), not "no such file".
    unreadable = tmp_path / ("n" * 300 + ".txt")
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    config = tmp_path / "kilde.toml"
    config.write_text(
        f"""
[paths]
data_dir = "{tmp_path / "data"}"
[[corpus.sources]]
id = "unreadable"
path = "{unreadable}"
[[corpus.sources]]
id = "notes"
path = "{notes}"
"""
    )
    assert main(["--config", str(config), "ingest", "--offline"]) == 0
    assert "1 ok, 1 failed, 0 skipped" in capsys.readouterr().out
    records = _sources(capsys, "--config", str(config))
    assert records["unreadable"]["status"] == "failed"
    assert records["unreadable"]["error"] == f"cannot read {unreadable}: File name too long"
    assert records["notes"]["status"] == "ok"


class _LockedLoader(FileLoader):
    """A loader whose file system refuses one file, as a permission problem would."""

    def load(
        self, path: Path, *, name: str | None = None, content_type: str | None = None
    ) -> Loaded:
        if path.name == "locked.md":
            raise PermissionError(13, "Permission denied", str(path))
        return super().load(path, name=name, content_type=content_type)


def test_an_unexpected_error_fails_its_source_and_the_run_goes_on(tmp_path: Path) -> None:
    locked, fine = tmp_path / "locked.md", tmp_path / "fine.md"
    locked.write_text(NOTES, encoding="utf-8")
    fine.write_text(NOTES, encoding="utf-8")
    store = CorpusStore(tmp_path / "data")
    links = LinkSettings()
    with Fetcher(FetchSettings(), HttpCache(store.http_cache_dir), offline=True) as fetcher:
        ingestor = Ingestor(
            fetcher=fetcher,
            loader=_LockedLoader(
                PdfParser.from_settings(ParseSettings()),
                ParseCache(store.parse_cache_dir),
                max_bytes=10_000_000,
            ),
            chunker=Chunker(size=500, overlap=100),
            links=LinkPolicy(links.drop, links.max_links),
            store=store,
            progress=SilentProgress(),
            workers=2,
        )
        summary = ingestor.run(
            [SourceSpec(id="locked", path=str(locked)), SourceSpec(id="fine", path=str(fine))]
        )
    records = {r.id: r for r in summary.records}
    assert (records["locked"].status, records["locked"].error) == (
        "failed",
        f"unexpected error: PermissionError: [Errno 13] Permission denied: '{locked}'",
    )
    assert records["fine"].status == "ok"
    assert [d.id for d in store.documents()] == ["fine"]


# What was ingested before is kept when it cannot be read now.


def test_a_moved_file_keeps_the_copy_ingested_earlier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    notes = folder / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", "--offline", str(notes)]) == 0
    store = CorpusStore(data)
    earlier = next(
        r for r in _sources(capsys, "--data-dir", str(data)).values() if r["path"] == str(notes)
    )
    doc_id = str(earlier["id"])
    document = next(d for d in store.documents() if d.id == doc_id)
    chunks = [c for c in store.chunks() if c.doc_id == doc_id]
    copy = Path(str(earlier["copy"]))
    assert chunks and copy.read_bytes() == NOTES.encode()

    notes.rename(tmp_path / "moved.md")
    for _ in range(2):  # the warning is not repeated run after run
        assert main(["--data-dir", str(data), "ingest", "--offline"]) == 0
        out = capsys.readouterr().out
        assert "could not read it now" in out
        record = _sources(capsys, "--data-dir", str(data))[doc_id]
        assert (record["status"], record["obtained"], record["error"]) == ("ok", "cached", None)
        assert record["warnings"] == [
            f"could not read it now (no such file: {notes}); kept the copy ingested earlier"
        ]
        assert (record["copy"], record["sha256"]) == (earlier["copy"], earlier["sha256"])
        assert next(d for d in store.documents() if d.id == doc_id) == document
        assert [c for c in store.chunks() if c.doc_id == doc_id] == chunks
        assert copy.read_bytes() == NOTES.encode()

    capsys.readouterr()
    assert main(["--data-dir", str(data), "search", "--json", "--doc", doc_id, "Klynger"]) == 0
    [answer] = json.loads(capsys.readouterr().out)
    assert answer["hits"], "the document is still in the index"


def test_a_kept_html_copy_is_renamed_as_copies_are_named_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "programme.html"
    page.write_bytes(HTML)
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", "--offline", str(page)]) == 0
    records = _sources(capsys, "--data-dir", str(data))
    [doc_id] = [i for i, r in records.items() if r["path"] == str(page)]
    # An earlier kilde kept HTML copies as .html, which the app would serve as HTML.
    copy = data / "files" / f"{doc_id}.html.txt"
    old = copy.rename(data / "files" / f"{doc_id}.html")
    for path in (
        data / "corpus" / "sources.json",
        data / "corpus" / "documents" / f"{doc_id}.json",
    ):
        path.write_text(path.read_text("utf-8").replace(str(copy), str(old)), "utf-8")
    page.unlink()
    assert main(["--data-dir", str(data), "ingest", "--offline"]) == 0
    record = _sources(capsys, "--data-dir", str(data))[doc_id]
    assert (record["status"], record["obtained"], record["copy"]) == ("ok", "cached", str(copy))
    assert copy.read_bytes() == HTML and not old.exists()
    assert next(d for d in CorpusStore(data).documents() if d.id == doc_id).path == str(copy)


def test_a_moved_root_still_brings_its_linked_documents(
    tmp_path: Path, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route("/programme.html", static(HTML, "text/html; charset=utf-8"))
    root = tmp_path / "notes.txt"
    root.write_text(
        f"Notes from the conference.\n\nThe programme:\n{server.url('/programme.html')}\n"
    )
    config = loopback_config(tmp_path, server.port, root)
    ingest = ["--config", str(config), "ingest", "--allow-private-hosts"]
    assert main(ingest) == 0
    first = next(r for r in _sources(capsys, "--config", str(config)).values() if r["parent"])
    programme_id = str(first["id"])
    root.unlink()
    assert main(ingest) == 0
    records = _sources(capsys, "--config", str(config))
    assert (records["notes"]["status"], records["notes"]["obtained"]) == ("ok", "cached")
    programme = records[programme_id]
    assert programme["status"] == "ok", programme["error"]
    for key in ("parent", "title", "mentioned_in", "sha256"):
        assert programme[key] == first[key]
    assert {d.id for d in CorpusStore(tmp_path / "data").documents()} == {"notes", programme_id}


# A damaged list of added sources is a clear error.


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "Expecting property name"),
        ('[{"url": 5}]', "source 1: url: Input should be a valid string"),
        ('{"url": "https://example.org/a.pdf"}', "a JSON list of sources was expected"),
    ],
)
def test_a_damaged_added_json_names_the_file_and_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, reason: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    added = data / "added.json"
    added.write_text(content, encoding="utf-8")
    assert main(["--data-dir", str(data), "ingest", "--offline"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kilde: cannot read the added sources in {added}: ")
    assert reason in err and f"fix or delete {added}" in err
    assert len(err.strip().splitlines()) == 1


def test_an_over_long_path_on_the_command_line_is_a_failed_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.cli import main

    code = main(["--data-dir", str(tmp_path / "d"), "ingest", "--offline", "/tmp/" + "x" * 300])
    assert code == 0
    assert "File name too long" in capsys.readouterr().out


def test_a_stray_folder_among_the_copies_is_reported_not_fatal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.cli import main

    note = tmp_path / "notat.md"
    note.write_text("# Notat\n\nJämtland satser på reiseliv og skogbruk i sin strategi.\n")
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", "--offline", str(note)]) == 0
    stray = data / "files" / "mine-notater"
    stray.mkdir()
    (stray / "utkast.txt").write_text("mitt utkast")
    capsys.readouterr()
    assert main(["--data-dir", str(data), "ingest", "--offline", str(note)]) == 0
    out = capsys.readouterr().out
    assert f"note: {stray} is a folder, not a copy kilde made" in out
    assert (stray / "utkast.txt").read_text() == "mitt utkast"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_counts_documents_and_pages_and_estimates_the_time_left(
    tmp_path: Path,
) -> None:
    from tests.pdfs import text_pdf

    specs = []
    for n in range(3):
        path = tmp_path / f"del-{n}.pdf"
        path.write_bytes(text_pdf([f"Del {n}, side {p}." for p in range(1, 5)]))
        specs.append(SourceSpec(id=f"del-{n}", path=str(path)))
    screen = _Terminal()
    store = CorpusStore(tmp_path / "data")
    with (
        Fetcher(FetchSettings(), HttpCache(store.http_cache_dir), offline=True) as fetcher,
        PdfParser() as pdf,
    ):
        Ingestor(
            fetcher=fetcher,
            loader=FileLoader(pdf, ParseCache(store.parse_cache_dir), max_bytes=10_000_000),
            chunker=Chunker(size=500, overlap=100),
            links=LinkPolicy(LinkSettings().drop, 10),
            store=store,
            progress=TerminalProgress(screen),
            workers=2,
        ).run(specs)
    drawn = screen.getvalue()
    assert "3/3" in drawn  # documents
    assert "12 pages" in drawn
    assert "<00:00" in drawn  # tqdm's estimate of the time left


def test_a_file_written_in_pieces_is_whole_or_not_written_at_all(tmp_path: Path) -> None:
    target = tmp_path / "chunks.jsonl"
    write_atomic(target, (f"line {n}\n".encode() for n in range(1000)))
    assert target.read_text().splitlines() == [f"line {n}" for n in range(1000)]

    def failing() -> Iterator[bytes]:
        yield b"half of a new file\n"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, failing())
    assert target.read_text().splitlines()[-1] == "line 999"  # the old file stands
    assert [p.name for p in tmp_path.iterdir()] == ["chunks.jsonl"]  # no temporary left


def test_a_kept_copy_is_copied_again_only_when_its_bytes_differ(tmp_path: Path) -> None:
    store = CorpusStore(tmp_path / "data")
    source = tmp_path / "report.pdf"
    source.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 9000)  # more than one block
    copy = store.keep_copy("doc1", source, "pdf")
    assert copy.read_bytes() == source.read_bytes() and copy.name == "doc1.pdf"
    written = copy.stat().st_mtime_ns
    assert store.keep_copy("doc1", source, "pdf") == copy
    assert copy.stat().st_mtime_ns == written  # the same bytes: not written again
    source.write_bytes(b"%PDF-1.4 " + bytes(range(255, -1, -1)) * 9000)  # same size
    store.keep_copy("doc1", source, "pdf")
    assert copy.read_bytes() == source.read_bytes()
