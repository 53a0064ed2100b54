"""Small ASGI helpers for the middleware: reading a request's body without taking it from the
app behind, and asking the app something as the caller."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` once, then the client's own messages (a disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def peek_json(receive: Receive) -> tuple[Any, Receive]:
    """The body parsed as JSON (None if it is not JSON), and a ``receive`` that replays it."""
    body = await read_body(receive)
    try:
        parsed = json.loads(body) if body else None
    except (ValueError, RecursionError):
        parsed = None  # the server's own validation answers malformed JSON
    return parsed, replay(body, receive)


async def ask_as_caller(app: ASGIApp, scope: Scope, method: str) -> tuple[Message, bytes]:
    """The app's answer to ``method`` on the request's path, with the caller's own headers (so
    its auth decides what they may see): the response's start message and its body."""
    probe: Scope = {**scope, "method": method, "query_string": b""}
    probe["headers"] = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
    start: Message = {}
    body: list[bytes] = []

    async def no_body() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def capture(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await app(probe, no_body, capture)
    return start, b"".join(body)
