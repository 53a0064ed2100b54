"""Shorter garbage-collection pauses while ``langgraph dev`` serves everyone from one process.

A full collection walks every object the collector tracks, and no one's tokens are sent while
it runs (measured with ``gc.callbacks``):
- ``gc-freeze``: the modules, the graph and LangChain, built at start-up and alive as long as
  the server, are frozen (``gc.freeze``) once the runtime's lifespan has started, so later
  collections walk only what came after;
- ``read-gc-pause``: reading a long thread builds a message object for every message of every
  checkpoint it returns (~300,000 objects for a 200-turn thread's state and 200 checkpoints),
  all alive until the answer is sent. Each time the tracked objects grow by a quarter, CPython
  runs a full collection: five or six per read, the last ones 150-250 ms each, freeing
  nothing. While a thread read is served, full collections wait (young ones still run); the
  objects the read built are freed by reference counting once it is sent, and the next full
  collection walks what is left.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

READS = (
    "get_thread",
    "get_thread_state",
    "get_thread_state_at_checkpoint",
    "get_thread_state_at_checkpoint_post",
    "get_thread_history",
    "get_thread_history_post",
)
"""langgraph-api's thread routes that answer with states, by endpoint name."""
DEFERRED = 1_000_000
"""The third threshold while reads are served: more young collections than any read causes."""


def freeze_after_start() -> None:
    from langgraph_runtime_inmem import lifespan as module

    upstream = module.lifespan

    @asynccontextmanager
    async def lifespan(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        async with upstream(*args, **kwargs) as started:
            gc.collect()
            gc.freeze()
            yield started

    module.lifespan = lifespan


class FullCollections:
    """Defers full collections while at least one read is served (reads overlap)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reads = 0
        self._threshold = gc.get_threshold()

    @contextmanager
    def deferred(self) -> Iterator[None]:
        with self._lock:
            if self._reads == 0:
                self._threshold = gc.get_threshold()
                young, middle, _ = self._threshold
                gc.set_threshold(young, middle, DEFERRED)
            self._reads += 1
        try:
            yield
        finally:
            with self._lock:
                self._reads -= 1
                if self._reads == 0:
                    gc.set_threshold(*self._threshold)


FULL_COLLECTIONS = FullCollections()


def _deferring(app: ASGIApp) -> ASGIApp:
    async def read(scope: Scope, receive: Receive, send: Send) -> None:
        with FULL_COLLECTIONS.deferred():
            await app(scope, receive, send)

    return read


def defer_during_reads() -> None:
    from langgraph_api.api.threads import threads_routes

    for route in threads_routes:
        if getattr(route.endpoint, "__name__", None) in READS:
            route.app = _deferring(route.app)
