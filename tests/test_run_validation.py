"""What the runs API accepts (``server/run_checks.py``): what LangGraph and LangChain clients send
runs; what would break a thread is refused with a 422 before a run is queued."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client

from harness.server import Server
from tests.run_inputs import FAST, HELLO, WEATHER_CALL, asked_weather, history, thread_problem, user


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

    assert isinstance(answer, dict)
    reply = answer["messages"][-1]["content"]
    noted = "I received 1 attachment: image 1 (PNG image, 1×1).\n\n"
    assert reply == (noted if "image" in json.dumps(run_input) else "") + "1 2"
    assert await thread_problem(client, thread_id) is None
