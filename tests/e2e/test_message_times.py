"""Times on messages (issue 21): each question and answer shows when it was sent, the server's
stamp once it is stored (``additional_kwargs.sent_at``), the same after a reload."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from harness.browser import app_url
from harness.server import Server
from tests.e2e.helpers import sdk, send, wait_status, wait_thread_id


def shown_times(page: Page) -> list[str | None]:
    times = page.get_by_test_id("message-time")
    return [times.nth(i).get_attribute("datetime") for i in range(times.count())]


def test_each_message_shows_the_stored_time_and_keeps_it_after_a_reload(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url, offline_token_delay=0.05))
    send(page, "hello")
    # While it streams, the answer shows when it arrived.
    wait_status(page, "streaming")
    expect(page.locator(".message-row-assistant").get_by_test_id("message-time")).to_be_visible()
    wait_status(page, "idle")
    thread = wait_thread_id(page)
    state: Any = sdk(server.url).threads.get_state(thread)
    stored = [m["additional_kwargs"]["sent_at"] for m in state["values"]["messages"]]
    assert len(stored) == 2

    for row in (".message-row-user", ".message-row-assistant"):
        time = page.locator(row).get_by_test_id("message-time")
        expect(time).to_be_visible()
        expect(time).to_have_attribute("title", re.compile(stored[0][:4]))
    page.wait_for_function(
        "(stored) => JSON.stringify([...document.querySelectorAll('[data-testid=message-time]')]"
        ".map((t) => t.getAttribute('datetime'))) === JSON.stringify(stored)",
        arg=stored,
    )

    page.reload()
    wait_status(page, "idle")
    expect(page.get_by_test_id("message-time")).to_have_count(2)
    assert shown_times(page) == stored
