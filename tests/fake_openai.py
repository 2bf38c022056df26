"""A fake OpenAI-compatible chat server on loopback, built on tests/servers.py.

    with FakeOpenAI(reply="Hello [1].") as fake:
        chat = OpenAIChat(fake.base_url, "fake-model")
        assert "".join(chat.stream([Message("user", "Hi")], max_tokens=8)) == "Hello [1]."
        assert fake.bodies[0]["stream"] is True

POST /v1/chat/completions answers server-sent events the way OpenAI does:
`data: {json}` frames whose `choices[].delta` carries the role first, then the
reply a piece at a time (`finish_reason` on the last piece), an optional usage
frame with `"choices": []`, then `data: [DONE]`; `: ping` comment lines come
between frames. Every request body is recorded (`bodies`, parsed JSON).

The switches are plain attributes, so a test may change them between requests.
Counted switches (`rate_limited`, `server_errors`) apply to the first N
requests the server gets.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

from tests.servers import Exchange, LoopbackServer

PATH = "/v1/chat/completions"


def pieces(text: str) -> list[str]:
    """`text` as the tokens a model would stream: words with their following space."""
    return re.findall(r"\s+|\S+\s*", text) or [""]


class FakeOpenAI:
    def __init__(
        self,
        reply: str = "Hello from the fake model.",
        *,
        token_delay: float = 0.0,
        rate_limited: int = 0,
        retry_after: str | None = "1",
        server_errors: int = 0,
        server_error_status: int = 503,
        disconnect_after: int | None = None,
        disconnect_style: str = "eof",
        malformed_after: int | None = None,
        first_byte_delay: float = 0.0,
        endless: bool = False,
        error_status: int | None = None,
        error_message: str = "Invalid API key provided.",
        usage: bool = True,
        pings: bool = True,
        split_writes: bool = False,
    ) -> None:
        self.reply = reply  # the whole answer; streamed as `pieces(reply)`
        self.token_delay = token_delay  # seconds between content frames
        self.rate_limited = rate_limited  # the first N requests get 429
        self.retry_after = retry_after  # Retry-After on 429 and 5xx answers (None: none)
        self.server_errors = server_errors  # the first N requests get server_error_status
        self.server_error_status = server_error_status
        # Close the connection after this many frames (the role frame is the first), without
        # [DONE]: "eof" ends a body of unknown length there, "truncated" falls short of the
        # Content-Length it announced.
        self.disconnect_after = disconnect_after
        self.disconnect_style = disconnect_style
        self.malformed_after = malformed_after  # after this many frames, a broken JSON frame
        self.first_byte_delay = first_byte_delay  # sleep before the status line
        self.endless = endless  # content frames forever, until the client goes away
        self.error_status = error_status  # e.g. 400 or 401, with an OpenAI error body
        self.error_message = error_message
        self.usage = usage  # send the usage frame with "choices": []
        self.pings = pings  # ": ping" comment lines between frames
        self.split_writes = split_writes  # each frame in two writes, cut mid-character

        self.bodies: list[dict[str, Any]] = []
        self.server = LoopbackServer()
        self.server.route(PATH, self._handle)
        self._lock = threading.Lock()
        self._count = 0
        self._active = 0
        self._stopping = threading.Event()

    # Lifecycle.

    def start(self) -> FakeOpenAI:
        self.server.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # ends sleeping and endless handlers
        self.server.stop()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # What the tests look at.

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def base_url(self) -> str:
        return self.server.url("/v1")

    @property
    def requests(self) -> int:
        return self.server.hits(PATH)

    def headers(self, index: int = -1) -> dict[str, str]:
        return self.server.requests_for(PATH)[index].headers

    @property
    def active(self) -> int:
        """Handlers still running (an endless stream ends when its client goes away)."""
        with self._lock:
            return self._active

    def wait_idle(self, timeout: float = 5.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.active == 0:
                return True
            time.sleep(0.02)
        return self.active == 0

    # The handler.

    def _handle(self, exchange: Exchange) -> None:
        with self._lock:
            self._count += 1
            number = self._count
            self._active += 1
        try:
            body = json.loads(exchange.request.body or b"null")
            with self._lock:
                self.bodies.append(body)
            self._answer(exchange, number, body)
        finally:
            with self._lock:
                self._active -= 1

    def _answer(self, exchange: Exchange, number: int, body: Any) -> None:
        if self.first_byte_delay and self._stopping.wait(self.first_byte_delay):
            return
        if number <= self.rate_limited:
            self._error(exchange, 429, "Rate limit reached, slow down.", "rate_limit_exceeded")
            return
        if number <= self.rate_limited + self.server_errors:
            self._error(exchange, self.server_error_status, "The server is overloaded.", "busy")
            return
        if self.error_status is not None:
            self._error(exchange, self.error_status, self.error_message, "invalid_request_error")
            return
        model = body.get("model", "") if isinstance(body, dict) else ""
        frames = list(self._frames(model))
        if self.disconnect_after is not None:
            frames = frames[: self.disconnect_after]
            if self.disconnect_style == "truncated":
                data = b"".join(frames)
                exchange.start(
                    200,
                    {"Content-Type": "text/event-stream", "Content-Length": str(len(data) + 500)},
                )
                exchange.write(data)
                return
        exchange.start(200, {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        for frame in frames:
            self._write(exchange, frame)
        if self.endless:
            self._forever(exchange, model)

    def _frames(self, model: str) -> Iterator[bytes]:
        """The whole answer as SSE frames, each with its separator and pings."""
        stamp = int(time.time())

        def chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
            return {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": stamp,
                "model": model,
                "choices": choices,
                **extra,
            }

        sent = 0

        def frame(data: str) -> bytes:
            nonlocal sent
            sent += 1
            ping = b": ping\n\n" if self.pings else b""
            if self.malformed_after is not None and sent == self.malformed_after + 1:
                return ping + b'data: {"choices": [{"delta": {"content": "oops"\n\n'
            return ping + f"data: {data}\n\n".encode()

        role = {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}
        yield frame(json.dumps(chunk([role])))
        parts = pieces(self.reply)
        for i, piece in enumerate(parts):
            last = i == len(parts) - 1
            choice = {
                "index": 0,
                "delta": {"content": piece},
                "finish_reason": "stop" if last and not self.endless else None,
            }
            yield frame(json.dumps(chunk([choice]), ensure_ascii=False))
        if self.endless:
            return
        if self.usage:
            usage = {"prompt_tokens": 42, "completion_tokens": len(parts), "total_tokens": 99}
            yield frame(json.dumps(chunk([], usage=usage)))
        yield frame("[DONE]")

    def _write(self, exchange: Exchange, frame: bytes) -> None:
        if self.token_delay:
            self._stopping.wait(self.token_delay)
        if self.split_writes and len(frame) > 1:
            cut = _mid_character(frame)
            exchange.write(frame[:cut])
            time.sleep(0.005)
            exchange.write(frame[cut:])
        else:
            exchange.write(frame)

    def _forever(self, exchange: Exchange, model: str) -> None:
        """Content frames until the client hangs up (a write fails) or the server stops."""
        tick = {"index": 0, "delta": {"content": "more "}, "finish_reason": None}
        data = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model}
        frame = f"data: {json.dumps({**data, 'choices': [tick]})}\n\n".encode()
        deadline = time.monotonic() + 60  # a safety net; the client goes away long before
        while not self._stopping.is_set() and time.monotonic() < deadline:
            exchange.write(frame)  # BrokenPipe/ConnectionReset once the client is gone
            self._stopping.wait(max(self.token_delay, 0.02))

    def _error(self, exchange: Exchange, status: int, message: str, kind: str) -> None:
        payload = {"error": {"message": message, "type": kind, "param": None, "code": None}}
        headers = {}
        if status in (429, 500, 502, 503, 504) and self.retry_after is not None:
            headers["Retry-After"] = self.retry_after
        exchange.send(status, json.dumps(payload).encode(), "application/json", headers)


def _mid_character(data: bytes) -> int:
    """A cut inside a multi-byte UTF-8 character when there is one, else the middle."""
    for i, byte in enumerate(data):
        if byte >= 0xC0:  # the lead byte of a multi-byte character
            return i + 1
    return len(data) // 2
