"""Plain-text tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from ingest.source import SourceRecord


def sources_table(records: Sequence[SourceRecord]) -> str:
    rows = [("ID", "STATUS", "OBTAINED", "KIND", "LANG", "PAGES", "CHUNKS", "TITLE / REASON")]
    for r in records:
        detail = r.title if r.status == "ok" else f"{r.title}: {r.error}"
        if r.aliases:  # the same text under other names: each also has its own row
            detail += f" (also as {', '.join(a.id for a in r.aliases)})"
        rows.append(
            (r.id, r.status, r.obtained, r.kind or "-", r.lang, str(r.pages), str(r.chunks), detail)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        lines.append("  ".join([*cells, _clip(row[-1], 70)]))
    return "\n".join(lines)


def problems(records: Sequence[SourceRecord]) -> str:
    """One paragraph per source that failed or was skipped, with its full reason."""
    lines = []
    for r in records:
        if r.status != "ok":
            lines.append(f"{r.status}: {r.id} ({r.url or r.path})\n    {r.error}")
        for warning in r.warnings:
            lines.append(f"warning: {r.id}: {warning}")
    return "\n".join(lines)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
