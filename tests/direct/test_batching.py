"""``in_batches``: what the direct SSE route uses to send a burst of events in one write."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from server.direct.batching import in_batches

pytestmark = pytest.mark.unit  # no server, no browser: `make unit`


async def test_items_made_while_the_consumer_was_busy_come_together_and_in_order() -> None:
    async def burst() -> AsyncIterator[int]:
        for item in range(100):
            await asyncio.sleep(0)
            yield item

    batches = []
    async for batch in in_batches(burst()):
        batches.append(batch)
        await asyncio.sleep(0.01)  # a slow socket

    assert [item for batch in batches for item in batch] == list(range(100))
    assert batches[0] == [0], "the first item is not held back"
    assert len(batches) < 20, "a slow consumer gets bursts, not one item per write"


async def test_leaving_early_cancels_the_producer() -> None:
    stopped = asyncio.Event()

    async def endless() -> AsyncIterator[int]:
        try:
            while True:
                await asyncio.sleep(0.001)
                yield 1
        finally:
            stopped.set()

    batches = in_batches(endless())
    await anext(batches)
    await batches.aclose()

    await asyncio.wait_for(stopped.wait(), 5)


async def test_a_producer_error_reaches_the_consumer() -> None:
    async def failing() -> AsyncIterator[int]:
        yield 1
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        async for _ in in_batches(failing()):
            pass
