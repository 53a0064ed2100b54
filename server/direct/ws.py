"""``/ws/chat``: a conversation on one socket, with a cancel that is read while an answer streams.

Client messages: ``{"type": "user", "content": ..., "context"?: {...}}`` (the spec's bare
``{"content": ...}`` too), ``{"type": "cancel"}``, ``{"type": "ping"}``. Server messages: the
events of ``server.direct.events``, then ``{"type": "done"}`` per answer; ``{"type":
"cancelled"}`` after a cancel; ``{"type": "error", "message"}`` for bad input (the socket stays
open); ``{"type": "ping"}`` when idle and ``{"type": "pong"}`` to a ping.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

from langchain_core.messages import AnyMessage
from starlette.websockets import WebSocket, WebSocketDisconnect

from agent.context import Context
from contract.events import DirectEvent
from server.direct.events import answer_events
from server.direct.handoff import hand_off_as
from server.direct.inputs import parse_request
from server.fairness import StreamSlots
from server.limits import Limits
from server.validation import InputError, load_json


async def chat_socket(websocket: WebSocket, limits: Limits, slots: StreamSlots) -> None:
    await websocket.accept()
    session = _Session(websocket, limits, slots)
    keepalive = asyncio.create_task(session.keep_alive())
    try:
        while (message := await websocket.receive())["type"] != "websocket.disconnect":
            # A binary frame is read as UTF-8 text rather than ending the session.
            text = message.get("text") or (message.get("bytes") or b"").decode(errors="replace")
            await session.handle(text)
    except WebSocketDisconnect:
        pass
    finally:
        keepalive.cancel()
        await session.cancel_answer()


class _Session:
    def __init__(self, websocket: WebSocket, limits: Limits, slots: StreamSlots) -> None:
        self.websocket = websocket
        self.limits = limits
        self.slots = slots
        self.user: str = websocket.user.identity
        # The conversation so far, as the graph produced it; repaired before each model call.
        self.history: list[AnyMessage] = []
        self.answer: asyncio.Task[None] | None = None
        self.last_sent = time.monotonic()
        self.send_lock = asyncio.Lock()

    async def send(self, event: DirectEvent) -> None:
        async with self.send_lock:
            await self.websocket.send_text(json.dumps(event, ensure_ascii=False))
            self.last_sent = time.monotonic()

    async def error(self, message: str) -> None:
        await self.send({"type": "error", "message": message})

    async def handle(self, raw: str) -> None:
        try:
            message = load_json(raw, 'the message (expected {"type": "user", "content": ...})')
        except InputError as exc:
            return await self.error(str(exc))
        if not isinstance(message, dict):
            return await self.error('send a JSON object: {"type": "user", "content": "..."}')
        kind = message.get("type", "user" if "content" in message else None)
        if kind == "user":
            await self.start_answer(message)
        elif kind == "cancel":
            if await self.cancel_answer():
                await self.send({"type": "cancelled"})
        elif kind == "ping":
            await self.send({"type": "pong"})
        else:
            await self.error(f"unknown message type {kind!r}: use user, cancel or ping")

    async def start_answer(self, message: dict[str, Any]) -> None:
        if self.answer and not self.answer.done():
            return await self.error(
                'an answer is still streaming: wait for "done" or send {"type": "cancel"}'
            )
        try:
            request = parse_request(
                message.get("content"), None, message.get("context"), self.limits
            )
        except InputError as exc:
            return await self.error(str(exc))
        if busy := self.slots.try_acquire(self.user):
            return await self.error(busy.message)
        self.history.extend(request.messages)
        # A long-lived socket must not grow without bound; the repair before each model call
        # drops a tool result whose call was cut off here.
        del self.history[: -self.limits.messages]
        self.answer = asyncio.create_task(self.stream(request.context))

    async def stream(self, context: Context) -> None:
        try:
            hand_off = hand_off_as(self.websocket.user, self.websocket.auth)
            events = answer_events(list(self.history), context, self.history.append, hand_off)
            async for event in events:
                await self.send(event)
            await self.send({"type": "done"})
        except (WebSocketDisconnect, RuntimeError):
            pass  # the socket closed under a send; the receive loop ends the session
        finally:
            self.slots.release(self.user)

    async def cancel_answer(self) -> bool:
        """Stop the running answer, if any; the history keeps what the graph had finished."""
        if not self.answer or self.answer.done():
            return False
        self.answer.cancel()
        with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
            await self.answer
        return True

    async def keep_alive(self) -> None:
        """An application-level ping when the socket has been quiet, for proxies that cut idle
        connections and for browsers, which cannot see protocol pings."""
        while True:
            await asyncio.sleep(self.limits.ping_seconds / 2)
            if time.monotonic() - self.last_sent >= self.limits.ping_seconds:
                with contextlib.suppress(Exception):
                    await self.send({"type": "ping"})
