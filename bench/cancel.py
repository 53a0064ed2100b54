"""Cancel latency: from the cancel to the run reported stopped, and to the tool's last word.

The long tool writes progress every ``tool_step_delay`` (0.05 s here), so a tool that keeps
running after the cancel shows within 50 ms; it has 5 pauses left after its first event, so
one that is not stopped at all reaches 100 about 0.25 s after the cancel.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
from langgraph_sdk.client import LangGraphClient
from websockets.asyncio.client import ClientConnection

from agent.history import CANCELLED_ARTIFACT
from bench.direct import sse_params, sse_url, ws_connect
from bench.measure import CONTEXT, TOOL_QUESTION, Spread, poll
from bench.runs_api import MODES, user
from client import Done, ToolProgress, astream
from harness.sse import DONE, aevents

STEP = 0.05
CANCEL_CONTEXT = {**CONTEXT, "tool_step_delay": STEP}
POLL = 0.01
GRACE = STEP * 5 + 0.1
"""After the stream ends: long enough for a tool that was not stopped to finish."""
TIMEOUT = 20.0
ACTIVE = ("pending", "running")


@dataclass
class Watch:
    """The tool's progress events around one cancel, on the client's clock."""

    cancel_at: float | None = None
    acked_at: float | None = None
    """When the cancel request returned (runs API)."""
    ended_at: float | None = None
    last_progress: float | None = None
    progress_after: int = 0
    tool_finished: bool = False
    errors: list[str] = field(default_factory=list)

    def progress(self, percent: int) -> bool:
        """Record one progress event; true for the first (the moment to cancel)."""
        if self.cancel_at is None:
            return True
        self.progress_after += 1
        self.last_progress = time.perf_counter()
        self.tool_finished |= percent >= 100
        return False

    def cancelled(self) -> None:
        self.cancel_at = time.perf_counter()

    def ms(self, at: float | None) -> float | None:
        if self.errors or self.cancel_at is None or at is None:
            return None
        return (at - self.cancel_at) * 1000

    def silent_ms(self) -> float | None:
        if self.errors or self.cancel_at is None:
            return None
        return ((self.last_progress or self.cancel_at) - self.cancel_at) * 1000


@dataclass(frozen=True)
class CancelResult:
    path: str
    ended: str
    """What "stopped" means on this path."""
    ended_ms: Spread | None
    ack_ms: Spread | None
    """Cancel to the cancel request's answer (the runs API only)."""
    silent_ms: Spread | None
    """Cancel to the last progress event seen after it (0 when none came); None: unobservable."""
    progress_after: int
    tool_finished: int
    errors: list[str]


async def _runs_api(client: LangGraphClient, watch: Watch) -> None:
    thread, run_id = str(uuid.uuid4()), ""
    poller: asyncio.Task[None] | None = None

    async def stopped() -> bool:
        status = (await client.runs.get(thread, run_id))["status"]
        if status not in ACTIVE and status != "interrupted":
            watch.errors.append(f"run ended {status}")
        return status not in ACTIVE

    async def interrupted() -> None:
        await client.runs.cancel(thread, run_id, action="interrupt")
        watch.acked_at = time.perf_counter()
        watch.ended_at = await poll(stopped, POLL)

    async for part in client.runs.stream(
        thread, "agent", input=user(TOOL_QUESTION), stream_mode=MODES,
        context=CANCEL_CONTEXT, if_not_exists="create",
    ):  # fmt: skip
        if part.event == "metadata":
            run_id = part.data["run_id"]
        elif part.event == "custom" and watch.progress(part.data.get("progress", 0)):
            watch.cancelled()
            poller = asyncio.create_task(interrupted())
    if poller is not None:
        await poller
        await asyncio.sleep(GRACE)
        values = (await client.threads.get_state(thread))["values"]
        messages = values.get("messages", []) if isinstance(values, dict) else []
        # A stopped call's "cancelled" result (agent/stops.py) is not the tool finishing.
        watch.tool_finished |= any(
            m.get("type") == "tool" and m.get("artifact") != CANCELLED_ARTIFACT for m in messages
        )


