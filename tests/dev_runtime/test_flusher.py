"""The dev server's flusher, on its own: it writes what changed, only that, and outlives a
store it cannot write."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import PersistentDict

from server.dev_runtime.flusher import Flusher
from server.dev_runtime.journal import FLAT

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


def _blobs(flusher: Flusher, path: Path, count: int) -> PersistentDict:
    """A store like the checkpoint blobs: loaded (empty here), marked, then written to."""
    store = _store(path)
    flusher.register(store)
    flusher.journaled(store, FLAT)
    store.update({f"v{i}": ("msgpack", bytes([i]) * 1000) for i in range(count)})
    return store


async def test_a_journaled_store_appends_what_changed_and_reloads_whole(tmp_path: Path) -> None:
    flusher = Flusher()
    store = _blobs(flusher, tmp_path / "blobs.pckl", 3)
    journal = tmp_path / "blobs.pckl.journal"
    try:
        await flusher.flush()
        assert not journal.exists(), "without a file, written whole: upstream loads a file first"
        written = (tmp_path / "blobs.pckl").stat().st_ino
        store["v8"] = ("msgpack", b"x" * 1000)
        await flusher.flush()
        first = journal.stat().st_size
        store["v9"] = ("msgpack", b"new")
        del store["v0"]
        await flusher.flush()
        assert first < journal.stat().st_size < 2 * first, "only the change is appended"
        assert (tmp_path / "blobs.pckl").stat().st_ino == written, "the file is not rewritten"
        assert _reloaded_with_journal(tmp_path / "blobs.pckl") == dict(store)
    finally:
        flusher.stop()
    assert not journal.exists(), "folded into the file at shutdown"
    assert _reloaded(tmp_path / "blobs.pckl") == dict(store)


async def test_a_journal_cut_short_by_a_kill_keeps_every_whole_record(tmp_path: Path) -> None:
    flusher = Flusher()
    store = _blobs(flusher, tmp_path / "blobs.pckl", 2)
    journal = tmp_path / "blobs.pckl.journal"
    try:
        await flusher.flush()
        whole = dict(store)
        store["v7"] = ("msgpack", b"x" * 5000)
        await flusher.flush()
        with journal.open("r+b") as file:  # the second record loses its tail
            file.truncate(journal.stat().st_size - 100)
        assert _reloaded_with_journal(tmp_path / "blobs.pckl") == whole
    finally:
        flusher._thread = None  # the kill: no last flush


async def test_a_journal_larger_than_its_file_is_folded_into_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("server.dev_runtime.flusher.JOURNAL_MIN_BYTES", 0)
    flusher = Flusher()
    store = _blobs(flusher, tmp_path / "blobs.pckl", 2)
    try:
        await flusher.flush()  # written whole: two entries
        store["v9"] = ("msgpack", b"x" * 5000)
        await flusher.flush()  # the journal outgrows the file
        await flusher.flush()  # the fold follows the flush: done before the next one
        assert not (tmp_path / "blobs.pckl.journal").exists()
        assert _reloaded(tmp_path / "blobs.pckl") == dict(store)
    finally:
        flusher.stop()


def _reloaded_with_journal(path: Path) -> dict[str, object]:
    """What a restarted server loads: the file, then the journal (``Flusher.register`` wraps
    the store's ``load``, as upstream calls it right after registering)."""
    copy = PersistentDict(filename=str(path))
    loader = Flusher()
    loader.register(copy)
    try:
        copy.load()
    finally:
        loader._thread = None
    return dict(copy)


class _SlowToPickle:
    """Holds the flush thread in a write until ``gate`` opens."""

    gate = threading.Event()

    def __reduce__(self) -> tuple[type[int], tuple[()]]:
        self.gate.wait(10)
        return int, ()


async def test_waiting_for_a_flush_holds_no_pool_thread(tmp_path: Path) -> None:
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(max_workers=1)
    loop.set_default_executor(pool)
    flusher = Flusher()
    store = _store(tmp_path / "slow.pckl", value=_SlowToPickle())
    flusher.register(store)
    try:
        waiting = [asyncio.create_task(flusher.flush()) for _ in range(3)]
        await asyncio.sleep(0.05)
        free = await asyncio.wait_for(loop.run_in_executor(None, lambda: "free"), 5)
        assert free == "free" and not any(task.done() for task in waiting)
        _SlowToPickle.gate.set()
        await asyncio.wait_for(asyncio.gather(*waiting), 10)
    finally:
        _SlowToPickle.gate.set()
        flusher.stop()
        pool.shutdown()
