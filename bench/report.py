"""What every benchmark prints: the machine it ran on, and aligned tables."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Sequence
from pathlib import Path


def machine_info(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    """CPU, cores, memory, Python, platform, then `extra`, then the load average."""
    return [
        ("cpu", cpu_model()),
        ("cpu count", f"{os.cpu_count()} (usable by this process: {usable_cpus()})"),
        ("memory", f"{_memory_gib():.1f} GiB"),
        ("python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("platform", platform.platform()),
        *extra,
        ("load average", load_average()),
    ]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def load_average() -> str:
    """Other work on the machine skews every figure; this shows whether there was any."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)"


def aligned(lines: Sequence[tuple[str, ...]], right: set[int]) -> list[str]:
    """A header, a rule and the rows, columns padded; columns in `right` right-aligned."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]

    def fmt(line: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [fmt(lines[0]), rule, *(fmt(line) for line in lines[1:])]


def _memory_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def print_total(started: float) -> None:
    """The last line of every benchmark: how long it ran, and how busy the machine was."""
    print(f"\ntotal wall time {time.perf_counter() - started:.1f} s; load average {load_average()}")
