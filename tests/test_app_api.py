"""The web app through gradio_client and plain HTTP, started on a loopback port."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from tests.app_server import app_config, running_app
from tests.servers import Exchange, LoopbackServer, loopback_server
from ui.cli import main
from ui.login import Login
from ui.passwords import read_auth_file, set_password

server = pytest.fixture(name="server")(loopback_server)


def drip_once(body: bytes, delay: float) -> Callable[[Exchange], None]:
    """Sends the headers, waits `delay` seconds, then the body: a slow download."""

    def handle(exchange: Exchange) -> None:
        exchange.start(200, {"Content-Type": "application/pdf", "Content-Length": str(len(body))})
        time.sleep(delay)
        exchange.write(body)

    return handle


os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def app_url(report_data: Path) -> Iterator[str]:
    with running_app(app_config(report_data)) as (_, url):
        yield url


def test_chat_takes_a_question_alone_and_returns_a_cited_answer(app_url: str) -> None:
    client = Client(app_url, verbose=False)
    answer = client.predict("Hva kan Seal of excellence benyttes som?", api_name="/chat")
    assert "Seal of excellence kan benyttes som et virkemiddel. [1]" in answer
    # A text source is cited by section and paragraph, not by its one "page".
    assert "[1] SMARTER 2018" in answer and "¶ 5" in answer and "p. 1" not in answer


def test_chat_uses_the_history_for_a_follow_up(app_url: str) -> None:
    client = Client(app_url, verbose=False)
    history = [
        {"role": "user", "content": "Hva sa den litauiske forskningsministeren?"},
        {"role": "assistant", "content": "…"},
    ]
    answer = client.predict("Hvor mye av budsjettet kom derfra?", history, api_name="/chat")
    assert "75 %" in answer


def test_check_returns_verdicts_per_sentence(app_url: str) -> None:
    client = Client(app_url, verbose=False)
    verdicts = client.predict(
        "Kompetanse blir stadig viktigere ifølge rapporten. Andrés Rodríguez-Pose deltok i faglig "
        "kapasitet som professor II ved Universitetet i Bergen.",
        api_name="/check",
    )
    assert [v["verdict"] for v in verdicts] == ["supported", "contradicted"]
    assert verdicts[1]["evidence"][0]["page"] == 1


def test_summarize_endpoint(app_url: str) -> None:
    client = Client(app_url, verbose=False)
    (summary,) = client.predict("report", 3, api_name="/summarize")
    assert summary["doc_id"] == "report" and len(summary["sentences"]) == 3
    assert summary["citations"][0]["section"] and "[1]" in summary["summary"]
    overview = client.predict("", 0, api_name="/summarize")
    assert [s["doc_id"] for s in overview] == ["report"]
    with pytest.raises(AppError, match="no document 'nosuch'"):
        client.predict("nosuch", 0, api_name="/summarize")


def test_search_endpoint(app_url: str) -> None:
    hits = Client(app_url, verbose=False).predict("Seal of excellence", 3, api_name="/search")
    assert len(hits) == 3 and "Seal of excellence" in hits[0]["text"]
    # A text source's passage is found by its section and paragraph, not its one "page".
    section = hits[0]["section"]
    assert section and hits[0]["location"] == f"{section}, ¶ {hits[0]['paragraph']}"


def test_file_route_serves_source_copies_and_nothing_else(app_url: str, report_data: Path) -> None:
    def get(path: Path) -> int:
        return httpx.get(f"{app_url}gradio_api/file={quote(str(path))}", timeout=10).status_code

    copy = report_data / "files" / "report.txt"
    assert copy.is_file() and get(copy) == 200
    index_files = list((report_data / "index").rglob("*.faiss"))
    assert index_files and get(index_files[0]) == 403
    assert get(ROOT / "config.toml") == 403
    assert get(report_data / "corpus" / "sources.json") == 403
    assert get(Path("/etc/passwd")) == 403
    assert get(report_data / "files" / ".." / "embeddings.sqlite") == 403


def test_monitoring_is_off(app_url: str) -> None:
    # Gradio answers 403 when monitoring is disabled, 200 with the dashboard otherwise.
    assert httpx.get(f"{app_url}monitoring", timeout=10).status_code in (403, 404)


def test_password_protection(report_data: Path, tmp_path: Path) -> None:
    secrets = tmp_path / "users.txt"
    secrets.write_text("# who may log in\n")
    set_password(secrets, "ana", "correct horse")
    auth = Login(read_auth_file(secrets))
    with running_app(app_config(report_data), auth=auth) as (_, url):
        assert httpx.get(f"{url}config", timeout=10).status_code == 401
        with pytest.raises(Exception):  # noqa: B017 - any refusal will do
            Client(url, verbose=False).predict("Hva er S3?", api_name="/chat")
        client = Client(url, auth=("ana", "correct horse"), verbose=False)
        assert "[1]" in client.predict("Hva kan Seal of excellence benyttes som?", api_name="/chat")
        cookies = client.cookies if hasattr(client, "cookies") else {}
        refused = httpx.get(
            f"{url}gradio_api/file={quote(str(secrets))}", cookies=cookies, timeout=10
        )
        assert refused.status_code in (401, 403)


def test_bad_password_files_are_clear_errors(tmp_path: Path) -> None:
    from ui.config import ConfigError

    bad = tmp_path / "bad.txt"
    bad.write_text("just-a-name\n")
    with pytest.raises(ConfigError, match="user:password"):
        read_auth_file(bad)
    bad.write_text("ana:correct horse\n")
    with pytest.raises(ConfigError, match="plaintext password"):
        read_auth_file(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        read_auth_file(tmp_path / "missing.txt")


def test_eight_concurrent_chats_complete(app_url: str) -> None:
    questions = [
        "Hva kan Seal of excellence benyttes som?",
        "What does the EIT think regions should make use of?",
        "Hvem utgjorde hovedmengden av deltakerne?",
        "Hvilke medforfattere med tilknytning til Norge ble nevnt?",
    ] * 2

    def ask(question: str) -> tuple[float, str]:
        start = time.monotonic()
        answer = Client(app_url, verbose=False).predict(question, api_name="/chat")
        return time.monotonic() - start, answer

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(ask, questions))
    total = time.monotonic() - started
    assert all("[1]" in answer for _, answer in results), [a for _, a in results]
    latencies = sorted(t for t, _ in results)
    median = statistics.median(latencies)
    print(
        f"\n8 concurrent chats: total {total:.2f} s, median {median:.2f} s, "
        f"max {latencies[-1]:.2f} s"
    )


def test_ingest_from_the_app_runs_while_chat_answers(
    tmp_path: Path, server: LoopbackServer
) -> None:
    from tests.pdfs import text_pdf

    pages = ["Oppland satser på reiseliv.", "Klyngen for bioøkonomi i Innlandet får 12 millioner."]
    server.route("/slow.pdf", drip_once(text_pdf(pages), delay=8.0))
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "ingest", "--offline"]) == 0
    config = app_config(
        data, KILDE_FETCH__ALLOWED_PORTS=f"[{server.port}]", KILDE_FETCH__ALLOW_PRIVATE_HOSTS="true"
    )
    with running_app(config) as (_, url):
        client = Client(url, verbose=False)
        job = client.submit(server.url("/slow.pdf"), None, "en", api_name="/ui_ingest")
        time.sleep(0.5)
        started = time.monotonic()
        answer = client.predict("Hva kan Seal of excellence benyttes som?", api_name="/chat")
        assert "[1]" in answer and time.monotonic() - started < 6.0
        assert not job.done()
        status, table, summarisable, managed = job.result(timeout=120)
        assert "2 ok" in status and "slow" in table
        # Plain, in the interface's language (Norwegian here); the log folded under it.
        assert status.startswith("Ferdig: 2 kilder lest inn,")
        assert "slow" in str(summarisable)  # the new source can be summarised
        assert "slow" in str(managed)  # ... and removed or tried again
        answer = client.predict("Hvor mye får klyngen for bioøkonomi?", api_name="/chat")
        assert "12 millioner" in answer and "p. 2" in answer
