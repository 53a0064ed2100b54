"""What a reader needs to know to trust the figures, stated from this run's own numbers."""

from __future__ import annotations

from bench.layers import FLOOR, SDK
from bench.layers_summary import find, generated_first, rows
from bench.measure import SIZES, expected_tokens
from bench.run import Results
from bench.targets import label


def _cap() -> list[str]:
    capped = [size for size in SIZES if len(expected_tokens(size)) < size]
    return [
        f"The offline model caps `count to N` at {len(expected_tokens(size)):,} tokens "
        "(`_MAX_COUNT` in agent/intents.py), so the "
        f"{size:,}-token rows are {len(expected_tokens(size)):,}-token answers. Measuring the "
        "issue's size needs that cap raised to 10,000; agent/ was left unchanged."
        for size in capped[:1]
    ]


def _queue(results: Results) -> list[str]:
    table = rows(results.sweep)
    metas = [row.meta_ms.median for s in SIZES if (row := find(table, SDK, s)) and row.meta_ms]
    if not metas:
        return []
    return [
        f"Through the runs API the first event (`metadata`) came {min(metas):.0f}–"
        f"{max(metas):.0f} ms after the request (medians per size): the run waits in the "
        "in-memory queue of `langgraph dev`, which polls every 0.5 s (`Runs.next` in "
        "langgraph_runtime_inmem/ops.py takes `now`, sleeps 0.5 s, then takes runs created "
        "before `now`), i.e. 0.5–1.0 s before any event. That wait belongs to the dev runtime, "
        "not to the graph, the SDK or the client library; LangGraph Platform's queue was not "
        "measured. The runs API's spreads also carry the dev runtime's persistence: every 10 s "
        "a background thread pickles its whole in-memory state, which grows with every answer "
        "(langgraph_runtime_inmem/_persistence.py), and the run streaming at that moment waits."
    ]


def _batching(results: Results) -> list[str]:
    table = rows(results.sweep)
    small, large = (find(table, FLOOR, size) for size in (SIZES[0], SIZES[-1]))
    if not (small and large and small.first_ms and large.first_ms and generated_first(table)):
        return []
    return [
        "With no token delay the offline model did not yield between chunks, so a consumer saw "
        "the first token only once the whole answer had been generated: the floor's first "
        f"token is {small.first_ms.median:.1f} ms at {label(SIZES[0])} tokens and "
        f"{large.first_ms.median:.1f} ms at {label(SIZES[-1])}. A real provider yields at "
        "every network read; for first-token latency read the smallest answer."
    ]


def _noise(results: Results) -> list[str]:
    noisy = [m.mode for m in results.modes if m.us_per_event and m.us_per_event.q1 < 0]
    return [
        f"The per-event cost of `{'`, `'.join(noisy)}` is within this run's noise (a quarter "
        "of the pairs of runs or more came out negative): identical runs varied in CPU time by "
        "more than the mode costs."
    ] if noisy else []  # fmt: skip


def notes(results: Results) -> list[str]:
    found = _cap() + _queue(results) + _batching(results) + _noise(results)
    found += [
        "First token: the first non-empty text from the `agent` node. The WebSocket rows reuse "
        "one socket, as a chat client does; the server keeps that socket's history and sends "
        "all of it to the graph with each question. The SDK rows create the thread with the "
        "run (`if_not_exists`), as the client library does; the library makes its own HTTP "
        "client per run, as applications use it.",
    ]
    if not results.settings.quick:
        found.append(
            "Repeats: "
            + ", ".join(f"{k} {v}" for k, v in results.settings.repeats.items())
            + " (`--quick` uses fewer)."
        )
    return found
