"""The parts of one run, surviving dropped connections.

The SDK already reconnects a cut stream on its own (Location + Last-Event-ID, 5 tries); this
layer covers what it leaves: drops before the response headers, a run whose creation answer
was lost, its retries running out. Runs are started resumable, so a new connection replays
everything after the last event id (``join_stream``). When that keeps failing, the caller
falls back to waiting for the run's final state.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

import httpx
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import NotFoundError
from langgraph_sdk.schema import RunCreateMetadata, StreamPart

from client.errors import NotLangGraph, describe, is_transient, not_langgraph
from contract.typed import Fallback, Retry

MARKER = "agent_stream_request"
ACTIVE = ("pending", "running")


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff between attempts to re-open a stream: ``initial``, times ``factor``, capped."""

    max_retries: int = 5
    initial: float = 1.0
    factor: float = 2.0
    cap: float = 16.0

    def delay(self, attempt: int) -> float:
        """Seconds before retry ``attempt`` (1-based): 1, 2, 4, 8, 16, 16, ... by default."""
        return float(min(self.cap, self.initial * self.factor ** (attempt - 1)))


_resumable: weakref.WeakValueDictionary[str, RunSource] = weakref.WeakValueDictionary()
"""The sources of the runs being streamed, by run id, for :func:`_note_resume`."""


async def _note_resume(request: httpx.Request) -> None:
    """An httpx request hook: a request with ``Last-Event-ID`` resumes a stream (the SDK
    reconnects on its own, unseen by the source), so its run's source starts comparing."""
    if "last-event-id" in request.headers:
        for segment in request.url.path.split("/"):
            if (source := _resumable.get(segment)) is not None:
                source._replaying = True


def _order(event_id: str) -> tuple[int, ...]:
    """Event ids are ``<ms>-<seq>``: compare them as numbers."""
    try:
        return tuple(int(piece) for piece in event_id.split("-"))
    except ValueError:
        return ()


async def _closable(parts: AsyncIterator[Any]) -> AsyncGenerator[StreamPart, None]:
    """The SDK's streams are generators typed as plain iterators: close them all the same,
    so that a dropped stream never lingers until the loop shuts down."""
    try:
        async for part in parts:
            yield part
    finally:
        if isinstance(parts, AsyncGenerator):
            await parts.aclose()


