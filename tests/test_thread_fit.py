"""Runs checked against the stored thread (``server/thread_fit.py``): what continues, replays
or forks runs; a call the thread left open is closed; a repeated or late answer is dropped."""

from __future__ import annotations

import json

import httpx
from langgraph_sdk import get_client

from agent.history import CANCELLED_TEXT
from harness.server import Server
from tests.run_inputs import FAST, HELLO, asked_weather, history, thread_problem, user


async def test_stateless_runs_are_checked_too(server: Server) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"{server.url}/runs/wait", json={"assistant_id": "agent", "input": user("  ")}
        )
    assert response.status_code == 422 and "is empty" in response.json()["detail"]


async def test_a_run_with_nothing_to_continue_is_refused(server: Server) -> None:
    client = get_client(url=server.url)
    finished = (await client.threads.create())["thread_id"]
    await client.runs.wait(finished, "agent", input=HELLO, context=FAST)
    fresh = (await client.threads.create())["thread_id"]

    async with httpx.AsyncClient(timeout=30) as http:
        for thread_id in (finished, fresh):
            for empty in (None, {}):
                response = await http.post(
                    f"{server.url}/threads/{thread_id}/runs/wait",
                    json={"assistant_id": "agent", "input": empty},
                )
                assert response.status_code == 422, response.text
                assert "nothing to continue" in response.json()["detail"]
        stateless = await http.post(
            f"{server.url}/runs/wait", json={"assistant_id": "agent", "input": None}
        )
    assert stateless.status_code == 422
    assert len(await client.runs.list(finished)) == 1


async def test_settings_in_configurable_pass(server: Server) -> None:
    """The web app sends settings in ``config.configurable``, next to the thread id."""
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]

    await client.runs.wait(
        thread_id,
        "agent",
        input=HELLO,
        config={"configurable": {"offline_token_delay": 0, "thread_id": thread_id}},
    )

    state = await client.threads.get_state(thread_id)
    assert state["values"]["messages"][-1]["content"] == "1 2 3"


async def test_continue_after_a_breakpoint_with_no_input(server: Server) -> None:
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]
    weather = user("北京天气如何？")

    await client.runs.wait(
        thread_id, "agent", input=weather, context=FAST, interrupt_before=["tools"]
    )
    paused = await client.threads.get_state(thread_id)
    resumed = await client.runs.wait(thread_id, "agent", input=None, context=FAST)

    assert paused["next"] == ["tools"]
    assert isinstance(resumed, dict)
    assert [m["type"] for m in resumed["messages"]] == ["human", "ai", "tool", "ai"]
    assert "北京：晴，25°C" in resumed["messages"][-1]["content"]


async def test_regenerate_and_fork_from_a_checkpoint(server: Server) -> None:
    """agent-chat-ui's Regenerate: no input, from the checkpoint before the answer; its edit:
    new input from the checkpoint before the question."""
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]
    await client.runs.wait(thread_id, "agent", input=HELLO, context=FAST)
    history_before = await client.threads.get_history(thread_id)
    before_answer = next(h for h in history_before if h["next"] == ["agent"])
    before_question = next(h for h in history_before if h["next"] == ["__start__"])

    again = await client.runs.wait(
        thread_id, "agent", input=None, checkpoint=before_answer["checkpoint"], context=FAST
    )
    edited = await client.runs.wait(
        thread_id,
        "agent",
        input=user("count to 2"),
        checkpoint=before_question["checkpoint"],
        context=FAST,
    )

    assert isinstance(again, dict) and [m["content"] for m in again["messages"]] == [
        "count to 3",
        "1 2 3",
    ]
    assert isinstance(edited, dict) and [m["content"] for m in edited["messages"]] == [
        "count to 2",
        "1 2",
    ]
    assert len(await client.threads.get_history(thread_id, limit=100)) > len(history_before)


async def test_a_repeated_tool_answer_is_dropped(server: Server) -> None:
    """agent-chat-ui answers a tool call it believes unanswered (after its Cancel, whose run
    went on) with a message of its own: the thread keeps the real answer only."""
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]
    done = await client.runs.wait(thread_id, "agent", input=user("北京天气如何？"), context=FAST)
    assert isinstance(done, dict)
    call_id = done["messages"][1]["tool_calls"][0]["id"]
    synthetic = {
        "type": "tool",
        "content": "Successfully handled tool call.",
        "tool_call_id": call_id,
    }

    answer = await client.runs.wait(
        thread_id,
        "agent",
        input=history(synthetic, {"type": "human", "content": "count to 2"}),
        context=FAST,
    )

    assert isinstance(answer, dict) and answer["messages"][-1]["content"] == "1 2"
    tools = [m for m in answer["messages"] if m["type"] == "tool"]
    assert [m["content"] for m in tools] == ["北京：晴，25°C"]
    assert await thread_problem(client, thread_id) is None


async def test_a_call_the_thread_left_open_is_closed_before_the_next_message(
    server: Server,
) -> None:
    """A thread can hold an unanswered call (written by another tool, or by a server that
    stopped without settling): the next message stores a "cancelled" result before itself."""
    client = get_client(url=server.url)
    thread_id = (await client.threads.create(graph_id="agent"))["thread_id"]
    await client.threads.update_state(
        thread_id,
        {"messages": asked_weather()["messages"][:2]},
        as_node="agent",
    )
    assert await thread_problem(client, thread_id) is not None

    answer = await client.runs.wait(thread_id, "agent", input=user("count to 2"), context=FAST)

    assert isinstance(answer, dict)
    assert [m["type"] for m in answer["messages"]] == ["human", "ai", "tool", "human", "ai"]
    assert answer["messages"][2]["content"] == CANCELLED_TEXT
    assert await thread_problem(client, thread_id) is None
    assert json.dumps(answer, ensure_ascii=False).count(CANCELLED_TEXT) == 1


async def test_an_answer_queued_while_the_call_is_still_running_is_dropped(
    server: Server,
) -> None:
    """agent-chat-ui's Cancel only disconnects: its run goes on, and its next message (queued
    behind that run) answers the call itself. Only the merge when that run starts can tell."""
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]
    queued = None
    async for part in client.runs.stream(
        thread_id,
        "agent",
        input=user("分析用户数据"),
        context={**FAST, "tool_step_delay": 0.5},
        stream_mode="updates",
    ):
        if part.event == "updates" and "agent" in part.data and queued is None:
            [call] = part.data["agent"]["messages"][-1]["tool_calls"]
            synthetic = {"type": "tool", "content": "Done.", "tool_call_id": call["id"]}
            queued = await client.runs.create(
                thread_id,
                "agent",
                input=history(synthetic, {"type": "human", "content": "count to 2"}),
                context=FAST,
                multitask_strategy="enqueue",
            )
    assert queued is not None
    await client.runs.join(thread_id, queued["run_id"])

    saved = (await client.threads.get_state(thread_id))["values"]["messages"]
    assert [m["type"] for m in saved] == ["human", "ai", "tool", "ai", "human", "ai"]
    assert "用户数据" in saved[2]["content"] and saved[-1]["content"] == "1 2"
    assert await thread_problem(client, thread_id) is None
