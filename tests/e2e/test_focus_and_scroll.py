"""Focus stays where the user works, the empty page's examples send themselves, and a reader
who scrolled up gets back to the latest (issue 22, "The web app": focus and scrolling)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from harness.browser import app_url
from harness.server import Server
from tests.e2e.helpers import send, wait_status

AT_BOTTOM = "el => el.scrollHeight - el.scrollTop - el.clientHeight < 60"


def test_focus_returns_to_the_composer_after_stop(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url, offline_token_delay=0.05))
    send(page, "count to 400")
    expect(page.get_by_test_id("message-assistant")).to_contain_text("1 2 3")
    page.get_by_test_id("stop-button").focus()
    page.keyboard.press("Enter")
    wait_status(page, "stopped")
    expect(page.get_by_test_id("message-input")).to_be_focused()
    page.keyboard.type("next")  # typing goes on where it left off
    expect(page.get_by_test_id("message-input")).to_have_value("next")


def test_an_example_prompt_sends_itself(page: Page, frontend_url: str, server: Server) -> None:
    page.goto(app_url(frontend_url, server.url, tool_step_delay=0.05))
    examples = page.get_by_test_id("example-prompt")
    expect(examples).to_have_count(3)
    examples.filter(has_text="北京天气如何？").click()
    expect(page.get_by_test_id("message-user")).to_have_text(["北京天气如何？"])
    wait_status(page, "idle")
    expect(page.get_by_test_id("tool-call")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("example-prompt")).to_have_count(0)
    expect(page.get_by_test_id("message-input")).to_be_focused()


def test_jump_to_latest_appears_when_scrolled_up_and_follows_again(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.set_viewport_size({"width": 900, "height": 500})
    page.goto(app_url(frontend_url, server.url, offline_token_delay=0.01))
    send(page, "count to 1500")
    answer = page.get_by_test_id("message-assistant")
    expect(answer).to_contain_text(" 300 ", timeout=30_000)
    log = page.get_by_role("region", name="Conversation")
    jump = page.get_by_test_id("jump-to-latest")
    expect(jump).to_have_count(0)  # following the answer: nothing to jump to

    log.evaluate("el => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); }")
    expect(jump).to_be_visible()
    jump.click()
    expect(jump).to_have_count(0)
    assert log.evaluate(AT_BOTTOM)
    # Following again: more of the answer arrives and the list stays at the bottom.
    expect(answer).to_contain_text(" 900 ", timeout=30_000)
    assert log.evaluate(AT_BOTTOM)
    wait_status(page, "idle", timeout=60_000)
