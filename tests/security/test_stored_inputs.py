"""Every write that stores what a caller sent is bounded, keys on and off (issue 20): metadata,
store values, state updates, decisions, command updates in both forms, assistants' settings,
the recursion limit and the body itself. A refusal stores nothing; the thread stays usable."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client

from harness.server import Server
from tests.security.common import ALICE, FAST, HELLO

BIG = "x" * 70_000
"""Over the 64 kB of metadata, and over twice the 32,000-character message cap."""


def _keyed(server: Server, secure: Server) -> list[tuple[str, dict[str, str]]]:
    return [(server.url, {}), (secure.url, {"x-api-key": ALICE})]


async def _thread(http: httpx.AsyncClient) -> str:
    created = await http.post("/threads", json={})
    created.raise_for_status()
    return str(created.json()["thread_id"])


WRITES: list[tuple[str, str, dict[str, Any], str]] = [
    ("POST", "/threads", {"metadata": {"note": BIG}}, "metadata is"),
    ("PATCH", "/threads/{thread}", {"metadata": {"note": BIG}}, "metadata is"),
    ("POST", "/assistants", {"graph_id": "agent", "metadata": {"n": BIG}}, "metadata is"),
    ("POST", "/assistants", {"graph_id": "agent", "context": {"x": "y" * 1_100_000}}, "context"),
    ("POST", "/assistants",
     {"graph_id": "agent", "config": {"configurable": {"x": "y" * 1_100_000}}}, "config is"),
    ("PUT", "/store/items", {"namespace": ["notes"], "key": "k", "value": {"v": "y" * 1_100_000}},
     "value is"),
    ("POST", "/threads/{thread}/runs/wait",
     {"assistant_id": "agent", "input": HELLO, "metadata": {"n": BIG}}, "metadata is"),
    ("POST", "/threads/{thread}/runs/wait",
     {"assistant_id": "agent", "input": HELLO, "config": {"recursion_limit": 1_000_000_000}},
     "recursion_limit"),
    ("POST", "/threads/{thread}/runs/wait",
     {"assistant_id": "agent", "command": {"resume": {"decisions": [
         {"type": "edit", "edited_action": {"name": "get_weather", "args": {"city": BIG}}}]}}},
     "command.resume is"),
    ("POST", "/threads/{thread}/runs/wait",
     {"assistant_id": "agent", "command": {"update": [["messages", [
         {"role": "assistant", "content": "", "tool_calls": [{"name": "get_weather"}]}]]]}},
     "command.update.messages"),
    ("POST", "/threads/{thread}/runs/wait",
     {"assistant_id": "agent", "command": {"update": [["messages", [
         {"role": "user", "content": "y" * 40_000}]]]}}, "the limit is 32000"),
    ("POST", "/threads/{thread}/state",
     {"values": {"messages": [{"role": "user", "content": "y" * 40_000}]}}, "the limit is 32000"),
    ("POST", "/runs/crons",
     {"assistant_id": "agent", "schedule": "0 0 * * *", "input": HELLO, "metadata": {"n": BIG}},
     "metadata is"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body", "detail"), WRITES)
async def test_an_oversized_or_malformed_write_stores_nothing(
    server: Server, secure: Server, method: str, path: str, body: dict[str, Any], detail: str
) -> None:
    for url, key in _keyed(server, secure):
        async with httpx.AsyncClient(base_url=url, headers=key, timeout=30) as http:
            thread = await _thread(http)
            before = (await http.post("/threads/count", json={})).json()
            answer = await http.request(method, path.format(thread=thread), json=body)
            assert answer.status_code == 422, (url, path, answer.text)
            assert detail in answer.json()["detail"], answer.text
            assert (await http.post("/threads/count", json={})).json() == before
            assert (await http.get(f"/threads/{thread}/runs")).json() == []
            stored = await http.get(f"/threads/{thread}/state")
            assert stored.status_code == 200 and not stored.json()["values"]
            client = get_client(url=url, api_key=key.get("x-api-key"))
            answered = await client.runs.wait(thread, "agent", input=HELLO, context=FAST)
            assert isinstance(answered, dict) and answered["messages"][-1]["content"] == "1 2 3"
            await client.aclose()


async def test_a_body_over_the_cap_is_413_before_it_is_read(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        answer = await http.post("/threads", content=b"{" + b" " * (33 * 2**20) + b"}")
    assert answer.status_code == 413
    assert "AGENT_MAX_BODY_BYTES" in answer.json()["detail"]


async def test_a_run_may_pick_only_the_servers_models(secure: Server) -> None:
    """By default only the configured model: another is billed to the server's key."""
    async with httpx.AsyncClient(base_url=secure.url, headers={"x-api-key": ALICE}) as http:
        thread = await _thread(http)
        for context in ({"model": "openai:gpt-4o"}, {"model": "anthropic:claude-opus"}):
            body = {"assistant_id": "agent", "input": HELLO, "context": context}
            answer = await http.post(f"/threads/{thread}/runs/wait", json=body)
            assert answer.status_code == 422, answer.text
            assert "AGENT_ALLOWED_MODELS" in answer.json()["detail"]
        body = {"assistant_id": "agent", "input": HELLO, "context": {"model": "offline", **FAST}}
        assert (await http.post(f"/threads/{thread}/runs/wait", json=body)).status_code == 200
        other = {"graph_id": "agent", "context": {"model": "x:y"}}
        refused = await http.post("/assistants", json=other)
        assert refused.status_code == 422
