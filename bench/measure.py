"""What every layer's measurement shares: the questions, a token clock, CPU meters, statistics."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage

from agent.intents import plan_reply, tokenize
from harness.server import descendants

# The offline model with no pacing: what is measured is the stack, not a simulated provider.
CONTEXT: dict[str, Any] = {"model": "offline", "offline_token_delay": 0.0, "tool_step_delay": 0.0}
SIZES = (10, 1_000, 10_000)
PAGE = os.sysconf("SC_PAGE_SIZE")
TOOL_QUESTION = "分析用户数据"
"""Calls ``analyze_dataset``, which writes 6 progress events 5 pauses apart."""


def question(size: int) -> str:
    return f"count to {size}"


@cache
def expected_tokens(size: int) -> tuple[str, ...]:
    """The tokens the offline model streams for ``count to size``, from its own planner, so
    a cap on its answers (``agent/intents.py``) shows as fewer expected tokens."""
    return tuple(tokenize(plan_reply([HumanMessage(question(size))], ()).text))


@dataclass
class Sample:
    """One streamed answer, in seconds from the request."""

    first: float | None
    last: float | None
    end: float
    tokens: int
    meta: float | None = None
    error: str | None = None
    lost: int = 0
    client_cpu: float = 0.0
    server_cpu: float | None = None
    start: float = 0.0
    """``time.perf_counter()`` at the request, to line up samples taken at once."""

    @property
    def ok(self) -> bool:
        return self.error is None and self.lost == 0

    @property
    def rate(self) -> float | None:
        """Tokens per second up to the last token (the request's own latency included)."""
        return self.tokens / self.last if self.last else None


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (all its threads), from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (the server and its workers)."""
    total = 0
    for pid in {root, *descendants(root)}:
        with contextlib.suppress(OSError, IndexError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    return total


@dataclass
class Clock:
    """Timestamps one streamed answer and checks its tokens against the expected ones."""

    size: int
    server_pid: int | None = None
    start: float = field(default_factory=time.perf_counter)
    first: float | None = None
    last: float | None = None
    meta: float | None = None
    parts: list[str] = field(default_factory=list)
    error: str | None = None
    _cpu: float = field(default_factory=time.process_time)
    _server: float | None = None

    def __post_init__(self) -> None:
        if self.server_pid is not None:
            self._server = server_cpu_seconds(self.server_pid)

    def now(self) -> float:
        return time.perf_counter() - self.start

    def token(self, text: str) -> None:
        now = self.now()
        if self.first is None:
            self.first = now
        self.last = now
        self.parts.append(text)

    def metadata(self) -> None:
        if self.meta is None:
            self.meta = self.now()

    def fail(self, message: str) -> None:
        self.error = self.error or message

    def sample(self) -> Sample:
        end = self.now()
        expected = expected_tokens(self.size)
        lost = max(0, len(expected) - len(self.parts))
        if not self.error and "".join(self.parts) != "".join(expected):
            self.error = f"text differs: {len(self.parts)} tokens, {len(expected)} expected"
        server = None
        if self.server_pid is not None and self._server is not None:
            server = server_cpu_seconds(self.server_pid) - self._server
        return Sample(
            first=self.first,
            last=self.last,
            end=end,
            tokens=len(self.parts),
            meta=self.meta,
            error=self.error,
            lost=lost,
            client_cpu=time.process_time() - self._cpu,
            server_cpu=server,
            start=self.start,
        )


@dataclass(frozen=True)
class Spread:
    """Median and spread of repeated measurements."""

    median: float
    low: float
    high: float
    q1: float
    q3: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Spread | None:
        if not values:
            return None
        ordered = sorted(values)
        q1, _, q3 = statistics.quantiles(ordered, n=4) if len(ordered) > 1 else ordered * 3
        return cls(statistics.median(ordered), ordered[0], ordered[-1], q1, q3, len(ordered))

    def scaled(self, factor: float) -> Spread:
        low, median, high = self.low * factor, self.median * factor, self.high * factor
        return Spread(median, low, high, self.q1 * factor, self.q3 * factor, self.n)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: p95 of 50 streams is the 48th fastest."""
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def spread(samples: list[Sample], attribute: str, factor: float = 1.0) -> Spread | None:
    """The spread of one attribute over the samples that have it (errors excluded)."""
    values = [getattr(s, attribute) for s in samples if s.error is None]
    found = Spread.of([v for v in values if v is not None])
    return found.scaled(factor) if found else None


async def poll(
    check: Callable[[], Awaitable[bool]], every: float = 0.01, limit: float = 10
) -> float:
    """``time.perf_counter()`` when ``check`` first holds, asked every ``every`` seconds: for
    states a server reports only when asked (a run's status, the active streams)."""
    for _ in range(round(limit / every)):
        if await check():
            return time.perf_counter()
        await asyncio.sleep(every)
    raise TimeoutError(f"not reached within {limit} s")
