"""The run queue wakes when a run is created or ends, instead of polling every 0.5 s.

langgraph-runtime-inmem 0.36.7 ``ops.Runs.next`` reads ``now``, sleeps 0.5 s, then takes only
runs created before ``now``: a new run waits 0.5-1 s for its first event, on every path that
queues one (the SDK, ``useStream``, agent-chat-ui, Studio). Here the queue sleeps until it is
woken (at most the same 0.5 s, which still picks up delayed and cron runs), and ``now`` is read
after the wait. Picking stays upstream's: the same lock, the same "thread busy" check, so runs
of one thread never overlap.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

POLL_SECONDS = 0.5
"""Upstream's interval, kept as the longest wait: delayed runs (``after_seconds``) need it."""


class Wake:
    """One wake-up flag for the queue's loop, settable from any thread or loop."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def wait(self, longest: float) -> None:
        if self._event is None:
            self._event, self._loop = asyncio.Event(), asyncio.get_running_loop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), longest)
        self._event.clear()  # before the queue reads the clock: a later set is not lost

    def set(self) -> None:
        if self._event is None or self._loop is None:
            return  # the queue has not waited yet: it looks without waiting first
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._event.set()
        else:  # a worker on an isolated loop, or a thread
            self._loop.call_soon_threadsafe(self._event.set)


WAKE = Wake()


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
