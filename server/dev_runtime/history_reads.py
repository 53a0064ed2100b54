"""Reading a long thread's history without stalling every other user.

In langgraph-api 0.16.7 with runtime-inmem 0.36.7, ``POST /threads/{id}/history`` decodes
every checkpoint it returns on the event loop without once giving it back
(``InMemorySaver.alist`` iterates the sync ``list``, whose ``_load_blobs`` decodes each
channel), then renders the whole answer to JSON on the loop too (``ApiResponse.render``). On a
200-turn thread that held every other stream for up to ~870 ms.

``Pregel.aget_state_history`` (langgraph 1.2.24) then builds a snapshot of each checkpoint,
again without a turn for anyone else.

Rendering the answer in a worker thread does not help: orjson holds the GIL for the whole
call (100-200 ms for a 200-checkpoint history of a 200-turn thread).

Here: the loop gets a turn between two checkpoints as they are decoded, again as they are made
snapshots, and again between two items of a list as the answer is rendered (the same bytes as
one ``orjson.dumps`` of the list, ~1 ms an item).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from starlette.types import Receive, Scope, Send


def apply() -> None:
    from langgraph.pregel import Pregel
    from langgraph_api.api import threads
    from langgraph_runtime_inmem import checkpoint

    checkpoint.InMemorySaver.alist = _yielding(checkpoint.InMemorySaver.alist)
    Pregel.aget_state_history = _yielding(Pregel.aget_state_history)  # type: ignore[method-assign]
    threads.ApiResponse = _rendered_in_pieces(threads.ApiResponse)


def _yielding(upstream: Any) -> Any:
    """An async iterator method that gives the loop a turn after each item."""

    async def iterate(self: Any, config: Any, **kwargs: Any) -> AsyncIterator[Any]:
        async for item in upstream(self, config, **kwargs):
            yield item
            await asyncio.sleep(0)

    return iterate


def _rendered_in_pieces(upstream: type[Any]) -> type[Any]:
    class ThreadResponse(upstream):  # type: ignore[misc]
        """Keeps the content until the answer is sent, then renders it an item at a time."""

        def __init__(self, content: Any, *args: Any, **kwargs: Any) -> None:
            self._content = content
            super().__init__(None, *args, **kwargs)

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            content, self._content = self._content, None
            self.body = await self._rendered(content)
            length = str(len(self.body)).encode("latin-1")
            self.raw_headers: list[tuple[bytes, bytes]] = [
                *(h for h in self.raw_headers if h[0] != b"content-length"),
                (b"content-length", length),
            ]
            await super().__call__(scope, receive, send)

        async def _rendered(self, content: Any) -> bytes:
            """The bytes ``render`` gives for the whole: a list's items joined as orjson
            joins them, each item dropped once rendered (freed a piece at a time too)."""
            if not isinstance(content, list):
                return bytes(upstream.render(self, content))
            pieces: list[bytes] = [b"["]
            for index, item in enumerate(content):
                if index:
                    pieces.append(b",")
                pieces.append(upstream.render(self, item))
                content[index] = None
                await asyncio.sleep(0)
            pieces.append(b"]")
            return b"".join(pieces)

        def render(self, content: Any) -> bytes:
            return b""  # for now: the answer is rendered when it is sent

    return ThreadResponse
