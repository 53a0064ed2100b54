"""A thread event stream that takes no tokens is not handed them one by one.

``token-free-streams`` (``stream_costs.py``) makes such a stream's session count a root token
instead of wrapping it. A page on ``useStream`` of ``@langchain/react`` keeps such streams open
beside its content stream: the SDK's lifecycle watcher, and each ``useChannel`` without
``messages`` (the web app's tool cards and progress bars). For each of them, every token still
crossed everything before the session: a put in the stream's run queue, a turn of
langgraph-runtime-inmem 0.36.7 ``Threads.Stream.join_event_streaming``'s loop (decode the frame,
yield it), a turn of langgraph-api 0.16.7 ``ThreadRunManager._consume_thread_stream`` and the
session's parse. Here the run queues of such a stream (its filter is fixed and takes no
``messages``) keep a count of the root tokens put while nothing else came, and the next other
event is preceded by one marker that carries the count; the stream's session adds it to its
numbering, as it would have counted the tokens one by one. Every stream of a thread still
numbers each event alike (``since`` relies on it). A run's last event is always another one
(``control``/``done``), so no count is left over.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from typing import Any

from server.dev_runtime.stream_costs import QUIET

ROOT_TOKEN = b'{"type":"event","method":"messages","params":{"namespace":[],'
"""How a root ``messages`` event of the protocol begins once serialized: the events a
token-free session counts (``token_free_streams``), and nothing else begins so."""
MARKER = b'{"agent_skipped_tokens":'
_EVENT = b"messages"
_QUIET_STREAM: ContextVar[bool] = ContextVar("quiet_stream", default=False)
"""Set where a stream's filter is installed; its consuming task (created next) inherits it."""


class Quiet:
    """One token-free stream's queue of one run: counts root tokens instead of queueing them."""

    __slots__ = ("skipped",)

    def __init__(self) -> None:
        self.skipped = 0

    def put(self, queue: asyncio.Queue[Any], message: Any) -> None:
        if is_root_token(message.data):
            self.skipped += 1
            return
        if self.skipped:
            queue.put_nowait(marker(message, self.skipped))
            self.skipped = 0
        queue.put_nowait(message)


# A stream frame of langgraph-api 0.16.7 (``utils/stream_codec.py`` ``StreamCodec``, version 1):
# the version byte, the stream id's length and the event's length (2 bytes each, big-endian),
# the stream id, the event, the payload. Read and written here without the codec, whose module
# needs the server's configuration to import.
_VERSION = b"\x01"
_EVENT_LENGTH = len(_EVENT).to_bytes(2, "big")


def is_root_token(frame: bytes) -> bool:
    """Whether a stream frame holds a root ``messages`` event of the protocol."""
    if not isinstance(frame, bytes) or frame[:1] != _VERSION or frame[3:5] != _EVENT_LENGTH:
        return False
    start = 5 + int.from_bytes(frame[1:3], "big")
    return frame.startswith(_EVENT, start) and frame.startswith(ROOT_TOKEN, start + 8)


def marker(before: Any, count: int) -> Any:
    """The message that tells a session ``count`` tokens went by, as a ``messages`` frame."""
    payload = MARKER + str(count).encode() + b"}"
    frame = _VERSION + b"\x00\x00" + _EVENT_LENGTH + _EVENT + payload
    return type(before)(topic=before.topic, data=frame, id=before.id)


def apply() -> None:
    from langgraph_api.event_streaming import service, session
    from langgraph_runtime_inmem import ops

    Manager, Session = service.ThreadRunManager, session.EventStreamingSession
    install, ingest = Manager.install_subscription, Session.ingest_source_event
    subscribe = ops.Threads.Stream.subscribe

    def install_subscription(self: Any, subscription: Any) -> None:
        install(self, subscription)
        _QUIET_STREAM.set("messages" not in subscription.channels)

    async def quiet_subscribe(conn: Any, thread_id: Any, seen_runs: set[Any]) -> Any:
        queues = await subscribe(conn, thread_id, seen_runs)
        if _QUIET_STREAM.get():
            for _, queue in queues:
                setattr(queue, QUIET, Quiet())
        return queues

    async def ingest_source_event(self: Any, event: tuple[bytes, bytes, Any]) -> None:
        name, message, _ = event
        if name == _EVENT and message.startswith(MARKER):
            self._next_seq += int(message[len(MARKER) : -1])
            return
        await ingest(self, event)

    Manager.install_subscription = install_subscription
    ops.Threads.Stream.subscribe = staticmethod(quiet_subscribe)
    Session.ingest_source_event = ingest_source_event
