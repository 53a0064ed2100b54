"""Per-event cost of each stream mode, in-process: (streaming the mode - streaming no mode at
all, ``stream_mode=[]``) / the events the mode delivered. Not ``ainvoke`` as the baseline: it
streams ``values`` internally, one event per step; nor an idle mode: ``custom`` and ``messages``
cost something per step even when they deliver nothing.

``messages`` uses the app's graph answering "count to 300". The app's graph yields only 3
``updates`` and 6 ``custom`` events per run, microseconds each, too few to time on a noisy
machine, so those two get minimal graphs of their own that produce many: a node looping
50 steps (one update each) and a node writing 1,000 events with ``get_stream_writer`` (as
the tools do).

Many short pairs, each pair run back to back in alternating order, and the median of their
differences: on a shared machine the CPU time of one and the same run drifts by tens of per
cent over seconds, which a pair of adjacent short runs mostly cancels.
"""

from __future__ import annotations

import gc
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, TypedDict

from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.types import StreamMode

from agent.graph import graph
from bench.floor import RUN_CONTEXT, user_input
from bench.measure import Spread, question

STEPS = 50
WRITES = 1_000
ANSWER = 300


class Counter(TypedDict):
    count: int


def _write(state: Counter) -> Counter:
    writer = get_stream_writer()
    for index in range(WRITES):
        writer({"progress": index})
    return {"count": WRITES}


def _step(state: Counter) -> Counter:
    return {"count": state["count"] + 1}


def _writer_graph() -> Any:
    builder = StateGraph(Counter)
    builder.add_node("write", _write)
    builder.add_edge(START, "write")
    builder.add_edge("write", END)
    return builder.compile()


def _loop_graph() -> Any:
    builder = StateGraph(Counter)
    builder.add_node("step", _step)
    builder.add_edge(START, "step")
    builder.add_conditional_edges("step", lambda s: END if s["count"] >= STEPS else "step")
    return builder.compile()


@dataclass(frozen=True)
class Probe:
    mode: StreamMode
    workload: str
    stream: Callable[[list[StreamMode]], AsyncIterator[Any]]


def _probes() -> list[Probe]:
    writer, steps = _writer_graph(), _loop_graph()
    limit = {"recursion_limit": STEPS + 5}
    app_input = user_input(question(ANSWER))
    return [
        Probe(
            "messages", f"app graph, {ANSWER}-token answer",
            lambda mode: graph.astream(app_input, context=RUN_CONTEXT, stream_mode=mode),
        ),
        Probe(
            "updates", f"{STEPS}-step loop graph",
            lambda mode: steps.astream({"count": 0}, limit, stream_mode=mode),
        ),
        Probe(
            "custom", f"node writing {WRITES} events",
            lambda mode: writer.astream({"count": 0}, stream_mode=mode),
        ),
    ]  # fmt: skip


@dataclass(frozen=True)
class ModeCost:
    mode: str
    workload: str
    events: int
    us_per_event: Spread | None
    """Over the pairs of runs."""


async def _timed(probe: Probe, modes: list[StreamMode]) -> tuple[float, int]:
    """CPU seconds, not wall time: the probes are CPU-bound in this one thread, and CPU time
    leaves out the time other processes on a shared machine take the core."""
    events = 0
    start = time.process_time()
    async for _ in probe.stream(modes):
        events += 1
    return time.process_time() - start, events


async def _pair(probe: Probe, mode_first: bool) -> tuple[float, int]:
    """CPU seconds streaming the mode minus streaming none, and the events streamed."""
    if mode_first:
        (streamed, events), (base, _) = await _timed(probe, [probe.mode]), await _timed(probe, [])
    else:
        (base, _), (streamed, events) = await _timed(probe, []), await _timed(probe, [probe.mode])
    return streamed - base, events


async def mode_costs(pairs: int) -> list[ModeCost]:
    """``pairs`` pairs of runs per probe, probes interleaved, after one warm-up each."""
    probes = _probes()
    for probe in probes:
        await _timed(probe, [probe.mode])
    costs: dict[str, list[float]] = {p.mode: [] for p in probes}
    events: dict[str, int] = {}
    for index in range(pairs):
        gc.collect()
        gc.disable()  # a collection inside one run of a pair and not the other is pure noise
        try:
            for probe in probes:
                extra, events[probe.mode] = await _pair(probe, mode_first=bool(index % 2))
                costs[probe.mode].append(extra / max(events[probe.mode], 1) * 1e6)
        finally:
            gc.enable()
    return [ModeCost(p.mode, p.workload, events[p.mode], Spread.of(costs[p.mode])) for p in probes]
