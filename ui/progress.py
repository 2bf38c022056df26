"""Ingest progress shown in the web app through gr.Progress."""

from __future__ import annotations

from typing import Any

from index.progress import Bar, BarBase


class _GradioBar(BarBase):
    def __init__(self, progress: Any, label: str, total: int, unit: str) -> None:
        self._progress = progress
        self._label = label
        self._total = max(total, 1)
        self._unit = unit
        self._done = 0

    def advance(self, note: str = "", steps: int = 1) -> None:
        self._done += steps
        desc = f"{self._label}: {note}" if note else self._label
        self._progress((min(self._done, self._total), self._total), desc=desc, unit=self._unit)

    def __enter__(self) -> _GradioBar:
        self._progress((0, self._total), desc=self._label, unit=self._unit)
        return self


class GradioProgress:
    def __init__(self, progress: Any) -> None:
        self._progress = progress

    def bar(self, label: str, total: int, unit: str = "doc") -> Bar:
        return _GradioBar(self._progress, label, total, unit)
