"""Progress on long work: a bar on a terminal, silence otherwise."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Protocol, TextIO


class Bar(Protocol):
    def advance(self, note: str = "", steps: int = 1) -> None: ...
    def __enter__(self) -> Bar: ...
    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class Progress(Protocol):
    def bar(self, label: str, total: int, unit: str = "doc") -> Bar: ...


class BarBase:
    """A bar that draws nothing; subclasses override `advance` and `close`."""

    def advance(self, note: str = "", steps: int = 1) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> BarBase:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _SilentBar(BarBase):
    pass


class SilentProgress:
    def bar(self, label: str, total: int, unit: str = "doc") -> Bar:
        return _SilentBar()


class _TqdmBar(BarBase):
    def __init__(self, label: str, total: int, stream: TextIO, unit: str) -> None:
        from tqdm import tqdm  # lazy: only terminals draw bars

        self._bar = tqdm(total=total, desc=label, unit=unit, file=stream, leave=True)

    def advance(self, note: str = "", steps: int = 1) -> None:
        if note:
            self._bar.set_postfix_str(note[:40], refresh=False)
        self._bar.update(steps)

    def close(self) -> None:
        self._bar.close()


class TerminalProgress:
    """Draws bars on `stream` when it is a terminal; quiet in pipes, logs and CI."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def bar(self, label: str, total: int, unit: str = "doc") -> Bar:
        # sys.stderr is looked up now, not at import: it may have been replaced.
        stream = self._stream or sys.stderr
        if not stream.isatty():
            return _SilentBar()
        return _TqdmBar(label, total, stream, unit)