class RunSource:
    """Starts a run (or finds the one already started) and yields its parts once each."""

    def __init__(
        self,
        client: LangGraphClient,
        thread_id: str,
        assistant_id: str,
        run_options: Mapping[str, Any],
        policy: RetryPolicy,
        url: str,
    ) -> None:
        self.client = client
        self.thread_id = thread_id
        self.assistant_id = assistant_id
        self.run_options = dict(run_options)
        self.policy = policy
        self.url = url
        self.run_id: str | None = None
        self.last_event_id: str | None = None
        self._last_order: tuple[int, ...] = ()
        # Parts seen with last_event_id (ids repeat within a ms), compared only once a stream
        # was resumed: checking every part cost more than the rest of the client.
        self._at_last_id: list[tuple[str, Any]] = []
        self._replaying = False
        self.fell_back = False
        # Tags the run so that it can be found if the answer to its creation is lost.
        self.marker = uuid.uuid4().hex
        self._tried = False
        self._checked = False

    def _created(self, meta: RunCreateMetadata) -> None:
        self.run_id = str(meta["run_id"])
        _resumable[self.run_id] = self

    async def parts(self) -> AsyncGenerator[StreamPart | Retry | Fallback, None]:
        """Parts in order, with a ``Retry`` before each new attempt, or a final ``Fallback``."""
        if _note_resume not in (hooks := self.client.http.client.event_hooks["request"]):
            hooks.append(_note_resume)
        attempt = 0
        while True:
            try:
                async with aclosing(self._open()) as parts:
                    async for part in parts:
                        if part.id and not self._is_new(part):
                            continue
                        if part.event == "metadata" and isinstance(part.data, dict):
                            self.run_id = str(part.data.get("run_id") or self.run_id or "") or None
                            if self.run_id:
                                _resumable[self.run_id] = self
                        attempt = 0
                        yield part
                if not await self._still_running():
                    return
                reason = "the stream ended while the run was still running"
            except Exception as exc:
                if self.run_id is None:
                    # Refused before any run existed: the server is down, nothing to resume.
                    if isinstance(exc, httpx.ConnectError):
                        raise
                    # Not a LangGraph server (an HTML page, a 501, a 404): it will never stream.
                    if not self._checked and (wrong := await self._check()) is not None:
                        raise wrong from exc
                if not is_transient(exc):
                    raise
                reason = describe(exc, self.url)
            attempt += 1
            if attempt > self.policy.max_retries:
                self.fell_back = True
                yield Fallback(f"{reason}; gave up streaming after {attempt - 1} retries")
                return
            delay = self.policy.delay(attempt)
            yield Retry(attempt, delay, reason)
            await asyncio.sleep(delay)

    async def _check(self) -> NotLangGraph | None:
        self._checked = True
        return await not_langgraph(self.client.http.client, self.url)

    def _is_new(self, part: StreamPart) -> bool:
        """False for a part sent again after a resume (older id, or same id and same data).

        A resumed stream (the SDK's own reconnect or ``join_stream``) replays what came after
        the id, then its live queue may echo events stored meanwhile, ids and all: the echo
        can repeat the last id, so same-id parts are compared for the rest of that stream."""
        assert part.id is not None
        order = _order(part.id)
        if self.last_event_id is not None and order <= self._last_order:
            seen = (part.event, part.data)
            if order < self._last_order or (self._replaying and seen in self._at_last_id):
                return False
        else:
            self.last_event_id, self._last_order, self._at_last_id = part.id, order, []
        self._at_last_id.append((part.event, part.data))
        return True

    def _open(self) -> AsyncGenerator[StreamPart, None]:
        if self.run_id is None and not self._tried:
            return self._start()
        return self._rejoin()

    async def _start(self) -> AsyncGenerator[StreamPart, None]:
        self._tried = True
        parts = self.client.runs.stream(
            self.thread_id,
            self.assistant_id,
            **self.run_options,
            metadata={MARKER: self.marker},
            stream_resumable=True,
            on_disconnect="continue",
            multitask_strategy="reject",
            on_run_created=self._created,
        )
        async with aclosing(_closable(parts)) as each:
            async for part in each:
                yield part

    async def _rejoin(self) -> AsyncGenerator[StreamPart, None]:
        if self.run_id is None:
            self.run_id = await self.find_run()
        if self.run_id is None:  # the server never got the request: send it again
            async with aclosing(self._start()) as again:
                async for part in again:
                    yield part
            return
        # "0" precedes every id: with nothing seen yet, replay the run from its start.
        self._replaying = True
        joined = self.client.runs.join_stream(
            self.thread_id, self.run_id, last_event_id=self.last_event_id or "0"
        )
        async with aclosing(_closable(joined)) as each:
            async for part in each:
                yield part

    async def find_run(self) -> str | None:
        """The run this source started, if the server got the request."""
        try:
            runs = await self.client.runs.list(self.thread_id, limit=10)
        except NotFoundError:  # a new thread is created with its first run: none yet
            return None
        for run in runs:
            if (run.get("metadata") or {}).get(MARKER) == self.marker:
                return str(run["run_id"])
        return None

    async def _still_running(self) -> bool:
        if self.run_id is None:
            return False
        run = await self.client.runs.get(self.thread_id, self.run_id)
        return run["status"] in ACTIVE

    async def wait_final(self) -> None:
        """The non-streaming fallback: wait for the run to end (starting it if it never was)."""
        self.run_id = self.run_id or await self.find_run()
        if self.run_id is not None:
            await self.client.runs.join(self.thread_id, self.run_id)
            return
        await self.client.runs.wait(
            self.thread_id,
            self.assistant_id,
            **{k: v for k, v in self.run_options.items() if k != "stream_mode"},
            metadata={MARKER: self.marker},
            multitask_strategy="reject",
            on_run_created=self._created,
        )
