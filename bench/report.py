"""The run as Markdown tables (printed, and written to ``bench/results/latest.md``, with the raw
figures in ``latest.json``); what they mean is in docs/benchmarks.md, not here."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from bench import report_issues, sections
from bench.layers import FLOOR, PATHS, SDK
from bench.layers_summary import find, per_token_us, rows
from bench.markdown import fmt, table, times
from bench.measure import SIZES
from bench.run import Results
from bench.target import Target
from bench.targets import label

RESULTS = Path(__file__).resolve().parent / "results"
MET = {True: "✅ met", False: "❌ not met", None: "— not measured"}


def _header(results: Results) -> list[str]:
    m, s = results.machine, results.settings
    repeats = ", ".join(f"{k} {v}" for k, v in s.repeats.items())
    return [
        "# Streaming benchmark: the cost of each layer",
        "",
        f"Run {results.started}, {results.seconds:.0f} s, {'quick' if s.quick else 'full'}"
        f" (`python -m bench{' --quick' if s.quick else ''}`; repeats: {repeats}). Machine: "
        f"{m['cores']} cores, {m['cpu']}, Python {m['python']}, langgraph {m['langgraph']}, "
        f"langgraph-api {m['langgraph-api']}, langgraph-sdk {m['langgraph-sdk']}; load average "
        f"{m['load_average_before'][0]} before, {m.get('load_average_after', ['?'])[0]} after.",
        "",
        "Figures are `median (min–max)`; **× floor** divides by the in-process floor of the same "
        "run. How to read them: [docs/benchmarks.md](../../docs/benchmarks.md).",
        "",
    ]


def _targets(targets: list[Target]) -> list[str]:
    lines = ["## Targets", ""]

    def met(target: Target) -> str:
        judged = target.met is not None or target.measured == "not measured"
        return MET[target.met] if judged else "— not judged"

    return lines + table(
        ["target", "measured", "met?"], [[t.name, t.measured, met(t)] for t in targets]
    )


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
    header = ["path", "µs per token", "× floor", "to last token ms", "server CPU ms",
            "client CPU ms", "first `metadata` ms", "errors"]  # fmt: skip
    lines += table(header, body)
    if results.modes:
        lines += ["### Per-event cost of each stream mode, in-process", ""]
        body = [
            [m.mode, m.workload, f"{m.events:,}",
             f"{s.median:.1f} (IQR {s.q1:.1f}–{s.q3:.1f})" if (s := m.us_per_event) else "—"]
            for m in results.modes
        ]  # fmt: skip
        lines += table(["mode", "workload", "events", "µs per event"], body)
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
    if results.client_setup_ms:
        name = "building an SDK client (the library: once per event loop, server and key)"
        body.append([name, "—", fmt(results.client_setup_ms)])
    lines += table(["own time, ms", *names], body)
    library = results.profile.get("client library")
    if library and library.top:
        lines += ["Its most expensive functions (own time, with the built-ins they call):", ""]
        top = [[f"`{where}`", f"{calls:,}", f"{t * 1000:.0f}"] for where, calls, t in library.top]
        lines += table(["client library function", "calls", "ms"], top)
    return lines


def markdown(results: Results, targets: list[Target]) -> str:
    parts = [
        _header(results),
        _targets(targets),
        report_issues.mainroad(results),
        _layers(results),
        sections.concurrency(results),
        sections.cancel(results),
        sections.browser(results),
        report_issues.jobs(results),
        report_issues.soak(results),
        sections.startup(results),
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
    }


def write(results: Results, targets: list[Target], name: str = "latest") -> str:
    """Writes ``<name>.md`` and ``<name>.json``; returns the Markdown."""
    text = markdown(results, targets)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.md").write_text(text)
    data = _rounded(as_json(results, targets))
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return text
