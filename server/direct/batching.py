"""Send what is ready together: one write for a burst of events instead of one each."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TypeVar, cast

T = TypeVar("T")
_END = object()


async def in_batches(items: AsyncIterator[T]) -> AsyncIterator[list[T]]:
    """Each batch is everything produced while the consumer was busy sending the last one.

    The first item of a batch is yielded as soon as it exists, so latency is unchanged; when
    the producer outpaces the socket, per-write costs (framing, middleware, syscalls) are paid
    once per batch. The producer runs as its own task and is cancelled with the consumer.
    """
    queue: asyncio.Queue[object] = asyncio.Queue()

    async def pump() -> None:
        try:
            async for item in items:
                queue.put_nowait(item)
        finally:
            queue.put_nowait(_END)

    producer = asyncio.create_task(pump())
    try:
        while True:
            ready = [await queue.get()]
            while not queue.empty():
                ready.append(queue.get_nowait())
            batch = [item for item in ready if item is not _END]
            if batch:
                yield cast(list[T], batch)
            if ready[-1] is _END:
                break
        await producer  # re-raises what the producer raised
    finally:
        producer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await producer
