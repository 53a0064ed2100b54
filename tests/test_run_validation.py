"""Bad run input is refused with a 422 before a run is queued (``agent/auth.py`` handlers)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client

from tests.langgraph_server import Server

HELLO = {"messages": [{"role": "user", "content": "count to 3"}]}


def user(content: object) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": content}]}


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"input": None}, 'input must be {"messages"'),
        ({"input": {"messages": []}}, 'input must be {"messages"'),
        ({"input": {"question": "hi"}}, 'input must be {"messages"'),
        ({"input": user("")}, "input.messages[0].content is empty"),
        ({"input": user("x" * 32_001)}, "32001 characters long; the limit is 32000"),
        ({"input": user([{"type": "text", "text": "hi"}])}, "content must be a string"),
        ({"input": {"messages": [{"role": "wizard", "content": "hi"}]}}, "unknown role 'wizard'"),
        ({"input": {"messages": ["hi"]}}, "must be an object"),
        (
            {"input": {"messages": [{"role": "assistant", "content": "hi"}]}},
            "the last input message must be the user's",
        ),
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
async def test_bad_run_input_is_refused_before_a_run_is_queued(
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
    await client.runs.wait(thread_id, "agent", input=HELLO, context={"offline_token_delay": 0})
    state = await client.threads.get_state(thread_id)
    assert state["values"]["messages"][-1]["content"] == "1 2 3"


async def test_stateless_runs_are_checked_too(server: Server) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"{server.url}/runs/wait", json={"assistant_id": "agent", "input": user("  ")}
        )
    assert response.status_code == 422 and "is empty" in response.json()["detail"]


async def test_tool_only_history_and_configurable_settings_pass(server: Server) -> None:
    """What real clients send is not refused: an assistant turn with only tool calls (empty
    content), and settings in ``config.configurable`` as the web app sends them."""
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]
    history = [
        {"role": "user", "content": "北京天气如何？"},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [{"id": "call_1", "name": "get_weather", "args": {"city": "北京"}}],
        },
        {"role": "tool", "content": "北京：晴，25°C", "tool_call_id": "call_1"},
        {"role": "user", "content": "count to 2"},
    ]

    await client.runs.wait(
        thread_id,
        "agent",
        input={"messages": history},
        config={"configurable": {"offline_token_delay": 0, "thread_id": thread_id}},
    )

    state = await client.threads.get_state(thread_id)
    assert state["values"]["messages"][-1]["content"] == "1 2"
