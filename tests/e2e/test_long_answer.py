"""Benchmark: a 3,000-number streamed answer keeps the page responsive (prints its figures)."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from tests.e2e.conftest import app_url, screenshot
from tests.e2e.helpers import (
    last_ai_text,
    sdk,
    seen,
    send,
    start_recording,
    wait_status,
    wait_thread_id,
)
from tests.langgraph_server import Server

LONG_TASKS = """
() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
  }).observe({ type: "longtask", buffered: false });
}
"""


def test_long_answer_stays_responsive(page: Page, frontend_url: str, server: Server) -> None:
    page.goto(app_url(frontend_url, server.url, offline_token_delay=0.002))
    page.evaluate(LONG_TASKS)
    start_recording(page)
    started = time.monotonic()
    send(page, "count to 3000")
    answer = page.get_by_test_id("message-assistant")
    expect(answer).to_contain_text("1 2 3")

    # While it streams, the page still takes keyboard input.
    box = page.get_by_test_id("message-input")
    box.press_sequentially("still typing")
    expect(box).to_have_value("still typing")
    wait_status(page, "idle", timeout=90_000)
    elapsed = time.monotonic() - started

    expected = " ".join(str(n) for n in range(1, 3001))
    assert answer.inner_text().strip() == expected
    assert last_ai_text(sdk(server.url), wait_thread_id(page)) == expected
    long_tasks: list[float] = page.evaluate("() => window.__longTasks")
    renders = len(seen(page)["lengths"])
    print(
        f"\n3000-number answer ({len(expected)} chars, ~3000 tokens): {elapsed:.1f} s, "
        f"{renders} visible text updates, {len(long_tasks)} long tasks, "
        f"longest {max(long_tasks, default=0):.0f} ms, total {sum(long_tasks):.0f} ms"
    )
    # Generous bound: no single main-thread block a person would notice as a freeze.
    assert max(long_tasks, default=0) < 1000
    screenshot(page, "08-long-answer")
