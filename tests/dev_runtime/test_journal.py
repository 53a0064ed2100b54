"""The stores' shapes: what a flush appends for a change, replayed after the file, rebuilds the
store the server holds."""

from __future__ import annotations

import pickle
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.memory import PersistentDict

from server.dev_runtime.flusher import Flusher, snapshot
from server.dev_runtime.journal import ROWS, Entries, Nested, Replayer, Shape, diff

pytestmark = pytest.mark.unit


def _entries(shape: Shape, store: dict[Any, Any]) -> Entries:
    return shape.entries(snapshot(dict(store), shape.depth))


def _replayed(file_copy: Any, *records: tuple[Any, ...]) -> Any:
    replayer = Replayer(file_copy)
    for record in records:
        replayer.apply(record)
    replayer.finish()
    return file_copy


def _run(n: int, status: str = "pending") -> dict[str, Any]:
    return {"run_id": n, "thread_id": 100, "status": status, "kwargs": {"input": [n]}}


def _ops() -> dict[str, Any]:
    thread = {"thread_id": 100, "status": "busy", "metadata": {}, "values": {"messages": [1]}}
    empty: list[Any] = []
    return {"runs": [_run(1), _run(2)], "threads": [thread], "assistants": empty,
            "assistant_versions": [], "crons": []}  # fmt: skip


def test_rows_set_appended_and_removed_replay_to_what_the_server_holds() -> None:
    store = _ops()
    file = pickle.loads(pickle.dumps(store))
    written = _entries(ROWS, store)

    store["runs"][0]["status"] = "success"  # a field, in place
    store["threads"][0]["metadata"]["graph_id"] = "agent"  # a field's own, in place, with
    store["threads"][0]["status"] = "idle"  # another field, as set_joint_status sets them
    store["runs"].append(_run(3))
    store["runs"] = [run for run in store["runs"] if run["run_id"] != 2]
    current = _entries(ROWS, store)

    assert ROWS.appendable(written, current)
    added, removed = diff(ROWS, written, current)
    assert sorted(added) == [("runs", 1), ("runs", 3), ("threads", 100)]
    assert removed == [("runs", 2)]
    assert _replayed(file, ("rows", added, removed)) == store


def test_rows_out_of_their_order_are_not_journaled() -> None:
    store = _ops()
    written = _entries(ROWS, store)
    store["runs"].insert(0, _run(0))
    assert not ROWS.appendable(written, _entries(ROWS, store))


def test_an_unchanged_row_is_not_written_again() -> None:
    store = _ops()
    written = _entries(ROWS, store)
    store["runs"][0]["updated_at"] = None
    added, removed = diff(ROWS, written, _entries(ROWS, store))
    assert list(added) == [("runs", 1)] and removed == []


def test_nested_leaves_added_and_a_thread_deleted_replay_without_leftovers() -> None:
    def storage() -> defaultdict[Any, Any]:
        return defaultdict(lambda: defaultdict(dict))

    store = storage()
    store["t1"][""]["c1"] = ("json", b"1")
    store["t2"][""]["c1"] = ("json", b"2")
    file = storage()
    file.update(pickle.loads(pickle.dumps(dict(store))))
    shape = Nested(3)
    written = _entries(shape, store)

    store["t1"][""]["c2"] = ("json", b"3")
    store["t1"]["sub"]["c1"] = ("json", b"4")
    del store["t2"]
    added, removed = diff(shape, written, _entries(shape, store))

    assert sorted(added) == [("t1", "", "c2"), ("t1", "sub", "c1")]
    assert removed == [("t2", "", "c1")]
    assert _replayed(file, ("nested", added, removed)) == store
    assert "t2" not in file


async def test_the_ops_store_is_written_whole_once_then_journaled(tmp_path: Path) -> None:
    path = tmp_path / "ops.pckl"
    store = PersistentDict(filename=str(path))
    store.update(_ops())
    flusher = Flusher()
    flusher.register(store)
    flusher.journaled(store, ROWS, loaded=False)
    try:
        await flusher.flush()
        written = path.stat().st_ino
        for n in range(3, 6):
            store["runs"].append(_run(n))
            store["runs"][0]["status"] = f"step {n}"
            await flusher.flush()
        assert path.stat().st_ino == written, "the file is not rewritten"
        restarted = PersistentDict(filename=str(path))
        Flusher().journaled(restarted, ROWS, loaded=False)  # as the server marks it at start
        restarted.load()
        assert dict(restarted) == dict(store)
    finally:
        flusher.stop()
    assert not (tmp_path / "ops.pckl.journal").exists(), "folded into the file at shutdown"
