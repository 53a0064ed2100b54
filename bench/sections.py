"""The report's sections for concurrency, cancel, the browser and start-up (items 4-7)."""

from __future__ import annotations

from bench.cancel import STEP
from bench.concurrency import SIZE
from bench.markdown import fmt, table
from bench.measure import TOOL_QUESTION
from bench.page import SIZE as BROWSER_SIZE
from bench.run import Results
from harness.server import JOBS_PER_WORKER


def concurrency(results: Results) -> list[str]:
    if not results.concurrency:
        return []
    jobs = f"{JOBS_PER_WORKER} jobs per worker"
    lines = [f"## Concurrency (item 4): `count to {SIZE}` per stream, {jobs}", ""]
    body = [
        [lv.path, str(lv.streams), fmt(lv.ttft_p50, 0), fmt(lv.ttft_p95, 0),
         fmt(lv.tokens_per_s, 0), fmt(lv.peak_rss_mib, 0), str(lv.errors), str(lv.lost)]
        for lv in results.concurrency
    ]  # fmt: skip
    header = ["path", "streams", "first token p50 ms", "p95 ms", "tokens/s, all streams",
            "server peak RSS MiB", "errors", "lost tokens"]  # fmt: skip
    return lines + table(header, body)


def cancel(results: Results) -> list[str]:
    if not results.cancel:
        return []
    lines = [
        f"## Cancel (item 5): `{TOOL_QUESTION}`, tool_step_delay {STEP} s, cancelled at the "
        "tool's first progress event",
        "",
    ]
    body = [
        [r.path, r.ended, fmt(r.ended_ms, 0), fmt(r.ack_ms, 0),
         fmt(r.silent_ms, 0) if r.silent_ms else "not observable",
         str(r.progress_after), str(r.tool_finished), "; ".join(r.errors) or "0"]
        for r in results.cancel
    ]  # fmt: skip
    header = ["path", "stopped =", "cancel → stopped ms", "cancel request answered ms",
            "cancel → last progress ms", "progress events after cancel (max)",
            "runs where the tool finished", "errors"]  # fmt: skip
    return lines + table(header, body)


def browser(results: Results) -> list[str]:
    found = results.browser
    if found is None:
        return []
    lines = ["## Browser (item 6): the built app in headless Chromium", ""]
    if found.skipped:
        return [*lines, f"Initial JS: {found.initial_js_kb} kB gzipped. Not measured: "
                f"{found.skipped}", ""]  # fmt: skip
    body = [
        [f"{v.view}, {which}", fmt(a.final_ms, 0), fmt(a.long_tasks, 0), fmt(a.longest_ms, 0),
         ", ".join(a.loaded_before_longest) or "—"]
        for v in found.views
        for which, a in (("first answer", v.cold), ("second answer", v.warm))
    ]  # fmt: skip
    header = ["view, answer on the page", f"{BROWSER_SIZE:,} tokens: send → whole text ms",
            "long tasks", "longest ms", "JS loaded just before the longest"]  # fmt: skip
    lines += table(header, body)
    stops = [[v.view, fmt(v.stop_ms, 0), v.stop_ended, "; ".join(v.errors) or "0"]
             for v in found.views]  # fmt: skip
    lines += table(["view", "Stop → server stopped ms", "stopped =", "errors"], stops)
    profiles = [
        [v.view, f"{v.main_thread.scripts[0][1]:,.0f}",
         "; ".join(f"{name} {ms:,.0f}" for name, ms in v.main_thread.scripts[1:]),
         "; ".join(f"{wall:,.0f} / {cpu:,.0f}" for wall, cpu in v.main_thread.longest) or "—"]
        for v in found.views
        if v.main_thread.scripts
    ]  # fmt: skip
    if profiles:
        header = ["view", "busy ms, profiled", "top scripts, ms", "longest tasks, wall / CPU ms"]
        lines += table(header, profiles)
    return [*lines, f"Initial JS: {found.initial_js_kb} kB gzipped (`npm run size`).", ""]


def startup(results: Results) -> list[str]:
    if not results.startup:
        return []
    body = [
        [r.name, r.until, fmt(r.seconds, 2), "; ".join(r.errors) or "0"] for r in results.startup
    ]
    return [
        "## Start-up (item 7), seconds",
        "",
        *table(["what", "until", "seconds", "errors"], body),
    ]
