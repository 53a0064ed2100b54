"""Cancels and client disconnects at random points, through the runs API of a real server.

50 seeded points, 8 at a time (``TORTURE_POINTS``; `make torture` runs 500). The report names
the seed and each failing point: ``TORTURE_SEED`` and ``TORTURE_ONLY`` (indices, comma-separated)
replay them.
"""

from __future__ import annotations

import os
import random
from typing import Any

from langgraph_sdk.client import LangGraphClient

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


async def test_an_answer_shown_after_a_stop_survives_the_next_message(
    sdk: LangGraphClient,
) -> None:
    """The model writes 200 tokens faster than the server streams them, so a cancel sent on
    the first streamed token reliably lands after the node finished and before LangGraph
    committed the step: the stop commits it (``agent/stops.py``), so the stored thread holds
    the answer right away and the next message keeps it."""
    thread_id = (await sdk.threads.create())["thread_id"]
    context: dict[str, Any] = {"model": "offline", "offline_token_delay": 0}
    question: dict[str, Any] = {"messages": [user_message("count to 200")]}
    follow_up_input: dict[str, Any] = {"messages": [user_message("count to 3")]}
    run_id = ""
    async for part in sdk.runs.stream(
        thread_id,
        "agent",
        input=question,
        stream_mode="messages-tuple",
        context=context,
    ):
        if part.event == "metadata":
            run_id = part.data["run_id"]
        elif part.event == "messages" and run_id:
            await sdk.runs.cancel(thread_id, run_id)
            run_id = ""
    await wait_not_busy(sdk, thread_id)
    stopped = await sdk.threads.get_state(thread_id)
    shown = await saved_messages(sdk, thread_id)

    follow_up = await sdk.runs.wait(thread_id, "agent", input=follow_up_input, context=context)

    assert stopped["next"] == [] and not stopped["tasks"]
    assert [m["type"] for m in shown] == ["human", "ai"]
    assert shown[-1]["content"].endswith("199 200")
    assert isinstance(follow_up, dict) and follow_up["messages"][-1]["content"] == "1 2 3"
    kept = [m["id"] for m in await saved_messages(sdk, thread_id)]
    assert [m["id"] for m in shown] == kept[: len(shown)]


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
