"""A decision answers the request it was checked against, and no other (issue 20).

Three runs queued on a paused thread a moment apart: a reject, a new question asking for
every tool to be reviewed, then an approve. The approve was checked against the first request;
when it runs, the new question's request is pending, and it must not approve that one."""

from __future__ import annotations

import asyncio
from typing import Any

from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import UnprocessableEntityError

from tests.approval_helpers import APPROVE_WEATHER, FAST, ask, decide, messages, paused
from tests.reliability.accounting import wait_terminal


async def test_a_decision_queued_for_one_request_never_answers_the_next(
    sdk: LangGraphClient,
) -> None:
    thread_id, _ = await paused(sdk, "北京天气如何？", APPROVE_WEATHER)

    async def queue(**run: Any) -> str | None:
        """The run's id, or None when it was refused (the thread was busy by then)."""
        try:
            created = await sdk.runs.create(thread_id, "agent", multitask_strategy="enqueue", **run)
        except UnprocessableEntityError:
            return None
        return str(created["run_id"])

    # Sent together: each is checked while the thread still shows 北京's request.
    queued = await asyncio.gather(
        queue(input=None, command=decide({"type": "reject", "message": "no"}),
              context=APPROVE_WEATHER),
        queue(input=ask("上海天气如何？"), context={**FAST, "approve_tools": ["*"]}),
        queue(input=None, command=decide({"type": "approve"}), context=APPROVE_WEATHER),
    )  # fmt: skip
    assert queued[1] is not None, "the new question is always taken"
    for run_id in filter(None, queued):
        await wait_terminal(sdk, thread_id, run_id)

    saved = await messages(sdk, thread_id)
    results = [m["content"] for m in saved if m["type"] == "tool"]
    assert not any("上海：" in text for text in results), "上海's call ran unshown"
    state = await sdk.threads.get_state(thread_id)
    assert state["next"] == ["tools"], "the thread still waits for a decision on 上海"
    [task] = state["tasks"]
    [request] = task["interrupts"]
    assert request["value"]["action_requests"][0]["args"] == {"city": "上海"}


async def test_a_replay_from_the_paused_checkpoint_pauses_again(sdk: LangGraphClient) -> None:
    """The review lives with the calls, not in one run's context: a replay of the paused
    checkpoint without ``approve_tools`` (the runs API's ``checkpoint_id`` with no input)
    stops at the same request instead of running the call nobody approved."""
    thread_id, _ = await paused(sdk, "北京天气如何？", APPROVE_WEATHER)
    checkpoint = (await sdk.threads.get_state(thread_id))["checkpoint"]["checkpoint_id"]

    await sdk.runs.wait(thread_id, "agent", input=None, checkpoint_id=checkpoint, context=FAST)

    state = await sdk.threads.get_state(thread_id)
    assert state["next"] == ["tools"], "paused again"
    assert not [m for m in await messages(sdk, thread_id) if m["type"] == "tool"], "nothing ran"
    [task] = state["tasks"]
    assert task["interrupts"][0]["value"]["action_requests"][0]["args"] == {"city": "北京"}
