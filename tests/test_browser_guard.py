"""A web page the developer visits cannot drive the server, keys on or off (issue 20).

Browsers send ``Origin`` with every cross-site request, WebSocket handshakes included; a
``text/plain`` POST needs no preflight, so CORS alone only hid the answer while the request
ran. A foreign ``Host`` is a DNS-rebinding page reaching the server by its loopback address.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from harness.server import Server, langgraph_dev

EVIL = Origin("https://evil.example")
KEY = "ka-0123456789abcdef"
LISTED_HOST = "agent.test"
CROSS_SITE = [
    ("POST", "/threads", "{}"),
    ("POST", "/runs/crons", '{"assistant_id": "agent", "schedule": "* * * * *"}'),
    ("POST", "/runs/cancel", '{"status": "all"}'),
    ("POST", "/threads/prune", '{"thread_ids": []}'),
    ("POST", "/runs/wait", '{"assistant_id": "agent", "input": {"messages": []}}'),
    ("GET", "/threads/search", ""),
]


def _logged(server: Server, line: str, timeout: float = 30) -> str:
    """The server's log once ``line`` is in it (a request is logged after it is answered)."""
    deadline = time.monotonic() + timeout
    while line not in (log := server.log_text()):
        assert time.monotonic() < deadline, f"not logged: {line}"
        time.sleep(0.05)
    return log


@pytest.fixture(scope="module")
def keyed() -> Iterator[Server]:
    env = {"AGENT_API_KEYS": f"{KEY}:alice", "AGENT_ALLOWED_HOSTS": LISTED_HOST}
    with langgraph_dev(env=env) as running:
        yield running


def _servers(server: Server, keyed: Server) -> list[tuple[Server, dict[str, str]]]:
    return [(server, {}), (keyed, {"x-api-key": KEY})]


async def _thread_count(url: str, headers: dict[str, str]) -> int:
    async with httpx.AsyncClient(base_url=url, headers=headers) as http:
        response = await http.post("/threads/count", json={})
        response.raise_for_status()
        return int(response.json())


@pytest.mark.parametrize(("method", "path", "body"), CROSS_SITE)
async def test_a_cross_site_request_is_refused_before_it_runs(
    server: Server, keyed: Server, method: str, path: str, body: str
) -> None:
    for running, key in _servers(server, keyed):
        before = await _thread_count(running.url, key)
        headers = {"origin": EVIL, "content-type": "text/plain", **key}
        async with httpx.AsyncClient(base_url=running.url) as http:
            response = await http.request(method, path, content=body or None, headers=headers)
        assert response.status_code == 403, (running.url, path, response.text)
        assert "origin" in response.json()["detail"]
        assert await _thread_count(running.url, key) == before


@pytest.mark.parametrize("origin", [None, "http://localhost:5173", "https://smith.langchain.com"])
async def test_allowed_origins_and_clients_without_origin_still_work(
    server: Server, keyed: Server, origin: str | None
) -> None:
    for running, key in _servers(server, keyed):
        headers = {**key, **({"origin": origin} if origin else {})}
        async with httpx.AsyncClient(base_url=running.url, headers=headers) as http:
            created = await http.post("/threads", json={})
        assert created.status_code == 200, created.text


async def test_websockets_from_another_origin_are_refused(server: Server, keyed: Server) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        thread_id = (await http.post("/threads", json={})).json()["thread_id"]
    for running, key in _servers(server, keyed):
        base = running.url.replace("http://", "ws://")
        for path in ("/ws/chat", f"/threads/{thread_id}/stream/events"):
            with pytest.raises(InvalidStatus) as refused:
                async with connect(f"{base}{path}", origin=EVIL, additional_headers=key):
                    pass
            assert refused.value.response.status_code == 403, path
    async with connect(
        f"{server.url.replace('http://', 'ws://')}/ws/chat", origin=Origin("http://localhost:5173")
    ):
        pass


async def test_a_foreign_host_is_refused_and_a_listed_one_served(
    server: Server, keyed: Server
) -> None:
    for running, key in _servers(server, keyed):
        async with httpx.AsyncClient(base_url=running.url, headers=key) as http:
            rebound = await http.get("/ok", headers={"host": "attacker.example"})
            assert rebound.status_code == 403
            assert "AGENT_ALLOWED_HOSTS" in rebound.json()["detail"]
            assert (await http.get("/ok", headers={"host": "localhost"})).status_code == 200
    async with httpx.AsyncClient(base_url=keyed.url) as http:
        assert (await http.get("/ok", headers={"host": f"{LISTED_HOST}:443"})).status_code == 200


async def test_deploy_is_closed_with_keys_off_too(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        for method in ("GET", "POST"):
            response = await http.request(method, "/deploy")
            assert response.status_code == 404, method


async def test_the_access_log_records_no_question_and_no_ticket() -> None:
    env = {"AGENT_API_KEYS": f"{KEY}:alice", "AGENT_TICKET_SECRET": "s" * 40}
    with langgraph_dev(env=env, log_requests=True) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
            issued = await http.post(
                "/api/chat/ticket", json={"path": "/api/chat/stream"}, headers={"x-api-key": KEY}
            )
            ticket = issued.json()["ticket"]
            question = "count to 3, PRIVATE-WORDS"
            params = {"query": question, "ticket": ticket, "context": '{"offline_token_delay": 0}'}
            answered = await http.get("/api/chat/stream", params=params)
        assert answered.status_code == 200
        log = _logged(running, "GET /api/chat/stream")
    assert "PRIVATE-WORDS" not in log
    assert ticket not in log
