"""Waking a loop that would otherwise poll, from wherever the news comes from."""

from __future__ import annotations

import asyncio
import contextlib


class Wake:
    """A wake-up flag for one waiting loop (the run queue's, a thread stream's), settable from
    any thread or event loop."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def wait(self, longest: float) -> None:
        if self._event is None:
            self._event, self._loop = asyncio.Event(), asyncio.get_running_loop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), longest)
        self._event.clear()  # before the waiter looks again: a later set is not lost

    def set(self) -> None:
        if self._event is None or self._loop is None:
            return  # it has not waited yet: it looks before it first waits
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._event.set()
        else:  # a worker on an isolated loop, or a thread
            self._loop.call_soon_threadsafe(self._event.set)
