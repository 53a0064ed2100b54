"""A run's stream, awaited event by event without a task group per event.

langgraph-api 0.16.7 ``asyncio.wait_if_not_done`` (called by ``stream.astream_state`` and
``stream_v2.astream_state_v2`` for every event of a run) races the graph's next event against
the run's cancel event with a ``TaskGroup`` and two new tasks, so each streamed token pays for
two tasks, their scheduling and a group exit. Here the next event is awaited in the run's own
task, and the cancel event, if it fires first, cancels that task with the same message the
upstream group would have cancelled its task with; what is raised then is what upstream raises.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


async def wait_if_not_done(coro: Coroutine[Any, Any, T], done: Any) -> T:
    """``langgraph_api.asyncio.wait_if_not_done``: ``coro``'s result, unless ``done`` (a
    ``ValueEvent``) is set first; then what upstream raises for its value."""
    from langgraph_api import asyncio as upstream

    task = asyncio.current_task()
    if done._value or task is None:  # already cancelled: upstream's path, as it is
        result: T = await upstream.wait_if_not_done(coro, done)
        return result
    waiting = True
    fired = False

    def on_done(_: asyncio.Future[Any]) -> None:
        nonlocal fired
        if waiting:  # a set() that lands once the event has come is too late, as upstream
            fired = True
            task.cancel(done._value)

    signal = task.get_loop().create_future()
    signal.add_done_callback(on_done)
    done._waiters.append(signal)
    try:
        return await coro
    except asyncio.CancelledError as e:
        if not fired:
            raise
        task.uncancel()  # the cancel was this function's; it becomes what upstream raises
        reason = e.args[-1] if e.args else None
        if asyncio.isfuture(reason):
            await upstream.logger.ainfo("Awaiting future upon cancellation.", task=str(reason))
            await reason
            await upstream.logger.ainfo("Done awaiting.", task=str(reason))
        if e.args and isinstance(e.args[0], Exception):
            raise e.args[0] from None
        if isinstance(done._value, Exception):
            raise done._value from None
        raise
    finally:
        waiting = False
        done._waiters.remove(signal)


def apply() -> None:
    from langgraph_api import stream, stream_v2

    stream.wait_if_not_done = wait_if_not_done
    stream_v2.wait_if_not_done = wait_if_not_done
