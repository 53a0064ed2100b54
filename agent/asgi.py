"""Reading a request's JSON body in a middleware without taking it from the app behind."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Message, Receive


async def peek_json(receive: Receive) -> tuple[Any, Receive]:
    """The body parsed as JSON (None if it is not JSON), and a ``receive`` that replays it."""
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = None  # the server's own validation answers malformed JSON
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return parsed, replay
