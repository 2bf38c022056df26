"""Any OpenAI-compatible chat completions endpoint, streamed over httpx.

Ollama (at /v1), llama.cpp's server, vLLM, LM Studio and OpenAI all speak it.
Server-sent events: `data: {json}` frames with `choices[].delta.content`,
comment lines to skip, `data: [DONE]` at the end.

`timeout` is a total deadline for one reply, retries included. httpx's own
timeouts count inactivity only (a server dripping bytes resets them forever),
so a watchdog shuts the connection down when the deadline passes. No error
text ever carries the API key or a password from the base URL.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Generator, Iterator, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from assistant.llm import LLMError, Message
from index.deadline import Deadline
from index.redaction import redact_url
from index.retry_after import parse_retry_after

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_MAX_ERROR_BODY = 4096
_MAX_DETAIL = 300


class OpenAIChat:
    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        retries: int = 2,
        backoff: float = 0.5,
        max_retry_after: float = 30.0,
        temperature: float = 0.1,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.name = f"openai:{model or 'default'}"
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._where = redact_url(base_url.rstrip("/"))
        self._secrets = _secrets(api_key, base_url)
        self._model = model
        self._timeout = timeout
        self._retries = retries
        self._backoff = backoff
        self._max_retry_after = max_retry_after
        self._temperature = temperature
        headers = {"Accept": "text/event-stream"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        # No kept-alive connections: every request connects anew, so the deadline's
        # watchdog (which learns of sockets as they connect) can always cut it off.
        self._client = httpx.Client(
            headers=headers,
            transport=transport,
            trust_env=False,
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def close(self) -> None:
        self._client.close()

    def stream(self, messages: Sequence[Message], *, max_tokens: int) -> Iterator[str]:
        body = {
            "model": self._model,
            "messages": [m.to_json() for m in messages],
            "stream": True,
            "max_tokens": max_tokens,
            "temperature": self._temperature,
        }
        try:
            with Deadline(self._timeout) as deadline:
                for attempt in range(self._retries + 1):
                    retry_in = yield from self._attempt(
                        body, deadline, last=attempt == self._retries
                    )
                    if retry_in is None:
                        return
                    if retry_in > deadline.left():
                        raise LLMError(
                            f"the LLM at {self._where} stayed busy past the {self._timeout:g} s "
                            "deadline (llm.timeout)"
                        )
                    time.sleep(retry_in)
        except LLMError as error:
            # Servers echo what they were sent; whatever they said, no secret goes further.
            raise LLMError(self._scrub(str(error))) from None

    def _attempt(
        self, body: dict[str, Any], deadline: Deadline, *, last: bool
    ) -> Generator[str, None, float | None]:
        """Yields the reply; returns None when done, or seconds to wait before a retry."""
        try:
            with self._client.stream(
                "POST",
                self._url,
                json=body,
                timeout=self._timeouts(deadline),
                extensions={"trace": deadline.trace},
            ) as response:
                if response.status_code >= 400:
                    wait = self._retry_wait(response)
                    if wait is not None and not last:
                        return wait
                    raise LLMError(self._status_error(response))
                yield from self._events(response, deadline)
                return None
        except httpx.ConnectError as error:
            if deadline.passed():
                raise self._deadline_error("answer") from None
            raise LLMError(
                f"no LLM answering at {self._where}: {_short(error)}; start it, or set "
                'llm.backend = "extractive"'
            ) from None
        except httpx.TimeoutException:
            raise self._deadline_error("answer") from None
        except (httpx.RemoteProtocolError, httpx.ReadError):
            if deadline.passed():  # the watchdog cut the connection
                raise self._deadline_error("finish") from None
            raise LLMError(f"the LLM at {self._where} closed the connection mid-answer") from None
        except httpx.RequestError as error:
            if deadline.passed():
                raise self._deadline_error("finish") from None
            raise LLMError(f"could not talk to the LLM at {self._where}: {_short(error)}") from None
        except httpx.InvalidURL as error:
            raise LLMError(f"llm.base_url {self._where!r} is not a usable URL ({error})") from None

    def _deadline_error(self, what: str) -> LLMError:
        return LLMError(
            f"the LLM at {self._where} did not {what} within the {self._timeout:g} s deadline "
            "(llm.timeout)"
        )

    def _events(self, response: httpx.Response, deadline: Deadline) -> Iterator[str]:
        finished = False
        for line in response.iter_lines():
            if deadline.passed():
                raise self._deadline_error("finish")
            if not line.startswith("data:"):
                continue  # blank lines, ": ping" comments, "event:" fields
            payload = line[5:].strip()
            if payload == "[DONE]":
                return
            for content, done in self._deltas(payload):
                finished = finished or done
                if content:
                    yield content
        if deadline.fired:  # the watchdog's shutdown looks like the end of the stream
            raise self._deadline_error("finish")
        if not finished:
            raise LLMError(f"the LLM at {self._where} closed the stream before finishing")

    def _deltas(self, payload: str) -> list[tuple[str, bool]]:
        try:
            event = json.loads(payload)
            if "error" in event:
                raise LLMError(f"the LLM at {self._where} reported an error: {_message(event)}")
            deltas = []
            for choice in event.get("choices") or []:
                content = (choice.get("delta") or {}).get("content") or ""
                if not isinstance(content, str):
                    raise TypeError(f"content is {type(content).__name__}, not text")
                deltas.append((content, bool(choice.get("finish_reason"))))
            return deltas
        except (ValueError, AttributeError, TypeError) as error:
            raise LLMError(
                f"the LLM at {self._where} sent a malformed stream chunk ({error}): "
                f"{payload[:80]!r}"
            ) from None

    def _timeouts(self, deadline: Deadline) -> httpx.Timeout:
        remaining = deadline.left()
        if remaining <= 0:
            raise self._deadline_error("answer")
        return httpx.Timeout(remaining, connect=min(10.0, remaining))

    def _retry_wait(self, response: httpx.Response) -> float | None:
        if response.status_code not in _RETRY_STATUSES:
            return None
        after = parse_retry_after(response.headers.get("retry-after"))
        if after is not None:
            return after if after <= self._max_retry_after else None
        return self._backoff * (1 + random.random())

    def _status_error(self, response: httpx.Response) -> str:
        # At most _MAX_ERROR_BODY bytes: an error page need not end.
        body = b""
        for piece in response.iter_bytes():
            body += piece
            if len(body) >= _MAX_ERROR_BODY:
                break
        body = body[:_MAX_ERROR_BODY]
        try:
            detail = _message(json.loads(body))
        except ValueError:
            detail = body.decode(errors="replace").strip()[:_MAX_DETAIL] or response.reason_phrase
        hint = " (check llm.api_key_env)" if response.status_code in (401, 403) else ""
        message = f"the LLM at {self._where} answered {response.status_code}: {detail}{hint}"
        after = parse_retry_after(response.headers.get("retry-after"))
        too_long = after is not None and after > self._max_retry_after
        if response.status_code in _RETRY_STATUSES and too_long:
            message += (
                f"; it asked to be retried after {after:g} s, longer than the "
                f"{self._max_retry_after:g} s kilde waits"
            )
        return message

    def _scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def _message(event: Any) -> str:
    error = event.get("error") if isinstance(event, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or error.get("type") or error)[:_MAX_DETAIL]
    return str(error or event)[:_MAX_DETAIL]


def _secrets(api_key: str | None, base_url: str) -> tuple[str, ...]:
    """The strings no error may repeat: the key and the URL's user info, as given and decoded.

    The user name counts: a token is often given as one (`https://TOKEN@host/v1`).
    """
    parts = urlsplit(base_url)
    found = {api_key}
    for given in (parts.username, parts.password):
        if given:
            found |= {given, unquote(given)}
    # Very short ones would blank out ordinary words; nobody's key is that short.
    return tuple(sorted((s for s in found if s and len(s) >= 4), key=len, reverse=True))


def _short(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return "connection refused" if "refused" in text.lower() else text.split("\n")[0][:120]
