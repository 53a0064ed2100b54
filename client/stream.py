"""The library API: send a message to an assistant and iterate typed events as the run goes.

``astream`` for async code, ``stream`` for sync code. Leaving the iteration early (break,
exception, Ctrl-C, task cancel) cancels the run on the server; so does ``RunStream.cancel()``.
"""

from __future__ import annotations

import asyncio
import os
import uuid
import weakref
from collections.abc import AsyncGenerator, Generator, Mapping, Sequence
from contextlib import aclosing
from pathlib import Path
from types import TracebackType
from typing import Any

from httpx import ConnectError
from langgraph_sdk.client import LangGraphClient

from client.attachments import question_content
from client.clients import run_sync, shared_client
from client.errors import NotLangGraph, describe, not_langgraph
from client.resume import RetryPolicy, RunSource
from contract.parts import PartTranslator, interrupts_in, message_text
from contract.typed import Done, Error, Event, Fallback, Retry

DEFAULT_URL = "http://127.0.0.1:2024"
URL_FILE = ".langgraph_url"
"""Where `make dev` records the URL it served on (2024 may be taken)."""
DEFAULT_ASSISTANT = "agent"
DEFAULT_MODES: tuple[str, ...] = ("messages-tuple", "updates", "custom")
CANCEL_TIMEOUT = 10.0


def default_url() -> str:
    """``LANGGRAPH_API_URL``, else the URL in ``.langgraph_url`` here or in a parent directory
    (`make dev` writes it), else ``langgraph dev``'s default."""
    if url := os.environ.get("LANGGRAPH_API_URL"):
        return url
    for directory in (here := Path.cwd(), *here.parents):
        if (recorded := directory / URL_FILE).is_file():
            return recorded.read_text().strip() or DEFAULT_URL
    return DEFAULT_URL


class RunStream:
    """One run, iterated (once) for its events; also an async context manager."""

    def __init__(
        self,
        message: str | None = None,
        *,
        url: str | None = None,
        assistant: str = DEFAULT_ASSISTANT,
        thread_id: str | None = None,
        modes: Sequence[str] = DEFAULT_MODES,
        context: Mapping[str, Any] | None = None,
        api_key: str | None = None,
        retry: RetryPolicy | None = None,
        client: LangGraphClient | None = None,
        resume: Sequence[Mapping[str, Any]] | None = None,
        attachments: Sequence[str | Path] = (),
    ) -> None:
        if (message is None) == (resume is None):
            raise ValueError("give a message, or decisions to resume a paused thread with")
        if attachments and message is None:
            raise ValueError("attachments go with a message")
        if resume is not None and not thread_id:
            raise ValueError("resuming needs the thread_id of the paused thread")
        self.url = url or default_url()
        self.thread_id = thread_id
        self._source: RunSource | None = None
        self._message = message
        # Read now: a file that cannot be attached is the caller's error, before any run.
        self._content = question_content(message, attachments) if message is not None else None
        self._resume = [dict(decision) for decision in resume] if resume is not None else None
        self._assistant = assistant
        self._modes = list(modes or DEFAULT_MODES)
        self._context = dict(context) if context else None
        self._retry = retry or RetryPolicy()
        # Only our own variable: the SDK would also send LANGSMITH_API_KEY & co. to any server.
        self._api_key = api_key or os.environ.get("LANGGRAPH_API_KEY") or None
        # A caller's client, or the loop's shared one for this URL and key (client/clients.py),
        # found at first use, inside the loop that will use it. Neither is closed by a run.
        self._given_client = client
        self._new_thread = False
        self._cancel_requested = False
        self._cancel_sent = False
        # Weak, so that a plain ``break`` drops the iterator and so closes the run at once.
        self._events: weakref.ref[_Events] | None = None
        self._closing: asyncio.Future[None] | None = None

    def __aiter__(self) -> _Events:
        """Starts the run; a RunStream is iterated once."""
        if self._events is not None:
            raise RuntimeError("a RunStream can be iterated only once")
        events = _Events(self, self._run())
        self._events = weakref.ref(events)
        return events

    async def __aenter__(self) -> RunStream:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop iterating; an unfinished run is cancelled on the server."""
        if self._events is None:  # never iterated: nothing to close
            return
        if (events := self._events()) is not None:
            await events.aclose()
        elif self._closing is not None:
            await asyncio.shield(self._closing)

    def _close(self, events: AsyncGenerator[Event, None]) -> asyncio.Future[None]:
        """The one close of the run's generator, however many ask for it."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(events.aclose())
        return self._closing

    async def cancel(self) -> None:
        """Cancel the run on the server (now, or as soon as it exists); the stream then ends
        with ``Done(status="interrupted")``."""
        self._cancel_requested = True
        await self._send_cancel()

    @property
    def client(self) -> LangGraphClient:
        """The SDK client of this run: the caller's, else the running loop's shared one."""
        if self._given_client is None:
            self._given_client = shared_client(self.url, self._api_key)
        return self._given_client

    @property
    def run_id(self) -> str | None:
        return self._source.run_id if self._source else None

    async def _send_cancel(self) -> None:
        if self.run_id and self.thread_id and not self._cancel_sent:
            self._cancel_sent = True
            await self.client.runs.cancel(self.thread_id, self.run_id)

    async def _run(self) -> AsyncGenerator[Event, None]:
        finished = False
        try:
            try:
                self._source = source = RunSource(
                    self.client, await self._thread(), self._assistant, self._run_options(),
                    self._retry, self.url,
                )  # fmt: skip
                translator = PartTranslator(self._modes)
                async with aclosing(self._translated(source, translator)) as events:
                    async for event in events:
                        yield event
                if source.fell_back:
                    await source.wait_final()
                ending = await self._ending(source.thread_id, translator)
            except Exception as exc:
                if self.run_id is None and not isinstance(exc, NotLangGraph | ConnectError):
                    exc = await not_langgraph(self.client.http.client, self.url) or exc
                yield Error(describe(exc, self.url))
                return
            finished = True
            for event in ending:
                yield event
        finally:
            if not finished:
                await self._cancel_quietly()

    async def _translated(
        self, source: RunSource, translator: PartTranslator
    ) -> AsyncGenerator[Event, None]:
        async with aclosing(source.parts()) as parts:
            async for item in parts:
                if self._cancel_requested:
                    await self._send_cancel()
                if isinstance(item, Retry | Fallback):
                    yield item
                else:
                    for event in translator.translate(item.event, item.data):
                        yield event

    async def _thread(self) -> str:
        """The given thread (checked, so a bad id fails before any run) or a new id, whose
        thread the server creates with the run: a rejected run leaves no empty thread."""
        if self.thread_id:
            await self.client.threads.get(self.thread_id)
        else:
            self.thread_id = str(uuid.uuid4())
            self._new_thread = True
        return self.thread_id

    def _run_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"stream_mode": self._modes, "context": self._context}
        if self._resume is not None:
            options["command"] = {"resume": {"decisions": self._resume}}
        else:
            options["input"] = {"messages": [{"role": "user", "content": self._content}]}
        if self._new_thread:
            options["if_not_exists"] = "create"
        return options

    async def _cancel_quietly(self) -> None:
        """Best effort, shielded: runs while the task itself is being cancelled (Ctrl-C)."""
        if not self.run_id or self._cancel_sent:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._send_cancel()), CANCEL_TIMEOUT)
        except Exception:  # the server is gone or the run is over: nothing left to stop
            pass

    async def _ending(self, thread_id: str, translator: PartTranslator) -> list[Event]:
        """``Done``, reconciled with the thread's saved state, which wins over what was
        streamed; before it, the pause a run ended in if the chosen modes did not show it."""
        run_id = self.run_id or ""
        status = "unknown"
        if run_id:
            status = str((await self.client.runs.get(thread_id, run_id))["status"])
        streamed = translator.streamed_answer()
        if status != "success":
            return [Done(thread_id, run_id, status, streamed)]
        state = await self.client.threads.get_state(thread_id)
        values = state.get("values")
        messages = values.get("messages", []) if isinstance(values, dict) else []
        answer = saved_answer(messages)
        pending = list(state.get("interrupts") or [])
        unseen = [] if translator.interrupted else list(interrupts_in(pending))
        done = Done(thread_id, run_id, status, answer, answer != streamed, paused=bool(pending))
        return [*unseen, done]


