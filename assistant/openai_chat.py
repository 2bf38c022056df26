"""Any OpenAI-compatible chat completions endpoint, streamed over httpx.

Ollama (at /v1), llama.cpp's server, vLLM, LM Studio and OpenAI all speak it.
Server-sent events: `data: {json}` frames with `choices[].delta.content`,
comment lines to skip, `data: [DONE]` at the end.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Generator, Iterator, Sequence
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from assistant.llm import LLMError, Message

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_MAX_ERROR_BODY = 4096


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
        self._where = _redact(base_url.rstrip("/"))
        self._model = model
        self._timeout = timeout
        self._retries = retries
        self._backoff = backoff
        self._max_retry_after = max_retry_after
        self._temperature = temperature
        headers = {"Accept": "text/event-stream"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.Client(headers=headers, transport=transport, trust_env=False)

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
        deadline = time.monotonic() + self._timeout
        for attempt in range(self._retries + 1):
            retry_in = yield from self._attempt(body, deadline, last=attempt == self._retries)
            if retry_in is None:
                return
            if time.monotonic() + retry_in > deadline:
                raise LLMError(
                    f"the LLM at {self._where} stayed busy past the {self._timeout:g} s "
                    "deadline (llm.timeout)"
                )
            time.sleep(retry_in)

    def _attempt(
        self, body: dict[str, Any], deadline: float, *, last: bool
    ) -> Generator[str, None, float | None]:
        """Yields the reply; returns None when done, or seconds to wait before a retry."""
        try:
            with self._client.stream(
                "POST", self._url, json=body, timeout=self._timeouts(deadline)
            ) as response:
                if response.status_code >= 400:
                    wait = self._retry_wait(response)
                    if wait is not None and not last:
                        return wait
                    raise LLMError(self._status_error(response))
                yield from self._events(response, deadline)
                return None
        except httpx.ConnectError as error:
            raise LLMError(
                f"no LLM answering at {self._where}: {_short(error)}; start it, or set "
                'llm.backend = "extractive"'
            ) from None
        except httpx.TimeoutException:
            raise LLMError(
                f"the LLM at {self._where} did not answer within the {self._timeout:g} s deadline "
                "(llm.timeout)"
            ) from None
        except (httpx.RemoteProtocolError, httpx.ReadError):
            raise LLMError(f"the LLM at {self._where} closed the connection mid-answer") from None

    def _events(self, response: httpx.Response, deadline: float) -> Iterator[str]:
        finished = False
        for line in response.iter_lines():
            if time.monotonic() > deadline:
                raise LLMError(
                    f"the LLM at {self._where} did not finish within the "
                    f"{self._timeout:g} s deadline (llm.timeout)"
                )
            if not line.startswith("data:"):
                continue  # blank lines, ": ping" comments, "event:" fields
            payload = line[5:].strip()
            if payload == "[DONE]":
                return
            for content, done in self._deltas(payload):
                finished = finished or done
                if content:
                    yield content
        if not finished:
            raise LLMError(f"the LLM at {self._where} closed the stream before finishing")

    def _deltas(self, payload: str) -> list[tuple[str, bool]]:
        try:
            event = json.loads(payload)
            if "error" in event:
                raise LLMError(f"the LLM at {self._where} reported an error: {_message(event)}")
            return [
                (
                    (choice.get("delta") or {}).get("content") or "",
                    bool(choice.get("finish_reason")),
                )
                for choice in event.get("choices") or []
            ]
        except (ValueError, AttributeError, TypeError) as error:
            raise LLMError(
                f"the LLM at {self._where} sent a malformed stream chunk ({error}): "
                f"{payload[:80]!r}"
            ) from None

    def _timeouts(self, deadline: float) -> httpx.Timeout:
        remaining = max(0.1, deadline - time.monotonic())
        return httpx.Timeout(remaining, connect=min(10.0, remaining))

    def _retry_wait(self, response: httpx.Response) -> float | None:
        if response.status_code not in _RETRY_STATUSES:
            return None
        after = _retry_after(response.headers.get("retry-after"))
        if after is not None:
            return after if after <= self._max_retry_after else None
        return self._backoff * (1 + random.random())

    def _status_error(self, response: httpx.Response) -> str:
        body = response.read()[:_MAX_ERROR_BODY]
        try:
            detail = _message(json.loads(body))
        except ValueError:
            detail = body.decode(errors="replace").strip()[:200] or response.reason_phrase
        hint = " (check llm.api_key_env)" if response.status_code in (401, 403) else ""
        return f"the LLM at {self._where} answered {response.status_code}: {detail}{hint}"


def _message(event: Any) -> str:
    error = event.get("error") if isinstance(event, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or error.get("type") or error)
    return str(error or event)[:200]


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _short(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return "connection refused" if "refused" in text.lower() else text.split("\n")[0][:120]


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
