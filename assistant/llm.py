"""The chat model protocol every LLM backend implements."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Message:
    role: str  # system | user | assistant
    content: str

    def to_json(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


class LLMError(Exception):
    """The model could not answer; the message says where and what to do."""


class LLM(Protocol):
    """Streams the reply to `messages`, a piece of text at a time.

    >>> "".join(llm.stream([Message("user", "Hi")], max_tokens=8))  # doctest: +SKIP
    'Hello!'
    """

    name: str

    def stream(self, messages: Sequence[Message], *, max_tokens: int) -> Iterator[str]: ...
