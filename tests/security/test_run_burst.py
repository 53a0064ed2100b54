"""The per-user run cap holds under a burst, and counts runs queued on a busy thread."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from langgraph_sdk.client import LangGraphClient

from tests.security.common import ALICE, FAST, HELLO, SLOW

SLOW_INPUT = {"messages": [{"role": "user", "content": "分析用户数据"}]}


async def _cancel_all(client: LangGraphClient, thread_ids: list[str]) -> None:
    for thread_id in thread_ids:
        for run in await client.runs.list(thread_id):
            if run["status"] in ("pending", "running"):
                await client.runs.cancel(thread_id, run["run_id"], wait=True)


async def test_a_burst_of_runs_gets_no_more_than_the_cap(
    alice: LangGraphClient, http: httpx.AsyncClient
) -> None:
    """Eight runs sent at once on eight new threads, with a cap of two: two start."""
    threads = [(await alice.threads.create())["thread_id"] for _ in range(8)]
    body: dict[str, Any] = {"assistant_id": "agent", "input": SLOW_INPUT, "context": SLOW}
    try:
        answers = await asyncio.gather(
            *(
                http.post(f"/threads/{t}/runs", json=body, headers={"x-api-key": ALICE})
                for t in threads
            )
        )
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [200, 200] + [429] * 6, [a.text for a in answers]
        runs = [run for t in threads for run in await alice.runs.list(t)]
        assert len(runs) == 2
    finally:
        await _cancel_all(alice, threads)


async def test_runs_queued_on_one_thread_count(
    alice: LangGraphClient, bob: LangGraphClient
) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    try:
        await alice.runs.create(thread_id, "agent", input=SLOW_INPUT, context=SLOW)
        await alice.runs.create(
            thread_id, "agent", input=HELLO, context=FAST, multitask_strategy="enqueue"
        )
        refused = await alice.http.client.post(
            f"/threads/{thread_id}/runs",
            json={
                "assistant_id": "agent",
                "input": HELLO,
                "context": FAST,
                "multitask_strategy": "enqueue",
            },
        )
        assert refused.status_code == 429
        assert "in progress or queued" in refused.json()["detail"]
        assert len(await alice.runs.list(thread_id)) == 2

        # A run that interrupts the thread's runs replaces them: it is let through.
        replacing = await alice.runs.create(
            thread_id, "agent", input=HELLO, context=FAST, multitask_strategy="interrupt"
        )
        await alice.runs.join(thread_id, replacing["run_id"])
        state = await alice.threads.get_state(thread_id)
        assert state["values"]["messages"][-1]["content"] == "1 2 3"

        # Bob is not counted against Alice, nor she against him.
        bobs = (await bob.threads.create())["thread_id"]
        answer = await bob.runs.wait(bobs, "agent", input=HELLO, context=FAST)
        assert isinstance(answer, dict) and answer["messages"][-1]["content"] == "1 2 3"
    finally:
        await _cancel_all(alice, [thread_id])
