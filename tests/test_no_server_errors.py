"""Malformed requests that answered 500 answer a 4xx that says why (issue 20)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from harness.server import Server, langgraph_dev

KEY = "ka-0123456789abcdef"
MCP_HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}
DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_CALL = (
    '{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": '
    + '{"a": ' * 5_000
    + "1"
    + "}" * 5_000
    + "}"
)


@pytest.fixture(scope="module")
def keyed() -> Iterator[Server]:
    with langgraph_dev(env={"AGENT_API_KEYS": f"{KEY}:alice"}) as running:
        yield running


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_CALL], ids=["array", "tools-call"])
async def test_deeply_nested_json_to_mcp_is_a_parse_error(
    server: Server, keyed: Server, body: str
) -> None:
    for running, key in ((server, {}), (keyed, {"x-api-key": KEY})):
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
            answer = await http.post("/mcp", content=body, headers={**MCP_HEADERS, **key})
            assert answer.status_code == 400, answer.text
            assert answer.json()["error"]["code"] == -32700
            listed = await http.post(
                "/mcp",
                json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
                headers={**MCP_HEADERS, **key},
            )
            assert listed.status_code == 200, "the server still answers MCP"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/ui/agent"), ("GET", "/ui/agent/entrypoint.js"), ("POST", "/ui/x/y")],
)
async def test_the_generative_ui_routes_are_not_served(
    keyed: Server, method: str, path: str
) -> None:
    """The project ships no generative UI (``disable_ui``); those routes answered 500."""
    async with httpx.AsyncClient(base_url=keyed.url) as http:
        answer = await http.request(method, path, headers={"x-api-key": KEY})
    assert answer.status_code == 404, answer.text


async def test_deleting_a_thread_that_does_not_exist_is_not_found(
    server: Server, keyed: Server
) -> None:
    """langgraph-runtime-inmem 0.36.7 raised UnboundLocalError (500) deleting a missing thread."""
    for running, key in ((server, {}), (keyed, {"x-api-key": KEY})):
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
            missing = "00000000-0000-4000-8000-000000000000"
            answer = await http.delete(f"/threads/{missing}", headers=key)
            assert answer.status_code == 404, answer.text
            made = (await http.post("/threads", json={}, headers=key)).json()["thread_id"]
            assert (await http.delete(f"/threads/{made}", headers=key)).status_code == 204
            assert (await http.get(f"/threads/{made}", headers=key)).status_code == 404
