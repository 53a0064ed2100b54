"""Another user's longest gap between tokens while a long thread is read (issue 24).

A paced answer streams on another thread, through the runs API and through direct SSE; once
it flows, the long thread is read as the web app reads it (``GET /threads/{id}/state`` and
``POST /threads/{id}/history`` with limit 200, together), ``READS`` times in a row. A read that
blocks the server's event loop shows as a gap in the other user's tokens: the longest gap
inside the reads' window is compared with the longest outside it, in the same stream. The
reads come from another process (``soak_reader.py``), as they would from another client.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from langgraph_sdk.client import LangGraphClient

from bench.direct import sse_answer
from bench.measure import CONTEXT, Clock, Sample
from bench.runs_api import sdk_answer
from bench.soak_reader import HISTORY_LIMIT as HISTORY_LIMIT

ROOT = Path(__file__).resolve().parents[1]
READS = 3
SIZE = 1000
DELAY = 0.01
"""Seconds between the other user's tokens: ~10 s of answer, past the reads."""
PACED = {**CONTEXT, "offline_token_delay": DELAY}
LEAD = 0.5
"""Seconds of answer before the reads start: the gap outside their window."""
TIMEOUT = 120.0
PATHS = ("runs API", "direct SSE")


class GapClock(Clock):
    """A clock that keeps every token's time."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.times: list[float] = []
        self.flowing = asyncio.Event()

    def token(self, text: str) -> None:
        super().token(text)
        self.times.append(time.perf_counter())
        self.flowing.set()


@dataclass
class Gaps:
    path: str
    during_ms: float | None = None
    """The longest gap between tokens that overlaps the reads' window."""
    outside_ms: float | None = None
    read_ms: list[float] = field(default_factory=list)
    """Each state + history read, both requests together."""
    read_bytes: int = 0
    """The response bodies of one state + history read."""
    errors: list[str] = field(default_factory=list)


def _longest(times: list[float], start: float, end: float) -> tuple[float | None, float | None]:
    """The longest gap overlapping [start, end], and the longest elsewhere, in ms."""
    inside: list[float] = []
    outside: list[float] = []
    for before, after in itertools.pairwise(times):
        (inside if after >= start and before <= end else outside).append(after - before)
    return (
        max(inside) * 1000 if inside else None,
        max(outside) * 1000 if outside else None,
    )


Answer = Callable[[GapClock], Awaitable[Sample]]
Read = Callable[[], Awaitable[tuple[float, int]]]


@contextlib.asynccontextmanager
async def _reader(base: str, thread_id: str) -> AsyncIterator[Read]:
    """A reader process, started before anything is timed; each call is one read."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.soak_reader", base, thread_id,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    stdin, stdout = process.stdin, process.stdout

    async def answer() -> dict[str, float]:
        line = await asyncio.wait_for(stdout.readline(), TIMEOUT)
        if not line:
            raise RuntimeError(f"the reader ended (exit {await process.wait()})")
        return dict(json.loads(line))

    async def read() -> tuple[float, int]:
        stdin.write(b"read\n")
        await stdin.drain()
        done = await answer()
        return done["ms"], int(done["bytes"])

    try:
        await answer()  # ready
        yield read
    finally:
        stdin.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), 10)
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _one(path: str, answer: Answer, read: Read) -> Gaps:
    clock = GapClock(SIZE)
    result = Gaps(path)
    streaming = asyncio.ensure_future(answer(clock))
    try:
        async with asyncio.timeout(TIMEOUT):
            await asyncio.wait(
                [streaming, asyncio.ensure_future(clock.flowing.wait())],
                return_when=asyncio.FIRST_COMPLETED,
            )
            await asyncio.sleep(LEAD)
            start = time.perf_counter()
            for _ in range(READS):
                ms, result.read_bytes = await read()
                result.read_ms.append(ms)
            end = time.perf_counter()
            sample = await streaming
    except Exception as exc:
        streaming.cancel()
        result.errors.append(f"{type(exc).__name__}: {exc}")
        return result
    if sample.error:
        result.errors.append(sample.error)
    if end >= (clock.times[-1] if clock.times else 0):
        result.errors.append("the answer ended before the reads did: the gap is not covered")
    result.during_ms, result.outside_ms = _longest(clock.times, start, end)
    return result


async def measure(client: LangGraphClient, base: str, thread_id: str) -> list[Gaps]:
    """The runs API's stream, then direct SSE's, each while the long thread is read."""
    async with httpx.AsyncClient(timeout=TIMEOUT) as http, _reader(base, thread_id) as read:
        answers: dict[str, Answer] = {
            PATHS[0]: lambda clock: sdk_answer(client, SIZE, None, context=PACED, clock=clock),
            PATHS[1]: lambda clock: sse_answer(http, base, SIZE, None, context=PACED, clock=clock),
        }
        return [await _one(path, answer, read) for path, answer in answers.items()]
