"""What each streamed token costs the server beyond the graph, in langgraph-api and its runtime.

Measured on a 10,000-token answer through the runs API (docs/upstream.md has the figures).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ALLOW_PRIVATE_NETWORK = (b"access-control-allow-private-network", b"true")


class PrivateNetworkHeader:
    """``Access-Control-Allow-Private-Network: true`` on preflight answers, as plain ASGI.

    langgraph-api 0.16.7's ``PrivateNetworkMiddleware`` does the same as a Starlette
    ``BaseHTTPMiddleware``, which pipes every response (each streamed token included) through
    a memory stream and a task group, for a header only ``OPTIONS`` answers get."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "OPTIONS":
            return await self.app(scope, receive, send)

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message["headers"], _ALLOW_PRIVATE_NETWORK]}
            await send(message)

        await self.app(scope, receive, send_with_header)


def plain_asgi_private_network() -> None:
    """``server.py`` imports the class by name after the ``http.app`` is loaded (which is
    when this runs), so replacing the module's attribute is enough."""
    from langgraph_api.middleware import private_network

    private_network.PrivateNetworkMiddleware = PrivateNetworkHeader


def metrics_tier() -> None:
    """OpenTelemetry records a latency and a size per streamed event at tier 2, which
    ``langgraph dev`` exports nowhere. Tier 1 (critical) is what LangGraph's own dev
    deployments use (``LSD_DEPLOYMENT_TYPE=dev``); ``METRIC_MAX_EMITTING_TIER`` still wins."""
    if "METRIC_MAX_EMITTING_TIER" in os.environ:
        return
    from langgraph_api import config, metrics_otlp

    config.METRIC_MAX_EMITTING_TIER = 1
    if metrics_otlp._metrics_reporter is not None:
        metrics_otlp._metrics_reporter._max_tier = 1


def amortized_replay_buffer() -> None:
    """langgraph-api 0.16.7 ``event_streaming/session.py`` ``EventStreamingSession._push_event``
    keeps the last ``LSD_PROTOCOL_V2_BUFFER_SIZE`` (10,000) events of a thread's stream for
    replay, and once it is full, trims it with ``self._buffer = self._buffer[-max:]``: every
    further event copies all 10,000. A page that keeps its thread open (``useStream`` of
    ``@langchain/react``) reaches that in two long answers. Here the oldest tenth is dropped at
    once, in place, so upstream's slice never runs: the replay window is 9,000-10,000 events."""
    from langgraph_api.event_streaming.session import EventStreamingSession

    upstream = EventStreamingSession._push_event

    async def push_event(self: Any, event: dict[str, Any]) -> None:
        trim_replay_buffer(self)
        await upstream(self, event)

    EventStreamingSession._push_event = push_event


