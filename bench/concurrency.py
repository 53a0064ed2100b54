"""Many answers at once per path, at the jobs-per-worker setting `make dev` uses, with the
server's peak memory meanwhile.

Every stream's tokens are counted against the offline model's answer, so a lost, doubled or
reordered token is an error, not a slower figure.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

import httpx

from bench.direct import sse_answer, ws_answer, ws_connect
from bench.measure import Sample, Spread, expected_tokens, percentile, tree_rss
from bench.runs_api import library_answer

LEVELS = (1, 10, 50)
SIZE = 200
ROUND_TIMEOUT = 120.0
PATHS = ("runs API (client library)", "direct SSE", "direct WebSocket")


@dataclass(frozen=True)
class Round:
    """One burst of ``streams`` answers started together."""

    ttfts: list[float]
    """Seconds from the burst's start to each answer's first token."""
    tokens: int
    seconds: float
    errors: list[str]
    lost: int
    peak_rss: int = 0
    """Bytes, the server's process tree, sampled every 0.1 s during the burst."""


@dataclass(frozen=True)
class Level:
    path: str
    streams: int
    ttft_p50: Spread | None
    ttft_p95: Spread | None
    tokens_per_s: Spread | None
    errors: int
    lost: int
    first_errors: list[str]
    peak_rss_mib: Spread | None


async def _burst(answers: list[Callable[[], Awaitable[Sample]]]) -> Round:
    start = time.perf_counter()
    tasks = [asyncio.ensure_future(answer()) for answer in answers]
    done, pending = await asyncio.wait(tasks, timeout=ROUND_TIMEOUT)
    seconds = time.perf_counter() - start
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    errors = [f"no answer within {ROUND_TIMEOUT:.0f} s"] * len(pending)
    ttfts, tokens, lost = [], 0, len(pending) * len(expected_tokens(SIZE))
    for task in done:
        if (exc := task.exception()) is not None:
            errors.append(f"{type(exc).__name__}: {exc}")
            lost += len(expected_tokens(SIZE))
            continue
        sample = task.result()
        tokens += sample.tokens
        lost += sample.lost
        if sample.error:
            errors.append(sample.error)
        if sample.first is not None:
            ttfts.append(sample.start - start + sample.first)
    return Round(ttfts, tokens, seconds, errors, lost)


async def one_round(path: str, base: str, streams: int, http: httpx.AsyncClient) -> Round:
    if path == PATHS[0]:
        return await _burst([partial(library_answer, base, SIZE)] * streams)
    if path == PATHS[1]:
        return await _burst([partial(sse_answer, http, base, SIZE, None)] * streams)
    async with contextlib.AsyncExitStack() as stack:
        # Connected before the burst: what is timed is the answers, not the handshakes.
        sockets = [await stack.enter_async_context(ws_connect(base)) for _ in range(streams)]
        return await _burst([partial(ws_answer, socket, SIZE, None) for socket in sockets])


async def sampled(burst: Awaitable[Round], server_pid: int) -> Round:
    peak = 0

    async def sample() -> None:
        nonlocal peak
        while True:
            peak = max(peak, await asyncio.to_thread(tree_rss, server_pid))
            await asyncio.sleep(0.1)

    sampler = asyncio.create_task(sample())
    try:
        result = await burst
    finally:
        sampler.cancel()
    return dataclasses.replace(result, peak_rss=peak)


async def measure(base: str, server_pid: int, rounds: int) -> list[Level]:
    """Rounds of each path at each level, interleaved, so that load elsewhere hits them alike."""
    results: dict[tuple[str, int], list[Round]] = {}
    limits = httpx.Limits(max_connections=max(LEVELS) * 2)
    async with httpx.AsyncClient(timeout=ROUND_TIMEOUT, limits=limits) as http:
        for _ in range(rounds):
            for streams in LEVELS:
                for path in PATHS:
                    burst = await sampled(one_round(path, base, streams, http), server_pid)
                    results.setdefault((path, streams), []).append(burst)
    return [level(path, streams, bursts) for (path, streams), bursts in results.items()]


def level(path: str, streams: int, bursts: list[Round]) -> Level:
    ms = [b for b in bursts if b.ttfts]
    errors = [e for b in bursts for e in b.errors]
    return Level(
        path=path,
        streams=streams,
        ttft_p50=Spread.of([percentile(b.ttfts, 50) * 1000 for b in ms]),
        ttft_p95=Spread.of([percentile(b.ttfts, 95) * 1000 for b in ms]),
        tokens_per_s=Spread.of([b.tokens / b.seconds for b in bursts]),
        errors=len(errors),
        lost=sum(b.lost for b in bursts),
        first_errors=sorted(set(errors))[:3],
        peak_rss_mib=Spread.of([b.peak_rss / 2**20 for b in bursts if b.peak_rss]),
    )
