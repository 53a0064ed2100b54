"""The issue's targets, judged from this run's figures (what they mean: docs/benchmarks.md)."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from typing import TypeVar

from bench.cancel import CancelResult
from bench.layers import FLOOR, LIBRARY, SDK, SSE, THREAD
from bench.layers_summary import LayerRow, find, rows
from bench.mainroad import FirstToken
from bench.measure import SIZES, Spread, expected_tokens
from bench.run import Results
from bench.target import Target
from bench.targets_soak import soak_targets

R = TypeVar("R")

SSE_FIRST_MS = 30.0
SSE_RATE_SHARE = 0.5
LIBRARY_EXTRA = 0.10
CANCEL_MS = 250.0
LONG_TASK_MS = 100.0
INITIAL_JS_KB = 150.0
# Issue 18's "Done when": the runs API next to direct SSE.
RUNS_FIRST_MS = 30.0
RUNS_CPU_X = 2.5
RUNS_P95_MS = 1500.0
MAIN_VIEW_X = 1.5


def label(size: int) -> str:
    served = len(expected_tokens(size))
    return f"{size:,}" + (f" ({served:,} served)" if served != size else "")


def _median(row: LayerRow | None, attribute: str) -> float | None:
    spread = getattr(row, attribute, None) if row else None
    return spread.median if spread else None


def _sse_first(table: list[LayerRow]) -> Target:
    name = f"Direct SSE: first token within {SSE_FIRST_MS:.0f} ms of the in-process floor"
    gaps: dict[int, float] = {}
    for size in SIZES:
        sse, floor = (_median(find(table, p, size), "first_ms") for p in (SSE, FLOOR))
        if sse is not None and floor is not None:
            gaps[size] = sse - floor
    if len(gaps) < len(SIZES):
        return Target(name, "not measured", None)
    measured = ", ".join(f"{gap:+.1f} ms at {label(size)}" for size, gap in gaps.items())
    return Target(name, measured, max(gaps.values()) <= SSE_FIRST_MS)


def _sse_rate(table: list[LayerRow]) -> Target:
    name = "Direct SSE: throughput at least half of the floor's"
    size = SIZES[-1]
    sse, floor = find(table, SSE, size), find(table, FLOOR, size)
    if not sse or sse.rate_x_floor is None or not floor:
        return Target(name, "not measured", None)
    measured = (
        f"{_median(sse, 'tokens_per_s') or 0:,.0f} vs {_median(floor, 'tokens_per_s') or 0:,.0f} "
        f"tokens/s at {label(size)} (×{sse.rate_x_floor:.2f})"
    )
    return Target(name, measured, sse.rate_x_floor >= SSE_RATE_SHARE)


def _library(results: Results, table: list[LayerRow]) -> Target:
    """From the first token to the end: the queue wait before it is the dev runtime's."""
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
    cpu = {p: _median(find(table, p, size), "client_cpu_ms") or 0.0 for p in (LIBRARY, SDK)}
    extra = after[LIBRARY] / after[SDK] - 1
    measured = (
        f"{extra:+.0%} from first token to the end ({after[LIBRARY]:.0f} vs {after[SDK]:.0f} ms); "
        f"client CPU {cpu[LIBRARY]:.0f} vs {cpu[SDK]:.0f} ms"
    )
    return Target(name, measured, extra < LIBRARY_EXTRA)


def _every(name: str, rows: Sequence[R], judge: Callable[[R], tuple[str, bool]]) -> Target:
    """Met when every row meets it; each row says how it did."""
    if not rows:
        return Target(name, "not measured", None)
    judged = [judge(row) for row in rows]
    return Target(name, "; ".join(text for text, _ in judged), all(ok for _, ok in judged))


def _cancel(results: Results) -> Target:
    def judge(r: CancelResult) -> tuple[str, bool]:
        if r.ended_ms is None:
            return f"{r.path}: no cancel completed ({'; '.join(r.errors)})", False
        worst = max(r.ended_ms.high, r.silent_ms.high if r.silent_ms else 0.0)
        met = worst <= CANCEL_MS and not r.tool_finished and not r.errors
        return f"{r.path}: {r.ended_ms.median:.0f} ms (max {worst:.0f})", met

    name = f"Cancel: stopped and the tool silent within {CANCEL_MS:.0f} ms"
    return _every(name, results.cancel, judge)


def _concurrency(results: Results) -> Target:
    name = "50 concurrent streams: zero errors, zero lost tokens"
    levels = [level for level in results.concurrency if level.streams == 50]
    if not levels:
        return Target(name, "not measured", None)
    measured = "; ".join(f"{lv.path}: {lv.errors} errors, {lv.lost} lost" for lv in levels)
    return Target(name, measured, not any(lv.errors or lv.lost for lv in levels))


def _worst(spread: Spread | None) -> float:
    return spread.high if spread else 0.0


