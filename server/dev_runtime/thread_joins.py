"""A thread's event streams look for its new runs when one is created, and only then.

langgraph-runtime-inmem 0.36.7 ``ops.Threads.Stream.join_event_streaming`` (behind every thread
event stream: ``/threads/{id}/stream/events``, what ``useStream`` of ``@langchain/react`` reads)
calls ``Threads.Stream.subscribe`` at every turn of its loop: after each burst of events it
drained, and every 20 ms while idle. ``subscribe`` walks every run the server holds to find the
thread's new ones. So a stream's cost grew with the server's history (with 2,000 runs stored,
20 idle pages kept two thirds of a core busy, and a streamed token cost 4× the CPU), and a new
run, or an event, reached an idle stream up to 20 ms late.

Here ``Runs.put`` counts the runs created per thread and wakes the thread's streams from their
idle sleep, as does an event for them (after 5 ms of idling: a stream at full speed still takes
events in bursts); ``subscribe`` walks the runs on a stream's first look and when its thread's
count moved (or, for a run created without a thread, any count), and otherwise answers what the
walk would find: no new run. :func:`caught_up` tells the run queue (``queue_wake.py``) when every
stream of a thread has looked, so a run starts only once they all follow it.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import Counter
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from server.dev_runtime.wake import Wake

IDLE_SECONDS = 0.02
"""The stream loop's idle sleep (``join_event_streaming``), which a new run cuts short."""
NEWS_SECONDS = 0.005
"""An event cuts the idle sleep short, once it has lasted this long."""
KEPT = 10_000
_created: Counter[UUID] = Counter()
"""Runs created per thread (for at most :data:`KEPT` threads: then it starts again)."""
_epoch = 0
"""Counts the runs whose thread was not given, and each fresh start of :data:`_created`: a
stream whose thread's count was forgotten then walks once."""
APPLIED = False


class _Looked:
    """One stream's loop: what it had seen created when it last walked the runs, and what
    wakes it from its idle sleep."""

    def __init__(self) -> None:
        self.stamp = (-1, -1)
        self.woken = Wake()
        self._idle_since: float | None = None
        self._due: asyncio.TimerHandle | None = None

    async def idle(self, seconds: float) -> None:
        self._idle_since = asyncio.get_running_loop().time()
        try:
            await self.woken.wait(seconds)
        finally:
            self._idle_since = None
            if self._due is not None:
                self._due.cancel()
                self._due = None

    def news(self) -> None:
        """An event for it. Idle, it wakes, but not before :data:`NEWS_SECONDS` of idling: at
        full speed it then takes events in bursts, as upstream's poll gives them."""
        since = self._idle_since
        if since is None or self._due is not None:
            return
        loop = asyncio.get_running_loop()
        if loop.time() - since >= NEWS_SECONDS:
            self.woken.set()
        else:
            self._due = loop.call_at(since + NEWS_SECONDS, self.woken.set)


# Set in the task that iterates a stream's loop (each thread stream has its own task): the
# loop's first look is the one whose thread is not yet among the runs it has seen. The task's
# context holds the only strong reference, so a stream that ends leaves :data:`_streams`.
_LOOKED: ContextVar[_Looked | None] = ContextVar("thread_stream_looked", default=None)
_streams: dict[UUID, weakref.WeakSet[_Looked]] = {}


def _stamp(thread: UUID) -> tuple[int, int]:
    return _created[thread], _epoch


def _note_created(thread_id: Any) -> None:
    global _epoch
    if thread_id is None or len(_created) >= KEPT:
        _created.clear()
        _epoch += 1
    if thread_id is not None:
        _created[UUID(str(thread_id))] += 1
    for thread in [UUID(str(thread_id))] if thread_id is not None else list(_streams):
        _wake(thread)


def _wake(thread: Any) -> None:
    for looked in list(_streams.get(thread, ())):
        looked.woken.set()


def watching(thread_id: Any) -> bool:
    """Whether an event stream of the thread is open."""
    return bool(_streams.get(UUID(str(thread_id))))


def caught_up(thread_id: Any) -> bool:
    """Whether every open event stream of the thread has looked since its last run was made."""
    thread = UUID(str(thread_id))
    return all(looked.stamp == _stamp(thread) for looked in _streams.get(thread, ()))


class _AsyncioWithWakingStreams:
    """asyncio, except a stream loop's idle sleep, which a new run of its thread cuts short."""

    def __getattr__(self, name: str) -> Any:
        value = getattr(asyncio, name)
        setattr(self, name, value)  # looked up once: the stream loop reads some per turn
        return value

    @staticmethod
    async def sleep(delay: float, result: Any = None) -> Any:
        looked = _LOOKED.get()
        if delay == IDLE_SECONDS and looked is not None:
            await looked.idle(delay)
            return result
        return await asyncio.sleep(delay, result)


def apply() -> None:
    global APPLIED
    from langgraph_runtime_inmem import inmem_stream, ops

    upstream_put, upstream_subscribe = ops.Runs.put, ops.Threads.Stream.subscribe
    upstream_publish = inmem_stream.StreamManager.put

    async def put(*args: Any, **kwargs: Any) -> Any:
        created = await upstream_put(*args, **kwargs)
        _note_created(kwargs.get("thread_id"))
        return created

    async def subscribe(conn: Any, thread_id: Any, seen_runs: set[Any]) -> Any:
        thread = UUID(str(thread_id))
        looked = _LOOKED.get()
        if looked is None or thread not in seen_runs:
            _LOOKED.set(looked := _Looked())
            _streams.setdefault(thread, weakref.WeakSet()).add(looked)
            for gone in [t for t, streams in _streams.items() if not streams]:
                del _streams[gone]
        elif looked.stamp == _stamp(thread):
            return []
        looked.stamp = _stamp(thread)
        return await upstream_subscribe(conn, thread_id, seen_runs)

    async def publish(self: Any, run_id: Any, thread_id: Any, *args: Any, **kwargs: Any) -> None:
        await upstream_publish(self, run_id, thread_id, *args, **kwargs)
        if thread_id is not None and _streams:
            thread = thread_id if isinstance(thread_id, UUID) else UUID(str(thread_id))
            for looked in list(_streams.get(thread, ())):
                looked.news()

    ops.Runs.put = staticmethod(put)
    ops.Threads.Stream.subscribe = staticmethod(subscribe)
    inmem_stream.StreamManager.put = publish
    ops.asyncio = _AsyncioWithWakingStreams()
    APPLIED = True
