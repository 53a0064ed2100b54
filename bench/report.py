"""The run as Markdown (printed, and written with JSON to ``bench/results/``)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from bench import sections
from bench.layers import FLOOR, PATHS, SDK
from bench.layers_summary import find, per_token_us, rows
from bench.markdown import fmt, table, times
from bench.measure import SIZES
from bench.notes import notes
from bench.run import Results
from bench.targets import Target, label

RESULTS = Path(__file__).resolve().parent / "results"
MET = {True: "✅ met", False: "❌ not met", None: "— not measured"}


def _header(results: Results) -> list[str]:
    m, s = results.machine, results.settings
    return [
        "# Streaming benchmark: the cost of each layer",
        "",
        f"Run {results.started}, {results.seconds:.0f} s, {'quick' if s.quick else 'full'}"
        f" (`python -m bench{' --quick' if s.quick else ''}`). Machine: {m['cores']} cores, "
        f"{m['cpu']}, Python {m['python']}, langgraph {m['langgraph']}, langgraph-api "
        f"{m['langgraph-api']}, langgraph-sdk {m['langgraph-sdk']}; load average "
        f"{m['load_average_before'][0]} before, {m.get('load_average_after', ['?'])[0]} after.",
        "",
        "Offline model, no token delay, loopback only. Figures are `median (min–max)` over the "
        "runs; **× floor** is the path's median divided by the in-process floor's in the same "
        "run (the machine is shared: ratios travel, absolute times do not).",
        "",
    ]


def _targets(targets: list[Target]) -> list[str]:
    lines = ["## Targets", ""]
    lines += table(
        ["target", "measured", "met?"], [[t.name, t.measured, MET[t.met]] for t in targets]
    )
    unmet = [t for t in targets if t.met is False]
    if unmet:
        lines += ["### Why the unmet targets are not met", ""]
        lines += [f"- **{t.name}.** {t.why}" for t in unmet] + [""]
    return lines


def _layers(results: Results) -> list[str]:
    if not results.sweep:
        return []
    summary, slope = rows(results.sweep), per_token_us(results.sweep)
    sizes = [label(size) for size in SIZES]
    lines = ["## Streaming, layer by layer (items 1–3)", "", "### Time to first token, ms", ""]

    def by_size(value: str, ratio: str, digits: int) -> list[list[str]]:
        return [
            [path]
            + [
                f"{fmt(getattr(row, value), digits)} {times(getattr(row, ratio))}"
                for size in SIZES
                if (row := find(summary, path, size))
            ]
            for path in PATHS
        ]

    metadata = [
        f"{SDK}: first `metadata` event",
        *(fmt(row.meta_ms, 1) if (row := find(summary, SDK, size)) else "—" for size in SIZES),
    ]
    lines += table(["path", *sizes], [*by_size("first_ms", "first_x_floor", 1), metadata])
    lines += ["### Throughput, tokens/s (tokens ÷ time from the request to the last token)", ""]
    lines += table(["path", *sizes], by_size("tokens_per_s", "rate_x_floor", 0))
    large = SIZES[-1]
    lines += [f"### Per token event, and CPU for the {label(large)}-token answer", ""]
    floor_cost = slope.get(FLOOR)
    body = []
    for path in PATHS:
        row, cost = find(summary, path, large), slope.get(path)
        ratio = cost / floor_cost if cost is not None and floor_cost else None
        cells = [path, f"{cost:.1f}" if cost is not None else "—", times(ratio)]
        if row:
            error = f" ({row.first_error})" if row.first_error else ""
            cells += [fmt(row.last_ms, 0), fmt(row.server_cpu_ms, 0), fmt(row.client_cpu_ms, 0),
                      fmt(row.meta_ms, 0), f"{row.errors}{error}"]  # fmt: skip
        body.append(cells)
    head = ["path", "µs per token", "× floor", "to last token ms", "server CPU ms",
            "client CPU ms", "first `metadata` ms", "errors"]  # fmt: skip
    lines += table(head, body)
    lines += [
        "µs per token: the slope of the time to the last token between the smallest and the "
        "largest answer, so fixed costs cancel out (the runs API's queue wait, random between "
        "0.5 and 1 s, only in the median). Server CPU: the `langgraph dev` process (/proc); "
        "client CPU: this process (which also runs the floor), per answer.",
        "",
    ]
    if results.modes:
        lines += ["### Per-event cost of each stream mode, in-process", ""]
        body = [
            [m.mode, m.workload, f"{m.events:,}",
             f"{s.median:.1f} (IQR {s.q1:.1f}–{s.q3:.1f})" if (s := m.us_per_event) else "—"]
            for m in results.modes
        ]  # fmt: skip
        lines += table(["mode", "workload", "events", "µs per event"], body)
        lines += [
            "CPU time streaming the mode minus streaming no mode (`stream_mode=[]`), per event: "
            "the median over pairs of back-to-back runs, with the interquartile range.",
            "",
        ]
    if results.profile:
        lines += _profile(results)
    return lines


def _profile(results: Results) -> list[str]:
    lines = [f"### Client-side profile (cProfile) of one {label(SIZES[-1])}-token answer", ""]
    groups = sorted({g for p in results.profile.values() for g in p.groups})
    names = list(results.profile)
    profiles = [results.profile[name] for name in names]
    body = [[g, *(f"{p.groups.get(g, 0.0) * 1000:.0f}" for p in profiles)] for g in groups]
    body.append(["wall time, profiled", *(f"{p.seconds * 1000:.0f}" for p in profiles)])
    lines += table(["own time, ms", *names], body)
    library = results.profile.get("client library")
    if library and library.top:
        lines += ["Its most expensive functions (own time, with the built-ins they call):", ""]
        top = [[f"`{where}`", f"{calls:,}", f"{t * 1000:.0f}"] for where, calls, t in library.top]
        lines += table(["client library function", "calls", "ms"], top)
    if results.client_setup_ms:
        lines += [
            f"Before its first request each `RunStream` builds its own SDK client: "
            f"{fmt(results.client_setup_ms)} ms here (`get_client`; httpx's transport loads "
            "the CA bundle into an SSL context even for http:// URLs), on every run and for "
            "every one of 50 concurrent streams.",
            "",
        ]
    return lines


def markdown(results: Results, targets: list[Target]) -> str:
    parts = [
        _header(results),
        _targets(targets),
        _layers(results),
        sections.concurrency(results),
        sections.cancel(results),
        sections.browser(results),
        sections.startup(results),
        ["## Notes", "", *(f"- {note}" for note in notes(results)), ""],
    ]
    return "\n".join(line for part in parts for line in part)


def _rounded(value: Any) -> Any:
    """Floats to 3 decimals: microseconds of a millisecond figure are noise, not data."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def as_json(results: Results, targets: list[Target]) -> dict[str, Any]:
    data = dataclasses.asdict(results)
    data.pop("sweep")
    return {
        **data,
        "repeats": results.settings.repeats,
        "layers": [dataclasses.asdict(row) for row in rows(results.sweep)],
        "per_token_us": per_token_us(results.sweep),
        "targets": [dataclasses.asdict(target) for target in targets],
        "notes": notes(results),
    }


def write(results: Results, targets: list[Target]) -> str:
    """Writes ``latest.md`` and ``latest.json``; returns the Markdown."""
    text = markdown(results, targets)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(text)
    data = _rounded(as_json(results, targets))
    (RESULTS / "latest.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return text
