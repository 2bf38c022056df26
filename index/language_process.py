"""Languages of passages, told in a child process beside the ingest's threads.

lingua holds the GIL while it scores a text: in the ingest process, the threads
that chunk, embed and write waited on it for much of a PDF ingest (its calls
were a third of `kilde ingest` over 150 PDFs). A child process tells the
languages while they go on. It runs the same function, so the labels are those
told in-process; it scores one text at a time, as lingua's parallel mode takes
a third more CPU time, which the PDF workers need.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from index.language import UNDETERMINED, detect_languages

# The folder that holds the `index` package: the child imports the parent's kilde.
_ROOT = str(Path(__file__).resolve().parents[1])


class _Stopped(Exception):
    """The child is gone; the message says how it ended."""


class LanguageProcess:
    """`index.language.Languages` told by a child process, started on entering the context
    (it loads lingua's models meanwhile) or with the first texts.

    Thread-safe (one request at a time: the child answers one at a time anyway). If the
    child stops, texts are told in this process from then on (the same labels, more
    slowly) and `error` says what happened.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self.error: str | None = None

    def __call__(self, texts: Sequence[str], *, default: str = UNDETERMINED) -> list[str]:
        if not texts:
            return []
        with self._lock:
            if self.error is None:
                try:
                    return self._ask(list(texts), default)
                except _Stopped as stopped:
                    self.error = f"the child process that told languages stopped ({stopped})"
                    self._stop()
        return detect_languages(texts, default=default)

    @property
    def pid(self) -> int | None:
        """The child's process id, while it runs."""
        return self._process.pid if self._process is not None else None

    def close(self) -> None:
        with self._lock:
            self._stop()

    def __enter__(self) -> LanguageProcess:
        with self._lock:
            if self._process is None:
                self._start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _ask(self, texts: list[str], default: str) -> list[str]:
        process = self._process or self._start()
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps({"texts": texts, "default": default}).encode() + b"\n")
            process.stdin.flush()
            reply = process.stdout.readline()
        except OSError as error:
            raise _Stopped(self._ending() or str(error)) from None
        if not reply:
            raise _Stopped(self._ending() or "it closed its output")
        langs: list[str] = json.loads(reply)["langs"]
        return langs

    def _start(self) -> subprocess.Popen[bytes]:
        # A traceback goes to a file, to be quoted in `error`, not onto the user's terminal.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the child
        path = os.environ.get("PYTHONPATH")
        # -P: a folder named `index` where kilde is run cannot stand in for the package.
        self._process = subprocess.Popen(
            [sys.executable, "-P", "-m", "index.language_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_ROOT, path]))},
        )
        return self._process

    def _ending(self) -> str:
        """How the child ended: its exit code and the last line it wrote to stderr."""
        if self._process is None or self._stderr is None:
            return ""
        try:
            code = self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return "it stopped answering"
        self._stderr.seek(0)
        last = self._stderr.read().decode(errors="replace").strip().splitlines()[-1:]
        return f"exit code {code}" + (f": {last[0][:200]}" if last else "")

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            for stream in (process.stdin, process.stdout):
                # Closing flushes: into the pipe of a child that died, that fails.
                with contextlib.suppress(OSError):
                    if stream is not None:
                        stream.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
