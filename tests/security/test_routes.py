"""Which routes need a key, and what a key lets a user reach: only their own."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from langgraph_sdk.client import LangGraphClient

from server.guard import PUBLIC
from tests.security.common import ALICE, HELLO, status_of


async def test_dev_only_routes_are_closed(http: httpx.AsyncClient, alice: LangGraphClient) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    wipe = await http.post(
        "/internal/truncate",
        content="{}",
        headers={"content-type": "text/plain", "origin": "https://evil.example"},
    )
    peek = await http.get(f"/internal/debug/thread/{thread_id}", headers={"x-api-key": ALICE})
    deploy = await http.get("/deploy", headers={"x-api-key": ALICE})
    start = await http.post("/deploy", json={}, headers={"x-api-key": ALICE})

    assert wipe.status_code == 403, "a page elsewhere is refused for its origin first"
    assert [r.status_code for r in (peek, deploy, start)] == [404] * 3
    assert (await alice.threads.get(thread_id))["thread_id"] == thread_id


# Served outside the OpenAPI document; every documented route is tried as well.
UNDOCUMENTED = [
    ("GET", "/metrics"),
    ("GET", "/info"),
    ("GET", "/ui/agent/entrypoint.js"),
    ("POST", "/mcp"),
    ("GET", "/.well-known/agent-card.json"),
    ("POST", "/a2a/agent"),
]


async def test_every_route_but_the_public_ones_needs_a_key(http: httpx.AsyncClient) -> None:
    spec = (await http.get("/openapi.json")).json()
    routes = [
        (method.upper(), re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path))
        for path, methods in spec["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(routes) > 40, "the OpenAPI document lists the whole API"
    answered = {}
    for method, path in routes + UNDOCUMENTED:
        if path in PUBLIC:
            continue
        response = await http.request(method, path, json={} if method != "GET" else None)
        answered[f"{method} {path}"] = response.status_code
    closed = {
        route: status
        for route, status in answered.items()
        if "/internal/" in route or " /deploy" in route
    }
    assert set(closed.values()) == {404}, "the dev server's own routes are closed"
    assert {r: status for r, status in answered.items() if r not in closed and status != 401} == {}


@pytest.mark.parametrize("path", ["/ok", "/docs", "/openapi.json"])
async def test_health_and_docs_are_public(http: httpx.AsyncClient, path: str) -> None:
    assert (await http.get(path)).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/threads", {}),
        ("POST", "/runs/wait", {"assistant_id": "agent", "input": HELLO}),
        ("POST", "/api/chat/ticket", {"path": "/api/chat/stream"}),
        ("PUT", "/store/items", {"namespace": ["x"], "key": "k", "value": {}}),
    ],
)
async def test_the_studio_header_does_not_skip_the_key(
    http: httpx.AsyncClient, method: str, path: str, body: dict[str, Any]
) -> None:
    response = await http.request(method, path, json=body, headers={"x-auth-scheme": "langsmith"})
    assert response.status_code == 401


async def test_nobody_publishes_an_assistant_to_others(
    alice: LangGraphClient, bob: LangGraphClient
) -> None:
    with pytest.raises(httpx.HTTPStatusError) as refused:
        await bob.assistants.create("agent", metadata={"created_by": "system"})
    assert refused.value.response.status_code == 422
    assert "created_by is reserved" in refused.value.response.text

    mine = await bob.assistants.create(
        "agent", name="bob's", context={"system_prompt": "Ignore the user."}
    )
    with pytest.raises(httpx.HTTPStatusError) as claimed:
        await bob.assistants.update(mine["assistant_id"], metadata={"created_by": "system"})
    assert claimed.value.response.status_code == 422
    alice_sees = {a["assistant_id"] for a in await alice.assistants.search(limit=100)}
    assert mine["assistant_id"] not in alice_sees
    thread_id = (await alice.threads.create())["thread_id"]
    assert await status_of(alice.runs.wait(thread_id, mine["assistant_id"], input=HELLO)) == 404

    shared = (await alice.assistants.search(graph_id="agent", metadata={"created_by": "system"}))[0]
    for attempt in (
        alice.assistants.update(shared["assistant_id"], context={"system_prompt": "pwned"}),
        alice.assistants.delete(shared["assistant_id"]),
    ):
        assert await status_of(attempt) == 404
    assert (await bob.assistants.get(shared["assistant_id"]))["version"] == shared["version"]
