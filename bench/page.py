"""One page of the web app, instrumented: an init script installed before the app loads
times the answer and collects long tasks on the page's own clock (``performance.now()``)."""

from __future__ import annotations

import time
from typing import Any

from playwright.async_api import Browser, Page, expect

from bench.measure import expected_tokens, question

SIZE = 5_000
TIMEOUT_MS = 120_000

# Long tasks, the keypress that sends, the moment the whole answer shows, and (when armed) a
# click on Stop as soon as a progress bar appears: all on the page's own clock.
INIT_SCRIPT = """
(() => {
  const b = (window.__bench = { start: null, final: null, expected: 0, before: 0,
                                autoStop: false, stopAt: null, tasks: [] });
  const answers = () => document.querySelectorAll('[data-testid="message-assistant"]');
  b.arm = (expected) => {
    Object.assign(b, { start: null, final: null, expected, before: answers().length });
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.tasks.push([e.startTime, e.duration]);
  }).observe({ type: "longtask", buffered: true });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && b.start === null) {
      b.start = performance.now();
      performance.mark("bench:send");
    }
  }, true);
  const check = () => {
    if (b.start === null) return;
    if (b.autoStop && b.stopAt === null && document.querySelector('[data-testid="progress"]')) {
      const stop = document.querySelector('[data-testid="stop-button"]');
      if (stop && !stop.disabled) { b.stopAt = performance.now(); stop.click(); }
    }
    const shown = answers();
    const last = shown.length > b.before ? shown[shown.length - 1] : null;
    if (b.expected && b.final === null && last && last.textContent.trim().length >= b.expected) {
      b.final = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true,
  });
})();
"""

# One answer's figures; for the longest task, the JS files that finished loading in the 200 ms
# before it started (a lazily loaded chunk being evaluated, rather than the stream).
RESULT = """
() => {
  const b = window.__bench;
  const tasks = b.tasks.filter(([start]) => start >= b.start);
  const [at, longest] = tasks.reduce((a, t) => (t[1] > a[1] ? t : a), [0, 0]);
  const loaded = performance.getEntriesByType("resource")
    .filter((e) => e.name.endsWith(".js") && e.responseEnd <= at + 1 && e.responseEnd >= at - 200)
    .map((e) => e.name.split("/").pop());
  return { final_ms: b.final - b.start, long_tasks: tasks.length, longest_ms: longest, loaded };
}
"""


# Resolves once the page's main thread has had nothing to do (or after a second, regardless).
IDLE = "() => new Promise((done) => requestIdleCallback(() => done(null), { timeout: 1000 }))"


async def open_page(browser: Browser, url: str) -> Page:
    """The app, loaded and settled, as a person finds it once they have typed a question: its
    lazy chunks fetched and run, no request in flight, its main thread idle. Sent sooner, on
    this 2-core machine a first answer shares the cores with the page's start-up work (about
    half a second of renderer CPU), which measures this bench's rig rather than the road."""
    context = await browser.new_context(viewport={"width": 1200, "height": 800})
    await context.add_init_script(INIT_SCRIPT)
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(url)
    await page.get_by_test_id("message-input").wait_for(state="visible")
    await page.wait_for_load_state("networkidle")
    await page.evaluate(IDLE)
    return page


async def answer(page: Page) -> dict[str, Any]:
    """One full-speed answer on an open page: ms to the whole text, long tasks meanwhile."""
    expected = "".join(expected_tokens(SIZE))
    await page.get_by_test_id("message-input").fill(question(SIZE))
    await page.evaluate("n => window.__bench.arm(n)", len(expected))
    await page.get_by_test_id("message-input").press("Enter")
    await page.wait_for_function("() => window.__bench.final !== null")
    status = page.get_by_test_id("status")
    await expect(status).to_have_attribute("data-status", "idle", timeout=TIMEOUT_MS)
    await page.wait_for_timeout(100)  # long-task entries are delivered after the task
    text = (await page.get_by_test_id("message-assistant").last.inner_text()).strip()
    result: dict[str, Any] = await page.evaluate(RESULT)
    result["error"] = None if text == expected else f"text differs ({len(text)} chars)"
    return result


async def clock_offset(page: Page) -> float:
    """Page seconds (``performance.now() / 1000``) plus this is ``time.perf_counter()``."""
    before = time.perf_counter()
    page_now = float(await page.evaluate("() => performance.now()"))
    return (before + time.perf_counter()) / 2 - page_now / 1000
