"""A thread event stream that replays its thread's tape also gets what was published while it
replayed.

langgraph-runtime-inmem 0.36.7 ``ops.Threads.Stream.join_event_streaming`` (behind every thread
event stream: ``/threads/{id}/stream/events``, what ``useStream`` of ``@langchain/react`` reads)
copies the thread's stored events (``StreamManager.restore_messages``), yields them, and only
then subscribes to the thread's runs (``Threads.Stream.subscribe``: a queue per run). What a run
published in between reached the stream neither way. A page that started a run and then opened
its lifecycle stream saw the run start and never end ("Streaming…" until reloaded). Upstream's
0.5 s queue poll made it rare (the run waited); ``queue_wake.py`` starts a run at once.

Here the replay notes how many stored events each of the thread's runs had, and the stream's
first subscribe hands each new run queue the ones stored since, ahead of any live one.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from uuid import UUID


@dataclass
class _Replay:
    """One stream's replay: per run, how many stored events it had when the replay read them."""

    counts: dict[UUID, int] | None = None
    """None until the replay reads the store (it does not when nothing is stored)."""


# Set in the task that iterates a stream (each thread stream has its own task), by the call
# that opens it: a stream opened without a replay (``last_event_id=None``) wants no backfill.
_REPLAY: ContextVar[_Replay | None] = ContextVar("thread_stream_replay", default=None)


def _key(value: Any) -> Any:
    return value if isinstance(value, UUID) else UUID(str(value))


def backfill(manager: Any, thread_id: Any, queues: list[tuple[Any, Any]], replay: _Replay) -> None:
    """Puts into each new run queue the stored events the replay did not read, in order, ahead
    of what the queue already holds (the same message objects: a live one is not put twice)."""
    stored = manager.message_stores.get(_key(thread_id), {})
    counts = replay.counts or {}
    for run_id, queue in queues:
        events = stored.get(run_id, [])[counts.get(run_id, 0) :]
        if not events:
            continue
        live = []
        while not queue.empty():
            live.append(queue.get_nowait())
        held = {id(message) for message in live}
        for message in [*(m for m in events if id(m) not in held), *live]:
            queue.put_nowait(message)


def apply() -> None:
    from langgraph_runtime_inmem import inmem_stream, ops

    stream = ops.Threads.Stream
    upstream_join, upstream_subscribe = stream.join_event_streaming, stream.subscribe
    upstream_restore = inmem_stream.StreamManager.restore_messages

    def join_event_streaming(
        thread_id: Any, *, last_event_id: str | None = None, **kwargs: Any
    ) -> Any:
        # A plain function: called by the task that iterates what it returns (no per-event hop).
        _REPLAY.set(_Replay() if last_event_id is not None else None)
        return upstream_join(thread_id, last_event_id=last_event_id, **kwargs)

    def restore_messages(self: Any, run_id: Any, thread_id: Any, message_id: Any) -> Any:
        replay = _REPLAY.get()
        if replay is not None and replay.counts is None and thread_id is not None:
            # The replay reads every run's store in one go, with no await: this is its moment.
            runs = self.message_stores.get(_key(thread_id), {})
            replay.counts = {run: len(events) for run, events in runs.items()}
        return upstream_restore(self, run_id, thread_id, message_id)

    async def subscribe(conn: Any, thread_id: Any, seen_runs: set[Any]) -> Any:
        first = _key(thread_id) not in seen_runs
        queues = await upstream_subscribe(conn, thread_id, seen_runs)
        replay = _REPLAY.get()
        if first and replay is not None:
            _REPLAY.set(None)
            backfill(inmem_stream.get_stream_manager(), thread_id, queues, replay)
        return queues

    stream.join_event_streaming = staticmethod(join_event_streaming)
    stream.subscribe = staticmethod(subscribe)
    inmem_stream.StreamManager.restore_messages = restore_messages
