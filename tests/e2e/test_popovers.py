"""The top bar's popovers (Approval, API key) close like menus: Esc, a click outside, and
moving on to the composer (issue 22, "The web app": popovers)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from harness.browser import app_url
from harness.server import Server
from tests.e2e.helpers import send, wait_status

POPOVERS = [("approval-toggle", "details.approval-setting"), ("api-key-toggle", "details.api-key")]


@pytest.mark.parametrize(("toggle", "details"), POPOVERS)
def test_a_popover_closes_on_escape_and_on_a_click_outside(
    page: Page, frontend_url: str, server: Server, toggle: str, details: str
) -> None:
    page.goto(app_url(frontend_url, server.url))
    popover = page.locator(details)
    page.get_by_test_id(toggle).click()
    expect(popover).to_have_attribute("open", "")

    page.keyboard.press("Escape")
    expect(popover).not_to_have_attribute("open", "")
    expect(page.get_by_test_id(toggle)).to_be_focused()  # focus goes back to its button

    page.get_by_test_id(toggle).click()
    expect(popover).to_have_attribute("open", "")
    page.get_by_role("region", name="Conversation").click()
    expect(popover).not_to_have_attribute("open", "")


def test_the_approval_popover_does_not_stay_open_over_the_chat_after_sending(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url))
    popover = page.locator("details.approval-setting")
    page.get_by_test_id("approval-toggle").click()
    page.get_by_test_id("approve-get_weather").check()
    expect(popover).to_have_attribute("open", "")
    # Keyboard only: Tab onward to the composer, then send.
    page.get_by_test_id("message-input").focus()
    expect(popover).not_to_have_attribute("open", "")
    send(page, "上海天气如何？")
    wait_status(page, "paused")
    expect(popover).not_to_have_attribute("open", "")
    expect(page.get_by_test_id("approval-card")).to_be_visible()
