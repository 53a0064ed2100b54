"""The agent over A2A: its card, an answer, and tool progress while it works.

The card and ``SendMessage`` go through the official ``a2a-sdk`` client. The streaming test
speaks raw JSON-RPC (``message/stream``, A2A 0.3 shapes): langgraph-api 0.16.7 sends stream
updates as ``{"kind": "status-update", ...}`` even to A2A 1.0 calls, where a 1.0 client expects
``{"statusUpdate": {...}}``, so ``a2a-sdk`` 1.3 reads every update after the first as empty.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from a2a.client import A2ACardResolver, ClientConfig, ClientFactory
from a2a.helpers.proto_helpers import get_artifact_text, new_text_message
from a2a.types import Role, SendMessageRequest, TaskState
from langgraph_sdk import get_client

from agent.tools import TOOLS
from harness.server import Server
from harness.sse import aevents
from tests.ecosystem.eco import system_assistant_id

PROGRESS = re.compile(r"^analyze_dataset: (?P<step>.+) \((?P<percent>\d+)%\)$")


async def test_the_card_describes_the_agent_and_lists_its_tools_as_skills(server: Server) -> None:
    assistant_id = await system_assistant_id(server)
    async with httpx.AsyncClient() as http:
        card = await A2ACardResolver(http, f"{server.url}/a2a/{assistant_id}").get_agent_card()

    assert card.name == "agent"
    assert all(tool.name in card.description for tool in TOOLS)
    skills = {skill.id: skill for skill in card.skills}
    for tool in TOOLS:
        assert skills[tool.name].description == tool.description
        assert skills[tool.name].examples
    assert card.supported_interfaces[0].url == f"{server.url}/a2a/{assistant_id}"


async def test_each_skill_example_calls_its_tool(server: Server) -> None:
    assistant_id = await system_assistant_id(server)
    async with httpx.AsyncClient() as http:
        card = (
            await http.get(f"{server.url}/a2a/{assistant_id}/.well-known/agent-card.json")
        ).json()
    client = get_client(url=server.url)

    tool_skills = [skill for skill in card["skills"] if skill["id"] in {t.name for t in TOOLS}]
    assert len(tool_skills) == len(TOOLS)
    for skill in tool_skills:
        for example in skill["examples"]:
            output = await client.runs.wait(
                None,
                "agent",
                input={"messages": [{"role": "user", "content": example}]},
                context={"tool_step_delay": 0, "offline_token_delay": 0},
            )
            called = [c["name"] for m in output["messages"] for c in m.get("tool_calls") or []]
            assert called == [skill["id"]], example


async def test_send_message_returns_the_answer(server: Server) -> None:
    assistant_id = await system_assistant_id(server)
    async with httpx.AsyncClient(timeout=60) as http:
        factory = ClientFactory(ClientConfig(httpx_client=http, streaming=False))
        client = await factory.create_from_url(f"{server.url}/a2a/{assistant_id}")
        message = new_text_message("北京天气如何？", role=Role.ROLE_USER)
        events = [e async for e in client.send_message(SendMessageRequest(message=message))]

    (event,) = events
    assert event.task.status.state == TaskState.TASK_STATE_COMPLETED
    answer = get_artifact_text(event.task.artifacts[0])
    assert "北京：晴，25°C" in answer


async def stream_message(server: Server, assistant_id: str, text: str) -> list[dict[str, Any]]:
    request = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "message/stream",
        "params": {
            "message": {
                "role": "user",
                "parts": [{"kind": "text", "text": text}],
                "messageId": "m-1",
            }
        },
    }
    results = []
    async with (
        httpx.AsyncClient(timeout=60) as http,
        http.stream(
            "POST",
            f"{server.url}/a2a/{assistant_id}",
            json=request,
            headers={"accept": "text/event-stream"},
        ) as response,
    ):
        async for event in aevents(response):
            results.append(event["result"])
    return results


def status_texts(results: list[dict[str, Any]]) -> list[str]:
    return [
        part["text"]
        for r in results
        if r.get("kind") == "status-update" and "message" in r["status"]
        for part in r["status"]["message"]["parts"]
        if part.get("kind") == "text"
    ]


async def test_the_stream_carries_tool_progress_then_the_answer(server: Server) -> None:
    assistant_id = await system_assistant_id(server)

    results = await stream_message(server, assistant_id, "分析用户数据")

    texts = status_texts(results)
    progress = [int(m["percent"]) for t in texts if (m := PROGRESS.match(t))]
    assert progress == [0, 20, 40, 60, 80, 100]
    first_answer = next(i for i, t in enumerate(texts) if not PROGRESS.match(t))
    assert all(PROGRESS.match(t) for t in texts[:first_answer]), "progress comes before the answer"
    artifact = next(r for r in results if r.get("kind") == "artifact-update")["artifact"]
    answer = "".join(part["text"] for part in artifact["parts"] if part.get("kind") == "text")
    assert "数据集「用户数据」" in answer and "analyze_dataset:" not in answer
    assert results[-1]["status"]["state"] == "completed"
    # Progress is streamed, not stored: the thread (the A2A context) holds the conversation only.
    state = await get_client(url=server.url).threads.get_state(results[0]["contextId"])
    assert not [m for m in state["values"]["messages"] if "analyze_dataset:" in str(m["content"])]


async def test_other_clients_get_progress_as_custom_events_only(server: Server) -> None:
    client = get_client(url=server.url)
    parts = [
        part
        async for part in client.runs.stream(
            None,
            "agent",
            input={"messages": [{"role": "user", "content": "分析用户数据"}]},
            stream_mode=["messages-tuple", "custom"],
            context={"tool_step_delay": 0},
        )
    ]

    assert len([p for p in parts if p.event == "custom"]) == 6
    assert not [p for p in parts if p.event == "messages" and "analyze_dataset:" in str(p.data)]


async def test_the_context_id_continues_the_conversation(server: Server) -> None:
    assistant_id = await system_assistant_id(server)
    async with httpx.AsyncClient(timeout=60) as http:
        factory = ClientFactory(ClientConfig(httpx_client=http, streaming=False))
        client = await factory.create_from_url(f"{server.url}/a2a/{assistant_id}")
        first = new_text_message("北京天气如何？", role=Role.ROLE_USER)
        (event,) = [e async for e in client.send_message(SendMessageRequest(message=first))]
        second = new_text_message("count to 3", role=Role.ROLE_USER)
        second.context_id = event.task.context_id
        (reply,) = [e async for e in client.send_message(SendMessageRequest(message=second))]

    assert get_artifact_text(reply.task.artifacts[0]) == "1 2 3"
    state = await get_client(url=server.url).threads.get_state(event.task.context_id)
    humans = [m["content"] for m in state["values"]["messages"] if m["type"] == "human"]
    assert humans == ["北京天气如何？", "count to 3"]
