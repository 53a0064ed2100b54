"""Approval across the routes: a direct answer's pause handed to a thread of the runs API
(owned by the caller), and a resume keyed by the interrupt it answers."""

from __future__ import annotations

import json

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import NotFoundError

from harness.server import Server, langgraph_dev
from harness.sse import DONE, events
from tests.approval_helpers import (
    APPROVE_WEATHER,
    FAST,
    ask,
    decide,
    messages,
    paused,
    resume,
)


async def test_the_sse_route_hands_a_pause_to_a_thread_of_the_runs_api(
    server: Server, sdk: LangGraphClient
) -> None:
    async with httpx.AsyncClient(timeout=60) as http:
        response = await http.get(
            f"{server.url}/api/chat/stream",
            params={"query": "北京天气如何？", "context": json.dumps(APPROVE_WEATHER)},
        )
    streamed = events(response)
    assert streamed[-1] == DONE
    pause = streamed[-2]
    assert pause["type"] == "interrupt"
    assert pause["action_requests"][0]["args"] == {"city": "北京"}
    assert not any(e["type"] == "progress" for e in streamed[:-1])

    after = await resume(sdk, pause["thread_id"], decide({"type": "approve"}), APPROVE_WEATHER)

    assert not [p for p in after if p.event == "error"]
    saved = await messages(sdk, pause["thread_id"])
    assert [m["type"] for m in saved] == ["human", "ai", "tool", "ai"]
    assert "北京：晴，25°C" in saved[-1]["content"]


async def test_a_handed_off_thread_belongs_to_the_caller() -> None:
    alice, bob = "ka-0123456789abcdef", "kb-fedcba9876543210"
    with langgraph_dev(env={"AGENT_API_KEYS": f"{alice}:alice,{bob}:bob"}) as secure:
        async with httpx.AsyncClient(timeout=60) as http:
            response = await http.post(
                f"{secure.url}/api/chat/stream",
                json={"query": "北京天气如何？", "context": APPROVE_WEATHER},
                headers={"x-api-key": alice},
            )
        pause = events(response)[-2]
        as_bob = get_client(url=secure.url, api_key=bob)
        as_alice = get_client(url=secure.url, api_key=alice)
        with pytest.raises(NotFoundError):
            await as_bob.threads.get(pause["thread_id"])
        answer = await as_alice.runs.wait(
            pause["thread_id"], "agent", input=None, command=decide({"type": "approve"})
        )
    assert isinstance(answer, dict) and "北京" in answer["messages"][-1]["content"]


async def test_a_resume_keyed_by_the_interrupt_id_is_accepted(sdk: LangGraphClient) -> None:
    """What the JS SDK's ``respond()`` sends."""
    thread_id, _ = await paused(sdk, "北京天气如何？", APPROVE_WEATHER)
    [pending] = (await sdk.threads.get_state(thread_id))["interrupts"]

    await resume(
        sdk, thread_id, {"resume": {pending["id"]: {"decisions": [{"type": "reject"}]}}}, FAST
    )

    saved = await messages(sdk, thread_id)
    assert saved[2]["artifact"] == {"declined": True}
    await sdk.runs.wait(thread_id, "agent", input=ask("北京天气如何？"), context=APPROVE_WEATHER)
    wrong = {"resume": {"another-id": {"decisions": [{"type": "approve"}]}}}
    with pytest.raises(httpx.HTTPStatusError) as refused:
        await sdk.runs.wait(thread_id, "agent", input=None, command=wrong)
    assert refused.value.response.status_code == 422
