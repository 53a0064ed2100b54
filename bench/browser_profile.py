"""Where a view's main thread goes while it streams: Chromium's sampling profiler (over CDP)
during one warm 5,000-token answer, self time summed per script file.

Profiled apart from the timed answers, since profiling slows the page. File names are Vite's
chunks (``npm run size`` lists them); "(program)" is the browser's own work (style, layout,
paint, parsing) and "(garbage collector)" the JS heap's.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from playwright.async_api import Page

SAMPLING_US = 500
TOP = 6


def _self_ms(profile: dict[str, Any]) -> Counter[str]:
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    spent: Counter[str] = Counter()
    for node, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[node]
        name = frame["url"].rsplit("/", 1)[-1] or frame["functionName"] or "(native)"
        spent[name] += delta / 1000
    del spent["(idle)"]
    return spent


async def profiled(page: Page, answer: Any) -> list[tuple[str, float]]:
    """Runs ``answer()`` (one answer on ``page``) under the profiler: the scripts that took
    the most main-thread time, in ms, and the total as ``("all", ms)`` first."""
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Profiler.enable")
    await cdp.send("Profiler.setSamplingInterval", {"interval": SAMPLING_US})
    await cdp.send("Profiler.start")
    try:
        await answer()
    finally:
        profile = (await cdp.send("Profiler.stop"))["profile"]
        await cdp.detach()
    spent = _self_ms(profile)
    return [("all", sum(spent.values())), *spent.most_common(TOP)]
