"""``GET|POST /api/chat/stream``: one answer as ``text/event-stream``, ending ``data: [DONE]``."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable

from sse_starlette import EventSourceResponse
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from contract.events import DirectEvent
from server.direct.batching import in_batches
from server.direct.events import answer_events
from server.direct.handoff import hand_off_as
from server.direct.inputs import ChatRequest, parse_request
from server.fairness import StreamSlots
from server.guard import PRIVATE_PARAMS
from server.limits import Limits
from server.validation import InputError, load_json

logger = logging.getLogger(__name__)

# sse-starlette sends `no-store` by default; the spec's header is `no-cache`.
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


async def stream_answer(request: Request, limits: Limits, slots: StreamSlots) -> Response:
    try:
        chat = await _read(request, limits)
    except InputError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=422)
    user = request.user.identity
    if busy := slots.try_acquire(user):
        return JSONResponse(
            {"detail": busy.message}, status_code=busy.status, headers={"Retry-After": "1"}
        )
    events = answer_events(
        chat.messages, chat.context, hand_off=hand_off_as(request.user, request.auth)
    )
    response = EventSourceResponse(
        _sse(events), headers=HEADERS, ping=limits.ping_seconds, sep="\n"
    )
    return _ReleaseAfter(response, lambda: slots.release(user))


async def _read(request: Request, limits: Limits) -> ChatRequest:
    if request.method == "GET":
        params = request.scope.get(PRIVATE_PARAMS) or request.query_params
        return parse_request(params.get("query"), None, params.get("context"), limits)
    body = load_json(await request.body(), 'the body (expected {"query": ..., "messages": [...]})')
    if not isinstance(body, dict):
        raise InputError('the body must be a JSON object: {"query": "...", "messages": [...]}')
    return parse_request(body.get("query"), body.get("messages"), body.get("context"), limits)


async def _sse(events: AsyncIterator[DirectEvent]) -> AsyncIterator[bytes]:
    """Events already encoded (sse-starlette sends bytes as they are), a burst in one write."""
    try:
        async for batch in in_batches(events):
            yield b"".join(_frame(json.dumps(event, ensure_ascii=False)) for event in batch)
    except asyncio.CancelledError:
        logger.info("direct SSE client went away: its run is cancelled")
        raise
    yield _frame("[DONE]")


def _frame(data: str) -> bytes:
    return f"data: {data}\n\n".encode()


class _ReleaseAfter(Response):
    """Frees the stream slot however the response ends, even if the body never started
    (a generator's ``finally`` does not run when it is never iterated)."""

    def __init__(self, inner: Response, release: Callable[[], None]) -> None:
        self.inner = inner
        self.release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.inner(scope, receive, send)
        finally:
            self.release()
