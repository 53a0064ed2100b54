"""``step-waits`` gives what langgraph-api's own ``wait_if_not_done`` gives, case by case: the
event, the graph's error, the run's cancel reason, an outside cancel, and a cancel that comes
once the event has."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from langgraph_api.asyncio import ValueEvent
from langgraph_api.asyncio import wait_if_not_done as upstream
from langgraph_api.errors import UserInterrupt

from server.dev_runtime.step_waits import wait_if_not_done as patched

pytestmark = pytest.mark.unit

Wait = Callable[[Any, ValueEvent], Awaitable[Any]]
BOTH = pytest.mark.parametrize("wait", [upstream, patched], ids=["upstream", "patched"])


async def _outcome(wait: Wait, coro: Any, done: ValueEvent, set_to: Any = None) -> tuple[Any, ...]:
    """What the call returned or raised, and whether its task was left cancelling."""

    async def call() -> tuple[Any, ...]:
        try:
            result = await wait(coro, done)
            return ("returned", result, asyncio.current_task().cancelling())  # type: ignore[union-attr]
        except asyncio.CancelledError:
            return ("cancelled", None, asyncio.current_task().cancelling())  # type: ignore[union-attr]
        except Exception as e:
            return ("raised", type(e).__name__, asyncio.current_task().cancelling())  # type: ignore[union-attr]

    task = asyncio.create_task(call())
    if set_to is not None:
        await asyncio.sleep(0.01)
        done.set(set_to)
    return await asyncio.wait_for(task, 5)


async def _event(value: str = "token", after: float = 0.0) -> str:
    await asyncio.sleep(after)
    return value


async def _fails() -> str:
    await asyncio.sleep(0)
    raise ValueError("the graph failed")


@BOTH
async def test_the_next_event(wait: Wait) -> None:
    assert await _outcome(wait, _event(), ValueEvent()) == ("returned", "token", 0)


@BOTH
async def test_the_graphs_error(wait: Wait) -> None:
    assert await _outcome(wait, _fails(), ValueEvent()) == ("raised", "ValueError", 0)


@BOTH
async def test_a_stop_raises_its_reason(wait: Wait) -> None:
    outcome = await _outcome(wait, _event(after=5), ValueEvent(), set_to=UserInterrupt())
    assert outcome == ("raised", "UserInterrupt", 0)


@BOTH
async def test_a_done_run_cancels_the_wait(wait: Wait) -> None:
    assert await _outcome(wait, _event(after=5), ValueEvent(), set_to=True) == (
        "cancelled",
        None,
        0,
    )


@BOTH
async def test_a_run_already_done_is_cancelled_too(wait: Wait) -> None:
    done = ValueEvent()
    done.set(UserInterrupt())
    assert await _outcome(wait, _event(after=5), done) == ("raised", "UserInterrupt", 0)


@BOTH
async def test_a_cancel_from_outside_reaches_the_graph_and_goes_on(wait: Wait) -> None:
    seen: list[str] = []

    async def graph() -> str:
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            seen.append("cancelled")
            raise
        return "token"

    done = ValueEvent()
    task = asyncio.create_task(wait(graph(), done))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert seen == ["cancelled"] and not done._waiters


@BOTH
async def test_a_stop_that_comes_with_the_event_cancels_nothing_later(wait: Wait) -> None:
    done = ValueEvent()

    async def graph() -> str:
        await asyncio.sleep(0)
        done.set(UserInterrupt())  # the stop lands as the event comes: the next wait raises
        return "token"

    async def run() -> str:
        value = await wait(graph(), done)
        await asyncio.sleep(0.02)
        return value

    assert await asyncio.wait_for(run(), 5) == "token"
    assert not done._waiters
