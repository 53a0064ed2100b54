"""Thread event streams under ``langgraph dev``'s shortcuts (server/dev_runtime: token-free
streams, thread-stream looks, the replay gap) show what upstream's show: every run of their
thread, each event numbered alike on every stream (``since`` relies on it), and nothing of other
threads."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client

from bench.measure import CONTEXT, poll
from bench.thread_stream import CONTENT, WATCHER, run_start
from harness.server import Server
from server.dev_runtime import replay_gap, thread_joins

QUESTIONS = ("count to 30", "北京天气如何？", "count to 5")


def _ends(event: dict[str, Any]) -> bool:
    params = event["params"]
    return (
        event["method"] == "lifecycle"
        and params["namespace"] == []
        and params["data"]["event"] in {"completed", "failed", "interrupted"}
    )


async def _events(
    http: httpx.AsyncClient, url: str, body: dict[str, Any], runs: int
) -> AsyncIterator[dict[str, Any]]:
    """A stream's events until ``runs`` runs of its thread have ended."""
    async with http.stream("POST", url, json=body) as response:
        assert response.status_code == 200, await response.aread()
        async for line in response.aiter_lines():
            if line.startswith("data:"):
                event = json.loads(line.removeprefix("data:"))
                yield event
                runs -= _ends(event)
                if runs == 0:
                    return


async def _collect(http: httpx.AsyncClient, url: str, body: dict[str, Any], runs: int) -> list[Any]:
    return [event async for event in _events(http, url, body, runs)]


async def _start(http: httpx.AsyncClient, server: Server, thread_id: str, text: str) -> None:
    command = run_start(thread_id, text)  # the offline model at full speed, as the bench runs it
    reply = await http.post(f"{server.url}/threads/{thread_id}/commands", json=command)
    assert reply.status_code == 200 and reply.json().get("type") == "success", reply.text


async def test_a_stream_without_tokens_numbers_the_tape_as_one_with_them(server: Server) -> None:
    thread_id = str(uuid.uuid4())
    url = f"{server.url}/threads/{thread_id}/stream/events"
    async with httpx.AsyncClient(timeout=60) as http:
        await _start(http, server, thread_id, "count to 3")  # the thread exists: streams open
        await _collect(http, url, WATCHER, 1)
        watcher = asyncio.create_task(_collect(http, url, WATCHER, 1 + len(QUESTIONS)))
        content = asyncio.create_task(_collect(http, url, CONTENT, 1 + len(QUESTIONS)))
        for text in QUESTIONS:
            await _start(http, server, thread_id, text)
            await poll(lambda: _runs_idle(http, server, thread_id), 0.05, 60)
        lifecycle, tokens = await watcher, await content

    assert not [e for e in lifecycle if e["method"] == "messages"]
    texts = [e for e in tokens if e["method"] == "messages"]
    assert len(texts) > 30, "the content stream carries the answers"
    # Every event the watcher shows, the content stream shows with the same number and id.
    numbered = {e["event_id"]: e["seq"] for e in tokens}
    assert [e["seq"] for e in lifecycle] == [numbered[e["event_id"]] for e in lifecycle]
    assert sum(map(_ends, lifecycle)) == 1 + len(QUESTIONS)

    # ``since``, taken from the watcher's numbers, leaves exactly the runs after it.
    ends = [e["seq"] for e in lifecycle if _ends(e)]
    async with httpx.AsyncClient(timeout=60) as http:
        later = await _collect(http, url, {**CONTENT, "since": ends[1]}, len(QUESTIONS) - 1)
    assert min(e["seq"] for e in later) > ends[1]
    assert [e["seq"] for e in later] == [e["seq"] for e in tokens if e["seq"] > ends[1]]


async def _runs_idle(http: httpx.AsyncClient, server: Server, thread_id: str) -> bool:
    runs = (await http.get(f"{server.url}/threads/{thread_id}/runs")).json()
    return all(run["status"] not in {"pending", "running"} for run in runs)


