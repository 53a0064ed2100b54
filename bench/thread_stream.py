"""The runs API as ``useStream`` of ``@langchain/react`` takes it (the web app's main view): the
run started by a ``run.start`` command, its tokens read from the thread event stream, with the
hook's lifecycle watcher open beside it, over kept-alive connections. The web app's main view
is this path plus a browser."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

import httpx

from bench.measure import CONTEXT, Clock, Sample, question
from harness.sse import aevents

# The two streams the hook keeps open on a thread while it runs (langgraph-sdk 1.15.0): its
# lifecycle watcher, and its content stream as the web app's channels widen it.
WATCHER = {"channels": ["lifecycle", "input"]}
CONTENT = {
    "channels": ["custom:progress", "input", "lifecycle", "tools", "checkpoints", "messages"],
    "namespaces": [[]],
    "depth": 1,
}
_RUN_ENDS = {"completed", "failed", "interrupted"}


def run_start(thread_id: str, text: str) -> dict[str, Any]:
    """The command the hook sends for a new message (the web app's run context as config)."""
    return {
        "id": 1,
        "method": "run.start",
        "params": {
            "assistant_id": "agent",
            "input": {"messages": [{"type": "human", "content": text}]},
            "config": {"configurable": {**CONTEXT, "thread_id": thread_id}},
            "multitaskStrategy": "reject",
        },
    }


def _take(clock: Clock, event: dict[str, Any]) -> bool:
    """Counts a root text delta; True at the root's end of the run."""
    params, method = event.get("params") or {}, event.get("method")
    if params.get("namespace"):
        return False
    data = params.get("data") or {}
    if method == "messages" and data.get("event") == "content-block-delta":
        delta = data.get("delta") or {}
        if delta.get("type") == "text-delta":
            clock.token(str(delta.get("text", "")))
    elif method == "lifecycle" and data.get("event") in _RUN_ENDS:
        if data["event"] != "completed":
            clock.fail(f"run {data['event']}")
        return True
    return False


async def _watch(http: httpx.AsyncClient, url: str) -> None:
    async with http.stream("POST", url, json=WATCHER) as response:
        async for _ in response.aiter_raw():
            pass


async def thread_stream_answer(http: httpx.AsyncClient, base: str, size: int, pid: int) -> Sample:
    """One answer on a new thread, as the page's first: the command, then both streams."""
    thread_id = str(uuid.uuid4())
    url = f"{base}/threads/{thread_id}/stream/events"
    clock = Clock(size, pid)
    started = await http.post(
        f"{base}/threads/{thread_id}/commands", json=run_start(thread_id, question(size))
    )
    if started.status_code != 200 or "error" in started.json():
        clock.fail(f"run.start: HTTP {started.status_code} {started.text[:200]}")
        return clock.sample()
    watcher = asyncio.create_task(_watch(http, url))
    try:
        async with http.stream("POST", url, json=CONTENT) as response:
            async for event in aevents(response):
                if _take(clock, event):
                    break
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
            await watcher
    return clock.sample()
