"""A stopped run leaves a valid stored thread.

However a run is stopped (SDK cancel, ``useStream``'s stop, a dropped ``on_disconnect=cancel``
stream, a timeout), the server cancels the task that iterates the graph, and LangGraph keeps the
last checkpoint as it was: an answer the model had finished can sit uncommitted in pending
writes (a run with new input would then discard it), and a tool call cut off mid-tool has no
result, which strict providers and every client reading the thread would trip over. So on
cancellation the graph settles its own thread before the cancel goes on: finished tasks are
committed, unfinished ones dropped, and each unanswered tool call gets a "cancelled" result
right after its assistant message.

Works around langgraph 1.2.24 and langgraph-api 0.16.7, which offer no hook on a stopped run;
delete when one exists (``tests/reliability/`` checks the stored thread after every stop).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Coroutine
from contextlib import aclosing
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.constants import END
from langgraph.graph.state import CompiledStateGraph

from agent.context import Context
from agent.history import cancelled_results
from agent.state import State

logger = logging.getLogger(__name__)

SETTLE_SECONDS = 10.0
_POSITION = {"checkpoint_id", "checkpoint_map", "checkpoint_ns"}


class StopSafeGraph(CompiledStateGraph[State, Context, State, State]):
    """The compiled agent; every way of running it (``astream``, ``astream_events``, the
    server's stream protocols, ``ainvoke``) goes through ``astream``."""

    async def astream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[Any]:
        try:
            inner = cast(AsyncGenerator[Any, None], super().astream(input, config, **kwargs))
            async with aclosing(inner) as parts:
                async for part in parts:
                    yield part
        except (asyncio.CancelledError, GeneratorExit):
            await _settled(settle(self, config))
            raise


async def _settled(settling: Coroutine[Any, Any, None]) -> None:
    """Wait for the settling, through further cancels: the server cancels more than once
    (LangChain's event stream cancels its task twice), and if the run ended before the thread
    is settled, the next run could start on the unsettled thread."""
    task = asyncio.ensure_future(settling)
    deadline = asyncio.get_running_loop().time() + SETTLE_SECONDS
    while not task.done():
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            logger.error("Settling a stopped run took over %ss; not waiting", SETTLE_SECONDS)
            return
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(asyncio.shield(task), left)


async def settle(
    graph: CompiledStateGraph[Any, Any, Any, Any],
    config: RunnableConfig | None,
) -> None:
    """Commit what finished and answer what was cut off, on the thread's latest checkpoint."""
    configurable = (config or {}).get("configurable") or {}
    thread_id = configurable.get("thread_id")
    subgraph = bool(configurable.get("checkpoint_ns"))  # then the parent graph settles
    if thread_id is None or graph.checkpointer in (None, False) or subgraph:
        return
    # The latest checkpoint (the run may have started from an older one), tagged like the run's
    # own checkpoints (``run_id``...), so that rolling the run back removes what was settled.
    tags = {k: v for k, v in configurable.items() if not k.startswith("__") and k not in _POSITION}
    latest: RunnableConfig = {"configurable": {**tags, "checkpoint_ns": ""}}
    try:
        state = await graph.aget_state(latest)
        if state.tasks:  # finished ones (not in ``next``) hold uncommitted writes
            await graph.aupdate_state(latest, None, as_node=END)
            state = await graph.aget_state(latest)
        if results := cancelled_results((state.values or {}).get("messages") or []):
            await graph.aupdate_state(latest, {"messages": results}, as_node="tools")
            await graph.aupdate_state(latest, None, as_node=END)
    except Exception:
        logger.exception("Could not settle the thread of a stopped run")
