"""Each user's share of the server (keys on), for both ways an answer is made.

- **Runs** (the runs API): at most ``Limits.active_runs_per_user`` pending or running at once,
  enqueued ones included, counted in the server's store, which every replica shares. A burst
  cannot slip past the count: :class:`OneRunAdmissionPerUser` lets one run-creating request per
  user through at a time, until its run is stored (the response starts after that).
- **Direct answers** (plain SSE, WebSocket): at most ``Limits.streams_per_user`` at once, and
  ``Limits.streams`` in all, counted here in the process that streams them (they are no runs).

Both refuse instead of queueing, with 429 and a message that says what to do.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from dataclasses import dataclass

from langgraph_sdk import get_client
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.identity import Unauthorized, identify
from server.limits import Limits
from server.settings import settings

RETRY_AFTER_SECONDS = 5
_ACTIVE = frozenset({"pending", "running"})
_REPLACING = frozenset({"interrupt", "rollback"})
"""Multitask strategies whose new run cancels the thread's runs in progress, adding none."""
_CREATES_RUNS = re.compile(
    r"^/(?:(?:threads/[^/]+/)?runs(?:/stream|/wait|/batch)?|threads/[^/]+/commands)/?$"
)
"""The HTTP routes that create runs: the runs API's, and the v2 protocol's ``run.start``."""


async def refuse_run(cap: int | None, thread_id: object, strategy: object) -> str | None:
    """Why a new run must wait, or None: the user's runs in progress, on every thread (a busy
    one's enqueued runs too), leave no room for one more."""
    if cap is None:
        return None
    client = get_client()  # in-process, with the caller's permissions: their threads only
    try:
        busy = await client.threads.search(status="busy", limit=cap + 1)
        counts = {
            str(thread["thread_id"]): sum(
                run["status"] in _ACTIVE
                for run in await client.runs.list(thread["thread_id"], limit=cap + 1)
            )
            for thread in busy
        }
    finally:
        await client.aclose()
    if strategy in _REPLACING:
        counts.pop(str(thread_id), None)
    if sum(counts.values()) < cap:
        return None
    return (
        f"You already have {cap} runs in progress or queued, the most one user may have at "
        "once. Wait for one to finish or cancel it, then try again."
    )


class OneRunAdmissionPerUser:
    """An ``http.app`` middleware: a user's run-creating requests pass one at a time, each
    until its answer starts (after the run is stored), so the count in :func:`refuse_run`
    always includes the runs admitted just before. Per process: a distributed runtime's
    replicas each admit one at a time, so a burst spread over them can pass by one per replica.
    The v2 WebSocket's ``run.start`` is counted but not serialized: it is one socket's message,
    not a request of its own.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.locks: dict[str, asyncio.Lock] = {}  # per user: bounded by the configured keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._counts(scope):
            return await self.app(scope, receive, send)
        try:
            user = identify(dict(scope["headers"]), scope["path"])
        except Unauthorized:
            return await self.app(scope, receive, send)  # LangGraph's auth answers 401
        lock = self.locks.setdefault(user, asyncio.Lock())
        await lock.acquire()

        async def send_releasing(message: Message) -> None:
            if message["type"] == "http.response.start" and lock.locked():
                lock.release()
            await send(message)

        try:
            await self.app(scope, receive, send_releasing)
        finally:
            if lock.locked():
                lock.release()

    @staticmethod
    def _counts(scope: Scope) -> bool:
        return (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and settings().limits.active_runs_per_user is not None
            and _CREATES_RUNS.match(scope["path"]) is not None
        )


@dataclass(frozen=True)
class Busy:
    """Why an answer cannot start now: 503 when the server is full, 429 when the user is."""

    status: int
    message: str


class StreamSlots:
    """Direct answers streaming at once in this process, in all and per user."""

    def __init__(self, limits: Limits) -> None:
        self.limit = limits.streams
        self.per_user = limits.streams_per_user
        self.active = 0
        self._by_user: Counter[str] = Counter()

    def try_acquire(self, user: str) -> Busy | None:
        if self.per_user is not None and self._by_user[user] >= self.per_user:
            return Busy(
                429,
                f"You are already streaming {self.per_user} direct answers, the most one user "
                "may at once; finish or stop one, then try again.",
            )
        if self.active >= self.limit:
            return Busy(
                503,
                f"The server is streaming its maximum of {self.limit} direct answers; "
                "try again in a moment.",
            )
        self.active += 1
        self._by_user[user] += 1
        return None

    def release(self, user: str) -> None:
        self.active -= 1
        self._by_user[user] -= 1
        if not self._by_user[user]:
            del self._by_user[user]
