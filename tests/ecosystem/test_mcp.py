"""The agent as an MCP tool: the official ``mcp`` client against ``langgraph dev``'s ``/mcp``.

The server runs with API keys for alice and bob; calls carry ``x-api-key``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client
from mcp.shared.exceptions import MCPError

from agent.tools import TOOLS
from harness.server import Server
from tests.ecosystem.eco import ALICE, BOB, key_headers, keyed_server, mcp_session

PROVIDER_KEY = "sk-mcp-test-0123456789abcdef"
WEATHER = {"messages": [{"role": "user", "content": "北京天气如何？"}]}


@pytest.fixture(scope="module")
def keyed() -> Iterator[Server]:
    # An OpenAI-compatible provider that refuses connections, for runs that ask for it.
    env = {
        "OPENAI_API_KEY": PROVIDER_KEY,
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
        "AGENT_ALLOWED_MODELS": "offline,openai:gpt-4o-mini",
    }
    with keyed_server(AGENT_TOOL_STEP_DELAY="0", **env) as server:
        yield server


async def rpc(
    server: Server, key: str | None, method: str, params: dict[str, Any], **headers: str
) -> httpx.Response:
    """One raw JSON-RPC request, for what the official client will not send."""
    async with httpx.AsyncClient(timeout=60) as http:
        return await http.post(
            f"{server.url}/mcp",
            json={"jsonrpc": "2.0", "id": 7, "method": method, "params": params},
            headers={
                "accept": "application/json, text/event-stream",
                **key_headers(key),
                **headers,
            },
        )


def text_of(result: Any) -> str:
    assert len(result.content) == 1 and result.content[0].type == "text"
    return str(result.content[0].text)


async def test_the_agent_is_listed_with_an_input_schema_and_a_useful_description(
    keyed: Server,
) -> None:
    async with mcp_session(keyed, ALICE) as session:
        tools = (await session.list_tools()).tools

    (agent,) = [tool for tool in tools if tool.name == "agent"]
    assert agent.input_schema["required"] == ["messages"]
    assert agent.input_schema["properties"]["messages"]["type"] == "string"
    for tool in TOOLS:
        assert tool.name in (agent.description or "")


async def test_a_call_returns_the_answer_as_text(keyed: Server) -> None:
    async with mcp_session(keyed, ALICE) as session:
        result = await session.call_tool("agent", WEATHER)

    assert not result.is_error
    client = get_client(url=keyed.url, api_key=ALICE)
    output = await client.runs.wait(None, "agent", input=WEATHER)
    assert text_of(result) == output["messages"][-1]["content"]
    assert "北京：晴，25°C" in text_of(result)


async def test_the_schema_form_a_single_string_works(keyed: Server) -> None:
    """What a model reads in the input schema: ``messages`` is the question as one string."""
    async with mcp_session(keyed, ALICE) as session:
        result = await session.call_tool("agent", {"messages": "分析用户数据"})

    assert not result.is_error, text_of(result)
    assert "数据集「用户数据」" in text_of(result)


@pytest.mark.parametrize(
    ("arguments", "detail"),
    [
        ({}, 'arguments must be {"messages"'),
        ({"messages": []}, 'input must be {"messages"'),
        ({"messages": [{"role": "user", "content": " "}]}, "is empty"),
        ({"messages": [{"role": "user", "content": "x" * 32_001}]}, "the limit is 32000"),
        ({"messages": [{"role": "assistant", "content": "hi"}]}, "must be the user's"),
    ],
)
async def test_bad_arguments_are_a_tool_error(
    keyed: Server, arguments: dict[str, Any], detail: str
) -> None:
    async with mcp_session(keyed, ALICE) as session:
        result = await session.call_tool("agent", arguments)

    assert result.is_error
    assert detail in text_of(result)


@pytest.mark.parametrize(
    "params",
    [
        {"name": "agent", "arguments": ["not", "an", "object"]},
        {"name": "agent", "arguments": WEATHER, "context": {"tool_step_delay": -1}},
        {"name": "agent", "arguments": WEATHER, "context": {"temperature": 2}},
    ],
)
async def test_what_the_client_library_would_not_send_is_a_tool_error_too(
    keyed: Server, params: dict[str, Any]
) -> None:
    response = await rpc(keyed, ALICE, "tools/call", params)

    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert result["isError"] is True
    assert result["content"][0]["text"]


async def test_a_failed_run_is_a_tool_error_without_the_provider_key(keyed: Server) -> None:
    params = {
        "name": "agent",
        "arguments": WEATHER,
        "context": {"model": "openai:gpt-4o-mini", "model_max_retries": 0},
    }
    response = await rpc(keyed, ALICE, "tools/call", params)

    result = response.json()["result"]
    assert result["isError"] is True
    assert "Could not reach the model provider" in result["content"][0]["text"]
    assert PROVIDER_KEY not in response.text and PROVIDER_KEY not in keyed.log_text()


async def test_an_unknown_tool_is_a_protocol_error(keyed: Server) -> None:
    async with mcp_session(keyed, ALICE) as session:
        with pytest.raises(MCPError, match="Unknown tool: nope"):
            await session.call_tool("nope", WEATHER)


async def test_keys_and_ownership_apply(keyed: Server) -> None:
    bob = get_client(url=keyed.url, api_key=BOB)
    # An MCP tool name is the assistant's name with spaces as _ and other characters dropped.
    await bob.assistants.create("agent", name="bobs helper!", description="Bob's own agent")

    async with mcp_session(keyed, BOB) as session:
        assert "bobs_helper" in {tool.name for tool in (await session.list_tools()).tools}
        assert not (await session.call_tool("bobs_helper", WEATHER)).is_error
    async with mcp_session(keyed, ALICE) as session:
        assert "bobs_helper" not in {tool.name for tool in (await session.list_tools()).tools}
        with pytest.raises(MCPError, match="Unknown tool: bobs_helper"):
            await session.call_tool("bobs_helper", WEATHER)

    for key in (None, "wrong-key"):
        listed = await rpc(keyed, key, "tools/list", {})
        called = await rpc(keyed, key, "tools/call", {"name": "agent", "arguments": WEATHER})
        assert (listed.status_code, called.status_code) == (401, 401)
        assert "result" not in called.json()


async def test_a_browser_client_can_read_the_answer(keyed: Server) -> None:
    """The tools/call answer carries the same CORS headers as the rest of the API."""
    origin = "http://localhost:6274"
    response = await rpc(
        keyed, ALICE, "tools/call", {"name": "agent", "arguments": WEATHER}, origin=origin
    )

    assert response.headers["access-control-allow-origin"] == origin
    assert json.loads(response.text)["result"]["content"][0]["type"] == "text"


async def notify(server: Server, key: str, method: str, params: dict[str, Any]) -> None:
    """A JSON-RPC notification (no id), as an older MCP client sends its cancellations."""
    async with httpx.AsyncClient(timeout=60) as http:
        await http.post(
            f"{server.url}/mcp",
            json={"jsonrpc": "2.0", "method": method, "params": params},
            headers={"accept": "application/json, text/event-stream", **key_headers(key)},
        )


def logged(server: Server, what: str) -> int:
    """How often the server logged ``what`` (its worker logs each run's start and outcome)."""
    return server.log_text().count(what)


async def eventually(check: Callable[[], bool], what: str) -> None:
    """Poll until ``check`` holds; the deadline only guards against a hang."""
    deadline = asyncio.get_running_loop().time() + 30
    while not check():
        assert asyncio.get_running_loop().time() < deadline, f"never happened: {what}"
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("how", ["notification", "disconnect"])
async def test_a_cancelled_call_cancels_its_run(keyed: Server, how: str) -> None:
    started, stopped = logged(keyed, "Starting background run"), logged(keyed, "run interrupted")
    # The weather tool waits 60 s between its steps: a run that went on would end long after.
    slow = {"name": "agent", "arguments": WEATHER, "context": {"tool_step_delay": 60}}
    call = asyncio.create_task(rpc(keyed, ALICE, "tools/call", slow))
    await eventually(lambda: logged(keyed, "Starting background run") > started, "a run started")

    if how == "notification":
        await notify(keyed, ALICE, "notifications/cancelled", {"requestId": 7})
    else:
        call.cancel()  # the newer MCP protocol's cancellation: the request's stream closes
    await eventually(lambda: logged(keyed, "run interrupted") > stopped, "the run was cancelled")
    with contextlib.suppress(asyncio.CancelledError):
        await call


async def test_an_assistant_that_waits_for_approval_is_a_clear_tool_error(keyed: Server) -> None:
    alice = get_client(url=keyed.url, api_key=ALICE)
    await alice.assistants.create(
        "agent", name="careful helper", context={"approve_tools": ["get_weather"]}
    )
    before = len(await alice.threads.search(limit=100))

    async with mcp_session(keyed, ALICE) as session:
        result = await session.call_tool("careful_helper", WEATHER)

    assert result.is_error and "cannot be resumed" in text_of(result)
    assert "__interrupt__" not in text_of(result)
    assert len(await alice.threads.search(limit=100)) == before, "nothing is left half-done"
    await alice.aclose()
