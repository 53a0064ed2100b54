"""A stopped run leaves a valid stored thread.

However a run is stopped (SDK cancel, ``useStream``'s stop, a dropped ``on_disconnect=cancel``
stream, a timeout), the server cancels the task that iterates the graph, and LangGraph keeps the
last checkpoint as it was: an answer the model had finished can sit uncommitted in pending
writes (a run with new input would then discard it), and a tool call cut off mid-tool has no
result, which strict providers and every client reading the thread would trip over. So on
cancellation the graph settles its own thread before the cancel goes on: finished tasks are
committed, unfinished ones dropped, each unanswered tool call gets a "cancelled" result
right after its assistant message, and the text of an answer the stop cut short is kept, as
the user saw it.

Works around langgraph 1.2.24 and langgraph-api 0.16.7, which offer no hook on a stopped run;
delete when one exists (``tests/reliability/`` checks the stored thread after every stop).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Coroutine
from contextlib import aclosing
from typing import Any, Self, cast
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, GenerationChunk
from langchain_core.runnables import RunnableConfig
from langgraph.config import get_config
from langgraph.constants import END
from langgraph.graph.state import CompiledStateGraph

from agent.context import Context, env_number
from agent.history import cancelled_results
from agent.state import Conversation, State
from agent.times import stamp_all, stamped

logger = logging.getLogger(__name__)

SETTLE_SECONDS = 10.0
CUT_SHORT_METADATA = {"stopped": True}
"""``response_metadata`` of an answer a stop cut short."""
_CUT_ANSWER_KEY = "__agent_cut_answer__"
"""Where a run's config holds the answer a stop cut short, from the model node to the settling."""
_POSITION = {"checkpoint_id", "checkpoint_map", "checkpoint_ns"}


class StopSafeGraph(CompiledStateGraph[State, Context, Conversation, Conversation]):
    """The compiled agent; every way of running it (``astream``, ``astream_events``, the
    server's stream protocols, ``ainvoke``) goes through ``astream``."""

    @classmethod
    def of(cls, compiled: CompiledStateGraph[State, Context, Conversation, Conversation]) -> Self:
        """``compiled`` as this class, rebuilt from its fields as langgraph's ``Pregel.copy``
        (behind the public ``with_config``) rebuilds a graph: ``StateGraph.compile`` takes no
        class, and no hook on a stopped run exists (docs/upstream.md)."""
        return cls(**{k: v for k, v in vars(compiled).items() if k != "__orig_class__"})

    async def astream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[Any]:
        cut: dict[str, AIMessageChunk] = {}  # the answer a stop cuts short (ShownAnswer)
        config = {**(config or {})}
        config["configurable"] = {**config.get("configurable", {}), _CUT_ANSWER_KEY: cut}
        budget = _Budget(max_run_seconds())
        try:
            inner = cast(AsyncGenerator[Any, None], super().astream(input, config, **kwargs))
            async with aclosing(inner) as parts:
                async for part in parts:
                    yield part
                    budget.held_by(asyncio.current_task())
        except (asyncio.CancelledError, GeneratorExit) as stop:
            over = isinstance(stop, asyncio.CancelledError) and budget.spent()
            await _settled(settle(self, config, cut.get("answer")))
            if over:
                raise RunTooLong(budget.seconds) from None
            raise
        finally:
            budget.close()


def max_run_seconds() -> float:
    return env_number("AGENT_MAX_RUN_SECONDS", 900.0, 1)


class RunTooLong(Exception):
    """A run over ``AGENT_MAX_RUN_SECONDS``: it ends as an error, its thread settled as after
    a stop (results for cut-off calls, the shown text kept), so the next message works."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"The run took longer than {seconds:g} s (AGENT_MAX_RUN_SECONDS) and was stopped; "
            "what it finished is kept. Ask again, or for less at once."
        )


class _Budget:
    """Cancels the task waiting on the graph once the run's time is up, and tells that cancel
    from every other (a stop, a disconnect): only this one becomes :class:`RunTooLong`.

    The waiting task is noted at every part: langgraph-api asks for each part from a task of
    its own (``wait_if_not_done``), so the one that started the run is long gone."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._task = asyncio.current_task()
        self._cancelled: asyncio.Task[Any] | None = None
        self._timer = asyncio.get_running_loop().call_later(seconds, self._expire)

    def held_by(self, task: asyncio.Task[Any] | None) -> None:
        self._task = task

    def _expire(self) -> None:
        if self._task is not None and not self._task.done():
            self._cancelled = self._task
            self._task.cancel()

    def spent(self) -> bool:
        """Whether this budget's cancel is the one being handled; if so, it is taken back."""
        task = asyncio.current_task()
        if self._cancelled is not None and task is self._cancelled:
            task.uncancel()
            return True
        return False

    def close(self) -> None:
        self._timer.cancel()


class ShownAnswer(BaseCallbackHandler):
    """The text of the model's answer as it streams, through either stream protocol
    (``on_llm_new_token`` in v1, ``on_stream_event`` in v3), for :meth:`keep_if_cut`.

    Synchronous and inline: an async handler is awaited per token, which halved the direct
    routes' throughput."""

    run_inline = True

    def __init__(self) -> None:
        self.id: str | None = None
        self.pieces: list[str] = []

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        """Nothing to do; defined because without it LangChain calls ``on_llm_start`` instead,
        with the whole conversation rendered as text, on every model call."""

    def on_llm_new_token(
        self,
        token: str | list[str | dict[str, Any]],
        *,
        chunk: GenerationChunk | ChatGenerationChunk | None = None,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        tags: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(chunk, ChatGenerationChunk):
            self.id = self.id or chunk.message.id
            self.pieces.append(chunk.message.text)

    def on_stream_event(self, event: Any, **kwargs: Any) -> None:
        if event.get("event") == "message-start":
            self.id = self.id or event.get("id")
        delta = event.get("delta") or {}
        if event.get("event") == "content-block-delta" and delta.get("type") == "text-delta":
            self.pieces.append(str(delta.get("text") or ""))

    def keep_if_cut(self) -> None:
        """The run is being stopped: store the text shown so far when it settles (tool calls
        still being written are not)."""
        cut = get_config().get("configurable", {}).get(_CUT_ANSWER_KEY)
        if isinstance(cut, dict) and self.pieces:
            cut["answer"] = AIMessageChunk(id=self.id, content="".join(self.pieces))


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
    cut: AIMessageChunk | None = None,
) -> None:
    """Commit what finished, answer the calls that were cut off and keep the text of an answer
    that was (marked ``response_metadata.stopped``), on the thread's latest checkpoint."""
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
            await graph.aupdate_state(latest, {"messages": stamp_all(results)}, as_node="tools")
            await graph.aupdate_state(latest, None, as_node=END)
        if cut is not None and cut.text.strip():
            shown = stamped(
                AIMessage(id=cut.id, content=cut.text, response_metadata=CUT_SHORT_METADATA)
            )
            await graph.aupdate_state(latest, {"messages": [shown]}, as_node="agent")
    except Exception:
        logger.exception("Could not settle the thread of a stopped run")
