"""A 3,000-number streamed answer arrives whole while the page keeps taking input (its long
tasks are measured by the bench: ``make bench``, the browser section)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from harness.browser import app_url
from harness.server import Server
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import last_ai_text, sdk, send, wait_status, wait_thread_id


def test_long_answer_arrives_whole(page: Page, frontend_url: str, server: Server) -> None:
    page.goto(app_url(frontend_url, server.url, offline_token_delay=0.002))
    send(page, "count to 3000")
    answer = page.get_by_test_id("message-assistant")
    expect(answer).to_contain_text("1 2 3")

    # While it streams, the page still takes keyboard input.
    box = page.get_by_test_id("message-input")
    box.press_sequentially("still typing")
    expect(box).to_have_value("still typing")
    wait_status(page, "idle", timeout=90_000)

    expected = " ".join(str(n) for n in range(1, 3001))
    # The page renders at most every 50 ms, so the last tokens may show just after "idle".
    expect(answer).to_have_text(expected)
    assert last_ai_text(sdk(server.url), wait_thread_id(page)) == expected
    screenshot(page, "08-long-answer")