async def _library(base: str, watch: Watch) -> None:
    run = astream(TOOL_QUESTION, url=base, context=CANCEL_CONTEXT)
    async for event in run:
        if isinstance(event, ToolProgress) and watch.progress(event.progress):
            watch.cancelled()
            await run.cancel()
            watch.acked_at = time.perf_counter()
        elif isinstance(event, Done):
            watch.ended_at = time.perf_counter()
            if event.status != "interrupted":
                watch.errors.append(f"run ended {event.status}")


async def _idle(http: httpx.AsyncClient, base: str) -> bool:
    return int((await http.get(f"{base}/api/chat/status")).json()["active_streams"]) == 0


async def _sse(http: httpx.AsyncClient, base: str, watch: Watch) -> None:
    if not await _idle(http, base):
        watch.errors.append("another direct stream was running")
        return
    params = sse_params(TOOL_QUESTION, CANCEL_CONTEXT)
    async with http.stream("GET", sse_url(base), params=params) as response:
        async for event in aevents(response):
            if event != DONE and event.get("type") == "progress":
                break
        watch.cancelled()  # leaving the block hangs up, which is the SSE client's cancel
    watch.ended_at = await poll(lambda: _idle(http, base), POLL)


async def _ws(socket: ClientConnection, watch: Watch) -> None:
    message = {"type": "user", "content": TOOL_QUESTION, "context": CANCEL_CONTEXT}
    await socket.send(json.dumps(message, ensure_ascii=False))
    # Up to "cancelled"; then a ping, so that anything before its "pong" is a stray.
    for until in ("cancelled", "pong"):
        while (event := json.loads(await socket.recv()))["type"] != until:
            kind = event["type"]
            if kind == "progress" and watch.progress(event.get("progress", 0)):
                watch.cancelled()
                await socket.send(json.dumps({"type": "cancel"}))
            elif kind in ("tool_result", "done"):
                watch.tool_finished = True
            elif kind == "error":
                watch.errors.append(str(event.get("message")))
            if kind in ("done", "error"):
                return  # the answer ended on its own: no "cancelled" will come
        if until == "cancelled":
            watch.ended_at = time.perf_counter()
            await socket.send(json.dumps({"type": "ping"}))


async def _repeat(
    path: str, ended: str, run: Callable[[Watch], Awaitable[None]], repeats: int, silent: bool
) -> CancelResult:
    watches = []
    for _ in range(repeats):
        watch = Watch()
        try:
            async with asyncio.timeout(TIMEOUT):
                await run(watch)
        except Exception as exc:
            watch.errors.append(f"{type(exc).__name__}: {exc}")
        if watch.cancel_at is None or watch.ended_at is None:
            watch.errors.append("never cancelled or never ended")
        watches.append(watch)
    ended_ms = [ms for w in watches if (ms := w.ms(w.ended_at)) is not None]
    ack_ms = [ms for w in watches if (ms := w.ms(w.acked_at)) is not None]
    silent_ms = [ms for w in watches if (ms := w.silent_ms()) is not None]
    return CancelResult(
        path=path,
        ended=ended,
        ended_ms=Spread.of(ended_ms),
        ack_ms=Spread.of(ack_ms),
        silent_ms=Spread.of(silent_ms) if silent else None,
        progress_after=max((w.progress_after for w in watches), default=0),
        tool_finished=sum(w.tool_finished for w in watches),
        errors=[e for w in watches for e in w.errors][:3],
    )


async def measure(client: LangGraphClient, base: str, repeats: int) -> list[CancelResult]:
    results = [
        await _repeat(
            "runs API (SDK runs.cancel)", "run status interrupted",
            lambda w: _runs_api(client, w), repeats, silent=True,
        ),
        await _repeat(
            "runs API (client library cancel())", "Done(status=interrupted)",
            lambda w: _library(base, w), repeats, silent=True,
        ),
    ]  # fmt: skip
    async with httpx.AsyncClient(timeout=TIMEOUT) as http:
        results.append(
            await _repeat(
                "direct SSE (hang up)", "/api/chat/status back to 0 active",
                lambda w: _sse(http, base, w), repeats, silent=False,
            )
        )  # fmt: skip
    async with ws_connect(base) as socket:
        results.append(
            await _repeat(
                "direct WebSocket (cancel)", '{"type": "cancelled"} received',
                lambda w: _ws(socket, w), repeats, silent=True,
            )
        )  # fmt: skip
    return results
