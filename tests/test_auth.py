"""API keys and per-user ownership on a real ``langgraph dev`` (``server/auth.py``)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import NotFoundError
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from harness.server import Server, langgraph_dev
from server.api_keys import load_api_keys
from tests.client.test_cli import cli

ALICE, BOB = "alice-key-0123456789", "bob-key-9876543210"
HELLO = {"messages": [{"role": "user", "content": "count to 3"}]}
FAST = {"offline_token_delay": 0}


@pytest.fixture(scope="module")
def auth_server() -> Iterator[Server]:
    with langgraph_dev(env={"AGENT_API_KEYS": f"{ALICE}:alice,{BOB}:bob"}) as running:
        yield running


@pytest.fixture
async def alice(auth_server: Server) -> AsyncIterator[LangGraphClient]:
    client = get_client(url=auth_server.url, api_key=ALICE)
    yield client
    await client.aclose()


@pytest.fixture
async def bob(auth_server: Server) -> AsyncIterator[LangGraphClient]:
    client = get_client(url=auth_server.url, api_key=BOB)
    yield client
    await client.aclose()


async def _status_of(attempt: Callable[[], Awaitable[Any]]) -> int:
    """The HTTP status an SDK call failed with (some calls raise typed errors, some httpx's)."""
    try:
        await attempt()
    except NotFoundError:
        return 404
    except httpx.HTTPStatusError as error:
        return error.response.status_code
    return 200


ROUTES = [
    ("POST", "/threads", {}),
    ("POST", "/threads/search", {}),
    ("POST", "/assistants/search", {}),
    ("POST", "/runs/wait", {"assistant_id": "agent", "input": HELLO}),
    ("GET", "/api/chat/stream?query=hi", None),
    ("POST", "/api/chat/stream", {"query": "hi"}),
    ("POST", "/api/chat/ticket", None),
    ("GET", "/api/chat/status", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "An API key is required"),
        ({"x-api-key": "wrong-key"}, "The API key is not valid"),
        ({"authorization": "Bearer wrong-key"}, "The API key is not valid"),
    ],
)
async def test_every_route_refuses_a_missing_or_wrong_key(
    auth_server: Server, method: str, path: str, body: Any, headers: dict[str, str], detail: str
) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.request(method, auth_server.url + path, json=body, headers=headers)
    assert response.status_code == 401
    assert detail in response.json()["detail"]


async def test_websocket_refuses_a_missing_key(auth_server: Server) -> None:
    url = auth_server.url.replace("http://", "ws://") + "/ws/chat"
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url):
            pass
    assert refused.value.response.status_code in {401, 403}

    async with connect(url, additional_headers={"x-api-key": ALICE}) as ws:
        await ws.send(json.dumps({"content": "count to 3", "context": FAST}))
        while json.loads(await ws.recv())["type"] != "done":
            pass


async def test_bearer_and_x_api_key_both_work(auth_server: Server) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        for headers in ({"x-api-key": ALICE}, {"authorization": f"Bearer {ALICE}"}):
            response = await http.post(
                f"{auth_server.url}/threads/search", json={}, headers=headers
            )
            assert response.status_code == 200


async def test_another_users_thread_does_not_exist_for_them(
    alice: LangGraphClient, bob: LangGraphClient
) -> None:
    thread_id = (await alice.threads.create())["thread_id"]
    run = await alice.runs.create(thread_id, "agent", input=HELLO, context=FAST)
    await alice.runs.join(thread_id, run["run_id"])

    attempts: dict[str, Callable[[], Awaitable[Any]]] = {
        "get": lambda: bob.threads.get(thread_id),
        "state": lambda: bob.threads.get_state(thread_id),
        "history": lambda: bob.threads.get_history(thread_id),
        "update": lambda: bob.threads.update(thread_id, metadata={"owner": "bob"}),
        "run": lambda: bob.runs.wait(thread_id, "agent", input=HELLO),
        "list runs": lambda: bob.runs.list(thread_id),
        "get run": lambda: bob.runs.get(thread_id, run["run_id"]),
        "join": lambda: bob.runs.join(thread_id, run["run_id"]),
        "cancel": lambda: bob.runs.cancel(thread_id, run["run_id"]),
        "delete": lambda: bob.threads.delete(thread_id),
    }
    for name, attempt in attempts.items():
        assert await _status_of(attempt) == 404, f"bob could {name} alice's thread"
    # A joined stream has sent its 200 before the check, so it says "not found" in-band, exactly
    # as for a thread that does not exist.
    joined = [part async for part in bob.runs.join_stream(thread_id, run["run_id"])]
    assert [(p.event, p.data["message"]) for p in joined] == [("error", "404: Thread not found")]

    assert thread_id not in {t["thread_id"] for t in await bob.threads.search(limit=100)}
    assert thread_id in {t["thread_id"] for t in await alice.threads.search(limit=100)}
    # Nothing bob tried changed alice's thread.
    thread = await alice.threads.get(thread_id)
    assert thread["metadata"]["owner"] == "alice" and thread["status"] == "idle"
    state = await alice.threads.get_state(thread_id)
    assert [m["content"] for m in state["values"]["messages"]] == ["count to 3", "1 2 3"]


