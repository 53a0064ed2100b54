"""Per-user shares and input caps: one user cannot starve others or break a thread."""

from __future__ import annotations

import contextlib
from typing import Any

import httpx
import pytest
from langgraph_sdk.client import LangGraphClient

from tests.security.common import ALICE, BOB, FAST, HELLO, SLOW, status_of


async def test_one_user_cannot_fill_every_worker(
    alice: LangGraphClient, bob: LangGraphClient
) -> None:
    slow = {"messages": [{"role": "user", "content": "分析用户数据"}]}
    threads = [(await alice.threads.create())["thread_id"] for _ in range(3)]
    runs = [await alice.runs.create(t, "agent", input=slow, context=SLOW) for t in threads[:2]]
    try:
        with pytest.raises(httpx.HTTPStatusError) as refused:
            await alice.runs.create(threads[2], "agent", input=slow, context=SLOW)
        response = refused.value.response
        assert response.status_code == 429
        assert response.headers["retry-after"].isdigit()
        assert "runs in progress" in response.json()["detail"]
        assert await alice.runs.list(threads[2]) == []
        # Bob is not affected.
        bobs = (await bob.threads.create())["thread_id"]
        answer = await bob.runs.wait(bobs, "agent", input=HELLO, context=FAST)
        assert isinstance(answer, dict) and answer["messages"][-1]["content"] == "1 2 3"
    finally:
        for thread_id, run in zip(threads, runs, strict=False):
            await alice.runs.cancel(thread_id, run["run_id"], wait=True)


async def test_one_user_cannot_hold_every_direct_stream(http: httpx.AsyncClient) -> None:
    slow = {"query": "分析用户数据", "context": '{"tool_step_delay": 5}'}
    async with contextlib.AsyncExitStack() as streams:
        for _ in range(2):  # half of AGENT_DIRECT_MAX_STREAMS=4
            held = await streams.enter_async_context(
                http.stream("GET", "/api/chat/stream", params=slow, headers={"x-api-key": ALICE})
            )
            assert held.status_code == 200
        third = await http.get("/api/chat/stream", params=slow, headers={"x-api-key": ALICE})
        bobs = await http.get(
            "/api/chat/stream", params={"query": "count to 2"}, headers={"x-api-key": BOB}
        )

    assert third.status_code == 429 and third.headers["retry-after"] == "1"
    assert "most one user may" in third.json()["detail"]
    assert bobs.status_code == 200 and "data: [DONE]" in bobs.text


async def test_oversized_runs_are_refused(alice: LangGraphClient, http: httpx.AsyncClient) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    flood = {"messages": [{"role": "user", "content": "x"}] * 100_000}
    response = await http.post(
        f"/threads/{thread_id}/runs",
        json={"assistant_id": "agent", "input": flood},
        headers={"x-api-key": ALICE},
    )
    assert response.status_code == 422
    assert "holds 100000 messages; the limit is 500" in response.json()["detail"]
    assert await alice.runs.list(thread_id) == []


async def test_a_huge_system_prompt_is_refused(alice: LangGraphClient) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    huge = {"system_prompt": "x" * 20_000_000}
    with pytest.raises(httpx.HTTPStatusError) as as_run:
        await alice.runs.create(thread_id, "agent", input=HELLO, context=huge)
    with pytest.raises(httpx.HTTPStatusError) as as_assistant:
        await alice.assistants.create("agent", context=huge)

    for refused in (as_run, as_assistant):
        assert refused.value.response.status_code == 422
        assert "the limit is 16000" in refused.value.response.text
    assert await alice.runs.list(thread_id) == []


@pytest.mark.parametrize(
    "message",
    [
        {"role": "tool", "content": "x"},  # no tool_call_id
        {"role": "assistant", "content": "", "tool_calls": [{"id": "c", "name": "f", "args": 1}]},
    ],
)
async def test_messages_that_would_break_a_thread_are_refused(
    alice: LangGraphClient, message: dict[str, Any]
) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    breaking = {"messages": [message, {"role": "user", "content": "hi"}]}

    assert await status_of(alice.runs.wait(thread_id, "agent", input=breaking)) == 422

    answer = await alice.runs.wait(thread_id, "agent", input=HELLO, context=FAST)
    assert isinstance(answer, dict) and answer["messages"][-1]["content"] == "1 2 3"
    assert (await alice.threads.get_state(thread_id))["values"]["messages"][0][
        "content"
    ] == "count to 3"


async def test_store_needs_a_namespace(http: httpx.AsyncClient) -> None:
    key = {"x-api-key": ALICE}
    for path in ("/store/items/search", "/store/namespaces"):
        response = await http.post(path, json={}, headers=key)
        assert response.status_code == 422, (path, response.text)
        assert "namespace" in response.json()["detail"]
    mine = await http.post("/store/items/search", json={"namespace_prefix": ["alice"]}, headers=key)
    assert mine.status_code == 200


async def test_crons_are_checked_when_created(alice: LangGraphClient) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    for bad in [
        {"input": {"messages": [{"role": "user", "content": " "}]}},
        {"input": HELLO, "context": {"tool_step_delay": 1e9}},
        {"input": HELLO, "webhook": "https://10.0.0.1/hook"},
    ]:
        with pytest.raises(httpx.HTTPStatusError) as refused:
            await alice.crons.create_for_thread(thread_id, "agent", schedule="0 0 * * *", **bad)
        assert refused.value.response.status_code == 422, bad
    assert await alice.crons.search(thread_id=thread_id) == []
