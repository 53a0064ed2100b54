"""``langgraph dev``'s stored state: what a finished run wrote survives a SIGKILL, and a
deleted thread leaves nothing behind (checkpoints, blobs, writes, retry counters)."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import uuid
from pathlib import Path
from typing import Any

import pytest
from langgraph_sdk import get_client

from harness.server import langgraph_dev
from server.dev_runtime import persistence
from tests.reliability.accounting import essence, saved_messages, stream_turn, wait_terminal

FAST = {"offline_token_delay": 0.0, "tool_step_delay": 0.01}


def _stored(directory: Path) -> dict[str, Any]:
    """The checkpoint stores and the retry counter as the server last wrote them."""
    state = directory / ".langgraph_api"
    stores = {}
    for path in sorted(state.glob(".langgraph_checkpoint.*.pckl")):
        with path.open("rb") as file:
            stores[path.name] = pickle.load(file)
    with (state / ".langgraph_retry_counter.pckl").open("rb") as file:
        stores["retry_counter"] = pickle.load(file)
    return stores


def _mentions(stores: dict[str, Any], ids: set[str]) -> list[str]:
    """Keys of any store that belong to one of ``ids`` (a thread's or a run's)."""
    found = []
    for name, store in stores.items():
        for key in store:
            first = key[0] if isinstance(key, tuple) else key
            if str(first) in ids:
                found.append(f"{name}: {key!r}")
    return found


async def test_a_sigkill_after_a_run_loses_nothing_the_run_finished(tmp_path: Path) -> None:
    directory = tmp_path / "server"
    with langgraph_dev(directory=directory) as first:
        client = get_client(url=first.url, api_key=None)
        thread_id = (await client.threads.create())["thread_id"]
        for question in ("北京天气如何？", "分析用户数据"):
            turn = await stream_turn(client, thread_id, question, FAST)
            assert not turn.errors and turn.whole
        before = await saved_messages(client, thread_id)
        runs_before = [(r["run_id"], r["status"]) for r in await client.runs.list(thread_id)]
        await client.aclose()
        os.killpg(first.process.pid, signal.SIGKILL)  # no shutdown: nothing is flushed on exit
        first.process.wait()

    with langgraph_dev(directory=directory) as second:
        client = get_client(url=second.url, api_key=None)
        restored = await saved_messages(client, thread_id)
        runs_after = [(r["run_id"], r["status"]) for r in await client.runs.list(thread_id)]
        next_turn = await stream_turn(client, thread_id, "生成运营报告", FAST)
        status = await wait_terminal(client, thread_id, next_turn.run_id)
        await client.aclose()

    assert [essence(m) for m in restored] == [essence(m) for m in before]
    assert "数据集「用户数据」" in str(restored[-2]["content"])
    assert sorted(runs_after) == sorted(runs_before)
    assert all(s == "success" for _, s in runs_after)
    assert status == "success" and not next_turn.errors


async def test_deleting_threads_leaves_nothing_of_them_in_the_store(tmp_path: Path) -> None:
    directory = tmp_path / "server"
    with langgraph_dev(directory=directory) as server:
        client = get_client(url=server.url, api_key=None)
        kept = (await client.threads.create())["thread_id"]
        await stream_turn(client, kept, "北京天气如何？", FAST)
        gone: set[str] = set()
        for _ in range(3):
            thread_id = (await client.threads.create())["thread_id"]
            for question in ("北京天气如何？", "分析用户数据"):
                turn = await stream_turn(client, thread_id, question, FAST)
                gone.add(turn.run_id)
            gone.add(thread_id)
            await client.threads.delete(thread_id)
        kept_messages = await saved_messages(client, kept)
        await client.aclose()
    stores = _stored(directory)  # written at the clean shutdown

    assert _mentions(stores, gone) == []
    assert _mentions(stores, {kept}), "the thread that was kept is still stored"
    assert len(kept_messages) == 4


@pytest.mark.unit
async def test_a_runs_end_is_flushed_once_its_subscribers_took_its_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The flush waits for a subscriber still reading the run's last events, and not forever
    for one that stopped reading."""
    from langgraph_runtime_inmem.inmem_stream import get_stream_manager

    manager = get_stream_manager()
    thread, run = uuid.uuid4(), uuid.uuid4()
    queue = await manager.add_queue(run, thread)
    for event in range(3):
        queue.put_nowait(event)

    async def reader() -> None:
        while not queue.empty():
            await asyncio.sleep(0.01)
            queue.get_nowait()

    reading = asyncio.create_task(reader())
    await persistence._delivered(thread, run)
    assert queue.empty() and reading.done()

    queue.put_nowait("never read")
    monkeypatch.setattr(persistence, "DELIVER_SECONDS", 0.05)
    await asyncio.wait_for(persistence._delivered(thread, run), 5)
    assert not queue.empty()
    await manager.remove_queue(run, thread, queue)


async def test_a_runs_status_is_written_once_its_subscribers_took_its_last_event() -> None:
    """``join`` stops at a final status without reading on: the status comes after the run's
    ``error`` event has left the queue."""
    from langgraph_runtime_inmem.inmem_stream import get_stream_manager

    manager = get_stream_manager()
    thread, run = uuid.uuid4(), uuid.uuid4()
    queue = await manager.add_queue(run, thread)
    queue.put_nowait("the run's error event")
    emptied_when_written: list[bool] = []

    async def upstream(conn: Any, thread_id: Any, run_id: Any, status: str) -> None:
        emptied_when_written.append(queue.empty())

    async def reader() -> None:
        await asyncio.sleep(0.05)  # join is reading the run's status: busy elsewhere
        queue.get_nowait()

    reading = asyncio.create_task(reader())
    await persistence._flushed_when_done(upstream)(None, thread, run, "error")
    assert emptied_when_written == [True]
    await reading
    await manager.remove_queue(run, thread, queue)
