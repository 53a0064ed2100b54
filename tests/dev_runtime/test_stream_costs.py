"""The per-token shortcuts under ``langgraph dev`` keep upstream's behaviour where it shows."""

from __future__ import annotations

import anyio
import pytest

from server.dev_runtime.stream_costs import _AnyioWithoutIdleScopes

pytestmark = pytest.mark.unit

SHIM = _AnyioWithoutIdleScopes()


async def test_a_send_without_timeout_is_still_cancelled_with_its_stream() -> None:
    """The stream's task group cancels a send stuck on a slow client, as anyio's scope did."""
    reached = anyio.Event()
    cancelled = False

    async def stuck_send() -> None:
        nonlocal cancelled
        with SHIM.move_on_after(None) as scope:
            reached.set()
            try:
                await anyio.sleep(60)
            except anyio.get_cancelled_exc_class():
                cancelled = True
                raise
        assert not scope.cancel_called

    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            group.start_soon(stuck_send)
            await reached.wait()
            group.cancel_scope.cancel()
    assert cancelled


async def test_a_send_with_a_timeout_keeps_anyios_scope() -> None:
    with SHIM.move_on_after(0.01) as scope:
        await anyio.sleep(5)
    assert scope.cancel_called
    assert SHIM.create_task_group is anyio.create_task_group
