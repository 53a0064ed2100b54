"""Where a view's main thread goes while it streams, in one warm 5,000-token answer:
Chromium's sampling profiler (over CDP), self time summed per script file, and a trace of the
answer's longest tasks, each as wall time and the main thread's CPU time within it.

Profiled apart from the timed answers, since profiling slows the page. File names are Vite's
chunks (``npm run size`` lists them); "(program)" is the browser's own work (style, layout,
paint, parsing) and "(garbage collector)" the JS heap's. A task whose CPU time is far below its
wall time was not running for the rest: on a small machine the server streams on the same cores.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Page

SAMPLING_US = 500
TOP = 6
LONGEST = 3
# The page marks the send (bench/page.py); tasks before it are the test driver's, not the app's.
SEND_MARK = "bench:send"
TRACE_CATEGORIES = ["disabled-by-default-devtools.timeline", "blink.user_timing"]


@dataclass(frozen=True)
class MainThread:
    scripts: list[tuple[str, float]] = field(default_factory=list)
    """ms per script file, most first, after ``("all", total)``."""
    longest: list[tuple[float, float]] = field(default_factory=list)
    """(wall ms, main-thread CPU ms) of the longest tasks after the send, longest first."""


def _self_ms(profile: dict[str, Any]) -> Counter[str]:
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    spent: Counter[str] = Counter()
    for node, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[node]
        name = frame["url"].rsplit("/", 1)[-1] or frame["functionName"] or "(native)"
        spent[name] += delta / 1000
    del spent["(idle)"]
    return spent


def longest_tasks(trace: dict[str, Any]) -> list[tuple[float, float]]:
    """The longest tasks on the main thread of the page that marked the send, after it."""
    events = trace["traceEvents"]
    marks = [e for e in events if e.get("name") == SEND_MARK]
    if not marks:
        return []
    mark = max(marks, key=lambda e: e["ts"])
    tasks = [
        e for e in events
        if e.get("name") == "RunTask" and e.get("ph") == "X" and e["ts"] >= mark["ts"]
        and (e["pid"], e["tid"]) == (mark["pid"], mark["tid"])
    ]  # fmt: skip
    tasks.sort(key=lambda e: e["dur"], reverse=True)
    return [(e["dur"] / 1000, e.get("tdur", 0) / 1000) for e in tasks[:LONGEST]]


async def profiled(page: Page, answer: Callable[[], Awaitable[Any]]) -> MainThread:
    """Runs ``answer()`` (one answer on ``page``) under the profiler and a trace."""
    browser = page.context.browser
    assert browser is not None, "a page of a launched browser"
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Profiler.enable")
    await cdp.send("Profiler.setSamplingInterval", {"interval": SAMPLING_US})
    await browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    await cdp.send("Profiler.start")
    try:
        await answer()
    finally:
        profile = (await cdp.send("Profiler.stop"))["profile"]
        trace = json.loads(await browser.stop_tracing())
        await cdp.detach()
    spent = _self_ms(profile)
    return MainThread([("all", sum(spent.values())), *spent.most_common(TOP)], longest_tasks(trace))