async def test_a_stream_sees_each_new_run_of_its_thread_and_none_of_others(server: Server) -> None:
    """Once the stream follows its thread (it showed the first run's end), runs created
    elsewhere (another thread, no thread) in between, queued behind each other on the thread,
    and after a pause: the stream shows each of its thread's runs start and end."""
    client = get_client(url=server.url, api_key=None)
    other = (await client.threads.create())["thread_id"]
    ours = str(uuid.uuid4())
    hello: dict[str, Any] = {"messages": [{"role": "user", "content": "count to 3"}]}
    url = f"{server.url}/threads/{ours}/stream/events"
    ended = asyncio.Event()
    seen: list[dict[str, Any]] = []

    async def follow() -> None:
        async for event in _events(http, url, WATCHER, 6):
            seen.append(event)
            if _ends(event):
                ended.set()

    async with httpx.AsyncClient(timeout=60) as http:
        await _start(http, server, ours, "count to 3")
        stream = asyncio.create_task(follow())
        await asyncio.wait_for(ended.wait(), 60)  # the first run's end: the stream follows
        await client.runs.wait(other, "agent", input=hello, context=CONTEXT)
        await client.runs.wait(None, "agent", input=hello, context=CONTEXT)
        await client.runs.wait(ours, "agent", input=hello, context=CONTEXT)
        for _ in range(3):
            await client.runs.create(
                ours, "agent", input=hello, context=CONTEXT, multitask_strategy="enqueue"
            )
        await poll(lambda: _runs_idle(http, server, ours), 0.05, 60)
        await asyncio.sleep(0.5)  # idle: the stream keeps looking
        await client.runs.wait(ours, "agent", input=hello, context=CONTEXT)
        await asyncio.wait_for(stream, 60)
    runs = await client.runs.list(ours, limit=20)
    assert len(runs) == 6 and all(run["status"] == "success" for run in runs)
    roots = Counter(e["params"]["data"]["event"] for e in seen if e["params"]["namespace"] == [])
    assert roots == {"running": 6, "completed": 6}


@pytest.mark.unit
def test_looks_again_for_a_thread_whose_count_was_forgotten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(thread_joins, "KEPT", 2)
    monkeypatch.setattr(thread_joins, "_created", Counter())
    first, second, third = (uuid.uuid4() for _ in range(3))
    thread_joins._note_created(first)
    before = thread_joins._stamp(first)
    thread_joins._note_created(second)
    assert thread_joins._stamp(first) == before
    thread_joins._note_created(third)  # over KEPT: counts start again, in a new epoch
    assert thread_joins._stamp(first) != before
    earlier = thread_joins._stamp(third)
    thread_joins._note_created(None)  # a run whose thread was not given: every stream looks
    assert thread_joins._stamp(third) != earlier


TRIALS = 15


async def test_a_stream_opened_as_its_run_starts_sees_the_run_end(server: Server) -> None:
    """A page starts a run, then opens its lifecycle stream, which first replays the thread's
    tape; the run, started at once (queue_wake.py), publishes meanwhile. Every such stream shows
    its run end, numbered as a stream opened later numbers it. Without replay_gap.py, about one
    stream in three showed the run start and never end."""
    thread_id = str(uuid.uuid4())
    url = f"{server.url}/threads/{thread_id}/stream/events"
    async with httpx.AsyncClient(timeout=60) as http:
        for _ in range(3):  # a tape of ~1,000 events: a replay that takes a while
            await _start(http, server, thread_id, "count to 300")
            await poll(lambda: _runs_idle(http, server, thread_id), 0.05, 60)
        runs = 3
        for trial in range(TRIALS):
            since = max(e["seq"] for e in await _collect(http, url, WATCHER, runs) if _ends(e))
            await _start(http, server, thread_id, "count to 20")
            runs += 1
            await asyncio.sleep(trial * 0.002)  # the stream opens 0-30 ms after the run starts
            stream = _collect(http, url, {**WATCHER, "since": since}, 1)
            try:
                seen = await asyncio.wait_for(stream, 20)
            except TimeoutError:
                pytest.fail(f"trial {trial}: the stream never showed its run end")
            later = await _collect(http, url, WATCHER, runs)
            numbered = [(e["seq"], e["event_id"]) for e in later if e["seq"] > since]
            assert [(e["seq"], e["event_id"]) for e in seen] == numbered
            await poll(lambda: _runs_idle(http, server, thread_id), 0.05, 60)


@pytest.mark.unit
def test_a_new_run_queue_gets_what_the_replay_did_not_read_ahead_of_live_events() -> None:
    from langgraph_runtime_inmem.inmem_stream import Message, StreamManager

    manager, thread, run = StreamManager(), uuid.uuid4(), uuid.uuid4()
    stored = [Message(topic=b"run:stream", data=str(i).encode()) for i in range(5)]
    manager.message_stores[thread][run].extend(stored)
    queue: asyncio.Queue[Any] = asyncio.Queue()
    live = Message(topic=b"run:stream", data=b"live")
    queue.put_nowait(stored[4])  # published after the queue was made: stored and live
    queue.put_nowait(live)  # a live event that is not stored (a run that is not resumable)
    replay_gap.backfill(manager, str(thread), [(run, queue)], replay_gap._Replay({run: 2}))
    taken = [queue.get_nowait().data for _ in range(queue.qsize())]
    assert taken == [b"2", b"3", b"4", b"live"]

    # A replay that read nothing (no store yet): every stored event is new to the stream.
    fresh: asyncio.Queue[Any] = asyncio.Queue()
    replay_gap.backfill(
        manager, thread, [(run, fresh), (thread, asyncio.Queue())], replay_gap._Replay()
    )
    assert [fresh.get_nowait().data for _ in range(fresh.qsize())] == [b"0", b"1", b"2", b"3", b"4"]
