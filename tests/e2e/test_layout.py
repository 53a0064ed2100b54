"""Layout at phone and desktop widths, dark mode, labels and keyboard focus; screenshots at
1280 and 390 px (artifacts/screenshots/)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from harness.browser import app_url
from harness.server import Server
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import send, wait_status, wait_thread_id

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def dark(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def overflow(page: Page) -> int:
    """How far the page is wider than the window (0: nothing sticks out sideways)."""
    width: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


def on_screen(page: Page, test_id: str) -> bool:
    box = page.get_by_test_id(test_id).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def test_phone_layout_has_a_menu_and_nothing_sticks_out(
    phone: Page, frontend_url: str, server: Server
) -> None:
    page = phone
    page.goto(app_url(frontend_url, server.url, tool_step_delay=0.3))
    expect(page.get_by_role("navigation", name="Conversations")).to_be_hidden()
    menu = page.get_by_role("button", name="Conversations")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")

    send(page, "分析手机数据")
    wait_status(page, "streaming")
    for width in (360, 390, 430):
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        assert overflow(page) == 0, f"sideways overflow at {width} px"
        assert on_screen(page, "message-input") and on_screen(page, "stop-button"), width
    page.set_viewport_size(PHONE)
    screenshot(page, "50-phone-390-streaming")
    wait_status(page, "idle")
    assert overflow(page) == 0
    screenshot(page, "51-phone-390-answer")
    first = wait_thread_id(page)

    # The menu opens the thread list as a drawer (focus moves into it, Esc closes it);
    # starting a chat or choosing a thread closes it.
    drawer = page.get_by_role("navigation", name="Conversations")
    menu.click()
    expect(drawer).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_test_id("new-chat")).to_be_focused()
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    menu.click()
    page.get_by_test_id("new-chat").click()
    expect(drawer).to_be_hidden()
    send(page, "hello phone")
    wait_status(page, "idle")
    menu.click()
    expect(drawer.get_by_test_id("thread-item").filter(has_text="hello phone")).to_be_visible()
    page.wait_for_function(
        "() => document.getElementById('sidebar').getBoundingClientRect().left === 0"
    )
    screenshot(page, "52-phone-390-menu")
    drawer.get_by_test_id("thread-item").filter(has_text="分析手机数据").click()
    expect(drawer).to_be_hidden()
    expect(page.get_by_test_id("message-user")).to_have_text(["分析手机数据"])
    assert wait_thread_id(page) == first

    page.get_by_test_id("view-direct").click()
    send(page, "北京天气如何？")
    wait_status(page, "idle")
    assert overflow(page) == 0
    screenshot(page, "53-phone-390-direct")


def test_desktop_header_fits_on_one_line(page: Page, frontend_url: str, server: Server) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(app_url(frontend_url, server.url, tool_step_delay=0.05))
    send(page, "分析用户数据")
    wait_status(page, "idle")
    header = page.locator(".topbar")
    # One line: every visible item overlaps every other vertically.
    one_line = header.evaluate(
        """(el) => {
          const boxes = [...el.children].filter((c) => c.offsetParent)
            .map((c) => c.getBoundingClientRect());
          return Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
        }"""
    )
    assert one_line, "the header wraps"
    expect(page.get_by_role("heading", name="Streaming agent")).to_be_visible()
    expect(page.get_by_role("navigation", name="Conversations")).to_be_visible()
    expect(page.get_by_role("button", name="Conversations")).to_be_hidden()
    assert overflow(page) == 0
    screenshot(page, "54-desktop-1280")


def test_dark_mode_follows_the_system_setting(
    dark: Page, frontend_url: str, server: Server
) -> None:
    page = dark
    page.goto(app_url(frontend_url, server.url, tool_step_delay=0.05))
    send(page, "分析用户数据")
    wait_status(page, "idle")
    luminance = """(el) => {
      const [r, g, b] = getComputedStyle(el).%s.match(/\\d+/g).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    }"""
    assert page.locator("html").evaluate(luminance % "backgroundColor") < 0.2
    assert page.locator("html").evaluate(luminance % "color") > 0.8
    assert (
        page.get_by_test_id("message-assistant").last.evaluate(luminance % "backgroundColor") < 0.2
    )
    screenshot(page, "55-desktop-1280-dark")
    page.set_viewport_size(PHONE)
    screenshot(page, "56-phone-390-dark")


def test_controls_are_labelled_and_reachable_by_keyboard(
    page: Page, frontend_url: str, server: Server
) -> None:
    page.goto(app_url(frontend_url, server.url))
    send(page, "hello keyboard")
    wait_status(page, "idle")
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('button, [role=button], summary, textarea, input')]
          .filter((el) => el.offsetParent !== null)
          .filter((el) => !(el.getAttribute('aria-label') || el.labels?.[0]?.textContent
                            || el.textContent.trim()))
          .map((el) => el.outerHTML.slice(0, 80))"""
    )
    assert unnamed == []

    # Tab from the conversation reaches the message controls, with a visible focus ring.
    page.get_by_role("region", name="Conversation").focus()
    names = []
    for _ in range(4):
        page.keyboard.press("Tab")
        names.append(page.evaluate("() => document.activeElement.getAttribute('aria-label')"))
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", names[-1]
    assert "Copy this question" in names and "Edit this question" in names
    assert "Copy this answer" in names and "Regenerate this answer" in names
