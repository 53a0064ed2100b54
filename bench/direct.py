"""The direct routes: ``/api/chat/stream`` over a kept-alive httpx client and ``/ws/chat`` over
one reused ``websockets`` connection, read the way a plain client reads them."""

from __future__ import annotations

import json
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from bench.measure import CONTEXT, Clock, Sample, question
from harness.sse import DONE, aevents


def sse_url(base: str) -> str:
    return f"{base}/api/chat/stream"


def sse_params(text: str, context: dict[str, Any] = CONTEXT) -> dict[str, str]:
    return {"query": text, "context": json.dumps(context)}


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://", 1) + "/ws/chat"


def ws_connect(base: str) -> connect:
    """No frame size cap: an event is small, but the default 1 MiB would be a silent limit."""
    return connect(ws_url(base), max_size=None)


def _take(clock: Clock, event: dict[str, Any]) -> None:
    if event.get("type") == "token":
        clock.token(str(event.get("content", "")))
    elif event.get("type") == "error":
        clock.fail(str(event.get("message")))


async def sse_answer(
    http: httpx.AsyncClient,
    base: str,
    size: int,
    server_pid: int | None,
    history: list[dict[str, str]] | None = None,
    *,
    context: dict[str, Any] = CONTEXT,
    clock: Clock | None = None,
) -> Sample:
    """A GET with the question alone, or a POST with the earlier turns (``history``:
    ``[{"role": "user" | "assistant", "content": ...}]``) before it."""
    clock = clock or Clock(size, server_pid)
    if history is None:
        request = http.stream("GET", sse_url(base), params=sse_params(question(size), context))
    else:
        body = {"query": question(size), "messages": history, "context": context}
        request = http.stream("POST", sse_url(base), json=body)
    async with request as response:
        if response.status_code != 200:
            clock.fail(f"HTTP {response.status_code}")
        done = False
        async for event in aevents(response):
            if done := event == DONE:
                break
            _take(clock, event)
        if not done:
            clock.fail("the stream ended without [DONE]")
    return clock.sample()


async def ws_answer(socket: ClientConnection, size: int, server_pid: int | None) -> Sample:
    """One question on an open socket (whose history the server keeps), up to ``done``."""
    clock = Clock(size, server_pid)
    await socket.send(json.dumps({"type": "user", "content": question(size), "context": CONTEXT}))
    while (event := json.loads(await socket.recv())).get("type") not in ("done", "error"):
        _take(clock, event)
    _take(clock, event)
    return clock.sample()
