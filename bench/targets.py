"""The issue's targets, judged from this run's figures; an unmet one says which upstream part
is the floor, with the figures that show it."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from bench.browser_profile import MainThread
from bench.layers import FLOOR, LIBRARY, ROUTE, SDK, SSE, WS
from bench.layers_summary import LayerRow, find, generated_first, per_token_us, rows
from bench.measure import SIZES, Spread, expected_tokens
from bench.run import Results

SSE_FIRST_MS = 30.0
SSE_RATE_SHARE = 0.5
LIBRARY_EXTRA = 0.10
CANCEL_MS = 250.0
LONG_TASK_MS = 100.0
INITIAL_JS_KB = 150.0
SATURATED = 0.8
"""A process using this share of one core or more while it streams is the bottleneck."""


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    met: bool | None
    """None: not measured in this run."""
    why: str = ""


def label(size: int) -> str:
    served = len(expected_tokens(size))
    return f"{size:,}" + (f" ({served:,} served)" if served != size else "")


def _median(row: LayerRow | None, attribute: str) -> float | None:
    spread = getattr(row, attribute, None) if row else None
    return spread.median if spread else None


def _at(table: list[LayerRow], path: str, size: int, attribute: str) -> float:
    """A median from the table, 0 when it was not measured (only for explanations)."""
    return _median(find(table, path, size), attribute) or 0.0


def _sse_first(results: Results, table: list[LayerRow]) -> Target:
    name = f"Direct SSE: first token within {SSE_FIRST_MS:.0f} ms of the in-process floor"
    gaps: dict[int, float] = {}
    for size in SIZES:
        sse, floor = (
            _median(find(table, SSE, size), "first_ms"),
            _median(find(table, FLOOR, size), "first_ms"),
        )
        if sse is not None and floor is not None:
            gaps[size] = sse - floor
    if len(gaps) < len(SIZES):
        return Target(name, "not measured", None)
    measured = ", ".join(f"{gap:+.1f} ms at {label(size)}" for size, gap in gaps.items())
    worst = max(gaps, key=lambda size: gaps[size])
    if gaps[worst] <= SSE_FIRST_MS:
        return Target(name, measured, True)
    floor, route, sse, ws = (_at(table, p, worst, "first_ms") for p in (FLOOR, ROUTE, SSE, WS))
    small = SIZES[0]
    why = (
        f"At {label(worst)} tokens: floor {floor:.1f} ms, the route's own code run in this "
        f"process {route:.1f} ms, SSE {sse:.1f} ms, the WebSocket on the same server {ws:.1f} "
        f"ms. At {label(small)} tokens SSE is {gaps[small]:+.1f} ms from the floor: the "
        "request, the headers and the first event cost little. "
    )
    batched = generated_first(table)
    if batched:
        why += (
            "With no token delay the offline model did not yield between chunks, so the whole "
            "answer was generated before its first token left (the floor's own first token: "
            f"{_at(table, FLOOR, small, 'first_ms'):.1f} ms at {label(small)} tokens, "
            f"{floor:.1f} ms at {label(worst)}). "
        )
    if ws - floor > SSE_FIRST_MS:
        why += (
            "Over both transports the server process took longer than this one to get there: "
            "the floor of this figure is "
            + ("the graph generating the whole answer" if batched else "the graph and the route")
            + " inside `langgraph dev`, not the SSE transport."
        )
    else:
        why += (
            f"Over the WebSocket it came {ws - floor:+.1f} ms from the floor, so "
            f"{sse - ws:+.1f} ms is the SSE path itself (see the throughput target)."
        )
    return Target(name, measured, False, why)


def _sse_rate(results: Results, table: list[LayerRow]) -> Target:
    name = "Direct SSE: throughput at least half of the floor's"
    size = SIZES[-1]
    sse, floor = find(table, SSE, size), find(table, FLOOR, size)
    if not sse or sse.rate_x_floor is None or not floor:
        return Target(name, "not measured", None)
    measured = (
        f"{_median(sse, 'tokens_per_s') or 0:,.0f} vs {_median(floor, 'tokens_per_s') or 0:,.0f} "
        f"tokens/s at {label(size)} (×{sse.rate_x_floor:.2f})"
    )
    if sse.rate_x_floor >= SSE_RATE_SHARE:
        return Target(name, measured, True)
    slope = per_token_us(results.sweep)
    server, client, wall = (
        _at(table, SSE, size, a) for a in ("server_cpu_ms", "client_cpu_ms", "last_ms")
    )
    ws_server = _at(table, WS, size, "server_cpu_ms")
    tokens = sse.tokens
    why = (
        f"Per token event (slope between {label(SIZES[0])} and {label(size)} tokens): floor "
        f"{slope.get(FLOOR) or 0:.1f} µs, the route's code in this process "
        f"{slope.get(ROUTE) or 0:.1f} µs, WebSocket {slope.get(WS) or 0:.1f} µs, SSE "
        f"{slope.get(SSE) or 0:.1f} µs. During the SSE answer the `langgraph dev` process used "
        f"{server:.0f} ms of CPU in {wall:.0f} ms to the last token ({server / wall:.0%} of one "
        f"core, on one event loop) while this client used {client:.0f} ms ({client / wall:.0%}). "
    )
    if server >= SATURATED * wall:
        why += "The server's per-event CPU is the floor. "
    elif client >= SATURATED * wall:
        why += "This client's per-event CPU (httpx and JSON parsing) is the floor. "
    if server > ws_server:
        why += (
            f"The same answer over the WebSocket took {ws_server:.0f} ms of server CPU, so "
            f"{(server - ws_server) / tokens * 1000:.0f} µs per event is the HTTP-only part of "
            "the server: sse-starlette, uvicorn's HTTP path, and the middleware `langgraph dev` "
            "wraps every HTTP route in, custom routes included; one of them is a Starlette "
            "BaseHTTPMiddleware (PrivateNetworkMiddleware, switched on by the dev CLI's "
            "ALLOW_PRIVATE_NETWORK), which relays every response message through an anyio "
            "memory stream to a second task. WebSockets bypass it. "
        )
    why += "The floor path itself is an in-memory generator with no I/O."
    return Target(name, measured, False, why)


def _library(results: Results, table: list[LayerRow]) -> Target:
    size = SIZES[-1]
    name = f"Client library adds < {LIBRARY_EXTRA:.0%} to the raw SDK, {label(size)} tokens"
    samples = {
        path: [s for s in results.sweep.get(path, {}).get(size, []) if s.ok and s.first]
        for path in (SDK, LIBRARY)
    }
    if not all(samples.values()):
        return Target(name, "not measured", None)
    after = {
        p: statistics.median(s.end - (s.first or 0) for s in v) * 1000 for p, v in samples.items()
    }
    whole = {p: statistics.median(s.end for s in v) * 1000 for p, v in samples.items()}
    extra = after[LIBRARY] / after[SDK] - 1
    cpu = {
        (path, side): _at(table, path, size, f"{side}_cpu_ms")
        for path in (LIBRARY, SDK)
        for side in ("client", "server")
    }
    measured = (
        f"{extra:+.0%} from first token to the end ({after[LIBRARY]:.0f} vs {after[SDK]:.0f} ms); "
        f"whole answer incl. the queue wait {whole[LIBRARY]:.0f} vs {whole[SDK]:.0f} ms; client "
        f"CPU {cpu[LIBRARY, 'client']:.0f} vs {cpu[SDK, 'client']:.0f} ms"
    )
    if extra < LIBRARY_EXTRA:
        return Target(name, measured, True)
    client_extra = cpu[LIBRARY, "client"] - cpu[SDK, "client"]
    server_extra = cpu[LIBRARY, "server"] / max(cpu[SDK, "server"], 1.0) - 1
    why = (
        f"Client CPU per answer: library {cpu[LIBRARY, 'client']:.0f} ms, SDK "
        f"{cpu[SDK, 'client']:.0f} ms, i.e. {client_extra / samples[LIBRARY][0].tokens * 1000:.0f} "
        "µs more per token event"
        + ("; the profile below shows where it goes" if results.profile else "")
        + (
            f", and each run first builds its own SDK client ({results.client_setup_ms.median:.0f}"
            " ms)"
            if results.client_setup_ms
            else ""
        )
        + f". Server CPU: {cpu[LIBRARY, 'server']:.0f} vs {cpu[SDK, 'server']:.0f} ms "
        f"({server_extra:+.0%}). "
    )
    why += (
        "The one server-side difference: the library starts its runs resumable "
        "(`stream_resumable=True`), so the server also keeps every event for replay."
        if server_extra > LIBRARY_EXTRA
        else "The server worked about as hard for both, so the extra time is the library's "
        "own client-side work."
    )
    return Target(name, measured, False, why)


def _cancel(results: Results) -> Target:
    name = f"Cancel: stopped and the tool silent within {CANCEL_MS:.0f} ms"
    if not results.cancel:
        return Target(name, "not measured", None)
    parts, failures = [], []
    for r in results.cancel:
        if r.ended_ms is None:
            failures.append(f"{r.path}: no cancel completed; errors: {r.errors}.")
            continue
        worst = max(r.ended_ms.high, r.silent_ms.high if r.silent_ms else 0.0)
        parts.append(f"{r.path}: {r.ended_ms.median:.0f} ms (max {worst:.0f})")
        if worst > CANCEL_MS or r.tool_finished or r.errors:
            ack = f"; the cancel request answered in {r.ack_ms.median:.0f} ms" if r.ack_ms else ""
            failures.append(
                f"{r.path}: slowest {worst:.0f} ms to {r.ended}{ack}; tool finished after the "
                f"cancel in {r.tool_finished} run(s); errors: {r.errors or 'none'}."
            )
    return Target(name, "; ".join(parts), not failures, " ".join(failures))


def _concurrency(results: Results) -> Target:
    name = "50 concurrent streams: zero errors, zero lost tokens"
    levels = [level for level in results.concurrency if level.streams == 50]
    if not levels:
        return Target(name, "not measured", None)
    measured = "; ".join(f"{lv.path}: {lv.errors} errors, {lv.lost} lost" for lv in levels)
    bad = [lv for lv in levels if lv.errors or lv.lost]
    why = " ".join(f"{lv.path}: {', '.join(lv.first_errors)}." for lv in bad)
    return Target(name, measured, not bad, why)


def _worst(spread: Spread | None) -> float:
    return spread.high if spread else 0.0


def _waiting_for_a_core(main_thread: MainThread) -> str:
    """Why, when the page's own work in its longest tasks is well under the bound."""
    if not main_thread.longest:
        return ""
    wall, cpu = main_thread.longest[0]
    most_cpu = max(c for _, c in main_thread.longest)
    if most_cpu > LONG_TASK_MS / 2:
        return ""
    return (
        f"In a traced warm answer its longest task took {wall:.0f} ms of wall time but only "
        f"{cpu:.0f} ms of the main thread's CPU, and no task used more than {most_cpu:.0f} ms: "
        "for the rest the thread was not running, waiting for one of the machine's cores, "
        "which the server streaming the answer and the browser's other processes share."
    )


