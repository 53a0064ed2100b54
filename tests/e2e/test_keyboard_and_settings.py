"""Keyboard-only use, auto-scroll, and the API key setting, in the real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from harness.browser import app_url
from harness.server import Server
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import (
    last_ai_text,
    open_api_key,
    sdk,
    wait_run_statuses,
    wait_status,
    wait_thread_id,
)


def focused(page: Page) -> str | None:
    test_id: str | None = page.evaluate("() => document.activeElement?.dataset.testid ?? null")
    return test_id


def tab_to(page: Page, test_id: str, limit: int = 10) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == test_id:
            return
    raise AssertionError(f"Tab never reached {test_id}")


def test_keyboard_only_send_and_stop_keeps_partial_answer(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url, offline_token_delay=0.05))
    expect(page.get_by_test_id("message-input")).to_be_focused()
    page.keyboard.type("count to 400")
    page.keyboard.press("Enter")
    answer = page.get_by_test_id("message-assistant")
    expect(answer).to_contain_text("1 2 3 4 5")
    expect(answer).to_have_attribute("aria-live", "polite")

    tab_to(page, "stop-button")
    page.keyboard.press("Enter")
    wait_status(page, "stopped")
    thread = wait_thread_id(page)
    client = sdk(server.url)
    wait_run_statuses(client, thread, ["interrupted"])

    partial = answer.inner_text()
    assert partial.startswith("1 2 3 4 5") and not partial.rstrip().endswith("400")
    expect(page.get_by_test_id("stopped-note")).to_be_visible()
    # Nothing more arrives after the stop, and the partial answer stays on the page.
    page.wait_for_timeout(1000)  # a window in which late tokens would show up, not a sync point
    assert answer.inner_text() == partial
    screenshot(page, "09-keyboard-stop-mid-answer")


def test_auto_scroll_follows_until_the_user_scrolls_up(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.set_viewport_size({"width": 900, "height": 500})
    page.goto(app_url(frontend_url, server.url, offline_token_delay=0.01))
    page.get_by_test_id("message-input").fill("count to 1500")
    page.get_by_test_id("message-input").press("Enter")
    answer = page.get_by_test_id("message-assistant")
    expect(answer).to_contain_text(" 400 ", timeout=30_000)
    at_bottom = "el => el.scrollHeight - el.scrollTop - el.clientHeight < 60"
    log = page.get_by_role("region", name="Conversation")
    assert log.evaluate("el => el.scrollHeight > el.clientHeight")
    assert log.evaluate(at_bottom), "the list did not follow the streaming answer"

    log.evaluate("el => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); }")
    expect(answer).to_contain_text(" 900 ", timeout=30_000)
    assert log.evaluate("el => el.scrollTop") == 0, "auto-scroll pulled the reader back down"
    wait_status(page, "idle", timeout=60_000)
    assert answer.inner_text().strip() == last_ai_text(sdk(server.url), wait_thread_id(page))


def test_api_key_is_sent_as_header_and_kept_per_session(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url))
    # What the page asked for before it had a key may still be on its way on a slow machine.
    page.wait_for_load_state("networkidle")
    open_api_key(page)
    page.get_by_label("API key for").fill("test-key-123")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("API key for")).to_have_attribute("placeholder", re.compile("set"))
    headers: list[str | None] = []
    page.on(
        "request",
        lambda request: (
            request.url.startswith(server.url)
            and request.method != "OPTIONS"
            and headers.append(request.headers.get("x-api-key"))
        ),
    )
    page.get_by_test_id("message-input").fill("hello with a key")
    page.get_by_test_id("message-input").press("Enter")
    wait_status(page, "idle")
    assert headers and all(value == "test-key-123" for value in headers), headers
    stored = page.evaluate(
        "() => JSON.stringify({...sessionStorage}) + JSON.stringify({...localStorage})"
    )
    assert stored.count("test-key-123") == 1 and "sessionStorage" not in stored
    assert page.evaluate("() => Object.keys(localStorage).length") == 0
