"""The web app's edges: what it accepts, what it serves, and what it does when sources change."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

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
