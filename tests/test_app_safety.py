"""The web app's edges: what it accepts, what it serves, and what it does when sources change."""

from __future__ import annotations

import os
import socket
import stat
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from gradio_client import Client, handle_file

from index.progress import SilentProgress
from tests.app_server import app_config, free_port, running_app
from ui.app import App
from ui.cli import main
from ui.config import ConfigError
from ui.login import Login
from ui.page_image import PageImages
from ui.passwords import read_auth_file, set_password
from ui.serve import launch
from ui.services import AppServices, Refusal
from ui.throttle import Throttle


def test_the_url_box_refuses_paths_on_the_server(report_data: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("The database password is hunter2.")
    services = AppServices(app_config(report_data), os.environ)
    with pytest.raises(Refusal, match="Only http\\(s\\) URLs can be added here"):
        services.ingest([str(secret), "file:///etc/passwd"], [], SilentProgress())
    assert "hunter2" not in str(services.searcher().search("database password", 3))


def test_html_copies_are_served_as_text_never_as_html(tmp_path: Path) -> None:
    page = tmp_path / "evil.html"
    page.write_text(
        "<html><body><h1>Klynger</h1><script>alert(1)</script>"
        "<p>Klynger i Innlandet samarbeider om bioøkonomi.</p></body></html>"
    )
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", "--offline", str(page)]) == 0
    copies = [p for p in (data / "files").iterdir() if p.name.startswith("evil")]
    assert [p.suffixes for p in copies] == [[".html", ".txt"]]
    with running_app(app_config(data)) as (_, url):
        response = httpx.get(f"{url}gradio_api/file={quote(str(copies[0]))}", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")


def test_a_citation_to_a_changed_source_says_so(report_data: Path) -> None:
    app = App(AppServices(app_config(report_data), os.environ), PageImages())
    version = app.services.searcher().version
    page = app.services.page(version, "report", 1)
    assert page is not None
    cite = {
        "key": "1-1",
        "n": 1,
        "doc_id": "report",
        "title": "R",
        "page": 1,
        "start": 0,
        "end": 8,
        "quote": page[:8],
        "version": version,
    }
    assert "kilde-mark" in app.show_citation("1-1", [cite], "en")[0]
    assert "kilde-mark" in app.show_citation("1-1@1796015438714", [cite], "en")[0]  # a click
    changed = {**cite, "quote": "something else"}
    assert "has changed since this answer" in app.show_citation("1-1", [changed], "en")[0]
    gone = {**cite, "page": 99}
    assert "has changed since this answer" in app.show_citation("1-1", [gone], "en")[0]


def test_uploads_with_the_same_name_do_not_overwrite_each_other(
    report_data: Path, tmp_path: Path
) -> None:
    services = AppServices(app_config(report_data), os.environ)
    first, second = tmp_path / "a" / "notat.md", tmp_path / "b" / "notat.md"
    for path, text in ((first, "# Én\n\nFørste notat."), (second, "# To\n\nAndre notat.")):
        path.parent.mkdir()
        path.write_text(text)
    kept = [services._keep_upload(first), services._keep_upload(second)]
    assert kept[0] != kept[1] and [p.read_text()[:4] for p in kept] == ["# Én", "# To"]


def test_a_port_in_use_is_a_clear_error(report_data: Path) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        with pytest.raises(ConfigError, match="choose another with --port"):
            launch(app_config(report_data), host="127.0.0.1", port=port, auth=None, block=False)


def test_wrong_passwords_hold_off_even_the_right_one_for_a_while(
    report_data: Path, tmp_path: Path
) -> None:
    users = tmp_path / "users.txt"
    set_password(users, "ana", "correct horse")
    wait = 3.0
    login = Login(read_auth_file(users), Throttle(free=3, base=wait, cap=wait))

    def log_in(password: str) -> int:
        form = {"username": "ana", "password": password}
        return httpx.post(f"{url}login", data=form, timeout=10).status_code

    with running_app(app_config(report_data), auth=login) as (_, url):
        assert log_in("correct horse") == 200
        assert [log_in(f"guess {n}") for n in range(4)] == [400] * 4
        refused_at = time.monotonic()
        assert log_in("correct horse") == 400  # the right one, too soon
        time.sleep(max(0.0, refused_at + wait + 0.2 - time.monotonic()))
        assert log_in("correct horse") == 200


def test_uploads_go_to_a_private_folder_in_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = data / "gradio-uploads"
    folder.mkdir(parents=True, mode=0o777)
    folder.chmod(0o777)  # as another user might have left it, umask aside
    with running_app(app_config(data)) as (_, url):
        assert os.environ["GRADIO_TEMP_DIR"] == str(folder)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        files = {"files": ("notat.md", b"# Notat\n\nEt notat.\n", "text/markdown")}
        uploaded = Path(httpx.post(f"{url}gradio_api/upload", files=files, timeout=10).json()[0])
        assert uploaded.parent.parent == folder
        assert _files_in(folder) == [uploaded]


def test_a_planted_link_for_the_upload_folder_is_refused(tmp_path: Path) -> None:
    data, elsewhere = tmp_path / "data", tmp_path / "elsewhere"
    data.mkdir()
    elsewhere.mkdir()
    (data / "gradio-uploads").symlink_to(elsewhere)
    with pytest.raises(ConfigError, match="not a folder of this user"):
        launch(app_config(data), host="127.0.0.1", port=free_port(), auth=None, block=False)


def test_the_files_of_one_upload_count_together(tmp_path: Path) -> None:
    data = tmp_path / "data"
    parts = []
    for n in range(3):
        part = tmp_path / f"del-{n}.txt"
        part.write_text(f"Del {n}. " + "x" * 600_000)  # each under 1 MiB, together 1.7
        parts.append(part)
    config = app_config(data, KILDE_UI__MAX_UPLOAD_MB="1", KILDE_UI__LANGUAGE="en")
    with running_app(config) as (_, url):
        client = Client(url, verbose=False)
        status, *_ = client.predict("", [handle_file(p) for p in parts], api_name="/ui_ingest")
        assert "too large together" in status
        assert not (data / "uploads").exists()  # nothing was kept
        assert _uploaded_bytes_in(data / "gradio-uploads") == []  # nor left behind
    # A path from elsewhere is refused, and not the app's to delete.
    services = AppServices(config, os.environ)
    with pytest.raises(Refusal, match=r"1\.7 MiB together; at most 1 MiB") as refusal:
        services.ingest([], parts, SilentProgress())
    assert refusal.value.kind == "too_large" and all(p.is_file() for p in parts)


def test_an_ingest_removes_gradios_temporary_files_and_keeps_its_own_copy(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    note = tmp_path / "notat.md"
    note.write_text("# Klynger\n\nKlynger i Innlandet samarbeider om bioøkonomi.\n")
    config = app_config(data, KILDE_CORPUS__SOURCES="[]")
    with running_app(config) as (_, url):
        client = Client(url, verbose=False)
        status, table, *_ = client.predict("", [handle_file(note)], api_name="/ui_ingest")
        assert "1 ok" in status and "notat" in table
        assert _uploaded_bytes_in(data / "gradio-uploads") == []
    kept = _files_in(data / "uploads")
    assert [p.name for p in kept] == ["notat.md"] and kept[0].read_text() == note.read_text()


def _files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if not p.is_dir()]


def _uploaded_bytes_in(folder: Path) -> list[Path]:
    # gr.File(type="filepath") also leaves an empty tmp* placeholder per file it hands
    # over (gradio/components/file.py, _process_single_file): no content, not kilde's.
    return [p for p in _files_in(folder) if p.stat().st_size > 0]