def trim_replay_buffer(session: Any) -> None:
    """Drop the oldest tenth of a full replay buffer at once (:func:`amortized_replay_buffer`)."""
    if len(session._buffer) >= session._max_buffer_size:
        del session._buffer[: max(1, session._max_buffer_size // 10)]


QUIET = "_agent_quiet"
"""The attribute of a run queue whose stream counts tokens rather than take them."""


def direct_queue_puts() -> None:
    """langgraph-runtime-inmem 0.36.7 ``inmem_stream.StreamManager.put`` hands each event to
    its subscribers' queues through ``asyncio.gather`` (a task per queue, per event). The
    queues are unbounded, so a put never waits: here they are filled in place."""
    from langgraph_runtime_inmem import inmem_stream

    upstream = inmem_stream.StreamManager.put
    ensure_uuid = inmem_stream._ensure_uuid

    async def put(
        self: Any, run_id: Any, thread_id: Any, message: Any, resumable: bool = False
    ) -> None:
        run = ensure_uuid(run_id)
        thread = inmem_stream.THREADLESS_KEY if thread_id is None else ensure_uuid(thread_id)
        if b"control" in message.topic:
            await upstream(self, run_id, thread_id, message, resumable)
            return
        message.id = inmem_stream._generate_ms_seq_id().encode()
        if resumable:
            self.message_stores[thread][run].append(message)
        for queue in self.queues[thread][run]:
            if (quiet := getattr(queue, QUIET, None)) is None:
                queue.put_nowait(message)
            else:
                quiet.put(queue, message)  # a stream that takes no tokens (quiet_queues.py)

    inmem_stream.StreamManager.put = put


class _NoScope:
    """What ``anyio.move_on_after(None)`` amounts to: a scope that is never cancelled."""

    cancel_called = False

    def __enter__(self) -> _NoScope:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


_NO_SCOPE = _NoScope()


class _AnyioWithoutIdleScopes:
    """anyio, except ``move_on_after(None)``, which costs a cancel scope and can never fire."""

    def __getattr__(self, name: str) -> Any:
        import anyio

        return getattr(anyio, name)

    @staticmethod
    def move_on_after(delay: float | None, shield: bool = False) -> Any:
        import anyio

        if delay is None and not shield:
            return _NO_SCOPE
        return anyio.move_on_after(delay, shield=shield)


def sse_sends_without_scope() -> None:
    """langgraph-api 0.16.7 ``sse.EventSourceResponse.stream_response`` wraps every send of a
    stream in ``anyio.move_on_after(self.send_timeout)``. langgraph-api sets no send timeout,
    so the scope never fires, yet each streamed event pays for entering and leaving one. A
    task cancelled meanwhile (the client went away) is still cancelled: its own task group's
    scope delivers it, as before."""
    from langgraph_api import sse

    sse.anyio = _AnyioWithoutIdleScopes()


def batched_thread_streams() -> None:
    """langgraph-api 0.16.7 ``api/event_streaming.py`` ``_thread_events`` (the thread event
    stream ``useStream`` of ``@langchain/react`` reads) yields one event at a time, and
    ``EventSourceResponse`` sends each through the middleware chain to the socket: one write
    per token. Here what the stream produced while the last write was out goes in the next one,
    as the direct SSE route does (``server.direct.batching``); the first event of a burst still
    leaves at once, and the frames are the ones upstream writes."""
    from langgraph_api.api import event_streaming
    from langgraph_api.sse import EventSourceResponse, json_to_sse

    from server.direct.batching import in_batches

    async def frames(items: AsyncIterator[Any]) -> AsyncIterator[bytes]:
        async for batch in in_batches(items):
            yield b"".join(
                item if isinstance(item, bytes) else json_to_sse(*item) for item in batch
            )

    def response(content: AsyncIterator[Any], *args: Any, **kwargs: Any) -> Any:
        return EventSourceResponse(frames(content), *args, **kwargs)

    event_streaming.EventSourceResponse = response


_FIXED_FILTER = "_agent_fixed_filter"
_TOKENS_UNWANTED = "_agent_tokens_unwanted"


def tokens_unwanted(session: Any) -> bool:
    """Whether :func:`token_free_streams` found that no stream of ``session`` takes tokens."""
    return bool(getattr(session, _TOKENS_UNWANTED, False))


def token_free_streams() -> None:
    """langgraph-api 0.16.7 ``event_streaming/service.py``: every thread event stream has its
    own session, which builds, numbers, buffers and filters every event of the thread, tokens
    included, even when its filter takes no ``messages``. ``useStream`` of ``@langchain/react``
    keeps such a stream open beside its content stream (its lifecycle watcher,
    ``{"channels": ["lifecycle", "input"]}``), so each token was processed twice.

    Here a stream whose filter is fixed (the SSE route's, from its request body: the only
    caller of ``install_subscription``) and takes no ``messages`` numbers each root token event
    as upstream would (one event, one ``seq``: every stream of a thread numbers its tape alike,
    which ``since`` relies on) and goes on. Namespaced token events, and everything else, take
    upstream's path."""
    import orjson
    from langgraph_api.event_streaming import service, session

    Manager, Session = service.ThreadRunManager, session.EventStreamingSession
    install, ensure, ingest = (
        Manager.install_subscription,
        Manager._ensure_run_session,
        Session.ingest_source_event,
    )
    is_protocol_event = session._is_event_streaming_event

    def install_subscription(self: Any, subscription: Any) -> None:
        install(self, subscription)
        setattr(self, _FIXED_FILTER, True)

    async def ensure_run_session(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = await ensure(self, *args, **kwargs)
        if (run_session := self._session) is not None and getattr(self, _FIXED_FILTER, False):
            wanted = any("messages" in s.channels for s in run_session.subscriptions.values())
            setattr(run_session, _TOKENS_UNWANTED, not wanted)
        return result

    async def ingest_source_event(self: Any, event: tuple[bytes, bytes, Any]) -> None:
        name, message, _ = event
        if name == b"messages" and tokens_unwanted(self):
            data = orjson.loads(message)
            if (
                is_protocol_event(data)
                and data["method"] == "messages"
                and not data["params"].get("namespace")
            ):
                self._next_seq += 1
                return
        await ingest(self, event)

    Manager.install_subscription = install_subscription
    Manager._ensure_run_session = ensure_run_session
    Session.ingest_source_event = ingest_source_event
