"""The side-by-side sweep: every path answers every size, interleaved, in one run.

Interleaving (each repeat asks each path in turn) spreads a noisy neighbour's load over all
paths alike, which is what makes the ratios to the floor comparable.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable

import httpx
from langgraph_sdk import get_client

from bench import floor
from bench.direct import sse_answer, ws_answer, ws_connect
from bench.measure import SIZES, Sample
from bench.runs_api import library_answer, sdk_answer
from bench.thread_stream import thread_stream_answer
from harness.server import Server

FLOOR = "floor: graph.astream in-process"
ROUTE = "direct route code in-process, no HTTP"
SSE = "direct SSE /api/chat/stream"
WS = "direct WebSocket /ws/chat"
SDK = "runs API: raw SDK runs.stream"
LIBRARY = "runs API: client library astream"
THREAD = "runs API: thread event stream (useStream's)"
PATHS = (FLOOR, ROUTE, SSE, WS, SDK, LIBRARY, THREAD)
RUNS = (SDK, LIBRARY, THREAD)
"""The paths that start a run on the server: one answer each per round (the rest answer in
milliseconds, ``cheap`` times)."""

SETTLE = 0.02
ANSWER_TIMEOUT = 120.0
Sweep = dict[str, dict[int, list[Sample]]]


async def sweep(server: Server, repeats: int, cheap: int) -> Sweep:
    """``repeats`` rounds of each size from each path, after one warm-up answer per path; the
    paths that answer in milliseconds answer ``cheap`` times per round."""
    pid = server.process.pid
    client = get_client(url=server.url, api_key=None)
    results: Sweep = {path: {size: [] for size in SIZES} for path in PATHS}
    async with httpx.AsyncClient(timeout=120) as http, ws_connect(server.url) as socket:
        answer: dict[str, Callable[[int], Awaitable[Sample]]] = {
            FLOOR: floor.stream_answer,
            ROUTE: floor.route_code,
            SSE: lambda size: sse_answer(http, server.url, size, pid),
            WS: lambda size: ws_answer(socket, size, pid),
            SDK: lambda size: sdk_answer(client, size, pid),
            LIBRARY: lambda size: library_answer(server.url, size, pid),
            THREAD: lambda size: thread_stream_answer(http, server.url, size, pid),
        }
        for path in PATHS:
            await guarded(answer[path], SIZES[0])
        for repeat in range(repeats):
            # The runs API paths take turns in first place, so that what the server still does
            # after the paths before them (and its in-memory runtime's pickling of all state
            # every 10 s) does not always land on the same one.
            turn = repeat % len(RUNS)
            order = (*PATHS[: -len(RUNS)], *RUNS[turn:], *RUNS[:turn])
            for size in SIZES:
                for path in order:
                    for _ in range(1 if path in RUNS else cheap):
                        results[path][size].append(await guarded(answer[path], size))
    await client.aclose()
    return results


async def guarded(answer: Callable[[int], Awaitable[Sample]], size: int) -> Sample:
    """A failed answer is a figure too (an error), not the end of the run. Each starts from a
    settled process: the previous path's closing clients and garbage, left to run during the
    next answer, made whichever path came next (the floor, at first) ~2x slower."""
    gc.collect()
    await asyncio.sleep(SETTLE)
    try:
        async with asyncio.timeout(ANSWER_TIMEOUT):
            return await answer(size)
    except Exception as exc:
        return Sample(None, None, 0.0, 0, error=f"{type(exc).__name__}: {exc}")
