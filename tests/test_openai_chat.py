"""OpenAIChat against a real loopback server: streaming, retries, deadlines, clear errors.

Every error is checked for the API key: it must never appear in what a user is shown.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Generator, Iterator
from typing import Any

import pytest

from assistant.llm import LLMError, Message
from assistant.openai_chat import OpenAIChat
from tests.fake_openai import PATH, FakeOpenAI, pieces
from tests.servers import Exchange, LoopbackServer, slow_headers

KEY = "sk-test-SECRET"
MESSAGES = [Message("system", "Answer briefly."), Message("user", "What do clusters do?")]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def chat(base_url: str, **options: Any) -> OpenAIChat:
    settings = {"timeout": 10.0, "backoff": 0.05, **options}
    return OpenAIChat(base_url, "fake-model", api_key=KEY, **settings)


def reply(client: OpenAIChat, max_tokens: int = 64) -> str:
    try:
        return "".join(client.stream(MESSAGES, max_tokens=max_tokens))
    finally:
        client.close()


def failure(client: OpenAIChat) -> tuple[str, float]:
    """The LLMError's text (checked for secrets) and how long it took to come."""
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        reply(client)
    text = str(caught.value)
    assert KEY not in text and "SECRET" not in text, text
    return text, time.monotonic() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Streaming.


def test_streamed_answer_is_assembled_exactly(fake: FakeOpenAI) -> None:
    fake.reply = "Blåbær-klynger i Agder 🍓 vokser  raskt [1].\n\nNy linje: «sitat» [2]. "
    fake.split_writes = True  # frames arrive in two writes, cut inside a character
    assert reply(chat(fake.base_url), max_tokens=77) == fake.reply

    (body,) = fake.bodies
    assert body["model"] == "fake-model"
    assert body["messages"] == [
        {"role": "system", "content": "Answer briefly."},
        {"role": "user", "content": "What do clusters do?"},
    ]
    assert body["stream"] is True
    assert body["max_tokens"] == 77
    headers = fake.headers()
    assert headers["authorization"] == f"Bearer {KEY}"
    assert "text/event-stream" in headers["accept"]


def test_comment_lines_role_and_usage_chunks_yield_no_text(fake: FakeOpenAI) -> None:
    fake.reply = "Clusters share workers and knowledge."
    fake.pings = fake.usage = True
    client = chat(fake.base_url)
    try:
        streamed = list(client.stream(MESSAGES, max_tokens=16))
    finally:
        client.close()
    assert streamed == pieces(fake.reply)  # the role chunk, pings and usage add nothing


def test_no_api_key_sends_no_authorization(fake: FakeOpenAI) -> None:
    client = OpenAIChat(fake.base_url, "fake-model")
    assert reply(client) == fake.reply
    assert "authorization" not in fake.headers()


# Retries.


def test_429_with_retry_after_is_waited_for_then_answered(fake: FakeOpenAI) -> None:
    fake.rate_limited = 1
    fake.retry_after = "1"
    started = time.monotonic()
    assert reply(chat(fake.base_url)) == fake.reply
    waited = time.monotonic() - started
    assert 0.9 <= waited < 6, waited
    assert fake.requests == 2


def test_retry_after_beyond_max_retry_after_fails_clearly_at_once(fake: FakeOpenAI) -> None:
    fake.rate_limited = 5
    fake.retry_after = "120"
    text, took = failure(chat(fake.base_url, max_retry_after=30))
    assert took < 3, took
    assert "answered 429" in text and "Rate limit reached" in text
    assert "120 s" in text and "30 s" in text
    assert fake.requests == 1


def test_retry_after_beyond_the_deadline_fails_at_once(fake: FakeOpenAI) -> None:
    fake.rate_limited = 5
    fake.retry_after = "20"
    text, took = failure(chat(fake.base_url, timeout=5, max_retry_after=60))
    assert took < 3, took
    assert "stayed busy" in text and "deadline" in text and "llm.timeout" in text


def test_503_twice_then_success(fake: FakeOpenAI) -> None:
    fake.server_errors = 2
    fake.retry_after = None  # the client's own backoff
    assert reply(chat(fake.base_url, retries=2)) == fake.reply
    assert fake.requests == 3


def test_503_more_often_than_retries_is_reported(fake: FakeOpenAI) -> None:
    fake.server_errors = 10
    fake.retry_after = "0"
    text, _ = failure(chat(fake.base_url, retries=2))
    assert "answered 503" in text and "overloaded" in text
    assert fake.requests == 3


# Broken streams.


@pytest.mark.parametrize("style", ["eof", "truncated"])
def test_disconnect_mid_stream(fake: FakeOpenAI, style: str) -> None:
    fake.reply = "one two three four five"
    fake.disconnect_after = 3  # the role frame and two pieces
    fake.disconnect_style = style
    text, _ = failure(chat(fake.base_url))
    assert "closed" in text


def test_malformed_chunk(fake: FakeOpenAI) -> None:
    fake.malformed_after = 2
    text, _ = failure(chat(fake.base_url))
    assert "malformed" in text


