"""Server-sent events read as a plain client reads them (httpx-sse): each event's JSON data, and
the plain SSE route's final ``[DONE]`` as it is."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from httpx_sse import EventSource

DONE = "[DONE]"


def _decoded(data: str) -> Any:
    return data if data == DONE else json.loads(data)


def events(response: httpx.Response) -> list[Any]:
    """The events of a response read whole."""
    return [_decoded(event.data) for event in EventSource(response).iter_sse()]


async def aevents(response: httpx.Response) -> AsyncIterator[Any]:
    """The events of a streamed response, as they arrive."""
    async for event in EventSource(response).aiter_sse():
        yield _decoded(event.data)
