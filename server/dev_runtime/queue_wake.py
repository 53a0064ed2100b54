"""The run queue wakes when a run is created or ends, instead of polling every 0.5 s.

langgraph-runtime-inmem 0.36.7 ``ops.Runs.next`` reads ``now``, sleeps 0.5 s, then takes only
runs created before ``now``: a new run waits 0.5-1 s for its first event, on every path that
queues one (the SDK, ``useStream``, agent-chat-ui, Studio). Here the queue sleeps until it is
woken (at most the same 0.5 s, which still picks up delayed and cron runs), and ``now`` is read
after the wait. Picking stays upstream's: the same lock, the same "thread busy" check, so runs
of one thread never overlap.

One subscriber arrives late by design: a thread's event stream (``/threads/{id}/stream/events``,
what ``useStream`` of ``@langchain/react`` reads) looks for new runs of its thread from a loop
(``ops.Threads.Stream.join_event_streaming``) and never replays what a run published before it
looked. The 0.5 s poll always gave it time; a run started at once could finish unseen. So a run
whose thread has such a stream starts once every one of them has looked (``thread_joins.py``
wakes them; at most :data:`WATCH_SECONDS` later). A stream that opens after its run was
created gets what it missed from the run's stored events (``replay_gap.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from server.dev_runtime import thread_joins
from server.dev_runtime.wake import Wake

POLL_SECONDS = 0.5
"""Upstream's interval, kept as the longest wait: delayed runs (``after_seconds``) need it."""
WATCH_SECONDS = 0.2
"""The longest a new run waits for its thread's event streams to subscribe to it."""
WATCH_EVERY_SECONDS = 0.002
"""How often a new run looks whether its thread's event streams follow it."""


WAKE = Wake()
_TASKS: set[asyncio.Task[None]] = set()


def _streamed(thread_id: Any) -> bool:
    """Whether an event stream of the thread's is open."""
    if thread_joins.APPLIED:
        return thread_joins.watching(thread_id)
    from langgraph_runtime_inmem.inmem_stream import get_stream_manager

    return bool(get_stream_manager().thread_streams.get(UUID(str(thread_id))))


def _followed(thread_id: Any, run_id: Any) -> bool:
    """Whether the thread's event streams have subscribed to the run. Without
    ``thread_joins``, any subscriber counts (a ``runs.wait`` of its own can come first)."""
    if thread_joins.APPLIED:
        return thread_joins.caught_up(thread_id)
    from langgraph_runtime_inmem.inmem_stream import get_stream_manager

    return bool(get_stream_manager().queues.get(UUID(str(thread_id)), {}).get(UUID(str(run_id))))


async def _wake_once_watched(thread_id: Any, run_id: Any) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WATCH_SECONDS
    # Polled: the streams look from their own loops, a turn or two after they are woken.
    while not _followed(thread_id, run_id) and loop.time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(WATCH_EVERY_SECONDS)
    WAKE.set()


def apply() -> None:
    from langgraph_runtime_inmem import ops

    runs = ops.Runs
    upstream_next, upstream_put, upstream_enter = runs.next, runs.put, runs.enter

    async def next_run(wait: bool, limit: int = 1) -> AsyncIterator[Any]:
        if wait:
            await WAKE.wait(POLL_SECONDS)
        async for item in upstream_next(wait=False, limit=limit):
            yield item

    async def put(*args: Any, **kwargs: Any) -> Any:
        created = await upstream_put(*args, **kwargs)
        thread_id, run_id = kwargs.get("thread_id"), kwargs.get("run_id")
        if thread_id is not None and run_id is not None and _streamed(thread_id):
            _TASKS.add(task := asyncio.create_task(_wake_once_watched(thread_id, run_id)))
            task.add_done_callback(_TASKS.discard)
        else:
            WAKE.set()
        return created

    @asynccontextmanager
    async def enter(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        try:
            async with upstream_enter(*args, **kwargs) as done:
                yield done
        finally:
            WAKE.set()  # the thread is free: a run queued behind this one can start

    runs.next = staticmethod(next_run)
    runs.put = staticmethod(put)
    runs.enter = staticmethod(enter)