def _long_tasks(results: Results) -> Target:
    name = f"Browser: no long task over {LONG_TASK_MS:.0f} ms while 5,000 tokens stream"
    views = {v.view: v for v in (results.browser.views if results.browser else []) if v.cold.n}
    if not views:
        return Target(name, "not measured", None)
    cold = {view: _worst(v.cold.longest_ms) for view, v in views.items()}
    warm = {view: _worst(v.warm.longest_ms) for view, v in views.items()}
    measured = "; ".join(
        f"{view} view: longest {cold[view]:.0f} ms (page's first answer), {warm[view]:.0f} ms "
        "(second)"
        for view in views
    )
    failing = [view for view in views if max(cold[view], warm[view]) > LONG_TASK_MS]
    reasons = []
    for view in failing:
        if warm[view] <= LONG_TASK_MS:
            chunks = ", ".join(views[view].cold.loaded_before_longest)
            reasons.append(
                f"{view} view: only a page's first answer has it ({cold[view]:.0f} ms); its "
                f"second answer's longest task was {warm[view]:.0f} ms. "
                + (
                    f"{chunks} finished loading in the 200 ms before it: the floor is the "
                    "first use of that lazily loaded code (evaluating it, first render), not "
                    "the streaming."
                    if chunks
                    else "A one-off of the page's first answer, not of the steady stream."
                )
            )
        elif waiting := _waiting_for_a_core(views[view].main_thread):
            reasons.append(f"{view} view: {warm[view]:.0f} ms even on a warm page. {waiting}")
        elif any(warm[other] <= LONG_TASK_MS for other in views if other != view):
            scripts = ", ".join(
                f"{n} {ms:,.0f} ms" for n, ms in views[view].main_thread.scripts[1:4]
            )
            reasons.append(
                f"{view} view: {warm[view]:.0f} ms even on a warm page, where the other view, "
                "with the same message components, stays under the bound: the floor is this "
                "view's stream handling"
                + (f" (profiled, its main thread went to {scripts})." if scripts else ".")
            )
        else:
            reasons.append(
                f"{view} view: {warm[view]:.0f} ms even on a warm page, as in the other view: "
                "the floor is the rendering both views share."
            )
    return Target(name, measured, not failing, " ".join(reasons))


def _initial_js(results: Results) -> Target:
    name = f"Browser: initial JS under {INITIAL_JS_KB:.0f} kB gzipped"
    size = results.browser.initial_js_kb if results.browser else None
    if size is None:
        return Target(name, "not measured", None)
    return Target(name, f"{size:.1f} kB (npm run size)", size < INITIAL_JS_KB)


def evaluate(results: Results) -> list[Target]:
    table = rows(results.sweep)
    return [
        _sse_first(results, table),
        _sse_rate(results, table),
        _library(results, table),
        _cancel(results),
        _concurrency(results),
        _long_tasks(results),
        _initial_js(results),
    ]
