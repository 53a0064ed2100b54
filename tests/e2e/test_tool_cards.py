"""Tool cards say what happened: a stopped call's bar is not the active colour, a finished one
reads done (not its last phase), and a step that only calls tools is its cards, not a card
inside a message card with its own Copy (issue 22, "The web app": tool cards)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from harness.browser import app_url
from harness.server import Server
from tests.e2e.helpers import send, wait_status

FILL = "el => getComputedStyle(el.querySelector('.progress-fill')).backgroundColor"


def test_a_cancelled_card_does_not_keep_the_active_bar(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url, tool_step_delay=1))
    send(page, "分析用户数据")
    card = page.get_by_test_id("tool-call")
    expect(card).to_have_attribute("data-status", "running")
    bar = card.get_by_test_id("progress")
    expect(bar).to_be_visible()
    active = card.evaluate(FILL)

    page.get_by_test_id("stop-button").click()
    expect(card).to_have_attribute("data-status", "cancelled")
    wait_status(page, "stopped")
    expect(bar).to_have_attribute("data-state", "ended")
    assert card.evaluate(FILL) != active


def test_a_finished_card_reads_done_and_is_not_a_card_in_a_card(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url, tool_step_delay=0.05))
    send(page, "分析用户数据")
    wait_status(page, "idle")
    card = page.get_by_test_id("tool-call")
    expect(card).to_have_attribute("data-status", "done")
    bar = card.get_by_test_id("progress")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(bar).to_have_attribute("aria-valuetext", "done 100%")
    expect(card).not_to_contain_text("summarizing")

    step = page.get_by_test_id("message-assistant").filter(has=card)
    assert step.evaluate("el => getComputedStyle(el).borderTopStyle") == "none"
    row = page.locator(".message-row").filter(has=card)
    expect(row.get_by_test_id("copy-button")).to_have_count(0)
    # The answer after it keeps its Copy.
    answer = page.get_by_test_id("message-assistant").last
    expect(answer.locator("xpath=..").get_by_test_id("copy-button")).to_have_count(1)