def _long_tasks(results: Results) -> Target:
    name = f"Browser: no long task over {LONG_TASK_MS:.0f} ms while 5,000 tokens stream"
    views = [v for v in (results.browser.views if results.browser else []) if v.cold.n]
    if not views:
        return Target(name, "not measured", None)
    worst = {v.view: (_worst(v.cold.longest_ms), _worst(v.warm.longest_ms)) for v in views}
    measured = "; ".join(
        f"{view} view: longest {cold:.0f} ms (page's first answer), {warm:.0f} ms (second)"
        for view, (cold, warm) in worst.items()
    )
    return Target(name, measured, max(max(pair) for pair in worst.values()) <= LONG_TASK_MS)


def _initial_js(results: Results) -> Target:
    name = f"Browser: initial JS under {INITIAL_JS_KB:.0f} kB gzipped"
    size = results.browser.initial_js_kb if results.browser else None
    if size is None:
        return Target(name, "not measured", None)
    return Target(name, f"{size:.1f} kB (npm run size)", size < INITIAL_JS_KB)


def _runs_first(results: Results) -> Target:
    def judge(row: FirstToken) -> tuple[str, bool]:
        gap = row.gap_ms
        if gap is None or row.sse_ms is None or row.runs_ms is None:
            return f"{row.which}: not measured ({'; '.join(row.errors)})", False
        runs, sse = row.runs_ms.median, row.sse_ms.median
        met = gap <= RUNS_FIRST_MS and not row.errors
        return f"{row.which}: {runs:,.0f} vs {sse:,.0f} ms ({gap:+,.0f})", met

    name = f"Runs API (`runs.stream`): first token within {RUNS_FIRST_MS:.0f} ms of direct SSE's"
    return _every(name, results.mainroad, judge)


def cpu_per_token_us(table: list[LayerRow], path: str) -> float | None:
    """Server CPU of the largest answer over its tokens (fixed costs are ~0.1% of it)."""
    row = find(table, path, SIZES[-1])
    cpu = _median(row, "server_cpu_ms")
    return cpu * 1000 / row.tokens if row and cpu is not None and row.tokens else None


RUNS_ROADS = {SDK: "`runs.stream`", THREAD: "the thread event stream (`useStream`'s)"}


def _runs_cpu(table: list[LayerRow]) -> Target:
    """Both roads into the runs API: the SDK's (``runs.stream``) and ``useStream``'s."""
    name = f"Runs API: server CPU per token at most {RUNS_CPU_X}× direct SSE's, {label(SIZES[-1])}"
    sse = cpu_per_token_us(table, SSE)
    runs = {road: cpu_per_token_us(table, path) for path, road in RUNS_ROADS.items()}
    if not sse or None in runs.values():
        return Target(name, "not measured", None)
    ratios = {road: cpu / sse for road, cpu in runs.items() if cpu is not None}
    measured = "; ".join(
        f"{road}: {runs[road]:.0f} vs {sse:.0f} µs per token (×{ratio:.2f})"
        for road, ratio in ratios.items()
    )
    return Target(name, measured, max(ratios.values()) <= RUNS_CPU_X)


def _runs_concurrent(results: Results) -> Target:
    name = (
        f"50 concurrent runs-API streams: p95 first token ≤ {RUNS_P95_MS / 1000:.1f} s, "
        "0 errors, 0 lost"
    )
    found = [lv for lv in results.concurrency if lv.streams == 50 and lv.path.startswith("runs")]
    if not found or found[0].ttft_p95 is None:
        return Target(name, "not measured", None)
    lv = found[0]
    p50, p95 = lv.ttft_p50.median if lv.ttft_p50 else 0.0, _worst(lv.ttft_p95)
    measured = (
        f"p50 {p50:,.0f} ms, p95 {p95:,.0f} ms (worst round); {lv.errors} errors, {lv.lost} lost"
    )
    return Target(name, measured, p95 <= RUNS_P95_MS and not lv.errors and not lv.lost)


def _main_view(results: Results) -> Target:
    name = f"Browser: main view shows 5,000 tokens in ≤ {MAIN_VIEW_X}× the direct view's time"
    views = {v.view: v for v in (results.browser.views if results.browser else [])}
    if not {"main", "direct"} <= set(views):
        return Target(name, "not measured", None)
    parts, ratios = [], []
    for which in ("cold", "warm"):
        main, direct = (getattr(views[v], which).final_ms for v in ("main", "direct"))
        if main is None or direct is None or not direct.median:
            continue
        ratios.append(main.median / direct.median)
        answer = "first" if which == "cold" else "second"
        parts.append(
            f"{answer} answer: {main.median:,.0f} vs {direct.median:,.0f} ms (×{ratios[-1]:.2f})"
        )
    if not ratios:
        return Target(name, "not measured", None)
    return Target(name, "; ".join(parts), max(ratios) <= MAIN_VIEW_X)


def evaluate(results: Results) -> list[Target]:
    table = rows(results.sweep)
    return [
        _runs_first(results),
        _runs_cpu(table),
        _runs_concurrent(results),
        _main_view(results),
        _sse_first(table),
        _sse_rate(table),
        _library(results, table),
        _cancel(results),
        _concurrency(results),
        _long_tasks(results),
        _initial_js(results),
        *soak_targets(results.soak),
    ]
