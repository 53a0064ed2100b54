"""Helpers for the direct SSE and WebSocket routes, read with plain HTTP and WebSocket clients."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter
from websockets.asyncio.client import ClientConnection, connect

from contract.events import DirectEvent
from harness.server import Server, langgraph_dev
from harness.sse import DONE, events

FAST = json.dumps({"tool_step_delay": 0.02, "offline_token_delay": 0})
SLOW_TOOL = {"tool_step_delay": 2.0, "offline_token_delay": 0}
"""The long tool takes 6 x 2 s: a run that ends soon after a cancel was cancelled."""


EVENTS = TypeAdapter(DirectEvent)
"""Every event the routes send is checked against its one definition (``contract/events.py``)."""


def checked_events(response: httpx.Response) -> list[Any]:
    """The response's events, each validated against its definition; the final ``[DONE]`` as is."""
    return [e if e == DONE else EVENTS.validate_python(e) for e in events(response)]


async def read_sse(server: Server, **params: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=60) as http:
        return await http.get(f"{server.url}/api/chat/stream", params=params)


def answer(events: list[Any]) -> str:
    return "".join(e["content"] for e in events if e != DONE and e["type"] == "token")


def types(events: list[Any]) -> list[str]:
    return [e if e == DONE else e["type"] for e in events]


async def active_streams(server: Server) -> int:
    async with httpx.AsyncClient() as http:
        status = (await http.get(f"{server.url}/api/chat/status")).json()
    return int(status["active_streams"])


async def wait_no_active_streams(server: Server, within: float = 8.0) -> float:
    """Seconds until the server has no direct stream running; fails after ``within``."""
    start = time.monotonic()
    while await active_streams(server):
        if time.monotonic() - start > within:
            raise AssertionError(f"a direct stream still runs {within}s later")
        await asyncio.sleep(0.05)
    return time.monotonic() - start


async def receive(ws: ClientConnection) -> dict[str, Any]:
    async with asyncio.timeout(20):
        message: dict[str, Any] = EVENTS.validate_python(json.loads(await ws.recv()))
    return message


async def receive_until(ws: ClientConnection, *kinds: str) -> list[dict[str, Any]]:
    """Messages up to and including the first of ``kinds``; keep-alive pings skipped."""
    seen = []
    while True:
        message = await receive(ws)
        if message["type"] != "ping":
            seen.append(message)
        if message["type"] in kinds:
            return seen


def ws_url(server: Server) -> str:
    return server.url.replace("http://", "ws://") + "/ws/chat"


@pytest.fixture
async def ws(server: Server) -> AsyncIterator[ClientConnection]:
    async with connect(ws_url(server)) as socket:
        yield socket


@pytest.fixture(scope="module")
def tight_server() -> Iterator[Server]:
    """One direct stream at a time and a 1 s keep-alive, to test the cap and the pings."""
    env = {"AGENT_DIRECT_MAX_STREAMS": "1", "AGENT_DIRECT_PING_SECONDS": "1"}
    with langgraph_dev(env=env) as running:
        yield running
