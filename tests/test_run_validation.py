"""What the runs API accepts (``server/run_checks.py``): what LangGraph and LangChain clients send
runs; what would break a thread is refused with a 422 before a run is queued."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from agent.history import CANCELLED
from harness.server import Server
from tests.reliability.accounting import thread_problem as stored_thread_problem

FAST = {"offline_token_delay": 0, "tool_step_delay": 0}
HELLO = {"messages": [{"role": "user", "content": "count to 3"}]}
WEATHER_CALL = {"id": "call_1", "name": "get_weather", "args": {"city": "北京"}}


def user(content: object) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": content}]}


def history(*messages: dict[str, Any]) -> dict[str, Any]:
    return {"messages": list(messages)}


def asked_weather(answer: dict[str, Any] | None = None, ask: str = "count to 2") -> dict[str, Any]:
    """A history where the assistant called get_weather, then ``answer`` (if any), then ``ask``."""
    messages = [
        {"role": "user", "content": "北京天气如何？"},
        {"role": "assistant", "content": "", "tool_calls": [WEATHER_CALL]},
    ]
    return history(*messages, *([answer] if answer else []), {"role": "user", "content": ask})


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"input": {"messages": []}}, 'input must be {"messages"'),
        ({"input": {"question": "hi"}}, 'input must be {"messages"'),
        ({"input": {"messages": "  "}}, "input.messages[0].content is empty"),
        ({"input": user("")}, "input.messages[0].content is empty"),
        ({"input": user([{"type": "text", "text": " "}])}, "content is empty"),
        ({"input": user("x" * 32_001)}, "32001 characters long; the limit is 32000"),
        ({"input": user([{"type": "text", "text": "x" * 32_001}])}, "the limit is 32000"),
        ({"input": user([{"type": "text"}])}, "content[0].text must be a string"),
        ({"input": user([42])}, 'content[0] must be a content block with a "type"'),
        ({"input": user({"text": "hi"})}, "must be a string or a list of content blocks"),
        ({"input": history({"role": "wizard", "content": "hi"})}, "unknown role 'wizard'"),
        ({"input": history({"role": "user", "content": "hi", "id": 7})}, ".id must be a string"),
        ({"input": {"messages": ["hi", 5]}}, "input.messages[1] must be an object"),
        ({"input": history({"role": "user"})}, "input.messages[0] has no content"),
        (
            {"input": history({"role": "assistant", "content": "hi"})},
            "the last input message must be the user's",
        ),
        (
            {"input": asked_weather({"role": "tool", "content": "晴"})},
            "input.messages[2] is a tool message without a tool_call_id",
        ),
        (
            {
                "input": history(
                    {"role": "tool", "content": "晴", "tool_call_id": "x"}, *user("hi")["messages"]
                )
            },
            "answers tool call 'x', which no open assistant message made",
        ),
        ({"input": asked_weather()}, "have no tool message before input.messages[2]"),
        (
            {
                "input": history(
                    {
                        "role": "assistant",
                        "content": "",
                        "tool_calls": [{**WEATHER_CALL, "args": "北京"}],
                    },
                    {"role": "user", "content": "hi"},
                )
            },
            "tool_calls[0]: the arguments must be a JSON object",
        ),
        (
            {
                "input": history(
                    {"role": "assistant", "content": "", "tool_calls": WEATHER_CALL},
                    {"role": "user", "content": "hi"},
                )
            },
            "input.messages[0].tool_calls must be a list",
        ),
        (
            {
                "input": history(
                    {
                        "role": "assistant",
                        "content": None,
                        "tool_calls": [
                            {
                                "id": "c",
                                "type": "function",
                                "function": {"name": "f", "arguments": "{"},
                            }
                        ],
                    },
                    {"role": "user", "content": "hi"},
                )
            },
            "function.arguments is not valid JSON",
        ),
        ({"input": None, "command": {"goto": "elsewhere"}}, "unknown node(s) ['elsewhere']"),
        ({"input": HELLO, "context": {"tool_step_delay": "slow"}}, "must be a number >= 0"),
        ({"input": HELLO, "context": {"tool_step_delay": -1}}, "must be a number from 0 to 60"),
        ({"input": HELLO, "context": {"tool_step_delay": 1e6}}, "must be a number from 0 to 60"),
        ({"input": HELLO, "context": {"model_max_retries": 50}}, "an integer from 0 to 10"),
        ({"input": HELLO, "context": {"temperature": 2}}, "unknown setting(s) in context"),
        (
            {"input": HELLO, "config": {"configurable": {"model_max_retries": 1.5}}},
            "model_max_retries must be an integer",
        ),
    ],
)
async def test_what_would_break_a_thread_is_refused_before_a_run_is_queued(
    server: Server, body: dict[str, Any], detail: str
) -> None:
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]

    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"{server.url}/threads/{thread_id}/runs/stream", json={"assistant_id": "agent", **body}
        )

    assert response.status_code == 422, response.text
    assert detail in response.json()["detail"]
    assert await client.runs.list(thread_id) == []
    # The thread stays usable.
    await client.runs.wait(thread_id, "agent", input=HELLO, context=FAST)
    state = await client.threads.get_state(thread_id)
    assert state["values"]["messages"][-1]["content"] == "1 2 3"


TINY_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
    "DwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(
    "run_input",
    [
        user([{"type": "text", "text": "count to 2"}]),  # agent-chat-ui
        {"messages": "count to 2"},  # MCP's generated schema
        history({"type": "human", "content": "count to 2"}),
        history({"role": "user", "content": ["count ", {"type": "text", "text": "to 2"}]}),
        user(
            [
                {"type": "text", "text": "count to 2"},
                {"type": "image_url", "image_url": {"url": TINY_PNG}},
            ]
        ),
        user(
            [
                {
                    "type": "image",
                    "source_type": "base64",
                    "mime_type": "image/png",
                    "data": TINY_PNG[22:],
                },
                {"type": "text", "text": "count to 2"},
            ]
        ),
        asked_weather({"role": "tool", "content": "北京：晴", "tool_call_id": "call_1"}),
        history(
            {"role": "user", "content": "北京天气如何？"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_9",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "北京"}'},
                    }
                ],
            },
            {"role": "tool", "content": "北京：晴", "tool_call_id": "call_9"},
            {"role": "user", "content": "count to 2"},
        ),
    ],
)
async def test_what_clients_send_runs(server: Server, run_input: dict[str, Any]) -> None:
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]

    answer = await client.runs.wait(thread_id, "agent", input=run_input, context=FAST)

    assert isinstance(answer, dict) and answer["messages"][-1]["content"] == "1 2"
    assert await thread_problem(client, thread_id) is None


async def thread_problem(client: LangGraphClient, thread_id: str) -> str | None:
    state = await client.threads.get_state(thread_id)
    assert isinstance(state["values"], dict)
    return stored_thread_problem(state["values"]["messages"])


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
    assert answer["messages"][2]["content"] == CANCELLED
    assert await thread_problem(client, thread_id) is None
    assert json.dumps(answer, ensure_ascii=False).count(CANCELLED) == 1


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
