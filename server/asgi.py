"""Reading a request's body in a middleware without taking it from the app behind."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Message, Receive


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
