"""Parsed text kept by content hash, so an unchanged file is never parsed twice."""

from __future__ import annotations

import json
from pathlib import Path

from index.document import Page
from ingest.atomic import write_atomic
from ingest.textfile import ParsedFile

# Bump when parsing changes what it produces, so old results are not reused.
PARSER_VERSION = 1


class ParseCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, sha256: str, kind: str) -> Path:
        return self.directory / f"{sha256}.{kind}.v{PARSER_VERSION}.json"

    def get(self, sha256: str, kind: str) -> ParsedFile | None:
        path = self._path(sha256, kind)
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text("utf-8"))
            return ParsedFile(
                pages=tuple(Page(int(p["number"]), str(p["text"])) for p in data["pages"]),
                title=data["title"],
                warnings=tuple(data["warnings"]),
            )
        except (ValueError, KeyError, TypeError):
            # A damaged cache entry is only a missed shortcut: parse again.
            return None

    def put(self, sha256: str, kind: str, parsed: ParsedFile) -> None:
        data = {
            "pages": [{"number": p.number, "text": p.text} for p in parsed.pages],
            "title": parsed.title,
            "warnings": list(parsed.warnings),
        }
        write_atomic(self._path(sha256, kind), json.dumps(data, ensure_ascii=False).encode())
