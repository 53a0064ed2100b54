"""Where the client's time goes: cProfile, in the client process, of one large answer through
the raw SDK and one through the client library, grouped by package.

Built-ins (``repr``, ``json.loads``...) are charged to the package that called them, so the
library's own work includes the built-ins it calls.
"""

from __future__ import annotations

import cProfile
import pstats
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from langgraph_sdk.client import LangGraphClient

from bench.measure import CONTEXT, Spread, question
from bench.runs_api import MODES, user
from client import astream
from client.clients import new_client

GROUPS = (
    ("/client/", "client library (client/)"),
    ("langgraph_sdk", "langgraph-sdk"),
    ("httpx", "httpx, httpcore, h11, anyio"),
    ("httpcore", "httpx, httpcore, h11, anyio"),
    ("h11", "httpx, httpcore, h11, anyio"),
    ("anyio", "httpx, httpcore, h11, anyio"),
    ("asyncio", "asyncio event loop"),
    ("selectors", "asyncio event loop"),
)
WAITING = "waiting for the server (epoll)"
TOP = 8

Func = tuple[str, int, str]


@dataclass(frozen=True)
class Profile:
    seconds: float
    """Wall time of the profiled answer (profiling slows the Python side)."""
    groups: dict[str, float]
    """Seconds of CPU (own time) per group; the epoll wait is idle time."""
    top: list[tuple[str, int, float]]
    """The library's most expensive functions: name, calls, own seconds (with built-ins)."""


def _group(func: Func) -> str:
    filename, _, name = func
    if "epoll" in name:
        return WAITING
    return next((group for key, group in GROUPS if key in filename), "other")


def _where(func: Func) -> str:
    filename, line, name = func
    return f"{'/'.join(filename.split('/')[-2:])}:{line} {name}"


def _summarise(stats: pstats.Stats, seconds: float) -> Profile:
    table: dict[Func, Any] = stats.stats  # type: ignore[attr-defined]
    groups: dict[str, float] = {}
    own: dict[str, tuple[int, float]] = {}
    for func, (_, calls, tottime, _, callers) in table.items():
        charged, label = func, _where(func)
        if func[0] == "~" and "epoll" not in func[2] and callers:
            # A built-in: charge it to its main caller.
            charged = max(callers.items(), key=lambda item: item[1][2])[0]
            label = f"{_where(charged)} -> {func[2]}"
        group = _group(charged)
        groups[group] = groups.get(group, 0.0) + tottime
        if group == GROUPS[0][1]:
            count, total = own.get(label, (0, 0.0))
            own[label] = (count + calls, total + tottime)
    ranked = sorted(own.items(), key=lambda item: -item[1][1])[:TOP]
    top = [(label, calls, total) for label, (calls, total) in ranked]
    return Profile(seconds, dict(sorted(groups.items(), key=lambda g: -g[1])), top)


async def _profiled(answer: Callable[[], Awaitable[None]]) -> Profile:
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    try:
        await answer()
    finally:
        profiler.disable()
    return _summarise(pstats.Stats(profiler), time.perf_counter() - start)


async def profile(client: LangGraphClient, url: str, size: int) -> dict[str, Profile]:
    """One answer of ``size`` through each; the SDK over the caller's kept-alive client."""

    async def sdk() -> None:
        async for _ in client.runs.stream(
            str(uuid.uuid4()), "agent", input=user(question(size)), stream_mode=MODES,
            context=CONTEXT, if_not_exists="create",
        ):  # fmt: skip
            pass

    async def library() -> None:
        async for _ in astream(question(size), url=url, context=CONTEXT):
            pass

    return {"raw SDK": await _profiled(sdk), "client library": await _profiled(library)}


async def client_setup_ms(url: str, repeats: int = 5) -> Spread | None:
    """What building an SDK client costs (its httpx transport builds an SSL context even for
    http:// URLs): the library pays it once per event loop, server and key, not per run."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        client = new_client(url, None)
        samples.append((time.perf_counter() - start) * 1000)
        await client.aclose()
    return Spread.of(samples)