class _Events:
    """What ``async for`` holds. Written by hand (not the bare generator) so that dropping it,
    by a plain ``break`` or an exception, and ``aclose()`` share one close of the run."""

    def __init__(self, owner: RunStream, events: AsyncGenerator[Event, None]) -> None:
        self._owner = owner
        self._events = events

    def __aiter__(self) -> _Events:
        return self

    async def __anext__(self) -> Event:
        return await self._events.__anext__()

    async def aclose(self) -> None:
        await asyncio.shield(self._owner._close(self._events))

    def __del__(self) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # no loop any more: whatever ran has been closed with it
            return
        self._owner._close(self._events)


def saved_answer(messages: Sequence[Mapping[str, Any]]) -> str:
    """The text of the last assistant message after the last user message."""
    answer = ""
    for message in messages:
        if message.get("type") == "human":
            answer = ""
        elif message.get("type") == "ai" and (text := message_text(dict(message))):
            answer = text
    return answer


def astream(message: str | None = None, **options: Any) -> RunStream:
    """``async for event in astream("北京天气如何？"): ...``; options as in :class:`RunStream`.
    ``astream(resume=[{"type": "approve"}], thread_id=...)`` resumes a paused thread."""
    return RunStream(message, **options)


def stream(message: str | None = None, **options: Any) -> Generator[Event, None, None]:
    """Blocking twin of :func:`astream`, on this thread's private event loop, kept between
    calls so that they share one SDK client (``client.clients.run_sync``)."""
    events = run_sync(_make(message, options)).__aiter__()
    try:
        while True:
            try:
                event = run_sync(events.__anext__())
            except StopAsyncIteration:
                return
            yield event
    finally:
        run_sync(events.aclose())


async def _make(message: str | None, options: Mapping[str, Any]) -> RunStream:
    """Builds the stream inside the loop, so its HTTP client belongs to that loop."""
    return RunStream(message, **options)
