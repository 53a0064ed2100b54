"""The dev server's flusher, on its own: it writes what changed, only that, and outlives a
store it cannot write."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import PersistentDict

from server.dev_runtime.persistence import Flusher

pytestmark = pytest.mark.unit


def _store(path: Path, **items: object) -> PersistentDict:
    store = PersistentDict(filename=str(path))
    store.update(items)
    return store


def _reloaded(path: Path) -> dict[str, object]:
    copy = PersistentDict(filename=str(path))
    copy.load()
    return dict(copy)


async def test_a_flush_writes_each_store_once_per_change(tmp_path: Path) -> None:
    flusher = Flusher()
    store = _store(tmp_path / "a.pckl", runs=[1])
    flusher.register(store)
    try:
        await flusher.flush()
        written = (tmp_path / "a.pckl").stat().st_ino
        await flusher.flush()
        assert (tmp_path / "a.pckl").stat().st_ino == written, "unchanged: not written again"
        store["runs"] = [1, 2]
        await flusher.flush()
        assert (tmp_path / "a.pckl").stat().st_ino != written
        assert _reloaded(tmp_path / "a.pckl") == {"runs": [1, 2]}
    finally:
        flusher.stop()


async def test_a_store_that_cannot_be_written_stops_no_other(tmp_path: Path) -> None:
    flusher = Flusher()
    broken = _store(tmp_path / "broken.pckl", lock=threading.Lock())  # cannot be pickled
    good = _store(tmp_path / "good.pckl", n=1)
    flusher.register(broken)
    flusher.register(good)
    try:
        await flusher.flush()
        good["n"] = 2
        await flusher.flush()
    finally:
        flusher.stop()
    assert _reloaded(tmp_path / "good.pckl") == {"n": 2}
    assert not (tmp_path / "broken.pckl").exists()
