"""The thread stream over WebSocket (``@langchain/react``'s ``transport: "websocket"``) opens
before its thread exists, with keys off and on; and only the thread's owner may open it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from langgraph_sdk import get_client
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from harness.server import Server, langgraph_dev

ALICE, BOB = "alice-key-0123456789", "bob-key-9876543210"
FAST = {"offline_token_delay": 0, "tool_step_delay": 0}
HELLO = {"messages": [{"role": "user", "content": "count to 3"}]}


@pytest.fixture(scope="module")
def keyed_server() -> Iterator[Server]:
    with langgraph_dev(env={"AGENT_API_KEYS": f"{ALICE}:alice,{BOB}:bob"}) as running:
        yield running


def stream_url(server: Server, thread_id: str) -> str:
    return server.url.replace("http://", "ws://") + f"/threads/{thread_id}/stream/events"


async def command(ws: ClientConnection, id: int, method: str, params: dict[str, Any]) -> Any:
    """The reply to one command (events that arrive before it are skipped)."""
    await ws.send(json.dumps({"id": id, "method": method, "params": params}))
    while (reply := json.loads(await ws.recv())).get("id") != id:
        pass
    return reply


async def ask_over_websocket(server: Server, thread_id: str, key: str | None = None) -> str:
    """What the hook does on a new thread: subscribe, start, read until the run ends."""
    headers = {"x-api-key": key} if key else {}
    async with connect(stream_url(server, thread_id), additional_headers=headers) as ws:
        subscribed = await command(ws, 1, "subscription.subscribe", {"channels": ["lifecycle"]})
        assert subscribed["type"] == "success", subscribed
        params = {
            "assistant_id": "agent",
            "input": {"messages": [{"role": "user", "content": "count to 3"}]},
            "config": {"configurable": FAST},
        }
        started = await command(ws, 2, "run.start", params)
        assert started["type"] == "success", started
        while True:
            event = json.loads(await ws.recv())
            if event.get("method") == "lifecycle" and event["params"]["namespace"] == []:
                if (ended := event["params"]["data"]["event"]) in {"completed", "failed"}:
                    return str(ended)


async def refused(server: Server, thread_id: str, key: str) -> bool:
    """True if the stream ends before a subscription is confirmed."""
    url = stream_url(server, thread_id)
    try:
        async with connect(url, additional_headers={"x-api-key": key}) as ws:
            reply = await command(ws, 1, "subscription.subscribe", {"channels": ["lifecycle"]})
            await ws.recv()  # a refused stream closes the socket right after it opened
            return reply["type"] != "success"
    except ConnectionClosed:
        return True


async def test_new_threads_over_websocket_with_keys_off(server: Server) -> None:
    # One after another on a server that has streamed before: a run started at once must not
    # finish before its thread's event stream has subscribed to it (server/dev_runtime/queue_wake).
    for _ in range(5):
        assert await ask_over_websocket(server, str(uuid.uuid4())) == "completed"


async def test_a_new_thread_over_websocket_with_keys_on(keyed_server: Server) -> None:
    assert await ask_over_websocket(keyed_server, str(uuid.uuid4()), ALICE) == "completed"


async def test_another_user_cannot_open_a_thread_stream_created_or_not(
    keyed_server: Server,
) -> None:
    alice = get_client(url=keyed_server.url, api_key=ALICE)
    alices = (await alice.threads.create())["thread_id"]
    await alice.runs.wait(alices, "agent", input=HELLO, context=FAST)
    assert await refused(keyed_server, alices, BOB), "bob opened alice's thread"

    claimed = str(uuid.uuid4())
    async with connect(stream_url(keyed_server, claimed), additional_headers={"x-api-key": BOB}):
        pass  # bob opened it first: it is his now
    assert await refused(keyed_server, claimed, ALICE), "alice opened bob's new thread"
    await alice.aclose()
