"""The phone's top bar is one row, content carries its own language, and Tab reaches the top bar
and the composer before the thread list (issue 22, "The web app": layout and accessibility)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from harness.browser import app_url
from harness.server import Server
from tests.e2e.helpers import send, wait_status

LANG = "el => el.closest('[lang]').getAttribute('lang')"


def test_the_top_bar_is_one_row_at_390_px(page: Page, frontend_url: str, server: Server) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(app_url(frontend_url, server.url))
    expect(page.get_by_test_id("message-input")).to_be_visible()
    header = page.locator(".topbar")
    one_row = header.evaluate(
        """(el) => {
          const boxes = [...el.children].filter((c) => c.offsetParent)
            .map((c) => c.getBoundingClientRect()).filter((b) => b.width > 1);
          return Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
        }"""
    )
    assert one_row, "the top bar wraps"
    box = header.bounding_box()
    assert box is not None and box["height"] < 50, box
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    # The title is still there for screen readers, and every control still says what it is.
    expect(page.get_by_role("heading", name="Streaming agent")).to_have_count(1)
    expect(page.get_by_role("button", name="Direct SSE")).to_be_visible()


def test_messages_say_their_language_and_the_chrome_stays_english(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url, tool_step_delay=0.05))
    send(page, "北京天气如何？")
    wait_status(page, "idle")
    assert page.get_by_test_id("message-user").evaluate(LANG) == "zh"
    assert page.get_by_test_id("message-assistant").last.evaluate(LANG) == "zh"
    assert page.get_by_test_id("tool-call").evaluate(LANG) == "zh"
    assert page.get_by_test_id("send-button").evaluate(LANG) == "en"
    assert page.get_by_role("heading", name="Streaming agent").evaluate(LANG) == "en"
    send(page, "hello there")
    expect(page.get_by_test_id("message-user")).to_have_count(2)
    wait_status(page, "idle")
    assert page.get_by_test_id("message-user").last.evaluate(LANG) == "en"
    item = page.get_by_test_id("thread-item").filter(has_text="北京天气如何？").first
    assert item.locator(".thread-title").evaluate(LANG) == "zh"


def test_tab_reaches_the_top_bar_and_composer_before_the_threads(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url))
    send(page, "hello tab order")  # at least one thread in the list
    wait_status(page, "idle")
    expect(page.get_by_test_id("thread-item").first).to_be_visible()
    # The sequential focus order: focusable elements in document order (nothing here has a
    # positive tabindex, which would change it).
    order: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('button, textarea, input, summary, [tabindex]')]
          .filter((el) => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0)
          .map((el) => el.dataset.testid ?? el.getAttribute('aria-label') ?? el.tagName)"""
    )
    positive = "() => [...document.querySelectorAll('[tabindex]')].filter((el) => el.tabIndex > 0)"
    assert page.evaluate(positive + ".length") == 0
    first_thread = order.index("thread-item")
    assert order[0] == "view-runs", order  # the menu button is hidden at this width
    for control in ("approval-toggle", "api-key-toggle", "message-list", "message-input"):
        assert control in order[:first_thread], (control, order)
    # Tab from the composer goes to its attach button, then on to the list (Send and Stop are
    # disabled: skipped).
    page.get_by_test_id("message-input").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.testid") == "attach-button"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.testid") == "new-chat"