async def test_a_thread_created_with_its_first_run_is_owned_too(
    alice: LangGraphClient, bob: LangGraphClient
) -> None:
    thread_id = "0b0b0b0b-0000-4000-8000-00000000a11c"
    await alice.runs.wait(thread_id, "agent", input=HELLO, context=FAST, if_not_exists="create")

    with pytest.raises(NotFoundError):
        await bob.threads.get(thread_id)
    # Bob cannot slip a run into it by asking to create it either.
    attempt = lambda: bob.runs.wait(thread_id, "agent", input=HELLO, if_not_exists="create")  # noqa: E731
    assert await _status_of(attempt) == 404


async def test_assistants_the_graph_is_shared_a_users_own_is_not(
    alice: LangGraphClient, bob: LangGraphClient
) -> None:
    mine = await bob.assistants.create("agent", name="bob's helper")

    alice_sees = {a["assistant_id"] for a in await alice.assistants.search(limit=100)}
    bob_sees = {a["assistant_id"] for a in await bob.assistants.search(limit=100)}

    system = {a["assistant_id"] for a in await alice.assistants.search(graph_id="agent")}
    assert system and system <= bob_sees
    assert mine["assistant_id"] in bob_sees and mine["assistant_id"] not in alice_sees
    with pytest.raises(NotFoundError):
        await alice.assistants.get(mine["assistant_id"])


async def test_store_namespaces_are_per_user(alice: LangGraphClient) -> None:
    await alice.store.put_item(("alice", "notes"), "n1", {"text": "mine"})
    assert (await alice.store.get_item(("alice", "notes"), "n1"))["value"] == {"text": "mine"}
    with pytest.raises(httpx.HTTPStatusError) as refused:
        await alice.store.get_item(("bob", "notes"), "n1")
    assert refused.value.response.status_code == 403


async def test_tickets_let_browsers_stream_without_headers(auth_server: Server) -> None:
    url = auth_server.url
    async with httpx.AsyncClient(timeout=30) as http:

        async def ticket_for(route: str) -> str:
            issued = await http.post(
                f"{url}/api/chat/ticket", json={"path": route}, headers={"x-api-key": ALICE}
            )
            assert issued.status_code == 200 and issued.json()["expires_in"] == 60
            return str(issued.json()["ticket"])

        ticket = await ticket_for("/api/chat/stream")
        streamed = await http.get(
            f"{url}/api/chat/stream", params={"query": "count to 3", "ticket": ticket}
        )
        forged = await http.get(
            f"{url}/api/chat/stream", params={"query": "hi", "ticket": ticket[:-2] + "xx"}
        )
        elsewhere = await http.post(f"{url}/threads/search", json={}, params={"ticket": ticket})
        socket_ticket = await ticket_for("/ws/chat")

    assert streamed.status_code == 200 and "data: [DONE]" in streamed.text
    assert forged.status_code == 401 and "ticket is invalid" in forged.text
    assert elsewhere.status_code == 401, "a ticket only opens the streaming routes"
    async with connect(f"{url.replace('http://', 'ws://')}/ws/chat?ticket={socket_ticket}") as ws:
        await ws.send(json.dumps({"content": "count to 2", "context": FAST}))
        while json.loads(await ws.recv())["type"] != "done":
            pass


@pytest.mark.unit
def test_tickets_expire_and_name_their_user() -> None:
    keys = load_api_keys(f"{ALICE}:alice")
    ticket = keys.ticket_for(ALICE, "/api/chat/stream", now=1000)

    assert keys.user_for_ticket(ticket, "/api/chat/stream", now=1030) == "alice"
    assert keys.user_for_ticket(ticket, "/api/chat/stream", now=1061) is None


@pytest.mark.unit
def test_keys_from_a_file_and_clear_errors_without_the_key(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text(f"# team\n{ALICE}:alice\n{BOB}:bob  # on call\n")
    assert load_api_keys(str(path)).user_for(BOB) == "bob"
    assert load_api_keys("").enabled is False

    for raw, message in [
        (f"{ALICE}:alice,{ALICE}:bob", "entry 2 repeats an earlier key"),
        (f"{ALICE}:alice,{BOB}", "entry 2 is not of the form key:user"),
        (ALICE, "must be key:user pairs"),
    ]:
        with pytest.raises(ValueError, match=message) as error:
            load_api_keys(raw)
        assert ALICE not in str(error.value) and BOB not in str(error.value)


async def test_the_cli_sends_the_key(auth_server: Server) -> None:
    done = await cli("--url", auth_server.url, "--api-key", ALICE, "count to 3")
    refused = await cli("--url", auth_server.url, "count to 3")

    assert done.returncode == 0 and "1 2 3" in done.stdout
    assert refused.returncode == 1 and "API key is required" in refused.stderr
    assert refused.stderr.strip().count("\n") == 0


def test_keys_never_reach_the_log_and_auth_state_is_announced(
    auth_server: Server, server: Server
) -> None:
    log = auth_server.log_text()
    assert ALICE not in log and BOB not in log and "wrong-key" not in log
    assert "Auth is off" not in log
    assert "Auth is off: AGENT_API_KEYS is not set" in server.log_text()
