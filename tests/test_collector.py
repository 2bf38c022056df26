"""The collector runs less often during an ingest, and as before once it ends."""

from __future__ import annotations

import gc

import pytest

from ui.collector import fewer_collections


def test_thresholds_are_raised_inside_and_restored_after_even_on_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        inside = gc.get_threshold()
        assert gc.isenabled()  # still collecting, only less often
        raise RuntimeError("an ingest that failed")
    assert inside[0] > before[0] * 10
    assert gc.get_threshold() == before
