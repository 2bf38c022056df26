"""Vector stores: the protocol, and FAISS on local disk.

The protocol speaks in integer row ids and vectors only, so a server (Qdrant,
Milvus) can stand in for FAISS later without touching the callers; saving and
loading are the local store's own business.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from index.embedder import Vectors

Ids = npt.NDArray[np.int64]


# k-means needs a few dozen points per list; more only slows the build (262 s -> ~50 s at 1M).
_TRAIN_PER_LIST = 64


def training_rows(count: int, plan: StorePlan) -> npt.NDArray[np.int64]:
    """The rows (of `count`) an IVF index of `plan` is trained on: a fixed random subset
    (seeded, so a rebuild gives the same index), in order."""
    size = plan.nlist * _TRAIN_PER_LIST
    if count <= size:
        return np.arange(count, dtype=np.int64)
    return np.sort(np.random.default_rng(0).choice(count, size=size, replace=False))


class VectorStore(Protocol):
    def upsert(self, ids: Sequence[int], vectors: Vectors) -> None: ...

    def add(self, ids: Sequence[int], vectors: Vectors) -> None:
        """`upsert` of ids the store does not have."""
        ...

    def delete(self, ids: Sequence[int]) -> None: ...

    def search(self, query: Vectors, k: int) -> tuple[npt.NDArray[np.float32], Ids]:
        """Inner-product scores and ids of the `k` best rows, best first (-1: none)."""
        ...

    def search_many(self, queries: Vectors, k: int) -> tuple[npt.NDArray[np.float32], Ids]:
        """`search` for each row of `queries` at once: scores and ids, a row per query."""
        ...

    def __len__(self) -> int: ...


@dataclass(frozen=True)
class StorePlan:
    """Which FAISS index a corpus gets, and why (recorded in the manifest)."""

    kind: str  # "flat" | "ivf"
    reason: str
    nlist: int = 0
    nprobe: int = 0

    @classmethod
    def of_manifest(cls, store: dict[str, Any]) -> StorePlan:
        """The plan a manifest's `store` section records."""
        return cls(store["kind"], store["reason"], store["nlist"], store["nprobe"])

    @classmethod
    def for_size(cls, rows: int, exact_max: int) -> StorePlan:
        if rows <= exact_max:
            return cls("flat", f"{rows} vectors <= index.exact_max ({exact_max}): exact search")
        # ~4 sqrt(n) lists; nlist/16 probes keep recall@10 at about 0.96 from 200k to 1M
        # vectors (bench/search.py) at ~1-4 ms a query.
        nlist = int(4 * math.sqrt(rows))
        return cls(
            "ivf",
            f"{rows} vectors > index.exact_max ({exact_max}): IVF with {nlist} lists",
            nlist=nlist,
            nprobe=max(16, nlist // 16),
        )


class FaissStore:
    """Exact inner product (IndexFlatIP) or IVF-Flat; inner product equals cosine on unit rows."""

    def __init__(self, index: Any, plan: StorePlan) -> None:
        self._index = index
        self.plan = plan

    @classmethod
    def create(cls, dim: int, plan: StorePlan, training: Vectors | None = None) -> FaissStore:
        """An empty store; an IVF one trained on `training` (the rows `training_rows`
        picks: k-means needs a few dozen per list, more only slow it). (An index build
        writes a flat one's file itself, a part at a time: index/flat_file.py.)"""
        import faiss  # lazy

        if plan.kind == "flat":
            # No id-to-row map (IndexIDMap, not IDMap2): nothing looks a vector up by its id.
            return cls(faiss.IndexIDMap(faiss.IndexFlatIP(dim)), plan)
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, plan.nlist, faiss.METRIC_INNER_PRODUCT)
        if training is None or len(training) < plan.nlist:
            raise ValueError(
                f"an IVF index with {plan.nlist} lists needs that many training vectors"
            )
        index.train(np.ascontiguousarray(training, dtype=np.float32))
        index.nprobe = plan.nprobe
        return cls(index, plan)

    def upsert(self, ids: Sequence[int], vectors: Vectors) -> None:
        self.delete(ids)
        self.add(ids, vectors)

    def add(self, ids: Sequence[int], vectors: Vectors) -> None:
        """Rows under ids the store does not have (a build's new rows: nothing to delete
        first, which is a scan of every row)."""
        id_array = np.asarray(ids, dtype=np.int64)
        self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), id_array)

    def delete(self, ids: Sequence[int]) -> None:
        import faiss

        if len(ids):
            wanted = np.asarray(ids, dtype=np.int64)
            # A batch selector hashes the ids: an array one is scanned for every row.
            self._index.remove_ids(faiss.IDSelectorBatch(len(wanted), faiss.swig_ptr(wanted)))

    def search(self, query: Vectors, k: int) -> tuple[npt.NDArray[np.float32], Ids]:
        scores, ids = self.search_many(query.reshape(1, -1), k)
        return scores[0], ids[0]

    def search_many(self, queries: Vectors, k: int) -> tuple[npt.NDArray[np.float32], Ids]:
        k = max(1, min(k, len(self)))
        scores, ids = self._index.search(np.ascontiguousarray(queries, np.float32), k)
        return scores, ids

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, plan: StorePlan) -> FaissStore:
        """Only call on a file whose checksum was verified: faiss does not harden its reader."""
        import faiss

        index = faiss.read_index(str(path))
        if plan.kind == "ivf":
            faiss.extract_index_ivf(index).nprobe = plan.nprobe
        return cls(index, plan)
