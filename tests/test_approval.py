"""Human in the loop on a real ``langgraph dev``: the run pauses before a listed tool with
LangChain's human-in-the-loop request, and a decision (approve, edit, reject) resumes it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from langgraph_sdk.client import LangGraphClient

from harness.server import Server
from tests.approval_helpers import (
    APPROVE_WEATHER,
    FAST,
    ask,
    decide,
    interrupts,
    messages,
    paused,
    resume,
)
from tests.reliability.accounting import thread_problem


async def test_a_listed_tool_waits_for_approval(sdk: LangGraphClient) -> None:
    thread_id, parts = await paused(sdk, "北京天气如何？", APPROVE_WEATHER)

    [request] = interrupts(parts)
    assert request["action_requests"] == [
        {
            "name": "get_weather",
            "args": {"city": "北京"},
            "description": request["action_requests"][0]["description"],
        }
    ]
    assert "weather" in request["action_requests"][0]["description"]
    assert request["review_configs"] == [
        {"action_name": "get_weather", "allowed_decisions": ["approve", "edit", "reject"]}
    ]
    assert not [p for p in parts if p.event == "custom"], "the tool did not start"
    state = await sdk.threads.get_state(thread_id)
    assert state["next"] == ["tools"]
    assert (await sdk.threads.get(thread_id))["status"] == "interrupted"

    after = await resume(sdk, thread_id, decide({"type": "approve"}), APPROVE_WEATHER)

    assert [p.data["progress"] for p in after if p.event == "custom"][-1] == 100
    saved = await messages(sdk, thread_id)
    assert [m["type"] for m in saved] == ["human", "ai", "tool", "ai"]
    assert "北京：晴，25°C" in saved[-1]["content"]
    assert (await sdk.threads.get(thread_id))["status"] == "idle"


async def test_an_edit_runs_the_tool_with_the_new_arguments(sdk: LangGraphClient) -> None:
    thread_id, _ = await paused(sdk, "北京天气如何？", APPROVE_WEATHER)
    edit = {"type": "edit", "edited_action": {"name": "get_weather", "args": {"city": "上海"}}}

    # agent-chat-ui resumes with input {} and the command.
    answer = await sdk.runs.wait(
        thread_id, "agent", input={}, command=decide(edit), context=APPROVE_WEATHER
    )

    assert isinstance(answer, dict)
    assert answer["messages"][1]["tool_calls"][0]["args"] == {"city": "上海"}, (
        "history shows what ran"
    )
    assert answer["messages"][2]["content"] == "上海：多云，22°C"
    assert "上海" in answer["messages"][-1]["content"]


async def test_a_reject_skips_the_tool_and_the_model_answers(sdk: LangGraphClient) -> None:
    thread_id, _ = await paused(sdk, "北京天气如何？", APPROVE_WEATHER)
    reject = {"type": "reject", "message": "not now"}

    after = await resume(sdk, thread_id, decide(reject), APPROVE_WEATHER)
    follow = await sdk.runs.wait(thread_id, "agent", input=ask("count to 2"), context=FAST)

    assert not [p for p in after if p.event == "custom"], "a rejected tool never runs"
    saved = await messages(sdk, thread_id)
    assert [m["type"] for m in saved] == ["human", "ai", "tool", "ai", "human", "ai"]
    declined = saved[2]
    assert declined["status"] == "error" and declined["artifact"] == {"declined": True}
    assert "declined" in declined["content"] and "not now" in declined["content"]
    answer = saved[3]["content"]
    assert "你拒绝了 get_weather(北京)（理由：not now）" in answer  # in the question's language
    assert "工具返回的结果" not in answer and "The user declined" not in answer
    assert isinstance(follow, dict) and follow["messages"][-1]["content"] == "1 2"
    assert thread_problem(saved) is None


async def test_a_resume_without_the_approval_setting_still_applies_its_decisions(
    sdk: LangGraphClient,
) -> None:
    thread_id, _ = await paused(sdk, "北京天气如何？", APPROVE_WEATHER)

    after = await resume(sdk, thread_id, decide({"type": "reject"}), FAST)

    assert not [p for p in after if p.event == "custom"], "the rejected tool did not run"
    saved = await messages(sdk, thread_id)
    assert saved[2]["artifact"] == {"declined": True}


async def test_parallel_calls_are_one_request_with_a_decision_each(sdk: LangGraphClient) -> None:
    thread_id, parts = await paused(sdk, "北京和上海的天气如何？", APPROVE_WEATHER)
    [request] = interrupts(parts)
    assert [a["args"]["city"] for a in request["action_requests"]] == ["北京", "上海"]

    await resume(sdk, thread_id, decide({"type": "approve"}, {"type": "reject"}), APPROVE_WEATHER)

    saved = await messages(sdk, thread_id)
    results = {m["tool_call_id"]: m for m in saved if m["type"] == "tool"}
    calls = saved[1]["tool_calls"]
    assert results[calls[0]["id"]]["content"] == "北京：晴，25°C"
    assert results[calls[1]["id"]]["artifact"] == {"declined": True}
    assert thread_problem(saved) is None


async def test_only_listed_tools_pause(sdk: LangGraphClient) -> None:
    _thread_id, parts = await paused(sdk, "分析用户数据", APPROVE_WEATHER)

    assert interrupts(parts) == []
    steps = [next(iter(p.data)) for p in parts if p.event == "updates"]
    assert steps == ["agent", "tools", "agent"]
    everything, _ = await paused(sdk, "分析用户数据", {**FAST, "approve_tools": ["*"]})
    assert (await sdk.threads.get_state(everything))["next"] == ["tools"]


@pytest.mark.parametrize(
    ("command", "detail"),
    [
        (decide(), "1 action(s) wait for a decision, but 0 were given"),
        (decide({"type": "approve"}, {"type": "approve"}), "but 2 were given"),
        (decide({"type": "maybe"}), "decisions[0] must be"),
        (decide({"type": "edit", "edited_action": {"args": "上海"}}), "an edit needs"),
        (
            decide({"type": "edit", "edited_action": {"name": "analyze_dataset", "args": {}}}),
            "an edit keeps the tool",
        ),
        ({"resume": "yes"}, 'resume with {"decisions"'),
    ],
)
async def test_a_malformed_decision_is_refused_and_the_thread_stays_paused(
    server: Server, sdk: LangGraphClient, command: dict[str, Any], detail: str
) -> None:
    thread_id, _ = await paused(sdk, "北京天气如何？", APPROVE_WEATHER)

    async with httpx.AsyncClient(timeout=30) as http:
        refused = await http.post(
            f"{server.url}/threads/{thread_id}/runs/wait",
            json={"assistant_id": "agent", "input": None, "command": command, "context": FAST},
        )

    assert refused.status_code == 422 and detail in refused.json()["detail"]
    assert len(await sdk.runs.list(thread_id)) == 1
    assert (await sdk.threads.get_state(thread_id))["next"] == ["tools"]
    after = await resume(sdk, thread_id, decide({"type": "approve"}), APPROVE_WEATHER)
    assert not [p for p in after if p.event == "error"]


async def test_resuming_a_thread_that_waits_for_nothing_is_refused(
    sdk: LangGraphClient,
) -> None:
    thread_id = (await sdk.threads.create())["thread_id"]
    await sdk.runs.wait(thread_id, "agent", input=ask("count to 2"), context=FAST)

    with pytest.raises(httpx.HTTPStatusError) as refused:
        await sdk.runs.wait(thread_id, "agent", input=None, command=decide({"type": "approve"}))
    assert refused.value.response.status_code == 422
    assert "not waiting for a decision" in refused.value.response.text


async def test_a_new_message_instead_of_a_decision_leaves_a_valid_thread(
    sdk: LangGraphClient,
) -> None:
    thread_id, _ = await paused(sdk, "北京天气如何？", APPROVE_WEATHER)

    answer = await sdk.runs.wait(thread_id, "agent", input=ask("count to 2"), context=FAST)

    assert isinstance(answer, dict) and answer["messages"][-1]["content"] == "1 2"
    saved = await messages(sdk, thread_id)
    assert [m["type"] for m in saved] == ["human", "ai", "tool", "human", "ai"]
    assert saved[2]["artifact"] == {"cancelled": True}
    assert thread_problem(saved) is None


async def test_unknown_tools_to_approve_are_refused(sdk: LangGraphClient) -> None:
    thread_id = (await sdk.threads.create())["thread_id"]
    with pytest.raises(httpx.HTTPStatusError) as refused:
        await sdk.runs.wait(
            thread_id, "agent", input=ask("hi"), context={"approve_tools": ["get_wether"]}
        )
    assert refused.value.response.status_code == 422
    assert "unknown tool(s) get_wether" in refused.value.response.text
