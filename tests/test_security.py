"""What an attacker tried against ``langgraph dev`` with API keys on, as regression tests.

Every request goes to the test's own server on loopback; the webhook tests prove that the
server refuses internal targets before it could connect anywhere.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Iterator
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import NotFoundError

from harness.server import ROOT, Server, langgraph_dev
from server.api_keys import load_api_keys
from server.guard import PUBLIC
from server.validation import InputError
from server.webhooks import check_webhook

ALICE, BOB = "ka-0123456789abcdef", "kb-fedcba9876543210"
HELLO = {"messages": [{"role": "user", "content": "count to 3"}]}
FAST = {"offline_token_delay": 0}
SLOW = {"offline_token_delay": 0, "tool_step_delay": 5}
"""分析用户数据 then takes 25 s: long enough to hold a run while the test looks."""
SECRET = "s" * 40


@pytest.fixture(scope="module")
def secure() -> Iterator[Server]:
    env = {
        "AGENT_API_KEYS": f"{ALICE}:alice,{BOB}:bob",
        "AGENT_TICKET_SECRET": SECRET,
        "AGENT_MAX_ACTIVE_RUNS_PER_USER": "2",
        "AGENT_DIRECT_MAX_STREAMS": "4",
        # Listed, yet still refused: internal addresses are never called.
        "AGENT_WEBHOOK_DOMAINS": "127.0.0.1,localhost,10.0.0.1,169.254.169.254",
    }
    with langgraph_dev(env=env) as running:
        yield running


@pytest.fixture
async def alice(secure: Server) -> AsyncIterator[LangGraphClient]:
    client = get_client(url=secure.url, api_key=ALICE)
    yield client
    await client.aclose()


@pytest.fixture
async def bob(secure: Server) -> AsyncIterator[LangGraphClient]:
    client = get_client(url=secure.url, api_key=BOB)
    yield client
    await client.aclose()


@pytest.fixture
async def http(secure: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=secure.url, timeout=30) as client:
        yield client


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

    assert [r.status_code for r in (wipe, peek, deploy, start)] == [404] * 4
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


async def status_of(attempt: Awaitable[Any]) -> int:
    """The HTTP status an SDK call failed with (some raise typed errors, some httpx's)."""
    try:
        await attempt
    except NotFoundError:
        return 404
    except httpx.HTTPStatusError as error:
        return error.response.status_code
    return 200


@contextlib.contextmanager
def listener() -> Iterator[tuple[int, list[object]]]:
    """A TCP port on loopback that records every connection made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.setblocking(False)
    accepted: list[object] = []
    try:
        yield sock.getsockname()[1], accepted
    finally:
        with contextlib.suppress(BlockingIOError):
            accepted.append(sock.accept())
        sock.close()


async def test_internal_webhooks_are_refused_before_any_connection(
    alice: LangGraphClient,
) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    with listener() as (port, accepted):
        targets = [
            f"http://127.0.0.1:{port}/hook",
            f"https://localhost:{port}/hook",
            "https://10.0.0.1/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/hook",
            "/runs/crons",
        ]
        for target in targets:
            with pytest.raises(httpx.HTTPStatusError) as refused:
                await alice.runs.create(thread_id, "agent", input=HELLO, webhook=target)
            assert refused.value.response.status_code == 422, target
    # No run was created, so nothing could call a webhook later; nothing connected meanwhile.
    assert await alice.runs.list(thread_id) == []
    assert accepted == []


async def test_webhooks_are_off_unless_configured(server: Server) -> None:
    client = get_client(url=server.url)
    thread_id = (await client.threads.create())["thread_id"]
    with pytest.raises(httpx.HTTPStatusError) as refused:
        await client.runs.create(thread_id, "agent", input=HELLO, webhook="https://hooks.example")
    assert refused.value.response.status_code == 422
    assert "Webhooks are off" in refused.value.response.text
    assert await client.runs.list(thread_id) == []


@pytest.mark.unit
def test_the_webhook_allow_list() -> None:
    allowed = ["hooks.example.com", "*.corp.example"]
    check_webhook("https://hooks.example.com/a", allowed)
    check_webhook("https://ci.corp.example/a", allowed)
    for refused in [
        "https://evil.example/a",
        "https://corp.example.evil/a",
        "ftp://hooks.example.com/a",
        "https://192.168.1.10/a",
        "https://[fd00::1]/a",
        "https://0.0.0.0/a",
        "https://app.localhost/a",
    ]:
        with pytest.raises(InputError):
            check_webhook(refused, [*allowed, "192.168.1.10", "app.localhost"])


async def test_one_user_cannot_fill_every_worker(
    alice: LangGraphClient, bob: LangGraphClient
) -> None:
    slow = {"messages": [{"role": "user", "content": "分析用户数据"}]}
    threads = [(await alice.threads.create())["thread_id"] for _ in range(3)]
    runs = [await alice.runs.create(t, "agent", input=slow, context=SLOW) for t in threads[:2]]
    try:
        with pytest.raises(httpx.HTTPStatusError) as refused:
            await alice.runs.create(threads[2], "agent", input=slow, context=SLOW)
        response = refused.value.response
        assert response.status_code == 429
        assert response.headers["retry-after"].isdigit()
        assert "runs in progress" in response.json()["detail"]
        assert await alice.runs.list(threads[2]) == []
        # Bob is not affected.
        bobs = (await bob.threads.create())["thread_id"]
        answer = await bob.runs.wait(bobs, "agent", input=HELLO, context=FAST)
        assert isinstance(answer, dict) and answer["messages"][-1]["content"] == "1 2 3"
    finally:
        for thread_id, run in zip(threads, runs, strict=False):
            await alice.runs.cancel(thread_id, run["run_id"], wait=True)


async def test_one_user_cannot_hold_every_direct_stream(http: httpx.AsyncClient) -> None:
    slow = {"query": "分析用户数据", "context": '{"tool_step_delay": 5}'}
    async with contextlib.AsyncExitStack() as streams:
        for _ in range(2):  # half of AGENT_DIRECT_MAX_STREAMS=4
            held = await streams.enter_async_context(
                http.stream("GET", "/api/chat/stream", params=slow, headers={"x-api-key": ALICE})
            )
            assert held.status_code == 200
        third = await http.get("/api/chat/stream", params=slow, headers={"x-api-key": ALICE})
        bobs = await http.get(
            "/api/chat/stream", params={"query": "count to 2"}, headers={"x-api-key": BOB}
        )

    assert third.status_code == 429 and third.headers["retry-after"] == "1"
    assert "most one user may" in third.json()["detail"]
    assert bobs.status_code == 200 and "data: [DONE]" in bobs.text


async def test_oversized_runs_are_refused(alice: LangGraphClient, http: httpx.AsyncClient) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    flood = {"messages": [{"role": "user", "content": "x"}] * 100_000}
    response = await http.post(
        f"/threads/{thread_id}/runs",
        json={"assistant_id": "agent", "input": flood},
        headers={"x-api-key": ALICE},
    )
    assert response.status_code == 422
    assert "holds 100000 messages; the limit is 500" in response.json()["detail"]
    assert await alice.runs.list(thread_id) == []


async def test_a_huge_system_prompt_is_refused(alice: LangGraphClient) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    huge = {"system_prompt": "x" * 20_000_000}
    with pytest.raises(httpx.HTTPStatusError) as as_run:
        await alice.runs.create(thread_id, "agent", input=HELLO, context=huge)
    with pytest.raises(httpx.HTTPStatusError) as as_assistant:
        await alice.assistants.create("agent", context=huge)

    for refused in (as_run, as_assistant):
        assert refused.value.response.status_code == 422
        assert "the limit is 16000" in refused.value.response.text
    assert await alice.runs.list(thread_id) == []


@pytest.mark.parametrize(
    "message",
    [
        {"role": "tool", "content": "x"},  # no tool_call_id
        {"role": "assistant", "content": "", "tool_calls": [{"id": "c", "name": "f", "args": 1}]},
    ],
)
async def test_messages_that_would_break_a_thread_are_refused(
    alice: LangGraphClient, message: dict[str, Any]
) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    breaking = {"messages": [message, {"role": "user", "content": "hi"}]}

    assert await status_of(alice.runs.wait(thread_id, "agent", input=breaking)) == 422

    answer = await alice.runs.wait(thread_id, "agent", input=HELLO, context=FAST)
    assert isinstance(answer, dict) and answer["messages"][-1]["content"] == "1 2 3"
    assert (await alice.threads.get_state(thread_id))["values"]["messages"][0][
        "content"
    ] == "count to 3"


async def test_store_needs_a_namespace(http: httpx.AsyncClient) -> None:
    key = {"x-api-key": ALICE}
    for path in ("/store/items/search", "/store/namespaces"):
        response = await http.post(path, json={}, headers=key)
        assert response.status_code == 422, (path, response.text)
        assert "namespace" in response.json()["detail"]
    mine = await http.post("/store/items/search", json={"namespace_prefix": ["alice"]}, headers=key)
    assert mine.status_code == 200


async def test_crons_are_checked_when_created(alice: LangGraphClient) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    for bad in [
        {"input": {"messages": [{"role": "user", "content": " "}]}},
        {"input": HELLO, "context": {"tool_step_delay": 1e9}},
        {"input": HELLO, "webhook": "https://10.0.0.1/hook"},
    ]:
        with pytest.raises(httpx.HTTPStatusError) as refused:
            await alice.crons.create_for_thread(thread_id, "agent", schedule="0 0 * * *", **bad)
        assert refused.value.response.status_code == 422, bad
    assert await alice.crons.search(thread_id=thread_id) == []


async def test_tickets_cannot_be_forged_replayed_or_logged(
    secure: Server, http: httpx.AsyncClient
) -> None:
    issued = await http.post(
        "/api/chat/ticket", json={"path": "/api/chat/stream"}, headers={"x-api-key": ALICE}
    )
    ticket = issued.json()["ticket"]
    # Knowing every key is not enough to mint one: the secret is not derived from them.
    minted = load_api_keys(f"{ALICE}:alice,{BOB}:bob").ticket_for(BOB, "/api/chat/stream")

    def stream(ticket: str) -> Any:
        return http.get("/api/chat/stream", params={"query": "count to 2", "ticket": ticket})

    assert (await stream(ticket)).status_code == 200
    assert (await stream(minted)).status_code == 401
    assert (await stream("ticket-é-" + ticket)).status_code == 401
    socket_only = await http.post(
        "/api/chat/ticket", json={"path": "/ws/chat"}, headers={"x-api-key": ALICE}
    )
    assert (await stream(socket_only.json()["ticket"])).status_code == 401
    nowhere = await http.post("/api/chat/ticket", json={}, headers={"x-api-key": ALICE})
    assert nowhere.status_code == 422
    assert ticket not in secure.log_text() and "ticket=" not in secure.log_text()


@pytest.mark.unit
def test_a_ticket_dies_with_its_key() -> None:
    before = load_api_keys(f"{ALICE}:alice", secret=SECRET)
    ticket = before.ticket_for(ALICE, "/ws/chat")
    assert load_api_keys(f"{ALICE}:alice", secret=SECRET).user_for_ticket(ticket, "/ws/chat")

    remapped = load_api_keys(f"{ALICE}:bob", secret=SECRET)
    rotated = load_api_keys(f"{BOB}:alice", secret=SECRET)
    other_secret = load_api_keys(f"{ALICE}:alice", secret="t" * 40)
    for keys in (remapped, rotated, other_secret):
        assert keys.user_for_ticket(ticket, "/ws/chat") is None


@pytest.mark.unit
def test_several_replicas_need_a_ticket_secret() -> None:
    env = {
        **os.environ,
        "AGENT_API_KEYS": f"{ALICE}:alice",
        "MIGRATIONS_PATH": "/storage/migrations",  # what a Postgres-backed server sets
    }
    env.pop("AGENT_TICKET_SECRET", None)
    loaded = subprocess.run(
        [sys.executable, "-c", "import server.auth"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert loaded.returncode != 0
    assert "AGENT_TICKET_SECRET is required" in loaded.stderr
    assert ALICE not in loaded.stderr