def test_error_event_in_the_stream() -> None:
    def handle(exchange: Exchange) -> None:
        exchange.start(200, {"Content-Type": "text/event-stream"})
        exchange.write(b'data: {"choices": [{"delta": {"content": "Hi"}}]}\n\n')
        error = {"error": {"message": f"context length exceeded ({KEY})"}}
        exchange.write(f"data: {json.dumps(error)}\n\n".encode())

    with LoopbackServer() as server:
        server.route(PATH, handle)
        text, _ = failure(chat(server.url("/v1")))
    assert "reported an error: context length exceeded" in text


# Deadlines.


def test_slow_first_byte_within_the_deadline(fake: FakeOpenAI) -> None:
    fake.first_byte_delay = 1.0
    assert reply(chat(fake.base_url, timeout=8)) == fake.reply


def test_slow_first_byte_beyond_the_deadline(fake: FakeOpenAI) -> None:
    fake.first_byte_delay = 30
    text, took = failure(chat(fake.base_url, timeout=2))
    assert "deadline" in text and "llm.timeout" in text
    assert 1.8 <= took < 4, took


def test_never_ending_stream_is_cut_at_the_deadline(fake: FakeOpenAI) -> None:
    fake.endless = True
    fake.token_delay = 0.02
    text, took = failure(chat(fake.base_url, timeout=2))
    assert "deadline" in text and "llm.timeout" in text
    assert 1.8 <= took < 4, took
    assert fake.wait_idle(5), "the endless handler kept running after the client left"


def test_a_drip_without_line_ends_is_cut_at_the_deadline() -> None:
    # Each byte resets httpx's read timeout and no line ever completes: only the
    # watchdog ends this.
    def drip(exchange: Exchange) -> None:
        exchange.start(200, {"Content-Type": "text/event-stream"})
        exchange.write(b'data: {"choices": [{"delta": {"content": "')
        for _ in range(300):
            exchange.write(b"x")
            time.sleep(0.1)

    with LoopbackServer() as server:
        server.route(PATH, drip)
        text, took = failure(chat(server.url("/v1"), timeout=2))
    assert "deadline" in text
    assert took < 4, took


def test_headers_dripped_a_byte_at_a_time_are_cut_at_the_deadline() -> None:
    with LoopbackServer() as server:
        server.route(PATH, slow_headers(every=0.1, total=30))
        text, took = failure(chat(server.url("/v1"), timeout=2))
    assert "deadline" in text
    assert took < 4, took


def test_stopping_early_releases_the_stream(fake: FakeOpenAI) -> None:
    fake.endless = True
    fake.token_delay = 0.02
    client = chat(fake.base_url)
    stream = client.stream(MESSAGES, max_tokens=8)
    assert isinstance(stream, Generator)
    assert next(stream) == fake.reply.split()[0] + " "
    stream.close()
    client.close()
    assert fake.wait_idle(5)


# Clear errors, no secrets.


def test_connection_refused() -> None:
    port = free_port()
    text, took = failure(chat(f"http://127.0.0.1:{port}/v1"))
    assert f"no LLM answering at http://127.0.0.1:{port}/v1: connection refused" in text
    assert 'llm.backend = "extractive"' in text
    assert took < 3


def test_401_shows_the_servers_message_and_the_key_hint(fake: FakeOpenAI) -> None:
    # Servers may echo the key they were given; it must not get any further.
    fake.error_status = 401
    fake.error_message = f"Incorrect API key provided: {KEY}. Find your key in the dashboard."
    text, _ = failure(chat(fake.base_url))
    assert "answered 401" in text
    assert "Incorrect API key provided: ***. Find your key in the dashboard." in text
    assert "llm.api_key_env" in text
    assert fake.requests == 1  # not retried


def test_400_shows_the_servers_message(fake: FakeOpenAI) -> None:
    fake.error_status = 400
    fake.error_message = "max_tokens is too large: 99999"
    text, _ = failure(chat(fake.base_url))
    assert "answered 400: max_tokens is too large: 99999" in text
    assert "api_key_env" not in text


def test_a_password_in_the_base_url_is_redacted(fake: FakeOpenAI) -> None:
    fake.error_status = 401
    fake.error_message = "bad credentials for alice:hunter2-pw"
    url = f"http://alice:hunter2-pw@127.0.0.1:{fake.port}/v1"
    text, _ = failure(chat(url))
    assert f"the LLM at http://***@127.0.0.1:{fake.port}/v1 answered 401" in text
    assert "hunter2-pw" not in text

    port = free_port()
    text, _ = failure(chat(f"http://alice:hunter2-pw@127.0.0.1:{port}/v1"))
    assert f"no LLM answering at http://***@127.0.0.1:{port}/v1" in text
    assert "hunter2-pw" not in text and "alice" not in text


def test_a_token_given_as_the_user_name_is_redacted(fake: FakeOpenAI) -> None:
    fake.error_status = 401
    fake.error_message = "unknown token tok-USERNAME-7f3a"
    text, _ = failure(chat(f"http://tok-USERNAME-7f3a@127.0.0.1:{fake.port}/v1"))
    assert f"the LLM at http://***@127.0.0.1:{fake.port}/v1 answered 401" in text
    assert "unknown token ***" in text and "USERNAME" not in text


def test_a_fractional_retry_after_is_waited_for(fake: FakeOpenAI) -> None:
    fake.rate_limited = 1
    fake.retry_after = "0.5"
    started = time.monotonic()
    assert reply(chat(fake.base_url)) == fake.reply
    assert 0.45 <= time.monotonic() - started < 5
    assert fake.requests == 2
