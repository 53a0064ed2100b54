"""Cancels and client disconnects at random points, through the runs API of a real server.

50 seeded points, 8 at a time (``TORTURE_POINTS``; `make torture` runs 500). The report names
the seed and each failing point: ``TORTURE_SEED`` and ``TORTURE_ONLY`` (indices, comma-separated)
replay them. One stop that timing cannot place reliably, between a node's answer and its
step's commit, is placed in-process by a saver that holds the commit.
"""

from __future__ import annotations

import asyncio
import os
import random
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph_sdk.client import LangGraphClient

from agent.graph import builder
from agent.stops import StopSafeGraph
from harness.server import Server
from tests.reliability.accounting import saved_messages, user_message, wait_not_busy
from tests.reliability.stops import sweep

POINTS = int(os.environ.get("TORTURE_POINTS") or 50)
ONLY = [int(i) for i in os.environ.get("TORTURE_ONLY", "").split(",") if i.strip()]


async def test_random_cancels_and_disconnects_lose_nothing(agent_server: Server) -> None:
    seed = int(os.environ.get("TORTURE_SEED") or random.randrange(2**31))

    summary = await sweep(agent_server.url, seed, POINTS, only=ONLY)

    print(summary.report())
    assert len(summary.results) == (len(ONLY) or POINTS)
    assert not summary.failures, summary.report()
    outcomes = {r.outcome for r in summary.results}
    assert "interrupted" in outcomes, "some point must have stopped a run"


class _HeldCommit(InMemorySaver):
    """A saver that holds the commit of the step in which the model answered, until the run is
    stopped, and then drops it: a stop that lands after the node wrote its answer (pending
    writes) and before LangGraph committed the step, every time rather than by timing."""

    def __init__(self) -> None:
        super().__init__()
        self.answered = False
        self.holding = asyncio.Event()
        self.stopped = asyncio.Event()

    async def aput_writes(
        self, config: Any, writes: Any, task_id: str, task_path: str = ""
    ) -> None:
        await super().aput_writes(config, writes, task_id, task_path)
        values = [v for channel, value in writes if channel == "messages" for v in _listed(value)]
        self.answered |= any(isinstance(v, AIMessage) for v in values)

    async def aput(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        if self.answered and not self.holding.is_set():
            self.holding.set()
            await self.stopped.wait()
            raise asyncio.CancelledError  # the step's commit never happens
        return await super().aput(config, checkpoint, metadata, new_versions)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.unit
async def test_an_answer_a_stop_finds_uncommitted_survives_the_next_message() -> None:
    """The stop commits it (``agent/stops.py``): without that, the next message's run starts
    from the checkpoint before it and the answer is gone."""
    saver = _HeldCommit()
    graph = StopSafeGraph.of(builder.compile(checkpointer=saver))
    config: RunnableConfig = {"configurable": {"thread_id": "held"}}
    context = {"model": "offline", "offline_token_delay": 0}

    async def ask(text: str) -> None:
        async for _ in graph.astream({"messages": [HumanMessage(text)]}, config, context=context):
            pass

    run = asyncio.create_task(ask("count to 20"))
    await asyncio.wait_for(saver.holding.wait(), 30)
    run.cancel()
    saver.stopped.set()
    with pytest.raises(asyncio.CancelledError):
        await run
    await ask("count to 3")

    messages = (await graph.aget_state(config)).values["messages"]
    assert [(m.type, m.content.split()[-1]) for m in messages] == [
        ("human", "20"), ("ai", "20"), ("human", "3"), ("ai", "3")
    ]  # fmt: skip


async def test_an_answer_a_stop_cuts_short_is_kept_as_shown(sdk: LangGraphClient) -> None:
    """Everyone reading the thread sees the text the user saw, marked stopped, and the next
    message keeps it."""
    thread_id = (await sdk.threads.create())["thread_id"]
    context: dict[str, Any] = {"model": "offline", "offline_token_delay": 0.02}
    shown: list[str] = []
    run_id = ""
    async for part in sdk.runs.stream(
        thread_id,
        "agent",
        input={"messages": [user_message("count to 300")]},
        stream_mode="messages-tuple",
        context=context,
    ):
        if part.event == "metadata":
            run_id = part.data["run_id"]
        elif part.event == "messages" and (text := part.data[0].get("content")):
            shown.append(text)
            if len(shown) == 20:
                await sdk.runs.cancel(thread_id, run_id)
    await wait_not_busy(sdk, thread_id)

    stopped = (await saved_messages(sdk, thread_id))[-1]
    follow_up = await sdk.runs.wait(
        thread_id, "agent", input={"messages": [user_message("count to 3")]}, context=context
    )

    assert stopped["type"] == "ai" and stopped["response_metadata"] == {"stopped": True}
    full = " ".join(str(n) for n in range(1, 301))
    assert "".join(shown).startswith(stopped["content"][:20]) and full.startswith(
        stopped["content"]
    )
    assert len(stopped["content"]) < len(full)
    assert isinstance(follow_up, dict) and follow_up["messages"][-1]["content"] == "1 2 3"
    assert [m["id"] for m in follow_up["messages"]][1] == stopped["id"]
